"""Configuration that cannot leak: server URLs, extra headers and redirects are checked before use."""

from __future__ import annotations

import warnings

import httpx
import pytest

from alation_workflows import Workflows
from alation_workflows.errors import APIError
from alation_workflows.utils import RetryConfig

TOKEN = "cfg-test-token-123"
DONE = {"status": "successful", "msg": "", "result": []}


def _sdk(handler: object, **kw: object) -> Workflows:
    client = httpx.Client(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return Workflows(server_url="https://alation.test", token=TOKEN, client=client, **kw)  # type: ignore[arg-type]


def _never(request: httpx.Request) -> httpx.Response:  # pragma: no cover - must not be reached
    raise AssertionError("a request was sent")


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://admin:hunter2@alation.test", "user info"),
        ("https://user@alation.test", "user info"),
        ("https://alation.test/?token=abc", "query or fragment"),
        ("https://alation.test/#frag", "query or fragment"),
        ("https://alation.test?", "query or fragment"),
        ("ftp://alation.test", "http\\(s\\) URL"),
        ("https://alation.test/\nHost: evil", "whitespace or control"),
    ],
)
def test_server_urls_that_could_leak_are_refused(url: str, why: str) -> None:
    with pytest.raises(ValueError, match=why) as info:
        Workflows(server_url=url, token=TOKEN)
    assert "hunter2" not in str(info.value)


def test_a_per_call_server_url_is_checked_like_the_client_one() -> None:
    wf = _sdk(_never)
    with pytest.raises(ValueError, match="user info"):
        wf.job_status.get_job_status(id=1, server_url="https://a:b@alation.test")
    with pytest.raises(ValueError, match="query or fragment"):
        wf.job_status.get_job_status(id=1, server_url="https://alation.test/?x=1")


def test_a_per_call_plain_http_override_warns() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json=DONE)

    wf = _sdk(handler)
    with pytest.warns(UserWarning, match="plain http") as caught:
        wf.job_status.get_job_status(id=1, server_url="http://alation.example.com")
    assert caught[0].filename == __file__  # points at the caller's line
    assert seen and seen[0].startswith("http://alation.example.com/")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wf.job_status.get_job_status(id=1, server_url="http://127.0.0.1:9")  # loopback: no warning


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({"TOKEN": "other"}, "cannot set 'TOKEN'"),
        ({"token": "other"}, "cannot set 'token'"),
        ({"Host": "evil.test"}, "cannot set 'Host'"),
        ({"Content-Length": "0"}, "cannot set 'Content-Length'"),
        ({"Transfer-Encoding": "chunked"}, "cannot set"),
        ({"X-Trace": "a\r\nTOKEN: stolen"}, "CR, LF"),
        ({"X-Trace": "a\nb"}, "CR, LF"),
        ({"X-Trace": "a\x00b"}, "control character"),
        ({"X-Bad Name": "v"}, "not a valid header name"),
        ({"X-Bad\r\nName": "v"}, "not a valid header name"),
    ],
)
def test_http_headers_cannot_override_sdk_headers_or_split(headers: dict[str, str], why: str) -> None:
    wf = _sdk(_never)
    with pytest.raises(ValueError, match=why):
        wf.job_status.get_job_status(id=1, http_headers=headers)


def test_harmless_http_headers_are_sent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=DONE)

    _sdk(handler).job_status.get_job_status(
        id=1, http_headers={"X-Trace": "abc 123", "Accept-Language": "de"}
    )
    assert seen[0].headers["x-trace"] == "abc 123" and seen[0].headers["token"] == TOKEN


def test_a_redirect_from_https_to_http_is_refused() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.scheme == "https":
            return httpx.Response(307, headers={"Location": "http://alation.test/api/v1/bulk_metadata/job/"})
        return httpx.Response(200, json=DONE)  # pragma: no cover - must not be reached

    with pytest.raises(APIError, match="not followed") as info:
        _sdk(handler, retry_config=RetryConfig(strategy="none")).job_status.get_job_status(id=1)
    assert info.value.status_code == 307
    assert [r.url.scheme for r in sent] == ["https"]


def test_an_https_to_https_redirect_is_still_followed() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.host == "alation.test":
            return httpx.Response(307, headers={"Location": "https://other.test/api/v1/bulk_metadata/job/"})
        return httpx.Response(200, json=DONE)

    assert _sdk(handler).job_status.get_job_status(id=1).status == "successful"
    assert [r.url.host for r in sent] == ["alation.test", "other.test"]
    assert "token" not in sent[1].headers  # another origin: the credential stays behind
