"""The visible progress list of the live checks: one row per check with ✓ / ✗ / ⚠ / … / –,
its title, and the catalogue's explanation and fix in the current language."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from wadesk.engine.checks import CheckKey, CheckResult, CheckState
from wadesk.ui.setup.common import GLYPHS, check_title, state_text, ui_language
from wadesk.ui.setup.messages import render_message

_COLORS = {
    CheckState.OK: "#1a7f37",
    CheckState.WARNING: "#b35900",
    CheckState.FAILED: "#c62828",
}


class _Row:
    def __init__(self, grid: QGridLayout, line: int, key: CheckKey, parent: QWidget) -> None:
        self.key = key
        self.result = CheckResult(key, CheckState.PENDING)
        self.glyph = QLabel(parent)
        self.glyph.setObjectName("CheckGlyph")
        self.glyph.setFixedWidth(22)
        self.glyph.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.title = QLabel(parent)
        self.title.setObjectName("CheckTitle")
        self.text = QLabel(parent)
        self.text.setObjectName("CheckText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.glyph, line * 2, 0, 2, 1)
        grid.addWidget(self.title, line * 2, 1)
        grid.addWidget(self.text, line * 2 + 1, 1)

    def render(self) -> None:
        state = self.result.state
        color = _COLORS.get(state, "#808080")
        self.glyph.setText(f'<span style="color:{color}; font-size:15px;">{GLYPHS[state]}</span>')
        self.title.setText(f"<b>{check_title(self.key)}</b> — {state_text(state)}")
        self.text.setText(describe(self.result))
        self.text.setVisible(bool(self.text.text()))


def describe(result: CheckResult) -> str:
    """What the row says under its title, in the current language."""
    if result.error is not None:
        return result.error.explain(ui_language())
    if result.state in (CheckState.PENDING, CheckState.RUNNING):
        return ""
    if result.message is not None:
        return render_message(result.message)
    return result.summary


class CheckList(QFrame):
    """Rows for the planned checks; `set_result` updates one row as progress arrives."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CheckList")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(8, 8, 8, 8)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(2)
        self._grid.setColumnStretch(1, 1)
        self._rows: dict[CheckKey, _Row] = {}

    def reset(self, keys: list[CheckKey]) -> None:
        """Show `keys` as pending rows (replacing any previous rows)."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._rows = {}
        for line, key in enumerate(keys):
            row = _Row(self._grid, line, key, self)
            self._rows[key] = row
            row.render()

    def set_result(self, result: CheckResult) -> None:
        row = self._rows.get(result.key)
        if row is None:
            return
        row.result = result
        row.render()

    def results(self) -> list[CheckResult]:
        return [row.result for row in self._rows.values()]

    def state(self, key: CheckKey) -> CheckState | None:
        row = self._rows.get(key)
        return row.result.state if row is not None else None

    def row_text(self, key: CheckKey) -> str:
        """Glyph, title and text of a row as plain text (tests, accessibility)."""
        row = self._rows[key]
        return f"{GLYPHS[row.result.state]} {check_title(key)} — {describe(row.result)}"

    def retranslate(self) -> None:
        for row in self._rows.values():
            row.render()
