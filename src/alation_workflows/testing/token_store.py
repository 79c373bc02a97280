"""TOKEN header checks and the refresh-token / API-access-token endpoints, with expiry."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from .wire import SimRequest, SimResponse, is_object

# Alation's exact 401 bodies for a missing and a rejected TOKEN header.
MISSING = {"detail": "Authentication credentials were not provided."}
FAILED = {"detail": "Authentication failed"}
JWT_FAILED = {"detail": "Authentication failed: invalid bearer token."}


@dataclass
class _Token:
    value: str
    user_id: int
    created: datetime
    expires_at: float  # clock time; inf = never
    refresh: str | None = None  # the refresh token an access token was made from
    revoked: bool = False


class TokenStore:
    """Access tokens (the fixed one plus those created from refresh tokens) and refresh tokens."""

    def __init__(
        self,
        fixed_token: str | None,
        access_token_lifetime: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self.access_token_lifetime = access_token_lifetime
        self.access: dict[str, _Token] = {}
        self.refresh: dict[str, _Token] = {}
        if fixed_token:
            now = datetime.now(UTC)
            self.access[fixed_token] = _Token(fixed_token, 1, now, float("inf"))

    # -- python-level helpers ------------------------------------------------------------------

    def issue_refresh_token(
        self, user_id: int = 1, lifetime: float = 60 * 86400, value: str | None = None
    ) -> str:
        value = value or secrets.token_urlsafe(24)
        self.refresh[value] = _Token(value, user_id, datetime.now(UTC), self._clock() + lifetime)
        return value

    def issue_access_token(
        self, user_id: int = 1, refresh: str | None = None, value: str | None = None
    ) -> _Token:
        value = value or secrets.token_urlsafe(24)
        token = _Token(value, user_id, datetime.now(UTC), self._clock() + self.access_token_lifetime, refresh)
        self.access[value] = token
        return token

    def alias(self, value: str, token: _Token) -> None:
        """Accept `value` as another name for `token` (OAuth JWTs)."""
        self.access[value] = token

    def expire_all(self) -> None:
        """Every access token issued so far (the fixed one too) stops working."""
        for token in self.access.values():
            token.expires_at = min(token.expires_at, self._clock())

    def valid(self, value: str | None) -> bool:
        token = self.access.get(value or "")
        return token is not None and not token.revoked and self._clock() < token.expires_at

    def check(self, request: SimRequest) -> SimResponse | None:
        """None when the TOKEN header is valid, else Alation's 401 response."""
        value = request.headers.get("token")
        if not value:
            return SimResponse.json(401, MISSING)
        if self.valid(value):
            return None
        if value.count(".") == 2 and value.startswith("eyJ"):
            return SimResponse.json(401, JWT_FAILED)
        return SimResponse.json(401, FAILED)

    # -- endpoints (no TOKEN header needed) ----------------------------------------------------

    def _expires_iso(self, token: _Token) -> str:
        # Alation always reports an expiry: a token that never expires here reports one 100 years out.
        left = min(token.expires_at - self._clock(), 100 * 365 * 86400.0)
        return (datetime.now(UTC) + timedelta(seconds=left)).isoformat()

    def _status(self, token: _Token) -> str:
        if token.revoked:
            return "REVOKED"
        return "ACTIVE" if self._clock() < token.expires_at else "EXPIRED"

    def _refresh_from(self, body: Any) -> tuple[_Token | None, SimResponse | None]:
        if not is_object(body) or "refresh_token" not in body or "user_id" not in body:
            return None, SimResponse.json(
                400, {"detail": "refresh_token and user_id are required.", "code": "400000"}
            )
        token = self.refresh.get(str(body["refresh_token"]))
        if token is None or token.user_id != _as_int(body["user_id"]):
            return None, SimResponse.json(
                401, {"detail": "Refresh token provided is invalid.", "code": "401000"}
            )
        if self._status(token) != "ACTIVE":
            return None, SimResponse.json(
                401, {"detail": "Refresh token provided is expired or revoked.", "code": "401000"}
            )
        return token, None

    def create_access_token(self, body: Any) -> SimResponse:
        refresh, problem = self._refresh_from(body)
        if problem is not None or refresh is None:
            return problem or SimResponse.json(500, {"detail": "unreachable"})
        token = self.issue_access_token(refresh.user_id, refresh.value)
        return SimResponse.json(200, self._describe_access(token))

    def validate_refresh_token(self, body: Any) -> SimResponse:
        refresh, problem = self._refresh_from(body)
        if problem is not None or refresh is None:
            return problem or SimResponse.json(500, {"detail": "unreachable"})
        return SimResponse.json(
            200,
            {
                "refresh_token": refresh.value,
                "user_id": refresh.user_id,
                "created_at": refresh.created.isoformat(),
                "name": "simulator",
                "token_expires_at": self._expires_iso(refresh),
                "token_status": self._status(refresh),
                "last_used_at": datetime.now(UTC).isoformat(),
            },
        )

    def validate_access_token(self, body: Any) -> SimResponse:
        invalid = SimResponse.json(401, {"detail": "API Access Token provided is invalid.", "code": "401000"})
        if not is_object(body):
            return invalid
        token = self.access.get(str(body.get("api_access_token", "")))
        if token is None or token.user_id != _as_int(body.get("user_id")) or self._status(token) != "ACTIVE":
            return invalid
        return SimResponse.json(200, self._describe_access(token))

    def revoke(self, body: Any) -> SimResponse:
        refresh, problem = self._refresh_from(body)
        if problem is not None or refresh is None:
            return problem or SimResponse.json(500, {"detail": "unreachable"})
        for token in self.access.values():
            if token.refresh == refresh.value:
                token.revoked = True
        return SimResponse.json(
            200,
            {
                "detail": f"Revoked active access tokens for refresh token: '{refresh.value}' "
                f"with id: {refresh.user_id}"
            },
        )

    def _describe_access(self, token: _Token) -> dict[str, Any]:
        return {
            "api_access_token": token.value,
            "user_id": token.user_id,
            "created_at": token.created.isoformat(),
            "token_expires_at": self._expires_iso(token),
            "token_status": self._status(token),
        }


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
