"""The consultation model: reconciled once when shown, then one answer re-checked per edit."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from decision_aid.domain import load_rule_set
from decision_aid.domain.consultation import Consultation
from decision_aid.gui.state import ConsultationModel
from decision_aid.storage.autosave import Autosave
from tests.conftest import BUNDLED

RULES = load_rule_set(BUNDLED)
NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


class Recorded(Autosave):
    """An autosave that keeps what it was given instead of writing it (the disk is not timed)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.last: Consultation | None = None

    def save(self, consultation: Consultation) -> Path:
        self.last = consultation
        return self.folder / "recorded.json"


def _stale(count: int) -> Consultation:
    # model_copy does not validate: a count beyond what a file may hold, to show the cost
    # of an edit no longer grows with it.
    answers = {f"old_question_{i}": "yes" for i in range(count)}
    return Consultation.new(RULES, now=NOW).model_copy(update={"answers": answers})


def _per_edit(model: ConsultationModel, rounds: int = 25) -> float:
    times = []
    for index in range(rounds):
        start = time.perf_counter()
        model.set_answer("age", 40 + index % 2)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_an_answer_change_costs_the_same_with_300000_stale_answers(tmp_path: Path) -> None:
    clean = ConsultationModel(RULES, Consultation.new(RULES, now=NOW), Recorded(tmp_path))
    stale = ConsultationModel(RULES, _stale(300_000), Recorded(tmp_path))
    _per_edit(clean, 3), _per_edit(stale, 3)  # warm up
    ratio = _per_edit(stale) / _per_edit(clean)
    assert ratio < 5, f"an edit costs {ratio:.1f}x with 300,000 stale answers"
    assert len(stale.consultation.set_aside) == 300_000, "kept, not lost"


def test_stale_answers_give_one_notice_are_kept_and_never_counted(tmp_path: Path) -> None:
    autosave = Recorded(tmp_path)
    model = ConsultationModel(RULES, _stale(312), autosave)
    assert model.notices == (
        "312 answers no longer fit this rule set and were set aside (the file keeps them): "
        "'old_question_0', 'old_question_1', 'old_question_2' and 309 more.",
    )
    model.set_answer("age", 46)
    assert dict(model.answers) == {"age": 46.0}
    assert autosave.last is not None
    assert len(autosave.last.set_aside) == 312
    assert autosave.last.answers == {"age": 46}
    model.set_answer("age", None)
    assert dict(model.answers) == {}


def test_an_answer_that_does_not_fit_is_kept_but_never_counted(tmp_path: Path) -> None:
    model = ConsultationModel(RULES, Consultation.new(RULES, now=NOW), Recorded(tmp_path))
    model.set_answer("age", 46)
    model.set_answer("age", 999)
    assert "age" not in model.answers
    assert model.consultation.answers["age"] == 999


def test_an_override_whose_level_is_not_a_level_is_not_shown_until_a_real_one_is_set(
    tmp_path: Path,
) -> None:
    blank = ConsultationModel(RULES, Consultation.new(RULES, now=NOW), Recorded(tmp_path))
    consultation = blank.consultation.with_override(
        "x", "because", clinician="Dr A", assessment=blank.assessment, now=NOW
    )
    model = ConsultationModel(RULES, consultation, Recorded(tmp_path))
    assert model.override is None
    assert model.notices[-1].startswith("The override 'x' is not an outcome of this rule set")
    level = RULES.info.levels[-1].id
    model.set_override(level, "Patient declined.", "Dr A")
    assert model.override is not None
    assert model.override.level == level


def test_reconciling_happens_when_another_consultation_is_shown(tmp_path: Path) -> None:
    model = ConsultationModel(RULES, Consultation.new(RULES, now=NOW), Recorded(tmp_path))
    assert not model.notices
    model.replace(_stale(4))
    assert model.notices[0].startswith("4 answers no longer fit this rule set")
    assert set(model.consultation.set_aside) == {f"old_question_{i}" for i in range(4)}
