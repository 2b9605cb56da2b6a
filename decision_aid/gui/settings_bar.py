"""The bar above the questions: a choice for every setting of the rule set (the guideline
basis, and any other the rule set declares) and the patient label."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from decision_aid.gui.text import literal_mnemonic, plain_label

if TYPE_CHECKING:
    from decision_aid.domain.rules import Setting

__all__ = ["SettingsBar"]


class SettingsBar(QWidget):
    """``chosen(setting_id, choice_id)`` when a setting changes; ``label_edited(text)``
    when the patient label was edited."""

    chosen = Signal(str, str)
    label_edited = Signal(str)

    def __init__(self, settings: tuple[Setting, ...] | list[Setting]) -> None:
        super().__init__()
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        self.choices: dict[str, QComboBox] = {}
        for setting in settings:
            box = QComboBox()
            box.setObjectName(f"setting-{setting.id}")
            box.setAccessibleName(setting.label)
            for choice in setting.choices:
                box.addItem(choice.label, choice.id)
            label = plain_label(f"&{literal_mnemonic(setting.label)}:")
            label.setBuddy(box)
            bar.addWidget(label)
            bar.addWidget(box)
            box.currentIndexChanged.connect(
                lambda index, s=setting.id, b=box: self._on_chosen(s, b, index)
            )
            self.choices[setting.id] = box
        bar.addStretch(1)
        self.patient = QLineEdit()
        self.patient.setObjectName("patient-label")
        self.patient.setMaxLength(40)
        self.patient.setPlaceholderText("initials or local reference")
        self.patient.setAccessibleName("Patient label")
        self.patient.editingFinished.connect(lambda: self.label_edited.emit(self.patient.text()))
        patient_label = QLabel("Patient &label:")
        patient_label.setBuddy(self.patient)
        bar.addWidget(patient_label)
        bar.addWidget(self.patient)

    def _on_chosen(self, setting_id: str, box: QComboBox, index: int) -> None:
        if index >= 0:
            self.chosen.emit(setting_id, str(box.itemData(index)))

    def show_settings(self, settings: dict[str, str]) -> None:
        for setting_id, box in self.choices.items():
            with QSignalBlocker(box):
                box.setCurrentIndex(box.findData(settings.get(setting_id)))

    def show_label(self, label: str, *, force: bool) -> None:
        """Show ``label`` unless it is being typed (``force``: another consultation)."""
        if force or not self.patient.hasFocus():
            self.patient.setText(label)
