"""Annotated-type building blocks the generated models use."""

from __future__ import annotations

import json
from typing import Any

from pydantic import (
    BeforeValidator,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    Strict,
    WrapSerializer,
)
from pydantic_core import PydanticSerializationUnexpectedValue


class _Unset:
    """Marks an argument the caller did not pass (distinct from an explicit None)."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()

# Unions the spec writes as anyOf, and open enums: try each member in order, keep the first fit.
ORDERED = Field(union_mode="left_to_right")
# A number or boolean member of such a union takes only its own JSON type, as in JSON Schema:
# otherwise `anyOf: [integer, string]` would turn the string "0" into the integer 0.
EXACT = Strict()


def _decode_json_string(value: Any) -> Any:
    # Alation sends some results as JSON inside a string; an already-decoded value passes through.
    if isinstance(value, (str, bytes, bytearray)):
        return json.loads(value)
    return value


def _encode_json_string(value: Any, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
    if value is None:
        # Never a decoded value: lets a union fall through to the branch that kept the null as sent.
        raise PydanticSerializationUnexpectedValue("null is not a JSON-string value")
    dumped = handler(value)
    return json.dumps(dumped) if info.mode_is_json() else dumped


JSON_DECODE = BeforeValidator(_decode_json_string)
# In JSON mode the value goes back out as a string, as Alation sent it.
JSON_ENCODE = WrapSerializer(_encode_json_string)
