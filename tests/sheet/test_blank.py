"""A blank form (no answer yet) prints as "Not assessed yet", as the window says: no
outcome, no reasons, nothing that might apply, only the safety questions still open."""

from __future__ import annotations

import pytest

from decision_aid.present.wording import NOT_ASSESSED, NOT_ASSESSED_WHY
from tests.sheet.sheets import RULES, base_answers, sheet_of


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("basis", ["asra_2018", "nice_ng193"])
def test_a_blank_sheet_is_not_assessed_yet(basis: str) -> None:
    sheet = sheet_of(RULES, {}, {"guideline_basis": basis})
    patient = flat(sheet.patient)
    clinician = flat(" ".join(sheet.part("For the clinician")))
    assert NOT_ASSESSED in flat(sheet.pages[0])
    assert NOT_ASSESSED_WHY in flat(sheet.pages[0])
    for level in RULES.info.levels:  # no outcome, on any page
        assert level.label not in patient
        assert level.label not in clinician
    assert "Why" not in sheet.pages[0].splitlines(), "no reasons without answers"
    assert "Not known yet:" not in patient, "nothing listed as if it might apply"
    assert "What happens next" not in patient
    assert "Rules that fired" not in clinician
    assert "Only if an answer not yet known turns out so" not in clinician
    assert f"Rule outcome: {NOT_ASSESSED}." in clinician
    safety = [q.label for q in RULES.questionnaire.questions() if q.safety]
    assert safety, "the bundled set has safety questions"
    for label in safety:  # a safety question is never hidden
        assert label in flat(sheet.pages[0])
        assert f"{label} (not answered)" in clinician


def test_one_answer_is_enough_for_an_outcome() -> None:
    first = flat(sheet_of(RULES, {"diagnosis": "crps"}).pages[0])
    assert NOT_ASSESSED not in first
    assert any(level.label in first for level in RULES.info.levels)
    unknown = flat(sheet_of(RULES, {"diagnosis": "unknown"}).pages[0])
    assert NOT_ASSESSED not in unknown, '"Not known" is an answer'
    assert "Why" in sheet_of(RULES, base_answers()).pages[0].splitlines()


def test_figures_that_wait_on_an_answer_say_so_rather_than_that_there_are_none() -> None:
    blank = flat(sheet_of(RULES, {}).patient)
    assert RULES.sheet is not None
    assert RULES.sheet.figures_wait in blank, "the diagnosis is not known yet"
    assert RULES.sheet.no_figures not in blank
    not_known = flat(sheet_of(RULES, {"diagnosis": "unknown"}).patient)
    assert RULES.sheet.figures_wait in not_known


def test_no_page_holds_one_point_of_a_list_alone() -> None:
    sheet = sheet_of(RULES, {})
    for number, page in enumerate(sheet.pages, 1):
        lines = page.split("\nRule set ", 1)[0].splitlines()  # the footer follows the body
        body = [line for line in lines if not line.startswith(("DRAFT", "EXPIRED", "NOT "))]
        points = [line for line in body if line.startswith("•")]
        assert not (len(points) == 1 and body[0].startswith("•")), f"page {number}: {body[:2]}"
