"""§4 token endpoints (no TOKEN header): refresh → API access token, validate, revoke; OAuth client credentials."""

from __future__ import annotations

import base64
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from ..registry import handles, simulator_only
from ..wire import BadBody, SimRequest, SimResponse

if TYPE_CHECKING:
    from ..simulator import Simulator


def _body(request: SimRequest) -> Any:
    try:
        return request.json()
    except BadBody:
        return None


@handles("createApiAccessToken")
def create_access(sim: Simulator, request: SimRequest) -> SimResponse:
    return sim.tokens.create_access_token(_body(request))


@handles("validateRefreshToken")
def validate_refresh(sim: Simulator, request: SimRequest) -> SimResponse:
    return sim.tokens.validate_refresh_token(_body(request))


@handles("validateApiAccessToken")
def validate_access(sim: Simulator, request: SimRequest) -> SimResponse:
    return sim.tokens.validate_access_token(_body(request))


@handles("revokeApiAccessTokens")
def revoke(sim: Simulator, request: SimRequest) -> SimResponse:
    return sim.tokens.revoke(_body(request))


@simulator_only("createOAuthTokenNoSlash", "POST", "/oauth/v2/token", public=True, like="createOAuthToken")
@handles("createOAuthToken")
def oauth_token(sim: Simulator, request: SimRequest) -> SimResponse:
    """Client-credentials grant; credentials in the form body or as HTTP Basic auth."""
    form = {k: v[0] for k, v in parse_qs(request.text()).items()}
    if form.get("grant_type") != "client_credentials":
        return SimResponse.json(
            400,
            {"error": "unsupported_grant_type", "error_description": "Only client_credentials is supported."},
        )
    client_id, secret = form.get("client_id"), form.get("client_secret")
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("basic "):
        try:
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            client_id = secret = None
    if not client_id or sim.oauth_clients.get(client_id) != secret:
        return SimResponse.json(
            401, {"error": "invalid_client", "error_description": "Invalid client credentials."}
        )
    token = sim.tokens.issue_access_token(user_id=1)
    # A JWT-looking value (header.payload.signature): Alation sends these in the TOKEN header too.
    jwt = "eyJhbGciOiJSUzI1NiJ9." + base64.urlsafe_b64encode(token.value.encode()).decode().rstrip("=")
    jwt += "." + secrets.token_urlsafe(16)
    sim.tokens.alias(jwt, token)
    return SimResponse.json(
        200,
        {
            "access_token": jwt,
            "token_type": "Bearer",
            "expires_in": int(sim.tokens.access_token_lifetime),
            "scope": "",
        },
    )
