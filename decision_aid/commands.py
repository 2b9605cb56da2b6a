"""The headless sub-commands of ``decision-aid``, one ``cmd_*`` function each.

They live apart from :mod:`decision_aid.cli` so that starting the window never imports
them: the domain core, pydantic and the authoring tools load only for a sub-command.
Exit codes: 0 success; 1 the rule set is broken or its cases fail; 2 bad input.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from decision_aid.authoring.cases import (
    CaseResult,
    Verdict,
    case_files,
    check_case_files,
    run_case_files,
)
from decision_aid.domain import (
    Assessment,
    DecisionAidError,
    InputError,
    Problem,
    RuleSet,
    RuleSetError,
    evaluate,
    load_rule_set,
    parse_answers,
)
from decision_aid.domain.engine import resolve_settings
from decision_aid.domain.errors import StorageError
from decision_aid.domain.jsontext import loads_strict
from decision_aid.domain.sources import Place
from decision_aid.domain.validation import did_you_mean
from decision_aid.domain.yamlsource import dump_yaml, read_yaml
from decision_aid.governance.audit_commands import (
    cmd_audit_show,
    cmd_audit_verify,
    record_sheet,
)
from decision_aid.paths import safe_file_name
from decision_aid.present.report import text_report
from decision_aid.writing import write_file, write_files

if TYPE_CHECKING:
    from decision_aid.governance.approval import ApprovalState

__all__ = [
    "cmd_audit_show",
    "cmd_audit_verify",
    "cmd_check",
    "cmd_coverage",
    "cmd_diff",
    "cmd_docs",
    "cmd_evaluate",
    "cmd_lint",
    "cmd_mutate",
    "cmd_questions",
    "cmd_schema",
    "cmd_sheet",
    "cmd_test",
    "cmd_verify",
]

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
MAX_PROBLEMS = 50


def _print_problems(
    problems: Sequence[Problem], fmt: str, out: TextIO, limit: int = MAX_PROBLEMS
) -> None:
    ordered = sorted(problems)
    if fmt == "json":
        json.dump({"problems": [p.as_dict() for p in ordered]}, out, indent=2)
        out.write("\n")
        return
    for problem in ordered[:limit]:
        out.write(problem.format() + "\n")
    if len(ordered) > limit:
        out.write(f"… {len(ordered) - limit} more problem(s): error limit reached\n")


def _load(rules_dir: Path, fmt: str) -> RuleSet | None:
    try:
        return load_rule_set(rules_dir)
    except RuleSetError as error:
        _print_problems(error.problems, fmt, sys.stdout)
        return None


def _approval(rule_set: RuleSet) -> ApprovalState | None:
    """The rule set's approval state, or None (said on stderr) when it is retired."""
    from decision_aid.governance.approval import approval_state

    state = approval_state(rule_set)
    if (refused := state.refusal()) is not None:
        print(f"error: {rule_set.source}: {refused}", file=sys.stderr)
        return None
    return state


def cmd_check(args: argparse.Namespace) -> int:
    from decision_aid.authoring.schema import schema_line_problems
    from decision_aid.governance.approval import approval_problems, approval_state

    rule_set = _load(args.rules_dir, args.format)
    if rule_set is None:
        return EXIT_FAILED
    state = approval_state(rule_set)
    warnings = schema_line_problems(rule_set, args.rules_dir)
    if problems := approval_problems(rule_set, state) + check_case_files(rule_set, args.rules_dir):
        _print_problems([*problems, *warnings], args.format, sys.stdout)
        return EXIT_FAILED
    if warnings:
        _print_problems(warnings, args.format, sys.stdout)
    if args.format == "text":
        print(f"approval: {state.describe()}")
    return EXIT_OK


