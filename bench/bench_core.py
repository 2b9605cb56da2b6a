"""Benchmarks of the headless core, as ratios against baselines measured in the same run.

    .venv/bin/python -m bench.bench_core

Machines here are shared and noisy, so absolute times are printed for the record only;
the ratios are what to compare between runs. Baselines:

* evaluate: the bundled rules written out by hand as plain two-valued if/else (only
  meaningful for fully answered consultations; it ignores unknowns and branching). The
  figure is a whole Assessment with every rule's trace entry built, the fired rules'
  reasons, cautions, actions and citations; only the node-level words of the trace
  stay unbuilt (they are worked out on first use);
* the missing-information analysis has an absolute target (one 60 Hz frame) and is
  timed on all, half and none of the answers given; the worst is the figure;
* load: LibYAML's ``CSafeLoader`` reading the same files, with no checks at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import yaml

from bench.table import Row, format_table
from bench.timing import interleaved, median_wall, ms, us
from decision_aid.domain import (
    Answers,
    RuleSet,
    evaluate,
    load_rule_set,
    outcome_of,
    parse_answers,
)
from decision_aid.domain.loading import rule_set_files
from decision_aid.domain.yamlsource import read_yaml
from decision_aid.paths import bundled_rules_dir

RULES_DIR = bundled_rules_dir()
LEVELS = ("suitable_to_discuss", "discuss_with_caution", "refer_first", "not_suitable_now")
CLEAN_FILE = RULES_DIR / "examples" / "crps-no-concerns.yaml"
WEAK = {"neuropathic_other", "phantom_limb", "phn", "fibromyalgia", "cancer", "ischaemic"}
WEAK |= {"headache", "low_back"}


def hand_written(a: Mapping[str, object]) -> str:
    """The bundled rules as plain if/else, for a fully answered consultation, ASRA basis."""
    fired: list[int] = []
    diagnosis = a["diagnosis"]
    if diagnosis == "crps" and a["crps_budapest"] == "yes":
        fired.append(0)
    if diagnosis == "sci" or diagnosis in WEAK:
        fired.append(1)
    if diagnosis in ("other", "primary_other", "not_established"):
        fired.append(2)
    if diagnosis == "crps" and a["crps_budapest"] == "no":
        fired.append(2)
    if "no" in (a["rehab_tried"], a["psych_tried"], a.get("neuropathic_meds_tried")):
        fired.append(2)
    if a["ketamine_form"] in ("oral", "intranasal") and a["prior_ketamine"] != "infusion_helped":
        fired.append(1)
    if a["prior_ketamine"] == "infusion_no_help":
        fired.append(2)
    if "no" in (a["escort_home"], a["no_driving"], a["specialist_access"]):
        fired.append(1)
    if a["treatment_days"] == "one_day":
        fired.append(1)
    risks = {
        "cardiovascular": {"poorly_controlled": 3, "high_risk": 1, "controlled": 1},
        "pregnancy": {"pregnant": 3, "possible": 2},
        "psychosis": {"active": 3, "past_stable": 2},
        "liver": {"severe": 3, "moderate": 1, "at_risk": 1},
        "substance_use": {"active": 3, "remission": 1},
    }
    for question, levels in risks.items():
        level = levels.get(str(a[question]))
        if level is not None:
            fired.append(level)
    if a["high_dose_planned"] == "yes":
        fired.append(1)
    if a["raised_pressure"] == "yes" or a["ketamine_reaction"] == "yes":
        fired.append(3)
    if a["bladder_symptoms"] == "yes":
        fired.append(2)
    if float(str(a["age"])) <= 17:
        fired.append(2)
    return LEVELS[max(fired) if fired else 2]


def load_baseline() -> None:
    for path in rule_set_files(RULES_DIR):
        yaml.load(path.read_text(), Loader=yaml.CSafeLoader)


def full_assessment(rule_set: RuleSet, answers: Answers, settings: dict[str, str]) -> object:
    """evaluate, then read what the window and the sheet show, so that nothing lazy is
    left out but the node-level words and the missing-information analysis."""
    assessment = evaluate(rule_set, answers, settings)
    return (
        assessment.trace,
        [f.patient_reason for f in assessment.fired],
        assessment.cautions,
        assessment.actions,
        assessment.citations,
    )


def with_missing(rule_set: RuleSet, answers: Answers, settings: dict[str, str]) -> object:
    return evaluate(rule_set, answers, settings).missing


def run(quick: bool = False) -> list[Row]:
    rounds = 3 if quick else 9
    rule_set = load_rule_set(RULES_DIR)
    settings = rule_set.default_settings()
    clean = dict(parse_answers(rule_set.questionnaire, read_yaml(CLEAN_FILE)[0].data))
    answers = {
        "all answered": Answers(clean),
        "half answered": Answers(dict(list(clean.items())[::2])),
        "none answered": Answers(),
    }
    full = answers["all answered"]
    assert hand_written(clean) == outcome_of(rule_set, full, settings)
    base, assessed, outcome = interleaved(
        [
            lambda: hand_written(clean),
            lambda: full_assessment(rule_set, full, settings),
            lambda: outcome_of(rule_set, full, settings),
        ],
        rounds,
    )
    missing = {
        name: median_wall(partial(with_missing, rule_set, given, settings), rounds * 5)
        for name, given in answers.items()
    }
    worst = max(missing, key=lambda name: missing[name])
    load_base, load = interleaved([load_baseline, lambda: load_rule_set(RULES_DIR)], rounds)
    return [
        Row(
            f"evaluate → full Assessment (trace included), bundled set ({len(rule_set.rules)} "
            "rules, all answered)",
            "the same rules hand-written as Python if/else",
            f"{us(assessed)} vs {us(base)} (outcome only: {us(outcome)} = {outcome / base:.1f}×)",
            assessed / base,
            "≤ 4×",
            assessed <= 4 * base,
        ),
        Row(
            "Assessment with the missing-information analysis",
            "—",
            f"{ms(missing[worst])} median ({worst}; "
            + ", ".join(f"{name} {ms(t)}" for name, t in missing.items() if name != worst)
            + ")",
            None,
            "< 16 ms median",
            missing[worst] < 0.016,
        ),
        Row(
            "load + validate the bundled rule set, in process",
            "PyYAML CSafeLoader parse of the same files",
            f"{ms(load)} vs {ms(load_base)}",
            load / load_base,
            "≤ 2×",
            load <= 2 * load_base,
        ),
    ]


if __name__ == "__main__":
    print(format_table(run()))
