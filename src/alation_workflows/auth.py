"""`RefreshTokenAuth`: API access tokens made from a refresh token, renewed before expiry and after a 401.

```python
from alation_workflows import Workflows
from alation_workflows.auth import RefreshTokenAuth

with Workflows(server_url=url, token=RefreshTokenAuth(refresh_token, user_id=7)) as wf:
    ...  # a wait longer than the access token's life (24 h by default) keeps working
```
The refresh token is only ever sent in the body of `POST /integration/v1/createAPIAccessToken/`;
it is kept out of every repr, log line and exception.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from ._runtime.config import CallOptions
from ._runtime.exceptions import (
    APIError,
    InvalidTokenError,
    NetworkError,
    ProblemDetailsError,
    WorkflowsError,
)
from ._runtime.operation import LazyType, Operation
from ._runtime.tokens import Minted, RenewingToken, check_token

if TYPE_CHECKING:
    from ._runtime.client import BaseClient

TOKEN_PATH = "/integration/v1/createAPIAccessToken/"
TOKEN_OPERATION = "createApiAccessToken"
# The answer is read as plain JSON: its checks below give errors that name Alation's reason.
_ANY_JSON = LazyType(lambda: dict[str, Any])


class RefreshTokenError(WorkflowsError):
    """Alation would not create an API access token from the refresh token.

    `status_code` (None for a network failure), Alation's `code` (e.g. "401000") and `detail`
    (e.g. "Refresh token provided is invalid.") say why; the refresh token is never included.
    """

    def __init__(
        self, message: str, *, status_code: int | None, code: str | None, detail: str | None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.detail = detail


def _positive_int(value: object) -> bool:
    # Checked at run time whatever the annotation says: callers may not type-check (and True is an int).
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


class _Secret:
    """Holds the refresh token so that printing the holder never shows it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "<redacted>"


class RefreshTokenAuth(RenewingToken):
    """A `TokenProvider`: creates an API access token from a refresh token and keeps it fresh.

    The token is cached, renewed `renew_before` seconds (at most a tenth of its life) before
    `token_expires_at`, and renewed once after a 401 (the runtime then retries the request).
    Safe to share between threads and asyncio tasks: one renewal at a time, others reuse it.
    The token request is an ordinary call of `createApiAccessToken` (its retry policy from the
    spec), sent without following redirects and with the refresh token scrubbed from errors.
    """

    def __init__(self, refresh_token: str, user_id: int, *, renew_before: float = 300.0) -> None:
        try:
            check_token(refresh_token, "refresh_token")
        except InvalidTokenError as exc:
            raise InvalidTokenError(f"{exc}; refresh_token must be a non-empty string") from None
        if not _positive_int(user_id):
            raise ValueError(f"user_id must be a positive integer, got {user_id!r}")
        super().__init__(renew_before=renew_before)
        self._refresh = _Secret(refresh_token)
        self.user_id = user_id

    def __repr__(self) -> str:
        state = "no access token yet" if self._token is None else f"access token until {self.expires_at}"
        return f"RefreshTokenAuth(user_id={self.user_id}, {state})"

    # -- the token request -----------------------------------------------------------------------

    def _call(self, client: BaseClient) -> tuple[Operation, dict[str, Any], CallOptions]:
        op = client.operations.get(TOKEN_OPERATION)
        if op is None:
            raise RuntimeError(
                f"{type(client).__name__} has no {TOKEN_OPERATION} operation for RefreshTokenAuth"
            )
        body = {"refresh_token": self._refresh.value, "user_id": self.user_id}
        # Never follow a redirect: the refresh token in the body must not be re-posted elsewhere.
        return op, body, CallOptions(follow_redirects=False, secrets=(self._refresh.value,))

    def _mint(self, client: BaseClient) -> Minted:
        op, body, opts = self._call(client)
        try:
            answer = client.invoke(op, "RefreshTokenAuth", {}, body, opts, _ANY_JSON)
        except WorkflowsError as exc:
            failure = self._failure(exc)
        else:
            return _parse(answer, self.user_id)
        raise failure  # outside the except block: nothing holding the request is chained

    async def _mint_async(self, client: BaseClient) -> Minted:
        op, body, opts = self._call(client)
        try:
            answer = await client.invoke_async(op, "RefreshTokenAuth", {}, body, opts, _ANY_JSON)
        except WorkflowsError as exc:
            failure = self._failure(exc)
        else:
            return _parse(answer, self.user_id)
        raise failure

    def _failure(self, exc: WorkflowsError) -> WorkflowsError:
        """A RefreshTokenError naming Alation's reason (or the network failure), never the refresh token."""
        secret = self._refresh.value
        if isinstance(exc, NetworkError):
            return RefreshTokenError(
                "could not reach the token endpoint to create an API access token for "
                f"user_id={self.user_id}: {type(exc.cause).__name__}: {exc.cause}".replace(
                    secret, "<redacted>"
                ),
                status_code=None,
                code=None,
                detail=None,
            )
        if not isinstance(exc, APIError):
            return exc
        data: Any = exc.data if isinstance(exc, ProblemDetailsError) else None
        if hasattr(data, "to_wire"):
            data = data.to_wire()
        fields = cast("dict[str, Any]", data) if isinstance(data, dict) else {}
        detail = fields.get("detail")
        code = fields.get("code")
        reason = detail if isinstance(detail, str) else (exc.body[:200] or "no reason given")
        return RefreshTokenError(
            f"Alation refused to create an API access token for user_id={self.user_id}: "
            f"{reason.replace(secret, '<redacted>')} "
            f"(HTTP {exc.status_code}{f', code {code}' if code else ''})",
            status_code=exc.status_code,
            code=str(code) if code is not None else None,
            detail=detail.replace(secret, "<redacted>") if isinstance(detail, str) else None,
        )


