"""The consultation record: edits, overrides, and opening it against a changed rule set."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from decision_aid.domain import load_rule_set
from decision_aid.domain.consultation import Consultation
from tests.conftest import MINI

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)
RULES = load_rule_set(MINI)


def test_edits_make_new_records_and_stamp_the_time() -> None:
    first = Consultation.new(RULES, now=NOW)
    second = first.with_answer("goals", ("pain", "sleep"), now=LATER)
    assert first.answers == {}
    assert second.answers == {"goals": ["pain", "sleep"]}
    assert (second.created, second.updated) == (NOW, LATER)
    assert second.with_answer("goals", None, now=LATER).answers == {}
    assert second.rule_set.digest == RULES.digest
    assert second.settings == {"basis": "us"}


def test_an_override_needs_a_reason() -> None:
    consultation = Consultation.new(RULES, now=NOW)
    with pytest.raises(ValueError, match="an override needs a written reason"):
        consultation.with_override("stop", "  \n ", now=LATER)
    done = consultation.with_override("stop", " Patient declined. ", now=LATER)
    assert done.override is not None
    assert (done.override.level, done.override.reason, done.override.at) == (
        "stop",
        "Patient declined.",
        LATER,
    )
    assert done.without_override(now=LATER).override is None


def test_reconciling_with_a_changed_rule_set_sets_aside_what_no_longer_fits(
    mini_copy: Path,
) -> None:
    consultation = (
        Consultation.new(RULES, now=NOW)
        .with_answer("diagnosis", "other", now=NOW)
        .with_answer("tried", "yes", now=NOW)
        .with_answer("risk", "poor", now=NOW)
    )
    questionnaire = mini_copy / "questionnaire.yaml"
    text = questionnaire.read_text()
    text = text.replace("          - {id: other, label: Something else}\n", "")
    text = text.replace(
        "      - id: tried\n        label: Tried", "      - id: tried_first\n        label: Tried"
    )
    questionnaire.write_text(text)
    rules = mini_copy / "rules" / "main.yaml"
    rules.write_text(
        rules.read_text()
        .replace("{question: tried,", "{question: tried_first,")
        .replace(
            "    when: {question: diagnosis, is: other}\n",
            "    when: {question: diagnosis, is: b}\n",
        )
    )
    changed = load_rule_set(mini_copy)
    reconciled = consultation.reconcile(changed)
    assert dict(reconciled.answers) == {"risk": "poor"}
    assert reconciled.notices == (
        "This consultation was saved with rule set mini 1.0.0; "
        "the files of mini 1.0.0 have changed since.",
        "The answer to 'diagnosis': 'other' is not an option of this question (options: a, b) "
        "no longer fits; it was set aside.",
        "'tried' is no longer asked; its answer 'yes' was set aside.",
    )
