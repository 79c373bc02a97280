"""Placeholder (being written)."""

from typing import Any

from ..wire import SimResponse


def generate_csv(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})


def remove_duplicates(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})
