"""Fuzzing the rule-set loader: it loads a usable rule set or raises RuleSetError with
positioned problems; nothing else escapes, nothing hangs, nothing broken gives an outcome.

The generated cases come from :mod:`tests.hardening.harness`; the attacks below are the
named hazards of reading YAML (tags, alias bombs, deep nesting, huge files, duplicate
keys, bad encodings), each checked for its own problem code and position.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from decision_aid.domain import RuleSet, load_rule_set
from decision_aid.domain.yamlsource import MAX_BYTES
from tests.conftest import BUNDLED, MINI
from tests.hardening.harness import (
    CASES,
    LoaderOutcome,
    billion_laughs,
    budget,
    check_loader,
    fuzz_rule_files,
    rule_files,
)

MINI_FILES = rule_files(MINI)


@pytest.fixture(scope="module")
def pristine() -> RuleSet:
    return load_rule_set(MINI)


def _with_file(
    work: Path,
    name: str,
    data: bytes,
    *,
    changed: bool = False,
    must_refuse: bool = False,
    must_equal_pristine: bool = False,
) -> LoaderOutcome:
    (work / name).write_bytes(data)
    return check_loader(
        work,
        context=f"[{name}]",
        pristine=load_rule_set(MINI),
        changed=changed,
        must_refuse=must_refuse,
        must_equal_pristine=must_equal_pristine,
    )


def _problem_in(outcome: LoaderOutcome, name: str, code: str) -> tuple[int, int]:
    assert outcome.error is not None
    found = [p for p in outcome.error.problems if p.code == code and p.file.endswith(name)]
    assert found, f"no {code} problem in {name}: {[p.format() for p in outcome.error.problems]}"
    return found[0].line, found[0].column


# -- generated cases -------------------------------------------------------------------


def test_loader_keeps_its_contract_under_structural_mutations_of_the_mini_rule_files() -> None:
    wanted = budget(700)
    assert fuzz_rule_files(MINI, kind="structural", max_examples=wanted) >= wanted


def test_loader_keeps_its_contract_under_byte_level_corruption_of_the_mini_rule_files() -> None:
    wanted = budget(1000)
    assert fuzz_rule_files(MINI, kind="bytes", max_examples=wanted) >= wanted


@pytest.mark.parametrize("kind", ["structural", "bytes"])
def test_loader_keeps_its_contract_under_mutations_of_the_bundled_rule_files(kind: str) -> None:
    wanted = budget(40)
    assert fuzz_rule_files(BUNDLED, kind=kind, max_examples=wanted) >= wanted


@pytest.mark.parametrize("name", MINI_FILES)
def test_every_truncation_of_a_mini_rule_file_is_loaded_or_refused_with_positions(
    name: str, mini_copy: Path, pristine: RuleSet
) -> None:
    """Cut the file at every line start and in the middle of every line."""
    original = (MINI / name).read_bytes()
    cuts = set()
    start = 0
    for line in original.splitlines(keepends=True):
        cuts |= {start, start + len(line) // 2}
        start += len(line)
    refused = 0
    for cut in sorted(cuts):
        (mini_copy / name).write_bytes(original[:cut])
        outcome = check_loader(
            mini_copy, context=f"[{name} cut at byte {cut}]", pristine=pristine, changed=True
        )
        refused += outcome.error is not None
    CASES["loader/truncation"] += len(cuts)
    assert refused >= len(cuts) // 2, "most cuts leave a broken file, and must be refused"


# -- named attacks ---------------------------------------------------------------------


@pytest.mark.parametrize("levels", [9, 10])
def test_billion_laughs_alias_bomb_is_refused_within_a_second_at_line_1(
    levels: int, mini_copy: Path
) -> None:
    bomb = billion_laughs(levels)
    assert len(bomb) < 700
    outcome = _with_file(mini_copy, "ruleset.yaml", bomb, must_refuse=True)
    assert outcome.seconds < 1.0
    assert _problem_in(outcome, "ruleset.yaml", "yaml-alias")[0] == 1


def test_alias_used_as_a_rule_value_is_refused(mini_copy: Path) -> None:
    text = (MINI / "rules/main.yaml").read_text()
    text = text.replace("rationale: Evidence for A.", "rationale: &why Evidence for A.", 1)
    text = text.replace("rationale: No evidence.", "rationale: *why", 1)
    outcome = _with_file(mini_copy, "rules/main.yaml", text.encode(), must_refuse=True)
    _problem_in(outcome, "rules/main.yaml", "yaml-alias")


@pytest.mark.parametrize(
    "tag", ['!!python/object/apply:os.system ["touch {canary}"]', "!include {canary}"]
)
def test_yaml_tags_are_refused_with_position_and_never_executed(
    tag: str, mini_copy: Path, tmp_path: Path
) -> None:
    canary = tmp_path / "CANARY"
    text = (MINI / "ruleset.yaml").read_text()
    text = text.replace("funding: None.", "funding: " + tag.format(canary=canary))
    outcome = _with_file(mini_copy, "ruleset.yaml", text.encode(), must_refuse=True)
    line = text.splitlines().index(next(x for x in text.splitlines() if x.startswith("funding")))
    assert _problem_in(outcome, "ruleset.yaml", "yaml-tag") == (line + 1, len("funding: ") + 1)
    assert not canary.exists()


@pytest.mark.parametrize(
    ("shape", "depth"), [("flow", 5_000), ("flow", 100_000), ("block", 60), ("block", 400)]
)
def test_deep_nesting_is_refused_within_two_seconds(
    shape: str, depth: int, mini_copy: Path
) -> None:
    if shape == "flow":
        data = "description: " + "[" * depth + "]" * depth + "\n"
    else:
        data = "".join(f"{'  ' * level}k{level}:\n" for level in range(depth)) + "  " * depth + "x"
    outcome = _with_file(mini_copy, "ruleset.yaml", data.encode(), must_refuse=True)
    assert outcome.seconds < 2.0
    _problem_in(outcome, "ruleset.yaml", "yaml-depth")


def test_rule_file_over_one_mebibyte_is_refused_quickly(mini_copy: Path) -> None:
    data = (MINI / "rules/main.yaml").read_bytes() + b"# " + b"x" * (2 * MAX_BYTES) + b"\n"
    outcome = _with_file(mini_copy, "rules/main.yaml", data, must_refuse=True)
    assert outcome.seconds < 1.0
    assert _problem_in(outcome, "rules/main.yaml", "file-too-large") == (1, 1)


def test_huge_sparse_rule_file_is_refused_without_being_read(
    mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 64 GiB file dropped among the rules must not be read into memory (even for a digest)."""
    huge = mini_copy / "rules" / "zz-huge.yaml"
    with huge.open("wb") as sparse:
        sparse.truncate(64 * 1024**3)
    read: list[Path] = []
    real = Path.read_bytes

    def recording(path: Path) -> bytes:
        if path.name == huge.name:
            read.append(path)
            raise MemoryError("the huge file was read")
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", recording)
    outcome = check_loader(mini_copy, context="[64 GiB rule file]", must_refuse=True)
    _problem_in(outcome, "zz-huge.yaml", "file-too-large")
    assert read == []


