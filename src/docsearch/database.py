"""Where an index lives: a folder (the embedded SQLite store and tantivy
index) or a PostgreSQL server, named by a ``postgresql://`` URL."""

from __future__ import annotations

import os

SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_url(index: str | os.PathLike[str] | None) -> bool:
    """True when ``index`` names a PostgreSQL database rather than a folder."""
    return isinstance(index, str) and index.startswith(SERVER_SCHEMES)
