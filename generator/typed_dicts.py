"""TypedDict twins of request models (Speakeasy's convention): a plain dict type-checks as a body.

Every model that is sent gets `<Name>TypedDict` in its own module, keyed by the Python field names
(the models validate by name and by alias, so both work at run time; the twin states the one a
type checker knows). Nested models accept either the model or its twin, and operation signatures
accept either for the body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from . import ir
from .pytypes import TypeWriter

SUFFIX = "TypedDict"


def twin_name(model: str) -> str:
    return model + SUFFIX


def has_twin(model: ir.Model) -> bool:
    return model.request_side


@dataclass
class TwinWriter:
    """Renders the annotations of one twin, collecting what its module must import."""

    models: dict[str, ir.Model]
    enums: dict[str, ir.Enum]
    # The model module's writer: the twin shares its import lists.
    tw: TypeWriter

    @property
    def typing(self) -> set[str]:
        return self.tw.typing

    @property
    def refs(self) -> set[str]:
        return self.tw.refs

    def py(self, node: ir.TypeNode) -> str:
        match node:
            case ir.Prim():
                # Sent values: plain types (no lenient "or the raw string" of received ones).
                return TypeWriter("", False, self.enums, typing=self.tw.typing, stdlib=self.tw.stdlib).py(
                    node
                )
            case ir.ListOf(item=item):
                # Sequence, not list: a list of twins is then also a list of model-or-twin.
                self.tw.stdlib.add("from collections.abc import Sequence")
                return f"Sequence[{self.py(item)}]"
            case ir.DictOf(value=value):
                self.tw.stdlib.add("from collections.abc import Mapping")
                return f"Mapping[str, {self.py(value)}]"
            case ir.Ref(name=name, kind="enum"):
                # A StrEnum member or its plain value.
                self.refs.add(name)
                self.typing.update({"Literal", "Union"})
                values = ", ".join(repr(v) for v in self.enums[name].values)
                return f"Union[{name}, Literal[{values}]]"
            case ir.Ref(name=name):
                self.refs.add(name)
                if not has_twin(self.models[name]):
                    return name
                self.refs.add(twin_name(name))
                self.typing.add("Union")
                return f"Union[{name}, {twin_name(name)}]"
            case ir.Union(options=options):
                self.typing.add("Union")
                return f"Union[{', '.join(self.py(o) for o in options)}]"
            case ir.Nullable(inner=inner):
                self.typing.add("Optional")
                return f"Optional[{self.py(inner)}]"
            case ir.JsonString(inner=inner):
                # Sent as a JSON string, but the model encodes it: the caller passes the value.
                return self.py(inner)
            case ir.Const(value=value):
                self.typing.add("Literal")
                return f"Literal[{value!r}]"
            case _:
                assert_never(node)

    def fields(self, model: ir.Model) -> list[str]:
        out: list[str] = []
        for f in model.fields:
            if f.read_only:
                continue  # set by the server, never sent
            typ = self.py(f.type)
            if not f.required:
                self.typing.add("NotRequired")
                typ = f"NotRequired[{typ}]"
            out.append(f"{f.name}: {typ}")
        return out


def twin_modules(models: list[ir.Model]) -> dict[str, str]:
    """Twin name -> module (the model's own) for every model that has one."""
    return {twin_name(m.name): m.module for m in models if has_twin(m)}


def twin_of(
    model: ir.Model, models: dict[str, ir.Model], enums: dict[str, ir.Enum], tw: TypeWriter
) -> dict[str, object] | None:
    """What the model template needs to render the twin (its imports go into `tw`), or None."""
    if not has_twin(model):
        return None
    writer = TwinWriter(models, enums, tw)
    fields = writer.fields(model)
    if model.base:
        tw.refs.add(twin_name(model.base))
    else:
        tw.typing.add("TypedDict")
    tw.refs.discard(twin_name(model.name))
    base = twin_name(model.base) if model.base else "TypedDict"
    return {"name": twin_name(model.name), "fields": fields, "base": base}


def body_annotation(node: ir.TypeNode, py: str, models: dict[str, ir.Model]) -> str | None:
    """A body annotation accepting the twin too (`py` renders a type in the group module), or None."""
    if isinstance(node, ir.Ref) and node.kind == "model" and has_twin(models[node.name]):
        return f"{py} | models.{twin_name(node.name)}"
    return None
