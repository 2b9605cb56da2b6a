"""File → Export: named from the patient label and the date, the identifier the clinician
gives as the subject, a confirmation saying where the files went, and no silent overwrite."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from decision_aid.gui.preferences import set_clinician_name
from tests.gui.conftest import WindowFactory


def test_an_export_names_the_patient_and_says_where_it_went(
    make_window: WindowFactory,
    tmp_path: Path,
    private_data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    suggested: list[str] = []
    shown: list[str] = []
    asked: list[str] = []
    target = tmp_path / "out" / "jd.fhir.json"
    target.parent.mkdir()

    def save_as(parent: Any, title: str, start: str, kinds: str) -> tuple[str, str]:
        suggested.append(start)
        return str(target), kinds

    def tell(box: QMessageBox) -> int:
        shown.append(box.text())
        return int(QMessageBox.StandardButton.Ok.value)

    def replace(parent: Any, title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QInputDialog, "getText", lambda *args: ("MRN-0042", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(QMessageBox, "exec", tell)
    monkeypatch.setattr(QMessageBox, "question", replace)
    window = make_window()
    assert window.model is not None
    set_clinician_name("Dr Ada Lovelace")
    window.model.set_patient_label("J. Doe")
    window.menus.export_action.trigger()

    assert Path(suggested[0]).name == f"J. Doe {date.today():%Y-%m-%d}.fhir.json"
    bundle: Any = Bundle.model_validate(json.loads(target.read_text()))
    response = bundle.entry[0].resource
    assert (response.subject.identifier.value, response.subject.display) == ("MRN-0042", "J. Doe")
    assert response.author.display == "Dr Ada Lovelace"
    beside = target.with_name("jd.questionnaire.json")
    assert json.loads(beside.read_text())["resourceType"] == "Questionnaire"
    assert shown == [f"Written to {target}\nwith its questionnaire in {beside}"]

    before = beside.read_bytes(), target.read_bytes()
    window.model.set_answer("age", 52)
    window.menus.export_action.trigger()  # the questionnaire file exists: asked, and declined
    assert asked == ["jd.questionnaire.json already exists beside jd.fhir.json. Replace it?"]
    assert (beside.read_bytes(), target.read_bytes()) == before, "nothing overwritten"
    assert len(shown) == 1, "no confirmation for what was not written"
