"""From a document's lines to a draft flow: metadata, pages, steps, choices, tables, variables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .layout import BULLET, Line, prepare
from .parts import DraftFlow, DraftOption, DraftPage, DraftRule, DraftStep, DraftTable, DraftVariable
from .recognise import OUTSIDE, Recognised, Target, condition_question, has_verb, recognise, split_condition
from .text import (
    EMAIL,
    STOP_WORDS,
    URL,
    capitalise,
    content_stems,
    find,
    fold,
    mask_quotes,
    slug,
    split_sentences,
    words,
)
from .values import (
    confirmed_phrase,
    failing_rules,
    is_password,
    is_rules_sentence,
    recognise_rules,
    suffix_rule,
    test_value,
    variable_name,
)

NOCASE = re.IGNORECASE
MONTHS = (
    r"janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|"
    r"january|february|march|april|may|june|july|august|september|october|november|december"
)
DATE = re.compile(
    rf"^(?:(?:{MONTHS})\s+\d{{4}}|\d{{1,2}}(?:er)? (?:{MONTHS}) \d{{4}}|\d{{1,2}}/\d{{1,2}}/\d{{4}}|"
    rf"(?:mis a jour|updated|version)\b.{{0,30}}\d{{4}})$",
    NOCASE,
)
NEEDS = re.compile(
    r"^(?:note\s*:\s*)?(?:vous aurez besoin|vous devez disposer|munissez-vous|pre-?requis|"
    r"avant de commencer|you will need|you need|before you start|prerequisites?)",
    NOCASE,
)
AUDIENCE = re.compile(
    r"\b(?:cette (?:procedure|fiche) (?:est destinee|concerne|s'adresse)|"
    r"this (?:procedure|guide) is (?:for|intended))",
    NOCASE,
)
AUDIENCE_HEADING = re.compile(r"^(?:qui est concerne|public concerne|pour qui|who is (?:this|it) for|who can)", NOCASE)
INTRO = re.compile(r"\b(?:la procedure|cette procedure|this procedure|the procedure)\b", NOCASE)
FROM_PAGE = re.compile(r"^(?:depuis|a partir de|sur|from|on)\b", NOCASE)
BREADCRUMB = re.compile(r"^(?:accueil|home)\s*[•›»>/|]\s*(?P<tail>.+)$", NOCASE)
METHOD = re.compile(
    r"^(?P<word>methode|method|option|solution|possibilite)\s*(?:n\s*[°o]\.?|#|no\.?)?\s*"
    r"(?P<k>\d+)\s*[°º]?\s*[:.)-]?\s*(?P<rest>.*)$",
    NOCASE,
)
RESTRICTION = re.compile(
    r"^(?:en cas d[e']|si|s'|if|in case of|when)\s*(?P<case>.+?),?\s+(?:seule?s?|only)\s+"
    r"(?:la |les |the )?(?:methode?s?|options?|solutions?)\s*(?:n\s*[°o]\.?\s*|#|no\.?\s*)?"
    r"(?P<k>\d+)",
    NOCASE,
)
CASE_IN_HEADING = re.compile(r"(?:en cas d[e']|in case of|\bsi\b|\bif\b)\s*(?P<case>[^:,]+)", NOCASE)
CONDITION_START = re.compile(r"^(?:si|s'|en cas d[e']|if|in case of)\b", NOCASE)
FIELD = re.compile(r"^(?P<label>[A-Za-zÀ-ÿ][^*:]{0,50}?)\s*\*$")  # « Identifiant * »: a required field
EXAMPLE = re.compile(r"^(?:exemple|example|ex|e\.g)\s*[.:]\s*(?P<value>.+)$", NOCASE)
PAGE_NAMED = re.compile(
    r"\b(?:vers |sur |a )?(?:la page|l'ecran|the page|the screen)\s+"
    r"(?:d'|de la |de l'|de |du |des )?"
    r"(?P<name>[\w'-]+(?: [\w'-]+){0,3}?)\s*(?:\((?P<host>[^)\s]+)\)|$|[.,;])",
    NOCASE,
)
PLACE_NOUN = re.compile(
    r"\b(?:du|de la|de l'|de votre|de son|of the|of your|for your|in your)\s*"
    r"(?P<noun>departement|region|commune|ville|pays|"
    r"centre|service|bureau|country|state|city|office|county|department|region)\b",
    NOCASE,
)
HOME = re.compile(r"\b(?:page d'accueil|accueil|home ?page)\b", NOCASE)


@dataclass
class Group:
    """Alternatives (« Méthode n°1 / n°2 », « Si … : ») being read."""

    intro: str | None
    options: list[DraftOption] = field(default_factory=list)
    conditions: list[str | None] = field(default_factory=list)
    restrictions: list[tuple[str, set[int], str]] = field(default_factory=list)  # case, methods, sentence
    kind: str = "method"


class Builder:
    def __init__(self, lines: list[Line], lang: str):
        self.lines = lines
        self.flow = DraftFlow(lang=lang)
        self.fr = lang == "fr"
        self.top: list[DraftStep] = self.flow.steps
        self.group: Group | None = None
        self.headings: list[Line] = []
        self.pending_note: str | None = None
        self.rules: list[list[DraftRule]] = []
        self.made: list[DraftStep] = []  # steps in document order, for notes and echoes
        self.started = False
        self.audience_mode = False
        self.skip_heading: str | None = None
        self.used_ids: set[str] = set()

    # --- where steps go -----------------------------------------------------------------------

    @property
    def steps(self) -> list[DraftStep]:
        if self.group and self.group.options:
            return self.group.options[-1].steps
        return self.top

    def last_step(self) -> DraftStep | None:
        return self.made[-1] if self.made else None

    def add(self, step: DraftStep, line: Line) -> DraftStep:
        self.started = True
        if self.headings:
            prefix = " : ".join(h.text.rstrip(" :") for h in self.headings)
            step.instruction = f"{prefix} : {step.instruction}"
            self.headings = []
        if self.pending_note:
            step.notes.insert(0, self.pending_note)
            self.pending_note = None
        step.instruction = _tidy(step.instruction, self.fr)
        self.steps.append(step)
        self.made.append(step)
        return step

    # --- the document, line by line -------------------------------------------------------------

    def build(self) -> DraftFlow:
        for index, line in enumerate(self.lines):
            if index == 0 and not has_verb(line.text):
                self._title(line.text)
                continue
            self.read(line, self.lines[index + 1] if index + 1 < len(self.lines) else None)
        self.close_group()
        self.finish()
        return self.flow

    def read(self, line: Line, following: Line | None) -> None:
        text = line.text
        if self.skip_heading and fold(text) == self.skip_heading:
            self.skip_heading = None
            return
        if not self.started and self._metadata(line):
            return
        if URL.search(text) and not self.started and self._page_context(line):
            return
        crumb = find(BREADCRUMB, text)
        if crumb:
            tail = (crumb["tail"] or "").strip()
            if len(words(tail)) >= 2:
                self.flow.screens.append(tail)
                self.skip_heading = fold(tail)
            return
        method = find(METHOD, text)
        if method and not line.bullet:
            self.method(method["k"] or "", method["rest"] or "", text)
            return
        restriction = find(RESTRICTION, text)
        if restriction and self.group:
            self.group.restrictions.append(((restriction["case"] or "").strip(), {int(restriction["k"] or 0)}, text))
            self.close_group()
            return
        if self.started and self._data_line(line):
            return
        if self._heading(line, following):
            return
        if line.ocr:
            return  # screenshot text: used for fields, examples and echoes only
        self.sentences(line)

    def _title(self, text: str) -> None:
        self.flow.source_title = text
        if text.upper() == text:
            self.flow.title = capitalise(text.lower())
            self.flow.todos.setdefault("title", []).append(
                "the document's title is in capitals: check the case of proper names"
            )
        else:
            self.flow.title = text
        self.flow.id = slug(self.flow.title, 6)

    def _metadata(self, line: Line) -> bool:
        text = line.text
        if find(DATE, text) and not self.flow.date:
            self.flow.date = text
            return True
        if find(NEEDS, text):
            self.flow.needs.append(text)
            return True
        if find(AUDIENCE_HEADING, text):
            self.audience_mode = True
            return True
        if find(AUDIENCE, text) or (self.audience_mode and not URL.search(text) and not has_verb(text)):
            self.flow.audience = f"{self.flow.audience} {text}".strip()
            return True
        if self.flow.audience and find(INTRO, text) and not has_verb(text):
            self.flow.audience = f"{self.flow.audience} {text}".strip()
            return True
        return False

    def _page_context(self, line: Line) -> bool:
        """« Depuis la page d'accueil de https://… », or an address on its own: where it starts."""
        text = line.text
        url = URL.search(text)
        assert url is not None
        rest = text.replace(url.group(0), "").strip(" :.,")
        if rest and not find(FROM_PAGE, rest) and has_verb(rest):
            return False
        page = self.page_for(url.group(0), text)
        if self.audience_mode or (self.flow.audience and self.flow.audience.endswith(":")):
            self.flow.audience = f"{self.flow.audience} {url.group(0)}".strip()
        self.audience_mode = False
        self.flow.start = self.flow.start or page.id
        return True

    def page_for(self, url: str, context: str, name: str | None = None) -> DraftPage:
        for page in self.flow.pages.values():
            if page.url == url:
                return page
        host = urlsplit(url if "//" in url else f"https://{url}").hostname or "site"
        labels = [part for part in host.split(".") if part not in ("www", "m")]
        if name:
            page_id, heading = slug(name, 4), capitalise(name)
        elif find(HOME, context):
            page_id, heading = ("accueil" if self.fr else "home"), ("Accueil" if self.fr else "Home")
        else:
            page_id, heading = slug(labels[0] if labels else "site"), host
        while page_id in self.flow.pages:
            page_id += "-2"
        page = DraftPage(
            page_id,
            url,
            heading,
            [
                f"heading {heading!r} is a placeholder: write the page's level-1 heading (or its title:) "
                "as the page shows it"
            ],
        )
        self.flow.pages[page_id] = page
        return page

    # --- lines that are data, not instructions --------------------------------------------------------

    def _data_line(self, line: Line) -> bool:
        text = line.text
        emails = EMAIL.findall(text)
        example = find(EXAMPLE, text)
        if example:
            self._example(example["value"] or "")
            return True
        if emails and len(emails) == 1 and len(words(EMAIL.sub("", text))) <= 6 and not has_verb(text):
            self._table_row(text, emails[0])
            return True
        field_match = FIELD.match(text)
        if field_match and not line.bullet and len(words(field_match["label"])) <= 6:
            self._form_field(field_match["label"].strip(), text, line)
            return True
        if is_rules_sentence(text) and not has_verb(text):
            self.rules.append(recognise_rules(text))
            return True
        return False

    def _example(self, value: str) -> None:
        last = self.last_step()
        if last is not None and last.action == "fill" and last.field and not last.confirm:
            last.example = value.strip()

    def _table_row(self, text: str, email: str) -> None:
        last = self.last_step()
        if last is None:
            return
        if last.table is None:
            table_id = slug(" ".join(words(last.instruction)[:0]) or ("adresses" if self.fr else "addresses"))
            while table_id in self.flow.tables:
                table_id += "-2"
            noun = find(PLACE_NOUN, last.instruction)
            place = capitalise(noun["noun"] or "") if noun else ("Lieu" if self.fr else "Place")
            table = DraftTable(
                id=table_id,
                title=(f"Adresse selon le {place.lower()}" if self.fr else f"Address by {place.lower()}"),
                columns=[place, "Adresse de messagerie" if self.fr else "E-mail address"],
                pick_label=(f"{place} :" if self.fr else f"{place}:"),
                subject=self.flow.title or None,
                todos=["check the table's title, the question (pick.label) and the e-mail subject"],
            )
            if not noun:
                table.todos.append(f"the document does not say what the first column is: rename {place!r}")
            self.flow.tables[table_id] = table
            last.table = table_id
            last.outside = last.outside or last.action is None
        table = self.flow.tables[last.table]
        place_text = EMAIL.sub("", text).strip(" :-–,;\t")
        if not place_text:
            table.row_todos[len(table.rows)] = "the document gives no place for this address: fill it in"
            place_text = "?"
        table.rows.append([place_text, email])

    def _form_field(self, label: str, text: str, line: Line) -> None:
        """A field seen in a screenshot (« Identifiant * »): the person fills it, even if no sentence
        of the document says so."""
        recent = self.steps[-4:]
        if any(s.target and words(s.target.name) == words(label) for s in recent):
            return
        instruction = f"Renseignez le champ « {label} »." if self.fr else f"Fill in the “{label}” field."
        step = DraftStep(instruction=instruction, target=Target("label", text.strip()), action="fill", field=label)
        confirmed = confirmed_phrase(label)
        if confirmed:
            step.confirm, step.field = True, confirmed
        step.todos.append(
            "the document shows this field in a screenshot but has no sentence for it: reword the instruction"
        )
        self.started = True
        self.add(step, line)

    # --- structure: headings and alternatives ---------------------------------------------------------

    def _heading(self, line: Line, following: Line | None) -> bool:
        text = line.text
        ends = text.rstrip().endswith(":")
        introduces_list = following is not None and following.bullet and not following.enumerated
        if line.marker in (">",) and ends:
            self.close_group()
            self.headings = [line]
            return True
        if not ends:
            return False
        if line.enumerated and introduces_list:
            self.headings = [h for h in self.headings if not h.enumerated] + [line]
            return True
        if line.bullet or has_verb(text):
            return False
        if find(CONDITION_START, text) and self.started:
            self.condition_section(text)
            return True
        # A heading introduces something: a list, alternatives; else it is prose (or OCR) ending in « : ».
        if not (introduces_list or (following is not None and find(METHOD, following.text))):
            return False
        if self.group and not line.enumerated:
            self.close_group()
        self.headings = [line]
        return True

    def method(self, number: str, rest: str, text: str) -> None:
        if self.group is None or self.group.kind != "method":
            self.close_group()
            intro = " : ".join(h.text.rstrip(" :") for h in self.headings) or None
            self.headings = []
            self.group = Group(intro=intro)
        word = fold(text.split()[0])
        label = re.sub(r"\s*[°º]?\s*:\s*$", "", text).strip()
        label = re.sub(r"(n°\s*\d+)\s*[°º]\s*:?", r"\1 :", label)
        self.group.options.append(DraftOption(id=f"{slug(word, 1)}-{number}", label=label))
        self.group.conditions.append(rest.strip(" :") if find(CONDITION_START, rest) else None)

    def condition_section(self, text: str) -> None:
        condition = text.rstrip(" :")
        if self.group is None or self.group.kind != "condition":
            self.close_group()
            self.group = Group(intro=None, kind="condition")
        self.group.options.append(DraftOption(id=slug(condition, 4), label=capitalise(condition)))
        self.group.conditions.append(condition)

    def close_group(self) -> None:
        group, self.group = self.group, None
        if group is None or not group.options:
            return
        if len(group.options) == 1:
            group.options.append(
                DraftOption(id="autre-cas" if self.fr else "otherwise", label="Autre cas" if self.fr else "Otherwise")
            )
        _unique_ids(group.options)
        case_step = self._cases(group)
        if case_step:
            self._place(case_step)
        first_condition = next((c for c in group.conditions if c), None)
        if first_condition:
            question = condition_question(first_condition, self.flow.lang)
        else:
            question = "Quelle méthode utilisez-vous ?" if self.fr else "Which method do you use?"
        step = DraftStep(
            id="methode" if group.kind == "method" and self.fr else "", question=question, options=group.options
        )
        if group.intro:
            step.instruction = group.intro
        else:
            step.instruction = question
            step.todos.append("the document has no sentence introducing this choice: check the instruction")
        if group.kind == "method" and not self.fr:
            step.id = "method"
        self._place(step)

    def _place(self, step: DraftStep) -> None:
        step.instruction = _tidy(step.instruction, self.fr)
        self.top.append(step)

    def _cases(self, group: Group) -> DraftStep | None:
        """« En cas de mot de passe expiré seule la méthode n°2 fonctionne »: a question before
        the methods, and `when:` on the methods it rules out."""
        if not group.restrictions:
            return None
        cases: list[tuple[str, set[int] | None]] = []
        intro_case = find(CASE_IN_HEADING, group.intro or "")
        if intro_case:
            cases.append(((intro_case["case"] or "").strip(), None))
        cases += [(case, methods) for case, methods, _ in group.restrictions]
        if len(cases) < 2:
            cases.append(("autre cas" if self.fr else "other case", None))
        question_id = base = "cas" if self.fr else "case"
        taken = {s.id for s in self.top}
        number = 2
        while question_id in taken:  # `when:` names it: it must be final now
            question_id, number = f"{base}-{number}", number + 1
        step = DraftStep(
            id=question_id,
            instruction=" ".join(s for _, _, s in group.restrictions),
            question="Dans quel cas êtes-vous ?" if self.fr else "Which case applies to you?",
        )
        for case, _ in cases:
            step.options.append(DraftOption(id=slug(case, 5), label=capitalise(case)))
        _unique_ids(step.options)
        numbers = [int(re.sub(r"\D", "", o.id) or 0) for o in group.options]
        for option, number in zip(group.options, numbers, strict=True):
            allowed = [
                o.id
                for o, (_, methods) in zip(step.options, cases, strict=True)
                if methods is None or number in methods
            ]
            if len(allowed) < len(cases):
                option.when = {question_id: allowed}
        return step

    # --- sentences ------------------------------------------------------------------------------

    def sentences(self, line: Line) -> None:
        made: DraftStep | None = None
        for sentence in split_sentences(line.text):
            made = self.sentence(sentence, line, made) or made

    def sentence(self, sentence: str, line: Line, made: DraftStep | None) -> DraftStep | None:
        condition = split_condition(sentence)
        if condition and not find(OUTSIDE, condition[0]):
            consequence = recognise(condition[1])
            if consequence.action and not consequence.outside:
                return self.add(self._conditional(sentence, *condition, line), line)
        step: DraftStep | None = None
        for instruction, clause in _clauses(sentence):
            found = recognise(clause)
            if found.result:
                self._result(clause)
                continue
            before = step or made
            if found.acts:
                step = self.add(self._step(instruction, found), line)
                continue
            if is_rules_sentence(clause):
                self.rules.append(recognise_rules(clause))
            if before is not None and before.outside:
                before.notes.append(clause)  # what the person does outside, after receiving it
                continue
            if found.todos:
                step = self.add(self._step(instruction, found), line)
                continue
            if self._echo(clause):
                continue
            if line.ocr:
                continue
            if made is not None or step is not None:
                (step or made).notes.append(clause)  # type: ignore[union-attr]
            elif line.text.rstrip().endswith(":") and line.bullet:
                self.pending_note = clause.rstrip(" :")
            elif line.bullet or find(CONDITION_START, clause) or (self.started and has_verb(clause)):
                statement = DraftStep(instruction=instruction, statement=True)
                statement.todos.append(
                    "no browser action recognised: add target: and action: (expect to show "
                    "something), or outside: true, or move the sentence to a note"
                )
                step = self.add(statement, line)
        return step

    def _step(self, instruction: str, found: Recognised) -> DraftStep:
        step = DraftStep(
            instruction=instruction,
            target=found.target,
            action=found.action,
            value=found.value,
            outside=found.outside,
            field=found.field,
            confirm=found.confirm,
            todos=list(found.todos),
        )
        if found.opens:  # « Rendez-vous sur https://… »: the step opens that page
            page = self.page_for(found.opens, instruction)
            step.open = page.id
            self.flow.start = self.flow.start or page.id
        return step

    def _conditional(self, sentence: str, condition: str, consequence: str, line: Line) -> DraftStep:
        """« Si vous n'avez rien reçu, cliquez sur « Renvoyer » »: a question, the action under « oui »."""
        yes, no = (("oui", "Oui"), ("non", "Non")) if self.fr else (("yes", "Yes"), ("no", "No"))
        found = recognise(consequence)
        inner = self._step(capitalise(consequence), found)
        inner.instruction = _tidy(inner.instruction, self.fr)
        return DraftStep(
            instruction=sentence,
            question=condition_question(condition, self.flow.lang),
            options=[DraftOption(id=yes[0], label=yes[1], steps=[inner]), DraftOption(id=no[0], label=no[1])],
        )

    def _result(self, clause: str) -> None:
        """« Vous serez redirigé vers la page d'authentification (connexion.…) »: the step before
        lands there."""
        last = self.last_step()
        if last is None:
            return
        last.notes.append(clause)
        named = find(PAGE_NAMED, clause)
        url = URL.search(clause)
        host = (named["host"] if named else None) or (url.group(0) if url else None)
        if named and host and "." in host and last.lands is None:
            name = (named["name"] or "").strip()
            address = host if "//" in host else f"https://{host.strip('/')}/*"
            page = self.page_for(address, clause, name=name)
            page.todos.append("the document gives only the site: write the page's address (`*` matches anything)")
            last.lands = page.id

    def _echo(self, clause: str) -> bool:
        """A statement followed by the page's own words for it (a screenshot): expect that text."""
        last = self.last_step()
        if last is None or not last.statement or last.action or last.outside:
            return False
        said = content_stems(last.instruction, STOP_WORDS)
        shown = content_stems(clause, STOP_WORDS)
        if not said or len(said & shown) / len(said) < 0.6 or fold(clause) == fold(last.instruction):
            return False
        last.statement, last.action = False, "expect"
        last.target = Target("text", clause.strip())
        last.todos = ["the text comes from a screenshot in the document: check the page shows it, whole"]
        return True

    # --- after the last line ------------------------------------------------------------------------

    def finish(self) -> None:
        self._ids()
        self._variables()
        self._lands()
        if not self.flow.pages:
            page = DraftPage(
                "depart" if self.fr else "start",
                "https://example.invalid/",
                "Accueil" if self.fr else "Home",
                ["the document gives no address: write the first page's url and heading"],
            )
            self.flow.pages[page.id] = page
        self.flow.start = self.flow.start or next(iter(self.flow.pages))
        if not self.flow.audience:
            self.flow.audience = "À compléter" if self.fr else "To be written"
            self.flow.todos.setdefault("audience", []).append("the document does not say who the procedure is for")
        if not self.flow.title:
            self._title("Procédure" if self.fr else "Procedure")

    def _ids(self) -> None:
        # Question ids that `when:` already names are kept as they are; the others give way.
        named = {question for s in self.flow.all_steps() for o in s.options for question in o.when}
        self.used_ids = set(named)
        for step in self.flow.all_steps():
            if step.id in named:
                continue
            base = step.id or _step_id(step, self.fr)
            candidate, number = base, 2
            while candidate in self.used_ids:
                candidate, number = f"{base}-{number}", number + 1
            step.id = candidate
            self.used_ids.add(candidate)

    def _variables(self) -> None:
        password: DraftVariable | None = None
        fills = [s for s in self.flow.all_steps() if s.action == "fill" and s.field]
        for step in sorted(fills, key=lambda s: s.confirm):
            assert step.field is not None
            name = variable_name(step.field)
            if step.confirm:
                match = next(
                    (
                        v
                        for v in self.flow.variables.values()
                        if set(words(v.label)) <= set(words(step.field)) or name == v.name
                    ),
                    None,
                )
                if match is not None:
                    step.value = "{" + match.name + "}"
                    continue
            variable = self.flow.variables.get(name)
            if variable is None:
                variable = DraftVariable(
                    name=name,
                    label=capitalise(step.field),
                    test="",
                    kind=f"{step.field} {step.target.name if step.target else ''}",
                )
                rule = suffix_rule(step.field, self.flow.lang)
                if rule:
                    variable.rules.append(rule)
                self.flow.variables[name] = variable
            if step.example:
                variable.example = step.example
            if is_password(step.field) and password is None:
                password = variable
            step.value = "{" + name + "}"
        for rules in self.rules:
            target = password or next(iter(self.flow.variables.values()), None)
            if target is None:
                self.flow.todos.setdefault("steps", []).append(
                    "the document states rules (" + "; ".join(r.text for r in rules) + ") but no field takes them"
                )
                continue
            target.rules.extend(rules)
        for variable in self.flow.variables.values():
            variable.test = test_value(variable.kind or variable.label, variable.rules)
            failing = failing_rules(variable.test, variable.rules)
            if failing:
                variable.todos.append("the test value does not pass: " + ", ".join(r.text for r in failing))

    def _lands(self) -> None:
        for step in self.flow.all_steps():
            if step.action == "click" and step.target and step.target.kind in ("link", "button") and not step.lands:
                step.todos.append("which page does this lead to? add lands: (a page id), or nothing if the page stays")
            if step.outside and re.search(r"\b(?:lien|link|cliqu|click)", fold(step.instruction)):
                step.todos.append(
                    "the person comes back through a link: add simulate: (the browser steps that "
                    "stand for it against the fixtures) and lands: where they resume"
                )


