"""From a document's text to the lines a person reads: PDF text-layer repairs, list markers,
running headers and OCR'd screenshot text set apart."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .text import clean_spaces, fold, repair_columns, vocabulary, words

# List markers: dashes and arrows are dropped from the instruction, enumerators (a), 1°) kept.
BULLET = re.compile(r"^(?:->|=>|>>|[-–—•·▪◦*→➢➤>])\s*")
ENUMERATOR = re.compile(
    r"^(?:[a-z][).]|\d{1,2}\s*[°º.)]|[ivx]{1,4}[).]|(?:étape|step)\s*\d+\s*[:.)-])\s+", re.IGNORECASE
)
LIGATURES = {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "œ": "œ", "\u00ad": ""}


@dataclass
class Line:
    text: str  # without a dash or arrow marker; enumerators kept
    number: int  # 1-based line in the document's text
    marker: str = ""  # "-", ">", "a)", "1°"…
    bullet: bool = False  # a dash, arrow or enumerator: an item of a list
    ocr: bool = False  # looks like text read from a screenshot

    @property
    def enumerated(self) -> bool:
        return bool(ENUMERATOR.match(self.text))


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    return re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)


def _untab(raw: str, known: Counter[str]) -> list[str]:
    """A line holding tabs: repair interleaved columns, or rejoin a cut line, or split the cells."""
    line = raw.strip("\t ")
    if "\t" not in line:
        return [line]
    repaired = repair_columns(line, known - vocabulary(line))
    if repaired:
        return repaired
    cells = [cell.strip() for cell in line.split("\t") if cell.strip()]
    out = [cells[0]]
    for cell in cells[1:]:
        if cell[:1].islower():  # a sentence cut by a tab: its end is on the right
            out[-1] += " " + cell
        else:
            out.append(cell)
    return out


OCR_SIGNS = re.compile(r"[©®™]|\[[^\]]*$|^[^\[]*\]|\w_\w|\bO\s+[A-Z]")


def looks_ocr(text: str) -> bool:
    """Screenshot text read by OCR: radio glyphs read as ©/O, unbalanced brackets, snake_case ids."""
    tokens = text.split()
    odd = sum(1 for token in tokens if not re.search(r"[^\W\d_]{2,}", token))
    return bool(OCR_SIGNS.search(text)) or (len(tokens) >= 4 and odd / len(tokens) > 0.4)


def prepare(text: str) -> list[Line]:
    """The document's lines, cleaned, with their list markers and OCR flags."""
    text = _normalise(text)
    known = vocabulary(text)
    raw_lines = text.split("\n")
    cleaned: list[tuple[int, str]] = []
    recent: list[str] = []
    for number, raw in enumerate(raw_lines, 1):
        for part in _untab(raw, known):
            part = clean_spaces(part)
            whole = part
            part = _new_part(part, recent)
            recent = (recent + [whole])[-8:] if whole else recent
            if part and re.search(r"[^\W\d_]", part):
                cleaned.append((number, part))
    cleaned = _join_wrapped(cleaned)
    repeated = _running_headers(cleaned)
    lines: list[Line] = []
    for number, part in cleaned:
        key = fold(part)
        if key in repeated and repeated[key] is not None and repeated[key] != number:
            continue  # a running header: kept once, where it first appears
        if lines and fold(lines[-1].text) == fold(BULLET.sub("", part)):
            continue  # OCR repeats a screenshot's lines
        if len(words(part)) <= 1 and BULLET.match(part) and len(part) <= 3:
            continue  # « - M »: a stray letter
        lines.append(_line(number, part))
    return lines


def _join_wrapped(cleaned: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A sentence wrapped onto the next line (« … au » / « moins 10 caractères. ») is one line."""
    out: list[tuple[int, str]] = []
    for number, part in cleaned:
        first = part.split()[0]
        continues = (
            out
            and first[:1].islower()
            and first.isalpha()
            and not BULLET.match(part)
            and re.search(r"[^\W\d_],?$", out[-1][1])
            and not ENUMERATOR.match(part)
        )
        if continues:
            out[-1] = (out[-1][0], f"{out[-1][1]} {part}")
        else:
            out.append((number, part))
    return out


def _new_part(part: str, recent: list[str]) -> str:
    """A screenshot read several times gives lines that repeat an earlier line whole, then add to
    it: keep only what is new."""
    for earlier in sorted(recent, key=len, reverse=True):
        if len(earlier.split()) >= 2 and part.startswith(earlier + " "):
            return part[len(earlier) :].strip()
    return part


def _line(number: int, part: str) -> Line:
    marker_match = BULLET.match(part)
    marker = marker_match.group(0).strip() if marker_match else ""
    body = part[marker_match.end() :] if marker_match else part
    enumerator = ENUMERATOR.match(body)
    if enumerator and not marker:
        marker = enumerator.group(0).strip()
    return Line(text=body.strip(), number=number, marker=marker, bullet=bool(marker), ocr=looks_ocr(body))


def _running_headers(cleaned: list[tuple[int, str]]) -> dict[str, int | None]:
    """Lines repeated on several pages (headers, footers): folded text → first line number.

    A page header also comes back inside longer lines (« FICHE PRATIQUE N°2 <header> »): those
    are headers too.
    """
    counts = Counter(fold(part) for _, part in cleaned)
    first: dict[str, int | None] = {}
    for number, part in cleaned:
        key = fold(part)
        if counts[key] >= 2 and len(words(part)) >= 3 and part.upper() == part and key not in first:
            first[key] = number
    for _, part in cleaned:
        key = fold(part)
        if key not in first and part.upper() == part and any(h in key and h != key for h in first):
            first[key] = -1  # never kept
    return first
