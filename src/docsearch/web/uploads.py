"""Drafts sent to the checker: pasted text or one uploaded file, read in
memory and never written anywhere, refused beyond the size limit."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass

from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.requests import Request

from ..i18n import phrase
from .errors import WebError

# Room for the multipart boundaries and headers around a file of the limit.
_ENVELOPE = 64 * 1024


@dataclass(frozen=True)
class Draft:
    """A draft to check: its name (the uploaded file's, or ``draft.txt`` for
    pasted text), its bytes when uploaded, or its text when pasted."""

    name: str
    data: bytes | None = None
    text: str | None = None


def _too_large(limit: int) -> WebError:
    return WebError(413, phrase("the upload is larger than the limit of {mb} MB; check a shorter draft, or start "
                                "the server with a larger --max-upload", mb=f"{limit / 1024 / 1024:.0f}"))


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit + _ENVELOPE:
        raise _too_large(limit)
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit + _ENVELOPE:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


async def _replay(body: bytes) -> AsyncGenerator[bytes, None]:
    yield body
    yield b""


async def read_draft(request: Request, limit: int) -> Draft:
    """The draft in a POST: a ``file`` part (multipart) or a ``text`` field.

    Raises :class:`WebError` 413 beyond ``limit`` bytes, 400 when neither is
    given, 415 for a body that is not a form.
    """
    body = await _body(request, limit)
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    try:
        if kind == "multipart/form-data":
            parser = MultiPartParser(request.headers, _replay(body), max_files=1, max_fields=20,
                                     max_part_size=limit + 1)
            parser.spool_max_size = limit + _ENVELOPE  # keep the file in memory
            form = await parser.parse()
        elif kind == "application/x-www-form-urlencoded":
            form = await FormParser(request.headers, _replay(body), max_part_size=limit + 1).parse()
        elif kind.startswith("text/"):
            return Draft("draft.txt", text=body.decode("utf-8", errors="replace"))
        else:
            raise WebError(415, phrase("send the draft as a form: a 'file' upload or a 'text' field "
                                       "(multipart/form-data or application/x-www-form-urlencoded)"))
    except MultiPartException as exc:
        message = str(exc)
        if "exceeded maximum size" in message:
            raise _too_large(limit) from None
        raise WebError(400, phrase("the form cannot be read: {error}", error=message)) from None
    upload = form.get("file")
    if upload is not None and not isinstance(upload, str):
        data = await upload.read()
        await upload.close()
        if len(data) > limit:
            raise _too_large(limit)
        if data:
            name = (upload.filename or "draft").replace("\\", "/").rsplit("/", 1)[-1] or "draft"
            return Draft(name, data=data)
    text = form.get("text")
    if isinstance(text, str) and text.strip():
        if len(text.encode("utf-8")) > limit:
            raise _too_large(limit)
        return Draft("draft.txt", text=text)
    raise WebError(400, phrase("no draft: paste its text in the 'text' field or upload a file in the 'file' field"))
