"""The window says exactly which approval state its rule set is in: on the status bar, in
the outcome panel and on the sheet it prints; a retired set starts no consultation."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest

from decision_aid.governance.approval import ApprovalKind
from decision_aid.gui import actions, exports
from decision_aid.gui.text import html_text
from tests.governance.scenarios import SCENARIOS, Scenario, World, make_world
from tests.gui.conftest import WindowFactory


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    return make_world(tmp_path, monkeypatch)


def _pdf_pages(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [" ".join(p.get_textpage().get_text_range().split()) for p in document]
    finally:
        document.close()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_the_window_shows_the_approval_state(
    make_window: WindowFactory, world: World, scenario: Scenario
) -> None:
    scenario.change(world)
    mark = scenario.mark(world)
    window = make_window(world.folder)
    if scenario.kind is ApprovalKind.RETIRED:
        assert window.model is None, "a retired set starts no consultation"
        assert window.central.currentWidget() is window.error_panel
        shown = [window.error_panel.problems.item(i).text() for i in range(1)]
        assert "error[retired]" in shown[0]
        assert "cannot be used for a new consultation" in shown[0]
        assert not window.menus.new_action.isEnabled()
        return
    assert window.status.approval_label.text() == mark
    panel = window.view.outcome.approval
    if scenario.kind is ApprovalKind.APPROVED:
        assert panel.isHidden()
        assert "DRAFT" not in window.windowTitle()
        assert "NOT APPROVED" not in window.windowTitle()
    else:
        assert panel.isVisible()
        assert panel.text() == html_text(mark)
        assert window.windowTitle().split(" — ")[1].split(" · ")[2:] == list(
            window.approval.flags() if window.approval else ()
        )
        assert window.model is not None
        pages = _pdf_pages(actions.sheet_job(window.model, window.approval)())
        assert all(" ".join(mark.split()) in page for page in pages)


def test_the_fhir_export_claims_active_only_for_an_approved_set(
    make_window: WindowFactory, world: World, tmp_path: Path
) -> None:
    import json

    window = make_window(world.folder)
    written = exports.export_to(window, tmp_path / "approved.json")
    assert written is not None
    questionnaire = written[1]
    assert json.loads(questionnaire.read_text())["status"] == "active"
    (world.folder / "approval.yaml").unlink()  # status: approved stays, unproved
    window.reload_rules()
    written = exports.export_to(window, tmp_path / "claimed.json")
    assert written is not None
    questionnaire = written[1]
    assert json.loads(questionnaire.read_text())["status"] == "draft"


def test_a_window_left_open_past_the_review_date_marks_the_set_expired(
    make_window: WindowFactory, world: World
) -> None:
    from datetime import UTC, datetime, time, timedelta

    from tests.governance.approved import REVIEW_BY, day

    window = make_window(world.folder)
    assert window.approval is not None
    assert window.approval.approved
    model = window.model
    assert model is not None
    after = REVIEW_BY + timedelta(days=1)
    model.clock = lambda: datetime.combine(after, time(12), tzinfo=UTC)
    model.set_notes("a day after the review date")
    assert window.status.approval_label.text().startswith(
        f"EXPIRED: this rule set was due for review by {day(REVIEW_BY)}"
    )
    assert window.view.outcome.approval.isVisible()
