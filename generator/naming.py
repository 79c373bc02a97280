"""Names: spec identifiers to Python identifiers, module names and file names."""

from __future__ import annotations

import keyword
import re

# Names that would shadow pydantic BaseModel attributes or methods.
_RESERVED_FIELDS = frozenset(
    {"schema", "json", "dict", "copy", "validate", "construct", "parse_obj", "parse_raw", "to_wire"}
)


def words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    # "HTTPServer" -> "HTTP Server", but a plural acronym ("IDs") stays one word.
    spaced = re.sub(r"([A-Z]+)([A-Z](?:[a-z]{2,}|[a-rt-z]))", r"\1 \2", spaced)
    return [w for w in re.split(r"[^A-Za-z0-9]+", spaced) if w]


def snake(name: str) -> str:
    out = "_".join(w.lower() for w in words(name))
    if not out:
        raise ValueError(f"cannot make an identifier from {name!r}")
    if out[0].isdigit():
        out = "n" + out
    return out


def pascal(name: str) -> str:
    out = "".join(w[:1].upper() + w[1:] for w in words(name))
    if not out:
        raise ValueError(f"cannot make a class name from {name!r}")
    return out if not out[0].isdigit() else "N" + out


def field_name(prop: str) -> str:
    name = snake(prop)
    if keyword.iskeyword(name) or name in _RESERVED_FIELDS or name.startswith("model_"):
        name += "_"
    return name


def param_name(param: str) -> str:
    name = snake(param)
    return name + "_" if keyword.iskeyword(name) else name


def enum_member(value: str) -> str:
    name = snake(str(value)).upper() if str(value) else "EMPTY"
    return name + "_" if keyword.iskeyword(name.lower()) else name
