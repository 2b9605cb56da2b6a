"""Benchmarks of the headless core, as ratios against baselines measured in the same run.

    .venv/bin/python -m bench.bench_core

Machines here are shared and noisy, so absolute times are printed for the record only;
the ratios are what to compare between runs. Baselines:

* evaluate: the bundled rules written out by hand as plain two-valued if/else (only
  meaningful for fully answered consultations; it ignores unknowns and branching);
* load: LibYAML's ``CSafeLoader`` reading the same files, with no checks at all.
"""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml

from decision_aid.domain import Answers, evaluate, load_rule_set, outcome_of, parse_answers
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


def median_seconds(function: Callable[[], object], repeats: int = 7) -> float:
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    return statistics.median(t / number for t in timer.repeat(repeats, number))


def load_baseline() -> None:
    for path in rule_set_files(RULES_DIR):
        yaml.load(path.read_text(), Loader=yaml.CSafeLoader)


def main() -> None:
    rule_set = load_rule_set(RULES_DIR)
    settings = rule_set.default_settings()
    clean = dict(parse_answers(rule_set.questionnaire, read_yaml(CLEAN_FILE)[0].data))
    answers = {
        "all answered": Answers(clean),
        "half answered": Answers(dict(list(clean.items())[::2])),
        "none answered": Answers(),
    }
    assert hand_written(clean) == outcome_of(rule_set, answers["all answered"], settings)
    base = median_seconds(lambda: hand_written(clean))
    print(f"baseline: hand-written if/else, all answered: {base * 1e6:8.1f} µs")
    for name, given in answers.items():
        plain = median_seconds(lambda given=given: outcome_of(rule_set, given, settings))
        full = median_seconds(lambda given=given: evaluate(rule_set, given, settings), repeats=5)
        print(
            f"{name:>14}: outcome only {plain * 1e6:8.1f} µs = {plain / base:5.1f}x baseline; "
            f"full assessment {full * 1e3:6.2f} ms = {full / base:7.1f}x baseline"
        )
    load_base = median_seconds(load_baseline)
    load = median_seconds(lambda: load_rule_set(RULES_DIR), repeats=5)
    print(
        f"load + check the bundled rule set: {load * 1e3:.1f} ms = {load / load_base:.1f}x "
        f"bare CSafeLoader ({load_base * 1e3:.1f} ms)"
    )
    print(
        f"rule set: {len(rule_set.rules)} rules, "
        f"{sum(1 for _ in rule_set.questionnaire.questions())} questions, "
        f"{sum(Path(p).stat().st_size for p in rule_set_files(RULES_DIR))} bytes"
    )


if __name__ == "__main__":
    main()
