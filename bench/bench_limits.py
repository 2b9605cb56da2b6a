"""A rule set at the work limits (decision_aid.domain.limits), against the bundled set.

The generated set has as many rules, questions, condition parts, settings combinations and
properties as the limits allow, one question with the most options, and one number
question with the most different bounds. Three figures:

* an answer change (evaluate + what is missing + progress) at the limits against the same
  on the bundled set (target: under 50 ms, and reported as a ratio);
* check (load) at the limits against the bundled set scaled linearly by condition parts
  (target: within 3×, i.e. no blow-up);
* verify at the limits within its time limit (target: the 60 s limit holds; the figure
  says how many properties it decided in that time).

    .venv/bin/python -m bench.bench_limits [--quick]
"""

from __future__ import annotations

import importlib.util
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from bench.bench_generated import OPTIONS, single_question
from bench.table import Row, format_table
from bench.timing import interleaved, ms
from decision_aid.domain import Answers, RuleSet, evaluate, load_rule_set
from decision_aid.domain.conditions import walk
from decision_aid.domain.limits import LIMITS, Limits
from decision_aid.domain.progress import progress
from decision_aid.paths import bundled_rules_dir

LEVELS = ["go", "careful", "check", "stop"]
NUMBER = "n0"


def _predicate(rng: random.Random, questions: int, bounds: list[float]) -> dict[str, Any]:
    if bounds and rng.random() < 0.3:
        operator = rng.choice(["at_least", "at_most"])
        return {"question": NUMBER, operator: bounds.pop()}
    question = f"q{rng.randrange(1, questions)}"
    if rng.random() < 0.3:
        return {"question": question, "in": rng.sample(OPTIONS, 2)}
    return {"question": question, "is": rng.choice(OPTIONS)}


