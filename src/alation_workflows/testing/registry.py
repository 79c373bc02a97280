"""Which function answers which operation: handlers register themselves by the spec's operationId.

A handler holds behaviour only (catalog state, job results); the route, parameter and body checks
come from the generated operation table. Write one in any module of `testing/handlers/`:

    @handles("createDocuments")
    def create_documents(sim: Simulator, request: SimRequest) -> SimResponse: ...

Path parameters arrive as keyword arguments (integers where the spec says so). An operation the
spec does not describe yet is declared as such, with its route: `@simulator_only(id, method, path)`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .wire import SimResponse

Handler = Callable[..., "SimResponse"]
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Extra:
    """An operation the simulator serves that the spec does not (yet) describe."""

    method: str
    path: str  # starlette syntax: `{name}` or `{name:int}`
    public: bool = False  # answered without a TOKEN header
    like: str | None = None  # a spec operation whose parameter and body checks apply here too


HANDLERS: dict[str, Handler] = {}
EXTRAS: dict[str, Extra] = {}


def handles(operation_id: str) -> Callable[[F], F]:
    """Register the decorated function as the handler of the spec operation `operation_id`."""

    def register(func: F) -> F:
        _register(operation_id, func)
        return func

    return register


def simulator_only(
    operation_id: str, method: str, path: str, *, public: bool = False, like: str | None = None
) -> Callable[[F], F]:
    """Register a handler for an operation the spec lacks, with its own route (declared, never implied).

    `like`: the spec operation whose checks (parameters, media type, body schema) apply, e.g. for
    a path variant without the trailing slash.
    """

    def register(func: F) -> F:
        _register(operation_id, func)
        EXTRAS[operation_id] = Extra(method.upper(), path, public, like)
        return func

    return register


def _register(operation_id: str, func: Handler) -> None:
    known = HANDLERS.get(operation_id)
    if known is not None and known is not func:
        raise ValueError(f"two handlers for {operation_id!r}: {known.__qualname__} and {func.__qualname__}")
    HANDLERS[operation_id] = func


@cache
def load_handlers() -> dict[str, Handler]:
    """Import every module of `testing/handlers/` (registering their handlers) and return the registry."""
    from . import handlers

    for module in pkgutil.iter_modules(handlers.__path__):
        importlib.import_module(f"{handlers.__name__}.{module.name}")
    return HANDLERS
