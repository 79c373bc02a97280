"""Render IR type trees as Python annotations (collecting the imports they need)."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import ir

_STDLIB = {
    "datetime": "from datetime import datetime",
    "date": "from datetime import date",
    "UUID": "from uuid import UUID",
}


def stdlib_imports(lines: set[str]) -> list[str]:
    """`from datetime import date, datetime` style lines, sorted."""
    by_module: dict[str, list[str]] = {}
    for line in lines:
        _, module, _, name = line.split()
        by_module.setdefault(module, []).append(name)
    return [f"from {m} import {', '.join(sorted(n))}" for m, n in sorted(by_module.items())]


# Lax pydantic would coerce these from other JSON types ("0" -> 0, true -> 1.0).
_EXACT = frozenset({"int", "float", "bool"})


@dataclass
class TypeWriter:
    """Renders types for one output module; `models_prefix` is "" inside models/, "models." elsewhere."""

    models_prefix: str
    open_enums: bool
    enums: dict[str, ir.Enum]
    typing: set[str] = field(default_factory=set[str])
    runtime: set[str] = field(default_factory=set[str])
    refs: set[str] = field(default_factory=set[str])
    stdlib: set[str] = field(default_factory=set[str])

    def py(self, node: ir.TypeNode) -> str:
        if isinstance(node, ir.Prim):
            if node.name == "Any":
                self.typing.add("Any")
            if node.name in _STDLIB:
                self.stdlib.add(_STDLIB[node.name])
                if self.open_enums:
                    # Read leniently: a value that does not parse stays the string the server sent.
                    self.typing.update({"Annotated", "Union"})
                    self.runtime.add("ORDERED")
                    return f"Annotated[Union[{node.name}, str], ORDERED]"
            return node.name
        if isinstance(node, ir.ListOf):
            return f"list[{self.py(node.item)}]"
        if isinstance(node, ir.DictOf):
            return f"dict[str, {self.py(node.value)}]"
        if isinstance(node, ir.Ref):
            self.refs.add(node.name)
            name = self.models_prefix + node.name
            if node.kind == "enum" and self.open_enums and self.enums[node.name].open:
                # Open enum: a known value becomes the member, an unknown one stays a str.
                self.typing.update({"Annotated", "Union"})
                self.runtime.add("ORDERED")
                return f"Annotated[Union[{name}, str], ORDERED]"
            return name
        if isinstance(node, ir.Union):
            inner = ", ".join(self._member(o, node.ordered) for o in node.options)
            self.typing.add("Union")
            if node.ordered:
                self.typing.add("Annotated")
                self.runtime.add("ORDERED")
                return f"Annotated[Union[{inner}], ORDERED]"
            return f"Union[{inner}]"
        if isinstance(node, ir.Nullable):
            self.typing.add("Optional")
            return f"Optional[{self.py(node.inner)}]"
        if isinstance(node, ir.JsonString):
            self.typing.add("Annotated")
            self.runtime.update({"JSON_DECODE", "JSON_ENCODE"})
            return f"Annotated[{self.py(node.inner)}, JSON_DECODE, JSON_ENCODE]"
        # Const, the last kind of TypeNode: the type checkers prove no other node reaches here.
        self.typing.add("Literal")
        return f"Literal[{node.value!r}]"

    def _member(self, node: ir.TypeNode, ordered: bool) -> str:
        """A union member; in a first-fit union a number or boolean takes only its own JSON type."""
        if ordered and isinstance(node, ir.Prim) and node.name in _EXACT:
            self.typing.add("Annotated")
            self.runtime.add("EXACT")
            return f"Annotated[{node.name}, EXACT]"
        return self.py(node)

    def constrained(self, node: ir.TypeNode, constraints: dict[str, object]) -> str:
        base = self.py(node)
        if not constraints:
            return base
        self.typing.add("Annotated")
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(constraints.items()))
        return f"Annotated[{base}, Field({args})]"


def doc_type(node: ir.TypeNode, link: str | None = "") -> str:
    """A human-readable type for docs: models and enums link to their page under `link` (None: no link)."""
    if isinstance(node, ir.Prim):
        return {"None": "null"}.get(node.name, node.name)
    if isinstance(node, ir.ListOf):
        return f"list[{doc_type(node.item, link)}]"
    if isinstance(node, ir.DictOf):
        return f"dict[str, {doc_type(node.value, link)}]"
    if isinstance(node, ir.Ref):
        return f"[{node.name}]({link}{node.name.lower()}.md)" if link is not None else node.name
    if isinstance(node, ir.Union):
        return " \\| ".join(doc_type(o, link) for o in node.options)
    if isinstance(node, ir.Nullable):
        return f"{doc_type(node.inner, link)} \\| null"
    if isinstance(node, ir.JsonString):
        return f"JSON string of {doc_type(node.inner, link)}"
    # Const, the last kind of TypeNode (as in TypeWriter.py).
    return f"`{node.value!r}`"
