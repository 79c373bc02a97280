"""The SDK's own httpx clients set TLS up on the first https request, and it verifies certificates."""

from __future__ import annotations

import asyncio
import ssl

import httpx

from alation_workflows import Workflows
from alation_workflows._runtime.transport import AsyncLazyTLSTransport, LazyTLSTransport


def _context(transport: httpx.HTTPTransport | httpx.AsyncHTTPTransport) -> ssl.SSLContext:
    context = transport._pool._ssl_context  # httpcore's pool keeps the context it will use
    assert isinstance(context, ssl.SSLContext)
    return context


def test_a_new_client_builds_no_pool_and_https_gets_a_verifying_one() -> None:
    with Workflows(server_url="https://alation.example.com", token="t") as wf:
        transport = wf.http_client._transport
        assert isinstance(transport, LazyTLSTransport)
        assert transport._pools.built() == []  # nothing loaded before the first request
        tls = transport._pools.pick(httpx.Request("GET", "https://alation.example.com/api/"))
        context = _context(tls)
        assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
        assert context.cert_store_stats()["x509_ca"] > 0  # the CA bundle is loaded for https
        assert transport._pools.pick(httpx.Request("GET", "https://other.example.com/")) is tls


def test_plain_http_never_loads_certificates_and_would_refuse_tls() -> None:
    transport = LazyTLSTransport()
    plain = transport._pools.pick(httpx.Request("GET", "http://127.0.0.1:8000/"))
    context = _context(plain)
    assert context.cert_store_stats()["x509_ca"] == 0
    assert context.verify_mode == ssl.CERT_REQUIRED  # with no CA loaded, any TLS would fail closed
    assert transport._pools.built() == [plain]
    transport.close()


def test_requests_go_through_the_pool_of_their_scheme() -> None:
    seen: list[str] = []

    class Recording(httpx.HTTPTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            seen.append(f"{type(self).__name__}:{request.url.scheme}")
            return httpx.Response(200, json={})

    transport = LazyTLSTransport()
    transport._pools._make = Recording
    with httpx.Client(transport=transport) as client:
        client.get("http://127.0.0.1/a")
        client.get("https://alation.example.com/b")
        client.get("http://127.0.0.1/c")
    assert seen == ["Recording:http", "Recording:https", "Recording:http"]
    assert len(transport._pools.built()) == 2


def test_the_async_twin_routes_and_closes_the_same_way() -> None:
    async def main() -> int:
        transport = AsyncLazyTLSTransport()
        tls = transport._pools.pick(httpx.Request("GET", "https://alation.example.com/"))
        assert _context(tls).cert_store_stats()["x509_ca"] > 0
        built = len(transport._pools.built())
        await transport.aclose()
        return built

    assert asyncio.run(main()) == 1
