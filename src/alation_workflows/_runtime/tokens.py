"""Where the TOKEN header comes from: a fixed string, a callable, or a refreshing provider."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

if TYPE_CHECKING:
    from .client import BaseClient


@runtime_checkable
class TokenProvider(Protocol):
    """Supplies the TOKEN header; `renew` is called once after a 401 and says whether to retry."""

    def bind(self, client: BaseClient) -> None: ...

    def get_token(self) -> str | None: ...

    async def get_token_async(self) -> str | None: ...

    def renew(self, rejected: str | None) -> bool: ...

    async def renew_async(self, rejected: str | None) -> bool: ...


class StaticToken:
    """A fixed API access token; a 401 is final."""

    def __init__(self, token: str | None) -> None:
        self._token = token

    def __repr__(self) -> str:
        return "StaticToken(<redacted>)" if self._token else "StaticToken(None)"

    def bind(self, client: BaseClient) -> None:
        return None

    def get_token(self) -> str | None:
        return self._token

    async def get_token_async(self) -> str | None:
        return self._token

    def renew(self, rejected: str | None) -> bool:
        return False

    async def renew_async(self, rejected: str | None) -> bool:
        return False


class CallableToken:
    """Asks a callable for the token on every request; after a 401 retries if it yields a new one."""

    def __init__(self, fn: Callable[[], str | Awaitable[str]]) -> None:
        self._fn = fn

    def __repr__(self) -> str:
        return f"CallableToken({getattr(self._fn, '__name__', 'callable')})"

    def bind(self, client: BaseClient) -> None:
        return None

    def get_token(self) -> str | None:
        value = self._fn()
        if inspect.isawaitable(value):
            raise TypeError("an async token callable can only be used with the _async methods")
        return value

    async def get_token_async(self) -> str | None:
        value = self._fn()
        return await value if inspect.isawaitable(value) else value

    def renew(self, rejected: str | None) -> bool:
        return self.get_token() != rejected

    async def renew_async(self, rejected: str | None) -> bool:
        return (await self.get_token_async()) != rejected


def as_provider(token: Any) -> TokenProvider:
    if isinstance(token, TokenProvider):
        return token
    if token is None or isinstance(token, str):
        return StaticToken(token)
    if callable(token):
        return CallableToken(cast("Callable[[], str | Awaitable[str]]", token))
    raise TypeError(
        f"token must be a str, a callable returning one, or a TokenProvider; got {type(token).__name__}"
    )
