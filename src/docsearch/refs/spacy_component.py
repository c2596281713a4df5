"""The tagger as a spaCy pipeline component: ``nlp.add_pipe("docsearch_refs")``.

It runs the same :func:`docsearch.refs.tag` as ingestion (one grammar, one
place) and puts what it finds on the ``Doc``:

- ``doc.spans["docsearch_refs"]``: one span per reference (label ``DOC_REF``)
  and per date (label ``DATE``); ``span._.docsearch`` holds the reference or
  date as the JSON-ready dict of the ``refs --format json`` contract, with the
  exact character offsets;
- ``doc.ents``: the same spans where they do not overlap existing entities;
- ``doc._.docsearch``: the whole result (``self``, references, dates,
  relations) as a dict.

Spans are aligned to token boundaries with ``alignment_mode="expand"``, so a
span can be wider than the reference when a token glues it to punctuation;
the exact offsets stay in ``span._.docsearch``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .knowledge import Knowledge
from .tagger import tag

SPANS_KEY = "docsearch_refs"

if not Span.has_extension("docsearch"):
    Span.set_extension("docsearch", default=None)
if not Doc.has_extension("docsearch"):
    Doc.set_extension("docsearch", default=None)


class DocsearchRefs:
    """Callable pipeline component wrapping :func:`docsearch.refs.tag`."""

    def __init__(self, nlp: Language, name: str, spans_key: str = SPANS_KEY, set_ents: bool = True,
                 knowledge: Knowledge | None = None) -> None:
        self.name = name
        self.spans_key = spans_key
        self.set_ents = set_ents
        self.knowledge = knowledge

    def __call__(self, doc: Doc) -> Doc:
        result = tag(doc.text, knowledge=self.knowledge)
        spans: list[Span] = []
        for ref in result.references:
            span = doc.char_span(ref.start, ref.end, label="DOC_REF", alignment_mode="expand")
            if span is not None:
                span._.docsearch = ref.to_json()
                spans.append(span)
        for d in result.dates:
            span = doc.char_span(d.start, d.end, label="DATE", alignment_mode="expand")
            if span is not None:
                span._.docsearch = d.to_json()
                spans.append(span)
        spans.sort(key=lambda s: (s.start_char, s.end_char))
        doc.spans[self.spans_key] = spans
        if self.set_ents:
            taken = list(doc.ents)
            free = [s for s in filter_spans(spans)
                    if not any(s.start < e.end and e.start < s.end for e in taken)]
            doc.ents = sorted(taken + free, key=lambda s: s.start)
        doc._.docsearch = result.to_json()
        return doc


@Language.factory(
    "docsearch_refs",
    default_config={"spans_key": SPANS_KEY, "set_ents": True},
)
def make_docsearch_refs(nlp: Language, name: str, spans_key: str, set_ents: bool) -> DocsearchRefs:
    """Factory registered with spaCy (also exposed through the ``spacy_factories`` entry point)."""
    return DocsearchRefs(nlp, name, spans_key=spans_key, set_ents=set_ents)


def blank_pipeline(lang: str = "xx") -> Language:
    """A blank spaCy pipeline with the docsearch component; nothing is downloaded.

    ``vi`` is configured without pyvi (whitespace tokenisation), as shipped
    Vietnamese word segmentation needs a separate install.
    """
    import spacy

    if lang == "vi":
        nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    else:
        nlp = spacy.blank(lang)
    nlp.add_pipe("docsearch_refs")
    return nlp


__all__ = ["DocsearchRefs", "SPANS_KEY", "blank_pipeline", "make_docsearch_refs"]
