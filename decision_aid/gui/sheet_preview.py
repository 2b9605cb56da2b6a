"""Preview the discussion sheet before printing it or saving it as a PDF.

The pages are drawn from the very PDF that is printed or saved (PDFium renders them),
so what the clinician sees here is what the patient takes home.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from decision_aid.domain.errors import DecisionAidError
from decision_aid.gui.dialogs import show_error
from decision_aid.gui.screen import fit_to_screen
from decision_aid.storage.atomic import write_file

__all__ = ["SheetPreview", "page_images"]


def page_images(pdf: bytes, *, dpi: float, width: float | None = None) -> list[QImage]:
    """Every page of ``pdf`` as an image at ``dpi``, or narrower to fit ``width`` pixels."""
    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for index in range(len(document)):
            page = document[index]
            scale = dpi / 72 if width is None else min(dpi / 72, width / page.get_width())
            bitmap = page.render(scale=scale, prefer_bgrx=True)
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB32,
            )
            images.append(image.copy())  # own the pixels before PDFium frees its buffer
    finally:
        document.close()
    return images


class SheetPreview(QDialog):
    """``delivered(event, where)`` is called after each print or save (the audit trail)."""

    def __init__(
        self,
        pdf: bytes,
        suggested_name: str,
        parent: QWidget | None = None,
        *,
        delivered: Callable[[str, str], None] | None = None,
        remake: Callable[[str, bool], bytes] | None = None,
    ) -> None:
        """``remake(part, labelled)``, if given, draws the sheet again for the choices the
        dialog offers: "full" or "summary", and the patient's label on it or not."""
        super().__init__(parent)
        self.pdf = pdf
        self.delivered = delivered or (lambda event, where: None)
        self.suggested_name = suggested_name
        self.remake = remake
        self.setObjectName("sheet-preview")
        self.setWindowTitle("Discussion sheet: preview")
        fit_to_screen(self, QSize(820, 900))  # its buttons stay on a small screen
        layout = QVBoxLayout(self)
        if remake is not None:
            choices = QHBoxLayout()
            self.part_box = QComboBox()
            self.part_box.addItem("The full sheet", "full")
            self.part_box.addItem("The two-page summary (and the clinician's page)", "summary")
            self.label_box = QCheckBox("Print the patient's &label and the date")
            shown = QLabel("P&rint:")
            shown.setBuddy(self.part_box)
            choices.addWidget(shown)
            choices.addWidget(self.part_box, 1)
            choices.addWidget(self.label_box)
            layout.addLayout(choices)
            self.part_box.currentIndexChanged.connect(self._on_choice_changed)
            self.label_box.toggled.connect(self._on_choice_changed)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.page_labels: list[QLabel] = []
        self.show_pages()
        layout.addWidget(self.area, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton("&Print…")
        self.save_button = QPushButton("&Save as PDF…")
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_sheet)
        self.save_button.clicked.connect(self.save_sheet)
        layout.addWidget(buttons)

    def show_pages(self) -> None:
        """Draw every page of :attr:`pdf` into the scroll area."""
        pages = QWidget()
        column = QVBoxLayout(pages)
        self.page_labels = []
        ratio = self.devicePixelRatioF()  # sharp at any scale, and no wider than the dialog
        fit = (self.width() - 6 * self.fontMetrics().height()) * ratio
        for number, image in enumerate(page_images(self.pdf, dpi=90 * ratio, width=fit), 1):
            label = QLabel()
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label.setPixmap(pixmap)
            label.setAccessibleName(f"Page {number}")
            label.setFrameShape(QLabel.Shape.Box)
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        self.area.setWidget(pages)

    def _on_choice_changed(self) -> None:
        assert self.remake is not None
        self.pdf = self.remake(str(self.part_box.currentData()), self.label_box.isChecked())
        self.show_pages()

    def save_sheet(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the discussion sheet", self.suggested_name, "PDF (*.pdf)"
        )
        if name:
            self.save_to(Path(name))

    def save_to(self, path: Path) -> bool:
        try:
            write_file(path, self.pdf)
        except DecisionAidError as error:
            show_error(self, "The sheet was not saved", error)
            return False
        self.delivered("sheet-saved", str(path))
        return True

    def print_sheet(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec():
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Print every page; on any failure say why in a dialog (never silently nothing)."""
        try:
            images = page_images(self.pdf, dpi=min(300, printer.resolution()))
        except Exception as error:  # PDFium's errors share no base with ours
            show_error(self, "The sheet was not printed", f"The pages could not be drawn: {error}")
            return False
        painter = QPainter()
        if not painter.begin(printer):
            where = printer.outputFileName() or printer.printerName() or "the printer"
            show_error(
                self, "The sheet was not printed", f"{where} could not be opened for printing."
            )
            return False
        try:
            for index, image in enumerate(images):
                if index:
                    printer.newPage()
                page = painter.viewport()
                scaled = image.size().scaled(page.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(page.topLeft(), scaled), image)
        finally:
            ended = painter.end()
        if not ended:
            show_error(self, "The sheet was not printed", "The printer did not accept the pages.")
            return False
        self.delivered("sheet-printed", printer.outputFileName() or printer.printerName())
        return True
