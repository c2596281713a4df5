"""docsearch: search and cross-reference official Vietnamese Party and State documents.

The library does the work; :mod:`docsearch.cli` is a thin layer over it::

    from docsearch import Store, ingest, tag
    with Store.open("indexes") as store:
        summary = ingest(["corpus/"], store)
    result = tag("thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị")
"""

from typing import TYPE_CHECKING

from .lazy import attribute_loader

__version__ = "0.1.0"

# The public names are loaded on first use: `docsearch --help` and the worker
# processes of an ingest need none of the heavy parts they pull in.
_LAZY = {
    "ExtractionError": "extract", "extract_file": "extract", "ingest": "ingestion",
    "DateMention": "models", "DocNumber": "models", "Document": "models", "Identity": "models",
    "IngestSummary": "models", "Reference": "models", "RegistryEntry": "models", "Relation": "models",
    "TagResult": "models", "Knowledge": "refs", "parse_number": "refs", "tag": "refs",
    "Store": "store", "StoreError": "store",
}


__getattr__ = attribute_loader(__name__, _LAZY)


if TYPE_CHECKING:
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
