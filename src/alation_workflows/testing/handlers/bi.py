"""Placeholder (being written)."""

from typing import Any

from ..wire import SimResponse


def create_servers(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})


def upsert_folders(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})


def upsert_report_columns(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})


def upsert_reports(sim: Any, request: Any, **params: Any) -> SimResponse:
    return SimResponse.json(501, {"detail": "not implemented yet"})
