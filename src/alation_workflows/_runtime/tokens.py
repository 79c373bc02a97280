"""Where the TOKEN header comes from: a fixed string, a callable, or a refreshing provider.

Every token is checked before it is put in a header (`check_token`): a value with surrounding
whitespace (a newline read from a file) or a control character would make the HTTP layer refuse
the header and quote it in its error and debug log. The checks' messages never contain the token.
"""

from __future__ import annotations

import inspect
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from .exceptions import InvalidTokenError

if TYPE_CHECKING:
    import asyncio

    from .client import BaseClient


def check_token(token: object, source: str) -> str:
    """`token` if it can go in a TOKEN header; else InvalidTokenError saying why, without the value."""
    if not isinstance(token, str):
        raise InvalidTokenError(f"{source} must be a str, got {type(token).__name__}")
    if not token:
        raise InvalidTokenError(f"{source} is empty")
    # Checked on every request: the common, valid case is answered by str's C methods.
    if token.isascii() and token.isprintable() and " " not in token:
        return token
    if token != token.strip():
        where = "ends" if token[-1].isspace() else "starts"
        raise InvalidTokenError(
            f"{source} {where} with whitespace (a newline read from a file?); strip it before use"
        )
    for i, char in enumerate(token):
        if not "\x21" <= char <= "\x7e":
            kind = "a non-ASCII character" if ord(char) > 0x7E else "whitespace or a control character"
            raise InvalidTokenError(f"{source} contains {kind} at position {i} (of {len(token)})")
    return token


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
        self._token = None if token is None else check_token(token, "token")

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
            if inspect.iscoroutine(value):
                value.close()  # never awaited: closing it avoids a "was never awaited" warning
            raise TypeError("an async token callable can only be used with the _async methods")
        return check_token(value, "the token callable's result")

    async def get_token_async(self) -> str | None:
        value = self._fn()
        return check_token(
            await value if inspect.isawaitable(value) else value, "the token callable's result"
        )

    def renew(self, rejected: str | None) -> bool:
        return self.get_token() != rejected

    async def renew_async(self, rejected: str | None) -> bool:
        return (await self.get_token_async()) != rejected


@dataclass(frozen=True, slots=True)
class Minted:
    """A token a provider obtained: `lifetime` in seconds (None when unknown), `expires_at` as the server said."""

    token: str
    lifetime: float | None
    expires_at: datetime | None = None

    def __repr__(self) -> str:
        return f"Minted(<redacted>, lifetime={self.lifetime}, expires_at={self.expires_at})"


class RenewingToken:
    """Base of token providers that obtain tokens from the server (refresh tokens, OAuth clients).

    Subclasses implement `_mint(client)` and `_mint_async(client)`, which send their request
    through `client.invoke` like any operation (same retries, timeouts, redirect and secret
    rules). This class caches the token, renews it `renew_before` seconds (at most a tenth of its
    life) before it expires and once after a 401, and lets one caller renew at a time across
    threads and asyncio tasks. A token without a known positive lifetime is kept until a 401.
    """

    def __init__(self, *, renew_before: float = 300.0) -> None:
        if isinstance(renew_before, bool) or not isinstance(renew_before, (int, float)):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"renew_before must be a number of seconds, got {type(renew_before).__name__}")
        if not 0 <= renew_before < float("inf"):
            raise ValueError(f"renew_before must be a finite number >= 0 seconds, got {renew_before}")
        self.renew_before = renew_before
        self._client: BaseClient | None = None
        self._token: str | None = None
        self._renew_at: float | None = None  # monotonic time after which the token is renewed
        self.expires_at: datetime | None = None  # as the server said, for display
        self.renewals = 0
        self._lock = threading.Lock()
        self._state = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    # -- for subclasses ----------------------------------------------------------------------------

    def _mint(self, client: BaseClient) -> Minted:
        raise NotImplementedError

    async def _mint_async(self, client: BaseClient) -> Minted:
        raise NotImplementedError

    # -- TokenProvider -----------------------------------------------------------------------------

    def bind(self, client: BaseClient) -> None:
        self._client = client

    def get_token(self) -> str | None:
        token = self._fresh()
        if token is not None:
            return token
        with self._lock:
            return self._fresh() or self._store(self._mint(self._bound()))

    async def get_token_async(self) -> str | None:
        token = self._fresh()
        if token is not None:
            return token
        async with self._async_lock():
            return self._fresh() or self._store(await self._mint_async(self._bound()))

    def renew(self, rejected: str | None) -> bool:
        with self._lock:
            if not self._renewed_since(rejected):
                self._store(self._mint(self._bound()))
        return True

    async def renew_async(self, rejected: str | None) -> bool:
        async with self._async_lock():
            if not self._renewed_since(rejected):
                self._store(await self._mint_async(self._bound()))
        return True

    # -- state -------------------------------------------------------------------------------------

    def _fresh(self) -> str | None:
        """The cached token if it is not due for renewal."""
        with self._state:
            if self._token is None or (self._renew_at is not None and time.monotonic() >= self._renew_at):
                return None
            return self._token

    def _renewed_since(self, rejected: str | None) -> bool:
        """Another caller already replaced the rejected token with a fresh one."""
        current = self._fresh()
        return current is not None and current != rejected

    def _async_lock(self) -> asyncio.Lock:
        import asyncio  # only async callers get here: sync-only programs never import it

        loop = asyncio.get_running_loop()
        with self._state:
            lock = self._async_locks.get(loop)
            if lock is None:
                lock = self._async_locks[loop] = asyncio.Lock()
            return lock

    def _bound(self) -> BaseClient:
        if self._client is None:
            raise RuntimeError(f"{type(self).__name__} is not bound to a client: pass it as token=...")
        return self._client

    def _store(self, minted: Minted) -> str:
        token = check_token(minted.token, "the token the server issued")
        received = time.monotonic()
        lifetime = minted.lifetime
        with self._state:
            self._token = token
            self.expires_at = minted.expires_at
            # A lifetime <= 0 (clock skew, a misconfigured server) would renew on every call: keep
            # such a token until the server rejects it instead.
            self._renew_at = (
                None
                if lifetime is None or lifetime <= 0
                else received + lifetime - min(self.renew_before, lifetime / 10)
            )
            self.renewals += 1
        return token


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
