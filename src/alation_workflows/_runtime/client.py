"""The base client: owns the httpx clients and runs one operation call, sync or async."""

from __future__ import annotations

import ipaddress
import logging
import math
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

from .config import CallOptions, PollConfig, RetryConfig
from .exceptions import NetworkError
from .operation import LazyType, Operation
from .paging import PageRequest
from .redact import log_request, log_response, logger
from .redirects import MAX_REDIRECTS, next_request
from .request import build_request, check_arguments, encode_body
from .response import handle_response
from .retries import never_sent, next_delay, retryable_exception, retryable_status, should_retry
from .tokens import TokenProvider, as_provider


@dataclass(slots=True)
class _Call:
    """One operation call: everything that does not do I/O, shared by the sync and async loops."""

    op: Operation
    values: dict[str, Any]
    content: dict[str, Any]
    media: str | None
    base_url: str
    headers: dict[str, str]
    timeout_s: float
    retry: RetryConfig
    override: LazyType | None
    started: float
    page: PageRequest | None = None
    attempt: int = 0
    renewed: bool = False
    hops: int = 0

    def request(self, client: httpx.Client | httpx.AsyncClient, token: str | None) -> httpx.Request:
        self.attempt += 1
        self.hops = 0
        if self.page is not None and self.page.url is not None:
            headers = dict(self.headers)
            if token and self.op.security is not None:
                name, value = self.op.security.header_for(token)
                headers[name] = value
            # A next-page URL from the server (already checked to be on this origin) is sent as given.
            if self.media is not None:
                headers["Content-Type"] = self.media
            request = client.build_request(
                self.op.method, self.page.url, headers=headers, timeout=self.timeout_s, **self.content
            )
        else:
            request = build_request(
                client,
                self.op,
                self.base_url,
                self.values,
                self.content,
                self.media,
                dict(self.headers),
                self.timeout_s,
                token,
            )
        log_request(request, self.attempt)
        return request

    def redirect(
        self, client: httpx.Client | httpx.AsyncClient, response: httpx.Response
    ) -> httpx.Request | None:
        """The next hop of a redirect (credentials dropped across origins), or None to stop here."""
        if self.hops >= MAX_REDIRECTS:
            return None
        request = next_request(client, response)
        if request is not None:
            self.hops += 1
            log_request(request, self.attempt)
        return request

    def delay_after_exception(self, exc: BaseException) -> float | None:
        """Seconds to sleep before retrying after a transport error, or None to give up."""
        if not isinstance(exc, httpx.TransportError) or not retryable_exception(
            self.op.retry, self.retry, exc
        ):
            return None
        delay = next_delay(self.retry, self.attempt, None)
        return delay if should_retry(self.retry, self.attempt, self.started, delay) else None

    def network_error(self, exc: BaseException) -> NetworkError:
        maybe = not never_sent(exc)
        warn = " (not retried: the server may have accepted it; check before submitting again)"
        message = f"{self.op.id}: {self.op.method} {self.op.path} failed"
        if maybe and self.op.retry == "submit":
            message += warn
        return NetworkError(message, attempts=self.attempt, cause=exc, maybe_processed=maybe)

    def wants_renewal(self, response: httpx.Response) -> bool:
        return response.status_code == 401 and self.op.secured and not self.renewed

    def delay_after_response(self, response: httpx.Response) -> float | None:
        if not retryable_status(self.op.retry, response.status_code):
            return None
        delay = next_delay(self.retry, self.attempt, response)
        return delay if should_retry(self.retry, self.attempt, self.started, delay) else None

    def finish(self, response: httpx.Response) -> Any:
        if self.page is not None:
            self.page.headers = response.headers
        return handle_response(self.op, response, self.attempt, self.override)


async def _sleep(seconds: float) -> None:
    import asyncio  # loaded on the first async retry: sync-only programs never import it

    await asyncio.sleep(seconds)


