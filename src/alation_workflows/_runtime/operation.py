"""Declarative description of one operation, emitted by the generator and read by the runtime."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from pydantic import TypeAdapter

if TYPE_CHECKING:
    from .paging import Paging


class LazyType:
    """A type known by a thunk, so generated modules do not import every model at import time."""

    __slots__ = ("_thunk", "_adapter")

    def __init__(self, thunk: Callable[[], Any]) -> None:
        self._thunk = thunk
        self._adapter: TypeAdapter[Any] | None = None

    @property
    def adapter(self) -> TypeAdapter[Any]:
        # Built once and reused: building a TypeAdapter costs ~100x validating with one.
        if self._adapter is None:
            self._adapter = TypeAdapter(self._thunk())
        return self._adapter

    @property
    def type(self) -> Any:
        return self._thunk()


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    wire: str
    location: Literal["query", "path", "header"]
    type: LazyType
    required: bool = False
    # OpenAPI serialization of lists and objects: form/spaceDelimited/pipeDelimited/deepObject, simple.
    style: str = "form"
    explode: bool = True


@dataclass(frozen=True, slots=True)
class Security:
    """How the token is sent, from the spec's security scheme (e.g. `TOKEN: <t>`, `Authorization: Bearer <t>`)."""

    header: str
    prefix: str = ""

    def header_for(self, token: str) -> tuple[str, str]:
        return self.header, self.prefix + token


@dataclass(frozen=True, slots=True)
class Body:
    type: LazyType
    media: str
    required: bool = True
    # For newline-delimited JSON the items are encoded one per line.
    item_type: LazyType | None = None
    # multipart: (part, content type, filename) of each file part, from the spec's `encoding`.
    encoding: tuple[tuple[str, str, str], ...] = ()
    # The Content-Type header when it is not `media` (JSONL bodies Alation reads as application/json).
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class Response:
    type: LazyType | None
    media: str | None


Verdict = Literal["running", "successful", "partially_successful", "failed", "unknown"]


@dataclass(frozen=True, slots=True)
class JobPolling:
    """How one family of jobs reports itself (spec: `components/x-job-polling/<name>`)."""

    name: str
    status_operation: Operation
    # (verdict, JSON pointer into the status answer, casefolded values meaning it), terminal first.
    rules: tuple[tuple[Verdict, str, frozenset[str]], ...]
    message: str | None = None
    # (done, total) JSON pointers into the status answer.
    progress: tuple[str, str] | None = None
    errors_operation: Operation | None = None


@dataclass(frozen=True, slots=True)
class JobLink:
    """How a job operation's handle is polled, and which schema the job's details have."""

    polling: JobPolling
    details: LazyType
    # (parameter of the status operation, JSON pointer into the handle body), tried in order.
    sources: tuple[tuple[str, str], ...]
    # Set for hybrid operations: the statuses answering a handle; other 2XX bodies are finished results.
    handle_statuses: tuple[str, ...] = ()
    # The narrower details of a successful job (what `wait()` returns); None: `details` itself.
    succeeded: LazyType | None = None

    @property
    def status_operation(self) -> Operation:
        return self.polling.status_operation


@dataclass(frozen=True, slots=True)
class Operation:
    id: str
    method: str
    path: str
    retry: Literal["idempotent", "submit"]
    params: tuple[Param, ...] = ()
    body: Body | None = None
    responses: dict[str, Response] = field(default_factory=dict[str, Response])
    errors: dict[str, Response] = field(default_factory=dict[str, Response])
    exactly_one_of: tuple[str, ...] = ()
    job: JobLink | None = None
    batch_limit: int | None = None
    # With an object body, batching splits this list field (e.g. data quality's "values").
    batch_field: str | None = None
    # List operations: how the listing pages (the generated method returns an iterator).
    paging: Paging | None = None
    # None: the operation is sent without a token (`security: []`, e.g. the token endpoints).
    security: Security | None = None

    @property
    def secured(self) -> bool:
        return self.security is not None


F = TypeVar("F", bound=Callable[..., Any])


def operation(op: Operation) -> Callable[[F], F]:
    """Tag a generated method with the spec operation it calls (batching reads its limit from it)."""

    def tag(method: F) -> F:
        method.__alation_operation__ = op  # type: ignore[attr-defined]
        return method

    return tag


def operation_of(method: Callable[..., Any]) -> Operation | None:
    """The spec operation behind a (bound) generated method, or None for any other callable."""
    op = getattr(method, "__alation_operation__", None)
    return op if isinstance(op, Operation) else None
