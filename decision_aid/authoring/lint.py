"""Warnings a rule author should act on, though the rule set still loads.

Each warning has a code, listed with what it means in :data:`WARNINGS`; ``never-fires``,
``never-decides`` and ``gap`` need the z3 solver and are found over every possible answer
set. A rule accepts one of :data:`RULE_WARNINGS` with ``lint_ignore: {code: reason}``; the
domain checks only that each entry has a reason, and :func:`lint_ignore_problems` (run by
``check`` and ``lint``) that each code is one a rule can accept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date

import textstat

from decision_aid.domain.errors import Problem, Severity, add_codes
from decision_aid.domain.layout import QUESTIONNAIRE_FILE, REFERENCES_FILE, RULESET_FILE, SHEET_FILE
from decision_aid.domain.rules import RuleSet
from decision_aid.domain.sources import Place
from decision_aid.domain.validation import did_you_mean

__all__ = ["MAX_SMOG", "RULE_WARNINGS", "WARNINGS", "lint", "lint_ignore_problems"]

WARNINGS: Mapping[str, str] = {
    "smog-over-8": "the patient-facing text as a whole reads above SMOG grade 8",
    "hard-sentence": "a patient-facing sentence with 4+ long words or over 25 words",
    "unused-reference": "a reference no rule and no sheet text cites",
    "unread-question": "a question no rule, `show_when` or sheet reads",
    "review-overdue": "the review-by date has passed",
    "never-fires": "no answer set makes the rule certainly true",
    "never-decides": "whenever the rule fires, another rule gives the same or a more "
    "restrictive outcome, so it never changes the outcome",
    "gap": "fully answered consultations that no rule with an outcome covers, so only the "
    "default decides them",
}
"""Every warning lint gives, and what it means: the start of its row in the problem table
of docs/rule-language.md."""

RULE_WARNINGS = frozenset({"hard-sentence", "never-fires", "never-decides"})
"""The warnings a rule may accept with ``lint_ignore``."""

add_codes([*WARNINGS, "unknown-warning"])

MAX_SMOG = 8.0
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _long_words(sentence: str) -> int:
    return sum(textstat.syllable_count(word) >= 3 for word in re.findall(r"[A-Za-z']+", sentence))


def _warning(place: Place, code: str, message: str) -> Problem:
    return place.problem(code, message, Severity.WARNING)


def _patient_texts(rule_set: RuleSet) -> Iterator[tuple[Place, str | None, str]]:
    """(place, the rule it belongs to, text) for every patient-facing text the author wrote."""
    sources = rule_set.sources
    for index, level in enumerate(rule_set.info.levels):
        yield sources.file(RULESET_FILE, ("levels", index, "description")), None, level.description
    yield sources.file(RULESET_FILE, ("default_reason",)), None, rule_set.info.default_reason
    for rule in rule_set.rules:
        yield sources.rule(rule.id, ("patient_reason",)), rule.id, rule.patient_reason
        if rule.outcome_description is not None:
            place = sources.rule(rule.id, ("outcome_description",))
            yield place, rule.id, rule.outcome_description
    sheet = rule_set.sheet
    if sheet is None:
        return
    for path, text in sheet.texts():
        yield sources.file(SHEET_FILE, path), None, text


def _readability(rule_set: RuleSet) -> list[Problem]:
    problems = []
    scored: list[tuple[int, str]] = []
    for place, rule_id, text in _patient_texts(rule_set):
        for sentence in _SENTENCE.split(text.strip()):
            long_words, words = _long_words(sentence), len(sentence.split())
            scored.append((long_words, sentence))
            accepted = rule_id is not None and "hard-sentence" in (
                rule_set.rules_by_id[rule_id].lint_ignore
            )
            if (long_words >= 4 or words > 25) and not accepted:
                problems.append(
                    _warning(
                        place,
                        "hard-sentence",
                        f"hard to read ({long_words} long words, {words} words): {sentence!r}",
                    )
                )
    whole = " ".join(sentence for _, sentence in scored)
    grade = textstat.smog_index(whole)
    if grade > MAX_SMOG:
        hardest = sorted(scored, key=lambda s: -s[0])[:3]
        names = "; ".join(repr(s[1]) for s in hardest)
        problems.append(
            _warning(
                rule_set.sources.file(RULESET_FILE),
                "smog-over-8",
                f"patient-facing text reads at SMOG grade {grade:.1f} (at most {MAX_SMOG:g}); "
                f"hardest: {names}",
            )
        )
    return problems


def _unused(rule_set: RuleSet) -> list[Problem]:
    cited = {c.ref for rule in rule_set.rules for c in rule.citations}
    cited |= {c.ref for prop in rule_set.properties for c in prop.citations}
    read = {q for rule in rule_set.rules for q in rule.when.questions()}
    read |= {
        q
        for question in rule_set.questionnaire.questions()
        if question.show_when
        for q in question.show_when.questions()
    }
    sheet = rule_set.sheet
    if sheet is not None:
        cited |= sheet.cited()
        read |= sheet.questions_read()
    sources = rule_set.sources
    problems = [
        _warning(
            sources.file(REFERENCES_FILE, ("references", i, "id")),
            "unused-reference",
            f"reference '{reference.id}' is cited by no rule and no sheet text",
        )
        for i, reference in enumerate(rule_set.references)
        if reference.id not in cited
    ]
    for si, section in enumerate(rule_set.questionnaire.sections):
        for qi, question in enumerate(section.questions):
            if question.id not in read:
                problems.append(
                    _warning(
                        sources.file(QUESTIONNAIRE_FILE, ("sections", si, "questions", qi, "id")),
                        "unread-question",
                        f"question '{question.id}' is read by no rule, show_when or sheet",
                    )
                )
    return problems


def _solver(rule_set: RuleSet, chosen: Mapping[str, str]) -> list[Problem]:
    from decision_aid.authoring.verify import lint_rules  # z3 is an optional extra

    problems = []
    sources = rule_set.sources
    for finding in lint_rules(rule_set, chosen):
        if finding.rule_id is None:
            place = sources.file(RULESET_FILE, ("default_outcome",))
            problems.append(_warning(place, finding.code, finding.message))
        elif finding.code not in rule_set.rules_by_id[finding.rule_id].lint_ignore:
            problems.append(
                _warning(
                    sources.rule(finding.rule_id, ("id",)),
                    finding.code,
                    f"rule '{finding.rule_id}': {finding.message}",
                )
            )
    return problems


def lint_ignore_problems(rule_set: RuleSet) -> list[Problem]:
    """An error for each ``lint_ignore`` code that is not a warning a rule can accept."""
    return [
        rule_set.sources.rule(rule.id, ("lint_ignore", code), key=True).problem(
            "unknown-warning",
            f"'{code}' is not a warning a rule can accept (only "
            f"{', '.join(sorted(RULE_WARNINGS))}){did_you_mean(code, RULE_WARNINGS)}",
        )
        for rule in rule_set.rules
        for code in rule.lint_ignore
        if code not in RULE_WARNINGS
    ]


def lint(
    rule_set: RuleSet,
    *,
    today: date,
    solver: bool = True,
    chosen: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Every warning, sorted by place (those at one place, such as the gaps, in the order
    found: the most general gap first); ``solver`` adds the checks over every answer set
    (under the ``chosen`` settings only, when given)."""
    problems = _readability(rule_set) + _unused(rule_set)
    if solver:
        problems += _solver(rule_set, chosen or {})
    if rule_set.info.review_by < today:
        problems.append(
            _warning(
                rule_set.sources.file(RULESET_FILE, ("review_by",)),
                "review-overdue",
                f"the review-by date {rule_set.info.review_by} has passed",
            )
        )
    return sorted(problems, key=lambda p: (p.file, p.line, p.column))
