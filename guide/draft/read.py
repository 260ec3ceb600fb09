"""Reading help documents: plain text, Markdown, PDF (text layer) and DOCX, as plain text.

PDF goes through pypdf: pure Python, no system library, maintained by the py-pdf project,
and its plain extraction keeps the reading order well enough for « fiches »; what it cannot
give (a scanned page has no text layer) is reported, not guessed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

MAX_BYTES = 50_000_000  # a help document is kilobytes to a few megabytes


class DraftError(Exception):
    """Bad input for `guide draft`: the message names the file and what to do."""


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # never fails: every byte is a character


# Markdown markup a person does not read: emphasis, headings' #, links and images.
_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)[^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_CODE = re.compile(r"`([^`]+)`")


def strip_markdown(text: str) -> str:
    """Markdown as the words it shows; a link keeps its address, which may be a page."""
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(lambda m: m[1] if m[2] in m[1] else f"{m[1]} ({m[2]})", text)
    text = _MD_HEADING.sub("", text)
    text = _MD_EMPHASIS.sub(r"\2", text)
    return _MD_CODE.sub(r"\1", text)


def _read_markdown(path: Path) -> str:
    return strip_markdown(_read_text(path))


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader

    # pypdf logs what it repairs in a damaged file; the person gets one message from us instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DraftError(
                f"{path}: the PDF is protected by a password: save an unprotected copy "
                "(print to PDF) and draft from that"
            )
        pages = [page.extract_text() or "" for page in reader.pages]
    except DraftError:
        raise
    except Exception as error:  # a parser fed any file may fail in any way: never a traceback
        raise DraftError(
            f"{path}: not a readable PDF ({error}): open it in a PDF viewer and "
            "save it again, or export the document as text"
        ) from None
    text = "\n\n".join(pages)
    if not text.strip():
        raise DraftError(
            f"{path}: the PDF has no text layer (a scan?): run it through OCR "
            "(for example ocrmypdf) or copy its text into a .txt file"
        )
    return text


def _read_docx(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as error:  # not a zip, not a Word package, a damaged part…
        raise DraftError(
            f"{path}: not a readable DOCX ({error}): open it in a word processor and save it again as .docx"
        ) from None
    lines: list[str] = []
    for paragraph in document.paragraphs:
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        # List paragraphs lose their bullet in the text: give it back, bullets mark steps.
        bullet = "- " if "List" in style else ""
        lines.append(bullet + paragraph.text)
    for table in document.tables:
        for row in table.rows:
            lines.append(" : ".join(cell.text.strip() for cell in row.cells))
    return "\n".join(lines)


READERS: dict[str, Callable[[Path], str]] = {
    ".txt": _read_text,
    ".text": _read_text,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}


def read_document(path: Path | str) -> str:
    """The document's text; DraftError (naming the file and the fix) for anything unreadable."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        hint = " (save it as .docx)" if path.suffix.lower() in (".doc", ".odt", ".rtf") else ""
        raise DraftError(
            f"{path}: cannot read {path.suffix or 'files without an extension'}{hint}: "
            f"give a document ending in {known}"
        )
    if not path.exists():
        raise DraftError(f"{path}: no such file: check the path")
    if not path.is_file():
        raise DraftError(f"{path}: not a file: give the document itself, not a folder")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DraftError(f"{path}: {size // 1_000_000} MB is not a help document: give the procedure alone")
    try:
        text = reader(path)
    except OSError as error:
        raise DraftError(f"{path}: cannot read the file ({error.strerror}): check its permissions") from None
    if not text.strip():
        raise DraftError(f"{path}: the document is empty: give a document holding the procedure's text")
    return text
