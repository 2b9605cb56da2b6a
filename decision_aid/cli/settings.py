"""``--setting`` and ``--basis`` checked against the rule set, once it is loaded."""

from __future__ import annotations

import argparse

from decision_aid.cli.options import BASIS_SETTING, EXIT_FAILED, EXIT_INPUT
from decision_aid.domain import InputError, RuleSet, resolve_settings

__all__ = ["chosen", "load_under"]


def chosen(rule_set: RuleSet, args: argparse.Namespace) -> dict[str, str]:
    """The settings the command line chose, each a setting and a choice of this rule set
    (:class:`InputError`, with "did you mean", when not)."""
    given: dict[str, str] = {}
    pairs = list(args.setting)
    if args.basis is not None:
        if rule_set.setting(BASIS_SETTING) is None:
            known = ", ".join(s.id for s in rule_set.info.settings) or "none"
            raise InputError(
                f"--basis is short for --setting {BASIS_SETTING}=…, and this rule set has no "
                f"'{BASIS_SETTING}' setting (settings: {known}); write --setting ID=VALUE"
            )
        pairs.append((BASIS_SETTING, args.basis))
    for name, value in pairs:
        if given.setdefault(name, value) != value:
            raise InputError(f"'{name}' is given twice, as '{given[name]}' and '{value}'")
    resolve_settings(rule_set, given)
    return given


def load_under(args: argparse.Namespace) -> tuple[RuleSet, dict[str, str]] | int:
    """The rule set ``--rules`` names and the settings the command line chose, or the exit
    code when either cannot be used (its problems or the reason already printed)."""
    from decision_aid.cli.output import error, load

    rule_set = load(args.rules, args.format)
    if rule_set is None:
        return EXIT_FAILED
    try:
        return rule_set, chosen(rule_set, args)
    except InputError as bad:
        error(str(bad))
        return EXIT_INPUT
