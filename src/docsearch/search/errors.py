"""Errors of the full-text search, each with a message that says what to do."""

from __future__ import annotations

from ..i18n import SaidError


class SearchError(SaidError):
    """The full-text index cannot be used; the message says what to do."""


class QueryError(SearchError):
    """A query that cannot be understood; the message points at the problem."""


class IndexMissing(SearchError):
    """There is no full-text index (yet) in the index folder."""


class IndexBusy(SearchError):
    """Another process is writing the full-text index."""
