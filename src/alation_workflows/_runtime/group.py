"""Base of the generated operation groups: each method is one declarative call into these."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ..jobs.handle import AsyncJobHandle, JobHandle
from .config import CallOptions
from .operation import JobLink, Operation
from .paging import AsyncPageIterator, PageIterator

if TYPE_CHECKING:
    from .client import BaseClient


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


class Group:
    __slots__ = ("_sdk",)

    def __init__(self, sdk: BaseClient) -> None:
        self._sdk = sdk

    def _call(self, op: Operation, method: str, args: dict[str, Any], body: Any, opts: CallOptions) -> Any:
        return self._sdk._invoke(op, method, args, body, opts)

    async def _call_async(
        self, op: Operation, method: str, args: dict[str, Any], body: Any, opts: CallOptions
    ) -> Any:
        return await self._sdk._invoke_async(op, method, args, body, opts)

    def _submit(
        self, op: Operation, method: str, args: dict[str, Any], body: Any, opts: CallOptions
    ) -> JobHandle[Any]:
        assert op.job is not None, f"{op.id} is not a job operation"
        return JobHandle(self._sdk, op.job, self._sdk._invoke(op, method, args, body, opts), operation=op)

    async def _submit_async(
        self, op: Operation, method: str, args: dict[str, Any], body: Any, opts: CallOptions
    ) -> AsyncJobHandle[Any]:
        assert op.job is not None, f"{op.id} is not a job operation"
        submitted = await self._sdk._invoke_async(op, method, args, body, opts)
        return AsyncJobHandle(self._sdk, op.job, submitted, operation=op)

    # Paged listings: the iterators fetch lazily, so nothing is sent here.
    def _paginate(
        self, op: Operation, method: str, args: dict[str, Any], max_items: int | None, opts: CallOptions
    ) -> PageIterator[Any]:
        return PageIterator(self._sdk, op, method, args, opts, max_items)

    def _paginate_async(
        self, op: Operation, method: str, args: dict[str, Any], max_items: int | None, opts: CallOptions
    ) -> AsyncPageIterator[Any]:
        return AsyncPageIterator(self._sdk, op, method, args, opts, max_items)

    # Hybrid operations (e.g. domain membership) answer a job handle for big requests and the finished
    # result for small ones; only a body of a handle status's model is wrapped in a handle.
    def _submit_or_result(
        self, op: Operation, method: str, args: dict[str, Any], body: Any, opts: CallOptions
    ) -> Any:
        link = _link(op)
        value = self._sdk._invoke(op, method, args, body, opts)
        return JobHandle(self._sdk, link, value, operation=op) if _is_handle(op, link, value) else value

    async def _submit_or_result_async(
        self, op: Operation, method: str, args: dict[str, Any], body: Any, opts: CallOptions
    ) -> Any:
        link = _link(op)
        value = await self._sdk._invoke_async(op, method, args, body, opts)
        return AsyncJobHandle(self._sdk, link, value, operation=op) if _is_handle(op, link, value) else value


def _link(op: Operation) -> JobLink:
    assert op.job is not None, f"{op.id} is not a job operation"
    return op.job


def _is_handle(op: Operation, link: JobLink, value: Any) -> bool:
    types = tuple(
        r.type.type for s in link.handle_statuses if (r := op.responses.get(s)) and r.type is not None
    )
    return bool(types) and isinstance(value, types)
