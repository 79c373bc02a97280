"""Tokens are checked before use and never printed; errors pickle without their secrets."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable

import httpx
import pytest

from alation_workflows import Workflows, models
from alation_workflows.errors import (
    APIError,
    InvalidTokenError,
    NetworkError,
    ProblemDetailsError,
    ResponseValidationError,
    SubmitUncertainAPIError,
    SubmitUncertainError,
    SubmitUncertainNetworkError,
    WorkflowsError,
)
from alation_workflows.utils import RetryConfig

SECRET = "tok-9f8e7d6c5b4a-secret"
NO_RETRY = RetryConfig(strategy="none", max_attempts=1)


def _sdk(handler: Callable[[httpx.Request], httpx.Response], token: object = SECRET) -> Workflows:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Workflows(server_url="https://alation.test", token=token, client=client, retry_config=NO_RETRY)


def _never(request: httpx.Request) -> httpx.Response:  # pragma: no cover - must not be reached
    raise AssertionError("a request was sent")


BAD_TOKENS = [
    (SECRET + "\n", "ends with whitespace"),
    ("  " + SECRET, "starts with whitespace"),
    (SECRET[:5] + "\r\n" + SECRET[5:], "control character at position 5"),
    (SECRET[:3] + "é" + SECRET[3:], "non-ASCII character at position 3"),
    (SECRET[:4] + " " + SECRET[4:], "whitespace or a control character at position 4"),
    ("", "is empty"),
]


@pytest.mark.parametrize(("token", "why"), BAD_TOKENS)
def test_a_bad_static_token_is_refused_at_construction_without_quoting_it(token: str, why: str) -> None:
    with pytest.raises(InvalidTokenError, match=why) as info:
        _sdk(_never, token)
    assert isinstance(info.value, ValueError)
    if token.strip():
        assert token.strip()[:8] not in str(info.value)


@pytest.mark.parametrize(("token", "why"), BAD_TOKENS)
def test_a_bad_token_from_a_callable_is_refused_before_sending(token: str, why: str) -> None:
    wf = _sdk(_never, lambda: token)
    with pytest.raises(InvalidTokenError, match=why) as info:
        wf.job_status.get_job_status(id=1)
    if token.strip():
        assert token.strip()[:8] not in str(info.value) + repr(info.value)


async def test_a_bad_token_from_an_async_callable_is_refused() -> None:
    async def token() -> str:
        return SECRET + "\n"

    wf = Workflows(
        server_url="https://alation.test",
        token=token,
        async_client=httpx.AsyncClient(transport=httpx.MockTransport(_never)),
    )
    with pytest.raises(InvalidTokenError, match="ends with whitespace") as info:
        await wf.job_status.get_job_status_async(id=1)
    assert SECRET not in str(info.value)
    await wf.aclose()


def test_a_bad_token_from_a_provider_is_refused() -> None:
    class Provider:
        def bind(self, client: object) -> None:
            return None

        def get_token(self) -> str:
            return SECRET + " \n"

        async def get_token_async(self) -> str:
            return SECRET + " \n"

        def renew(self, rejected: str | None) -> bool:
            return False

        async def renew_async(self, rejected: str | None) -> bool:
            return False

    wf = _sdk(_never, Provider())
    with pytest.raises(InvalidTokenError) as info:
        wf.job_status.get_job_status(id=1)
    assert SECRET not in str(info.value)


def test_a_non_string_token_is_refused() -> None:
    wf = _sdk(_never, lambda: 12345)
    with pytest.raises(InvalidTokenError, match="must be a str, got int"):
        wf.job_status.get_job_status(id=1)


# -- errors: picklable, and their pickled and vars() forms hold no token ------------------------


def _echo(status: int, body: object | None = None) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        if body is not None:
            return httpx.Response(status, json=body)
        return httpx.Response(status, json={"detail": f"bad token {request.headers['token']}"})

    return handler


def _raise(exc: type[httpx.TransportError]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc(f"failed while sending {request.headers['token']}", request=request)

    return handler


def _errors() -> list[WorkflowsError]:
    caught: list[WorkflowsError] = []
    submit = [models.DocumentIn(title="KPI", document_hub_id=1)]
    calls: list[tuple[Callable[[httpx.Request], httpx.Response], bool]] = [
        (_echo(400), False),  # ProblemDetailsError echoing the token
        (_echo(500), False),  # APIError
        (_echo(200, {"status": 17}), False),  # ResponseValidationError
        (_raise(httpx.ReadError), False),  # NetworkError
        (_echo(503), True),  # SubmitUncertainAPIError
        (_raise(httpx.ReadTimeout), True),  # SubmitUncertainNetworkError
    ]
    for handler, is_submit in calls:
        wf = _sdk(handler)
        try:
            if is_submit:
                wf.documents.create_documents(request=submit)
            else:
                wf.job_status.get_job_status(id=1)
        except WorkflowsError as exc:
            caught.append(exc)
    return caught


def test_errors_pickle_round_trip_without_the_token() -> None:
    errors = _errors()
    kinds = [type(e) for e in errors]
    assert kinds == [
        ProblemDetailsError,
        APIError,
        ResponseValidationError,
        NetworkError,
        SubmitUncertainAPIError,
        SubmitUncertainNetworkError,
    ]
    for err in errors:
        data = pickle.dumps(err)
        assert SECRET.encode() not in data, type(err).__name__
        back: object = pickle.loads(data)
        assert type(back) is type(err) and str(back) == str(err)
        if isinstance(err, APIError):
            assert isinstance(back, APIError) and back.raw_response is None
            assert back.status_code == err.status_code and back.body == err.body
        else:
            assert isinstance(back, NetworkError) and back.cause is None
        if isinstance(err, SubmitUncertainError):
            assert isinstance(back, SubmitUncertainError)
            assert back.operation == "createDocuments" and back.url.endswith("/integration/v2/document/")
        for text in (str(err), repr(err), repr(vars(err)), str(vars(err))):
            assert SECRET not in text, type(err).__name__


def test_errors_cross_a_process_pool() -> None:
    from concurrent.futures import ProcessPoolExecutor

    errors = _errors()
    with ProcessPoolExecutor(max_workers=1) as pool:
        echoed = list(pool.map(_identity, errors, timeout=60))
    assert [type(e) for e in echoed] == [type(e) for e in errors]


def _identity(value: object) -> object:
    return value


# -- the generated token operations never show the secrets they send or receive ------------------

REFRESH = "rt-0123456789-very-secret"
NEW = "at-fedcba9876-brand-new"


def _token_sdk(handler: Callable[[httpx.Request], httpx.Response]) -> Workflows:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    return Workflows(server_url="https://alation.test", client=client, retry_config=NO_RETRY)


def test_token_models_keep_secrets_out_of_their_repr() -> None:
    request = models.RefreshTokenRequest(refresh_token=REFRESH, user_id=1)
    shown = [
        request,
        models.AccessTokenRequest(api_access_token=NEW, user_id=1),
        models.ApiAccessToken(api_access_token=NEW, user_id=1, token_status="ACTIVE"),
        models.RefreshTokenInfo(refresh_token=REFRESH, user_id=1, token_status="ACTIVE"),
    ]
    for model in shown:
        assert REFRESH not in repr(model) + str(model) and NEW not in repr(model) + str(model)
    assert request.refresh_token == REFRESH  # still there to use and to send
    assert request.to_wire()["refresh_token"] == REFRESH


def _texts(err: BaseException) -> str:
    import traceback

    return "\n".join([str(err), repr(err), repr(vars(err)), "".join(traceback.format_exception(err))]) + repr(
        pickle.dumps(err)
    )


def test_an_echoed_refresh_token_is_blanked_from_errors() -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)["refresh_token"]
        return httpx.Response(401, json={"detail": f"refresh token {sent} is invalid", "refresh_token": sent})

    wf = _token_sdk(echo)
    with pytest.raises(ProblemDetailsError) as info:
        wf.authentication.create_api_access_token(
            request=models.RefreshTokenRequest(refresh_token=REFRESH, user_id=1)
        )
    assert REFRESH not in _texts(info.value)
    assert "refresh token [REDACTED] is invalid" in str(info.value)


def test_a_new_token_in_a_malformed_answer_is_blanked_from_errors() -> None:
    def malformed(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"api_access_token": NEW, "user_id": "not a number", "token_status": 5}
        )

    wf = _token_sdk(malformed)
    with pytest.raises(ResponseValidationError) as info:
        wf.authentication.create_api_access_token(
            request=models.RefreshTokenRequest(refresh_token=REFRESH, user_id=1)
        )
    texts = _texts(info.value)
    assert NEW not in texts and REFRESH not in texts
    assert "user_id" in str(info.value)  # still says what was wrong


def test_an_echoed_access_token_is_blanked_when_validating_it() -> None:
    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            500, text=f"crash while validating {json.loads(request.content)['api_access_token']}"
        )

    wf = _token_sdk(echo)
    with pytest.raises(APIError) as info:
        wf.authentication.validate_api_access_token(
            request=models.AccessTokenRequest(api_access_token=NEW, user_id=1)
        )
    assert NEW not in _texts(info.value)


def test_a_request_httpx_refuses_to_write_is_not_called_maybe_processed() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.LocalProtocolError("Illegal header value")

    with pytest.raises(NetworkError) as info:
        _sdk(refuse).documents.create_documents(request=[models.DocumentIn(title="KPI", document_hub_id=1)])
    err = info.value
    assert not err.maybe_processed and not isinstance(err, SubmitUncertainError)
    assert "before anything was sent" in str(err) and "may have accepted" not in str(err)
