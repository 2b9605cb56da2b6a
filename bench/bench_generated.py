"""evaluate on a generated rule set of 10,000 rules against 100 rules of the same kind
scaled ×100 (target: at most 1.2×, i.e. linear in the number of rules).

    .venv/bin/python -m bench.bench_generated

The rule sets are built in memory (no YAML, no loader checks): 200 questions in 10
sections, one in ten shown only for some answer of the question before it, and rules
of one to four predicates nested in ``all``/``any``/``not``, a tenth of them notes. The
answers give nine questions in ten, one in twenty "not known". Both sizes are
timed in alternation; the figure is a full Assessment with its trace read. Compiling a
rule set happens once per rule set and settings, on first use, and is reported apart.
"""

from __future__ import annotations

import random
import time
from typing import Any

from bench.table import Row, format_table
from bench.timing import interleaved, ms, us
from decision_aid.domain import Answers, RuleSet, evaluate

QUESTIONS = 200
LEVELS = ["go", "careful", "check", "stop"]
OPTIONS = [f"o{k}" for k in range(4)]


def _predicate(rng: random.Random, questions: int) -> dict[str, Any]:
    question = f"q{rng.randrange(questions)}"
    if rng.random() < 0.3:
        return {"question": question, "in": rng.sample(OPTIONS, 2)}
    return {"question": question, "is": rng.choice(OPTIONS)}


def _condition(rng: random.Random, size: int, questions: int) -> dict[str, Any]:
    if size == 1:
        predicate = _predicate(rng, questions)
        return predicate if rng.random() < 0.9 else {"not": predicate}
    split = rng.randint(1, size - 1)
    parts = [_condition(rng, split, questions), _condition(rng, size - split, questions)]
    return {rng.choice(["all", "any"]): parts}


def single_question(i: int, options: list[str] = OPTIONS) -> dict[str, Any]:
    """Generated question ``q{i}``: single choice, with "Not known"; every tenth (from the
    fifth) is shown only after the question before it."""
    question: dict[str, Any] = {
        "id": f"q{i}",
        "label": f"Question {i}",
        "text": f"Question {i}?",
        "type": "single",
        "not_known": True,
        "options": [{"id": o, "label": o.upper()} for o in options],
    }
    if i % 10 == 5:
        question["show_when"] = {"question": f"q{i - 1}", "in": ["o0", "o1"]}
    return question


def rule_set_data(rules: int, questions_count: int = QUESTIONS, seed: int = 1) -> dict[str, Any]:
    """A valid rule set of this many rules and questions, as plain data (as its YAML reads)."""
    rng = random.Random(seed)
    questions = [single_question(i) for i in range(questions_count)]
    rule_list = []
    for r in range(rules):
        rule: dict[str, Any] = {
            "id": f"r{r}",
            "title": f"Rule {r}",
            "when": _condition(rng, rng.randint(1, 4), questions_count),
            "patient_reason": f"Reason {r}.",
            "rationale": "A rationale.",
            "cautions": [f"Caution {r % 50}."],
            "citations": [f"src{r % 5}"],
        }
        if r % 10:
            rule["outcome"] = rng.choice(LEVELS)
        rule_list.append(rule)
    return {
        "info": {
            "id": "generated",
            "title": "Generated",
            "version": "1.0.0",
            "status": "draft",
            "description": "A generated rule set for the scaling benchmark.",
            "authors": ["bench"],
            "date": "2026-01-01",
            "review_by": "2027-01-01",
            "update_policy": "None.",
            "funding": "None.",
            "assess_first": "check",
            "default_outcome": "check",
            "default_reason": "No rule applies.",
            "levels": [{"id": i, "label": i, "description": f"Level {i}."} for i in LEVELS],
        },
        "questionnaire": {
            "sections": [
                {"id": f"s{n}", "title": f"Section {n}", "questions": questions[n::10]}
                for n in range(10)
            ]
        },
        "rules": rule_list,
        "references": [
            {"id": f"src{k}", "short": f"Src {k}", "citation": "A.", "verification": "verified"}
            for k in range(5)
        ],
        "digest": f"generated-{rules}-{seed}",
        "source": "<generated>",
    }


def generate(rules: int, seed: int = 1) -> RuleSet:
    """A valid rule set of this many rules, built in memory."""
    return RuleSet.model_validate(rule_set_data(rules, seed=seed))


def answers_for(seed: int = 2) -> Answers:
    rng = random.Random(seed)
    known, not_known = {}, set()
    for i in range(QUESTIONS):
        draw = rng.random()
        if draw < 0.05:
            not_known.add(f"q{i}")
        elif draw < 0.9:
            known[f"q{i}"] = rng.choice(OPTIONS)
    return Answers(known, frozenset(not_known))


def _full(rule_set: RuleSet, answers: Answers) -> object:
    assessment = evaluate(rule_set, answers)
    return assessment.trace, assessment.fired, assessment.cautions, assessment.citations


def run(quick: bool = False) -> list[Row]:
    small, large = generate(100), generate(10_000)
    answers = answers_for()
    start = time.perf_counter()
    _full(large, answers)  # compiles the rule set for these settings
    first = time.perf_counter() - start
    t_small, t_large = interleaved(
        [lambda: _full(small, answers), lambda: _full(large, answers)], 3 if quick else 7
    )
    scaled = t_small * 100
    return [
        Row(
            "evaluate, 10,000 generated rules (full Assessment)",
            "100 rules, scaled ×100",
            f"{ms(t_large)} vs {us(t_small)} ×100 = {ms(scaled)} "
            f"(first evaluation, compiling included: {ms(first)})",
            t_large / scaled,
            "≤ 1.2× (linear)",
            t_large <= 1.2 * scaled,
        )
    ]


if __name__ == "__main__":
    print(format_table(run()))
