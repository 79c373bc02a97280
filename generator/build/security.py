"""Security requirements to how the runtime sends the token (header name and prefix)."""

from __future__ import annotations

from typing import Any

from .. import ir
from ..errors import esc
from ..raw import arr, is_obj, obj
from .context import Context


def security_for(ctx: Context, op: dict[str, Any], pointer: str) -> ir.Security | None:
    """The first alternative the runtime can send (None for `security: []` or no requirement)."""
    own = "security" in op
    requirements = op["security"] if own else ctx.spec.get("security")
    where = f"{pointer}/security" if own else "/security"
    alternatives = [r for r in arr(requirements) if r]
    if not alternatives:
        return None
    refused: list[tuple[str, str]] = []
    for i, requirement in enumerate(alternatives):
        if len(requirement) > 1:
            refused.append((f"{where}/{i}", "a requirement naming several schemes at once is not supported"))
            continue
        name = next(iter(requirement))
        found = _scheme(ctx, name, refused)
        if found is not None:
            return found
    for p, msg in refused:
        ctx.fail(p, msg)
    return None


def _scheme(ctx: Context, name: str, refused: list[tuple[str, str]]) -> ir.Security | None:
    s_ptr = f"/components/securitySchemes/{esc(name)}"
    scheme = ctx.deref(obj(obj(ctx.spec.get("components")).get("securitySchemes")).get(name))
    if not is_obj(scheme):
        refused.append((s_ptr, f"security scheme {name!r} is not declared"))
        return None
    kind = scheme.get("type")
    if kind == "apiKey" and scheme.get("in") == "header":
        return ir.Security(name, str(scheme["name"]))
    if (kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer") or kind in (
        "oauth2",
        "openIdConnect",
    ):
        # OAuth2 and OpenID Connect tokens are obtained elsewhere and sent as bearer tokens.
        return ir.Security(name, "Authorization", "Bearer ")
    hint = {
        "apiKey": "only header API keys are supported (not query or cookie)",
        "http": "only the bearer http scheme is supported (basic/digest need a username and password)",
        "mutualTLS": "configure client certificates on your own httpx client instead",
    }.get(str(kind), f"unknown security scheme type {kind!r}")
    refused.append((s_ptr, f"security scheme {name!r}: {hint}"))
    return None
