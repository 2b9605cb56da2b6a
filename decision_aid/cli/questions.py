"""``decision-aid questions``: the questionnaire, as text or JSON."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from decision_aid.cli.options import EXIT_FAILED, EXIT_OK, add_format, add_rules

if TYPE_CHECKING:
    from decision_aid.domain import RuleSet

NAME = "questions"
HELP = "print the questionnaire"


def configure(parser: argparse.ArgumentParser) -> None:
    add_rules(parser)
    add_format(parser)


def run(args: argparse.Namespace) -> int:
    from decision_aid.cli.output import load, print_json

    rule_set = load(args.rules, args.format)
    if rule_set is None:
        return EXIT_FAILED
    if args.format == "json":
        print_json({"questions": _question_json(rule_set)})
        return EXIT_OK
    for section in rule_set.questionnaire.sections:
        print(f"\n{section.title} [{section.id}]")
        for question in section.questions:
            marks = " (safety)" if question.safety else ""
            print(f"  {question.id}: {question.text}{marks}")
            for option in question.choices:
                print(f"      {option.id}: {option.label}")
            if question.not_known:
                print("      unknown: Not known")
    return EXIT_OK


def _question_json(rule_set: RuleSet) -> list[dict[str, Any]]:
    items = []
    questionnaire = rule_set.questionnaire
    for question in questionnaire.questions():
        item: dict[str, Any] = {
            "id": question.id,
            "section": questionnaire.section_of[question.id].id,
            "label": question.label,
            "text": question.text,
            "type": str(question.type),
            "safety": question.safety,
            "not_known": question.not_known,
            "show_when": question.show_when.model_dump(by_alias=True, exclude_none=True)
            if question.show_when
            else None,
        }
        if question.type == "number":
            item |= {"unit": question.unit, "min": question.minimum, "max": question.maximum}
        else:
            item["options"] = [o.id for o in question.choices]
        items.append(item)
    return items
