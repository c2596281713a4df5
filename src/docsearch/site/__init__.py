"""The store as a static web site: document pages with linked references,
listings, the coverage matrix, neighbourhood graphs and an in-browser search.

    from docsearch import Store
    from docsearch.site import build_site
    with Store.open("indexes") as store:
        report = build_site(store, "site/")
    print(report.pages, "pages,", report.written, "written")
"""

from .build import SiteError, SiteReport, build_site
from .urls import slug

__all__ = ["SiteError", "SiteReport", "build_site", "slug"]