class BaseClient:
    """Shared behaviour of the generated client class; settings come from the generated subclass.

    Transport security: the httpx clients it creates verify TLS and never follow redirects
    themselves; the SDK follows up to 5 redirects (307/308 for any method, 301/302/303 for GET
    only) and drops TOKEN, Authorization and Cookie when a hop leaves the origin. A user-supplied
    `client` / `async_client` keeps its own TLS, proxy and timeout settings, but its
    `follow_redirects` is overridden per request and every request carries the SDK's timeout.
    """

    DEFAULT_RETRY: RetryConfig = RetryConfig()
    DEFAULT_TIMEOUT_MS: int = 30_000
    DEFAULT_POLL: PollConfig = PollConfig()
    USER_AGENT: str = "sdk-python"
    # An example server URL for error messages (the generated subclass sets its service's).
    SERVER_EXAMPLE: str = "https://api.example.com"

    def __init__(
        self,
        *,
        server_url: str,
        token: str | Any = None,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        retry_config: RetryConfig | None = None,
        timeout_ms: int | None = None,
        poll_config: PollConfig | None = None,
        debug_logger: logging.Logger | None = None,
    ) -> None:
        # Checked at run time for untyped callers, which the static checker cannot see.
        if not server_url or not isinstance(server_url, str):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ValueError(f"server_url is required, e.g. {self.SERVER_EXAMPLE!r}")
        parts = urlsplit(server_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"server_url must be an http(s) URL with a host, got {server_url!r}")
        if parts.scheme == "http" and not _is_loopback(parts.hostname or ""):
            warnings.warn(
                f"server_url {server_url!r} uses plain http: the token would cross the network unencrypted",
                stacklevel=3,
            )
            logger.warning("server_url uses plain http to a non-loopback host; the token is sent unencrypted")
        self.server_url = server_url.rstrip("/")
        self.retry_config = retry_config or self.DEFAULT_RETRY
        self.timeout_ms = _check_timeout(timeout_ms) if timeout_ms is not None else self.DEFAULT_TIMEOUT_MS
        self.poll_config = poll_config or self.DEFAULT_POLL
        self._auth: TokenProvider = as_provider(token)
        self._client = client
        self._async_client = async_client
        self._owns_client = client is None
        self._owns_async_client = async_client is None
        self._base_headers = {"Accept": "application/json", "User-Agent": self.USER_AGENT}
        if debug_logger is not None:
            _forward_to(debug_logger)
        self._auth.bind(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(server_url={self.server_url!r})"

    # -- httpx clients -------------------------------------------------------------------------

    @property
    def http_client(self) -> httpx.Client:
        if self._client is None:
            # httpx must not follow redirects: it would forward TOKEN to another origin (see redirects.py).
            self._client = httpx.Client(follow_redirects=False, timeout=self.timeout_ms / 1000)
        return self._client

    @property
    def async_http_client(self) -> httpx.AsyncClient:
        if self._async_client is None:
            self._async_client = httpx.AsyncClient(follow_redirects=False, timeout=self.timeout_ms / 1000)
        return self._async_client

    def close(self) -> None:
        if self._owns_client and self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        if self._owns_async_client and self._async_client is not None:
            await self._async_client.aclose()
            self._async_client = None
        self.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    # -- one call ------------------------------------------------------------------------------

    def _prepare(
        self,
        op: Operation,
        method: str,
        args: Mapping[str, Any],
        body: Any,
        opts: CallOptions,
        override: LazyType | None,
        page: PageRequest | None = None,
    ) -> _Call:
        values = check_arguments(op, method, args)
        content, media = encode_body(op, body)
        headers = self._base_headers
        if opts.http_headers:
            headers = {**headers, **opts.http_headers}
        timeout_ms = _check_timeout(opts.timeout_ms) if opts.timeout_ms is not None else self.timeout_ms
        return _Call(
            op=op,
            values=values,
            content=content,
            media=media,
            base_url=opts.server_url.rstrip("/") if opts.server_url else self.server_url,
            headers=headers,
            timeout_s=timeout_ms / 1000,
            retry=opts.retries or self.retry_config,
            override=override,
            started=time.monotonic(),
            page=page,
        )

    @property
    def operations(self) -> Mapping[str, Operation]:
        """This SDK's operations by operationId; the generated client returns its generated table."""
        return {}

    def invoke(
        self,
        op: Operation,
        method: str,
        args: Mapping[str, Any],
        body: Any = None,
        opts: CallOptions = CallOptions(),
        override: LazyType | None = None,
        page: PageRequest | None = None,
    ) -> Any:
        call = self._prepare(op, method, args, body, opts, override, page)
        client = self.http_client
        while True:
            # No token is fetched for `security: []` operations (the token calls a provider itself makes).
            token = self._auth.get_token() if op.secured else None
            request = call.request(client, token)
            try:
                response = _send(client, call, request)
            except httpx.RequestError as exc:
                delay = call.delay_after_exception(exc)
                if delay is None:
                    raise call.network_error(exc) from exc
                time.sleep(delay)
                continue
            if call.wants_renewal(response) and self._auth.renew(token):
                call.renewed = True
                response.close()
                continue
            delay = call.delay_after_response(response)
            if delay is not None:
                response.close()
                time.sleep(delay)
                continue
            return call.finish(response)

    async def invoke_async(
        self,
        op: Operation,
        method: str,
        args: Mapping[str, Any],
        body: Any = None,
        opts: CallOptions = CallOptions(),
        override: LazyType | None = None,
        page: PageRequest | None = None,
    ) -> Any:
        call = self._prepare(op, method, args, body, opts, override, page)
        client = self.async_http_client
        while True:
            token = await self._auth.get_token_async() if op.secured else None
            request = call.request(client, token)
            try:
                response = await _send_async(client, call, request)
            except httpx.RequestError as exc:
                delay = call.delay_after_exception(exc)
                if delay is None:
                    raise call.network_error(exc) from exc
                await _sleep(delay)
                continue
            if call.wants_renewal(response) and await self._auth.renew_async(token):
                call.renewed = True
                await response.aclose()
                continue
            delay = call.delay_after_response(response)
            if delay is not None:
                await response.aclose()
                await _sleep(delay)
                continue
            return call.finish(response)


def _send(client: httpx.Client, call: _Call, request: httpx.Request) -> httpx.Response:
    """Send one attempt, following redirects ourselves (a user's client may have them enabled)."""
    while True:
        t0 = time.perf_counter()
        response = client.send(request, follow_redirects=False)
        log_response(response, time.perf_counter() - t0)
        nxt = call.redirect(client, response)
        if nxt is None:
            return response
        response.close()
        request = nxt


async def _send_async(client: httpx.AsyncClient, call: _Call, request: httpx.Request) -> httpx.Response:
    while True:
        t0 = time.perf_counter()
        response = await client.send(request, follow_redirects=False)
        log_response(response, time.perf_counter() - t0)
        nxt = call.redirect(client, response)
        if nxt is None:
            return response
        await response.aclose()
        request = nxt


def _check_timeout(timeout_ms: float) -> float:
    # A timeout of 0, below 0, NaN or infinity would mean "fail at once" or "wait forever".
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, (int, float)):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"timeout_ms must be a number of milliseconds, got {type(timeout_ms).__name__}")
    if not math.isfinite(timeout_ms) or timeout_ms <= 0:
        raise ValueError(f"timeout_ms must be a finite number > 0, got {timeout_ms}")
    return timeout_ms


def _forward_to(target: logging.Logger) -> None:
    """Send the SDK's debug records to `target` too; one forwarder per target, however many clients."""
    if not any(isinstance(h, _Forward) and h.target is target for h in logger.handlers):
        logger.addHandler(_Forward(target))
    target.setLevel(logging.DEBUG)
    logger.setLevel(logging.DEBUG)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Forward(logging.Handler):
    def __init__(self, target: logging.Logger) -> None:
        super().__init__(logging.DEBUG)
        self.target = target

    def emit(self, record: logging.LogRecord) -> None:
        self.target.handle(record)