def test_huge_string_just_under_the_size_limit_loads_or_is_refused_in_time(
    mini_copy: Path,
) -> None:
    text = (MINI / "ruleset.yaml").read_text()
    text = text.replace("funding: None.", "funding: " + "é" * (MAX_BYTES // 2 - 2000))
    outcome = _with_file(mini_copy, "ruleset.yaml", text.encode(), changed=True)
    assert outcome.seconds < 3.0


def test_a_number_longer_than_python_converts_is_a_positioned_problem(mini_copy: Path) -> None:
    text = (MINI / "questionnaire.yaml").read_text()
    line = text.splitlines().index("        maximum: 120") + 1
    text = text.replace("maximum: 120", "maximum: " + "9" * 5_000)
    outcome = _with_file(mini_copy, "questionnaire.yaml", text.encode(), must_refuse=True)
    assert _problem_in(outcome, "questionnaire.yaml", "schema") == (
        line,
        len("        maximum: ") + 1,
    )


def test_duplicate_key_is_refused_naming_both_lines(mini_copy: Path) -> None:
    lines = (MINI / "ruleset.yaml").read_text().splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("funding:"))
    lines.insert(first + 1, "funding: Someone else.\n")
    outcome = _with_file(mini_copy, "ruleset.yaml", "".join(lines).encode(), must_refuse=True)
    assert _problem_in(outcome, "ruleset.yaml", "duplicate-key") == (first + 2, 1)
    assert outcome.error is not None
    message = next(p.message for p in outcome.error.problems if p.code == "duplicate-key")
    assert f"line {first + 1}" in message


@pytest.mark.parametrize("bad", [b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\x80"])
def test_invalid_utf8_is_refused_at_its_line_and_column(bad: bytes, mini_copy: Path) -> None:
    lines = (MINI / "references.yaml").read_bytes().splitlines(keepends=True)
    lines[2] = lines[2][:4] + bad + lines[2][4:]
    outcome = _with_file(mini_copy, "references.yaml", b"".join(lines), must_refuse=True)
    assert _problem_in(outcome, "references.yaml", "encoding") == (3, 5)


@pytest.mark.parametrize("where", ["start", "value", "end"])
def test_nul_byte_is_refused(where: str, mini_copy: Path) -> None:
    data = (MINI / "questionnaire.yaml").read_bytes()
    at = {"start": 0, "value": data.index(b"Diagnosis") + 3, "end": len(data)}[where]
    outcome = _with_file(
        mini_copy, "questionnaire.yaml", data[:at] + b"\x00" + data[at:], must_refuse=True
    )
    assert outcome.error is not None


@pytest.mark.parametrize("name", MINI_FILES)
@pytest.mark.parametrize("change", ["bom", "crlf", "bom+crlf", "comments"])
def test_bom_crlf_and_comments_load_to_the_same_rule_set(
    change: str, name: str, mini_copy: Path
) -> None:
    """What a Windows editor does to a file must not change (or break) the rule set."""
    data = (MINI / name).read_bytes()
    if "crlf" in change:
        data = data.replace(b"\n", b"\r\n")
    if "bom" in change:
        data = b"\xef\xbb\xbf" + data
    if change == "comments":
        data = b"# a comment\n" + data.replace(b"\n", b"  # trailing\n", 3)
    _with_file(mini_copy, name, data, changed=True, must_equal_pristine=True)


@pytest.mark.parametrize("prefix", [b"%YAML 1.1\n---\n", b"%TAG !x! tag:example.com,2000:\n---\n"])
def test_yaml_directives_are_refused(prefix: bytes, mini_copy: Path) -> None:
    data = prefix + (MINI / "ruleset.yaml").read_bytes()
    outcome = _with_file(mini_copy, "ruleset.yaml", data, must_refuse=True)
    _problem_in(outcome, "ruleset.yaml", "yaml-directive")


def test_a_second_yaml_document_is_refused(mini_copy: Path) -> None:
    data = (MINI / "rules/main.yaml").read_bytes()
    outcome = _with_file(mini_copy, "rules/main.yaml", data + b"---\n" + data, must_refuse=True)
    _problem_in(outcome, "rules/main.yaml", "yaml-documents")


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (lambda t: t.replace("  - id: r-careful", "\t- id: r-careful"), "yaml-syntax"),
        (lambda t: t.replace("citations: [src]", "citations: [src", 1), "yaml-syntax"),
        (lambda t: t.replace("outcome: careful", "outcome: [careful, stop]"), "schema"),
        (lambda t: t.replace("outcome: careful", "outcome: carefull"), "unknown-level"),
        (lambda t: t.replace("{question: diagnosis, in: [b]}", "{question: diagnosis}"), "schema"),
        (lambda t: t.replace("absolute: true", "absolute: yes"), "schema"),
    ],
    ids=["tab", "unclosed-bracket", "list-for-text", "unknown-level", "half-condition", "yes"],
)
def test_common_authoring_slips_give_positioned_problems(
    edit: object, code: str, mini_copy: Path
) -> None:
    text = (MINI / "rules/main.yaml").read_text()
    changed = edit(text)  # type: ignore[operator]
    assert changed != text
    outcome = _with_file(mini_copy, "rules/main.yaml", changed.encode(), must_refuse=True)
    _problem_in(outcome, "rules/main.yaml", code)


def test_missing_unreadable_and_non_directory_rule_sets_are_refused(mini_copy: Path) -> None:
    (mini_copy / "questionnaire.yaml").unlink()
    outcome = check_loader(mini_copy, must_refuse=True)
    _problem_in(outcome, "questionnaire.yaml", "missing-file")
    (mini_copy / "questionnaire.yaml").mkdir()
    check_loader(mini_copy, must_refuse=True)
    shutil.rmtree(mini_copy / "questionnaire.yaml")
    plain = mini_copy.parent / "not-a-folder"
    plain.write_text("x")
    check_loader(plain, must_refuse=True)
    start = time.monotonic()
    check_loader(mini_copy.parent / "absent", must_refuse=True)
    assert time.monotonic() - start < 1.0
