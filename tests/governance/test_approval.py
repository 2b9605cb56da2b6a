"""Approved means approved: a copy of the bundled set, signed with a throw-away key, then
tampered with one byte per file kind, re-signed with another key, untrusted, expired,
retired. The state, the CLI and every page of the sheet must say exactly which."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid.cli import main
from decision_aid.domain import RuleSetError, evaluate, load_rule_set, parse_answers
from decision_aid.domain.yamlsource import read_yaml
from decision_aid.governance.approval import ApprovalKind, approval_state, approve
from decision_aid.governance.manifest import manifest
from decision_aid.sheet import render
from tests.conftest import BUNDLED, MINI
from tests.governance.approved import REVIEWER, ROLE, claim_approved, trust, trust_dirs
from tests.governance.scenarios import CLAIM_BROKEN, SCENARIOS, Scenario, World, make_world

IDS = [s.name for s in SCENARIOS]


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_world(tmp_path, monkeypatch)


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_pages(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [flat(page.get_textpage().get_text_range()) for page in document]
    finally:
        document.close()


def sheet_of(folder: Path) -> bytes:
    rule_set = load_rule_set(folder)
    raw = read_yaml(folder / "examples" / "crps-asra.yaml")[0].data
    answers = parse_answers(rule_set.questionnaire, raw)
    return render(evaluate(rule_set, answers), answers, rule_set)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_the_state_says_exactly_which(world: World, scenario: Scenario) -> None:
    scenario.change(world)
    state = approval_state(load_rule_set(world.folder))
    assert state.kind == scenario.kind
    assert state.describe() == scenario.mark(world)
    assert state.approved is (scenario.kind is ApprovalKind.APPROVED)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_check_and_evaluate_print_the_mark(
    world: World, scenario: Scenario, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario.change(world)
    mark = scenario.mark(world)
    code, out, _ = cli(capsys, "check", str(world.folder))
    if scenario.kind in CLAIM_BROKEN:
        assert code == 1
        assert out.startswith(
            f"{world.folder / 'ruleset.yaml'}:5:9: error[not-approved]: status is 'approved' "
            f"but the rule set is not: {mark}; "
        )
    else:
        assert (code, out) == (0, f"approval: {mark}\n")
    example = str(world.folder / "examples" / "crps-asra.yaml")
    code, out, err = cli(capsys, "evaluate", example, "--rules", str(world.folder))
    if scenario.kind is ApprovalKind.RETIRED:
        assert code == 1
        assert "retired" in err
        assert "cannot be used for a new consultation" in err
        assert out == ""
    else:
        assert code == 0
        assert f"Approval: {mark}" in out.splitlines()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_every_page_of_the_sheet_carries_the_mark(world: World, scenario: Scenario) -> None:
    scenario.change(world)
    mark = flat(scenario.mark(world))
    pages = pdf_pages(sheet_of(world.folder))
    assert len(pages) > 3
    if scenario.kind is ApprovalKind.APPROVED:
        assert not any(word in p for p in pages for word in ("NOT APPROVED", "DRAFT", "EXPIRED"))
        assert f"Approval: {mark}" in pages[-1] or any(f"Approval: {mark}" in p for p in pages)
    else:
        assert all(mark in page for page in pages), mark


def test_the_sheet_command_refuses_a_retired_set(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claim_approved(world.folder, status="retired")
    example = str(world.folder / "examples" / "crps-asra.yaml")
    out_pdf = tmp_path / "sheet.pdf"
    code, _, err = cli(capsys, "sheet", example, "-o", str(out_pdf), "--rules", str(world.folder))
    assert code == 1
    assert "retired" in err
    assert not out_pdf.exists()


def test_the_sheet_command_marks_an_edited_set(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (world.folder / "rules" / "safety.yaml").write_bytes(
        (world.folder / "rules" / "safety.yaml").read_bytes() + b"\n"
    )
    example = str(world.folder / "examples" / "crps-asra.yaml")
    out_pdf = tmp_path / "sheet.pdf"
    code, _, _ = cli(capsys, "sheet", example, "-o", str(out_pdf), "--rules", str(world.folder))
    assert code == 0
    pages = pdf_pages(out_pdf.read_bytes())
    assert all("NOT APPROVED: Rules changed since approval by Dr Ann Smith" in p for p in pages)


def test_the_bundled_set_stays_an_unsigned_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trust_dirs(tmp_path, monkeypatch)
    assert not (BUNDLED / "approval.yaml").exists()
    state = approval_state(load_rule_set(BUNDLED))
    assert state.kind == ApprovalKind.UNSIGNED
    assert state.describe().startswith("DRAFT: this rule set has not been approved by a clinician")


def test_status_approved_without_a_signature_is_a_check_error_with_its_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    trust_dirs(tmp_path, monkeypatch)
    folder = tmp_path / "claimed"
    shutil.copytree(BUNDLED, folder)
    claim_approved(folder)
    code, out, _ = cli(capsys, "check", str(folder), "--format", "json")
    assert code == 1
    assert '"code": "not-approved"' in out
    assert '"line": 5' in out
    assert '"column": 9' in out


def test_the_approval_scope_is_every_file_but_approval_yaml(world: World) -> None:
    scope = manifest(world.folder)
    on_disk = {str(p.relative_to(world.folder)) for p in world.folder.rglob("*") if p.is_file()} - {
        "approval.yaml"
    }
    assert set(scope) == on_disk
    assert {"rules/safety.yaml", "tests/safety.yaml", "sheet.yaml", "ruleset.yaml"} <= on_disk


def test_a_draft_or_expired_set_cannot_be_signed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import date

    from decision_aid.governance.approval import ApprovalError

    trust_dirs(tmp_path, monkeypatch)
    folder = tmp_path / "draft"
    shutil.copytree(BUNDLED, folder)
    key = Ed25519PrivateKey.generate()
    with pytest.raises(ApprovalError, match="status is 'draft': set status: approved"):
        approve(folder, load_rule_set(folder), reviewer=REVIEWER, role=ROLE, key=key)
    claim_approved(folder, review_by=date(2020, 1, 1))
    with pytest.raises(ApprovalError, match="review date 2020-01-01 has passed"):
        approve(folder, load_rule_set(folder), reviewer=REVIEWER, role=ROLE, key=key)
    assert not (folder / "approval.yaml").exists()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_single_byte_change_anywhere_keeps_an_approval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: st.DataObject
) -> None:
    """Any one byte of any file of a (small) approved set, changed to any other value:
    the set no longer loads, or it loads marked as not approved. (approval.yaml's own
    bytes are the scenarios' business: its comment line, say, is not signed.)"""
    trust_dirs(tmp_path, monkeypatch)
    key = Ed25519PrivateKey.generate()
    trust(key, tmp_path / "trust-user")
    with tempfile.TemporaryDirectory(dir=tmp_path) as temp:
        folder = Path(temp) / "mini"
        shutil.copytree(MINI, folder)
        claim_approved(folder)
        approve(folder, load_rule_set(folder), reviewer=REVIEWER, role=ROLE, key=key)
        assert approval_state(load_rule_set(folder)).approved
        files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "approval.yaml")
        target = data.draw(st.sampled_from(files))
        content = bytearray(target.read_bytes())
        index = data.draw(st.integers(0, len(content) - 1))
        content[index] = data.draw(st.integers(0, 255).filter(lambda b: b != content[index]))
        target.write_bytes(bytes(content))
        try:
            state = approval_state(load_rule_set(folder))
        except RuleSetError:
            return
        assert not state.approved, (target.name, index)
