"""The transports of the httpx clients this SDK creates: TLS is set up on the first https request.

httpx builds its TLS context (loading the CA bundle, ~25-30 ms) when a client is constructed,
whether or not it will ever speak https. These transports route each request by scheme: http://
goes to a pool whose TLS context has no CA loaded (it never sees TLS, and would refuse it), and
the verifying https pool (httpx's defaults: certifi or SSL_CERT_FILE / SSL_CERT_DIR) is built on
first use. A client of an http:// simulator never pays for TLS; an https client pays once, on
its first call.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

import httpx

P = TypeVar("P", httpx.HTTPTransport, httpx.AsyncHTTPTransport)


class _Pools(Generic[P]):
    """The plain and the TLS pool of one client, each built once on first use."""

    def __init__(self, make: Callable[..., P]) -> None:
        self._make: Callable[..., P] = make
        self._plain: P | None = None
        self._tls: P | None = None
        self._lock = threading.Lock()

    def pick(self, request: httpx.Request) -> P:
        tls = request.url.scheme != "http"
        pool = self._tls if tls else self._plain
        if pool is not None:
            return pool
        with self._lock:
            if tls:
                self._tls = self._tls or self._make()
                return self._tls
            # Verifying by default but with no CA loaded: fails closed if it ever met TLS.
            self._plain = self._plain or self._make(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
            return self._plain

    def built(self) -> list[P]:
        return [p for p in (self._plain, self._tls) if p is not None]


class LazyTLSTransport(httpx.BaseTransport):
    def __init__(self) -> None:
        self._pools = _Pools(httpx.HTTPTransport)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._pools.pick(request).handle_request(request)

    def close(self) -> None:
        for pool in self._pools.built():
            pool.close()


class AsyncLazyTLSTransport(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self._pools = _Pools(httpx.AsyncHTTPTransport)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self._pools.pick(request).handle_async_request(request)

    async def aclose(self) -> None:
        for pool in self._pools.built():
            await pool.aclose()
