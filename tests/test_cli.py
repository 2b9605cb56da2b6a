"""The decision-aid command, as a rule author and a batch user meet it."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.cli import COMMANDS, main, parse_command_line, parser
from tests.conftest import BUNDLED, MINI

SAFE = 'diagnosis: a\ntried: "yes"\nsex: male\nrisk: none\nage: 40\n'


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(SAFE)
    return path


def test_check_says_only_the_approval_state_and_exits_0_on_a_good_rule_set(
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected = "approval: DRAFT: this rule set has not been approved by a clinician\n"
    assert run(capsys, "check", "--rules", str(MINI)) == (0, expected, "")


def test_check_prints_problems_like_a_compiler(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = mini_copy / "rules" / "main.yaml"
    rules.write_text(rules.read_text().replace("is: other}", "is: otter}"))
    code, out, _ = run(capsys, "check", "--rules", str(mini_copy))
    assert code == 1
    assert out == (
        f"{mini_copy}/rules/main.yaml:23:37: error[unknown-option]: 'otter' is not an option of "
        "'diagnosis' (options: a, b, other); did you mean 'other'?\n"
    )
    code, out, _ = run(capsys, "check", "--rules", str(mini_copy), "--format", "json")
    assert code == 1
    assert json.loads(out)["problems"][0] == {
        "file": f"{mini_copy}/rules/main.yaml",
        "line": 23,
        "column": 37,
        "severity": "error",
        "code": "unknown-option",
        "message": "'otter' is not an option of 'diagnosis' (options: a, b, other); "
        "did you mean 'other'?",
    }


def test_a_broken_rule_set_never_gives_an_outcome(
    mini_copy: Path, answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = mini_copy / "rules" / "main.yaml"
    rules.write_text(rules.read_text().replace("citations: [src]", "citations: [nowhere]", 1))
    code, out, _ = run(
        capsys, "evaluate", str(answers), "--rules", str(mini_copy), "--format", "json"
    )
    assert code == 1
    assert "unknown-reference" in out
    assert "outcome" not in out


def test_test_reports_pass_count(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "test", "--rules", str(MINI))
    assert code == 0
    assert out.splitlines()[-1] == "PASS: 2/2"


def test_test_shows_expected_against_actual(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = mini_copy / "tests" / "cases.yaml"
    cases.write_text(
        cases.read_text().replace(
            "{outcome: go, fired: [r-go]}", "{outcome: careful, fired: [r-careful]}"
        )
    )
    code, out, _ = run(capsys, "test", "--rules", str(mini_copy))
    assert code == 1
    assert out.splitlines() == [
        f"{cases}:3: FAIL: A tried, safe",
        "  expected outcome: careful",
        "  actual outcome:   go",
        "  expected fired:   r-careful",
        "  actual fired:     r-go",
        "  rule r-go: true",
        "    all of: true",
        "      Diagnosis is \u201cCondition A\u201d (answer: Condition A): true",
        "      Tried is \u201cYes\u201d (answer: Yes): true",
        "  rule r-careful: false",
        "    Diagnosis is \u201cCondition B\u201d (answer: Condition A): false",
        "-" * 60,
        "PASS: 1/2  FAIL: 1",
    ]


def test_a_case_with_a_bad_answer_is_an_error(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = mini_copy / "tests" / "cases.yaml"
    cases.write_text(cases.read_text().replace("risk: none", "risk: nun"))
    code, out, _ = run(capsys, "test", "--rules", str(mini_copy))
    assert code == 1
    assert f"{cases}:3: ERROR: A tried, safe" in out.splitlines()
    assert out.splitlines()[-1] == "PASS: 0/2  ERROR: 2"


def test_questions_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "questions", "--rules", str(MINI), "--format", "json")
    assert code == 0
    questions = {q["id"]: q for q in json.loads(out)["questions"]}
    assert list(questions) == ["diagnosis", "tried", "sex", "pregnant", "risk", "age", "goals"]
    assert questions["pregnant"] == {
        "id": "pregnant",
        "section": "safety",
        "label": "Pregnancy",
        "text": "Could the patient be pregnant?",
        "type": "yes_no",
        "safety": False,
        "not_known": True,
        "show_when": {"question": "sex", "is": "female"},
        "options": ["yes", "no"],
    }
    assert questions["age"]["unit"] == "years"
    assert (questions["age"]["min"], questions["age"]["max"]) == (0, 120)


def test_evaluate_json_has_the_documented_keys(
    answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "evaluate", str(answers), "--rules", str(MINI), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["outcome"] == "go"
    assert data["outcome_label"] == "Go"
    assert [f["rule_id"] for f in data["fired"]] == ["r-go"]
    assert data["fired"][0]["patient_reason"] == "Condition A can respond."
    assert data["missing"] == []
    assert data["rule_set"]["status"] == "draft"
    assert len(data["rule_set"]["sha256"]) == 64


def test_evaluate_text_says_it_is_not_a_decision(
    answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "evaluate", str(answers), "--rules", str(MINI))
    assert code == 0
    assert out.splitlines()[:2] == [
        "Outcome: \u25cf Go (go)",
        "  A basis for discussion, not a decision.",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "diagnosis: z\n",
            "'diagnosis': 'z' is not an option of this question (options: a, b, other)",
        ),
        ("colour: blue\n", "'colour' is not a question of this rule set"),
        ("age: 300\n", "'age': 300 is out of range (0 to 120 years)"),
        ("- a\n", "answers must be a mapping of question ids to answers"),
    ],
)
def test_bad_answers_exit_2_naming_the_key(
    tmp_path: Path, text: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    code, out, err = run(capsys, "evaluate", str(path), "--rules", str(MINI))
    assert (code, out) == (2, "")
    assert err == f"{path}: error: {message}\n"


def test_basis_is_short_for_a_guideline_basis_setting_and_is_checked(
    answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "evaluate", str(answers), "--rules", str(MINI), "--basis", "mars")
    assert code == 2
    assert err == (
        "error: --basis is short for --setting guideline_basis=…, and this rule set has no "
        "'guideline_basis' setting (settings: basis); write --setting ID=VALUE\n"
    )
    code, _, err = run(capsys, "evaluate", str(answers), "--rules", str(BUNDLED), "--basis", "mars")
    assert code == 2
    assert err.startswith("error: 'mars' is not a choice of 'guideline_basis'")


def test_jsonl_keeps_output_lines_aligned_with_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        json.dumps({"diagnosis": "a", "tried": "yes", "sex": "male", "risk": "none", "age": 40}),
        "{not json",
        json.dumps({"diagnosis": "nope"}),
        json.dumps({"diagnosis": "b", "sex": "male", "risk": "poor", "age": 40}),
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code, out, _ = run(capsys, "evaluate", "--jsonl", "--rules", str(MINI))
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    assert len(results) == 4
    assert results[0]["outcome"] == "go"
    assert results[1]["error"].startswith("line 2: not JSON")
    assert results[2]["error"].startswith("line 3: 'diagnosis': 'nope' is not an option")
    assert results[3]["outcome"] == "stop"


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    out = capsys.readouterr().out
    assert caught.value.code == 0
    assert out.startswith("usage: decision-aid")
    for command in ("check", "test", "questions", "evaluate"):
        assert command in out
    assert "With no command, the consultation window opens." in " ".join(out.split())


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["chekc"], "invalid choice: 'chekc' (choose from 'new', 'check'"),
        (["--rules"], "argument --rules: expected one argument"),
        (["--smoke-test", "--colour"], "unrecognized arguments: --colour"),
    ],
)
def test_a_bad_command_line_is_answered_with_the_whole_usage(
    argv: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    err = capsys.readouterr().err
    assert caught.value.code == 2
    assert err.startswith("usage: decision-aid [-h] [--version] [--rules DIR] COMMAND ...")
    assert said in err


def test_rules_given_before_the_command_are_used(
    mini_copy: Path, answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    info = mini_copy / "ruleset.yaml"
    info.write_text(info.read_text().replace('version: "1.0.0"', 'version: "9.9.9"'))
    code, out, _ = run(
        capsys, "--rules", str(mini_copy), "evaluate", str(answers), "--format", "json"
    )
    assert code == 0
    assert json.loads(out)["rule_set"]["version"] == "9.9.9"


def test_jsonl_reads_bytes_and_each_line_fails_or_succeeds_on_its_own(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    good = b'{"diagnosis": "a", "tried": "yes", "sex": "male", "risk": "none", "age": 40}'
    lines = [
        good,
        b'{"diagnosis": "a", "age": 40, "age": 500}',
        b"\xff\xfe not UTF-8",
        b'{"age": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b'{"age": NaN}',
        good,
    ]
    stdin = io.TextIOWrapper(io.BytesIO(b"\n".join(lines) + b"\n"), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    code, out, err = run(capsys, "evaluate", "--jsonl", "--rules", str(MINI))
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 2
    assert "Traceback" not in out + err
    assert [r.get("error") for r in results] == [
        None,
        "line 2: the key 'age' is given twice; which one is meant is unclear, so the file "
        "is not read",
        "line 3: not UTF-8 text (byte 1)",
        "line 4: it is nested too deeply",
        "line 5: not JSON we read: 'NaN' is not a JSON number",
        None,
    ]
    assert results[0]["outcome"] == results[5]["outcome"] == "go"


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("flow.yaml", '{"pregnant": "yes", "pregnant": "no"}', ":1:21:"),
        ("answers.json", '{\n  "pregnant": "yes",\n  "pregnant": "no"\n}', ":3:3:"),
        ("nested.json", '{"goals": ["pain"],\n "age": 40, "age": 41}', ":2:13:"),
    ],
)
def test_an_answers_file_that_gives_a_key_twice_is_refused_with_key_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, where: str
) -> None:
    path = tmp_path / name
    path.write_text(text)
    code, out, err = run(capsys, "evaluate", str(path), "--rules", str(MINI))
    assert code == 2
    assert out == ""
    assert f"{path}{where} error[duplicate-key]: duplicate key" in err
    assert "'pregnant'" in err or "'age'" in err


def test_evaluate_keeps_conditional_advice_and_open_safety_questions_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "one.yaml"
    one.write_text("diagnosis: crps\n", encoding="utf-8")
    code, out, _ = run(capsys, "evaluate", str(one), "--rules", str(BUNDLED))
    assert code == 0
    certain = out.split("\nActions:\n", 1)[1].split("\n\n", 1)[0]
    assert "Record how the Budapest criteria were met" not in certain
    assert (
        "If Budapest criteria: Yes (not yet known):\n"
        "  - Caution: Ketamine is a controlled drug." in out
    )
    assert "  - Action: Record how the Budapest criteria were met" in out
    assert "\nWhat could change the outcome now:\n" in out
    to_check = out.split("\nSafety questions still to check before any course:\n", 1)[1]
    assert "  - Pregnancy [pregnancy] (not answered)" in to_check.splitlines()
    code, out, _ = run(capsys, "evaluate", str(one), "--rules", str(BUNDLED), "--format", "json")
    data = json.loads(out)
    budapest = next(c for c in data["conditional"] if c["if"] == "If Budapest criteria: Yes")
    assert budapest["rules"] == ["ind-crps"]
    assert budapest["questions"] == ["crps_budapest"]
    assert "Record how the Budapest criteria were met" in budapest["actions"]
    assert "Record how the Budapest criteria were met" not in data["actions"]
    assert len(data["still_to_check"]) == 9
    assert data["outcome_description"].startswith("We cannot say yet")


def test_sheet_prints_the_summary_or_the_full_sheet_with_the_patient_label(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    example = str(BUNDLED / "examples" / "crps-asra.yaml")
    pages = {}
    for part in ("summary", "full"):
        out = tmp_path / f"{part}.pdf"
        code, _, _ = run(capsys, "sheet", example, "-o", str(out), "--rules", str(BUNDLED),
                         "--part", part, "--label", "JD-14")  # fmt: skip
        assert code == 0
        pages[part] = [p.extract_text() for p in PdfReader(out).pages]
    assert len(pages["summary"]) < len(pages["full"])
    assert pages["summary"][2].startswith("For the clinician")
    assert "JD-14" in pages["full"][0]
    assert all("for JD-14" in page for page in pages["summary"])


_TOKENS = st.sampled_from(
    [
        *(command.NAME for command in COMMANDS),
        *("--rules", "--rules=x", "--rul", "x", "rules", "--version", "--v", "--ver"),
        *("-h", "--help", "--smoke-test", "--smoke", "--format", "json", "--", "--=x"),
        *("--verbose", "--setting", "a=b", "--basis", "list", "-", "-x", ""),
    ]
)


def _read(
    read: Callable[[list[str]], argparse.Namespace], argv: list[str]
) -> tuple[object, str, str]:
    """What reading ``argv`` gives: the options, or the exit code; and what it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result: object = vars(read(argv))
        except SystemExit as stopped:
            result = ("exit", stopped.code)
    return result, out.getvalue(), err.getvalue()


@settings(max_examples=300, deadline=None)
@given(st.lists(_TOKENS | st.text(max_size=4), max_size=5))
def test_the_window_reads_the_command_line_as_the_whole_parser_does(argv: list[str]) -> None:
    """Opening the window reads only its own options; whatever the line, the result (or
    the message and exit code) is the whole parser's."""
    expected = _read(lambda a: parser().parse_args(a), argv)
    assert _read(lambda a: parse_command_line(a)[1], argv) == expected


def test_evaluate_says_a_blank_form_is_not_assessed_yet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("{}\n")
    code, out, _ = run(capsys, "evaluate", str(empty), "--rules", str(BUNDLED))
    assert code == 0
    assert out.startswith("Outcome: Not assessed yet.")
    assert "Why:" not in out, "no reasons without answers"
    assert "Age [age] (not answered)" in out, "the safety questions are still listed"
