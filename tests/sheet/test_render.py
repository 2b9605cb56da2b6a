"""The discussion sheet, read back as a patient and a clinician would read it."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from functools import cache
from typing import Any

import pytest
import textstat
from pypdf import PdfReader

from decision_aid.domain import Answers, RuleSet, evaluate, load_rule_set, parse_answers
from decision_aid.domain.consultation import Consultation
from decision_aid.domain.rules import Status
from decision_aid.domain.yamlsource import read_yaml
from decision_aid.present.override import clinician_view
from decision_aid.present.wording import NOT_A_DECISION
from decision_aid.sheet import render
from tests.conftest import BUNDLED

PRINTED = datetime(2026, 11, 24, 12, 0)
RULES = load_rule_set(BUNDLED)
FOOTER = re.compile(
    r"Rule set .* printed|Page \d+ of \d+|^This sheet supports a conversation|Updates:|Funding:"
    r"|^DRAFT|^EXPIRED|published\."
)


def answers_of(name: str) -> Answers:
    return parse_answers(
        RULES.questionnaire, read_yaml(BUNDLED / "examples" / f"{name}.yaml")[0].data
    )


@cache
def pages_of(
    example: str,
    basis: str = "asra_2018",
    status: Status = Status.DRAFT,
    printed: datetime = PRINTED,
) -> tuple[str, ...]:
    rule_set = RULES.model_copy(update={"info": RULES.info.model_copy(update={"status": status})})
    answers = answers_of(example)
    assessment = evaluate(rule_set, answers, {"guideline_basis": basis})
    pdf = render(assessment, answers, rule_set, printed=printed)
    return tuple(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def flat(text: str) -> str:
    """The text with line breaks folded, as a reader sees it across a wrapped line."""
    return " ".join(text.split())


def patient_text(pages: tuple[str, ...]) -> str:
    cut = next(i for i, text in enumerate(pages) if "For the clinician" in text)
    lines = [line for page in pages[:cut] for line in page.splitlines() if not FOOTER.search(line)]
    return re.sub(r"\[[\d, ]+\]", "", "\n".join(lines))


@pytest.mark.parametrize(
    ("example", "basis", "outcome"),
    [
        ("crps-asra", "asra_2018", "More checks needed first"),
        ("crps-no-concerns", "asra_2018", "Worth discussing"),
        ("crps-no-concerns", "nice_ng193", "More checks needed first"),
    ],
)
def test_every_page_carries_the_furniture(example: str, basis: str, outcome: str) -> None:
    pages = pages_of(example, basis)
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "DRAFT: this rule set has not been approved by a clinician" in text
        assert "printed 24 November 2026" in text
        assert "Produced 24 November 2026" in text
        assert "Updates:" in text
        assert "Funding:" in text
    first = flat(pages[0])
    assert RULES.sheet is not None
    assert RULES.sheet.decision in first
    assert outcome in first
    assert NOT_A_DECISION in first
    clinician = "\n".join(pages[next(i for i, t in enumerate(pages) if "For the clinician" in t) :])
    assert f"guideline_basis = {basis}" in clinician
    assert RULES.digest[:40] in clinician.replace("\n", "")
    assert "References" in clinician


def test_the_clinician_pages_list_every_fired_rule_with_its_sources() -> None:
    pages = pages_of("crps-asra")
    start = next(i for i, t in enumerate(pages) if "For the clinician" in t)
    clinician = flat(" ".join(pages[start:]))
    squeezed = clinician.replace(" ", "")  # rule ids wrap inside their narrow column
    assessment = evaluate(RULES, answers_of("crps-asra"))
    for fired in assessment.fired:
        assert fired.rule_id in squeezed
    assert "Pregnancy (not known)" in clinician
    assert "Baseline ECG" in clinician


def test_an_expired_rule_set_is_marked_on_every_page() -> None:
    pages = pages_of("crps-asra", printed=datetime(2027, 6, 1, 12, 0))
    assert all("EXPIRED: this rule set was due for review by 24 May 2027" in flat(p) for p in pages)


def test_a_rule_set_that_only_says_approved_is_marked_not_approved() -> None:
    # Without a signature by a trusted key, 'status: approved' proves nothing (issue #17);
    # a signed set's sheet is in tests/governance/test_approval.py.
    pages = pages_of("crps-asra", status=Status.APPROVED)
    mark = "NOT APPROVED: ruleset.yaml says approved, but the rule set has no approval signature"
    assert all(mark in flat(p) for p in pages)
    assert not any("DRAFT" in p or "EXPIRED" in p for p in pages)


def _overridden(example: str) -> Consultation:
    raw = read_yaml(BUNDLED / "examples" / f"{example}.yaml")[0].data
    consultation = Consultation.new(RULES, now=PRINTED.replace(tzinfo=UTC))
    for key, value in raw.items():
        consultation = consultation.with_answer(key, value, now=consultation.updated)
    return consultation.with_override(
        "not_suitable_now",
        "Prefers to finish the programme.",
        clinician="Dr Ada Lovelace",
        assessment=evaluate(RULES, answers_of(example)),
        now=PRINTED.replace(tzinfo=UTC),  # a recorded time carries its zone
    )


def _sheet_pages(consultation: Consultation) -> list[str]:
    answers = parse_answers(RULES.questionnaire, consultation.answers)
    assessment = evaluate(RULES, answers)
    view = clinician_view(consultation, RULES, assessment)
    pdf = render(assessment, answers, RULES, override=view, printed=PRINTED)
    return [flat(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_an_override_is_printed_beside_the_rule_outcome_both_labelled() -> None:
    pages = _sheet_pages(_overridden("crps-asra"))
    assert "Rule outcome \u25c6 More checks needed first" in pages[0]
    assert "Clinician's view \u25a0 Not suitable at the moment" in pages[0]
    assert "Why: Prefers to finish the programme." in pages[0]
    clinician = next(p for p in pages if "For the clinician" in p)
    assert (
        "Clinician's view (override): Not suitable at the moment, recorded 24 Nov 2026 12:00 "
        'UTC by Dr Ada Lovelace, replacing the rule outcome "More checks needed first".'
    ) in clinician
    assert "not_suitable_now" not in clinician, "the level's label, not its id"


def test_an_override_whose_answers_changed_is_not_printed_as_current() -> None:
    changed = _overridden("crps-asra").with_answer("age", 70, now=PRINTED.replace(tzinfo=UTC))
    pages = _sheet_pages(changed)
    assert "Clinician's view" not in pages[0]
    assert "Not suitable at the moment" not in pages[0]
    assert "Your clinician is reviewing their view, as the answers changed." in pages[0]
    clinician = next(p for p in pages if "For the clinician" in p)
    assert "Clinician's view: NOT CURRENT. Answers changed since the override: review." in (
        clinician
    )


def test_the_patient_pages_read_at_smog_grade_8_or_below() -> None:
    for example, basis in (("crps-asra", "asra_2018"), ("crps-no-concerns", "nice_ng193")):
        text = patient_text(pages_of(example, basis))
        assert textstat.sentence_count(text) >= 30
        assert textstat.smog_index(text) <= 8.0


def test_every_font_is_embedded() -> None:
    answers = answers_of("crps-asra")
    pdf = render(evaluate(RULES, answers), answers, RULES, printed=PRINTED)
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for reference in resources["/Font"].values():
            font = reference.get_object()
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, font["/BaseFont"]
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]


def test_the_same_inputs_give_the_same_bytes() -> None:
    answers = answers_of("crps-no-concerns")
    assessment = evaluate(RULES, answers)
    assert render(assessment, answers, RULES, printed=PRINTED) == render(
        assessment, answers, RULES, printed=PRINTED
    )


def test_every_cited_number_has_a_reference_line() -> None:
    pages = pages_of("crps-asra")
    text = "\n".join(pages)
    cited = {
        int(n)
        for group in re.findall(r"\[([\d, ]+)\]", text)
        for n in group.split(",")
        if n.strip()
    }
    listed = {int(n) for n in re.findall(r"^\[(\d+)\] ", text, re.MULTILINE)}
    assert cited
    assert cited <= listed


def _rule_set_without_sheet() -> RuleSet:
    return RULES.model_copy(update={"sheet": None})


def test_a_rule_set_without_patient_text_still_renders_its_summary() -> None:
    rule_set = _rule_set_without_sheet()
    answers = answers_of("crps-asra")
    pdf = render(evaluate(rule_set, answers), answers, rule_set, printed=PRINTED)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert "More checks needed first" in pages[0]
    assert any("For the clinician" in p for p in pages)


def test_a_hidden_questions_stale_answer_is_not_printed() -> None:
    raw = read_yaml(BUNDLED / "examples" / "crps-no-concerns.yaml")[0].data
    answers = parse_answers(
        RULES.questionnaire, {**raw, "diagnosis": "sci", "crps_budapest": "yes"}
    )
    pdf = render(evaluate(RULES, answers), answers, RULES, printed=PRINTED)
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Budapest criteria:" not in text
    assert "Main pain diagnosis:" in text
    shown = parse_answers(RULES.questionnaire, {**raw, "crps_budapest": "yes"})
    pdf = render(evaluate(RULES, shown), shown, RULES, printed=PRINTED)
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Budapest criteria: Yes" in text


def _pages(answers: dict[str, object], basis: str = "asra_2018") -> tuple[str, ...]:
    parsed = parse_answers(RULES.questionnaire, answers)
    assessment = evaluate(RULES, parsed, {"guideline_basis": basis})
    pdf = render(assessment, parsed, RULES, printed=PRINTED)
    return tuple(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_conditional_advice_is_printed_under_if_headings_on_the_clinician_pages() -> None:
    pages = _pages({"diagnosis": "crps"})
    cut = next(i for i, text in enumerate(pages) if "For the clinician" in text)
    clinician = flat(" ".join(pages[cut:]))
    certain, _, conditional = clinician.partition("Only if an answer not yet known turns out so")
    assert conditional, "no conditional advice section"
    assert "Record how the Budapest criteria were met" not in certain
    assert "If Budapest criteria: Yes: • Caution: Ketamine is a controlled drug." in conditional
    assert "Action: Record how the Budapest criteria were met" in conditional
    assert "Missing information that could change the outcome now" in clinician
    to_check = clinician.partition("Safety questions still to check before any course")[2]
    assert "• Pregnancy (not answered)" in to_check


def test_open_safety_questions_are_on_the_patient_pages_even_when_they_change_nothing() -> None:
    base = read_yaml(BUNDLED / "examples" / "crps-no-concerns.yaml")[0].data
    pages = _pages({**base, "cardiovascular": "poorly_controlled", "pregnancy": "unknown"})
    patient = flat(patient_text(pages))
    assert "Safety questions to check before any treatment: Pregnancy." in patient
    assert "Agree a measurable goal" not in flat(" ".join(pages))


def test_a_guideline_refusal_is_described_to_the_patient_as_guidance() -> None:
    pages = _pages({"diagnosis": "fibromyalgia", "age": 40}, "nice_ng193")
    patient = flat(patient_text(pages))
    assert "UK guides advise not to start ketamine for your kind of pain." in patient
    assert "This is not about your safety." in patient
    assert "not a safe or good choice" not in patient
