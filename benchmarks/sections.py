"""The hook for comparisons kept in their own module (e.g. bulk memory): list the module here.

A listed module defines `SECTION = Section(...)`. `python -m benchmarks` runs it after the
built-in comparisons, with both loopback servers up, stores what `run` returns under `name` in
results.json (plus timing and load average), appends `markdown(results)` to report.md and
`summary(results)` rows (comparison, target, measured, verdict) to the summary table.
`--only NAME` selects it like any other section.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Modules (importable names) whose SECTION joins the run, in this order.
EXTRA_MODULES: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    sim: Any  # servers.ServerProcess of the simulator: .url, .command(op=...)
    stub: Any  # servers.ServerProcess of the ttd-shaped stub
    quick: bool  # the smoke-test run: keep sizes tiny


@dataclass(frozen=True)
class Section:
    name: str
    run: Callable[[Context], dict[str, Any]]
    markdown: Callable[[dict[str, Any]], list[str]] | None = None
    summary: Callable[[dict[str, Any]], list[list[Any]]] | None = None


def extra_sections() -> list[Section]:
    return [importlib.import_module(m).SECTION for m in EXTRA_MODULES]
