"""Everything the index holds about one stored document: the text's metadata,
its references, the relations it states, its OCR pages and what the graph
knows of the document it is. ``docsearch show DOC --format json`` prints it and
``GET /api/documents/{id}`` returns it, both through :meth:`DocumentRecord.to_json`,
so the two answers cannot drift apart.

    from docsearch.document_record import read_record
    record = read_record(store, store.find_documents("46-CTr/TU")[0])
    record.to_json()["relations"]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .graph import Profile, Resolver, describe_text
from .models import Document, OcrPage, Reference, Relation
from .render import relative_path
from .store import Store


@dataclass(frozen=True)
class DocumentRecord:
    """One stored document with what was read from it and what the graph says of it."""

    document: Document
    references: tuple[Reference, ...]
    relations: tuple[Relation, ...]
    ocr_pages: tuple[OcrPage, ...]
    #: The document the text is, as the graph sees it; None for a text with
    #: no header naming it (news, articles).
    profile: Profile | None

    def to_json(self, *, with_text: bool = False) -> dict[str, Any]:
        """The JSON of ``docsearch show``: paths relative to the working folder
        when under it, the full text only when asked for."""
        d = self.document
        item = d.summary_json()
        item["path"] = relative_path(d.path)
        item["copies"] = [relative_path(p) for p in d.copies]
        item["references"] = [r.to_json() for r in self.references]
        item["relations"] = [r.to_json() for r in self.relations]
        item["ocr_pages"] = [p.to_json() for p in self.ocr_pages]
        item["graph"] = self.profile.to_json() if self.profile is not None else None
        if with_text:
            item["text"] = d.text
        return item


def read_record(store: Store, document: Document, *, resolver: Resolver | None = None) -> DocumentRecord:
    """Read what the store holds about ``document`` (one of its own). A
    long-lived caller passes its ``resolver`` so the graph is not rebuilt."""
    doc_id = document.doc_id
    return DocumentRecord(
        document=document,
        references=tuple(store.references(doc_id)),
        relations=tuple(store.relations(doc_id)),
        ocr_pages=tuple(store.ocr_pages(doc_id)),
        profile=describe_text(store, doc_id, resolver=resolver),
    )
