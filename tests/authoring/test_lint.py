"""Lint: warnings a rule author should act on, each at its place."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from decision_aid.authoring.lint import lint
from decision_aid.cli import main
from decision_aid.domain import RuleSetError, load_rule_set
from tests.conftest import BUNDLED


def test_the_bundled_rule_set_has_no_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(BUNDLED), "--strict"]) == 0
    assert capsys.readouterr().out == "0 warning(s)\n"


def test_each_kind_of_warning_is_placed(mini_copy: Path) -> None:
    references = mini_copy / "references.yaml"
    references.write_text(
        references.read_text()
        + "  - id: spare\n    short: Spare 2021\n    citation: A spare source.\n"
        "    verification: verified\n"
    )
    questionnaire = mini_copy / "questionnaire.yaml"
    questionnaire.write_text(
        questionnaire.read_text().replace(
            "      - id: goals\n",
            "      - id: mood\n        label: Mood\n        text: Mood?\n"
            "        type: yes_no\n      - id: goals\n",
        )
    )
    rules = mini_copy / "rules" / "main.yaml"
    rules.write_text(
        rules.read_text().replace(
            "B responds less.",
            "Unfortunately, the anticipated therapeutic effectiveness is considerably uncertain.",
        )
    )
    warnings = [
        p.format().removeprefix(f"{mini_copy}/")
        for p in lint(load_rule_set(mini_copy), today=date(2027, 2, 1), solver=False)
    ]
    assert warnings == [
        "questionnaire.yaml:56:13: warning[unread-question]: question 'mood' is read by no rule, "
        "show_when or sheet",
        "references.yaml:6:9: warning[unused-reference]: reference 'spare' is cited by no rule "
        "and no sheet text",
        "rules/main.yaml:17:21: warning[hard-sentence]: hard to read (6 long words, 8 words): "
        "'Unfortunately, the anticipated therapeutic effectiveness is considerably uncertain.'",
        "ruleset.yaml:1:1: warning[smog-over-8]: patient-facing text reads at SMOG grade 8.3 (at "
        "most 8); hardest: 'Unfortunately, the anticipated therapeutic effectiveness is "
        "considerably uncertain.'; 'Condition A can respond.'; 'Unknown evidence.'",
        "ruleset.yaml:8:12: warning[review-overdue]: the review-by date 2027-01-01 has passed",
    ]


def test_strict_lint_fails_on_warnings(mini_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    info = mini_copy / "ruleset.yaml"
    info.write_text(info.read_text().replace("review_by: 2027-01-01", "review_by: 2020-01-01"))
    assert main(["lint", str(mini_copy)]) == 0
    assert main(["lint", str(mini_copy), "--strict"]) == 1
    assert "warning[review-overdue]" in capsys.readouterr().out


NEVER_FIRES = """\
  - id: r-never
    title: Both A and B
    when:
      all:
        - {question: diagnosis, is: a}
        - {question: diagnosis, is: b}
    outcome: stop
    patient_reason: Cannot happen.
    rationale: A contradiction.
    citations: [src]
"""


def solver_warnings(rules_dir: Path) -> list[str]:
    return [
        p.format().removeprefix(f"{rules_dir}/")
        for p in lint(load_rule_set(rules_dir), today=date(2026, 1, 1))
        if p.code in {"never-fires", "never-decides", "gap"}
    ]


def test_the_solver_finds_dead_rules_redundant_rules_and_gaps(mini_copy: Path) -> None:
    rules = mini_copy / "rules" / "main.yaml"
    text = rules.read_text()
    start, end = text.index("  - id: r-other\n"), text.index("  - id: r-untried\n")
    rules.write_text(text[:start] + NEVER_FIRES + text[end:])
    warnings = solver_warnings(mini_copy)
    assert [w.split(": warning")[1].split(":")[0] for w in warnings] == [
        "[never-fires]",
        "[never-decides]",
        "[gap]",
        "[gap]",
        "[gap]",
        "[gap]",
    ]
    never_fires, never_decides, *gaps = warnings
    for gap in gaps:
        assert gap.startswith("ruleset.yaml:17:18: warning[gap]: a fully answered consultation")
        assert '"diagnosis": "other"' in gap  # the example shows the uncovered answer
    assert sum("(basis = us)" in g for g in gaps) == sum("(basis = uk)" in g for g in gaps) == 2
    # Every gap is listed, each as the answers that make it one: a woman not pregnant and
    # a man are two gaps, and any age over 17 is one.
    regions = [g.split("whenever ", 1)[1].split(";")[0] for g in gaps]
    assert sorted(regions) == 2 * [
        'diagnosis = "other" and tried = "yes" and pregnant = "no" and risk = "none" and age > 17'
    ] + 2 * [
        'diagnosis = "other" and tried = "yes" and sex = "male" and risk = "none" and age > 17'
    ]
    assert never_fires.startswith("rules/main.yaml:")
    assert "rule 'r-never': no answer set makes this rule certainly true" in never_fires
    assert "rule 'r-unknown': this rule never changes the outcome" in never_decides


def test_a_rule_can_accept_a_warning_with_a_reason(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = mini_copy / "rules" / "main.yaml"
    accepted = "    lint_ignore: {never-decides: a second guard}\n"
    rules.write_text(
        rules.read_text().replace(
            "    rationale: Unknown is not no.\n", "    rationale: Unknown is not no.\n" + accepted
        )
    )
    assert solver_warnings(mini_copy) == []
    rules.write_text(rules.read_text().replace("never-decides: a", "never-decide: a"))
    load_rule_set(mini_copy)  # the domain reads the reason; which codes lint knows is lint's
    refused = (
        f"{rules}:79:19: error[unknown-warning]: 'never-decide' is not a warning a rule can "
        "accept (only hard-sentence, never-decides, never-fires); did you mean 'never-decides'?\n"
    )
    assert main(["check", str(mini_copy)]) == 1
    assert capsys.readouterr().out == refused
    assert main(["lint", str(mini_copy), "--no-solver"]) == 1
    assert capsys.readouterr().out == refused
    rules.write_text(rules.read_text().replace("never-decide: a second guard", 'never-decides: ""'))
    with pytest.raises(
        RuleSetError, match=r"main.yaml:79:34: error.schema.: 'never-decides' must not be empty"
    ):
        load_rule_set(mini_copy)


def test_every_gap_is_listed_the_most_general_first(mini_copy: Path) -> None:
    rules = mini_copy / "rules" / "main.yaml"
    text = rules.read_text()
    start, end = text.index("  - id: r-other\n"), text.index("  - id: r-preg\n")
    rules.write_text(text[:start] + text[end:])  # no rule for "other", none for "not tried"
    gaps = [g for g in solver_warnings(mini_copy) if "[gap]" in g and "(basis = us)" in g]
    regions = [g.split("whenever ", 1)[1].split(";")[0].split(" and ") for g in gaps]
    sizes = [len(r) for r in regions]
    assert sizes == sorted(sizes)
    assert sizes[0] < sizes[-1], "a gap that needs fewer answers comes first"
    assert 'diagnosis = "other"' in regions[0]
    assert any('tried = "no"' in r for r in regions), "the next gap is listed too"
