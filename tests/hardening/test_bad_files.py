"""Bad answers files and consultation files: a clear message, no traceback, nothing overwritten.

Answers files go through the CLI (``evaluate``, ``sheet``, ``evaluate --jsonl``) in
process; consultation files through the window's open path and the autosave scan.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from decision_aid.cli import main
from decision_aid.domain import load_rule_set
from decision_aid.domain.consultation import Consultation
from decision_aid.gui import actions, files
from decision_aid.storage.autosave import Autosave
from tests.conftest import MINI

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

BAD_ANSWERS = {
    "text-for-a-number": b'age: "forty"\n',
    "list-for-one-choice": b"diagnosis: [a, b]\n",
    "number-for-a-list": b"goals: 3\n",
    "boolean-for-yes": b"tried: true\n",
    "exclusive-with-others": b"goals: [pain, nothing]\n",
    "out-of-range": b"age: 500\n",
    "unknown-question": b"diagnosys: a\n",
    "unknown-option": b"diagnosis: z\n",
    "not-a-mapping": b"- diagnosis\n- a\n",
    "truncated": b'diagnosis: a\ntried: "ye',
    "binary-garbage": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x01",
    "number-beyond-float": b"age: 1" + b"0" * 400 + b"\n",
    "number-beyond-int-conversion": b"age: " + b"9" * 5_000 + b"\n",
    "deep-nesting": b"age: " + b"[" * 5_000 + b"]" * 5_000 + b"\n",
    "yaml-tag": b"age: !!python/object/apply:os.getcwd []\n",
}
EXPECTED_WORDS = {
    "unknown-question": "did you mean 'diagnosis'",
    "unknown-option": "not an option",
    "out-of-range": "out of range",
    "text-for-a-number": "expected a number",
    "truncated": "answers.yaml:",
}


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", sorted(BAD_ANSWERS))
def test_cli_evaluate_refuses_a_bad_answers_file_with_exit_2_and_a_message(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(BAD_ANSWERS[name])
    code, out, err = _run(["evaluate", "--rules", str(MINI), str(path)], capsys)
    assert code == 2, out + err
    assert str(path) in err
    assert "Traceback" not in out + err
    assert EXPECTED_WORDS.get(name, "") in err
    assert path.read_bytes() == BAD_ANSWERS[name]


@pytest.mark.parametrize("name", sorted(BAD_ANSWERS))
def test_cli_sheet_refuses_a_bad_answers_file_and_keeps_the_previous_sheet(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_bytes(BAD_ANSWERS[name])
    sheet = tmp_path / "sheet.pdf"
    sheet.write_bytes(b"%PDF-1.4 the previous sheet")
    code, out, err = _run(["sheet", "--rules", str(MINI), str(path), "-o", str(sheet)], capsys)
    assert code == 2, out + err
    assert "Traceback" not in out + err
    assert sheet.read_bytes() == b"%PDF-1.4 the previous sheet"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.yaml", "sheet.pdf"]


def test_cli_evaluate_jsonl_answers_each_bad_line_with_an_error_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        '{"diagnosis": "a", "tried": "yes", "sex": "male", "risk": "none", "age": 40}',
        "not json",
        "[1, 2]",
        '{"age": "forty"}',
        '{"diagnosys": "a"}',
        '{"age": ' + "[" * 5_000 + "]" * 5_000 + "}",
        '{"age": ' + "9" * 5_000 + "}",
        '{"age": 1' + "0" * 400 + "}",
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, err = _run(["evaluate", "--rules", str(MINI), "--jsonl"], capsys)
    assert code == 2
    assert "Traceback" not in out + err
    results = [json.loads(line) for line in out.splitlines()]
    assert len(results) == len(lines), "one result line per input line, aligned"
    assert "outcome" in results[0]
    for number, result in enumerate(results[1:], start=2):
        assert result["error"].startswith(f"line {number}:"), result


# -- consultation files: the window's open path ---------------------------------------


def _valid_json() -> bytes:
    rule_set = load_rule_set(MINI)
    consultation = Consultation.new(rule_set, now=NOW).with_answer("diagnosis", "a", now=NOW)
    return consultation.to_json().encode()


def _swap(key: str, value: Any) -> Callable[[bytes], bytes]:
    def edit(valid: bytes) -> bytes:
        data = json.loads(valid)
        data[key] = value
        return json.dumps(data).encode()

    return edit


BAD_CONSULTATIONS: dict[str, Callable[[bytes], bytes]] = {
    "newer-schema-version": _swap("schema_version", 4),
    "schema-version-as-text": _swap("schema_version", "1"),
    "answers-as-text": _swap("answers", "diagnosis=a"),
    "created-not-a-date": _swap("created", "yesterday"),
    "rule-set-missing": _swap("rule_set", None),
    "truncated": lambda valid: valid[: len(valid) // 2],
    "binary-garbage": lambda valid: b"\x00\xff\xfe\x89PNG\x1a" * 40,
    "empty": lambda valid: b"",
    "a-list-not-an-object": lambda valid: b"[1, 2, 3]",
    "deep-nesting": lambda valid: b"[" * 100_000 + b"]" * 100_000,
    "number-beyond-int-conversion": lambda valid: b'{"schema_version": ' + b"9" * 5_000 + b"}",
    "not-utf8": lambda valid: valid.replace(b'"diagnosis"', b'"diagn\xffsis"'),
}


@pytest.mark.parametrize("name", sorted(BAD_CONSULTATIONS))
def test_opening_a_bad_consultation_file_tells_the_user_and_changes_nothing(
    name: str,
    tmp_path: Path,
    make_window: Callable[..., Any],
    shown_messages: list[tuple[str, str]],
    private_data_dir: Path,
) -> None:
    path = tmp_path / "opened.json"
    data = BAD_CONSULTATIONS[name](_valid_json())
    path.write_bytes(data)
    window = make_window(MINI)
    window.model.set_answer("tried", "yes")
    before = window.model.consultation
    autosaved = {p: p.read_bytes() for p in private_data_dir.rglob("*") if p.is_file()}
    assert autosaved, "the current consultation was autosaved"

    files.open_path(window, path)

    (title, text), *_ = shown_messages
    assert title == "Could not open the consultation"
    assert text.startswith(str(path)), text
    assert "Traceback" not in text
    if name == "newer-schema-version":
        assert "newer decision-aid" in text
    assert window.model.consultation == before, "the open consultation is untouched"
    assert path.read_bytes() == data, "the file that failed to open is unchanged"
    assert {p: p.read_bytes() for p in private_data_dir.rglob("*") if p.is_file()} == autosaved
    assert window.model.saved_path is None


def test_opening_a_consultation_with_unknown_question_ids_sets_them_aside_with_a_notice(
    tmp_path: Path, make_window: Callable[..., Any], shown_messages: list[tuple[str, str]]
) -> None:
    path = tmp_path / "older.json"
    data = _swap("answers", {"diagnosis": "a", "old_question": "yes", "age": "forty"})(
        _valid_json()
    )
    path.write_bytes(data)
    window = make_window(MINI)
    files.open_path(window, path)
    (title, text), *_ = shown_messages
    assert title == "Opened with changes"
    assert "'old_question' is no longer asked" in text
    assert "'age'" in text
    assert window.model.answers.to_data() == {"diagnosis": "a"}
    assert path.read_bytes() == data


def test_corrupt_autosave_is_set_aside_and_reported_and_a_newer_one_is_kept_untouched(
    private_data_dir: Path,
) -> None:
    folder = private_data_dir / "autosave"
    folder.mkdir(parents=True)
    cut = _valid_json()[:50]
    (folder / "a.json").write_bytes(cut)
    newer = folder / "b.json"
    newer_data = _swap("schema_version", 7)(_valid_json())
    newer.write_bytes(newer_data)
    pending, problems = Autosave(private_data_dir).pending()
    assert pending == []
    assert len(problems) == 2
    assert any("set aside" in p and "a.json" in p for p in problems)
    assert any("newer decision-aid" in p and "b.json" in p for p in problems)
    assert (folder / "a.corrupt").read_bytes() == cut
    assert newer.read_bytes() == newer_data


def test_opening_a_consultation_whose_override_is_no_level_never_shows_it(
    tmp_path: Path, make_window: Callable[..., Any], shown_messages: list[tuple[str, str]]
) -> None:
    path = tmp_path / "override.json"
    override = {"level": "<b>suitable</b>", "reason": "r", "at": NOW.isoformat()}
    data = _swap("overrides", [override])(_valid_json())
    path.write_bytes(data)
    window = make_window(MINI)
    files.open_path(window, path)
    (title, text), *_ = shown_messages
    assert title == "Opened with changes"
    assert "The override '<b>suitable</b>' is not an outcome of this rule set" in text
    assert window.model.override is None
    assert window.view.outcome.override.isHidden(), "never shown"
    assert window.model.consultation.override is not None, "kept in the consultation"
    window.model.set_answer("tried", "yes")
    assert window.view.outcome.override.isHidden()
    sheet = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(actions.sheet_job(window.model, window.approval)())).pages
    )
    assert "override" not in sheet.lower(), "never printed"
    assert "suitable" not in sheet
    assert path.read_bytes() == data
