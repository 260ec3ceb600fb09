"""How much of the hand-written flows does `guide draft` get right from the documents alone?

Each bundled flow was written by hand from a help document (tests/documents/). The bench drafts
a flow from the same document and, for every hand-written step, finds the drafted step that
stands for it and scores three things:

* instruction: the drafted instruction holds the document's words of that step: every content
  word (stop words aside) of the hand-written instruction that the document itself uses. Words
  are compared folded (case, accents, quotes, punctuation and spacing ignored) and by their
  first five letters, so « Cliquer » (document) and « Cliquez » (hand-written) are one word;
  words the author added (« champ » where the document has none) are not asked for.
* action: the same action (both none for questions and steps outside the browser).
* target: the same kind (role, label, text…) and the same words in the name, folded as above
  (the page's « MOT DE PASSE OUBLIÉ ? » and the document's « MOT DE PASSE OUBLIE » are the same
  words); `within` ignored; both none counts as right.

Steps walked: the top-level steps and the steps of every option. `simulate:` sub-steps are left
out: they stand for the webmail against the fixtures and are not in the document.

Alignment: every (hand, drafted) pair is scored by the overlap of their instructions' words (plus
a bonus when the targets agree); pairs are taken best first, each step used once; a hand-written
step with no drafted step sharing enough words counts as wrong on all three.

The "in doc" column says whether the document states the step at all: the hand-written
target's name appears in the document's text, and 60 % of its instruction's content words are
found within two consecutive lines of the document. Where it does not (the author took the step
from the live page or from a screenshot without text), no draft made from the text could get it
right; the last column scores only the steps the document states.

    .venv/bin/python bench/bench_draft.py [--steps]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from guide.draft import draft  # noqa: E402
from guide.draft.text import STOP_WORDS, stem, words  # noqa: E402
from guide.loader import load_flow  # noqa: E402
from guide.model import Flow, Step, Target  # noqa: E402

DOCUMENTS = ROOT / "tests" / "documents"
PAIRS = [
    ("douane-portailpro.txt", "flows/douane-mot-de-passe-portailpro.yaml"),
    ("dgfip-chorus-pro.txt", "flows/dgfip-mot-de-passe-xt.yaml"),
]
MIN_SIMILARITY = 0.15  # below this, two instructions are not about the same thing


@dataclass
class StepScore:
    step_id: str
    drafted_id: str | None
    instruction: bool
    action: bool
    target: bool
    in_document: bool

    @property
    def right(self) -> bool:
        return self.instruction and self.action and self.target


# --- comparing ---------------------------------------------------------------------------------------


def flow_steps(steps: Iterable[Step]) -> Iterator[Step]:
    """Top-level steps and the steps of every option, in document order; not `simulate:`."""
    for step in steps:
        yield step
        for option in step.options:
            yield from flow_steps(option.steps)


def stems(text: str) -> set[str]:
    return {stem(w) for w in words(text) if w not in STOP_WORDS}


def target_key(target: Target | None) -> tuple[str, tuple[str, ...]] | None:
    """(kind, folded words of the name); `within` ignored."""
    if target is None:
        return None
    for kind in ("label", "text", "placeholder", "block", "css", "testid"):
        value = getattr(target, kind)
        if value:
            return kind, tuple(words(value))
    return target.role or "", tuple(words(target.name or ""))


def instruction_right(hand: Step, drafted: Step, document_stems: set[str]) -> bool:
    needed = stems(hand.instruction) & document_stems
    return needed <= stems(drafted.instruction)


def similarity(hand: Step, drafted: Step) -> float:
    a, b = stems(hand.instruction), stems(drafted.instruction)
    overlap = len(a & b) / len(a | b) if a | b else 0.0
    bonus = 0.5 if hand.target and target_key(hand.target) == target_key(drafted.target) else 0.0
    return overlap + bonus


def align(hand_steps: list[Step], drafted_steps: list[Step]) -> dict[int, Step]:
    """Hand-written step index → its drafted step, best pairs first, each step used once."""
    pairs = sorted(
        ((similarity(h, d), i, j) for i, h in enumerate(hand_steps) for j, d in enumerate(drafted_steps)),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    matched: dict[int, Step] = {}
    used: set[int] = set()
    for value, i, j in pairs:
        if value < MIN_SIMILARITY or i in matched or j in used:
            continue
        matched[i] = drafted_steps[j]
        used.add(j)
    return matched


def in_document(target: Target | None, document_words: list[str]) -> bool:
    key = target_key(target)
    if key is None or not key[1]:
        return True
    name, text = " ".join(key[1]), " ".join(document_words)
    return f" {name} " in f" {text} "


def stated(step: Step, lines: list[str], document_words: list[str]) -> bool:
    """Does the document state this step: its target's name, and most of its instruction's words
    within two consecutive lines?"""
    wanted = stems(step.instruction)
    windows = [stems(" ".join(lines[i : i + 2])) for i in range(len(lines))]
    coverage = max((len(wanted & window) / len(wanted) for window in windows), default=0.0) if wanted else 1.0
    return coverage >= 0.6 and in_document(step.target, document_words)


def score(hand: Flow, drafted: Flow, document: str) -> list[StepScore]:
    document_words = words(document)
    document_stems = {stem(w) for w in document_words}
    lines = [line for line in document.splitlines() if line.strip()]
    hand_steps, drafted_steps = list(flow_steps(hand.steps)), list(flow_steps(drafted.steps))
    matched = align(hand_steps, drafted_steps)
    scores = []
    for index, step in enumerate(hand_steps):
        other = matched.get(index)
        reachable = stated(step, lines, document_words)
        if other is None:
            scores.append(StepScore(step.id, None, False, False, False, reachable))
            continue
        scores.append(
            StepScore(
                step.id,
                other.id,
                instruction=instruction_right(step, other, document_stems),
                action=step.action == other.action,
                target=target_key(step.target) == target_key(other.target),
                in_document=reachable,
            )
        )
    return scores


# --- running -------------------------------------------------------------------------------------------


def draft_flow(document: Path, folder: Path) -> Flow:
    result = draft(document)
    out = folder / f"{result.flow_id}.yaml"
    out.write_text(result.text, encoding="utf-8")
    return load_flow(out).flow  # the draft must load: lint errors fail the bench


def mark(value: bool) -> str:
    return "✓" if value else "✗"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", action="store_true", help="print every step's scores")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for document_name, flow_path in PAIRS:
            document = DOCUMENTS / document_name
            hand = load_flow(ROOT / flow_path).flow
            scores = score(hand, draft_flow(document, Path(folder)), document.read_text(encoding="utf-8"))
            if args.steps:
                print(f"\n{document_name} → {flow_path}")
                print(f"  {'hand-written step':32} {'drafted step':36} instr action target all  in doc")
                for s in scores:
                    print(
                        f"  {s.step_id:32} {s.drafted_id or '—':36} {mark(s.instruction):^5} {mark(s.action):^6} "
                        f"{mark(s.target):^6} {mark(s.right):^4} {mark(s.in_document):^6}"
                    )
            rows.append((document_name, scores))
    print(
        f"\n{'document':24} {'steps':>5} {'instruction':>11} {'action':>7} {'target':>7} {'all 3':>6} {'share':>6}"
        f"   {'of the steps the document states':>32}"
    )
    for name, scores in rows:
        total = len(scores)
        reachable = [s for s in scores if s.in_document]
        right = sum(s.right for s in reachable)
        print(
            f"{name:24} {total:5} {sum(s.instruction for s in scores):11} {sum(s.action for s in scores):7} "
            f"{sum(s.target for s in scores):7} {sum(s.right for s in scores):6} "
            f"{sum(s.right for s in scores) / total:6.0%}   {right:>21} of {len(reachable):2} = "
            f"{right / max(len(reachable), 1):4.0%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
