"""Placeholder (being written)."""

from typing import Any

from ..wire import SimResponse


def create_policies(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})


def delete_policies(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})


def update_policies(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})
