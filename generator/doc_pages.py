"""What a reference-docs page is made of: the page record, its table rows and cells, its file name."""

from __future__ import annotations

import re
from typing import NotRequired, TypedDict

from .errors import SpecError

# A field row of a type's page: name, type, required, description, example (or default).
Row = tuple[str, str, bool, str, str]


class Page(TypedDict):
    """What docs_model.md.jinja renders for one model, enum or option type."""

    file: str
    title: str
    import_path: str
    description: str
    notes: list[str]
    fields: list[Row] | None
    values: list[tuple[str, str]] | None
    example: str | None
    default_column: NotRequired[str]


class DocsError(SpecError):
    """The docs cannot be rendered (e.g. the README lost a generated-section marker)."""


def page_file(name: str) -> str:
    return f"{name.lower()}.md"


def cell(text: str) -> str:
    # Newlines would end the table row; a bare "|" would split the cell (doc_type's "\\|" stays).
    return re.sub(r"(?<!\\)\|", r"\\|", re.sub(r"\s*\n\s*", " ", str(text))).strip()
