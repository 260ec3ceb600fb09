"""Recognising one instruction: which action, on which element, named as the document names it.

Each rule is a French or English pattern of how procedures are written (« cliquez sur le lien
« Se connecter » », "enter your e-mail address in the “Email” field"). Patterns are written
without accents and matched on the text without accents (PDF text layers drop them), and what
a sentence does not say is not guessed silently: the result carries TODO notes for the author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from .text import SLOT, URL, Hit, Masked, capitalise, clean_spaces, find, find_all, mask_quotes, plain

# --- vocabulary (accent-free, matched case-insensitively unless said) -----------------------------

NOCASE = re.IGNORECASE
DETERMINER = (
    r"(?:le|la|les|l'|un|une|des|du|de la|de l'|au|aux|votre|vos|ton|ta|tes|son|sa|ses|"
    r"the|a|an|your|their)"
)
NAME_WORD = r"(?:intitulee?|nommee?|appelee?|libellee?|labell?ed|called|named|titled)"
CLAUSE_END = r"(?=\s*[,;:.()…]|$| et | puis | then | and | en bas| en haut| a droite| a gauche)"
# An unquoted name: a capital, then anything up to the clause's end (case-sensitive on purpose).
BARE_NAME = rf"(?P<bare>[A-Z0-9][^,;:.()⟦⟧…]*?)\s*{CLAUSE_END}"

# The noun before a label says what the element is. Guessed roles are flagged for the author.
ROLE_NOUNS: list[tuple[str, str, bool]] = [  # (pattern, kind, guessed)
    (r"boutons? radio|radio(?: button)?s?|options?", "radio", False),
    (r"cases?(?: a cocher)?|check ?box(?:es)?|tick ?box(?:es)?", "checkbox", False),
    (r"listes?(?: deroulantes?)?|menus? deroulants?|drop-?down(?: list)?s?|lists?", "list", False),
    (r"champs?|zones? de (?:saisie|texte)|fields?|text ?box(?:es)?|input", "field", False),
    (r"boutons?|buttons?", "button", False),
    (r"liens?|links?|hyperliens?", "link", False),
    (r"onglets?|tabs?", "tab", False),
    (r"icones?|pictogrammes?|icons?", "button", True),
    (r"rubriques?|menus?|entrees? de menu|fonctionnalites?|features?|services?|menu items?", "link", True),
]
ROLE_NOUN = "(?i:" + "|".join(pattern for pattern, _, _ in ROLE_NOUNS) + ")"

VERBS: dict[str, str] = {
    "click": r"cliqu(?:ez|er|ant)|appuy(?:ez|er) sur|click(?:ing)?|tap|press",
    "use": r"utilis(?:ez|er)|use|using|activ(?:ez|er)|ouvr(?:ez|ir)",
    "fill": (
        r"saisi(?:ssez|r)|renseign(?:ez|er)|entr(?:ez|er)|tap(?:ez|er)|indiqu(?:ez|er)|"
        r"rempli(?:ssez|r)|inscri(?:vez|re)|enter|type|fill in|input|provide"
    ),
    "confirm": r"confirm(?:ez|er)|ressaisi(?:ssez|r)|retap(?:ez|er)|confirm|re-?enter|re-?type",
    "choose": r"choisi(?:ssez|r)|selectionn(?:ez|er)|opt(?:ez|er) pour|choose|select|pick",
    "check": r"coch(?:ez|er)|tick|check",
    "validate": r"valid(?:ez|er)|soumett(?:ez|re)|submit|envoy(?:ez|er)|send",
    "goto": r"rendez-vous|allez|connectez-vous|accedez|go to|visit|navigate to|open",
}
PRONOUN = r"(?:-(?:le|la|les|y|en|lui))?"

OUTSIDE = re.compile(
    r"\b(?:vous recevrez|vous allez recevoir|(?:lorsque|quand|des que|une fois que|apres avoir) "
    r"(?:vous )?(?:aurez |avez )?recu|des reception|consult(?:ez|er) votre (?:messagerie|boite|courrier|telephone)|"
    r"ouvr(?:ez|ir) votre (?:messagerie|boite)|contact(?:ez|er)\b|ecri(?:vez|re) (?:a|au|aux)\b|"
    r"(?:envoy|adress)(?:ez|er) un (?:mail|courriel|e-mail|message|sms|courrier)|appel(?:ez|er) le|telephon(?:ez|er)|"
    r"you will receive|you'll receive|(?:once|when|after) you(?: have)? receive|"
    r"check your (?:inbox|e-?mail|mailbox|phone|messages)|open your (?:inbox|mailbox|e-?mail)|"
    r"contact (?:the|your|us)|write to|send an? (?:e-?mail|message|letter)|call the)",
    NOCASE,
)
RESULT = re.compile(
    r"\b(?:vous (?:serez|etes) (?:alors |automatiquement )?redirigee?s?|vous (?:accederez|arriverez|arrivez)|"
    r"vous (?:serez|etes) (?:alors )?(?:dirigee?|renvoyee?|amenee?)|la page .{0,60}s'(?:affiche|ouvre)|"
    r"you (?:will be|are) (?:then )?(?:redirected|taken|brought|sent)|you will (?:reach|land on|arrive))",
    NOCASE,
)
CONDITION = re.compile(r"^(?P<cond>(?:si|s'|en cas d[e']|if|in case of|should)\b[^,]*?),\s*(?P<then>.+)$", NOCASE)
EXPECT = re.compile(
    r"(?:(?:le|un) message|la mention|le texte|the (?:message|text|words?))\s*⟦(?P<a>\d+)⟧"
    r"|⟦(?P<b>\d+)⟧\s*(?:s'affiche|apparait|est affichee?|is (?:displayed|shown)|appears)"
    r"|(?:vous (?:verrez|voyez)|you (?:will )?see)\s*(?:\w+\s+){0,3}⟦(?P<c>\d+)⟧",
    NOCASE,
)
WITHIN = re.compile(
    r"\b(?:dans|depuis|sous|in|from|under)\s+(?:le|la|l'|the)?\s*(?:bloc|zone|encadre|cadre|section|panneau|rubrique|"
    r"partie|espace|bandeau|fenetre|block|box|panel|area|banner|window|menu)\s*(?:intitulee?|titled|called)?\s*"
    r"⟦(?P<a>\d+)⟧|\bin\s+the\s+⟦(?P<b>\d+)⟧\s+(?:block|section|box|panel|area|banner|window|menu)",
    NOCASE,
)
KEY = re.compile(r"\b(?:appuy(?:ez|er) sur|press)(?: la touche| the)?\s+(?:Entree|Enter|Tab|Echap|Escape)\b", NOCASE)
# Where the object of a verb stops: the next clause or a complement.
OBJECT_END = re.compile(
    r"\s*(?:[,;:.(…]| et | puis | dans | sur | pour | afin | avant | a partir | "
    r"and | then | in | on | into | for | before |$)",
    NOCASE,
)


@dataclass
class Target:
    kind: str  # a role (button, link, radio…) or label / text / placeholder
    name: str
    within: str | None = None

    def shorthand(self) -> str:
        return f'{self.kind} "{self.name}"'


@dataclass
class Recognised:
    """What one clause asks for; None where the clause does not say."""

    action: str | None = None
    target: Target | None = None
    value: str | None = None  # for select: the option's label
    field: str | None = None  # what a fill step asks for, in the document's words (→ a variable)
    confirm: bool = False  # a confirmation field: the same value as the field it confirms
    outside: bool = False
    opens: str | None = None  # a URL the step opens
    result: bool = False  # « vous serez redirigé… »: the outcome of the step before
    todos: list[str] = dataclass_field(default_factory=list)

    @property
    def acts(self) -> bool:
        return bool(self.action or self.outside or self.opens)


def has_verb(text: str) -> bool:
    """Does the clause hold an action verb (quoted labels aside)?"""
    masked = mask_quotes(clean_spaces(text)).text
    return _first_verb(masked) is not None or bool(find(OUTSIDE, masked))


def _first_verb(text: str) -> tuple[str, Hit] | None:
    """The earliest action verb of the clause, and its kind."""
    found = []
    for order, (kind, pattern) in enumerate(VERBS.items()):
        hit = find(rf"\b(?:{pattern}){PRONOUN}\b", text, NOCASE)
        if hit:
            found.append((hit.start(), order, kind, hit))
    if not found:
        return None
    _, _, kind, hit = min(found, key=lambda item: (item[0], item[1]))
    return kind, hit


def _role(noun: str) -> tuple[str, bool]:
    for pattern, kind, guessed in ROLE_NOUNS:
        if re.fullmatch(pattern, plain(noun), NOCASE):
            return kind, guessed
    return "button", True


@dataclass
class Named:
    noun: str | None
    name: str | None
    quoted: bool = False


def _named(rest: str, masked: Masked, skip: set[int]) -> Named:
    """The first element named in `rest`: its role noun and its name."""
    slot = r"⟦(?P<slot>\d+)⟧"
    patterns = [
        rf"(?P<noun>{ROLE_NOUN})\s+(?i:{NAME_WORD}\s+)?{slot}",  # le lien « Se connecter »
        rf"{slot}\s+(?P<noun>{ROLE_NOUN})\b",  # the “Continue” button
        rf"\b(?i:the)\s+(?P<bare>[A-Z][\w' -]*?)\s+(?P<noun>{ROLE_NOUN})\b",  # the Sign in button
        rf"(?P<noun>{ROLE_NOUN})\s+(?i:{NAME_WORD}\s+)?{BARE_NAME}",  # la fonctionnalité Mot de passe…
        slot,  # « Connexion » alone
        rf"\b(?P<noun>{ROLE_NOUN})\b",  # le lien de réinitialisation: a role without a name
    ]
    for pattern in patterns:
        for hit in find_all(pattern, rest):
            number = hit["slot"] if "slot" in hit.match.re.groupindex else None
            if number is not None:
                if int(number) in skip:
                    continue
                noun = hit["noun"] if "noun" in hit.match.re.groupindex else None
                return Named(noun, masked.names[int(number)], True)
            if "bare" in hit.match.re.groupindex and hit["bare"]:
                return Named(hit["noun"], clean_spaces(hit["bare"] or ""))
            return Named(hit["noun"] if "noun" in hit.match.re.groupindex else None, None)
    return Named(None, None)


def _object(rest: str) -> str:
    """The noun phrase right after a verb: `votre identifiant en -xt et valider` → identifiant en -xt."""
    end = find(OBJECT_END, rest)
    phrase = rest[: end.start()] if end else rest
    phrase = re.sub(rf"^\s*(?:{DETERMINER}\s*)+", "", phrase.strip(), flags=NOCASE)
    return clean_spaces(phrase)


def recognise(sentence: str) -> Recognised:
    """Recognise one clause (a sentence without its list marker)."""
    masked = mask_quotes(clean_spaces(sentence))
    text = masked.text
    found = Recognised()
    if find(RESULT, text):
        found.result = True
        return found
    if find(OUTSIDE, text):
        # What follows (« cliquez sur le lien ») happens in the e-mail or on the phone.
        found.outside = True
        return found
    expect = find(EXPECT, text)
    if expect:
        number = int(expect["a"] or expect["b"] or expect["c"] or 0)
        found.action, found.target = "expect", Target("text", masked.names[number])
        return found
    if find(KEY, text):
        found.todos.append("pressing a key: add the field as target, action: press, value: Enter")
        return found
    within = find(WITHIN, text)
    skip = {int(within["a"] or within["b"] or 0)} if within else set()
    verb = _first_verb(text)
    if verb is None:
        return found
    kind, hit = verb
    rest = text[hit.end() :]
    url = URL.search(sentence)
    if kind == "goto" and url:
        found.opens = url.group(0)
        return found
    HANDLERS[kind](found, hit[0] or "", rest, masked, skip)
    if found.target is not None and within:
        found.target.within = masked.names[next(iter(skip))]
    return found


# --- one handler per kind of verb -----------------------------------------------------------------


def _element(found: Recognised, rest: str, masked: Masked, skip: set[int], default: str) -> None:
    """Name the element of a click-like verb from the words after it."""
    named = _named(rest, masked, skip)
    if named.name is None and named.noun is None:
        bare = find(rf"^\s*(?i:sur|on)?\s*{BARE_NAME}", rest)  # « Cliquez sur Enregistrer »
        if bare and len((bare["bare"] or "").split()) <= 5:
            named = Named(None, clean_spaces(bare["bare"] or ""))
    kind, guessed = _role(named.noun) if named.noun else (default, True)
    if kind == "field":
        kind = "label"
    if named.name is None:
        found.todos.append(
            f"the document does not name this {named.noun or 'element'}: write target: "
            f'{kind if kind != "list" else "label"} "…" with the name the page shows, and an action'
        )
        return
    if guessed:
        said = f"« {named.noun} »" if named.noun else "no element type"
        found.todos.append(f"the document says {said}: check the role ({kind}?) on the page")
    _name_todos(found, named)
    found.action = {"checkbox": "check", "radio": "choose"}.get(kind, "click")
    if kind == "list":
        found.todos.append("a list: write the option to pick as value:")
        kind, found.action, found.value = "label", "select", "TODO"
    found.target = Target(kind, named.name)


def _name_todos(found: Recognised, named: Named) -> None:
    name = named.name or ""
    if not named.quoted:
        found.todos.append(f"the name {name!r} is not quoted in the document: check it is the page's exact name")
    if name.isupper() and len(name) > 3:
        found.todos.append(
            "the document writes this name in capitals; pages often set capitals by CSS: "
            "use the name as the page's text has it"
        )


def _click(found: Recognised, verb: str, rest: str, masked: Masked, skip: set[int]) -> None:
    _element(found, rest, masked, skip, "button")


def _use(found: Recognised, verb: str, rest: str, masked: Masked, skip: set[int]) -> None:
    """« Utilisez la fonctionnalité … », "use the … link": a click only when an element is named."""
    named = _named(rest, masked, skip)
    if named.noun is None and named.name is None:
        return
    _element(found, rest, masked, skip, "link")


def _fill(found: Recognised, verb: str, rest: str, masked: Masked, skip: set[int]) -> None:
    found.action = "fill"
    field_hit = find(rf"{ROLE_NOUN}\s+(?i:{NAME_WORD}\s+)?⟦(?P<a>\d+)⟧|⟦(?P<b>\d+)⟧\s+(?i:field|box)\b", rest)
    obj = _object(rest)
    if field_hit:
        label = masked.names[int(field_hit["a"] or field_hit["b"] or 0)]
    elif SLOT.fullmatch(obj):
        label = masked.names[int(obj[1:-1])]  # « Saisissez « Identifiant » »: the field by its label
    elif obj:
        label = capitalise(masked.unmask(obj))
        found.todos.append(
            f"the document does not name the field: label {label!r} is guessed from "
            "the sentence, check the page's label"
        )
    else:
        found.action = None
        found.todos.append('which field? write target: label "…" (the field\'s label), action: fill')
        return
    found.field = masked.unmask(obj) if obj and not SLOT.fullmatch(obj) else label
    found.target = Target("label", label)


def _confirm(found: Recognised, verb: str, rest: str, masked: Masked, skip: set[int]) -> None:
    """« Confirmez votre mot de passe » fills a confirmation field; « Confirmez » alone is a button."""
    obj = _object(rest)
    if not obj or SLOT.fullmatch(obj):
        _validate(found, verb, rest, masked, skip)
        return
    _fill(found, verb, rest, masked, skip)
    found.confirm = True
    if found.target is not None and found.todos and "guessed" in found.todos[-1]:
        phrase = re.sub(r"^\s*(?:votre|ton)\b", "le", rest.strip(), flags=NOCASE)
        phrase = re.sub(r"^\s*(?:vos|tes)\b", "les", phrase, flags=NOCASE)
        phrase = re.sub(r"^\s*your\b", "the", phrase, flags=NOCASE)
        end = find(OBJECT_END, phrase)
        label = f"{_infinitive(verb)} {masked.unmask(phrase[: end.start()] if end else phrase).strip()}"
        found.target = Target("label", label)
        found.todos[-1] = (
            f"the document does not name the confirmation field: label {label!r} is guessed, check the page's label"
        )


def _choose(found: Recognised, verb: str, rest: str, masked: Masked, skip: set[int]) -> None:
    listed = find(
        r"⟦(?P<a>\d+)⟧\s*(?:dans|from|in)\s+(?:la|le|l'|the)?\s*(?:liste|menu|list|drop-?down)"
        r"(?:\s+deroulante)?\s*⟦(?P<b>\d+)⟧",
        rest,
        NOCASE,
    )
    if listed:
        found.action, found.value = "select", masked.names[int(listed["a"] or 0)]
        found.target = Target("label", masked.names[int(listed["b"] or 0)])
        return
    named = _named(rest, masked, skip)
    by = find(rf"\b(?i:par|by|via)\s+(?:⟦(?P<slot>\d+)⟧|{BARE_NAME})", rest)
    if named.noun is None and by:  # « choisir de réinitialiser … par Courriel »
        slot = by["slot"]
        if slot:
            named = Named("option", masked.names[int(slot)], True)
        else:
            named = Named("option", clean_spaces(by["bare"] or ""))
    if named.name is None:
        found.todos.append('which choice? write target: radio "…" (or label "…" with action: select and value:)')
        return
    kind, _ = _role(named.noun) if named.noun else ("radio", True)
    if named.noun is None:
        found.todos.append('a choice: a radio button is assumed; if it is a list, use label "…", action: select')
    _name_todos(found, named)
    if kind in ("list", "field"):
        found.action, found.value, found.target = "select", "TODO", Target("label", named.name)
        found.todos.append("a list: write the option to pick as value:")
    elif kind == "checkbox":
        found.action, found.target = "check", Target("checkbox", named.name)
    elif kind == "radio":
        found.action, found.target = "choose", Target("radio", named.name)
    else:
        found.action, found.target = "click", Target(kind, named.name)


def _check(found: Recognised, verb: str, rest: str, masked: Masked, skip: set[int]) -> None:
    named = _named(rest, masked, skip)
    if named.name is None:
        found.todos.append('which box? write target: checkbox "…", action: check')
        return
    found.action, found.target = "check", Target("checkbox", named.name)
    _name_todos(found, named)


def _infinitive(verb: str) -> str:
    """`validez` → `Valider`, `confirm` → `Confirm`: the name such a button usually has."""
    word = verb.split("-")[0].strip().lower()
    word = re.sub(r"issez$", "ir", word)
    word = re.sub(r"ez$", "er", word)
    return capitalise(word)


def _validate(found: Recognised, verb: str, rest: str, masked: Masked, skip: set[int]) -> None:
    named = _named(rest, masked, skip)
    if named.name is not None:
        _element(found, rest, masked, skip, "button")
        return
    if _object(rest):
        return  # « envoyez votre demande »: not a button's name
    found.action, found.target = "click", Target("button", _infinitive(verb))
    found.todos.append(f"button name {found.target.name!r} is guessed from the verb: check the page's button")


HANDLERS = {
    "click": _click,
    "use": _use,
    "fill": _fill,
    "confirm": _confirm,
    "choose": _choose,
    "check": _check,
    "validate": _validate,
    "goto": _use,
}


# --- conditions -----------------------------------------------------------------------------------


def split_condition(sentence: str) -> tuple[str, str] | None:
    """« Si vous n'avez rien reçu, cliquez sur … » → (condition, consequence)."""
    masked = mask_quotes(clean_spaces(sentence))
    hit = find(CONDITION, masked.text)
    if not hit:
        return None
    return masked.unmask(hit["cond"] or "").strip(), masked.unmask(hit["then"] or "").strip()


