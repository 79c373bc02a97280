"""Lazy readers of bulk input files: one item at a time, so memory stays bounded for any file size.

A line or row that cannot be read becomes an `Unreadable` item instead of stopping the run:
`submit_batches` reports it with its input index alongside every other invalid item, before
anything is sent.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Unreadable:
    """An input line that could not be parsed; `message` says where and why."""

    message: str


def read_jsonl(path: str | os.PathLike[str]) -> Iterator[Any]:
    """Yield one item per non-blank line of a JSON Lines file."""
    with Path(path).open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except ValueError as exc:
                yield Unreadable(f"{path}:{number}: not valid JSON ({exc})")


def _cell(text: str) -> Any:
    # A cell holding a JSON list or object (e.g. "[1, 2]" for ids) is decoded; scalars stay strings
    # and the operation's schema converts them ("7" -> 7 for an integer field).
    stripped = text.strip()
    if stripped[:1] in ("[", "{"):
        try:
            return json.loads(stripped)
        except ValueError:
            return text
    return text


def read_csv(path: str | os.PathLike[str]) -> Iterator[Any]:
    """Yield one dict per CSV row, keyed by the header row; empty cells are left out."""
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return
        names = [h.strip() for h in header]
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                yield Unreadable(
                    f"{path}:{reader.line_num}: {len(row)} cells but the header has {len(names)} columns"
                )
                continue
            yield {n: _cell(c) for n, c in zip(names, row, strict=True) if c != ""}


def read_items(path: str | os.PathLike[str]) -> Iterator[Any]:
    """`read_jsonl` or `read_csv`, chosen by the file's extension (.jsonl/.ndjson or .csv)."""
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return read_jsonl(path)
    if suffix == ".csv":
        return read_csv(path)
    raise ValueError(f"cannot tell the format of {path}: use a .jsonl or .csv file")