def _parse(body: dict[str, Any], user_id: int) -> Minted:
    """The access token, its lifetime in seconds (None when unknown) and the server's expiry time."""
    if body.get("status") == "failed":
        detail = body.get("detail")
        raise RefreshTokenError(
            f"Alation refused to create an API access token for user_id={user_id}: "
            f"{detail if isinstance(detail, str) else 'no reason given'} (HTTP 200, status failed)",
            status_code=200,
            code=str(body["code"]) if body.get("code") is not None else None,
            detail=detail if isinstance(detail, str) else None,
        )
    token = body.get("api_access_token")
    if not isinstance(token, str) or not token:
        raise RefreshTokenError(
            f"the token endpoint answered without an api_access_token for user_id={user_id} "
            f"(keys: {sorted(body)})",
            status_code=200,
            code=None,
            detail=None,
        )
    status = body.get("token_status")
    if isinstance(status, str) and status.upper() != "ACTIVE":
        raise RefreshTokenError(
            f"the token endpoint returned an access token with status {status!r} for user_id={user_id}",
            status_code=200,
            code=None,
            detail=None,
        )
    expires = _when(body.get("token_expires_at"))
    created = _when(body.get("created_at"))
    if expires is None:
        return Minted(token, None, None)
    # Lifetime by the server's own clock, so a skewed local clock does not matter.
    start = created if created is not None else datetime.now(UTC)
    return Minted(token, (expires - start).total_seconds(), expires)


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


class ClientCredentialsAuth(RenewingToken):
    """A `TokenProvider` for OAuth clients: a JWT from `POST /oauth/v2/token/` (client credentials).

    The token is requested through the SDK's own `createOAuthToken` operation (the runtime's
    retries, timeouts and error types apply; redirects are not followed and the secret is blanked
    out of every error), cached, renewed `renew_before` seconds (at most a tenth of its life)
    before `expires_in` runs out, and renewed once after a 401. With `basic=True` the id and
    secret go as HTTP Basic auth instead of in the form body. The secret is kept out of every
    repr. Safe to share between threads and asyncio tasks.
    """

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        basic: bool = False,
        renew_before: float = 60.0,
    ) -> None:
        for name, value in (("client_id", client_id), ("client_secret", client_secret)):
            if not isinstance(value, str) or not value.strip():  # pyright: ignore[reportUnnecessaryIsInstance]
                raise ValueError(f"{name} must be a non-empty string")
        super().__init__(renew_before=renew_before)
        self.client_id = client_id
        self._secret = _Secret(client_secret)
        self.scope = scope
        self.basic = basic

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth(client_id={self.client_id!r}, renewals={self.renewals})"

    def _arguments(self, client: BaseClient) -> tuple[Operation, Any, CallOptions]:
        op = client.operations["createOAuthToken"]
        assert op.body is not None
        form: dict[str, str] = {"grant_type": "client_credentials"}
        headers: dict[str, str] = {}
        secrets = [self._secret.value]
        if self.basic:
            pair = base64.b64encode(f"{self.client_id}:{self._secret.value}".encode()).decode()
            headers["Authorization"] = "Basic " + pair
            secrets.append(pair)
        else:
            form |= {"client_id": self.client_id, "client_secret": self._secret.value}
        if self.scope:
            form["scope"] = self.scope
        opts = CallOptions(http_headers=headers or None, follow_redirects=False, secrets=tuple(secrets))
        return op, op.body.type.adapter.validate_python(form), opts

    def _mint(self, client: BaseClient) -> Minted:
        op, body, opts = self._arguments(client)
        return self._minted(client.invoke(op, "create_o_auth_token", {}, body, opts))

    async def _mint_async(self, client: BaseClient) -> Minted:
        op, body, opts = self._arguments(client)
        return self._minted(await client.invoke_async(op, "create_o_auth_token", {}, body, opts))

    def _minted(self, answer: Any) -> Minted:
        token, lifetime = getattr(answer, "access_token", None), getattr(answer, "expires_in", None)
        if not isinstance(token, str) or not token:
            raise WorkflowsError(
                f"the OAuth token endpoint sent no access_token for client {self.client_id!r}"
            )
        return Minted(token, float(lifetime) if isinstance(lifetime, (int, float)) else None)
