"""An override is bound to what it replaced: it never outlives the answers it was given for,
and every override made stays in the consultation's history."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.domain import Assessment, evaluate, load_rule_set
from decision_aid.domain.consultation import Consultation
from decision_aid.domain.engine import candidate_answers
from decision_aid.domain.errors import InputError
from decision_aid.domain.questionnaire import parse_answers
from tests.conftest import BUNDLED

RULES = load_rule_set(BUNDLED)
NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
QUESTIONS = list(RULES.questionnaire.questions())
LEVELS = [level.id for level in RULES.info.levels]


def _assess(consultation: Consultation) -> Assessment:
    answers = parse_answers(RULES.questionnaire, consultation.answers)
    return evaluate(RULES, answers, consultation.valid_settings(RULES))


def _override(
    consultation: Consultation, level: str, reason: str = "Seen in clinic."
) -> Consultation:
    return consultation.with_override(
        level, reason, clinician="Dr Ada Lovelace", assessment=_assess(consultation), now=NOW
    )


def _raw(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _values(question_id: str) -> list[object]:
    question = RULES.questionnaire.by_id[question_id]
    values: list[object] = [_raw(v) for _, v in candidate_answers(RULES, question)]
    return values + (["unknown"] if question.not_known else [])


@st.composite
def answered(draw: st.DrawFn) -> Consultation:
    consultation = Consultation.new(RULES, now=NOW)
    for question in QUESTIONS:
        value = draw(st.sampled_from([None, *_values(question.id)]))
        consultation = consultation.with_answer(question.id, value, now=NOW)
    return consultation


@st.composite
def changes(draw: st.DrawFn) -> tuple[str, object]:
    question = draw(st.sampled_from(QUESTIONS))
    return question.id, draw(st.sampled_from([None, *_values(question.id)]))


@settings(max_examples=120, deadline=None)
@given(start=answered(), level=st.sampled_from(LEVELS), edits=st.lists(changes(), min_size=1))
def test_any_change_of_the_answers_after_an_override_marks_it_for_review(
    start: Consultation, level: str, edits: list[tuple[str, object]]
) -> None:
    overridden = _override(start, level)
    assert not overridden.override_needs_review(_assess(overridden)), "current when made"
    later = overridden
    for question_id, value in edits:
        later = later.with_answer(question_id, value, now=NOW + timedelta(minutes=1))
    review = later.override_needs_review(_assess(later))
    assert review == (later.answers != overridden.answers), "changed answers, and only they"
    assert later.override == overridden.override, "marked for review, never dropped"
    if review:
        confirmed = later.with_override_confirmed(
            clinician="Dr Ada Lovelace", assessment=_assess(later), now=NOW
        )
        assert not confirmed.override_needs_review(_assess(confirmed))
        assert len(confirmed.overrides) == 2, "the confirmation is a new entry"


@settings(max_examples=60, deadline=None)
@given(
    start=answered(),
    level=st.sampled_from(LEVELS),
    setting=st.sampled_from(["asra_2018", "nice_ng193"]),
)
def test_a_change_of_settings_or_rule_outcome_marks_it_too(
    start: Consultation, level: str, setting: str
) -> None:
    overridden = _override(start, level)
    changed = overridden.with_setting("guideline_basis", setting, now=NOW)
    before, after = _assess(overridden), _assess(changed)
    assert changed.override_needs_review(after) == (before.settings != after.settings)


Step = tuple[str, str]


@settings(max_examples=80, deadline=None)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("override"), st.sampled_from(LEVELS)),
            st.tuples(st.just("confirm"), st.just("")),
            st.tuples(st.just("withdraw"), st.just("")),
            changes().map(lambda c: ("answer", json.dumps([c[0], c[1]]))),
        ),
        max_size=12,
    )
)
def test_the_history_keeps_every_override_and_the_file_keeps_the_history(
    steps: list[Step],
) -> None:
    consultation = Consultation.new(RULES, now=NOW)
    made: list[str] = []
    for kind, value in steps:
        if kind == "override":
            consultation = _override(consultation, value, reason=f"reason {len(made)}")
            made.append(value)
        elif kind == "confirm" and consultation.override is not None:
            consultation = consultation.with_override_confirmed(
                clinician="Dr Grace Hopper", assessment=_assess(consultation), now=NOW
            )
            made.append(consultation.overrides[-1].level)
        elif kind == "withdraw":
            consultation = consultation.without_override(now=NOW)
        elif kind == "answer":
            question_id, answer = json.loads(value)
            consultation = consultation.with_answer(question_id, answer, now=NOW)
    assert [o.level for o in consultation.overrides] == made, "none erased, in order"
    assert sum(o.withdrawn is None for o in consultation.overrides[:-1]) <= len(made)
    reread = Consultation.from_json(consultation.to_json(), now=NOW)
    assert reread == consultation


def test_a_second_override_keeps_the_first_and_records_what_each_replaced() -> None:
    first = _override(Consultation.new(RULES, now=NOW), "refer_first", "Wants to think.")
    second = _override(first.with_answer("age", 17, now=NOW), "not_suitable_now", "Under 18.")
    assert [(o.level, o.reason) for o in second.overrides] == [
        ("refer_first", "Wants to think."),
        ("not_suitable_now", "Under 18."),
    ]
    replaced = [o.replaced for o in second.overrides]
    assert replaced[0] is not None
    assert replaced[1] is not None
    assert replaced[0].answers != replaced[1].answers
    assert {replaced[0].rule_set, replaced[1].rule_set} == {RULES.digest}
    assert second.override == second.overrides[1]


def test_an_override_from_an_older_file_reads_as_a_history_of_one_to_review() -> None:
    data = json.loads(Consultation.new(RULES, now=NOW).to_json())
    del data["overrides"]
    data |= {
        "schema_version": 2,
        "override": {"level": "refer_first", "reason": "Old.", "at": NOW.isoformat()},
    }
    consultation = Consultation.from_json(json.dumps(data), now=NOW)
    assert [o.level for o in consultation.overrides] == ["refer_first"]
    assert consultation.override_needs_review(_assess(consultation)), "its basis is unknown"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"clinician": "x" * 101}, "the clinician of an override (overrides.0.clinician)"),
        ({"withdrawn": "2026-11-24T14:00:00"}, "(overrides.0.withdrawn): has no time zone"),
        ({"withdrawn": "3000-01-01T00:00:00Z"}, "(overrides.0.withdrawn): 3000-01-01 00:00 is in"),
        ({"replaced": {"outcome": "x"}}, "what an override replaced (overrides.0.replaced"),
    ],
)
def test_an_override_in_a_file_is_checked_like_every_other_field(
    entry: dict[str, object], message: str
) -> None:
    data = json.loads(Consultation.new(RULES, now=NOW).to_json())
    data["overrides"] = [{"level": "refer_first", "reason": "r", "at": NOW.isoformat(), **entry}]
    with pytest.raises(InputError) as caught:
        Consultation.from_json(json.dumps(data), now=NOW)
    assert message in str(caught.value)


def test_the_text_report_shows_the_clinicians_view_by_its_label_and_marks_it_for_review() -> None:
    from decision_aid.present.override import clinician_view
    from decision_aid.present.report import text_report

    overridden = _override(Consultation.new(RULES, now=NOW), "not_suitable_now", "Declined.")
    view = clinician_view(overridden, RULES, _assess(overridden))
    line = next(
        x for x in text_report(_assess(overridden), RULES, view).splitlines() if "view" in x
    )
    assert line.startswith("Clinician's view: \u25a0 Not suitable at the moment, recorded 24 Nov")
    assert line.endswith(
        'by Dr Ada Lovelace, replacing the rule outcome "More checks needed '
        'first". Reason: Declined.'
    )
    changed = overridden.with_answer("age", 50, now=NOW)
    view = clinician_view(changed, RULES, _assess(changed))
    report = text_report(_assess(changed), RULES, view)
    assert "Clinician's view: NOT CURRENT. Answers changed since the override: review." in report


@settings(max_examples=60, deadline=None)
@given(start=answered(), level=st.sampled_from(LEVELS), edits=st.lists(changes(), min_size=1))
def test_a_restored_override_is_bound_to_what_it_was_given_for(
    start: Consultation, level: str, edits: list[tuple[str, object]]
) -> None:
    """Undoing a confirmation or a withdrawal never makes an override current unreviewed."""
    overridden = _override(start, level)
    entry = overridden.override
    assert entry is not None
    later = overridden
    for question_id, value in edits:
        later = later.with_answer(question_id, value, now=NOW + timedelta(minutes=1))
    withdrawn = later.without_override(now=NOW + timedelta(minutes=2))
    restored = withdrawn.with_override_restored(entry, now=NOW + timedelta(minutes=3))
    assert restored.override is not None
    assert restored.override.replaced == entry.replaced
    assert restored.override_needs_review(_assess(restored)) == later.override_needs_review(
        _assess(later)
    )
    assert restored.overrides[: len(withdrawn.overrides)] == withdrawn.overrides, "history kept"
    gone = restored.with_override_restored(None, now=NOW + timedelta(minutes=4))
    assert gone.override is None
    assert len(gone.overrides) == len(restored.overrides)
