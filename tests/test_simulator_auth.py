"""Simulator authentication: TOKEN header 401 bodies, refresh/access token endpoints, expiry, OAuth, CLI."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from alation_workflows.testing import Simulator

JOB = "/api/v1/bulk_metadata/job/"


@pytest.fixture
def clock() -> list[float]:
    return [1000.0]


@pytest.fixture
def sim(clock: list[float]) -> Simulator:
    return Simulator(token="fixed", access_token_lifetime=60, clock=lambda: clock[0])


@pytest.fixture
def client(sim: Simulator) -> Iterator[httpx.Client]:
    with httpx.Client(transport=sim.transport(), base_url="http://sim") as c:
        yield c


def test_401_bodies_over_loopback(alation_server) -> None:
    with httpx.Client(base_url=alation_server.url, timeout=5) as c:
        missing = c.get(JOB, params={"id": 1})
        assert (missing.status_code, missing.json()) == (
            401,
            {"detail": "Authentication credentials were not provided."},
        )
        wrong = c.get(JOB, params={"id": 1}, headers={"TOKEN": "nope"})
        assert (wrong.status_code, wrong.json()) == (401, {"detail": "Authentication failed"})
        assert c.get(JOB, params={"id": 1}, headers={"Token": alation_server.token}).status_code == 404


def test_refresh_token_flow_and_expiry(sim: Simulator, client: httpx.Client, clock: list[float]) -> None:
    refresh = sim.issue_refresh_token(user_id=1)
    body = {"refresh_token": refresh, "user_id": 1}
    valid = client.post("/integration/v1/validateRefreshToken/", json=body).json()
    assert valid["token_status"] == "ACTIVE" and valid["user_id"] == 1
    created = client.post("/integration/v1/createAPIAccessToken/", json=body)
    assert created.status_code == 200
    token = created.json()
    assert set(token) == {"api_access_token", "user_id", "created_at", "token_expires_at", "token_status"}
    access = token["api_access_token"]
    assert client.get(JOB, params={"id": 1}, headers={"TOKEN": access}).status_code == 404
    check = {"api_access_token": access, "user_id": 1}
    assert (
        client.post("/integration/v1/validateAPIAccessToken/", json=check).json()["token_status"] == "ACTIVE"
    )
    clock[0] += 61  # past the 60 s access-token lifetime
    expired = client.get(JOB, params={"id": 1}, headers={"TOKEN": access})
    assert (expired.status_code, expired.json()) == (401, {"detail": "Authentication failed"})
    assert client.post("/integration/v1/validateAPIAccessToken/", json=check).json() == {
        "detail": "API Access Token provided is invalid.",
        "code": "401000",
    }
    assert (
        client.get(JOB, params={"id": 1}, headers={"TOKEN": "fixed"}).status_code == 404
    )  # fixed token lives on


def test_revoke_and_invalid_refresh(sim: Simulator, client: httpx.Client) -> None:
    refresh = sim.issue_refresh_token(user_id=1)
    body = {"refresh_token": refresh, "user_id": 1}
    access = client.post("/integration/v1/createAPIAccessToken/", json=body).json()["api_access_token"]
    revoked = client.post("/integration/v1/revokeAPIAccessTokens/", json=body).json()
    assert revoked == {"detail": f"Revoked active access tokens for refresh token: '{refresh}' with id: 1"}
    assert client.get(JOB, params={"id": 1}, headers={"TOKEN": access}).status_code == 401
    bad = client.post("/integration/v1/createAPIAccessToken/", json={"refresh_token": "x", "user_id": 1})
    assert (bad.status_code, bad.json()) == (
        401,
        {"detail": "Refresh token provided is invalid.", "code": "401000"},
    )


def test_oauth_client_credentials(sim: Simulator, client: httpx.Client) -> None:
    sim.add_oauth_client("app", "s3cret")
    basic = base64.b64encode(b"app:s3cret").decode()
    r = client.post(
        "/oauth/v2/token/",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert r.status_code == 200 and r.json()["token_type"] == "Bearer"
    jwt = r.json()["access_token"]
    assert client.get(JOB, params={"id": 1}, headers={"TOKEN": jwt}).status_code == 404
    bad = client.post(
        "/oauth/v2/token/",
        data={"grant_type": "client_credentials", "client_id": "app", "client_secret": "x"},
    )
    assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
    forged = jwt[:-3] + "abc"
    assert client.get(JOB, params={"id": 1}, headers={"TOKEN": forged}).json() == {
        "detail": "Authentication failed: invalid bearer token."
    }


def test_cli_serves_until_interrupted() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(["src", os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, "-m", "alation_workflows.testing", "--token", "cli-token", "--job-duration", "0"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("Alation simulator listening on http://127.0.0.1:"), first
        url = first.rsplit(" ", 1)[1].strip()
        r = httpx.post(
            f"{url}/integration/v2/document/",
            json=[{"title": "x", "document_hub_id": 1}],
            headers={"TOKEN": "cli-token"},
            timeout=5,
        )
        assert r.status_code == 202
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_an_allie_sdk_style_login_with_a_string_user_id_works(sim: Simulator, client: httpx.Client) -> None:
    # allie-sdk reads user_id from a config file and sends it as a string; Alation parses it.
    refresh = sim.issue_refresh_token(user_id=7)
    body = {"refresh_token": refresh, "user_id": "7"}
    valid = client.post("/integration/v1/validateRefreshToken/", json=body)
    assert valid.status_code == 200, valid.text
    assert valid.json()["token_status"] == "ACTIVE" and valid.json()["user_id"] == 7
    created = client.post("/integration/v1/createAPIAccessToken/", json=body)
    assert created.status_code == 200, created.text
    token = created.json()["api_access_token"]
    checked = client.post(
        "/integration/v1/validateAPIAccessToken/", json={"api_access_token": token, "user_id": "7"}
    )
    assert checked.status_code == 200 and checked.json()["user_id"] == 7
    assert client.get(JOB, params={"id": 1}, headers={"TOKEN": token}).status_code == 404  # authenticated
    for bad in ("seven", "7.0", "", True):
        refused = client.post("/integration/v1/createAPIAccessToken/", json={**body, "user_id": bad})
        assert refused.status_code == 400, (bad, refused.text)
        assert "user_id" in refused.text