# --- helpers ----------------------------------------------------------------------------------------

# Two instructions in one sentence: « Saisir votre identifiant et valider ».
JOIN = re.compile(r"\s+(?:et|puis|ensuite|then|and)\s+(?=\S)|,\s*(?:puis|ensuite|then)\s+", NOCASE)


def _clauses(sentence: str) -> list[tuple[str, str]]:
    """(instruction, clause to recognise) for each action of a sentence."""
    masked = mask_quotes(sentence)
    if find(OUTSIDE, masked.text):
        return [(sentence, sentence)]
    cuts = [
        hit
        for hit in JOIN.finditer(masked.text)
        if has_verb(masked.text[hit.end() :].split(",")[0][:40])
        and recognise(masked.unmask(masked.text[hit.end() :])).acts
    ]
    if not cuts:
        return [(sentence, sentence)]
    pieces, start = [], 0
    for cut in cuts:
        pieces.append((masked.text[start : cut.start()], masked.text[start : cut.start()]))
        start = cut.start()
    pieces.append((masked.text[start:], masked.text[start:]))
    out = []
    for number, (piece, _) in enumerate(pieces):
        clause = JOIN.sub("", piece, count=1) if number else piece
        instruction = piece.strip()
        if number:
            instruction = "… " + instruction.lstrip(", ")
        if number < len(pieces) - 1:
            instruction += "…"
        out.append((masked.unmask(instruction), masked.unmask(clause).strip()))
    return out


