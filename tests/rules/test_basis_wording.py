"""Each guideline basis speaks of its own health system: nothing shown under the US basis
(the window's questions and outcome, the sheet up to its numbered references) mentions
the NHS, and the UK sheet still does. A reference keeps its publisher's name."""

from __future__ import annotations

import re

import pytest

from decision_aid.domain import load_rule_set
from decision_aid.domain.rules import applies
from tests.conftest import BUNDLED
from tests.sheet.sheets import base_answers, sheet_of

RULES = load_rule_set(BUNDLED)
US, UK = {"guideline_basis": "asra_2018"}, {"guideline_basis": "nice_ng193"}
NHS = re.compile(r"\bNHS\b")

EVERY_PRACTICAL_NOTE = {
    "cost_cover": "self_pay",
    "specialist_access": "no",
    "treatment_days": "one_day",
    "escort_home": "no",
    "cardiovascular": "controlled",
    "rehab_tried": "no",
}
"""Answers that fire the rules whose sources are UK services (cost, access, days, escort,
blood pressure checks, first-line treatments)."""


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_no_text_shown_under_the_us_basis_names_the_nhs() -> None:
    shown: list[str] = []
    for rule in RULES.rules:
        if applies(rule, US):
            shown += [rule.title, rule.patient_reason, rule.rationale, rule.unverified or ""]
            shown += [rule.outcome_description or "", *rule.actions, *rule.cautions]
            shown += [RULES.references_by_id[c.ref].short for c in rule.citations]
    for question in RULES.questionnaire.questions():
        shown += [question.label, question.text, question.help or ""]
        shown += [option.label for option in question.options or []]
    named = [text for text in shown if NHS.search(text)]
    assert not named, named


def test_the_us_sheet_never_names_the_nhs_and_the_uk_sheet_does() -> None:
    answers = {**base_answers(), **EVERY_PRACTICAL_NOTE}
    us, uk = sheet_of(RULES, answers, US), sheet_of(RULES, answers, UK)
    fired = " ".join(us.pages)
    for rule_id in ("prac-cost", "prac-access", "prac-days", "prac-escort", "ci-cvd-risk"):
        assert rule_id in fired, f"{rule_id} did not fire: the answers no longer test it"
    before_references = _flat(" ".join(us.pages)).split("References [1]")[0]
    assert not NHS.search(before_references), NHS.findall(before_references)
    assert NHS.search(_flat(uk.patient)), "the UK sheet speaks of the NHS"


@pytest.mark.parametrize("answers", [{}, {"diagnosis": "fibromyalgia"}], ids=["blank", "fm"])
def test_no_us_sheet_names_the_nhs(answers: dict[str, object]) -> None:
    sheet = sheet_of(RULES, {**base_answers(), **answers} if answers else {}, US)
    assert not NHS.search(_flat(" ".join(sheet.pages)).split("References [1]")[0])
