"""Every command of decision-aid, as one family: each has its help, and the options they
share (--rules, --format, --setting, --basis) behave the same on each."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid.cli import COMMANDS, main
from tests.conftest import BUNDLED, MINI

ROOT = Path(__file__).parent.parent
NAMES = [command.NAME for command in COMMANDS]
ACTIONS = {"keys": ["new", "list", "export", "trust"], "audit": ["verify", "show"]}
# Words of the bundled rule set that no help text may use: the tool serves any treatment.
BUNDLED_WORDS = ("ketamine", "crps", "chronic pain", "nice_ng193", "asra")


def help_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as caught:
        main([*argv, "--help"])
    assert caught.value.code == 0
    return capsys.readouterr().out


def shared(capsys: pytest.CaptureFixture[str], option: str) -> list[str]:
    """The commands whose help offers ``option``."""
    return [name for name in NAMES if option in help_text(capsys, name).split()]


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text("diagnosis: a\n")
    return path


def required(name: str, answers: Path, tmp_path: Path) -> list[str]:
    """What a command needs besides the options under test."""
    return {
        "evaluate": [str(answers)],
        "sheet": [str(answers), "-o", str(tmp_path / "sheet.pdf")],
        "approve": ["--reviewer", "A", "--role", "B", "--key", "k"],
        "new": [str(tmp_path / "new")],
        "diff": [str(MINI), str(MINI)],
    }.get(name, [])


def test_every_command_and_action_has_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    listed = help_text(capsys)
    for command in COMMANDS:
        assert f"    {command.NAME} " in listed
        text = help_text(capsys, command.NAME)
        assert text.startswith(f"usage: decision-aid {command.NAME}")
        assert " ".join(command.HELP.split()) in " ".join(text.split())
        for action in ACTIONS.get(command.NAME, []):
            assert help_text(capsys, command.NAME, action).startswith(
                f"usage: decision-aid {command.NAME} {action}"
            )


def test_no_help_names_the_bundled_treatment(capsys: pytest.CaptureFixture[str]) -> None:
    texts = [help_text(capsys), *(help_text(capsys, name) for name in NAMES)]
    for text in texts:
        assert not [word for word in BUNDLED_WORDS if word in text.lower()]


def test_every_command_that_reads_a_rule_set_takes_rules_before_or_after_it(
    capsys: pytest.CaptureFixture[str], answers: Path, tmp_path: Path
) -> None:
    readers = shared(capsys, "--rules")
    assert {"check", "test", "questions", "evaluate", "sheet", "coverage", "lint", "docs"} <= set(
        readers
    )
    assert {"verify", "mutate", "approve"} <= set(readers)
    missing = str(tmp_path / "nowhere")
    for name in readers:
        for argv in (
            [name, *required(name, answers, tmp_path), "--rules", missing],
            ["--rules", missing, name, *required(name, answers, tmp_path)],
        ):
            assert main(argv) == 1, argv
            out = capsys.readouterr().out
            assert f"{missing}:1:1: error[missing-rule-set]" in out, argv


def test_json_says_a_broken_rule_set_the_same_way_on_every_command(
    capsys: pytest.CaptureFixture[str], answers: Path, tmp_path: Path
) -> None:
    both = [n for n in shared(capsys, "--format") if n in shared(capsys, "--rules")]
    assert len(both) >= 10
    missing = str(tmp_path / "nowhere")
    for name in both:
        argv = [name, *required(name, answers, tmp_path), "--rules", missing, "--format", "json"]
        assert main(argv) == 1, name
        problems = json.loads(capsys.readouterr().out)["problems"]
        assert [p["code"] for p in problems] == ["missing-rule-set"], name


def test_an_unknown_setting_or_choice_is_refused_with_did_you_mean_everywhere(
    capsys: pytest.CaptureFixture[str], answers: Path, tmp_path: Path
) -> None:
    takers = shared(capsys, "--setting")
    assert {"evaluate", "sheet", "test", "verify", "coverage", "lint"} <= set(takers)
    for name in takers:
        before = required(name, answers, tmp_path)
        for setting, said in (
            ("basis=ukk", "'ukk' is not a choice of 'basis' (choices: us, uk); did you mean 'uk'?"),
            ("bases=uk", "'bases' is not a setting of this rule set (settings: basis); "
             "did you mean 'basis'?"),
        ):  # fmt: skip
            assert main([name, *before, "--rules", str(MINI), "--setting", setting]) == 2, name
            assert said in capsys.readouterr().err, name
        assert main([name, *before, "--rules", str(MINI), "--basis", "uk"]) == 2, name
        assert "no 'guideline_basis' setting" in capsys.readouterr().err
        assert not (tmp_path / "sheet.pdf").exists()


CHOICES = {"basis": ["us", "uk"]}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["basis", "bases", "Basis", "", "basis "]) | st.text(max_size=12),
    value=st.sampled_from(["us", "uk", "ukk", ""]) | st.text(max_size=12),
    equals=st.booleans(),
)
def test_any_setting_text_is_used_or_refused_with_exit_2_never_a_crash(
    capsys: pytest.CaptureFixture[str], answers: Path, name: str, value: str, equals: bool
) -> None:
    text = f"{name}={value}" if equals else name + value
    try:
        code = main(["evaluate", str(answers), "--rules", str(MINI), f"--setting={text}"])
    except SystemExit as refused:  # the command line itself: not ID=VALUE
        code = int(str(refused.code))
    out, err = capsys.readouterr()
    known = equals and value.strip() in CHOICES.get(name.strip(), [])
    assert code == (0 if known else 2), (text, err)
    assert "Traceback" not in out + err
    if not known:
        assert out == ""
        assert "error: " in err


def test_a_setting_given_twice_two_ways_is_refused(
    capsys: pytest.CaptureFixture[str], answers: Path
) -> None:
    argv = ["evaluate", str(answers), "--rules", str(BUNDLED), "--basis", "nice_ng193"]
    assert main([*argv, "--setting", "guideline_basis=asra_2018"]) == 2
    assert "'guideline_basis' is given twice" in capsys.readouterr().err


def test_a_setting_chooses_what_evaluate_and_test_work_under(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text('diagnosis: a\ntried: "yes"\nsex: male\nrisk: none\nage: 40\n')
    for setting, outcome in (("basis=us", "go"), ("basis=uk", "stop")):
        argv = ["evaluate", str(answers), "--rules", str(MINI), "--setting", setting]
        assert main([*argv, "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["outcome"] == outcome
    assert main(["test", "--rules", str(MINI), "--setting", "basis=uk", "-v"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": ", 2)[-1] for line in out if ": PASS: " in line] == ["UK basis"]
    assert out[-2:] == ["PASS: 1/1", "1 case(s) under other settings left out"]


def test_verify_under_a_setting_proves_only_under_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", "--rules", str(MINI), "--setting", "basis=uk", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    assert findings
    assert {f["settings"]["basis"] for f in findings} == {"uk"}


def test_coverage_and_lint_under_a_setting_count_only_what_is_in_force_under_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    rules = ["--rules", str(MINI), "--format", "json"]
    assert main(["coverage", *rules]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 11
    assert main(["coverage", *rules, "--setting", "basis=uk"]) == 0
    under_uk = json.loads(capsys.readouterr().out)
    assert under_uk["total"] == 10  # r-go is only for basis us
    assert "r-go" not in {r["rule_id"] for r in under_uk["rules"]}

    def never_decides(*more: str) -> set[str]:
        assert main(["lint", *rules, *more]) == 0
        found = json.loads(capsys.readouterr().out)["problems"]
        return {p["message"].split("'")[1] for p in found if p["code"] == "never-decides"}

    # Under the UK basis, poorly and well controlled risk never outrank the UK rule for A.
    assert never_decides("--setting", "basis=uk") - never_decides() == {"r-risk-ok"}


def test_a_rule_set_folder_given_alone_still_works_with_a_note(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", str(MINI)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("approval: DRAFT")
    assert err == f"note: a rule set's folder given alone is deprecated; write --rules {MINI}\n"
    with pytest.raises(SystemExit) as caught:
        main(["check", str(MINI), "--rules", str(MINI)])
    assert caught.value.code == 2
    assert "the rule set is given twice" in capsys.readouterr().err


def test_approve_names_its_rule_set(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["approve", "--reviewer", "A", "--role", "B", "--key", "k"])
    assert caught.value.code == 2
    assert "approve needs the rule set: --rules DIR" in capsys.readouterr().err


@pytest.mark.parametrize("module", ["decision_aid", "decision_aid.cli"])
def test_the_command_runs_as_a_module(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, "check", "--rules", str(MINI)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert (done.returncode, done.stdout) == (0, "approval: DRAFT: this rule set has not been "
                                              "approved by a clinician\n")  # fmt: skip


def test_the_parser_loads_no_domain_so_the_window_starts_sooner() -> None:
    code = (
        "import sys, decision_aid.cli as cli; cli.parser(); "
        "print(sorted(m for m in sys.modules if m.startswith(('pydantic', 'yaml', "
        "'decision_aid.domain', 'decision_aid.authoring', 'decision_aid.governance'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
        check=True,
    )  # fmt: skip
    assert done.stdout == "[]\n"


def test_every_command_has_its_line_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert f"| `decision-aid {name} " in readme, name


def test_mutate_under_a_setting_mutates_only_the_rules_in_force_under_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def mutated(*more: str) -> set[str]:
        argv = ["mutate", "--rules", str(MINI), "--no-verify", "-v", *more]
        main(argv)
        lines = capsys.readouterr().err.splitlines()
        return {line.split()[1].rstrip(":") for line in lines if line[:4].strip().isdigit()}

    everywhere, under_uk = mutated(), mutated("--setting", "basis=uk")
    assert "r-go" in everywhere  # r-go is only for basis us
    assert under_uk == everywhere - {"r-go"}
