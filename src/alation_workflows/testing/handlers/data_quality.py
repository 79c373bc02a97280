"""Placeholder (being written)."""

from typing import Any

from ..wire import SimResponse


def delete(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})


def post(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})
