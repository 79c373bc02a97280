"""Security: the TOKEN never leaves its origin or shows up in logs, reprs or messages; TLS is verified."""

from __future__ import annotations

import json
import logging
import shutil
import ssl
import subprocess
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from alation_workflows import Workflows, models
from alation_workflows._runtime.redirects import keeps_credentials
from alation_workflows._runtime.tokens import CallableToken, StaticToken
from alation_workflows.errors import APIError, NetworkError
from alation_workflows.utils import RetryConfig

SECRET = "s3cret-T0KEN-value-1234"
JOB = "/api/v1/bulk_metadata/job/"
DOCS = "/integration/v2/document/"
DONE = {"status": "successful", "msg": "done", "result": []}

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Origin:
    """One loopback HTTP server; `routes` maps "METHOD path" to a function returning a reply."""

    url: str = ""
    seen: list[Seen] = field(default_factory=list)
    routes: dict[str, Callable[[Seen], Reply]] = field(default_factory=dict)


def _json(status: int, body: object, **headers: str) -> Reply:
    return status, {"Content-Type": "application/json", **headers}, json.dumps(body).encode()


def _serve(origin: Origin, context: ssl.SSLContext | None = None) -> Iterator[Origin]:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            seen = Seen(
                self.command,
                self.path.split("?")[0],
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            origin.seen.append(seen)
            route = origin.routes.get(f"{self.command} {seen.path}")
            status, headers, body = route(seen) if route else _json(404, {"detail": "no route"})
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = _handle

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    scheme = "https" if context else "http"
    origin.url = f"{scheme}://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield origin
    finally:
        server.shutdown()
        server.server_close()
        thread.join(2)


@pytest.fixture
def origin_a() -> Iterator[Origin]:
    yield from _serve(Origin())


@pytest.fixture
def origin_b() -> Iterator[Origin]:
    yield from _serve(Origin())


def _redirect(to: Callable[[], str], status: int = 302) -> Callable[[Seen], Reply]:
    return lambda seen: (status, {"Location": to()}, b"")


def _tokens(origin: Origin) -> list[str | None]:
    return [s.headers.get("token") for s in origin.seen]


# -- redirects -----------------------------------------------------------------------------------


@pytest.mark.parametrize("user_client", [False, True], ids=["owned-client", "user-client-follow-redirects"])
def test_cross_origin_redirect_never_forwards_the_token(
    origin_a: Origin, origin_b: Origin, user_client: bool
) -> None:
    origin_a.routes[f"GET {JOB}"] = _redirect(lambda: origin_b.url + JOB + "?id=1")
    origin_b.routes[f"GET {JOB}"] = lambda seen: _json(200, DONE)
    client = httpx.Client(follow_redirects=True) if user_client else None
    with Workflows(server_url=origin_a.url, token=SECRET, client=client) as wf:
        details = wf.job_status.get_job_status(id=1)
    if client:
        client.close()
    assert details.status == "successful"
    assert _tokens(origin_a) == [SECRET]
    assert len(origin_b.seen) == 1
    assert "token" not in origin_b.seen[0].headers
    assert SECRET not in json.dumps([s.headers for s in origin_b.seen])


async def test_cross_origin_redirect_async_with_user_client(origin_a: Origin, origin_b: Origin) -> None:
    origin_a.routes[f"GET {JOB}"] = _redirect(lambda: origin_b.url + JOB + "?id=1", 307)
    origin_b.routes[f"GET {JOB}"] = lambda seen: _json(200, DONE)
    async with httpx.AsyncClient(follow_redirects=True) as client:
        wf = Workflows(server_url=origin_a.url, token=SECRET, async_client=client)
        details = await wf.job_status.get_job_status_async(id=1)
    assert details.status == "successful"
    assert _tokens(origin_a) == [SECRET] and _tokens(origin_b) == [None]


def test_cross_origin_307_resends_the_body_without_the_token(origin_a: Origin, origin_b: Origin) -> None:
    origin_a.routes[f"POST {DOCS}"] = _redirect(lambda: origin_b.url + DOCS, 307)
    origin_b.routes[f"POST {DOCS}"] = lambda seen: _json(202, {"job_id": 9})
    with Workflows(server_url=origin_a.url, token=SECRET) as wf:
        handle = wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
    assert handle.id == 9
    assert origin_b.seen[0].body == origin_a.seen[0].body != b""
    assert _tokens(origin_b) == [None]


def test_same_origin_redirect_keeps_the_token(origin_a: Origin) -> None:
    origin_a.routes["GET /old/job/"] = lambda seen: (301, {"Location": JOB + "?id=1"}, b"")
    origin_a.routes[f"GET {JOB}"] = lambda seen: _json(200, DONE)
    with Workflows(server_url=origin_a.url, token=SECRET) as wf:
        details = wf.job_status.get_job_status(id=1, server_url=origin_a.url + "/old/job/../..")
    assert details.status == "successful"
    assert _tokens(origin_a)[-1] == SECRET


def test_token_stays_dropped_when_redirected_back(origin_a: Origin, origin_b: Origin) -> None:
    # a -> b -> a: once the token left for another origin's chain it is not re-attached mid-chain.
    origin_a.routes[f"GET {JOB}"] = _redirect(lambda: origin_b.url + "/bounce")
    origin_b.routes["GET /bounce"] = _redirect(lambda: origin_a.url + "/final")
    origin_a.routes["GET /final"] = lambda seen: _json(200, DONE)
    with Workflows(server_url=origin_a.url, token=SECRET) as wf:
        wf.job_status.get_job_status(id=1)
    assert _tokens(origin_a) == [SECRET, None] and _tokens(origin_b) == [None]


def test_post_is_not_turned_into_a_get_by_302(origin_a: Origin, origin_b: Origin) -> None:
    origin_a.routes[f"POST {DOCS}"] = _redirect(lambda: origin_b.url + DOCS, 302)
    with Workflows(server_url=origin_a.url, token=SECRET) as wf, pytest.raises(APIError) as info:
        wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
    assert info.value.status_code == 302 and "not followed" in str(info.value)
    assert origin_b.seen == []


def test_redirect_loops_end_in_an_error(origin_a: Origin) -> None:
    origin_a.routes[f"GET {JOB}"] = lambda seen: (302, {"Location": JOB}, b"")
    with Workflows(server_url=origin_a.url, token=SECRET) as wf, pytest.raises(APIError) as info:
        wf.job_status.get_job_status(id=1)
    assert info.value.status_code == 302
    assert 2 <= len(origin_a.seen) <= 10


def test_origin_rules() -> None:
    u = httpx.URL
    assert keeps_credentials(u("https://a.test/x"), u("https://a.test:443/y"))
    assert keeps_credentials(u("http://a.test/x"), u("https://a.test/x"))  # upgrade, as httpx does
    assert not keeps_credentials(u("https://a.test/x"), u("http://a.test/x"))  # downgrade
    assert not keeps_credentials(u("https://a.test/x"), u("https://b.test/x"))
    assert not keeps_credentials(u("https://a.test/x"), u("https://a.test:8443/x"))
    assert not keeps_credentials(u("https://a.test/x"), u("https://evil.a.test/x"))


# -- logs, reprs, messages -----------------------------------------------------------------------


def test_debug_logs_never_contain_the_token(origin_a: Origin, origin_b: Origin) -> None:
    origin_a.routes[f"GET {JOB}"] = lambda seen: _json(503, {"detail": f"echo {seen.headers.get('token')}"})
    origin_a.routes[f"POST {DOCS}"] = _redirect(lambda: origin_b.url + DOCS, 307)
    origin_b.routes[f"POST {DOCS}"] = lambda seen: _json(401, {"detail": "no token"})
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    debug = logging.getLogger("test.security.debug")
    keep = Keep(logging.DEBUG)
    watched = [logging.getLogger(n) for n in ("test.security.debug", "httpx", "httpcore")]
    levels = [lg.level for lg in watched]
    for lg in watched:
        lg.addHandler(keep)
        lg.setLevel(logging.DEBUG)
    try:
        retry = RetryConfig(max_attempts=2)
        with Workflows(server_url=origin_a.url, token=SECRET, debug_logger=debug, retry_config=retry) as wf:
            with pytest.raises(APIError) as get_error:
                wf.job_status.get_job_status(id=1)
            with pytest.raises(APIError) as post_error:
                wf.documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
    finally:
        for lg, level in zip(watched, levels, strict=True):
            lg.removeHandler(keep)
            lg.setLevel(level)
    texts = [r.getMessage() for r in records]
    assert any("[REDACTED]" in t for t in texts)  # the request headers were logged, redacted
    assert any(r.name.startswith("httpcore") for r in records)  # transport debug logs were captured too
    assert not [t for t in texts if SECRET in t]
    # The server echoed the token in its error body: the error keeps it blanked (the raw response has it).
    assert SECRET in get_error.value.raw_response.text and SECRET not in get_error.value.body
    assert SECRET not in str(get_error.value) and "[REDACTED]" in str(get_error.value)
    assert SECRET not in repr(vars(get_error.value))
    for err in (get_error.value, post_error.value):
        assert SECRET not in repr(err)
        assert SECRET not in repr(err.raw_response) + repr(err.raw_response.request)


def test_reprs_never_contain_the_token() -> None:
    wf = Workflows(server_url="https://alation.test", token=SECRET)
    assert SECRET not in repr(wf) and SECRET not in str(vars(wf))
    assert SECRET not in repr(StaticToken(SECRET))

    def token_fn() -> str:
        return SECRET

    assert SECRET not in repr(CallableToken(token_fn))


def test_network_error_message_has_no_token() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"refused {request.url}", request=request)

    client = httpx.Client(transport=httpx.MockTransport(refuse))
    wf = Workflows(server_url="https://alation.test", token=SECRET, client=client)
    with pytest.raises(NetworkError) as info:
        wf.job_status.get_job_status(id=1, retries=RetryConfig(strategy="none"))
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)


