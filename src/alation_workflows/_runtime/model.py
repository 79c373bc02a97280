"""Base classes of the generated pydantic models."""

from __future__ import annotations

from typing import Any, ClassVar, cast

import pydantic
from pydantic import ConfigDict


class BaseModel(pydantic.BaseModel):
    """A model the server sends: unknown fields are kept (lenient), types are checked (strict)."""

    model_config = ConfigDict(
        extra="allow",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        use_enum_values=False,
    )

    def to_wire(self) -> dict[str, object]:
        """The model as Alation's JSON: aliases, only the fields that were set, unknown fields kept."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class RequestModel(BaseModel):
    """A model only sent to the server: an unknown field is an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


# Serialization context the request encoder passes: models then leave out read-only fields.
SENDING = {"sending": True}


class ReadOnlyFields(pydantic.BaseModel):
    """Mixin of models with server-set (readOnly) fields: kept when read, never sent."""

    __read_only__: ClassVar[tuple[str, ...]] = ()

    @pydantic.model_serializer(mode="wrap")
    def _drop_read_only(
        self, handler: pydantic.SerializerFunctionWrapHandler, info: pydantic.SerializationInfo
    ) -> Any:
        data: Any = handler(self)
        if info.context is SENDING and isinstance(data, dict):
            wire_data = cast("dict[str, Any]", data)
            for wire in self.__read_only__:
                wire_data.pop(wire, None)
            return wire_data
        return data