def condition_question(condition: str, lang: str) -> str:
    """`si vous avez enregistré X` → `Avez-vous enregistré X ?`; otherwise the condition, asked."""
    text = re.sub(r"^(?:si|s'|if)\s*", "", condition.strip(" :,."), flags=NOCASE)
    text = re.sub(r"^(?:en cas d[e']|in case of)\s*", "", text, flags=NOCASE)
    inversions = [
        (r"^vous n'avez pas (.+)$", r"N'avez-vous pas \1"),
        (r"^vous avez (.+)$", r"Avez-vous \1"),
        (r"^vous n'êtes pas (.+)$", r"N'êtes-vous pas \1"),
        (r"^vous êtes (.+)$", r"Êtes-vous \1"),
        (r"^you have not (\w+ed\b.*)$", r"Have you not \1"),
        (r"^you have (\w+ed\b.*)$", r"Have you \1"),
        (r"^you have (.+)$", r"Do you have \1"),
        (r"^you (did|do|can|could|will|would|were|are) not (.+)$", r"\1 you not \2"),
        (r"^you are (.+)$", r"Are you \1"),
        (r"^you (\w+) (.+)$", r"Do you \1 \2"),
    ]
    mark = " ?" if lang == "fr" else "?"
    for pattern, replacement in inversions:
        if re.match(pattern, text, NOCASE):
            return capitalise(re.sub(pattern, replacement, text, flags=NOCASE)) + mark
    return capitalise(text) + mark
