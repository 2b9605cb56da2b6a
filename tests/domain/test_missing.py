"""What we still need to know, against its definition, and its work against its size.

The definition: a question is listed when a rule with an outcome reads it, it may be
asked and has no known answer, and some candidate answer (``candidate_answers``) gives
another outcome (``outcome_of``); its changes are exactly those candidates, in order.
The analysis re-evaluates only the rules each candidate can change; this checks it
gives what trying every candidate on every rule gives.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid.domain import Answers, RuleSet, evaluate, load_rule_set, outcome_of
from decision_aid.domain.answer_context import AnswerContext
from decision_aid.domain.engine import candidate_answers, missing_work
from decision_aid.domain.limits import Limits
from decision_aid.domain.questionnaire import QuestionType
from decision_aid.domain.truth import Truth
from tests.conftest import BUNDLED, MINI
from tests.domain.test_unknown_is_not_no import answer_strategy, as_answers


def brute_force(
    rule_set: RuleSet, answers: Answers
) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    settings = rule_set.default_settings()
    current = outcome_of(rule_set, answers, settings)
    context = AnswerContext(rule_set.questionnaire, answers)
    found = []
    for question in rule_set.questionnaire.questions():
        if question.id not in rule_set.decisive_questions or question.id in answers:
            continue
        if context.visibility(question.id) is Truth.FALSE:
            continue
        changes = tuple(
            (label, level)
            for label, value in candidate_answers(rule_set, question)
            if (level := outcome_of(rule_set, answers.with_answer(question.id, value), settings))
            != current
        )
        if changes:
            found.append((question.id, changes))
    return found


def thresholds(tmp_path: Path, count: int, *, spread: float = 120.0) -> RuleSet:
    """The mini set with ``count`` rules, each one bound on age, and a rule that reads
    age through pregnancy's show_when."""
    root = tmp_path / f"thresholds-{count}"
    shutil.copytree(MINI, root)
    rules_file = root / "rules" / "main.yaml"
    data = yaml.safe_load(rules_file.read_text())
    levels = ["go", "careful", "check", "stop"]
    for i in range(count):
        bound = round(i * spread / count, 1)
        data["rules"].append(
            {
                "id": f"t{i}",
                "title": "A bound",
                "when": {
                    "all": [
                        {"question": "age", "at_least" if i % 2 else "at_most": bound},
                        {"question": "risk", "in": ["none", "controlled"]},
                    ]
                },
                "outcome": levels[i % 4],
                "patient_reason": "Because.",
                "rationale": "Because.",
                "citations": ["src"],
            }
        )
    rules_file.write_text(yaml.safe_dump(data))
    # Beyond the work limits on purpose: the analysis must stay linear past them too.
    return load_rule_set(root, limits=UNLIMITED)


def answers_of(rule_set: RuleSet) -> st.SearchStrategy[Answers]:
    questions = list(rule_set.questionnaire.questions())
    return st.fixed_dictionaries({q.id: answer_strategy(q) for q in questions}).map(as_answers)


UNLIMITED = Limits(rules=10**6, bounds=10**6, nodes=10**6)
MINI_SET = load_rule_set(MINI)
BUNDLED_SET = load_rule_set(BUNDLED)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_missing_is_every_candidate_that_changes_the_outcome(data: st.DataObject) -> None:
    rule_set = data.draw(st.sampled_from([MINI_SET, BUNDLED_SET]))
    answers = data.draw(answers_of(rule_set))
    missing = evaluate(rule_set, answers).missing
    assert sorted((m.question_id, m.changes) for m in missing) == sorted(
        brute_force(rule_set, answers)
    )


def test_missing_on_many_bounds_matches_trying_every_candidate(tmp_path: Path) -> None:
    rule_set = thresholds(tmp_path, 40, spread=3.0)  # bounds 0.1 apart: steps cross bounds
    for risk in ("none", "controlled", "poor", None):
        for sex in ("female", "male", None):
            given = {k: v for k, v in {"risk": risk, "sex": sex}.items() if v is not None}
            answers = Answers(given)
            missing = evaluate(rule_set, answers).missing
            assert sorted((m.question_id, m.changes) for m in missing) == sorted(
                brute_force(rule_set, answers)
            )


def test_missing_work_grows_linearly_with_the_bounds(tmp_path: Path) -> None:
    answers = Answers({"risk": "none"})
    small = missing_work(thresholds(tmp_path, 200), answers)
    large = missing_work(thresholds(tmp_path, 400), answers)
    assert large.candidates <= 2.2 * small.candidates
    assert large.evaluations <= 2.2 * small.evaluations, (small, large)
    # Trying every candidate on every reader would be candidates × readers.
    assert large.evaluations < large.candidates * 10


def test_candidate_answers_of_a_number_are_its_bounds_and_their_neighbours() -> None:
    age = MINI_SET.questionnaire.by_id["age"]
    assert age.type is QuestionType.NUMBER
    values = [v for _, v in candidate_answers(MINI_SET, age)]
    assert values == sorted(values)
    assert {0.0, 17.0, 18.0, 120.0} <= set(values)
