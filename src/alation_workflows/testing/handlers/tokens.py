"""Placeholder (being written)."""

from typing import Any

from ..wire import SimResponse


def create_access(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})


def oauth_token(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})


def revoke(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})


def validate_access(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})


def validate_refresh(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})
