"""Values the person supplies: variable names, fake test values, and the rules a field enforces."""

from __future__ import annotations

import re

from .parts import DraftRule
from .text import find, fold, plain, snake, words

NOCASE = re.IGNORECASE

# What a rule says → a JavaScript regular expression (the overlay evaluates it in the page).
RULE_PATTERNS: list[tuple[str, str]] = [
    (r"entre (\d+) et (\d+) caracteres|between (\d+) and (\d+) char", "^.{{{0},{1}}}$"),
    (
        r"(?:au moins|minimum|au minimum|at least|a minimum of|minimum of) (\d+) (?:caracteres|characters|chars|signes)"
        r"|(\d+) (?:caracteres|characters) (?:minimum|au minimum|or more)",
        "^.{{{0},}}$",
    ),
    (
        r"(?:au plus|maximum|au maximum|at most|no more than|a maximum of) (\d+) (?:caracteres|characters|chars)",
        "^.{{0,{0}}}$",
    ),
    (r"minuscules?|lower-? ?case|small letters?", "[a-z]"),
    (r"majuscules?|upper-? ?case|capital letters?|capitals", "[A-Z]"),
    (r"chiffres?|digits?|numbers?|numerals?", "[0-9]"),
    (r"caracteres? speciaux|caracteres? special|special characters?|symbols?|signes? de ponctuation", "[^A-Za-z0-9]"),
    (r"(?:se termine[rz]?|se terminant|finit|finissant|ends?|ending) (?:par|with|in) (\S+)", "{0}$"),
    (r"(?:commence|commencant|starts?|starting|begins?) (?:par|with) (\S+)", "^{0}"),
]
UNDERSCORE_EXCLUDED = re.compile(r"underscore|_ n'est pas|souligne|_ (?:is|does) not", NOCASE)
RULES_INTRO = re.compile(
    r"\b(?:regles?|rules?|doit (?:etre compose|contenir|comporter)|must (?:contain|include|be))\b", NOCASE
)
UNCHECKABLE = re.compile(
    r"different (?:a chaque fois|du precedent|des precedents)|different from (?:the )?previous", NOCASE
)


def js_escape(text: str) -> str:
    """Escape for a JavaScript regular expression (Python's re.escape also escapes `-`, which JS's
    unicode mode refuses)."""
    return re.sub(r"([.^$*+?()[\]{}|\\/])", r"\\\1", text)


def _pattern(fragment: str) -> str | None:
    for rule, template in RULE_PATTERNS:
        hit = find(rule, fragment, NOCASE)
        if hit:
            groups = [g for g in hit.match.groups() if g is not None]
            pattern = template.format(*(js_escape(g.strip(".,;:")) for g in groups))
            if pattern == "[^A-Za-z0-9]" and UNDERSCORE_EXCLUDED.search(plain(fragment)):
                pattern = "[^A-Za-z0-9_]"
            return pattern
    return None


def _rule_text(fragment: str) -> str:
    """The fragment without its lead-in: `Il doit être composé d'au moins 8 caractères` → au moins 8…"""
    text = re.sub(r"^.*?\b(?:regles?|rules?)\b[^:]*:\s*", "", fragment.strip(), flags=NOCASE)
    text = re.sub(r"^(?:and |et |or |ou )", "", text, flags=NOCASE)
    text = re.sub(
        r"^(?:il |elle |(?:le|votre) mot de passe |it |(?:the|your) password )?\w?(?:doit|must)\s+"
        r"(?:etre compose|être composé|contenir|comporter|avoir|inclure|be|contain|include|have)e?\s*",
        "",
        text,
        flags=NOCASE,
    )
    text = re.sub(r"^(?:contenir|comporter|inclure|contain|include|have)\s+", "", text, flags=NOCASE)
    text = re.sub(r"^(?:d'|de |of )(?=au moins|at least)", "", text, flags=NOCASE)
    text = re.sub(r"\)[^)]*$", ")", text) if "(" in text else text.rstrip(" :.;")
    return text.strip(" :;")


def recognise_rules(sentence: str) -> list[DraftRule]:
    """Rules a sentence states (« au moins 8 caractères, des minuscules… »), one per fragment."""
    protected = re.sub(r"\([^)]*\)", lambda m: m[0].replace(",", "‚").replace(" et ", " et\u00a0"), sentence)
    fragments = re.split(r",\s*|;\s*| et (?=(?:des|de|d'|les|un|une|au)\b)| and (?=\w)", protected)
    rules = []
    for fragment in fragments:
        fragment = fragment.replace("‚", ",").replace("\u00a0", " ")
        pattern = _pattern(fragment)
        if pattern is not None:
            rules.append(DraftRule(_rule_text(fragment), pattern))
        elif find(UNCHECKABLE, fragment):
            rules.append(DraftRule(_rule_text(fragment), None))
    return rules


