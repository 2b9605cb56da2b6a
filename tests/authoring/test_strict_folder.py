"""check as a new rule author meets it: a strict folder, case files read one case at a time,
mistakes found before the solver, and messages in the author's terms, each at its place."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from decision_aid.cli import main
from decision_aid.domain import RuleSetError, load_rule_set


def check(capsys: pytest.CaptureFixture[str], folder: Path) -> tuple[int, list[str]]:
    code = main(["check", str(folder)])
    out = capsys.readouterr().out
    return code, [line.removeprefix(f"{folder}/") for line in out.splitlines()]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


# -- a strict folder ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            "property.yaml",
            "property.yaml:1:1: error[unknown-file]: 'property.yaml' is not a file of a rule "
            "set; did you mean 'properties.yaml'?",
        ),
        (
            "sheet.yml",
            "sheet.yml:1:1: error[unknown-file]: 'sheet.yml': rule set files end in '.yaml', "
            "not '.yml'; rename it; did you mean 'sheet.yaml'?",
        ),
        (
            "rules/extra.yml",
            "rules/extra.yml:1:1: error[unknown-file]: 'extra.yml': rule set files end in "
            "'.yaml', not '.yml'; rename it; did you mean 'extra.yaml'?",
        ),
        (
            "tests/more.yml",
            "tests/more.yml:1:1: error[unknown-file]: 'more.yml': rule set files end in "
            "'.yaml', not '.yml'; rename it; did you mean 'more.yaml'?",
        ),
        (
            "rules/extra/more.yaml",
            "rules/extra:1:1: error[unknown-file]: 'extra/' is a folder inside rules/: rules in "
            "it are not read; move its files up into rules/",
        ),
        (
            "test/cases.yaml",
            "test:1:1: error[unknown-file]: 'test/' is not a folder of a rule set; did you "
            "mean 'tests'?",
        ),
    ],
)
def test_a_file_the_folder_does_not_have_is_an_error_with_a_hint(
    mini_copy: Path, entry: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = mini_copy / entry
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("rules: []\n")
    assert check(capsys, mini_copy) == (1, [expected])


def test_hidden_entries_are_left_alone(mini_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (mini_copy / ".git").mkdir()
    (mini_copy / "rules" / ".main.yaml.swp").write_text("")
    assert check(capsys, mini_copy)[0] == 0


# -- case files and answers files -----------------------------------------------------------

CASES = """\
base_answers: {diagnosis: a, tried: "yes", sex: male, risk: none, age: 40}
cases:
  - name: Bad in every way
    settings: {basis: ukk}
    answers: {diagnosis: zz, tried: maybe}
    expect: {outcome: stpo, fired: [r-uk-aa]}
  - name: Missing its outcome
    answers: {}
    expect: {fired: [r-go]}
  - name: Sound
    answers: {}
    expect: {outcome: go, fired: [r-go]}
