"""What every response carries and every request must bring.

* Headers: a Content-Security-Policy that allows scripts, styles and
  images only from the server itself (no inline script, no ``eval``, no
  plug-ins, no framing), ``nosniff``, no referrer (an address may hold a
  query), and no caching of pages that may be private.
* ``Server-Timing: app;dur=…``: the milliseconds the application took
  until the answer started (what the benchmark reports as server time).
* With a token: every request needs ``Authorization: Bearer <token>`` or the
  cookie set when a page is opened once with ``?token=<token>`` (the server
  then redirects to the same address without it, so it does not stay in
  the history or get shared with a link).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, quote, urlencode

from starlette.datastructures import MutableHeaders
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
TOKEN_COOKIE = "docsearch_token"
_HEADERS = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
)


def _cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header is simply no cookie
                continue
            if name in jar:
                return jar[name].value
    return None


def _bearer(scope: Scope) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == b"authorization":
            kind, _, credential = value.decode("latin-1").partition(" ")
            if kind.lower() == "bearer":
                return credential.strip()
    return None


class Guard:
    """ASGI middleware: security headers on every answer, and the token check."""

    def __init__(self, app: ASGIApp, token: str | None, deny: Callable[[Scope], Response]) -> None:
        self.app = app
        self.token = token
        self.deny = deny

    def _valid(self, offered: str | None) -> bool:
        return offered is not None and self.token is not None and hmac.compare_digest(
            offered.encode("utf-8"), self.token.encode("utf-8"))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.append("server-timing", f"app;dur={(time.perf_counter() - started) * 1000:.2f}")
                for name, value in _HEADERS:
                    headers.setdefault(name, value)
                if not scope["path"].startswith("/static/"):
                    headers.setdefault("cache-control", "no-store" if self.token else "no-cache")
            await send(message)

        if self.token is not None and not (self._valid(_bearer(scope)) or self._valid(_cookie(scope, TOKEN_COOKIE))):
            query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
            offered = next((v for k, v in query if k == "token"), None)
            if self._valid(offered):
                rest = urlencode([(k, v) for k, v in query if k != "token"])
                path = quote(scope.get("root_path", "") + scope["path"], safe="/@-._~:!$&'()*+,;=")
                target = path + (f"?{rest}" if rest else "")
                response: Response = RedirectResponse(target, status_code=303)
                response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict",
                                    secure=scope.get("scheme") == "https", max_age=30 * 24 * 3600)
            else:
                response = self.deny(scope)
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
