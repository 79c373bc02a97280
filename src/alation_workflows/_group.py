"""Base of the generated operation groups: each method is one declarative call into these.

It sits above `_runtime` and the jobs overlay (job operations return handles), like openai-python's
`_resource.py`; `_runtime` never imports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._runtime.config import CallOptions
from ._runtime.operation import JobLink, Operation, operation
from ._runtime.paging import AsyncPageIterator, PageIterator

# The handle classes come from the generated groups: a program that only reads never loads jobs/.
if TYPE_CHECKING:
    from ._runtime.client import BaseClient
    from .jobs.handle import AsyncJobHandle, JobHandle

__all__ = ["Group", "operation"]


class Group:
    __slots__ = ("_sdk",)

    def __init__(self, sdk: BaseClient) -> None:
        self._sdk = sdk

    def _call(self, op: Operation, method: str, args: dict[str, Any], body: Any, opts: CallOptions) -> Any:
        return self._sdk.invoke(op, method, args, body, opts)

    async def _call_async(
        self, op: Operation, method: str, args: dict[str, Any], body: Any, opts: CallOptions
    ) -> Any:
        return await self._sdk.invoke_async(op, method, args, body, opts)

    # `handle` is the polling contract's generated handle class (typed status parameters); the
    # generated method declares the parametrised type, so the result is Any here.
    def _submit(
        self,
        op: Operation,
        method: str,
        args: dict[str, Any],
        body: Any,
        opts: CallOptions,
        handle: type[JobHandle[Any, Any]],
    ) -> Any:
        assert op.job is not None, f"{op.id} is not a job operation"
        return handle(self._sdk, op.job, self._sdk.invoke(op, method, args, body, opts), operation=op)

    async def _submit_async(
        self,
        op: Operation,
        method: str,
        args: dict[str, Any],
        body: Any,
        opts: CallOptions,
        handle: type[AsyncJobHandle[Any, Any]],
    ) -> Any:
        assert op.job is not None, f"{op.id} is not a job operation"
        submitted = await self._sdk.invoke_async(op, method, args, body, opts)
        return handle(self._sdk, op.job, submitted, operation=op)

    # Paged listings: the iterators fetch lazily, so nothing is sent here.
    def _paginate(
        self,
        op: Operation,
        method: str,
        args: dict[str, Any],
        body: Any,
        opts: CallOptions,
        max_items: int | None,
    ) -> PageIterator[Any]:
        return PageIterator(self._sdk, op, method, args, body, opts, max_items)

    def _paginate_async(
        self,
        op: Operation,
        method: str,
        args: dict[str, Any],
        body: Any,
        opts: CallOptions,
        max_items: int | None,
    ) -> AsyncPageIterator[Any]:
        return AsyncPageIterator(self._sdk, op, method, args, body, opts, max_items)

    # Hybrid operations (e.g. domain membership) answer a job handle for big requests and the finished
    # result for small ones; only a body of a handle status's model is wrapped in a handle.
    def _submit_or_result(
        self,
        op: Operation,
        method: str,
        args: dict[str, Any],
        body: Any,
        opts: CallOptions,
        handle: type[JobHandle[Any, Any]],
    ) -> Any:
        link = _link(op)
        value = self._sdk.invoke(op, method, args, body, opts)
        return handle(self._sdk, link, value, operation=op) if _is_handle(op, link, value) else value

    async def _submit_or_result_async(
        self,
        op: Operation,
        method: str,
        args: dict[str, Any],
        body: Any,
        opts: CallOptions,
        handle: type[AsyncJobHandle[Any, Any]],
    ) -> Any:
        link = _link(op)
        value = await self._sdk.invoke_async(op, method, args, body, opts)
        return handle(self._sdk, link, value, operation=op) if _is_handle(op, link, value) else value


def _link(op: Operation) -> JobLink:
    assert op.job is not None, f"{op.id} is not a job operation"
    return op.job


def _is_handle(op: Operation, link: JobLink, value: Any) -> bool:
    types = tuple(
        r.type.type for s in link.handle_statuses if (r := op.responses.get(s)) and r.type is not None
    )
    return bool(types) and isinstance(value, types)
