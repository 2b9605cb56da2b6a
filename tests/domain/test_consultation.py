"""The consultation record: edits, overrides, and opening it against a changed rule set."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from decision_aid.domain import evaluate, load_rule_set
from decision_aid.domain.consultation import (
    MAX_ANSWERS,
    MAX_ANSWERS_SIZE,
    MAX_ITEMS,
    MAX_KEY_LENGTH,
    MAX_LABEL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_NOTES_LENGTH,
    MAX_OVERRIDES,
    MAX_REASON_LENGTH,
    MAX_SETTINGS,
    MAX_TEXT_LENGTH,
    Consultation,
)
from decision_aid.domain.errors import InputError
from decision_aid.domain.questionnaire import parse_answers
from decision_aid.storage.consultation_file import MAX_CONSULTATION_BYTES
from tests.conftest import MINI

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
LATER = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)
RULES = load_rule_set(MINI)


def _override(consultation: Consultation, level: str, reason: str) -> Consultation:
    answers = parse_answers(RULES.questionnaire, consultation.answers)
    assessment = evaluate(RULES, answers, consultation.settings)
    return consultation.with_override(
        level, reason, clinician="Dr Ada Lovelace", assessment=assessment, now=LATER
    )


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
        _override(consultation, "stop", "  \n ")
    done = _override(consultation, "stop", " Patient declined. ")
    assert done.override is not None
    assert (done.override.level, done.override.reason, done.override.at) == (
        "stop",
        "Patient declined.",
        LATER,
    )
    assert done.override.clinician == "Dr Ada Lovelace"
    withdrawn = done.without_override(now=LATER)
    assert withdrawn.override is None
    assert [o.withdrawn for o in withdrawn.overrides] == [LATER], "withdrawn, not deleted"


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


# -- a consultation file is untrusted: every field is checked -----------------------------


def _file(**changes: object) -> str:
    data = json.loads(Consultation.new(RULES, now=NOW).to_json())
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return json.dumps(data)


def _refusal(text: str) -> str:
    with pytest.raises(InputError) as caught:
        Consultation.from_json(text, source="c.json", now=NOW)
    return str(caught.value)


def test_a_key_given_twice_is_refused_with_its_path_and_line() -> None:
    text = Consultation.new(RULES, now=NOW).with_answer("pregnant", "yes", now=NOW).to_json()
    text = text.replace('"pregnant": "yes"', '"pregnant": "yes",\n"pregnant": "no"')
    assert _refusal(text) == (
        "c.json: not a readable consultation file: line 16: the key 'answers.pregnant' is "
        "given twice; which one is meant is unclear, so the file is not read"
    )


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "", "a" * 65, "nul\x00", "a b", "é", "C:\\x", ".json", "a/b"]
)
def test_an_id_that_is_not_safe_everywhere_is_refused(bad: str) -> None:
    assert _refusal(_file(id=bad)) == (
        "c.json: not a valid consultation file: its id (id): "
        "must be 1 to 64 letters, digits, '-' or '_'"
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "created",
            "2026-11-24T14:00:00",
            "the date it was started (created): has no time zone",
        ),
        (
            "updated",
            "1999-12-31T23:00:00+00:00",
            "the date it was last changed (updated): 1999-12-31 is before 2000; the date is wrong",
        ),
        ("updated", 0, "the date it was last changed (updated): 1970-01-01 is before 2000"),
        ("created", "soon", "the date it was started (created): is not a date and time"),
        (
            "updated",
            "2026-11-25T14:01:00+00:00",
            "the date it was last changed (updated): 2026-11-25 14:01 is in the future",
        ),
        (
            "created",
            "9999-12-31T23:59:59-12:00",
            "the date it was started (created): 9999-12-31 23:59 is in the future",
        ),
        (
            "overrides",
            [{"level": "stop", "reason": "r", "at": "3000-01-01T00:00:00Z"}],
            "the date of an override (overrides.0.at): 3000-01-01 00:00 is in the future",
        ),
        (
            "overrides",
            [{"level": "stop", "reason": "r", "at": "2026-01-01T00:00:00"}],
            "the date of an override (overrides.0.at): has no time zone",
        ),
    ],
)
def test_dates_need_a_time_zone_and_must_be_plausible(
    field: str, value: object, message: str
) -> None:
    assert message in _refusal(_file(**{field: value}))


def test_a_date_up_to_a_day_ahead_of_the_readers_clock_is_accepted() -> None:
    ahead = (NOW + timedelta(hours=23)).isoformat()
    assert Consultation.from_json(_file(updated=ahead), now=NOW).updated == NOW + timedelta(
        hours=23
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"notes": "x" * (MAX_NOTES_LENGTH + 1)}, "the notes (notes): is longer than 200000"),
        ({"patient_label": "x" * 41}, "the patient label (patient_label): is longer than 40"),
        (
            {"answers": {f"k{i}": 1 for i in range(MAX_ANSWERS + 1)}},
            "file: the answers: it holds 5001 answers; a consultation holds at most 5000",
        ),
        ({"answers": {"k" * 65: 1}}, "an answer's question id must be 1 to 64 characters"),
        ({"answers": {"goals": [[1]]}}, "the answer to 'goals' is not an answer"),
        ({"answers": {"goals": {"a": 1}}}, "the answer to 'goals' is not an answer"),
        ({"answers": {"goals": ["pain"] * 65}}, "the answer to 'goals' has more than 64 items"),
        ({"answers": {"age": "1" * 201}}, "the answer to 'age' is longer than 200 characters"),
        (
            {"answers": {f"k{i:04}": ["x" * 200] * 30 for i in range(60)}},
            "file: the answers: they are too long (375180 characters; at most 300000)",
        ),
        ({"settings": {f"s{i}": "v" for i in range(33)}}, "the settings (settings): has more"),
        ({"rule_set__digest": "x" * 201}, "rule_set.digest): is longer than 200"),
        (
            {"overrides": [{"level": "stop", "reason": "r" * 2001, "at": NOW.isoformat()}]},
            "an override's reason (overrides.0.reason): is longer than 2000",
        ),
        ({"surprise": 1}, "surprise: is not part of a consultation file"),
    ],
)
def test_sizes_beyond_the_limits_are_refused_naming_the_field(
    changes: dict[str, object], message: str
) -> None:
    assert message in _refusal(_file(**changes))


def _distinct(count: int, length: int, alphabet: str) -> list[str]:
    """``count`` different strings of ``length`` characters, each costly to write in JSON."""
    found = []
    for index in range(count):
        digits, rest = "", index
        while rest or not digits:
            rest, digit = divmod(rest, len(alphabet))
            digits += alphabet[digit]
        found.append((digits + "\x00" * length)[:length])
    return found


CONTROL = "".join(chr(c) for c in range(1, 32))


@pytest.mark.parametrize("shape", ["long lists", "many keys"])
def test_the_largest_valid_consultation_fits_in_a_consultation_file(shape: str) -> None:
    """Each character at its dearest in JSON (``\\u0000``, 6 bytes), every field at its limit."""
    nul = "\x00"
    if shape == "long lists":
        keys = _distinct(MAX_ANSWERS_SIZE // (MAX_KEY_LENGTH + 8 + MAX_ITEMS * 208), 64, CONTROL)
        answers: dict[str, object] = {k: [nul * MAX_TEXT_LENGTH] * MAX_ITEMS for k in keys}
    else:
        keys = _distinct(MAX_ANSWERS, MAX_ANSWERS_SIZE // MAX_ANSWERS - 8, CONTROL)
        answers = dict.fromkeys(keys, "")
    text = _file(
        id="x" * 64,
        notes=nul * MAX_NOTES_LENGTH,
        patient_label=nul * MAX_LABEL_LENGTH,
        settings=dict.fromkeys(_distinct(MAX_SETTINGS, MAX_TEXT_LENGTH, CONTROL), nul * 200),
        rule_set={"id": nul * 200, "version": nul * 200, "digest": nul * 200},
        overrides=[
            {
                "level": nul * 200,
                "reason": "r" + nul * (MAX_REASON_LENGTH - 1),
                "at": NOW.isoformat(),
                "clinician": nul * MAX_NAME_LENGTH,
                "replaced": {"outcome": nul * 200, "answers": nul * 200, "rule_set": nul * 200},
                "withdrawn": NOW.isoformat(),
            }
        ]
        * MAX_OVERRIDES,
        answers=answers,
    )
    largest = Consultation.from_json(text, now=NOW)
    written = largest.to_json().encode()
    assert len(written) > 2_500_000, "the case is near the limit it tests"
    assert len(written) <= MAX_CONSULTATION_BYTES
    assert Consultation.from_json(written.decode(), now=NOW) == largest


def test_an_override_whose_level_is_not_a_level_is_set_aside_with_a_notice() -> None:
    text = _file(overrides=[{"level": "<b>BEST</b>", "reason": "r", "at": NOW.isoformat()}])
    consultation = Consultation.from_json(text, now=NOW)
    reconciled = consultation.reconcile(RULES)
    assert reconciled.override is None
    assert consultation.valid_override(RULES) is None
    assert reconciled.notices == (
        "The override '<b>BEST</b>' is not an outcome of this rule set; it was set aside and "
        "is neither shown nor printed (the file keeps it).",
    )
    assert consultation.override is not None, "set aside, not lost"
    kept = _override(consultation, "stop", "Declined.")
    assert kept.reconcile(RULES).override == kept.override


def test_many_stale_answers_get_one_summarised_notice_and_stay_in_the_consultation() -> None:
    stale = {f"old_{i}": "yes" for i in range(312)}
    consultation = Consultation.new(RULES, now=NOW).model_copy(
        update={"answers": {**stale, "age": 40}}
    )
    reconciled = consultation.reconcile(RULES)
    assert dict(reconciled.answers) == {"age": 40.0}
    assert reconciled.set_aside == tuple(stale)
    assert reconciled.notices == (
        "312 answers no longer fit this rule set and were set aside (the file keeps them): "
        "'old_0', 'old_1', 'old_2' and 309 more.",
    )
    assert len(consultation.answers) == 313


def test_answers_set_aside_stay_in_the_file_and_come_back_when_asked_again(
    mini_copy: Path,
) -> None:
    consultation = Consultation.new(RULES, now=NOW).with_answer("tried", "yes", now=NOW)
    questionnaire = mini_copy / "questionnaire.yaml"
    questionnaire.write_text(
        questionnaire.read_text().replace("- id: tried\n", "- id: tried_first\n")
    )
    rules = mini_copy / "rules" / "main.yaml"
    rules.write_text(rules.read_text().replace("{question: tried,", "{question: tried_first,"))
    renamed = load_rule_set(mini_copy)
    moved = consultation.with_misfits_set_aside(consultation.reconcile(renamed))
    assert (moved.answers, moved.set_aside, moved.updated) == ({}, {"tried": "yes"}, NOW)
    reread = Consultation.from_json(moved.to_json(), now=NOW)
    assert reread.set_aside == {"tried": "yes"}
    back = reread.with_misfits_set_aside(reread.reconcile(RULES))
    assert (back.answers, back.set_aside) == ({"tried": "yes"}, {})
    assert dict(back.reconcile(RULES).answers) == {"tried": "yes"}


def test_a_file_of_format_1_reads_with_nothing_set_aside() -> None:
    data = json.loads(_file())
    data["schema_version"] = 1
    del data["set_aside"]
    assert Consultation.from_json(json.dumps(data), now=NOW).set_aside == {}


def test_the_limits_count_answers_set_aside_too() -> None:
    half = {f"k{i}": 1 for i in range(MAX_ANSWERS // 2 + 1)}
    text = _file(answers=half, set_aside={f"old_{k}": 1 for k in half})
    assert "it holds 5002 answers; a consultation holds at most 5000" in _refusal(text)
