"""The bundled rule set: loads clean, passes its cases, covers every rule, stays honest."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from decision_aid.authoring.cases import Verdict, case_files, run_case_files
from decision_aid.cli import main
from decision_aid.domain import RuleSet, load_rule_set
from decision_aid.domain.rules import Status, Verification
from tests.conftest import BUNDLED

OUTLINE_RULES = {
    "ind-crps", "ind-crps-uk", "ind-sci", "ind-weak", "ind-primary-uk", "ind-unknown",
    "prior-tx", "ci-cvd", "ci-cvd-risk", "ci-preg", "ci-preg-unknown", "ci-psychosis",
    "ci-psych-hx", "ci-liver-severe", "ci-liver-mod", "ci-icp-iop", "ci-sud-active",
    "ci-sud-hx", "ci-bladder", "ci-hypersens", "age-minor", "prac-escort", "route-oral",
    "dm-sure", "any-unknown-safety",
}  # fmt: skip
UNREACHABLE = {("nice_ng193", "discuss_with_caution"): "nice-specialist-centre-first"}
"""(basis, level) no answer set reaches, each with the declared property that proves it."""
LEVELS = ["suitable_to_discuss", "discuss_with_caution", "refer_first", "not_suitable_now"]


@pytest.fixture(scope="module")
def rule_set() -> RuleSet:
    return load_rule_set(BUNDLED)


@pytest.fixture(scope="module")
def results(rule_set: RuleSet):  # type: ignore[no-untyped-def]
    found, problems = run_case_files(rule_set, case_files(BUNDLED))
    assert problems == []
    return found


def test_identity_and_governance(rule_set: RuleSet) -> None:
    info = rule_set.info
    assert info.id == "ketamine-chronic-pain"
    assert info.status is Status.DRAFT, "stays draft until a clinician approves it"
    assert info.reviewers == ()
    assert info.date < info.review_by <= date(info.date.year + 1, info.date.month, info.date.day)
    assert [level.id for level in info.levels] == LEVELS
    assert info.assess_first == "refer_first"
    basis = rule_set.setting("guideline_basis")
    assert basis is not None
    assert basis.default == "asra_2018"
    assert [c.id for c in basis.choices] == ["asra_2018", "nice_ng193"]


def test_every_outline_row_is_a_rule(rule_set: RuleSet) -> None:
    assert set(rule_set.rules_by_id) >= OUTLINE_RULES


def test_every_safety_question_offers_not_known(rule_set: RuleSet) -> None:
    safety = [q for q in rule_set.questionnaire.questions() if q.safety]
    assert len(safety) >= 9
    assert all(q.not_known for q in safety)


def test_all_cases_pass(results) -> None:  # type: ignore[no-untyped-def]
    failing = [
        f"{r.file}:{r.line}: {r.verdict}: {r.name}"
        for r in results
        if r.verdict is not Verdict.PASS
    ]
    assert failing == []
    assert len(results) >= len(OUTLINE_RULES)


def test_every_rule_fires_in_some_case_and_is_silent_in_another(rule_set: RuleSet, results) -> None:  # type: ignore[no-untyped-def]
    fired = [set(r.assessment.fired_ids) for r in results]
    never = [rule.id for rule in rule_set.rules if not any(rule.id in f for f in fired)]
    always = [rule.id for rule in rule_set.rules if all(rule.id in f for f in fired)]
    assert never == []
    assert always == []


def test_every_reachable_level_has_a_case_under_every_basis(rule_set: RuleSet, results) -> None:  # type: ignore[no-untyped-def]
    seen = {
        (dict(r.assessment.settings)["guideline_basis"], r.assessment.outcome.id) for r in results
    }
    for basis in ("asra_2018", "nice_ng193"):
        reachable = {
            rule.outcome
            for rule in rule_set.rules
            if rule.outcome and basis in rule.only_for.get("guideline_basis", (basis,))
        }
        reachable -= {level for (b, level) in UNREACHABLE if b == basis}
        missing = sorted(level for level in reachable if (basis, level) not in seen)
        assert missing == [], f"no case reaches {missing} under {basis}"
    declared = {p.id for p in rule_set.properties}
    assert set(UNREACHABLE.values()) <= declared, "each unreachable level is proved so"


def test_rules_resting_on_unverified_sources_say_so(rule_set: RuleSet) -> None:
    unverified_refs = {
        r.id for r in rule_set.references if r.verification is Verification.UNVERIFIED
    }
    silent = [
        rule.id
        for rule in rule_set.rules
        if any(c.ref in unverified_refs for c in rule.citations) and not rule.unverified
    ]
    assert silent == []


def test_harms_are_stated_plainly_and_no_text_denies_addiction_risk(rule_set: RuleSet) -> None:
    texts = [
        text
        for rule in rule_set.rules
        for text in (rule.patient_reason, rule.rationale, *rule.cautions, *rule.actions)
    ]
    everything = " ".join(texts).lower()
    for denial in (
        "no addiction risk",
        "not addictive",
        "no risk of addiction",
        "cannot be misused",
    ):
        assert denial not in everything
    cautions = " ".join(c for rule in rule_set.rules for c in rule.cautions).lower()
    for harm in ("misused", "dependence", "blood pressure", "liver", "bladder", "driving"):
        assert harm in cautions, harm


def test_absolute_contraindications_give_not_suitable_now(rule_set: RuleSet) -> None:
    absolute = [rule for rule in rule_set.rules if rule.absolute]
    assert {r.id for r in absolute} >= {"ci-cvd", "ci-preg", "ci-psychosis", "ci-liver-severe"}
    assert all(rule.outcome == "not_suitable_now" for rule in absolute)


def test_every_reference_has_a_traceable_citation(rule_set: RuleSet) -> None:
    for reference in rule_set.references:
        assert (
            reference.doi
            or reference.pmid
            or reference.url
            or reference.verification is not Verification.VERIFIED
        ), reference.id
        if reference.doi:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", reference.doi), reference.doi


def test_check_and_test_commands_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(BUNDLED)]) == 0
    assert main(["test", str(BUNDLED)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^PASS: (\d+)/\1$", out, re.MULTILINE)


def test_the_bundled_example_evaluates(capsys: pytest.CaptureFixture[str]) -> None:
    example = BUNDLED / "examples" / "crps-asra.yaml"
    assert main(["evaluate", str(example)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Outcome: \u25c6 More checks needed first (refer_first)")
    assert "Pregnancy [pregnancy] (not known)" in out


# The list of broken rule files, applied to the bundled set through the CLI.
BROKEN = [
    ("rules/safety.yaml", "    when: {question: cardiovascular, is: poorly_controlled}",
     "    when: {question: cardiovascular, is: [poorly_controlled}", "yaml-syntax"),
    ("rules/safety.yaml", "    outcome: not_suitable_now\n", "    outcom: not_suitable_now\n",
     "unknown-key"),
    ("rules/safety.yaml", "    absolute: true\n", "    absolute: [true]\n", "schema"),
    ("rules/safety.yaml", "{question: cardiovascular, is: poorly_controlled}",
     "{question: cardiovascualr, is: poorly_controlled}", "unknown-question"),
    ("rules/safety.yaml", "  - id: ci-cvd-risk\n", "  - id: ci-cvd\n", "duplicate-id"),
    ("rules/safety.yaml", "      - {ref: cohen2018, grade: \"B, low\"}\n",
     "      - {ref: cohen2019, grade: \"B, low\"}\n", "unknown-reference"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new", "code"), BROKEN, ids=[b[3] for b in BROKEN])
def test_a_broken_bundled_file_gives_a_placed_error_and_no_outcome(
    bundled_copy: Path, file: str, old: str, new: str, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = bundled_copy / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    example = BUNDLED / "examples" / "crps-asra.yaml"
    assert main(["evaluate", str(example), "--rules", str(bundled_copy)]) == 1
    out = capsys.readouterr().out
    assert "Outcome" not in out
    assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: error\[{code}\]: ", out), out
    assert main(["check", str(bundled_copy)]) == 1


def test_the_clean_example_is_worth_discussing_under_asra_only(rule_set: RuleSet) -> None:
    from decision_aid.domain import evaluate, parse_answers
    from decision_aid.domain.yamlsource import read_yaml

    raw = read_yaml(BUNDLED / "examples" / "crps-no-concerns.yaml")[0].data
    answers = parse_answers(rule_set.questionnaire, raw)
    asra = evaluate(rule_set, answers)
    assert (asra.outcome.id, asra.fired_ids) == ("suitable_to_discuss", ("ind-crps",))
    assert asra.missing == ()
    nice = evaluate(rule_set, answers, {"guideline_basis": "nice_ng193"})
    assert (nice.outcome.id, nice.fired_ids) == ("refer_first", ("ind-crps-uk",))


# Advice that does not presume a treatment: checks and referrals that stand whatever the
# outcome, each reviewed (issue 13). Every other rule's advice is limited by advice_when.
OUTCOME_NEUTRAL_ADVICE = {
    "ind-primary-uk": "the alternatives NICE offers instead of ketamine",
    "ind-unknown": "establishing the diagnosis",
    "prior-tx": "first-line treatments, whatever follows",
    "prior-no-response": "reviewing a past course",
    "ci-cvd": "optimising cardiovascular control",
    "ci-psychosis": "psychiatric care",
    "ci-psych-hx": "a psychiatric opinion before any decision",
    "ci-icp-iop": "specialist review of the raised pressure",
    "ci-sud-active": "referral to substance use services",
    "ci-bladder": "assessing urinary symptoms",
    "age-minor": "referral to a paediatric service",
    "any-unknown-safety": "finding the missing safety answers",
    "dm-sure": "decision support",
}


def test_advice_that_presumes_a_treatment_is_limited_to_outcomes_that_allow_it(
    rule_set: RuleSet,
) -> None:
    ranks = rule_set.level_rank
    refused = rule_set.info.levels[-1].id
    for rule in rule_set.rules:
        if not (rule.cautions or rule.actions) or rule.id in OUTCOME_NEUTRAL_ADVICE:
            continue
        assert rule.advice_when is not None, f"{rule.id}: advice with no advice_when"
        assert not rule.advice_when.allows(ranks, ranks[refused]), rule.id


def test_no_case_with_treatment_ruled_out_gets_treatment_advice(results) -> None:  # type: ignore[no-untyped-def]
    refused = LEVELS[-1]
    presuming = {
        text
        for rule in load_rule_set(BUNDLED).rules
        if rule.id not in OUTCOME_NEUTRAL_ADVICE
        for text in (*rule.cautions, *rule.actions)
    }
    checked = 0
    for result in results:
        assessment = result.assessment
        if assessment is None or assessment.outcome.id != refused:
            continue
        checked += 1
        given = {*assessment.cautions, *assessment.actions}
        given |= {t for c in assessment.conditional for t in (*c.cautions, *c.actions)}
        neutral = {
            t
            for f in assessment.fired
            if f.rule_id in OUTCOME_NEUTRAL_ADVICE
            for t in (*f.cautions, *f.actions)
        }
        assert not (given & presuming) - neutral, (result.name, given & presuming)
    assert checked >= 10


def test_a_nice_refusal_is_worded_as_guidance_not_safety(rule_set: RuleSet) -> None:
    for rule_id in ("ind-primary-uk", "ind-crps-uk"):
        words = rule_set.rules_by_id[rule_id].outcome_description
        assert words is not None
        assert "UK guides" in words
        assert "not about your safety" in words


def test_the_review_table_lists_every_rule_with_its_outcome_per_basis(rule_set: RuleSet) -> None:
    table = (BUNDLED.parent.parent / "docs" / "rule-set" / "review.md").read_text("utf-8")
    rows = {
        line.split("|")[1].strip(" `"): [cell.strip() for cell in line.split("|")[2:4]]
        for line in table.splitlines()
        if line.startswith("| `")
    }
    assert set(rows) == {rule.id for rule in rule_set.rules}
    labels = {level.id: level.label for level in rule_set.info.levels}
    for rule in rule_set.rules:
        bases = rule.only_for.get("guideline_basis", ("asra_2018", "nice_ng193"))
        expected = [
            (labels[rule.outcome] if rule.outcome else "note") if basis in bases else "—"
            for basis in ("asra_2018", "nice_ng193")
        ]
        assert rows[rule.id] == expected, rule.id
    hazards = (BUNDLED.parent.parent / "docs" / "safety" / "hazards.yaml").read_text("utf-8")
    haz06 = hazards.split("  - id: HAZ-06", 1)[1].split("  - id: HAZ-07", 1)[0]
    assert "docs/rule-set/review.md" in haz06
