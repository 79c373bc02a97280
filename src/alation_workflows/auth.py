"""`RefreshTokenAuth`: API access tokens made from a refresh token, renewed before expiry and after a 401.

```python
from alation_workflows import Workflows
from alation_workflows.auth import RefreshTokenAuth

with Workflows(server_url=url, token=RefreshTokenAuth(refresh_token, user_id=7)) as wf:
    ...  # a wait longer than the access token's life (24 h by default) keeps working
```
The refresh token is only ever sent in the body of `POST /integration/v1/createAPIAccessToken/`;
it is kept out of every repr, log line and exception.
"""

from __future__ import annotations

import base64
import threading
import time
import weakref
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from ._runtime.config import CallOptions
from ._runtime.exceptions import WorkflowsError
from ._runtime.redact import log_request, log_response
from ._runtime.retries import next_delay

if TYPE_CHECKING:
    import asyncio

    from ._runtime.client import BaseClient

TOKEN_PATH = "/integration/v1/createAPIAccessToken/"
# Statuses that say the token request was not processed: safe to send again.
_RETRY_STATUSES = frozenset({429, 502, 503, 504})
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class RefreshTokenError(WorkflowsError):
    """Alation would not create an API access token from the refresh token.

    `status_code` (None for a network failure), Alation's `code` (e.g. "401000") and `detail`
    (e.g. "Refresh token provided is invalid.") say why; the refresh token is never included.
    """

    def __init__(
        self, message: str, *, status_code: int | None, code: str | None, detail: str | None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.detail = detail


class _Secret:
    """Holds the refresh token so that printing the holder never shows it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<redacted>"


class RefreshTokenAuth:
    """A `TokenProvider`: creates an API access token from a refresh token and keeps it fresh.

    The token is cached, renewed `renew_before` seconds (at most a tenth of its life) before
    `token_expires_at`, and renewed once after a 401 (the runtime then retries the request).
    Safe to share between threads and asyncio tasks: one renewal at a time, others reuse it.
    """

    def __init__(self, refresh_token: str, user_id: int, *, renew_before: float = 300.0) -> None:
        if not isinstance(refresh_token, str) or not refresh_token.strip():
            raise ValueError("refresh_token must be a non-empty string")
        if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id < 1:
            raise ValueError(f"user_id must be a positive integer, got {user_id!r}")
        if renew_before < 0:
            raise ValueError(f"renew_before must be >= 0 seconds, got {renew_before}")
        self._refresh = _Secret(refresh_token)
        self.user_id = user_id
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

    def __repr__(self) -> str:
        state = "no access token yet" if self._token is None else f"access token until {self.expires_at}"
        return f"RefreshTokenAuth(user_id={self.user_id}, {state})"

    # -- TokenProvider ---------------------------------------------------------------------------

    def bind(self, client: BaseClient) -> None:
        self._client = client

    def get_token(self) -> str | None:
        token = self._fresh()
        if token is not None:
            return token
        with self._lock:
            return self._fresh() or self._create()

    async def get_token_async(self) -> str | None:
        token = self._fresh()
        if token is not None:
            return token
        async with self._async_lock():
            return self._fresh() or await self._create_async()

    def renew(self, rejected: str | None) -> bool:
        with self._lock:
            if not self._renewed_since(rejected):
                self._create()
        return True

    async def renew_async(self, rejected: str | None) -> bool:
        async with self._async_lock():
            if not self._renewed_since(rejected):
                await self._create_async()
        return True

    # -- state -----------------------------------------------------------------------------------

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
            raise RuntimeError("RefreshTokenAuth is not bound to a client: pass it as Workflows(token=...)")
        return self._client

    def _store(self, body: Any, received: float) -> str:
        token, lifetime, expires = _parse(body, self.user_id)
        with self._state:
            self._token = token
            self.expires_at = expires
            self._renew_at = (
                None if lifetime is None else received + lifetime - min(self.renew_before, lifetime / 10)
            )
            self.renewals += 1
        return token

    # -- the token request -----------------------------------------------------------------------

    def _request(self, client: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        bound = self._bound()
        return client.build_request(
            "POST",
            bound.server_url + TOKEN_PATH,
            json={"refresh_token": self._refresh.value, "user_id": self.user_id},
            headers={"Accept": "application/json", "User-Agent": bound.USER_AGENT},
            # Bounded even on a user's client without a timeout; redirects are never followed
            # (send below) so the refresh token in the body cannot be re-posted to another origin.
            timeout=bound.timeout_ms / 1000,
        )

    def _create(self) -> str:
        bound = self._bound()
        client = bound.http_client
        attempt = 0
        while True:
            attempt += 1
            request = self._request(client)
            log_request(request, attempt)
            t0 = time.perf_counter()
            failure: str | None = None
            response: httpx.Response | None = None
            try:
                response = client.send(request, follow_redirects=False)
            except httpx.TransportError as exc:
                failure = f"{type(exc).__name__}: {exc}"
                retry = isinstance(exc, _NOT_SENT)
            else:
                log_response(response, time.perf_counter() - t0)
                retry = response.status_code in _RETRY_STATUSES
            delay = _retry_delay(bound, attempt, retry, response)
            if delay is not None:
                time.sleep(delay)
                continue
            if response is None:
                raise _network_error(failure or "no response", self.user_id)
            return self._store(_checked(response, self.user_id, self._refresh.value), time.monotonic())

    async def _create_async(self) -> str:
        bound = self._bound()
        client = bound.async_http_client
        attempt = 0
        while True:
            attempt += 1
            request = self._request(client)
            log_request(request, attempt)
            t0 = time.perf_counter()
            failure: str | None = None
            response: httpx.Response | None = None
            try:
                response = await client.send(request, follow_redirects=False)
            except httpx.TransportError as exc:
                failure = f"{type(exc).__name__}: {exc}"
                retry = isinstance(exc, _NOT_SENT)
            else:
                log_response(response, time.perf_counter() - t0)
                retry = response.status_code in _RETRY_STATUSES
            delay = _retry_delay(bound, attempt, retry, response)
            if delay is not None:
                import asyncio  # as above: only on the async path

                await asyncio.sleep(delay)
                continue
            if response is None:
                raise _network_error(failure or "no response", self.user_id)
            return self._store(_checked(response, self.user_id, self._refresh.value), time.monotonic())


def _retry_delay(
    client: BaseClient, attempt: int, retry: bool, response: httpx.Response | None
) -> float | None:
    config = client.retry_config
    if not retry or config.strategy == "none" or attempt >= config.max_attempts:
        return None
    return next_delay(config, attempt, response)  # honours Retry-After when the server sent one


def _network_error(reason: str, user_id: int) -> RefreshTokenError:
    # Built outside the except block so no exception holding the request body is chained.
    return RefreshTokenError(
        f"could not reach the token endpoint to create an API access token for user_id={user_id}: {reason}",
        status_code=None,
        code=None,
        detail=None,
    )


def _checked(response: httpx.Response, user_id: int, secret: str) -> Any:
    """The JSON body of a successful token response, or a RefreshTokenError naming Alation's reason."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code == 200 and isinstance(body, dict) and body.get("status") != "failed":
        return body
    detail = body.get("detail") if isinstance(body, dict) else None
    code = body.get("code") if isinstance(body, dict) else None
    if isinstance(detail, str):
        detail = detail.replace(secret, "<redacted>")  # should the server echo the refresh token
    reason = (
        detail
        if isinstance(detail, str)
        else (response.text[:200].replace(secret, "<redacted>") or "no reason given")
    )
    raise RefreshTokenError(
        f"Alation refused to create an API access token for user_id={user_id}: {reason} "
        f"(HTTP {response.status_code}{f', code {code}' if code else ''})",
        status_code=response.status_code,
        code=str(code) if code is not None else None,
        detail=detail if isinstance(detail, str) else None,
    )


def _parse(body: dict[str, Any], user_id: int) -> tuple[str, float | None, datetime | None]:
    """(access token, lifetime in seconds or None when unknown, server's expiry time)."""
    token = body.get("api_access_token")
    if not isinstance(token, str) or not token:
        raise RefreshTokenError(
            f"the token endpoint answered without an api_access_token for user_id={user_id} "
            f"(keys: {sorted(body)})",
            status_code=200,
            code=None,
            detail=None,
        )
    status = body.get("token_status")
    if isinstance(status, str) and status.upper() != "ACTIVE":
        raise RefreshTokenError(
            f"the token endpoint returned an access token with status {status!r} for user_id={user_id}",
            status_code=200,
            code=None,
            detail=None,
        )
    expires = _when(body.get("token_expires_at"))
    created = _when(body.get("created_at"))
    if expires is None:
        return token, None, None
    # Lifetime by the server's own clock, so a skewed local clock does not matter.
    start = created if created is not None else datetime.now(UTC)
    return token, max(0.0, (expires - start).total_seconds()), expires


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


class ClientCredentialsAuth:
    """A `TokenProvider` for OAuth clients: a JWT from `POST /oauth/v2/token/` (client credentials).

    The token is requested through the SDK's own `createOAuthToken` operation (the runtime's
    retries, timeouts and error types apply), cached, renewed `renew_before` seconds (at most a
    tenth of its life) before `expires_in` runs out, and renewed once after a 401. With
    `basic=True` the id and secret go as HTTP Basic auth instead of in the form body. The
    secret is kept out of every repr. Safe to share between threads and asyncio tasks.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        basic: bool = False,
        renew_before: float = 60.0,
    ) -> None:
        for name, value in (("client_id", client_id), ("client_secret", client_secret)):
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{name} must be a non-empty string")
        if renew_before < 0:
            raise ValueError(f"renew_before must be >= 0 seconds, got {renew_before}")
        self.client_id = client_id
        self._secret = _Secret(client_secret)
        self.scope = scope
        self.basic = basic
        self.renew_before = renew_before
        self.renewals = 0
        self._client: BaseClient | None = None
        self._token: str | None = None
        self._renew_at: float | None = None
        self._lock = threading.Lock()
        self._state = threading.Lock()
        self._async_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth(client_id={self.client_id!r}, renewals={self.renewals})"

    def bind(self, client: BaseClient) -> None:
        self._client = client

    def get_token(self) -> str | None:
        token = self._fresh()
        if token is not None:
            return token
        with self._lock:
            return self._fresh() or self._store(*self._call())

    async def get_token_async(self) -> str | None:
        token = self._fresh()
        if token is not None:
            return token
        async with self._async_lock():
            return self._fresh() or self._store(*await self._call_async())

    def renew(self, rejected: str | None) -> bool:
        with self._lock:
            if self._fresh() in (None, rejected):
                self._store(*self._call())
        return True

    async def renew_async(self, rejected: str | None) -> bool:
        async with self._async_lock():
            if self._fresh() in (None, rejected):
                self._store(*await self._call_async())
        return True

    def _fresh(self) -> str | None:
        with self._state:
            if self._token is None or (self._renew_at is not None and time.monotonic() >= self._renew_at):
                return None
            return self._token

    def _store(self, answer: Any, received: float) -> str:
        token, lifetime = answer.access_token, answer.expires_in
        if not isinstance(token, str) or not token:
            raise WorkflowsError(
                f"the OAuth token endpoint sent no access_token for client {self.client_id!r}"
            )
        with self._state:
            self._token = token
            self._renew_at = (
                None if lifetime is None else received + lifetime - min(self.renew_before, lifetime / 10)
            )
            self.renewals += 1
        return token

    def _arguments(self) -> tuple[Any, Any, Any]:
        client = self._client
        if client is None:
            raise RuntimeError(
                "ClientCredentialsAuth is not bound to a client: pass it as Workflows(token=...)"
            )
        op = client.operations["createOAuthToken"]
        assert op.body is not None
        form: dict[str, str] = {"grant_type": "client_credentials"}
        headers: dict[str, str] = {}
        if self.basic:
            pair = f"{self.client_id}:{self._secret.value}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        else:
            form |= {"client_id": self.client_id, "client_secret": self._secret.value}
        if self.scope:
            form["scope"] = self.scope
        return op, op.body.type.adapter.validate_python(form), CallOptions(http_headers=headers or None)

    def _call(self) -> tuple[Any, float]:
        op, body, opts = self._arguments()
        answer = self._bound().invoke(op, "create_o_auth_token", {}, body, opts)
        return answer, time.monotonic()

    async def _call_async(self) -> tuple[Any, float]:
        op, body, opts = self._arguments()
        answer = await self._bound().invoke_async(op, "create_o_auth_token", {}, body, opts)
        return answer, time.monotonic()

    def _bound(self) -> BaseClient:
        assert self._client is not None
        return self._client

    def _async_lock(self) -> asyncio.Lock:
        import asyncio  # only async callers get here

        loop = asyncio.get_running_loop()
        with self._state:
            lock = self._async_locks.get(loop)
            if lock is None:
                lock = self._async_locks[loop] = asyncio.Lock()
            return lock
