"""A tiny pretty printer for snippet arguments: one line when it fits, else one item per line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .raw import is_arr, is_obj

WIDTH = 100


@dataclass
class Atom:
    text: str


@dataclass
class Seq:
    open: str
    close: str
    items: list[tuple[str, Doc]]


Doc = Atom | Seq


def flat(d: Doc) -> str:
    if isinstance(d, Atom):
        return d.text
    return d.open + ", ".join(p + flat(x) for p, x in d.items) + d.close


def fmt(d: Doc, indent: int) -> str:
    pad = " " * indent
    line = flat(d)
    if isinstance(d, Atom) or len(pad + line) <= WIDTH or not d.items:
        return pad + line
    inner = [fmt(x, indent + 4).lstrip() for _, x in d.items]
    lines = [f"{pad}    {p}{x}," for (p, _), x in zip(d.items, inner, strict=True)]
    return f"{pad}{d.open}\n" + "\n".join(lines) + f"\n{pad}{d.close}"


def literal(v: Any) -> str:
    return flat(plain(v))


def plain(v: Any) -> Doc:
    if is_obj(v):
        return Seq("{", "}", [(f"{json.dumps(k, ensure_ascii=False)}: ", plain(x)) for k, x in v.items()])
    if is_arr(v):
        return Seq("[", "]", [("", plain(x)) for x in v])
    if isinstance(v, str):
        return Atom(json.dumps(v, ensure_ascii=False))
    return Atom(repr(v))
