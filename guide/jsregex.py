"""Rule patterns as the page compiles them: ``new RegExp(pattern, 'u')``, checked without a browser.

``check(pattern)`` raises ``RegexError`` when the browser would refuse the pattern, or when
the pattern could backtrack catastrophically and freeze the page while the person types.

Why a parser here rather than a library: Python's ``re`` (and ``regex``) read another
dialect — ``(?P<n>…)``, ``\\Z``, ``(?i)`` and possessive quantifiers are Python-only, ``\\-``
outside a class and ``\\p{Latin}`` are JavaScript errors — and no maintained PyPI package
parses ECMAScript patterns into a tree the backtracking check needs. With the ``u`` flag the
grammar is small and strict (ECMA-262 §22.2.1, without the Annex B leniencies), so it is
written out below in one linear pass.

The backtracking check is the known conservative one (as in safe-regex / vuln-regex-detector):
  * star height: a repeated group must not contain an unbounded quantifier, nor, when it is
    repeated without bound, any quantifier whose count varies — ``(a+)+``, ``(.*)*``,
    ``(a?b)+``, ``(a+){10}`` are refused; ``(?:[ .-]?\\d{2}){4}`` is not (its ways are counted);
  * quantified overlapping alternatives: in a repeated group, alternatives must not be able to
    start with the same character — ``(a|a)*``, ``(\\d|\\w)+``, ``(a|ab)+`` are refused;
  * polynomial blow-up: at most MAX_TAKING_TURNS unbounded quantifiers in a row that can all
    take the same characters (``^.*a.*a.*`` has three; an unanchored pattern, tried at every
    position, counts one more), at most MAX_CHOICES ways for short ones (``a?a?a?…``), and at
    most MAX_QUANTIFIERS quantifiers in all (safe-regex's limit).
It refuses some safe patterns too (``(-[a-z]+)*``); rules are short, and can be split.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple, NoReturn

MAX_GROUP_DEPTH = 32  # groups inside groups; the parser recurses once per level
MAX_QUANTIFIERS = 25  # quantifiers in one pattern: safe-regex's default limit
MAX_TAKING_TURNS = 2  # unbounded quantifiers in a row taking the same characters: n² is fine, n³ freezes
MAX_CHOICES = 1024  # ways short quantifiers in a row (a?, a{1,3}) can share the same characters
SHORT = 16  # a quantifier allowing at most this many more repetitions than its minimum is short
MAX_BETWEEN = 16  # fixed parts between quantifiers the backtracking check keeps track of

Ranges = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive code point intervals
TOP = 0x10FFFF
SYNTAX = frozenset("^$\\.*+?()[]{}|")
LITERALS = re.compile(r"[^$^\\*+?()\[\]{}|]+")  # characters and dots


def _ranges(pairs: Iterable[tuple[int, int]]) -> Ranges:
    merged: list[list[int]] = []
    for lo, hi in sorted(pairs):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return tuple((lo, hi) for lo, hi in merged)


def _union(sets: list[Ranges]) -> Ranges:
    if len(sets) == 1:
        return sets[0]
    return _ranges(interval for ranges in sets for interval in ranges)


def _chars(text: str) -> Ranges:
    return _ranges((ord(c), ord(c)) for c in text)


def _complement(ranges: Ranges) -> Ranges:
    out, start = [], 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= TOP:
        out.append((start, TOP))
    return tuple(out)


def _intersection(a: Ranges, b: Ranges) -> Ranges:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def _any_overlap(sets: list[Ranges]) -> bool:
    """Do two of these sets share a character? One sweep over all their intervals."""
    intervals = sorted(interval for ranges in sets for interval in ranges)
    return any(intervals[i][0] <= intervals[i - 1][1] for i in range(1, len(intervals)))


def _overlap(a: Ranges, b: Ranges) -> bool:
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i][1] < b[j][0]:
            i += 1
        elif b[j][1] < a[i][0]:
            j += 1
        else:
            return True
    return False


NOTHING: Ranges = ()
EVERYTHING: Ranges = ((0, TOP),)
DIGIT = _ranges([(0x30, 0x39)])
WORD = _ranges([(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)])
SPACE = _ranges(
    [
        (0x09, 0x0D),
        (0x20, 0x20),
        (0xA0, 0xA0),
        (0x1680, 0x1680),
        (0x2000, 0x200A),
        (0x2028, 0x2029),
        (0x202F, 0x202F),
        (0x205F, 0x205F),
        (0x3000, 0x3000),
        (0xFEFF, 0xFEFF),
    ]
)
DOT = _complement(_chars("\n\r\u2028\u2029"))
CLASS_ESCAPES = {
    "d": DIGIT,
    "D": _complement(DIGIT),
    "w": WORD,
    "W": _complement(WORD),
    "s": SPACE,
    "S": _complement(SPACE),
}
CONTROL_ESCAPES = {"f": 0x0C, "n": 0x0A, "r": 0x0D, "t": 0x09, "v": 0x0B}
HEX = frozenset("0123456789abcdefABCDEF")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Property names and values \p{…} accepts with the u flag (ECMA-262 tables 67-69 and Unicode's
# PropertyValueAliases, as listed by the npm packages unicode-property-aliases-ecmascript and
# unicode-property-value-aliases-ecmascript, keeping those V8 compiles).
BINARY_PROPERTIES = _words(
    "AHex ASCII ASCII_Hex_Digit Alpha Alphabetic Any Assigned Bidi_C Bidi_Control Bidi_M Bidi_Mirrored CI "
    "CWCF CWCM CWKCF CWL CWT CWU Case_Ignorable Cased Changes_When_Casefolded Changes_When_Casemapped "
    "Changes_When_Lowercased Changes_When_NFKC_Casefolded Changes_When_Titlecased Changes_When_Uppercased "
    "DI Dash Default_Ignorable_Code_Point Dep Deprecated Dia Diacritic EBase EComp EMod EPres Emoji "
    "Emoji_Component Emoji_Modifier Emoji_Modifier_Base Emoji_Presentation Ext ExtPict Extended_Pictographic "
    "Extender Gr_Base Gr_Ext Grapheme_Base Grapheme_Extend Hex Hex_Digit IDC IDS IDSB IDST IDS_Binary_Operator "
    "IDS_Trinary_Operator ID_Continue ID_Start Ideo Ideographic Join_C Join_Control LOE Logical_Order_Exception "
    "Lower Lowercase Math NChar Noncharacter_Code_Point Pat_Syn Pat_WS Pattern_Syntax Pattern_White_Space QMark "
    "Quotation_Mark RI Radical Regional_Indicator SD STerm Sentence_Terminal Soft_Dotted Term "
    "Terminal_Punctuation UIdeo Unified_Ideograph Upper Uppercase VS Variation_Selector WSpace White_Space "
    "XIDC XIDS XID_Continue XID_Start space "
)
GENERAL_CATEGORIES = _words(
    "C Cased_Letter Cc Cf Close_Punctuation Cn Co Combining_Mark Connector_Punctuation Control Cs "
    "Currency_Symbol Dash_Punctuation Decimal_Number Enclosing_Mark Final_Punctuation Format "
    "Initial_Punctuation L LC Letter Letter_Number Line_Separator Ll Lm Lo Lowercase_Letter Lt Lu M Mark "
    "Math_Symbol Mc Me Mn Modifier_Letter Modifier_Symbol N Nd Nl No Nonspacing_Mark Number Open_Punctuation "
    "Other Other_Letter Other_Number Other_Punctuation Other_Symbol P Paragraph_Separator Pc Pd Pe Pf Pi Po "
    "Private_Use Ps Punctuation S Sc Separator Sk Sm So Space_Separator Spacing_Mark Surrogate Symbol "
    "Titlecase_Letter Unassigned Uppercase_Letter Z Zl Zp Zs cntrl digit punct "
)
SCRIPTS = _words(
    "Adlam Adlm Aghb Ahom Anatolian_Hieroglyphs Arab Arabic Armenian Armi Armn Avestan Avst Bali Balinese "
    "Bamu Bamum Bass Bassa_Vah Batak Batk Beng Bengali Berf Beria_Erfe Bhaiksuki Bhks Bopo Bopomofo Brah "
    "Brahmi Brai Braille Bugi Buginese Buhd Buhid Cakm Canadian_Aboriginal Cans Cari Carian "
    "Caucasian_Albanian Chakma Cham Cher Cherokee Chorasmian Chrs Common Copt Coptic Cpmn Cprt Cuneiform "
    "Cypriot Cypro_Minoan Cyrillic Cyrl Deseret Deva Devanagari Diak Dives_Akuru Dogr Dogra Dsrt Dupl "
    "Duployan Egyp Egyptian_Hieroglyphs Elba Elbasan Elym Elymaic Ethi Ethiopic Gara Garay Geor Georgian "
    "Glag Glagolitic Gong Gonm Goth Gothic Gran Grantha Greek Grek Gujarati Gujr Gukh Gunjala_Gondi "
    "Gurmukhi Guru Gurung_Khema Han Hang Hangul Hani Hanifi_Rohingya Hano Hanunoo Hatr Hatran Hebr Hebrew "
    "Hira Hiragana Hluw Hmng Hmnp Hung Imperial_Aramaic Inherited Inscriptional_Pahlavi "
    "Inscriptional_Parthian Ital Java Javanese Kaithi Kali Kana Kannada Katakana Kawi Kayah_Li Khar "
    "Kharoshthi Khitan_Small_Script Khmer Khmr Khoj Khojki Khudawadi Kirat_Rai Kits Knda Krai Kthi Lana Lao "
    "Laoo Latin Latn Lepc Lepcha Limb Limbu Lina Linb Linear_A Linear_B Lisu Lyci Lycian Lydi Lydian "
    "Mahajani Mahj Maka Makasar Malayalam Mand Mandaic Mani Manichaean Marc Marchen Masaram_Gondi "
    "Medefaidrin Medf Meetei_Mayek Mend Mende_Kikakui Merc Mero Meroitic_Cursive Meroitic_Hieroglyphs Miao "
    "Mlym Modi Mong Mongolian Mro Mroo Mtei Mult Multani Myanmar Mymr Nabataean Nag_Mundari Nagm Nand "
    "Nandinagari Narb Nbat New_Tai_Lue Newa Nko Nkoo Nshu Nushu Nyiakeng_Puachue_Hmong Ogam Ogham Ol_Chiki "
    "Ol_Onal Olck Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian "
    "Old_South_Arabian Old_Turkic Old_Uyghur Onao Oriya Orkh Orya Osage Osge Osma Osmanya Ougr Pahawh_Hmong "
    "Palm Palmyrene Pau_Cin_Hau Pauc Perm Phag Phags_Pa Phli Phlp Phnx Phoenician Plrd Prti Psalter_Pahlavi "
    "Qaac Qaai Rejang Rjng Rohg Runic Runr Samaritan Samr Sarb Saur Saurashtra Sgnw Sharada Shavian Shaw "
    "Shrd Sidd Siddham Sidetic Sidt SignWriting Sind Sinh Sinhala Sogd Sogdian Sogo Sora Sora_Sompeng Soyo "
    "Soyombo Sund Sundanese Sunu Sunuwar Sylo Syloti_Nagri Syrc Syriac Tagalog Tagb Tagbanwa Tai_Le "
    "Tai_Tham Tai_Viet Tai_Yo Takr Takri Tale Talu Tamil Taml Tang Tangsa Tangut Tavt Tayo Telu Telugu Tfng "
    "Tglg Thaa Thaana Thai Tibetan Tibt Tifinagh Tirh Tirhuta Tnsa Todhri Todr Tolong_Siki Tols Toto "
    "Tulu_Tigalari Tutg Ugar Ugaritic Unknown Vai Vaii Vith Vithkuqi Wancho Wara Warang_Citi Wcho Xpeo Xsux "
    "Yezi Yezidi Yi Yiii Zanabazar_Square Zanb Zinh Zyyy Zzzz "
)
PROPERTY_VALUES = {
    "General_Category": GENERAL_CATEGORIES,
    "gc": GENERAL_CATEGORIES,
    "Script": SCRIPTS,
    "sc": SCRIPTS,
    "Script_Extensions": SCRIPTS,
    "scx": SCRIPTS,
}


class RegexError(ValueError):
    """Why the page cannot use a pattern: what is wrong, where (0-based), and what to write.

    `slow` tells a pattern the browser compiles but that could freeze the page."""

    def __init__(self, problem: str, fix: str, offset: int, slow: bool = False):
        self.problem, self.fix, self.offset, self.slow = problem, fix, offset, slow
        super().__init__(f"{problem} (character {offset + 1}): {fix}")


class _Info(NamedTuple):
    """What the backtracking check needs to know about a part of the pattern."""

    first: Ranges = NOTHING  # characters it can start with
    chars: Ranges = NOTHING  # characters it can take, anywhere
    nullable: bool = True  # can it match the empty string?
    varies: bool = False  # holds a quantifier whose count varies (a*, a+, a?, a{2,5})
    ambiguous: bool = False  # holds alternatives that can start with the same character
    turns: int = 0  # most unbounded quantifiers in a row inside it taking the same characters
    choices: int = 1  # most ways short quantifiers in a row inside it can share characters
    peeks: int = 0  # a lookaround: the `turns` of what it looks at (atomic: it is run, never re-entered)
    peek_chars: Ranges = NOTHING  # a lookaround: the characters it looks at
    after: _Runs | None = None  # a group not repeated: the runs after it
    anchor: bool = False  # ^: the match can only begin at the start of the value


class _Run(NamedTuple):
    """Quantifiers in a row that a repeated string could keep busy all at once.

    The string is made of characters every quantifier of the run takes (`chars`), and must hold
    one character of each fixed part between them (`between`), or the run breaks there.
    """

    chars: Ranges
    choices: int  # ways its short quantifiers (a?, a{1,3}) can share the string
    between: frozenset[Ranges] = frozenset()

    def alive(self) -> bool:
        return bool(self.chars) and all(_overlap(part, self.chars) for part in self.between)

    def through(self, part: Ranges) -> _Run:
        """The run past a fixed part; past MAX_BETWEEN of them, more are not counted (which
        over-estimates, and keeps the check linear)."""
        if not _overlap(part, self.chars):
            return self._replace(chars=NOTHING)  # broken: no character of the run gets past
        if len(self.between) >= MAX_BETWEEN or part in self.between:
            return self
        return self._replace(between=self.between | {part})


# Runs by how many unbounded quantifiers they hold. Runs with the same count are merged (their
# characters together, only the fixed parts both need): it over-estimates, and stays linear.
_Runs = dict[int, _Run]


def _one(ranges: Ranges) -> _Info:
    """One character out of `ranges`."""
    return _Info(ranges, ranges, nullable=False)


ASSERTION = _Info()
START = _Info(anchor=True)


def check(pattern: str) -> None:
    """Raise RegexError unless `new RegExp(pattern, 'u')` compiles and cannot blow up."""
    _Parser(pattern).pattern()


class _Parser:
    def __init__(self, text: str):
        self.text, self.pos = text, 0
        self.groups, self.depth, self.quantifiers = 0, 0, 0
        self.names: set[str] = set()
        self.name_refs: list[tuple[str, int]] = []
        self.number_refs: list[tuple[int, int]] = []
        self.runs: _Runs = {}  # the runs before the term being read
        self.closing = _closing_parentheses(text)

    # --- helpers ---------------------------------------------------------------------------

    def peek(self, ahead: int = 0) -> str:
        at = self.pos + ahead
        return self.text[at] if at < len(self.text) else ""

    def fail(self, problem: str, fix: str, offset: int | None = None) -> NoReturn:
        raise RegexError(problem, fix, self.pos if offset is None else offset)

    def slow(self, problem: str, fix: str, offset: int) -> NoReturn:
        raise RegexError(problem, fix, offset, slow=True)

    def digits(self) -> str:
        start = self.pos
        while _digit(self.peek()):
            self.pos += 1
        return self.text[start : self.pos]

    # --- grammar ---------------------------------------------------------------------------

    def pattern(self) -> None:
        # Unanchored, the page tries every position: that counts as one more unbounded quantifier.
        self.disjunction({1: _Run(EVERYTHING, 1)})
        if self.pos < len(self.text):  # only a ')' stops a top-level disjunction
            self.fail("unmatched )", "remove it, or escape it as \\)")
        for name, at in self.name_refs:
            if name not in self.names:
                self.fail(f"\\k<{name}> names no group", f"name a group (?<{name}>…), or fix the name", at)
        for number, at in self.number_refs:
            if number > self.groups:
                self.fail(
                    f"\\{number} refers to group {number}, but the pattern has {self.groups}",
                    "number the groups from 1 in the order their ( opens",
                    at,
                )

    def disjunction(self, runs: _Runs) -> _Info:
        """Alternatives, each entered by the `runs` before them; the runs after them merged."""
        branches = [self.alternative(runs)]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.alternative(runs))
        if len(branches) == 1:
            return branches[0]
        after: _Runs = {}
        for branch in branches:
            for count, run in (branch.after or {}).items():
                _add(after, count, run)
        firsts = [b.first for b in branches]
        return _Info(
            _union(firsts),
            _union([b.chars for b in branches]),
            any(b.nullable for b in branches),
            any(b.varies for b in branches),
            any(b.ambiguous for b in branches) or _any_overlap(firsts),
            max(b.turns for b in branches),
            max(b.choices for b in branches),
            after=after,
        )

    def alternative(self, runs: _Runs) -> _Info:
        firsts: list[Ranges] = []
        chars: list[Ranges] = []
        nullable, varies, ambiguous = True, False, False
        turns, choices = 0, 1
        while self.pos < len(self.text) and self.peek() not in "|)":
            start = self.pos
            self.runs = runs  # what a group met now is entered with
            term = self.literals() or self.term()
            turns = max(turns, self.peek_turns(runs, term, start))
            # a group not repeated: its parts already took turns with ours
            runs = term.after if term.after is not None else self.take_turns(runs, term, start)
            if nullable:
                firsts.append(term.first)
            chars.append(term.chars)
            nullable = nullable and term.nullable
            varies, ambiguous = varies or term.varies, ambiguous or term.ambiguous
            turns, choices = max(turns, term.turns), max(choices, term.choices)
            for count, run in runs.items():
                turns, choices = max(turns, count), max(choices, run.choices)
        return _Info(
            _union(firsts) if firsts else NOTHING,
            _union(chars) if chars else NOTHING,
            nullable,
            varies,
            ambiguous,
            turns,
            choices,
            after=runs,
        )

    def peek_turns(self, runs: _Runs, term: _Info, start: int) -> int:
        """A lookaround is run again each time the quantifiers before it try another way."""
        if not term.peeks:
            return 0
        total = max(
            [term.peeks] + [count + term.peeks for count, run in runs.items() if _overlap(run.chars, term.peek_chars)]
        )
        if total > MAX_TAKING_TURNS:
            self._too_many_turns(start)
        return total

    def _too_many_turns(self, start: int) -> NoReturn:
        self.slow(
            f"more than {MAX_TAKING_TURNS} unbounded quantifiers in a row can take the same characters, "
            "as in .*a.*a.*: the page would take very long to test a long value",
            "anchor the pattern with ^, write [^a]*a rather than .*a, or split the rule",
            start,
        )

    def take_turns(self, runs: _Runs, term: _Info, start: int) -> _Runs:
        """The runs after `term`: it extends those it shares characters with, and lets those
        through it can skip (an assertion, a*, a?)."""
        if term.anchor:
            return {}
        after: _Runs = {}
        quantified = term.turns > 0 or term.choices > 1
        for count, run in runs.items():
            if term.nullable:
                _add(after, count, run)
            elif not quantified:
                _add(after, count, run.through(term.chars))
            if quantified:
                choices = min(run.choices * term.choices, MAX_CHOICES + 1)
                extended = _Run(_intersection(run.chars, term.chars), choices, run.between)
                if extended.alive():
                    _add(after, count + term.turns, extended)
        if quantified:
            _add(after, term.turns, _Run(term.chars, term.choices))
        if max(after, default=0) > MAX_TAKING_TURNS:
            self._too_many_turns(start)
        if any(run.choices > MAX_CHOICES for run in after.values()):
            self.slow(
                "optional parts in a row that can take the same characters, as in a?a?a?a?…, "
                "give the page too many ways to try",
                "write a count instead, as in a{0,4}",
                start,
            )
        return after

    def literals(self) -> _Info | None:
        """Plain characters and dots in a row, none quantified, read at once as one fixed part
        (which takes any of their characters: it over-estimates, and saves time on long ones)."""
        match = LITERALS.match(self.text, self.pos)
        if not match:
            return None
        end = match.end() - (match.end() < len(self.text) and self.text[match.end()] in "*+?{")
        if end - self.pos < 2:
            return None
        text, self.pos = self.text[self.pos : end], end
        chars = _ranges(list(_chars(text.replace(".", ""))) + (list(DOT) if "." in text else []))
        first = DOT if text[0] == "." else _chars(text[0])
        return _Info(first, chars, nullable=False)

    def term(self) -> _Info:
        start = self.pos
        assertion = self.assertion()
        if assertion is not None:
            if self.peek() and self.peek() in "*+?{":
                self.fail("an anchor or a lookaround cannot be repeated", "remove the quantifier after it", self.pos)
            return assertion
        return self.quantified(self.atom(), start)

    def assertion(self) -> _Info | None:
        c = self.peek()
        if c in ("^", "$") and c:
            self.pos += 1
            return START if c == "^" else ASSERTION
        if c == "\\" and self.peek(1) in ("b", "B") and self.peek(1):
            self.pos += 2
            return ASSERTION
        for opening in ("(?=", "(?!", "(?<=", "(?<!"):
            if self.text.startswith(opening, self.pos):
                body = self.group_body(self.pos, self.pos + len(opening))
                return _Info(varies=body.varies, ambiguous=body.ambiguous, peeks=body.turns, peek_chars=body.chars)
        return None

    def atom(self) -> _Info:
        c = self.peek()
        if c == "(":
            return self.group()
        if c == "[":
            return self.char_class()
        if c == "\\":
            return self.atom_escape()
        if c == ".":
            self.pos += 1
            return _one(DOT)
        if c in "*+?{":
            self.fail(f"nothing to repeat before {c}", f"put what it repeats before it, or escape it as \\{c}")
        if c in "]}":
            self.fail(f"lone {c}", f"escape it as \\{c}")
        self.pos += 1
        return _one(_chars(c))

    def quantified(self, atom: _Info, start: int) -> _Info:
        at = self.pos
        bounds = self.quantifier()
        if bounds is None:
            return atom
        low, high = bounds
        if self.peek() == "?":
            self.pos += 1  # lazy: the same backtracking, in another order
        if self.peek() == "+":
            self.fail("possessive quantifiers (a++, a*+) are Python syntax", "drop the second +")
        if self.peek() and self.peek() in "*?{":
            self.fail(f"nothing to repeat before {self.peek()}", "write one quantifier")
        self.quantifiers += 1
        if self.quantifiers > MAX_QUANTIFIERS:
            self.slow(
                f"more than {MAX_QUANTIFIERS} quantifiers: the page could take very long to test it",
                "split the rule into several simpler rules",
                at,
            )
        repeats, long = high is None or high > 1, high is None or high - low > SHORT
        if repeats and (atom.turns or (long and atom.varies)):
            self.slow(
                "a quantifier inside a repeated group can take exponential time in the page, as in (a+)+ or (.*)*",
                "repeat a group without a quantifier inside, or split the rule into several rules",
                start,
            )
        if repeats and atom.ambiguous:
            self.slow(
                "alternatives that can start with the same character, in a repeated group, "
                "can take exponential time in the page, as in (a|a)*",
                "make the alternatives start differently, or use a class such as [ab]",
                start,
            )
        if long:
            return _Info(atom.first, atom.chars, atom.nullable or low == 0, True, atom.ambiguous, 1, atom.choices)
        # A few repetitions of optional parts, as in (?:[ .-]?\d{2}){4}: count the ways.
        choices = _power(atom.choices, high or 1) * (1 + (high or low) - low)
        if choices > MAX_CHOICES:
            self.slow(
                "optional parts repeated this way give the page too many ways to try",
                "write the repetitions out, or split the rule",
                start,
            )
        return _Info(
            atom.first,
            atom.chars,
            atom.nullable or low == 0,
            atom.varies or low != high,
            atom.ambiguous,
            atom.turns,
            choices,
        )

    def quantifier(self) -> tuple[int, int | None] | None:
        c = self.peek()
        if c in ("*", "+", "?") and c:
            self.pos += 1
            return {"*": (0, None), "+": (1, None), "?": (0, 1)}[c]
        if c != "{":
            return None
        start = self.pos
        self.pos += 1
        low, high = self.digits(), ""
        if low and self.peek() == ",":
            self.pos += 1
            high = self.digits() or "*"
        if not low or self.peek() != "}":
            self.fail("lone {", "write a count such as {2}, {2,} or {2,5}, or escape it as \\{", start)
        self.pos += 1
        if high in ("", "*"):
            return int(low), (int(low) if high == "" else None)
        if int(low) > int(high):
            self.fail(f"{{{low},{high}}} counts down", f"write {{{high},{low}}}", start)
        return int(low), int(high)

    # --- groups ----------------------------------------------------------------------------

    def group(self) -> _Info:
        start = self.pos
        if self.peek(1) != "?":
            self.groups += 1
            return self.group_body(start, start + 1, threaded=True)
        kind = self.peek(2)
        if kind == ":":
            return self.group_body(start, start + 3, threaded=True)
        if kind == "<":
            self.pos += 3
            name = self.group_name(start)
            if name in self.names:
                self.fail(f"two groups are named {name!r}", "give each group its own name", start)
            self.names.add(name)
            self.groups += 1
            return self.group_body(start, self.pos, threaded=True)
        problem, fix = _python_group(self.text[start : start + 4])
        self.fail(problem, fix, start)

    def group_body(self, start: int, body: int, threaded: bool = False) -> _Info:
        """The disjunction between `body` and the ')' closing the group opened at `start`.

        A group that is not repeated is `threaded`: the runs before it go on through its parts.
        A repeated one, or a lookaround, is weighed whole, from what it holds."""
        self.depth += 1
        if self.depth > MAX_GROUP_DEPTH:
            self.slow(f"groups nested more than {MAX_GROUP_DEPTH} deep", "write the rule more simply", start)
        incoming = self.runs if threaded and not self.repeated(start) else None
        self.pos = body
        info = self.disjunction(incoming or {})
        if self.peek() != ")":
            self.fail("unclosed (", "close it with )", start)
        self.pos += 1
        self.depth -= 1
        return info if incoming is not None else info._replace(after=None)

    def repeated(self, start: int) -> bool:
        """Is the group opened at `start` followed by a quantifier (or unclosed)?"""
        end = self.closing.get(start)
        return end is None or self.text[end + 1 : end + 2] in ("*", "+", "?", "{")

    def group_name(self, start: int) -> str:
        """Read `name>` after `(?<` or `\\k<`, leaving the position after '>'."""
        begin = self.pos
        end = self.text.find(">", begin)
        name = self.text[begin:end] if end >= 0 else ""
        if end < 0 or not _identifier(name):
            self.fail(
                "a group name is letters, digits, _ or $, not starting with a digit",
                "write it like (?<code>…) and \\k<code>",
                start,
            )
        self.pos = end + 1
        return name

    # --- escapes ---------------------------------------------------------------------------

    def atom_escape(self) -> _Info:
        start = self.pos
        c = self.peek(1)
        if _digit(c) and c != "0":
            self.pos += 1
            self.number_refs.append((int(self.digits()), start))
            return _Info(EVERYTHING, EVERYTHING)  # a back reference can match anything, or nothing
        if c == "k":
            self.pos += 2
            if self.peek() != "<":
                self.fail("\\k must name a group", "write \\k<name>, or k without the backslash", start)
            self.pos += 1
            self.name_refs.append((self.group_name(start), start))
            return _Info(EVERYTHING, EVERYTHING)
        ranges = self.class_escape()
        if ranges is not None:
            return _one(ranges)
        code = self.char_escape()
        return _one(((code, code),))

    def class_escape(self) -> Ranges | None:
        """\\d \\w \\s \\p{…} and their negations, or None if the escape is not one."""
        c = self.peek(1)
        if c and c in CLASS_ESCAPES:
            self.pos += 2
            return CLASS_ESCAPES[c]
        if c not in ("p", "P") or not c:
            return None
        start = self.pos
        self.pos += 2
        end = self.text.find("}", self.pos)
        if self.peek() != "{" or end < 0:
            self.fail(f"\\{c} needs a Unicode property in braces", f"write \\{c}{{L}} or \\{c}{{Script=Latin}}", start)
        _property(self.text[self.pos + 1 : end], start)
        self.pos = end + 1
        return EVERYTHING  # not worth listing: counts as overlapping everything

    def char_escape(self) -> int:
        """A character written with a backslash; the position is on the backslash."""
        start = self.pos
        c = self.peek(1)
        self.pos += 2
        if c in CONTROL_ESCAPES and c:
            return CONTROL_ESCAPES[c]
        if c == "c":
            letter = self.peek()
            if not (letter.isascii() and letter.isalpha()):
                self.fail("\\c must be followed by a letter", "write \\cA to \\cZ, or \\\\c for a backslash", start)
            self.pos += 1
            return ord(letter) % 32
        if c == "0" and not _digit(self.peek()):
            return 0
        if c == "x":
            return self.hex_digits(2, start)
        if c == "u":
            return self.unicode_escape(start)
        if c and (c in SYNTAX or c == "/"):
            return ord(c)
        problem, fix = _python_escape(c)
        self.fail(problem, fix, start)

    def hex_digits(self, count: int, start: int) -> int:
        digits = self.text[self.pos : self.pos + count]
        if len(digits) != count or not set(digits) <= HEX:
            self.fail(
                f"\\{self.text[start + 1]} needs {count} hexadecimal digits",
                "write \\x41 or \\u0041 (or \\u{1F600})",
                start,
            )
        self.pos += count
        return int(digits, 16)

    def unicode_escape(self, start: int) -> int:
        if self.peek() == "{":
            end = self.text.find("}", self.pos)
            digits = self.text[self.pos + 1 : end] if end >= 0 else ""
            if not digits or not set(digits) <= HEX or int(digits, 16) > TOP:
                self.fail("\\u{…} needs a code point in hexadecimal, at most 10FFFF", "write \\u{1F600}", start)
            self.pos = end + 1
            return int(digits, 16)
        code = self.hex_digits(4, start)
        if 0xD800 <= code <= 0xDBFF and self.text.startswith("\\u", self.pos):
            after = self.text[self.pos + 2 : self.pos + 6]
            if len(after) == 4 and set(after) <= HEX and 0xDC00 <= int(after, 16) <= 0xDFFF:
                self.pos += 6  # a UTF-16 pair is one character with the u flag
                return 0x10000 + ((code - 0xD800) << 10) + (int(after, 16) - 0xDC00)
        return code

    # --- character classes -----------------------------------------------------------------

    def char_class(self) -> _Info:
        start = self.pos
        self.pos += 1
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        pairs: list[tuple[int, int]] = []
        while self.peek() != "]":
            if not self.peek():
                self.fail("unclosed [", "close it with ]", start)
            atom_at = self.pos
            low = self.class_atom()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.pos += 1
                high = self.class_atom()
                if isinstance(low, tuple) or isinstance(high, tuple):
                    self.fail(
                        "a range cannot start or end with \\d, \\w, \\s or \\p{…}",
                        "escape the dash as \\- , or put it first or last in the class",
                        atom_at,
                    )
                if low > high:
                    self.fail(
                        f"the range {self.text[atom_at : self.pos]} goes backwards",
                        "write the smaller character first",
                        atom_at,
                    )
                pairs.append((low, high))
            elif isinstance(low, tuple):
                pairs.extend(low)
            else:
                pairs.append((low, low))
        self.pos += 1
        ranges = _ranges(pairs)
        return _one(_complement(ranges) if negated else ranges)

    def class_atom(self) -> int | Ranges:
        c = self.peek()
        if c != "\\":
            self.pos += 1
            return ord(c)
        escape = self.peek(1)
        if escape in ("b", "-") and escape:
            self.pos += 2
            return 0x08 if escape == "b" else 0x2D
        ranges = self.class_escape()
        if ranges is not None:
            return ranges
        if _digit(escape) and escape != "0":
            self.fail(
                f"\\{escape} in a class is neither a character nor a back reference",
                f"write \\x3{escape} for the digit, or move the back reference out of the class",
            )
        return self.char_escape()


def _power(base: int, exponent: int) -> int:
    """base ** exponent, or just over MAX_CHOICES if it is more."""
    result = 1
    for _ in range(exponent):
        result *= base
        if result > MAX_CHOICES:
            return MAX_CHOICES + 1
    return result


def _add(runs: _Runs, count: int, run: _Run) -> None:
    """Merge `run` into `runs` (checked alive by the caller; merging keeps it alive)."""
    if not run.chars:
        return
    known = runs.get(count)
    runs[count] = (
        run
        if known is None
        else _Run(_ranges(known.chars + run.chars), max(known.choices, run.choices), known.between & run.between)
    )


def _closing_parentheses(text: str) -> dict[int, int]:
    """Where each '(' closes, skipping escapes and classes: one pass, to see quantified groups."""
    closing: dict[int, int] = {}
    opened: list[int] = []
    i, in_class = 0, False
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            opened.append(i)
        elif c == ")" and opened:
            closing[opened.pop()] = i
        i += 1
    return closing


def _digit(c: str) -> bool:
    return c != "" and c in "0123456789"


def _identifier(name: str) -> bool:
    """A group name: an ECMAScript identifier written out (no \\u escapes, conservatively)."""
    if not name or not (name[0] in "$_" or name[0].isidentifier()):
        return False
    return all(c in "$\u200c\u200d" or ("_" + c).isidentifier() for c in name[1:])


def _property(expression: str, start: int) -> None:
    name, _, value = expression.partition("=")
    if value:
        known = PROPERTY_VALUES.get(name)
        if known is None:
            raise RegexError(
                f"unknown Unicode property {name!r}",
                "use General_Category (gc), Script (sc) or Script_Extensions (scx), as in \\p{Script=Latin}",
                start,
            )
        if value not in known:
            raise RegexError(
                f"{value!r} is not a value of {name}",
                "check the spelling and case, as in \\p{Script=Latin} or \\p{gc=Lu}",
                start,
            )
    elif expression not in GENERAL_CATEGORIES and expression not in BINARY_PROPERTIES:
        fix = (
            f"write \\p{{Script={expression}}}"
            if expression in SCRIPTS
            else "check the spelling and case, as in \\p{L}, \\p{Lu} or \\p{Script=Latin}"
        )
        raise RegexError(f"unknown Unicode property {expression!r}", fix, start)


def _python_group(opening: str) -> tuple[str, str]:
    """What to say about `(?…` that JavaScript does not have; most are Python's."""
    if opening.startswith("(?P<"):
        return "(?P<name>…) is Python syntax", "write (?<name>…)"
    if opening.startswith("(?P="):
        return "(?P=name) is Python syntax", "write \\k<name>"
    if opening.startswith("(?#"):
        return "comments (?#…) are Python syntax", "remove the comment"
    if opening.startswith("(?>"):
        return "atomic groups (?>…) are not JavaScript", "write (?:…)"
    if opening.startswith("(?("):
        return "conditional groups are Python syntax", "split the rule into two rules"
    if opening[2:3] and opening[2] in "aiLmsux-":
        return "inline flags such as (?i) are not JavaScript", "write both cases, as in [Aa]"
    return "unknown group (?", "write (…), (?:…), (?<name>…), (?=…), (?!…), (?<=…) or (?<!…)"


def _python_escape(c: str) -> tuple[str, str]:
    """What to say about a backslash JavaScript refuses with the u flag."""
    if not c:
        return "the pattern ends with a backslash", "write \\\\ for a backslash"
    if c in "AZz":
        return f"\\{c} is Python syntax", "write ^ for the start and $ for the end"
    if c == "N":
        return "\\N{…} is Python syntax", "write the character itself"
    if _digit(c):
        return f"\\{c} is an octal escape", "write \\x.. or \\u.... instead"
    return (
        f"\\{c} is not an escape JavaScript knows with the u flag",
        f"write {c} without the backslash, or \\\\ for a backslash",
    )
