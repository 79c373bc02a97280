"""The base client: owns the httpx clients and runs one operation call, sync or async."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import httpx
import pydantic

if TYPE_CHECKING:
    import asyncio

from .checks import check_headers, check_server_url, check_size, check_timeout
from .config import CallOptions, PollConfig, RetryConfig
from .exceptions import (
    APIError,
    ClientClosedError,
    DeadlineExceededError,
    NetworkError,
    ResponseTooLargeError,
    ResponseValidationError,
    SubmitUncertainError,
    WorkflowsError,
)
from .model import RetriedDelete, note_retried_delete
from .operation import LazyType, Operation
from .paging import PageRequest
from .pointer import resolve
from .redact import log_request, log_response, logger
from .redirects import MAX_REDIRECTS, next_request
from .request import build_request, check_arguments, encode_body
from .response import handle_response
from .retries import (
    never_sent,
    next_delay,
    retryable_exception,
    retryable_status,
    should_retry,
    uncertain_status,
)
from .secrets import secret_keys, secret_values
from .tokens import TokenProvider, as_provider, check_token
from .transport import AsyncLazyTLSTransport, LazyTLSTransport

E = TypeVar("E", bound=WorkflowsError)
# Shortest timeout an attempt gets: a retry with less time left than this is not started.
_MIN_ATTEMPT_S = 0.05


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
    # Hard end of the call (a job wait's deadline), and the end of the retry budget (max_elapsed_time).
    deadline: float | None
    budget_end: float | None
    follow_redirects: bool
    secrets: tuple[str, ...] = field(repr=False)
    secret_keys: frozenset[str]
    max_bytes: int
    log: logging.Logger
    page: PageRequest | None = None
    attempt: int = 0
    renewed: bool = False
    hops: int = 0
    token: str | None = field(default=None, repr=False)
    # When the current attempt's timeout was cut to fit the deadline, a timeout means "out of time".
    capped: bool = False
    # Attempts whose outcome is unknown (answer lost after sending, or a 5XX): a retried DELETE says so.
    lost: list[str] = field(default_factory=list[str])

    def request(self, client: httpx.Client | httpx.AsyncClient, token: str | None) -> httpx.Request:
        timeout = self.timeout()
        self.attempt += 1
        self.hops = 0
        self.token = token
        if self.page is not None and self.page.url is not None:
            headers = dict(self.headers)
            if token and self.op.security is not None:
                name, value = self.op.security.header_for(token)
                headers[name] = value
            # A next-page URL from the server (already checked to be on this origin) is sent as given.
            if self.media is not None:
                headers["Content-Type"] = self.media
            request = client.build_request(
                self.op.method, self.page.url, headers=headers, timeout=timeout, **self.content
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
                timeout,
                token,
            )
        log_request(request, self.attempt, self.log)
        return request

    def timeout(self) -> float:
        """This attempt's timeout: the configured one, cut to what is left of the deadline and budget."""
        now = time.monotonic()
        if self.deadline is not None and now >= self.deadline:
            raise self.out_of_time(TimeoutError("the deadline passed before the request was sent"))
        ends = [e for e in (self.deadline, self.budget_end) if e is not None and e - now < self.timeout_s]
        self.capped = self.deadline in ends
        return max(_MIN_ATTEMPT_S, min([e - now for e in ends], default=self.timeout_s))

    def out_of_time(self, cause: BaseException) -> DeadlineExceededError:
        return self.scrubbed(
            DeadlineExceededError(
                f"{self.op.id}: {self.op.method} {self.op.path} did not finish before its deadline",
                attempts=max(1, self.attempt),
                cause=cause,
                maybe_processed=not never_sent(cause) and self.attempt > 0,
            )
        )

    def redirect(
        self, client: httpx.Client | httpx.AsyncClient, response: httpx.Response
    ) -> httpx.Request | None:
        """The next hop of a redirect (credentials dropped across origins), or None to stop here."""
        if not self.follow_redirects or self.hops >= MAX_REDIRECTS:
            return None
        request = next_request(client, response)
        if request is not None:
            self.hops += 1
            log_request(request, self.attempt, self.log)
        return request

    def after_deadline(self, delay: float) -> bool:
        return self.deadline is not None and time.monotonic() + delay >= self.deadline

    def fits_budget(self, delay: float | None) -> bool:
        """Another attempt is allowed, and would have time to get an answer within max_elapsed_time."""
        if not should_retry(self.retry, self.attempt, self.started, delay):
            return False
        return self.budget_end is None or self.budget_end - time.monotonic() - (delay or 0) >= _MIN_ATTEMPT_S

    def delay_after_exception(self, exc: BaseException) -> float | None:
        """Seconds to sleep before retrying after a transport error, or None to give up."""
        if self.capped and isinstance(exc, httpx.TimeoutException):
            raise self.out_of_time(exc) from exc
        if not isinstance(exc, httpx.TransportError) or not retryable_exception(
            self.op.retry, self.retry, exc
        ):
            return None
        delay = next_delay(self.retry, self.attempt, None)
        if not self.fits_budget(delay):
            return None
        if delay is not None and self.after_deadline(delay):
            raise self.out_of_time(exc) from exc
        if not never_sent(exc):
            self.lost.append(f"attempt {self.attempt}: {type(exc).__name__}")
        return delay

    def network_error(self, exc: BaseException) -> WorkflowsError:
        maybe = not never_sent(exc)
        message = f"{self.op.id}: {self.op.method} {self.op.path} failed"
        if isinstance(exc, httpx.LocalProtocolError):
            message += " before anything was sent (the request could not be written)"
        error: WorkflowsError = NetworkError(message, attempts=self.attempt, cause=exc, maybe_processed=maybe)
        if maybe and self.op.retry == "submit":
            error = self.uncertain(error)
        return self.scrubbed(error)

    def wants_renewal(self, response: httpx.Response) -> bool:
        return response.status_code == 401 and self.op.secured and not self.renewed

    def delay_after_response(self, response: httpx.Response) -> float | None:
        if not retryable_status(self.op.retry, response.status_code):
            return None
        delay = next_delay(self.retry, self.attempt, response)
        if not self.fits_budget(delay):
            return None
        if delay is not None and self.after_deadline(delay):
            raise self.out_of_time(self.failure(response))
        if uncertain_status(response.status_code):
            self.lost.append(f"attempt {self.attempt}: HTTP {response.status_code}")
        return delay

    def failure(self, response: httpx.Response) -> BaseException:
        try:
            handle_response(self.op, response, self.attempt, self.override)
        except WorkflowsError as exc:
            return self.scrubbed(exc)
        return RuntimeError(f"HTTP {response.status_code}")  # a retryable status is never a success

    def finish(self, response: httpx.Response) -> Any:
        if self.page is not None:
            self.page.headers = response.headers
        try:
            value = handle_response(self.op, response, self.attempt, self.override)
            if self.op.job is not None and (b"true" in response.content or b"false" in response.content):
                _check_job_refs(self.op, response, self.attempt)
            if self.lost and self.op.method == "DELETE":
                note = RetriedDelete(self.attempt, tuple(self.lost))
                self.log.warning("%s: %s", self.op.id, note)
                note_retried_delete(value, note)
            return value
        except APIError as exc:
            error = self.rejected(exc)
            # Chained from the (scrubbed) cause the error keeps: a traceback shows no credential either.
            raise error from getattr(error, "cause", None) or exc.__cause__
        except RecursionError as exc:
            # Deeply nested JSON: a malformed answer like any other, never a bare RecursionError.
            error = ResponseValidationError(
                f"{self.op.id}: response body is nested too deeply to parse",
                response,
                exc,
                attempts=self.attempt,
            )
            raise self.rejected(error) from None

    def rejected(self, error: APIError) -> WorkflowsError:
        """The error to raise for an answer: a submit's may-have-been-processed answers become uncertain."""
        if self.op.retry == "submit" and uncertain_status(error.status_code):
            return self.scrubbed(self.uncertain(error))
        return self.scrubbed(error)

    def uncertain(self, error: WorkflowsError) -> SubmitUncertainError:
        url = self.base_url + self.op.path
        return SubmitUncertainError.from_error(error, operation=self.op.id, method=self.op.method, url=url)

    def scrubbed(self, error: E) -> E:
        """The error with this call's token and declared secrets blanked out of its text, and any
        credential the answer carried (a new token in a malformed answer, an echoed one)."""
        secrets = [self.token, *self.secrets] if self.token else list(self.secrets)
        response = getattr(error, "raw_response", None)
        if self.secret_keys and isinstance(response, httpx.Response):
            try:
                secrets += secret_values(self.secret_keys, response.content)
            except httpx.ResponseNotRead:
                pass
        if self.secret_keys and isinstance(error, ResponseValidationError):
            # pydantic's message quotes (and truncates) the input: a cut-off credential would survive
            # scrubbing, so an operation that carries credentials keeps only where and what failed.
            error.cause = ValueError(_problems(error.cause))
        if secrets:
            error.redact(secrets)
        return error

    def too_large(self, response: httpx.Response) -> ResponseTooLargeError:
        return ResponseTooLargeError(
            f"{self.op.id}: response body larger than max_response_bytes={self.max_bytes}; not read",
            response,
            attempts=self.attempt,
        )


