"""How one server runs: its index, its access token, its upload limit."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..database import is_server_url
from ..i18n import DEFAULT_LANGUAGE

#: Uploads larger than this are refused with status 413.
DEFAULT_UPLOAD_LIMIT = 20 * 1024 * 1024
#: The environment variable holding an access token (``--token`` wins).
ENV_TOKEN = "DOCSEARCH_TOKEN"


@dataclass(frozen=True)
class WebConfig:
    """``index_dir`` is the index folder (store and full-text index) or a
    ``postgresql://`` URL; ``read_index``, when set, is a URL the server
    reads from instead (a streaming replica of that database); ``token``, when set, must come with every request (``Authorization:
    Bearer …`` or the cookie set by opening any page once with
    ``?token=…``); ``upload_limit`` bounds uploaded drafts, in bytes;
    ``lang`` is the language of the pages for a visitor who has not chosen
    one (with ``?lang=``, remembered in a cookie)."""

    index_dir: str | os.PathLike[str] = "indexes"
    token: str | None = None
    upload_limit: int = DEFAULT_UPLOAD_LIMIT
    read_index: str | None = None
    lang: str = DEFAULT_LANGUAGE

    @property
    def index_location(self) -> Path | str:
        """The index folder as a Path, or the database URL as given."""
        index = self.index_dir
        return index if isinstance(index, str) and is_server_url(index) else Path(index)
