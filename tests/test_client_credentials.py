"""ClientCredentialsAuth against the simulator: a JWT from the OAuth token endpoint, renewed in time."""

from __future__ import annotations

import asyncio
import base64

import httpx
import pytest

from alation_workflows import Workflows, models
from alation_workflows.auth import ClientCredentialsAuth
from alation_workflows.errors import ProblemDetailsError
from alation_workflows.testing.pytest_plugin import ServedSimulator


def test_token_from_form_credentials_is_used_and_cached(alation_server: ServedSimulator) -> None:
    alation_server.sim.oauth_clients["svc"] = "sec"
    auth = ClientCredentialsAuth("svc", "sec")
    with Workflows(server_url=alation_server.url, token=auth) as wf:
        assert isinstance(list(wf.domains.list_domains()), list)  # a secured call, authenticated by the JWT
        first = auth.get_token()
        assert first and first.count(".") == 2  # a JWT-shaped token
        assert auth.get_token() == first and auth.renewals == 1
    assert "sec" not in repr(auth)


def test_basic_auth_and_renewal_before_expiry(alation_server: ServedSimulator) -> None:
    alation_server.sim.oauth_clients["svc"] = "sec"
    alation_server.sim.tokens.access_token_lifetime = 1.0  # renewed within its last tenth
    seen: list[httpx.Request] = []
    auth = ClientCredentialsAuth("svc", "sec", basic=True, renew_before=0.9)
    client = httpx.Client(event_hooks={"request": [seen.append]})
    with Workflows(server_url=alation_server.url, token=auth, client=client) as wf:
        first = auth.get_token()
        token_request = seen[0]
        assert token_request.headers["authorization"] == "Basic " + base64.b64encode(b"svc:sec").decode()
        assert (
            b"client_secret" not in token_request.content
            and b"grant_type=client_credentials" in token_request.content
        )
        auth._renew_at = 0.0  # as if its time had come
        assert auth.get_token() != first and auth.renewals == 2
        assert isinstance(list(wf.domains.list_domains()), list)


def test_a_401_renews_once_and_wrong_credentials_raise_typed(alation_server: ServedSimulator) -> None:
    alation_server.sim.oauth_clients["svc"] = "sec"
    auth = ClientCredentialsAuth("svc", "sec")
    with Workflows(server_url=alation_server.url, token=auth) as wf:
        token = auth.get_token()
        with auth._state:
            auth._token, auth._renew_at = "eyJ.stale.jwt", None  # a token the server no longer accepts
        assert isinstance(
            list(wf.domains.list_domains()), list
        )  # 401 -> renewed -> the request is sent again
        assert auth.renewals == 2 and auth.get_token() not in (token, "eyJ.stale.jwt")
        assert auth.renew("some older token") and auth.renewals == 2  # already replaced: not renewed again
    bad = ClientCredentialsAuth("svc", "wrong")
    with Workflows(server_url=alation_server.url, token=bad), pytest.raises(ProblemDetailsError) as err:
        bad.get_token()
    assert err.value.status_code == 401 and isinstance(err.value.data, models.OAuthError)
    assert err.value.data.error == "invalid_client"


def test_async_token(alation_server: ServedSimulator) -> None:
    alation_server.sim.oauth_clients["svc"] = "sec"
    auth = ClientCredentialsAuth("svc", "sec")

    async def go() -> str | None:
        async with Workflows(server_url=alation_server.url, token=auth):
            return await auth.get_token_async()

    assert asyncio.run(go()) and auth.renewals == 1


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="client_secret"):
        ClientCredentialsAuth("svc", " ")
