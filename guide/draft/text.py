"""Text helpers: folding for comparisons, quoted labels, slugs, and the PDF text layer's repairs."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# « … », “…”, "…", and 'Next' in English (an apostrophe inside a word is not a quote).
# An opening « without its closing one runs to the end of the line: PDFs lose the last glyph.
QUOTED = re.compile(
    r"«\s*(?P<fr>[^«»\n]+?)\s*(?:»|$)"
    r"|“\s*(?P<curly>[^“”\n]+?)\s*”"
    r"|\"\s*(?P<straight>[^\"\n]+?)\s*\""
    r"|(?<![\w’'])'(?P<single>[^'\n]+?)'(?![\w’'])"
)
SLOT = re.compile(r"⟦(\d+)⟧")
URL = re.compile(r"\bhttps?://[^\s<>\"«»]+[^\s<>\"«».,;:)]")
EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: « OUBLIÉ » and « oublie » compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of a text, folded; quotes, punctuation and spacing do not count."""
    return WORD.findall(fold(text))


def stem(word: str) -> str:
    """A crude stem: French imperative and infinitive (cliquez / cliquer) share 5 letters."""
    return word[:5]


def slug(text: str, max_words: int = 5) -> str:
    """`Mot de passe -xt oublié` → `mot-de-passe-xt-oublie`."""
    parts = re.findall(r"[a-z0-9]+", fold(text))[:max_words]
    return "-".join(parts) or "etape"


def snake(text: str, max_words: int = 5) -> str:
    return slug(text, max_words).replace("-", "_")


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class Masked:
    """A sentence whose quoted labels are replaced by ⟦n⟧, so verbs inside them are not read."""

    text: str
    names: list[str]
    quoted: list[str]  # each label with its quotes, as written

    def unmask(self, text: str | None = None) -> str:
        """The text with its quoted labels back, quotes included."""
        return SLOT.sub(lambda m: self.quoted[int(m[1])], self.text if text is None else text)


def mask_quotes(sentence: str) -> Masked:
    names: list[str] = []
    quoted: list[str] = []

    def keep(match: re.Match[str]) -> str:
        names.append(next(g for g in match.groups() if g is not None).strip())
        quoted.append(match.group(0))
        return f"⟦{len(names) - 1}⟧"

    return Masked(QUOTED.sub(keep, sentence), names, quoted)


def clean_spaces(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    return re.sub(r"[ \t]+", " ", text).strip()


# --- the PDF text layer --------------------------------------------------------------------------


def vocabulary(text: str) -> Counter[str]:
    return Counter(words(text))


def repair_columns(line: str, known: Counter[str]) -> list[str] | None:
    """Two text columns read across: `A1 B1<TAB>A2 B2`, with a word cut at each column edge.

    PDF text layers of two side-by-side boxes give each box's line halves interleaved, and a
    word cut where each box wraps (« Courr » + « iel »). Split where both cut words rejoin into
    words the document uses elsewhere; no split when that is not unique.
    """
    if line.count("\t") != 1:
        return None
    left, right = (part.split() for part in line.split("\t"))
    if len(left) < 3 or len(right) < 2 or not right[0][:1].islower():
        return None
    solutions = []
    for i in range(1, len(left)):
        first = left[i - 1] + right[0]
        if not _joins(left[i - 1], right[0], known):
            continue
        for j in range(1, len(right)):
            if _joins(left[-1], right[j], known):
                column_a = left[: i - 1] + [first] + right[1:j]
                column_b = left[i:-1] + [left[-1] + right[j]] + right[j + 1 :]
                if column_b and column_b != [left[-1] + right[j]]:
                    solutions.append((" ".join(column_a), " ".join(column_b)))
    if len(solutions) != 1:
        return None
    return list(solutions[0])


def _joins(head: str, tail: str, known: Counter[str]) -> bool:
    """`Courr` + `iel` is a cut word: the halves are not words, the whole one is."""
    whole = words(head + tail)
    if len(whole) != 1 or not tail[:1].isalpha() or not head[-1:].isalpha():
        return False
    return known[whole[0]] > 0 and not (known[fold(head)] and known[fold(tail)])


def split_sentences(text: str) -> list[str]:
    """Sentences of a line; `n°2.`, `douane.gouv.fr` or a list's `1.` do not end one."""
    parts = [part.strip() for part in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«\"“>-])|;\s+", text) if part.strip()]
    merged: list[str] = []
    for part in parts:
        if merged and re.fullmatch(r"(?:\d{1,2}|[a-zA-Z]|[ivx]{1,4})[.)]", merged[-1]):
            merged[-1] += " " + part
        else:
            merged.append(part)
    return merged


def content_stems(text: str, stop: Iterable[str]) -> set[str]:
    stopped = set(stop)
    return {stem(w) for w in words(text) if w not in stopped}


# Words that carry no content, for similarity and coverage (French and English).
STOP_WORDS = frozenset(
    [
        "a",
        "à",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cet",
        "cette",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "il",
        "ils",
        "elle",
        "la",
        "le",
        "les",
        "l",
        "leur",
        "leurs",
        "lui",
        "ma",
        "mes",
        "mon",
        "n",
        "ne",
        "nos",
        "notre",
        "ou",
        "où",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "qui",
        "s",
        "sa",
        "se",
        "ses",
        "si",
        "son",
        "sur",
        "ta",
        "te",
        "tes",
        "ton",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "est",
        "sont",
        "être",
        "été",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "their",
        "then",
        "this",
        "to",
        "with",
        "you",
        "your",
    ]
)


def plain(text: str) -> str:
    """Accents off, same length and case: patterns match « accéderez » and the PDF's « accederez »,
    and a match's positions still cut the original text."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFD", char)
        out.append(base[0] if len(base) > 1 and all(unicodedata.combining(c) for c in base[1:]) else char)
    return "".join(out)


@dataclass
class Hit:
    """A match found on plain(text), read back from the original text."""

    text: str
    match: re.Match[str]

    def __getitem__(self, group: int | str) -> str | None:
        if self.match.group(group) is None:
            return None
        return self.text[self.match.start(group) : self.match.end(group)]

    def start(self) -> int:
        return self.match.start()

    def end(self) -> int:
        return self.match.end()


def find(pattern: str | re.Pattern[str], text: str, flags: int = 0) -> Hit | None:
    compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
    match = compiled.search(plain(text))
    return Hit(text, match) if match else None


def find_all(pattern: str, text: str, flags: int = 0) -> list[Hit]:
    return [Hit(text, m) for m in re.finditer(pattern, plain(text), flags)]
