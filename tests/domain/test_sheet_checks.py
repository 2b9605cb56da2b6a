"""``check`` refuses a sheet that does not resolve, or breaks the evidence display rules,
at the place in sheet.yaml where the author wrote it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from decision_aid.cli import main
from tests.conftest import FIXTURES

CASES = [
    pytest.param("goals: [wishes]", "goals: [wish]",
                 "4:9: error[unknown-question]: 'wish' is not a question; did you mean 'wishes'?",
                 id="goals question"),
    pytest.param("  reference: sure-paper", "  reference: sure-papr",
                 "6:14: error[unknown-reference]: 'sure-papr' is not in the references; "
                 "did you mean 'sure-paper'?", id="SURE source"),
    pytest.param("about: {question: bmi_band, in: [high, mid]}",
                 "about: {question: bmi_bnd, in: [high, mid]}",
                 "28:23: error[unknown-question]: 'bmi_bnd' is not a question; "
                 "did you mean 'bmi_band'?", id="about"),
    pytest.param("    option: health", "    option: helth",
                 "58:13: error[unknown-option]: 'helth' is not an option of 'wishes'; "
                 "did you mean 'health'?", id="goal option"),
    pytest.param("  programme-first: Your", "  programme-frst: Your",
                 "error[unknown-level]: 'programme-frst' is neither a rule nor a level; "
                 "did you mean 'programme-first'?", id="next step"),
    pytest.param("    outcomes: [refer]", "    outcomes: [refr]",
                 "63:16: error[unknown-level]: 'refr' is not a level; did you mean 'refer'?",
                 id="block outcomes"),
    pytest.param("people: 2, out_of: 9", "people: 12, out_of: 9",
                 "error[schema]: 12 people cannot be out of a group of 9", id="count"),
    pytest.param("    about: {question: bmi_band, in: [high, mid]}\n", "",
                 "error[schema]: the benefit figure 'weight-loss' needs 'about': which "
                 "patients it is about", id="benefit without patients"),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), CASES)
def test_check_refuses_a_sheet_that_does_not_resolve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, expected: str
) -> None:
    folder = tmp_path / "referral"
    shutil.copytree(FIXTURES / "referral", folder)
    sheet = folder / "sheet.yaml"
    text = sheet.read_text(encoding="utf-8")
    assert old in text
    sheet.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["check", str(folder)]) != 0
    out = capsys.readouterr()
    lines = (out.out + out.err).splitlines()
    assert any(line.startswith(str(sheet)) and line.endswith(expected) for line in lines), lines


def test_the_small_rule_set_for_another_treatment_checks_clean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(FIXTURES / "referral")]) == 0
