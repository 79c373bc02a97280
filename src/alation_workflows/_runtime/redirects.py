"""Redirects, followed by the SDK itself so the TOKEN header never reaches another origin.

httpx strips only `Authorization` on a cross-origin redirect, not custom headers such as
`TOKEN`, so every request is sent with `follow_redirects=False` (also on a user's own client)
and the next hop is built here.
"""

from __future__ import annotations

import httpx

MAX_REDIRECTS = 5
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers that carry credentials: never sent to an origin other than the one they were meant for.
_CREDENTIAL_HEADERS = ("token", "authorization", "cookie", "proxy-authorization")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme)


def keeps_credentials(old: httpx.URL, new: httpx.URL) -> bool:
    """Same origin, or the same host upgraded from http to https on default ports (as httpx does)."""
    if _origin(old) == _origin(new):
        return True
    return (
        old.host == new.host
        and old.scheme == "http"
        and new.scheme == "https"
        and old.port in (None, 80)
        and new.port in (None, 443)
    )


def is_redirect(response: httpx.Response) -> bool:
    return response.status_code in _REDIRECT_STATUSES and "location" in response.headers


def redirect_target(response: httpx.Response) -> httpx.URL | None:
    """The absolute URL a redirect points to, or None when it is missing or not http(s)."""
    try:
        url = response.request.url.join(response.headers["location"])
    except (KeyError, httpx.InvalidURL):
        return None
    return url if url.scheme in ("http", "https") and url.host else None


def next_request(client: httpx.Client | httpx.AsyncClient, response: httpx.Response) -> httpx.Request | None:
    """The request that follows a redirect response, or None when it must not be followed.

    307/308 repeat the method and body. 301/302/303 are followed only for GET/HEAD: turning a
    bulk submission into a GET would silently drop its body, so the caller gets an APIError.
    """
    if not is_redirect(response):
        return None
    request = response.request
    url = redirect_target(response)
    if url is None:
        return None
    if response.status_code in (301, 302, 303) and request.method not in ("GET", "HEAD"):
        return None
    if request.url.scheme == "https" and url.scheme == "http":
        return None  # a downgrade would send the body (and the query) in clear: the caller gets an APIError
    headers = request.headers.copy()
    headers.pop("host", None)
    if not keeps_credentials(request.url, url):
        # Plus the header the spec's security scheme names (request.py records it).
        for name in (*_CREDENTIAL_HEADERS, *request.extensions.get("credential_headers", ())):
            headers.pop(name, None)
    # The body was built from bytes, so it is in memory and can be sent again.
    return client.build_request(
        request.method, url, headers=headers, content=request.read(), extensions=dict(request.extensions)
    )