def _format_case(result: CaseResult) -> list[str]:
    lines = [f"{result.file}:{result.line}: {result.verdict}: {result.name}"]
    if result.verdict is Verdict.ERROR:
        lines += [f"  {p.format()}" for p in result.problems] or [f"  {result.message}"]
    elif result.verdict is Verdict.FAIL and result.assessment and result.expect:
        actual, expect = result.assessment, result.expect
        lines.append(f"  expected outcome: {expect.outcome}")
        lines.append(f"  actual outcome:   {actual.outcome.id}")
        if expect.fired is None and actual.outcome.id != expect.outcome:
            lines.append(f"  decided by:       {', '.join(actual.decided_by)}")
        if expect.fired is not None:
            lines.append(f"  expected fired:   {', '.join(sorted(expect.fired)) or '(none)'}")
            lines.append(f"  actual fired:     {', '.join(sorted(actual.fired_ids)) or '(none)'}")
        if expect.might_apply is not None:
            expected = ", ".join(sorted(expect.might_apply)) or "(none)"
            uncertain = sorted(f.rule_id for f in actual.fired if not f.certain)
            lines.append(f"  expected might apply: {expected}")
            lines.append(f"  actual might apply:   {', '.join(uncertain) or '(none)'}")
        if result.message:
            lines.append(f"  {result.message}")
        for prop in result.broken:
            lines.append(f"  breaks property {prop.id}: {prop.title}")
        for trace in result.differing:
            lines.append(
                f"  rule {trace.rule_id}: {trace.value}"
                + ("" if trace.applies else " (not applicable)")
            )
            if explanation := actual.explanation(trace.rule_id):
                lines += ["    " + line for line in explanation.lines()]
    return lines