def is_rules_sentence(sentence: str) -> bool:
    rules = [r for r in recognise_rules(sentence) if r.pattern]
    return len(rules) >= 2 or (len(rules) == 1 and bool(find(RULES_INTRO, sentence)))


# --- variables ------------------------------------------------------------------------------------

KINDS: list[tuple[str, str]] = [  # what the field asks for → a fake value (never real data)
    (r"courriel|e-?mail|mail|adresse (?:electronique|de messagerie)|messagerie", "camille.martin@exemple.fr"),
    (r"mot de passe|password|mdp|passphrase|code secret|passcode", "Exemple-2026!ok"),
    (r"identifiant|login|username|user name|nom d'utilisateur|user id", "camille.martin"),
    (r"telephone|phone|portable|mobile", "0601020304"),
    (r"date", "01/01/2000"),
    (r"siret|siren|numero fiscal|numero|number|code", "123456789"),
    (r"prenom|first name|given name", "Camille"),
    (r"nom|name|surname", "Martin"),
]
CONFIRMATION = re.compile(
    r"^(?:confirm(?:er|ez|ation)?|repeat|retype|re-?enter|ressaisi\w*|retap\w*|repetez|repeter)"
    r"\s*(?:du |de la |de l'|le |la |l'|les |votre |vos |your |the |of )?",
    NOCASE,
)
SUFFIX = re.compile(r"\b(?:en|ending in|se terminant par|finissant par)\s+(-[A-Za-z0-9]+)\b", NOCASE)


DETERMINERS = frozenset(
    [
        "le",
        "la",
        "les",
        "l",
        "un",
        "une",
        "des",
        "du",
        "votre",
        "vos",
        "ton",
        "ta",
        "tes",
        "son",
        "sa",
        "ses",
        "mon",
        "ma",
        "mes",
        "notre",
        "nos",
        "the",
        "a",
        "an",
        "your",
        "their",
        "my",
        "our",
    ]
)


def variable_name(phrase: str) -> str:
    """`votre mot de passe` → `mot_de_passe`; `courriel de votre compte pro` → `courriel_de_compte_pro`."""
    content = [w for w in words(phrase) if w not in DETERMINERS][:4]
    while content and content[-1] in ("de", "d", "en", "a", "au", "of", "in", "for", "to"):
        content.pop()  # `nouveau mot de` is not a name
    return snake(" ".join(content), 4) or "valeur"


def confirmed_phrase(phrase: str) -> str | None:
    """`Confirmer le mot de passe` → `mot de passe`: the value a confirmation field repeats."""
    stripped = CONFIRMATION.sub("", plain(phrase).strip())
    return stripped if stripped != plain(phrase).strip() and stripped else None


def is_password(phrase: str) -> bool:
    return bool(re.search(KINDS[1][0], fold(phrase)))


def test_value(phrase: str, rules: list[DraftRule]) -> str:
    """A fake value of the right kind that also passes the field's rules when it can."""
    folded = fold(phrase)
    value = next((fake for kind, fake in KINDS if re.search(rf"\b(?:{kind})", folded)), "exemple")
    suffix = SUFFIX.search(phrase)
    if suffix and not value.endswith(suffix[1]):
        value += suffix[1]
    for rule in rules:  # « au moins 12 caractères »: lengthen the fake value, keeping its ending
        longer = re.fullmatch(r"\^\.\{(\d+),\}\$", rule.pattern or "")
        if longer and len(value) < int(longer[1]):
            value = value[:1] + "x" * (int(longer[1]) - len(value)) + value[1:]
    return value


def suffix_rule(phrase: str, lang: str) -> DraftRule | None:
    """« identifiant en -xt »: the value ends with -xt."""
    suffix = SUFFIX.search(phrase)
    if not suffix:
        return None
    text = f"se termine par {suffix[1]}" if lang == "fr" else f"ends with {suffix[1]}"
    return DraftRule(text, js_escape(suffix[1]) + "$")


def failing_rules(value: str, rules: list[DraftRule]) -> list[DraftRule]:
    """Rules the test value does not pass (Python's re reads these simple patterns as JavaScript does)."""
    return [rule for rule in rules if rule.pattern and not re.search(rule.pattern, value)]
