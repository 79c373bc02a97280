"""TypedDict twins of request models (Speakeasy's convention): a plain dict type-checks as a body.

Every model that is sent gets `<Name>TypedDict` in its own module, keyed by the Python field names
(the models validate by name and by alias, so both work at run time; the twin states the one a
type checker knows). Nested models accept either the model or its twin, and operation signatures
accept either for the body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import assert_never

from . import ir

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
    typing: set[str] = field(default_factory=set)
    abc: set[str] = field(default_factory=set)
    refs: set[str] = field(default_factory=set)

    def py(self, node: ir.TypeNode) -> str:
        match node:
            case ir.Prim(name=name):
                if name == "Any":
                    self.typing.add("Any")
                return name
            case ir.ListOf(item=item):
                # Sequence, not list: a list of twins is then also a list of model-or-twin.
                self.abc.add("Sequence")
                return f"Sequence[{self.py(item)}]"
            case ir.DictOf(value=value):
                self.abc.add("Mapping")
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
        out = []
        for f in model.fields:
            typ = self.py(f.type)
            if not f.required:
                self.typing.add("NotRequired")
                typ = f"NotRequired[{typ}]"
            out.append(f"{f.name}: {typ}")
        return out


def body_annotation(node: ir.TypeNode, py: str, models: dict[str, ir.Model]) -> str | None:
    """A body annotation accepting the twin too (`py` renders a type in the group module), or None."""
    if isinstance(node, ir.Ref) and node.kind == "model" and has_twin(models[node.name]):
        return f"{py} | models.{twin_name(node.name)}"
    return None
