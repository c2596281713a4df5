"""Errors a request can meet, each with its HTTP status and a message that
says what to do. Library exceptions are mapped here, in one place."""

from __future__ import annotations

from typing import Any

from ..check import CheckError
from ..extract import ExtractionError
from ..graph import AmbiguousDocument, BadQuery, GraphError, Node, UnknownDocument
from ..i18n import SaidError, Sayable, phrase, said_of
from ..search import QueryError, SearchError
from .access import IndexUnavailable
from .document import DocumentNotFound

#: The title of an error page, by status (English message ids, see docsearch.i18n).
TITLES: dict[int, str] = {
    400: "Bad request", 401: "Sign-in needed", 404: "Not found", 405: "Method not allowed",
    413: "Upload too large", 415: "Unsupported format", 503: "Index unavailable", 500: "Something went wrong",
}


class WebError(SaidError):
    """An answer other than 200: ``status``, the message (English text, or a
    phrase a page says in its language with :meth:`text`; JSON gives the
    English), and for an ambiguous document the ``candidates`` it could mean."""

    def __init__(self, status: int, message: str | Sayable, *, candidates: tuple[Node, ...] = (),
                 query: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.candidates = candidates
        self.query = query

    @property
    def message(self) -> str:
        """The message in English."""
        return str(self)

    @property
    def title(self) -> str:
        return TITLES.get(self.status, "Error")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"error": self.message, "status": self.status}
        if self.candidates:
            out["candidates"] = [c.to_json() for c in self.candidates]
        return out


def classify(exc: Exception) -> WebError | None:
    """The :class:`WebError` for an exception a user's input can cause, or
    None for a fault of the server (answered 500, logged)."""
    if isinstance(exc, WebError):
        return exc
    if isinstance(exc, IndexUnavailable):
        return WebError(503, said_of(exc))
    if isinstance(exc, QueryError):
        return WebError(400, said_of(exc))
    if isinstance(exc, SearchError):
        return WebError(503, said_of(exc))
    if isinstance(exc, AmbiguousDocument):
        return WebError(400, said_of(exc), candidates=exc.candidates, query=exc.query)
    if isinstance(exc, (UnknownDocument, DocumentNotFound)):
        return WebError(404, said_of(exc))
    if isinstance(exc, (BadQuery, GraphError)):
        return WebError(400, said_of(exc))
    if isinstance(exc, ExtractionError):
        return WebError(415, phrase("cannot read this draft: {reason}", reason=exc.said))
    if isinstance(exc, CheckError):
        return WebError(415, said_of(exc))
    return None