def _condition(rng: random.Random, size: int, questions: int, bounds: list[float]) -> Any:
    """A condition of exactly ``size`` parts (1, or 3 and more: a combination of two or more)."""
    if size <= 2:
        return _predicate(rng, questions, bounds)
    parts = []
    left = size - 1
    while left > 0:
        take = min(left, rng.randint(1, max(1, left // 2)))
        take = 1 if take == 2 else take  # a combination has at least 2 parts: 3 nodes
        parts.append(_condition(rng, take, questions, bounds))
        left -= take
    if len(parts) == 1:
        return parts[0]
    return {rng.choice(["all", "any"]): parts}


def rule_set_files(limits: Limits = LIMITS, seed: int = 1) -> dict[str, Any]:
    """The files of a rule set at the limits, as plain data."""
    rng = random.Random(seed)
    count = limits.questions
    questions: list[dict[str, Any]] = [
        {
            "id": NUMBER,
            "label": "A number",
            "text": "A number?",
            "type": "number",
            "minimum": 0,
            "maximum": 10 * limits.bounds,
            "integer": True,
            "not_known": True,
        }
    ]
    for i in range(1, count):
        options = OPTIONS if i != 1 else [f"o{k}" for k in range(limits.options)]
        questions.append(single_question(i, options))
    bounds = [float(b) for b in rng.sample(range(1, 10 * limits.bounds), limits.bounds)]
    shows = sum(1 for q in questions if "show_when" in q)
    budget = limits.nodes - shows - limits.properties * 3
    per_rule = max(1, min(limits.condition_nodes, budget // limits.rules))
    rules = []
    settings_count = max(1, (limits.setting_combinations).bit_length() - 1)
    for r in range(limits.rules):
        # Keep at least one predicate per rule for the bounds still to place.
        rule: dict[str, Any] = {
            "id": f"r{r}",
            "title": f"Rule {r}",
            "when": _condition(rng, per_rule, count, bounds),
            "outcome": rng.choice(LEVELS),
            "patient_reason": f"Reason {r}.",
            "rationale": "A rationale.",
            "citations": ["src"],
        }
        if r % 7 == 3:
            rule["only_for"] = {f"s{r % settings_count}": ["b"]}
        rules.append(rule)
    for bound in bounds:  # any left over: one rule each would exceed the rules; add to the last
        rules[-1]["when"] = {"any": [rules[-1]["when"], {"question": NUMBER, "at_least": bound}]}
    properties = [
        {
            "id": f"p{i}",
            "title": f"Property {i}",
            "when": {"all": [{"question": f"q{1 + i % (count - 1)}", "is": "o0"}]},
            "at_most": "stop",
        }
        for i in range(limits.properties)
    ]
    info = {
        "id": "at-the-limits",
        "title": "At the limits",
        "version": "1.0.0",
        "status": "draft",
        "description": "A generated rule set at the work limits.",
        "authors": ["bench"],
        "date": "2026-01-01",
        "review_by": "2027-01-01",
        "update_policy": "None.",
        "funding": "None.",
        "assess_first": "check",
        "default_outcome": "check",
        "default_reason": "No rule applies.",
        "levels": [{"id": i, "label": i, "description": f"Level {i}."} for i in LEVELS],
        "settings": [
            {
                "id": f"s{k}",
                "label": f"Setting {k}",
                "default": "a",
                "choices": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
            }
            for k in range(settings_count)
        ],
    }
    sections = [
        {"id": f"s{n}", "title": f"Section {n}", "questions": questions[n::10]} for n in range(10)
    ]
    return {
        "ruleset.yaml": info,
        "questionnaire.yaml": {"sections": [s for s in sections if s["questions"]]},
        "references.yaml": {
            "references": [
                {"id": "src", "short": "Src", "citation": "A.", "verification": "verified"}
            ]
        },
        "properties.yaml": {"properties": properties},
        "rules/all.yaml": {"rules": rules},
    }


def write(folder: Path, limits: Limits = LIMITS) -> Path:
    root = folder / "at-the-limits"
    (root / "rules").mkdir(parents=True)
    for name, data in rule_set_files(limits).items():
        (root / name).write_text(yaml.safe_dump(data, sort_keys=False))
    return root


def nodes(rule_set: RuleSet) -> int:
    found = [0]

    def count(*_: object) -> None:
        found[0] += 1

    conditions = [r.when for r in rule_set.rules] + [p.when for p in rule_set.properties]
    conditions += [q.show_when for q in rule_set.questionnaire.questions() if q.show_when]
    for condition in conditions:
        if condition is not None:
            walk(condition, count)
    return found[0]


def answer_changes(rule_set: RuleSet) -> list[Answers]:
    """A consultation answered one question at a time, "Not known" now and then."""
    rng = random.Random(3)
    given: dict[str, Any] = {}
    not_known: set[str] = set()
    steps = []
    for question in list(rule_set.questionnaire.questions())[::3]:
        if question.not_known and rng.random() < 0.1:
            not_known.add(question.id)
        elif question.minimum is not None and question.maximum is not None:
            low, high = int(question.minimum), int(question.maximum)
            given[question.id] = float(rng.randint(low, high))
        else:
            given[question.id] = rng.choice(question.choices).id
        steps.append(Answers(dict(given), frozenset(not_known)))
    return steps


def change(rule_set: RuleSet, answers: Answers) -> None:
    assessment = evaluate(rule_set, answers)
    assert assessment.missing is not None
    progress(rule_set, answers)


def _verify(rule_set: RuleSet) -> Row:
    """verify at the limits, as ``decision-aid verify`` runs it: within its time limit,
    what the solver has not settled is undecided (never proved)."""
    from decision_aid.authoring.verify import verify
    from decision_aid.cli.verify import TIME_LIMIT

    start = time.perf_counter()
    found = verify(rule_set, time_limit=TIME_LIMIT)
    seconds = time.perf_counter() - start
    decided = sum(not f.undecided for f in found)
    return Row(
        f"verify at the limits, {TIME_LIMIT:.0f} s time limit "
        f"({decided} of {len(found)} properties decided)",
        "—",
        f"{seconds:.1f} s",
        None,
        "< 60 s + 5%",
        seconds < TIME_LIMIT * 1.05,
    )


def run(quick: bool = False) -> list[Row]:
    bundled = load_rule_set(bundled_rules_dir())
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        root = write(Path(folder))
        limited = load_rule_set(root)
        steps = {name: answer_changes(rs) for name, rs in (("b", bundled), ("l", limited))}
        for name, rs in (("b", bundled), ("l", limited)):
            for answers in steps[name]:
                change(rs, answers)  # compiled once per settings, as in the window

        def changes(rs: RuleSet, name: str) -> None:
            for answers in steps[name]:
                change(rs, answers)

        base, at_limits = interleaved(
            [lambda: changes(bundled, "b"), lambda: changes(limited, "l")], 3 if quick else 7
        )
        per_base, per_limit = base / len(steps["b"]), at_limits / len(steps["l"])
        rows.append(
            Row(
                f"answer change at the limits ({len(limited.rules)} rules, "
                f"{len(steps['l'])} changes: evaluate + missing + progress)",
                "the same on the bundled set",
                f"{ms(per_limit)} vs {ms(per_base)}",
                per_limit / per_base,
                "< 50 ms",
                per_limit < 0.05,
            )
        )
        load_base, load_limit = interleaved(
            [lambda: load_rule_set(bundled_rules_dir()), lambda: load_rule_set(root)],
            3 if quick else 7,
        )
        scale = nodes(limited) / nodes(bundled)
        rows.append(
            Row(
                f"check at the limits ({nodes(limited)} condition parts)",
                f"the bundled set ({nodes(bundled)} parts) scaled linearly",
                f"{ms(load_limit)} vs {ms(load_base)} × {scale:.1f}",
                load_limit / (load_base * scale),
                "≤ 3×",
                load_limit <= 3 * load_base * scale,
            )
        )
        if importlib.util.find_spec("z3") is not None:
            rows.append(_verify(limited))
    return rows


if __name__ == "__main__":
    print(format_table(run(quick="--quick" in sys.argv)))