# -- transport security --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://alation.example.com", "http://10.0.0.5:8000", "http://alation.example.com:80/"]
)
def test_plain_http_to_a_remote_host_warns(url: str, caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="alation_workflows"),
        pytest.warns(UserWarning, match="plain http"),
    ):
        Workflows(server_url=url, token=SECRET)
    assert any("plain http" in r.getMessage() for r in caplog.records)
    assert SECRET not in caplog.text


@pytest.mark.parametrize(
    "url",
    ["https://alation.example.com", "http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:80"],
)
def test_https_and_loopback_do_not_warn(url: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="alation_workflows"), warnings.catch_warnings():
        warnings.simplefilter("error")
        Workflows(server_url=url, token=SECRET)
    assert caplog.records == []


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    if shutil.which("openssl") is None:
        pytest.skip("openssl CLI not available to make a self-signed certificate")
    d: Path = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(d / "cert.pem", d / "key.pem")
    return context


@pytest.fixture
def tls_origin(self_signed: ssl.SSLContext) -> Iterator[Origin]:
    yield from _serve(Origin(routes={f"GET {JOB}": lambda seen: _json(200, DONE)}), self_signed)


def test_tls_is_verified_by_default(tls_origin: Origin) -> None:
    with Workflows(server_url=tls_origin.url, token=SECRET, retry_config=RetryConfig(strategy="none")) as wf:
        with pytest.raises(NetworkError) as info:
            wf.job_status.get_job_status(id=1)
    assert "CERTIFICATE_VERIFY_FAILED" in str(info.value)
    assert tls_origin.seen == []  # nothing, and so no token, was sent