async def _sleep(seconds: float) -> None:
    import asyncio  # loaded on the first async retry: sync-only programs never import it

    await asyncio.sleep(seconds)


class BaseClient:
    """Shared behaviour of the generated client class; settings come from the generated subclass.

    Transport security: the httpx clients it creates verify TLS and never follow redirects
    themselves; the SDK follows up to 5 redirects (307/308 for any method, 301/302/303 for GET
    only), never from https to http, and drops TOKEN, Authorization and Cookie when a hop leaves
    the origin. A user-supplied `client` / `async_client` keeps its own TLS, proxy and timeout
    settings, but its `follow_redirects` is overridden per request and every request carries the
    SDK's timeout. Response bodies larger than `max_response_bytes` (after decompression) are
    refused with `ResponseTooLargeError`.
    """

    DEFAULT_RETRY: RetryConfig = RetryConfig()
    DEFAULT_TIMEOUT_MS: int = 30_000
    DEFAULT_POLL: PollConfig = PollConfig()
    DEFAULT_MAX_RESPONSE_BYTES: int = 256 * 2**20
    USER_AGENT: str = "sdk-python"
    # An example server URL for error messages (the generated subclass sets its service's).
    SERVER_EXAMPLE: str = "https://api.example.com"
    DEFAULT_SERVER_URL: str | None = None

    def __init__(
        self,
        *,
        server_url: str | None = None,
        token: str | Any = None,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        retry_config: RetryConfig | None = None,
        timeout_ms: int | None = None,
        poll_config: PollConfig | None = None,
        debug_logger: logging.Logger | None = None,
        max_response_bytes: int | None = None,
    ) -> None:
        # The spec's server when it names one fixed URL (generated DEFAULT_SERVER_URL), else required.
        server_url = server_url or self.DEFAULT_SERVER_URL
        self.server_url = check_server_url(server_url, example=self.SERVER_EXAMPLE)
        for name, value, kind in (
            ("retry_config", retry_config, RetryConfig),
            ("poll_config", poll_config, PollConfig),
        ):
            if value is not None and not isinstance(value, kind):  # pyright: ignore[reportUnnecessaryIsInstance]
                raise TypeError(f"{name} must be a {kind.__name__}, got {type(value).__name__}")
        self.retry_config = retry_config or self.DEFAULT_RETRY
        self.timeout_ms = check_timeout(timeout_ms) if timeout_ms is not None else self.DEFAULT_TIMEOUT_MS
        self.poll_config = poll_config or self.DEFAULT_POLL
        self.max_response_bytes = (
            check_size("max_response_bytes", max_response_bytes)
            if max_response_bytes is not None
            else self.DEFAULT_MAX_RESPONSE_BYTES
        )
        self._auth: TokenProvider = as_provider(token)
        self._client = client
        self._async_client = async_client
        self._async_loop: asyncio.AbstractEventLoop | None = None
        self._owns_client = client is None
        self._owns_async_client = async_client is None
        self._closed = False
        self._building = threading.Lock()
        self._base_headers = {"Accept": "application/json", "User-Agent": self.USER_AGENT}
        # The caller's logger gets the debug records; its level and handlers are left as they are.
        self._log = debug_logger if debug_logger is not None else logger
        self._auth.bind(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(server_url={self.server_url!r})"

    # -- httpx clients -------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosedError(
                f"this {type(self).__name__} client is closed (its `with` block ended or close() was "
                "called); create a new one"
            )

    @property
    def http_client(self) -> httpx.Client:
        self._check_open()
        client = self._client
        if client is None:
            with self._building:  # threads racing on first use share one connection pool
                self._check_open()
                if self._client is None:
                    # httpx must not follow redirects: it would forward TOKEN to another origin.
                    self._client = httpx.Client(
                        follow_redirects=False, timeout=self.timeout_ms / 1000, transport=LazyTLSTransport()
                    )
                client = self._client
        return client

    @property
    def async_http_client(self) -> httpx.AsyncClient:
        self._check_open()
        import asyncio  # only reached by async callers: sync-only programs never import it

        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        with self._building:
            self._check_open()
            bound = self._async_loop
            if (
                self._async_client is not None
                and loop is not None
                and bound is not None
                and loop is not bound
            ):
                if not (self._owns_async_client and bound.is_closed()):
                    raise RuntimeError(
                        f"this {type(self).__name__} client's async connections belong to another event "
                        "loop; create one client per event loop"
                    )
                self._async_client = None  # its loop is gone, and its connections with it
            if self._async_client is None:
                self._async_client = httpx.AsyncClient(
                    follow_redirects=False, timeout=self.timeout_ms / 1000, transport=AsyncLazyTLSTransport()
                )
            if loop is not None:
                self._async_loop = loop
            return self._async_client

    def close(self) -> None:
        self._closed = True
        if self._owns_client and self._client is not None:
            self._client.close()
            self._client = None

    async def aclose(self) -> None:
        if self._owns_async_client and self._async_client is not None:
            await self._async_client.aclose()
            self._async_client = None
        self.close()

    def __enter__(self) -> Self:
        self._check_open()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        self._check_open()
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
        self._check_open()
        for p in op.params:
            value = args.get(p.name)
            if isinstance(value, bool):
                # Lax validation reads True as 1: a flag passed where an id belongs is a mistake.
                try:
                    p.type.adapter.validate_python(value, strict=True)
                except pydantic.ValidationError:
                    raise TypeError(
                        f"{method}() parameter {p.name!r} takes no boolean, got {value!r}"
                    ) from None
        values = check_arguments(op, method, args)
        content, media = encode_body(op, body)
        headers = self._base_headers
        if opts.http_headers:
            credential = op.security.header if op.security is not None else None
            headers = {**headers, **check_headers(opts.http_headers, credential)}
        timeout_ms = check_timeout(opts.timeout_ms) if opts.timeout_ms is not None else self.timeout_ms
        retry = opts.retries or self.retry_config
        if not isinstance(retry, RetryConfig):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"retries must be a RetryConfig, got {type(retry).__name__}")
        started = time.monotonic()
        budget = retry.backoff.max_elapsed_time
        keys = secret_keys(op)
        return _Call(
            op=op,
            values=values,
            content=content,
            media=media,
            base_url=check_server_url(opts.server_url, where="server_url (per call)", stacklevel=6)
            if opts.server_url
            else self.server_url,
            headers=headers,
            timeout_s=timeout_ms / 1000,
            retry=retry,
            override=override,
            started=started,
            deadline=opts.deadline,
            budget_end=started + budget / 1000 if retry.strategy != "none" and budget > 0 else None,
            follow_redirects=opts.follow_redirects,
            secrets=(*opts.secrets, *secret_values(keys, content.get("content", b"")))
            if keys
            else opts.secrets,
            secret_keys=keys,
            max_bytes=self.max_response_bytes,
            log=self._log,
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
            token = check_token(self._auth.get_token(), "the token") if op.secured else None
            request = call.request(client, token)
            try:
                response = _send(client, call, request)
            except ResponseTooLargeError as exc:
                raise call.rejected(exc) from None
            except httpx.RequestError as exc:
                delay = call.delay_after_exception(exc)
                if delay is None:
                    error = call.network_error(exc)
                    raise error from getattr(error, "cause", exc)
                time.sleep(delay)
                continue
            if call.wants_renewal(response) and self._auth.renew(token):
                call.renewed = True
                continue
            delay = call.delay_after_response(response)
            if delay is not None:
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
            token = check_token(await self._auth.get_token_async(), "the token") if op.secured else None
            request = call.request(client, token)
            try:
                if call.capped:
                    # The per-read timeout alone lets a server that trickles bytes run past the deadline.
                    import asyncio  # noqa: F811  (the async path only)

                    async with asyncio.timeout(request.extensions["timeout"]["read"]):
                        response = await _send_async(client, call, request)
                else:
                    response = await _send_async(client, call, request)
            except TimeoutError as exc:
                raise call.out_of_time(exc) from exc
            except ResponseTooLargeError as exc:
                raise call.rejected(exc) from None
            except httpx.RequestError as exc:
                delay = call.delay_after_exception(exc)
                if delay is None:
                    error = call.network_error(exc)
                    raise error from getattr(error, "cause", exc)
                await _sleep(delay)
                continue
            if call.wants_renewal(response) and await self._auth.renew_async(token):
                call.renewed = True
                continue
            delay = call.delay_after_response(response)
            if delay is not None:
                await _sleep(delay)
                continue
            return call.finish(response)


def _send(client: httpx.Client, call: _Call, request: httpx.Request) -> httpx.Response:
    """Send one attempt and read its body (size-capped), following redirects ourselves."""
    while True:
        t0 = time.perf_counter()
        response = client.send(request, follow_redirects=False, stream=True)
        try:
            nxt = call.redirect(client, response)
            if nxt is None:
                chunks: list[bytes] = []
                size = _declared_size(response, call)
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > call.max_bytes:
                        raise call.too_large(response)
                    chunks.append(chunk)
                _set_content(response, chunks)
                log_response(response, time.perf_counter() - t0, call.log)
                return response
        finally:
            response.close()
        request = nxt


async def _send_async(client: httpx.AsyncClient, call: _Call, request: httpx.Request) -> httpx.Response:
    while True:
        t0 = time.perf_counter()
        response = await client.send(request, follow_redirects=False, stream=True)
        try:
            nxt = call.redirect(client, response)
            if nxt is None:
                chunks: list[bytes] = []
                size = _declared_size(response, call)
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > call.max_bytes:
                        raise call.too_large(response)
                    chunks.append(chunk)
                _set_content(response, chunks)
                log_response(response, time.perf_counter() - t0, call.log)
                return response
        finally:
            await response.aclose()
        request = nxt


def _problems(exc: BaseException) -> str:
    if isinstance(exc, pydantic.ValidationError):
        return "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<body>'}: {e['msg']}"
            for e in exc.errors(include_input=False)
        )
    return type(exc).__name__


def _check_job_refs(op: Operation, response: httpx.Response, attempts: int) -> None:
    """Refuse a job handle whose id is a JSON boolean: pydantic's lax int would read `true` as job 1."""
    assert op.job is not None
    try:
        body = json.loads(response.content)
    except ValueError:
        return  # a handle that parsed above is JSON; anything else is not a handle
    for _, pointer in op.job.sources:
        if isinstance(resolve(body, pointer), bool):
            raise ResponseValidationError(
                f"{op.id}: the job id at {pointer} is a boolean, not an id",
                response,
                TypeError("boolean job id"),
                attempts=attempts,
            )


def _declared_size(response: httpx.Response, call: _Call) -> int:
    """0, or raise at once when an identity-encoded body declares more bytes than allowed."""
    length = response.headers.get("content-length", "")
    if length.isdigit() and "content-encoding" not in response.headers and int(length) > call.max_bytes:
        raise call.too_large(response)
    return 0


def _set_content(response: httpx.Response, chunks: list[bytes]) -> None:
    # What httpx's own Response.read() does after reading the stream; done here to count bytes as
    # they are decompressed (a small gzip body can expand to gigabytes).
    response._content = b"".join(chunks)  # pyright: ignore[reportPrivateUsage]
