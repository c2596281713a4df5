"""The live web application and JSON API (``docsearch serve``).

A Starlette (ASGI) application over one index, read-only: the pages of the
static site rendered on demand from the same templates, search as you type,
reports (implements, coverage, the coverage matrix), a draft checker, and a
JSON twin of every page under ``/api/`` returning what the matching command
prints with ``--format json``::

    import uvicorn
    from docsearch.web import WebConfig, create_app

    app = create_app(WebConfig(index_dir="indexes"))
    uvicorn.run(app, host="127.0.0.1", port=8080)

The API is described in ``docs/api.md``.
"""

from .app import create_app
from .config import DEFAULT_UPLOAD_LIMIT, WebConfig

__all__ = ["DEFAULT_UPLOAD_LIMIT", "WebConfig", "create_app"]