def cmd_test(args: argparse.Namespace) -> int:
    rule_set = _load(args.rules_dir, args.format)
    if rule_set is None:
        return EXIT_FAILED
    paths = case_files(args.rules_dir)
    results, problems = run_case_files(rule_set, paths)
    if args.format == "json":
        json.dump(
            {
                "results": [r.as_dict() for r in results],
                "problems": [p.as_dict() for p in sorted(problems)],
            },
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        _print_problems(problems, "text", sys.stdout)
        for result in results:
            if result.verdict is not Verdict.PASS or args.verbose:
                print("\n".join(_format_case(result)))
        counts = {v: sum(r.verdict is v for r in results) for v in Verdict}
        print("-" * 60)
        print(f"PASS: {counts[Verdict.PASS]}/{len(results)}", end="")
        print(f"  FAIL: {counts[Verdict.FAIL]}" if counts[Verdict.FAIL] else "", end="")
        print(f"  ERROR: {counts[Verdict.ERROR]}" if counts[Verdict.ERROR] else "")
        if not paths:
            print(f"no case files found under {args.rules_dir / 'tests'}")
    passed = results and all(r.verdict is Verdict.PASS for r in results) and not problems
    return EXIT_OK if passed else EXIT_FAILED


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


def cmd_questions(args: argparse.Namespace) -> int:
    rule_set = _load(args.rules, args.format)
    if rule_set is None:
        return EXIT_FAILED
    if args.format == "json":
        json.dump({"questions": _question_json(rule_set)}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
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


def _settings(args: argparse.Namespace) -> dict[str, str]:
    return {"guideline_basis": args.basis} if args.basis else {}


def _assess(rule_set: RuleSet, raw: object, settings: dict[str, str]) -> Assessment:
    if not isinstance(raw, dict):
        raise InputError("answers must be a mapping of question ids to answers")
    return evaluate(rule_set, parse_answers(rule_set.questionnaire, raw), settings)


def cmd_evaluate(args: argparse.Namespace) -> int:
    rule_set = _load(args.rules, "text")
    if rule_set is None or (approval := _approval(rule_set)) is None:
        return EXIT_FAILED
    try:
        settings = resolve_settings(rule_set, _settings(args))
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_INPUT
    if args.jsonl:
        return _evaluate_lines(rule_set, settings)
    if args.answers is None:
        print("error: give an ANSWERS file, or --jsonl to read answers from stdin", file=sys.stderr)
        return EXIT_INPUT
    document, problems = read_yaml(Path(args.answers))
    if problems:
        _print_problems(problems, "text", sys.stderr)
        return EXIT_INPUT
    try:
        assessment = _assess(rule_set, document.data or {}, settings)
    except DecisionAidError as error:
        print(f"{args.answers}: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    if args.format == "json":
        result = assessment.as_dict() | {
            "approval": {"state": approval.kind, "describe": approval.describe()}
        }
        json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        lines = text_report(assessment, rule_set).splitlines()
        after = next((i + 1 for i, line in enumerate(lines) if line.startswith("Rule set:")), 0)
        lines.insert(after, f"Approval: {approval.describe()}")  # beside the rule set it marks
        print("\n".join(lines))
    return EXIT_OK


def cmd_sheet(args: argparse.Namespace) -> int:
    rule_set = _load(args.rules, "text")
    if rule_set is None or (approval := _approval(rule_set)) is None:
        return EXIT_FAILED
    document, problems = read_yaml(Path(args.answers))
    if problems:
        _print_problems(problems, "text", sys.stderr)
        return EXIT_INPUT
    raw = document.data or {}
    try:
        if not isinstance(raw, dict):
            raise InputError("answers must be a mapping of question ids to answers")
        answers = parse_answers(rule_set.questionnaire, raw)
        assessment = evaluate(rule_set, answers, _settings(args))
    except DecisionAidError as error:
        print(f"{args.answers}: error: {error}", file=sys.stderr)
        return EXIT_INPUT
    from decision_aid.sheet import render  # reportlab loads only for sheets

    try:
        data = render(assessment, answers, rule_set, approval=approval)
    except Exception as error:  # reportlab's failures have no common base
        print(f"error: the discussion sheet could not be drawn: {error}", file=sys.stderr)
        return EXIT_FAILED
    output = Path(args.output)
    record = functools.partial(
        record_sheet,
        rule_set=rule_set, answers=raw, assessment=assessment, output=output, approval=approval,
    )  # fmt: skip
    if failed := record():
        print(f"error: could not write {output}: {failed}; nothing was written", file=sys.stderr)
        return EXIT_FAILED
    try:
        write_file(output, data)
    except StorageError as error:
        record(event="sheet-not-written")  # best effort: the write's error is the one to say
        print(f"error: could not write {error}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{args.output}: discussion sheet written ({len(data)} bytes)")
    return EXIT_OK


def cmd_coverage(args: argparse.Namespace) -> int:
    from decision_aid.authoring.coverage import measure

    rule_set = _load(args.rules_dir, args.format)
    if rule_set is None:
        return EXIT_FAILED
    results, problems = run_case_files(rule_set, case_files(args.rules_dir))
    if problems:
        _print_problems(problems, args.format, sys.stdout)
        return EXIT_FAILED
    coverage = measure(rule_set, results)
    passed = args.fail_under is None or coverage.meets(args.fail_under)
    if args.format == "json":
        json.dump(coverage.as_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK if passed else EXIT_FAILED
    for rule in coverage.rules:
        if not rule.covered:
            missing = [v for v in ("true", "false") if v not in {str(s) for s in rule.seen}]
            print(f"{rule.file}:{rule.line}: rule {rule.rule_id} never seen {' or '.join(missing)}")
    for file, line, column, question, option in coverage.unused_options:
        print(f"{file}:{line}:{column}: option {question}={option} is used by no case")
    unknown = sum("unknown" in {str(s) for s in r.seen} for r in coverage.rules)
    print(
        f"rules seen true and false: {coverage.covered}/{len(coverage.rules)} "
        f"({coverage.percent():.1f}%); seen unknown: {unknown}; "
        f"options used by no case: {len(coverage.unused_options)}"
    )
    if not passed:
        print(f"coverage is below {args.fail_under:g}%")
    return EXIT_OK if passed else EXIT_FAILED


def _use_solver(skipped: bool, without: str) -> bool:
    """Whether to use z3: not when the user skipped it, nor when it is not installed
    (then say what is lost)."""
    if skipped:
        return False
    if importlib.util.find_spec("z3") is None:
        print(f"note: {without}: pip install z3-solver", file=sys.stderr)
        return False
    return True


def cmd_lint(args: argparse.Namespace) -> int:
    from datetime import date

    from decision_aid.authoring.lint import lint

    rule_set = _load(args.rules_dir, args.format)
    if rule_set is None:
        return EXIT_FAILED
    solver = _use_solver(args.no_solver, "the solver checks need z3")
    warnings = lint(rule_set, today=date.today(), solver=solver)
    _print_problems(warnings, args.format, sys.stdout, limit=200)
    if args.format == "text":
        print(f"{len(warnings)} warning(s)")
    return EXIT_FAILED if warnings and args.strict else EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    from decision_aid.authoring.docs import blocks, to_html, to_markdown

    rule_set = _load(args.rules_dir, args.format)
    if rule_set is None:
        return EXIT_FAILED
    parts = blocks(rule_set)
    name = safe_file_name(rule_set.info.id, suffix="", fallback="rule-set")  # an id is no path
    written = {
        args.output / f"{name}.md": to_markdown(parts).encode("utf-8"),
        args.output / f"{name}.html": to_html(parts, rule_set.info.title).encode("utf-8"),
    }
    try:
        write_files(written, private=False, make_folders=True)
    except StorageError as error:
        print(f"error: could not write {error}", file=sys.stderr)
        return EXIT_FAILED
    _print_written(list(written), args.format)
    return EXIT_OK


def _print_written(paths: Sequence[Path], fmt: str) -> None:
    if fmt == "json":
        json.dump({"written": [str(p) for p in paths]}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        for path in paths:
            print(path)


def cmd_diff(args: argparse.Namespace) -> int:
    from decision_aid.authoring.diff import diff_rule_sets

    old, new = _load(args.old, args.format), _load(args.new, args.format)
    if old is None or new is None:
        return EXIT_FAILED
    solver = _use_solver(args.no_solver, "the comparison over every answer set needs z3")
    result = diff_rule_sets(old, args.old, new, args.new, solver=solver, time_limit=args.time_limit)
    if args.format == "json":
        json.dump(result.as_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(f"{old.info.id} {old.info.version} -> {new.info.id} {new.info.version}")
        for change in result.changes:
            print(f"  {change.kind} {change.id}: {change.what}")
            for f in change.fields:
                print(f"      {f.field}: {_flow(f.old)} → {_flow(f.new)}")
        print(f"impact on the cases of both versions: {len(result.impacts)} case(s) change")
        for impact in result.impacts:
            print(f"  {impact.where}: {impact.case}")
            print(f"      before: {impact.old}")
            print(f"      after:  {impact.new}")
        for comparison in result.solver or ():
            where = ", ".join(f"{k} = {v}" for k, v in comparison.settings.items())
            verdict = {True: "equivalent", False: "outcomes differ", None: "undecided"}
            print(f"over every answer set [{where or 'no settings'}]: "
                  f"{verdict[comparison.equivalent]}")  # fmt: skip
            if comparison.equivalent is None:
                print(f"  not settled within {args.time_limit:g} s; give it --time-limit SECONDS")
            for example in comparison.examples:
                print(f"  {_flow(example.answers)}")
                print(f"      before: {example.old}")
                print(f"      after:  {example.new}")
    return EXIT_FAILED if result.changed() and args.exit_code else EXIT_OK


def _flow(value: object) -> str:
    """A value on one line, as JSON writes it (and YAML reads it); none for a missing one."""
    return "(none)" if value is None else json.dumps(value, ensure_ascii=False)


def cmd_verify(args: argparse.Namespace) -> int:
    try:
        from decision_aid.authoring.verify import verify
    except ImportError:
        print("error: verify needs the z3 solver: pip install z3-solver", file=sys.stderr)
        return EXIT_INPUT
    rule_set = _load(args.rules_dir, args.format)
    if rule_set is None:
        return EXIT_FAILED
    findings = verify(rule_set, time_limit=args.time_limit)
    failed = [f for f in findings if not f.holds]
    if args.format == "json":
        json.dump(
            [
                vars(f) | {"settings": dict(f.settings)} | _place(f.place(rule_set.sources))
                for f in findings
            ],
            sys.stdout,
            indent=2,
        )
        sys.stdout.write("\n")
        return EXIT_FAILED if failed else EXIT_OK
    undecided = [f for f in failed if f.undecided]
    for finding in failed:
        settings = ", ".join(f"{k} = {v}" for k, v in finding.settings.items())
        place = finding.place(rule_set.sources)
        if finding.undecided:
            print(f"{place}: UNDECIDED: {finding.property} [{settings}]: {finding.message}")
            continue
        print(f"{place}: FAILED: {finding.property} [{settings}]: {finding.message}")
        print("  counterexample (an answers file for decision-aid evaluate):")
        text = dump_yaml(finding.counterexample)
        print("".join(f"    {line}\n" for line in text.splitlines()), end="")
        try:
            assessment = _assess(rule_set, finding.counterexample or {}, dict(finding.settings))
        except DecisionAidError as error:  # the encoding and the engine disagree: say so
            print(f"  the engine cannot run it: {error}")
            continue
        certain = ", ".join(f.rule_id for f in assessment.fired if f.certain) or "none"
        might = sum(not f.certain for f in assessment.fired)
        print(
            f"  the engine gives: {assessment.outcome.id} (fired: {certain}; "
            f"{might} more might apply)"
        )
    print(f"{len(findings) - len(failed)}/{len(findings)} properties proved over every answer set")
    if undecided:
        print(
            f"{len(undecided)} not decided within the time limit of {args.time_limit:g} s; "
            "give the solver longer with --time-limit SECONDS, or split the rule set"
        )
    return EXIT_FAILED if failed else EXIT_OK


def _place(place: Place) -> dict[str, str | int]:
    return {"file": place.file, "line": place.line, "column": place.column}


def cmd_mutate(args: argparse.Namespace) -> int:
    from decision_aid.authoring.mutate import CasesFail, Mutant, run_mutation

    use_verify = _use_solver(args.no_verify, "without z3 only the cases can kill mutants")
    rule_set = _load(args.rules_dir, args.format)
    if rule_set is None:
        return EXIT_FAILED

    def progress(number: int, mutant: Mutant, verdict: str) -> None:
        if args.verbose:
            print(f"{number:4d} {mutant.rule_id}: {mutant.description}: {verdict}", file=sys.stderr)

    unknown = [r for r in args.rule or () if r not in rule_set.rules_by_id]
    if unknown:
        named = ", ".join(f"{r}{did_you_mean(r, rule_set.rules_by_id)}" for r in unknown)
        print(f"error: no such rule: {named}", file=sys.stderr)
        return EXIT_INPUT
    try:
        report = run_mutation(
            rule_set, args.rules_dir, use_verify=use_verify, only=args.rule, progress=progress
        )
    except CasesFail as error:
        if args.format == "json":
            json.dump({"error": str(error), "failing_cases": error.failing}, sys.stdout, indent=2)
            sys.stdout.write("\n")
            return EXIT_FAILED
        print(f"error: {error}: a failing case would kill every mutant and measure nothing;")
        print("fix them first (decision-aid test shows why):")
        print("".join(f"  {line}\n" for line in error.failing[:MAX_PROBLEMS]), end="")
        return EXIT_FAILED
    passed = args.fail_under is None or report.rate() >= args.fail_under
    if args.format == "json":
        json.dump(report.as_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK if passed else EXIT_FAILED
    for kind, listed in (("survived", report.survivors), ("equivalent", report.equivalent)):
        for mutant in listed:
            place = rule_set.sources.rule(mutant.rule_id, mutant.path)
            print(
                f"{place}: {kind}: rule {mutant.rule_id}: {mutant.description} [{mutant.operator}]"
            )
            if (case := report.killing_cases.get(mutant)) is not None:
                print("  a case that catches it (check the expectation, then add it under tests/):")
                print("".join(f"    {line}\n" for line in dump_yaml([case]).splitlines()), end="")
    killable = report.total - len(report.equivalent)
    print(
        f"mutants: {report.total}; killed by the cases: {report.killed_by_cases}; "
        f"by verify: {report.killed_by_verify}; proved equivalent: {len(report.equivalent)}; "
        f"survived: {len(report.survivors)}"
    )
    print(f"kill rate: {report.killed}/{killable} ({report.rate():.1f}%)")
    if not passed:
        print(f"the kill rate is below {args.fail_under:g}%")
    return EXIT_OK if passed else EXIT_FAILED


def cmd_schema(args: argparse.Namespace) -> int:
    from decision_aid.authoring.schema import write_schemas
    from decision_aid.domain.layout import SCHEMAS

    rule_set = _load(args.rules_dir, args.format)
    if rule_set is None:
        return EXIT_FAILED
    try:
        written = write_schemas(rule_set, args.output or args.rules_dir / SCHEMAS)
    except StorageError as error:
        print(f"error: could not write {error}", file=sys.stderr)
        return EXIT_FAILED
    _print_written(written, args.format)
    return EXIT_OK


def _json_line(line: bytes) -> object:
    """One JSON value from one line: UTF-8, strict (no key twice), never a crash."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start + 1})") from None
    return loads_strict(text)


def _evaluate_lines(rule_set: RuleSet, settings: dict[str, str]) -> int:
    """One answers object per input line, one JSON result per output line, aligned.

    Each line stands alone: a line that is not UTF-8 or not JSON gets its error and
    the next line is read; the exit code says 2 at the end if any line failed.
    """
    status = EXIT_OK
    stream = getattr(sys.stdin, "buffer", None)  # a text stand-in (a test's) has none
    lines: Iterable[bytes] = (
        stream if stream is not None else (t.encode("utf-8", "surrogatepass") for t in sys.stdin)
    )
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = _json_line(line)
            result: dict[str, Any] = _assess(rule_set, raw, settings).as_dict()
            del result["trace"]
        except DecisionAidError as error:
            result, status = {"error": f"line {number}: {_without_line(error)}"}, EXIT_INPUT
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return status


def _without_line(error: DecisionAidError) -> str:
    # loads_strict says "line 1: ..." of the one-line text; the stream's line is given instead.
    return str(error).removeprefix("line 1: ")
