"""The window's actions and menus. Every action has its shortcut in its menu entry and
tooltip; the rule author's actions have their own menu, shown when the rule set is not
approved or when asked for (View); the shortcut list is made from the actions there are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from decision_aid.gui import exports, files, overrides, printing
from decision_aid.gui.dialogs import show_message
from decision_aid.gui.preferences import preference, set_preference

if TYPE_CHECKING:
    from decision_aid.gui.main_window import MainWindow

__all__ = ["WindowMenus"]

DETAILS_PREFERENCE = "view/details"
AUTHOR_MENU_PREFERENCE = "view/author-menu"
MAX_SECTION_KEYS = 9


class WindowMenus:
    """The actions of ``window``, in its menu bar."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        key = QKeySequence.StandardKey
        w = window
        self.new_action = self._action(
            "&New consultation", key.New, lambda: files.new_consultation(w)
        )
        self.open_action = self._action("&Open…", key.Open, lambda: files.open_file(w))
        self.save_action = self._action("&Save", key.Save, lambda: files.save(w))
        self.save_as_action = self._action("Save &as…", key.SaveAs, lambda: files.save_as(w))
        self.export_action = self._action(
            "&Export for the health record (FHIR)…", "Ctrl+E", lambda: exports.export_fhir(w)
        )
        self.print_action = self._action(
            "&Print the discussion sheet…", key.Print, lambda: printing.preview_sheet(w)
        )
        self.print_action.setIconText("Print")
        self.quit_action = self._action("&Quit", key.Quit, window.close)
        self.override_action = self._action(
            "&Override outcome…", "Ctrl+Shift+O", lambda: overrides.override(w)
        )
        self.override_action.setIconText("Override")
        self.clear_override_action = self._action(
            "&Withdraw override", None, lambda: overrides.clear_override(w)
        )
        self.name_action = self._action(
            "Your &name for overrides…", None, lambda: overrides.ask_name(w)
        )
        self.next_action = self._action(
            "&Next section", "Ctrl+PgDown", lambda: w.view.step_section(1)
        )
        self.previous_action = self._action(
            "&Previous section", "Ctrl+PgUp", lambda: w.view.step_section(-1)
        )
        self.missing_action = self._action(
            "First &missing answer", "Ctrl+M", w.jump_to_first_missing
        )
        self.wider_action = self._action(
            "&Widen the outcome", "Ctrl+Alt+Left", lambda: w.view.move_divider(1)
        )
        self.narrower_action = self._action(
            "Na&rrow the outcome", "Ctrl+Alt+Right", lambda: w.view.move_divider(-1)
        )
        self.details_action = self._toggle(
            "Show rule &details (ids and sources)", DETAILS_PREFERENCE, w.show_details
        )
        self.author_menu_action = self._toggle(
            "Show the rule &author's menu", AUTHOR_MENU_PREFERENCE, lambda _: self.show_author()
        )
        self.case_action = self._action(
            "Save the answers as a &test case…", None, lambda: exports.save_test_case(w)
        )
        self.reload_action = self._action("&Reload rules", key.Refresh, w.reload_rules)
        self.watch_action = self._action("&Watch the rule files", None, w.watch_rules)
        self.watch_action.setCheckable(True)
        self.watch_action.setToolTip("Reload the rule set whenever its files change")
        self.outcome_action = self._action(
            "The &outcome panel",
            "F6",
            lambda: w.view.toggle_outcome_focus(),  # noqa: PLW0108 - the view changes
        )
        self.status_action = self._action("&Status in full", "Ctrl+I", self.show_status)
        self.keys_action = self._action("&Keyboard shortcuts", None, self.show_keys)
        self.section_actions: list[QAction] = []

        bar = window.menuBar()
        self._menu(bar.addMenu("&File"), [
            self.new_action, self.open_action, self.save_action, self.save_as_action, None,
            self.export_action, self.print_action, None, self.quit_action,
        ])  # fmt: skip
        self.edit_menu = bar.addMenu("&Edit")
        self._menu(self.edit_menu, [
            window.undo.undo_action, window.undo.redo_action, None,
            self.override_action, self.clear_override_action, self.name_action,
        ])  # fmt: skip
        self.view_menu = bar.addMenu("&View")
        self._menu(self.view_menu, [
            self.next_action, self.previous_action, self.missing_action, self.outcome_action,
            self.status_action, None, self.wider_action, self.narrower_action, None,
            self.details_action, self.author_menu_action,
        ])  # fmt: skip
        self.author_menu = bar.addMenu("&Rules")
        self._menu(self.author_menu, [self.case_action, self.reload_action, self.watch_action])
        self._menu(bar.addMenu("&Help"), [self.keys_action])
        self.approved = False
        self.show_author()

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: Callable[[], object],
    ) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setToolTip(
                f"{text.replace('&', '').rstrip('…')} ({action.shortcut().toString()})"
            )
        action.triggered.connect(lambda _=False: slot())
        self.window.addAction(action)  # its shortcut works while its menu is hidden
        return action

    def _toggle(self, text: str, key: str, slot: Callable[[bool], object]) -> QAction:
        """A remembered on/off switch."""

        def toggled() -> None:
            set_preference(key, action.isChecked())
            slot(action.isChecked())

        action = self._action(text, None, toggled)
        action.setCheckable(True)
        action.setChecked(preference(key))
        return action

    @staticmethod
    def _menu(menu: QMenu, actions: list[QAction | None]) -> None:
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)

    def show_author(self, approved: bool | None = None) -> None:
        """The rule author's menu: for a set not approved, or when asked for."""
        if approved is not None:
            self.approved = approved
        visible = not self.approved or self.author_menu_action.isChecked()
        self.author_menu.menuAction().setVisible(visible)

    def show_sections(self, count: int) -> None:
        """Ctrl+1… for the sections there are (up to nine)."""
        for action in self.section_actions:
            self.window.removeAction(action)
        self.section_actions = [
            self._action(f"Section {n}", f"Ctrl+{n}", self._section_shower(n - 1))
            for n in range(1, min(count, MAX_SECTION_KEYS) + 1)
        ]

    def _section_shower(self, index: int) -> Callable[[], None]:
        return lambda: self.window.view.show_section(index)

    def set_consultation_enabled(self, enabled: bool) -> None:
        """What needs a consultation: off while the rule set is broken or loading."""
        for action in (
            self.new_action, self.save_action, self.save_as_action, self.export_action,
            self.print_action, self.override_action, self.clear_override_action,
            self.next_action, self.previous_action, self.missing_action, self.open_action,
            self.case_action, self.wider_action, self.narrower_action, self.outcome_action,
        ):  # fmt: skip
            action.setEnabled(enabled)

    def shortcut_lines(self) -> list[str]:
        from decision_aid.gui.question_page import KEYS_HELP

        lines = [
            f"{action.iconText()}: {', '.join(k.toString() for k in action.shortcuts())}"
            for action in self.window.actions()
            if not action.shortcut().isEmpty()
        ]
        return lines + list(KEYS_HELP)

    def show_status(self) -> None:
        """The status line, every part whole (a narrow window cuts them short)."""
        show_message(self.window, "Status", self.window.status.in_full())

    def show_keys(self) -> None:
        show_message(self.window, "Keyboard shortcuts", "\n".join(self.shortcut_lines()))
