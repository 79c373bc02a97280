"""Base classes of the generated pydantic models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar, cast

import pydantic
from pydantic import ConfigDict

# Kept in the instance dict, outside the fields: never serialized, compared or validated.
_RETRIED_DELETE = "_retried_delete"


@dataclass(frozen=True, slots=True)
class RetriedDelete:
    """A delete that was retried after an attempt whose outcome is unknown (its answer was lost).

    An earlier attempt probably deleted the objects, so the final answer may report fewer (often
    0) deletions; every object the request named is gone all the same.
    """

    attempts: int
    lost: tuple[str, ...]  # what happened to each attempt whose answer was lost

    def __str__(self) -> str:
        return (
            f"sent {self.attempts} times after {'; '.join(self.lost)}: the counts cover the last attempt "
            "only; every object the request named is gone"
        )


def note_retried_delete(result: object, note: RetriedDelete) -> None:
    """Attach `note` to a delete's typed result (read back through `result.retried_delete`)."""
    if isinstance(result, pydantic.BaseModel):
        object.__setattr__(result, _RETRIED_DELETE, note)


M = TypeVar("M", bound=pydantic.BaseModel)


def narrow(target: type[M], value: object) -> M:
    """`value`, a parsed model, as its narrower subclass `target` (e.g. a successful job's details).

    Only what `target` adds is checked again: nested models already parsed pass through as they
    are, unknown fields and which fields were sent are kept. Raises `pydantic.ValidationError`.
    """
    if isinstance(value, target):
        return value
    if not isinstance(value, pydantic.BaseModel):
        return target.model_validate(value)
    fields = type(value).model_fields
    data = {k: v for k, v in value.__dict__.items() if k in fields}
    data.update(value.__pydantic_extra__ or {})
    out = target.model_validate(data)
    object.__setattr__(out, "__pydantic_fields_set__", set(value.model_fields_set))
    return out


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

    @property
    def retried_delete(self) -> RetriedDelete | None:
        """Set on a DELETE's result when the call was sent again after an answer was lost: the
        counts then cover only the last attempt, and the objects asked for are gone either way."""
        note = self.__dict__.get(_RETRIED_DELETE)
        return note if isinstance(note, RetriedDelete) else None


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
