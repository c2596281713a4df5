"""docsearch: search and cross-reference official Vietnamese Party and State documents.

The library does the work; :mod:`docsearch.cli` is a thin layer over it::

    from docsearch import Store, ingest, tag
    with Store.open("indexes") as store:
        summary = ingest(["corpus/"], store)
    result = tag("thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị")
"""

from .extract import ExtractionError, extract_file
from .ingestion import ingest
from .models import (
    DateMention,
    DocNumber,
    Document,
    Identity,
    IngestSummary,
    Reference,
    RegistryEntry,
    Relation,
    TagResult,
)
from .refs import Knowledge, parse_number, tag
from .store import Store, StoreError

__version__ = "0.1.0"

__all__ = [
    "DateMention",
    "DocNumber",
    "Document",
    "ExtractionError",
    "Identity",
    "IngestSummary",
    "Knowledge",
    "Reference",
    "RegistryEntry",
    "Relation",
    "Store",
    "StoreError",
    "TagResult",
    "__version__",
    "extract_file",
    "ingest",
    "parse_number",
    "tag",
]