"""


def test_check_reads_the_cases_and_places_every_error_of_each(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (mini_copy / "tests" / "cases.yaml").write_text(CASES)
    code, lines = check(capsys, mini_copy)
    assert code == 1
    assert lines == [
        "tests/cases.yaml:4:23: error[bad-case]: 'ukk' is not a choice of 'basis' "
        "(choices: us, uk); did you mean 'uk'?",
        "tests/cases.yaml:5:26: error[bad-answer]: 'diagnosis': 'zz' is not an option of this "
        "question (options: a, b, other)",
        "tests/cases.yaml:5:37: error[bad-answer]: 'tried': 'maybe' is not an option of this "
        "question (options: yes, no)",
        "tests/cases.yaml:6:23: error[bad-case]: 'stpo' is not a level (levels: go, careful, "
        "check, stop); did you mean 'stop'?",
        "tests/cases.yaml:6:37: error[bad-case]: 'r-uk-aa' is not a rule; did you mean 'r-uk-a'?",
        "tests/cases.yaml:9:13: error[missing-key]: missing required key 'outcome'",
    ]


def test_one_bad_case_leaves_the_others_running(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = mini_copy / "tests" / "cases.yaml"
    cases.write_text(CASES)
    assert main(["test", str(mini_copy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert f"{cases}:9:13: error[missing-key]: missing required key 'outcome'" in out
    assert f"{cases}:3: ERROR: Bad in every way" in out
    assert out[-1] == "PASS: 1/2  ERROR: 1"
    assert not any("no case files found" in line for line in out)


def test_an_example_answers_file_is_checked_too(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (mini_copy / "examples").mkdir()
    (mini_copy / "examples" / "a.yaml").write_text("diagnosis: a\nage: 300\ncolour: blue\n")
    assert check(capsys, mini_copy) == (
        1,
        [
            "examples/a.yaml:2:6: error[bad-answer]: 'age': 300 is out of range (0 to 120 years)",
            "examples/a.yaml:3:1: error[bad-answer]: 'colour' is not a question of this rule set",
        ],
    )


def test_a_failing_case_without_fired_names_the_deciding_rules(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(mini_copy / "tests" / "cases.yaml", "{outcome: go, fired: [r-go]}", "{outcome: stop}")
    assert main(["test", str(mini_copy)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert "  decided by:       r-go" in out
    assert "  rule r-go: true" in out  # and its trace


# -- before the solver ----------------------------------------------------------------------


def test_absolute_on_a_level_below_the_most_restrictive_is_refused(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        mini_copy / "rules" / "main.yaml",
        "    outcome: careful\n",
        "    outcome: careful\n    absolute: true\n",
    )
    assert check(capsys, mini_copy) == (
        1,
        [
            "rules/main.yaml:16:14: error[absolute-level]: 'absolute: true' needs the most "
            "restrictive level, 'stop' (listed last), but the outcome is 'careful'"
        ],
    )


def test_levels_listed_least_favourable_first_are_caught(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ruleset = mini_copy / "ruleset.yaml"
    text = ruleset.read_text()
    start, end = text.index("levels:\n") + len("levels:\n"), text.index("assess_first")
    levels = text[start:end].splitlines(keepends=True)
    ruleset.write_text(
        text[:start]
        + "".join(reversed(levels))
        + text[end:].replace("assess_first: check", "assess_first: stop")
    )
    code, lines = check(capsys, mini_copy)
    assert code == 1
    (order,) = [line for line in lines if "error[level-order]" in line]
    assert order.startswith("ruleset.yaml:16:15: error[level-order]: 'assess_first' is 'stop'")
    assert "levels are listed most favourable first" in order
    assert any("error[absolute-level]" in line and "reverse the list" in line for line in lines)


def test_a_rule_on_an_unverified_source_must_say_what_is_unverified(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(mini_copy / "references.yaml", "verification: verified", "verification: unverified")
    code, lines = check(capsys, mini_copy)
    assert code == 1
    assert lines
    assert all("error[unverified-source]: 'src' is marked" in line for line in lines)
    assert lines[0].startswith("rules/main.yaml:12:17:")


def test_the_bundled_set_passes_every_check_before_the_solver(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.conftest import BUNDLED

    assert check(capsys, BUNDLED)[0] == 0


# -- messages in the author's terms ---------------------------------------------------------


def test_a_tab_is_said_to_be_a_tab(mini_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini_copy / "rules" / "main.yaml", "    title: Condition B\n", "\ttitle: Condition B\n")
    (line,) = check(capsys, mini_copy)[1]
    assert line.startswith(
        "rules/main.yaml:14:1: error[yaml-syntax]: a tab is used for indentation at line 14; "
        "YAML indents with spaces only"
    )


def test_an_indentation_slip_is_said_as_such(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(mini_copy / "rules" / "main.yaml", "    title: Condition B\n", "   title: Condition B\n")
    (line,) = check(capsys, mini_copy)[1]
    assert "line 14 is not indented like the lines above it" in line


def test_is_on_a_number_question_advises_at_least_or_at_most(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        mini_copy / "rules" / "main.yaml",
        'when: {question: tried, is: "no"}',
        "when: {question: age, is: 40}",
    )
    (line,) = check(capsys, mini_copy)[1]
    assert line.endswith(
        "error[schema]: 'is' does not fit number question 'age'; write at_least: 40 or "
        "at_most: 40 (both, under all:, for a range)"
    )
    assert "quote" not in line


def test_a_misspelt_operator_gets_a_did_you_mean(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(
        mini_copy / "rules" / "main.yaml",
        "{question: diagnosis, is: other}",
        "{question: diagnosis, iss: other}",
    )
    (line,) = check(capsys, mini_copy)[1]
    assert "error[schema]: 'iss' is not a condition word; did you mean 'is'?" in line


def test_a_missing_key_is_the_one_problem_said(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The author wrote the reason under a misspelt key and left the real one empty.
    edit(
        mini_copy / "rules" / "main.yaml",
        "    rationale: Weak evidence for B.\n",
        "    rationale: ''\n",
    )
    edit(mini_copy / "rules" / "main.yaml", "    title: Condition B\n", "")
    lines = check(capsys, mini_copy)[1]
    assert lines == ["rules/main.yaml:13:5: error[missing-key]: missing required key 'title'"]


# -- one source map -------------------------------------------------------------------------


def test_coverage_places_each_rule_at_its_own_line(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["coverage", str(mini_copy), "--format", "json"]) == 0
    rules = json.loads(capsys.readouterr().out)["rules"]
    rule_set = load_rule_set(mini_copy)
    for rule in rules:
        place = rule_set.sources.rule(rule["rule_id"], ("id",))
        assert (rule["file"], rule["line"]) == (place.file, place.line)
    assert len({r["line"] for r in rules}) == len(rules), "no two rules share a line"


def test_a_loaded_rule_set_knows_where_each_part_was_written(mini_copy: Path) -> None:
    rule_set = load_rule_set(mini_copy)
    assert str(rule_set.sources.rule("r-careful", ("outcome",))) == (
        f"{mini_copy}/rules/main.yaml:16:14"
    )
    assert str(rule_set.sources.question("age")).startswith(f"{mini_copy}/questionnaire.yaml:")
    (mini_copy / "rules" / "main.yaml").rename(mini_copy / "rules" / "main.yml")
    with pytest.raises(RuleSetError) as caught:  # no longer read, nor counted
        load_rule_set(mini_copy)
    assert {p.code for p in caught.value.problems} == {"unknown-file", "missing-file"}


def test_a_misspelt_rule_id_on_the_command_line_gets_a_did_you_mean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.conftest import MINI

    assert main(["mutate", str(MINI), "--rule", "r-gp", "--no-verify"]) == 2
    assert "error: no such rule: r-gp; did you mean 'r-go'?" in capsys.readouterr().err
