"""Base of the generated operation groups: each method is one declarative call into these."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..jobs.handle import AsyncJobHandle, JobHandle
from .config import CallOptions
from .operation import Operation

if TYPE_CHECKING:
    from .client import BaseClient


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
