"""An OpenAPI 3.1 description of the JSON API (``GET /api/openapi.json``).

Starlette does not derive one from the routes, so it is written here, next
to them; ``tests/test_web.py`` checks that every API route is described and
every described path answers.
"""

from __future__ import annotations

from typing import Any

from .. import __version__


def _param(name: str, where: str, description: str, *, required: bool = False, kind: str = "string",
           example: object = None, enum: list[str] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind}
    if enum:
        schema["enum"] = enum
    out: dict[str, Any] = {"name": name, "in": where, "description": description, "required": required,
                           "schema": schema}
    if example is not None:
        out["example"] = example
    return out


def _answer(description: str, media: str = "application/json") -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": {"type": "object"}}}}


_ERRORS = {
    str(code): {"description": text, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for code, text in ((400, "bad query or parameter; an ambiguous number lists its candidates"),
                       (401, "a token is required"), (404, "unknown document"),
                       (503, "no index yet, or an unreadable one"))
}
_DOC = _param("doc", "query", "a document: 57-NQ/TW, Resolution 57, Nghị quyết 57, 18-NQ/TW 2017, or a key",
              required=True, example="57-NQ/TW")
_FORMAT = _param("format", "query", "json (default) or csv", enum=["json", "csv"])


def describe_api() -> dict[str, Any]:
    """The OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "docsearch API",
            "version": __version__,
            "description": "Each answer is the JSON the matching command prints with --format json "
                           "(docs/api.md).",
        },
        "paths": {
            "/api/search": {"get": {
                "summary": "Full-text search (docsearch search)",
                "parameters": [
                    _param("q", "query", "query language of docs/search.md", required=True,
                           example="Nghị quyết 57 type:CTr"),
                    _param("limit", "query", "hits to return, 1-1000 (default 10)", kind="integer"),
                    _param("offset", "query", "hits to skip (default 0)", kind="integer"),
                ],
                "responses": {"200": _answer("ranked hits with snippets and facet counts"), **_ERRORS},
            }},
            "/api/documents/{ref}": {"get": {
                "summary": "One document (docsearch show)",
                "parameters": [
                    _param("ref", "path", "an id with its slashes (57-NQ/TW, 13/2023/NĐ-CP), %23N, or a path's end",
                           required=True, example="46-CTr/TU"),
                    _param("text", "query", "1 to include the extracted text", enum=["0", "1"]),
                ],
                "responses": {"200": _answer("the stored document(s), or what the graph knows of it"), **_ERRORS},
            }},
            "/api/implements": {"get": {
                "summary": "Documents implementing a document (docsearch implements)",
                "parameters": [_DOC, _param("depth", "query", "levels of the chain, 1-6", kind="integer"),
                               _param("relation", "query", "relation to follow (repeatable)"),
                               _param("issuer", "query", "only the direct implementers of this issuer, named as "
                                      "the document page groups them (e.g. Tỉnh ủy Quảng Ninh)"), _FORMAT],
                "responses": {"200": _answer("the tree of implementers"), **_ERRORS},
            }},
            "/api/cites": {"get": {
                "summary": "Documents referring to a document (docsearch cites)",
                "parameters": [_DOC, _param("relation", "query", "only relations of this type, in the order of "
                                            "the document page (date of the citing document, then key); "
                                            "mentions are left out"),
                               _param("offset", "query", "skip this many relations", kind="integer"),
                               _param("limit", "query", "at most this many relations", kind="integer"), _FORMAT],
                "responses": {"200": _answer("citing documents by relation, and mentions"), **_ERRORS},
            }},
            "/api/coverage": {"get": {
                "summary": "Coverage of a document by committee, or the matrix (docsearch coverage)",
                "parameters": [
                    {**_DOC, "required": False},
                    _param("central", "query", "1 for the matrix of central documents", enum=["0", "1"]),
                    _param("by", "query", "issuer (default) or level", enum=["issuer", "level"]),
                    _param("depth", "query", "levels of the chain, 1-6", kind="integer"), _FORMAT,
                ],
                "responses": {"200": _answer("covered committees, missing ones, or the matrix"), **_ERRORS},
            }},
            "/api/graph": {"get": {
                "summary": "The whole cross-reference graph (docsearch graph)",
                "parameters": [_param("format", "query", "export format", enum=["json", "graphml", "dot", "csv"]),
                               _param("table", "query", "with csv: edges or nodes", enum=["edges", "nodes"])],
                "responses": {"200": _answer("nodes and edges"), **_ERRORS},
            }},
            "/api/check": {"post": {
                "summary": "Check the citations of a draft (docsearch check)",
                "parameters": [_param("ignore", "query", "a finding code or group not to report (repeatable)")],
                "requestBody": {"required": True, "content": {
                    "multipart/form-data": {"schema": {"type": "object", "properties": {
                        "file": {"type": "string", "format": "binary", "description": "DOCX, PDF, TXT or HTML"},
                        "text": {"type": "string", "description": "the draft's text"}}}},
                    "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                        "text": {"type": "string"}}}},
                }},
                "responses": {
                    "200": _answer("the findings"), **_ERRORS,
                    "413": {"description": "the upload is over the limit (--max-upload, 20 MB by default)"},
                    "415": {"description": "a format the checker cannot read"},
                },
            }},
        },
        "components": {"schemas": {"Error": {
            "type": "object", "required": ["error", "status"],
            "properties": {"error": {"type": "string"}, "status": {"type": "integer"},
                           "candidates": {"type": "array", "items": {"type": "object"}}},
        }}},
    }
