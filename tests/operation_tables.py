"""A changed copy of the simulator's operation table, for tests showing that a spec change flows
into the simulator without touching the committed spec (a pytest plugin: see conftest.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alation_workflows.testing import fields, routes, validation


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A copy of the operation table to change; the simulator reads it once `use_table` is called."""
    copy: dict[str, Any] = json.loads(routes.TABLE.read_text(encoding="utf-8"))
    yield copy
    monkeypatch.undo()
    forget_table()


def forget_table() -> None:
    """Drops everything the simulator derived from the table it read last."""
    routes.operation_table.cache_clear()
    routes.routes.cache_clear()
    validation._registry.cache_clear()  # pyright: ignore[reportPrivateUsage]
    validation._cached_validator.cache_clear()  # pyright: ignore[reportPrivateUsage]
    fields.clear_cache()


def use_table(table: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Makes the simulator read `table` instead of the generated one (until the test ends)."""
    changed = tmp_path / "operations.json"
    changed.write_text(json.dumps(table), encoding="utf-8")
    monkeypatch.setattr(routes, "TABLE", changed)
    forget_table()