def _unique_ids(options: list[DraftOption]) -> None:
    seen: set[str] = set()
    for option in options:
        base, number = option.id, 2
        while option.id in seen:
            option.id, number = f"{base}-{number}", number + 1
        seen.add(option.id)


def _tidy(instruction: str, fr: bool) -> str:
    """The document's words, minus list dashes and a trailing colon; French quotes for French."""
    text = BULLET.sub("", instruction.strip()).strip()
    text = re.sub(r"\s*:\s*$", "", text)
    if fr:
        text = re.sub(r"\"\s*([^\"]+?)\s*\"", r"« \1 »", text)
        if text.count("«") > text.count("»"):
            text += " »"
    return text


def _step_id(step: DraftStep, fr: bool) -> str:
    if step.question:
        return slug(step.question, 4)
    if step.target is not None and step.confirm:
        return slug(step.target.name, 5)
    if step.target is not None and step.action == "fill":
        verb = "saisir" if fr else "enter"
        return f"{verb}-{slug(step.field or step.target.name, 3)}"
    if step.target is not None and step.action in ("choose", "select", "check"):
        verb = "choisir" if fr else "choose"
        return f"{verb}-{slug(step.target.name, 3)}"
    if step.target is not None:
        return slug(step.target.name, 4)
    content = [w for w in words(BULLET.sub("", step.instruction)) if w not in STOP_WORDS and len(w) > 1]
    return slug(" ".join(content), 4)


def detect_lang(text: str) -> str:
    sample = words(text)[:2000]
    french = sum(1 for w in sample if w in ("le", "la", "les", "de", "des", "vous", "votre", "et", "sur", "du"))
    english = sum(1 for w in sample if w in ("the", "you", "your", "and", "of", "to", "on", "in", "click"))
    return "en" if english > french else "fr"


def build(text: str) -> DraftFlow:
    lines = prepare(text)
    builder = Builder(lines, detect_lang(text))
    return builder.build()