def test_a_user_client_keeps_its_own_tls_settings(tls_origin: Origin) -> None:
    with httpx.Client(verify=False) as client:
        wf = Workflows(server_url=tls_origin.url, token=SECRET, client=client)
        assert wf.job_status.get_job_status(id=1).status == "successful"
    assert _tokens(tls_origin) == [SECRET]


# -- refresh tokens ------------------------------------------------------------------------------

TOKEN_ENDPOINT = "/integration/v1/createAPIAccessToken/"
REFRESH = "refresh-SECRET-0123456789"


def _issue(seen: Seen) -> Reply:
    return _json(200, {"api_access_token": "access-from-refresh", "user_id": 1, "token_status": "active"})


@pytest.mark.parametrize("status", [307, 308])
def test_refresh_token_is_never_reposted_to_another_origin(
    origin_a: Origin, origin_b: Origin, status: int
) -> None:
    from alation_workflows.auth import RefreshTokenAuth, RefreshTokenError

    origin_a.routes[f"POST {TOKEN_ENDPOINT}"] = _redirect(lambda: origin_b.url + TOKEN_ENDPOINT, status)
    origin_b.routes[f"POST {TOKEN_ENDPOINT}"] = _issue
    with httpx.Client(follow_redirects=True, timeout=None) as client:
        wf = Workflows(server_url=origin_a.url, token=RefreshTokenAuth(REFRESH, 1), client=client)
        with pytest.raises(RefreshTokenError) as info:
            wf.job_status.get_job_status(id=1)
    assert origin_b.seen == []
    assert REFRESH.encode() in origin_a.seen[0].body  # it went only where it was meant to go
    assert REFRESH not in str(info.value) and REFRESH not in repr(info.value)


def test_refresh_token_never_in_reprs_logs_or_errors(
    origin_a: Origin, caplog: pytest.LogCaptureFixture
) -> None:
    from alation_workflows.auth import RefreshTokenAuth, RefreshTokenError

    origin_a.routes[f"POST {TOKEN_ENDPOINT}"] = lambda seen: _json(
        401, {"detail": f"bad refresh token {json.loads(seen.body)['refresh_token']}", "code": "401000"}
    )
    auth = RefreshTokenAuth(REFRESH, 1)
    with caplog.at_level(logging.DEBUG), Workflows(server_url=origin_a.url, token=auth) as wf:
        assert REFRESH not in repr(auth) and REFRESH not in repr(wf) and REFRESH not in str(vars(auth))
        with pytest.raises(RefreshTokenError) as info:
            wf.job_status.get_job_status(id=1)
    assert REFRESH not in caplog.text
    assert REFRESH not in str(info.value) and REFRESH not in repr(info.value)
