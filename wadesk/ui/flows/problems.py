"""The problems list under the canvas: every validation problem of the flow (errors first);
clicking one asks the editor to select its node (`node_requested(node_id)`); an "undefined
variable" problem also asks for the Variables panel (`variable_requested(name)`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from wadesk.flow import Problem
from wadesk.ui.flows.items import ERROR_COLOR, WARNING_COLOR

NODE_ROLE = Qt.ItemDataRole.UserRole
VARIABLE_ROLE = Qt.ItemDataRole.UserRole + 1


class ProblemsList(QListWidget):
    node_requested = Signal(str)
    variable_requested = Signal(str)

    def __init__(self, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FlowProblems")
        self.lang = lang
        self.problems: list[Problem] = []
        self.setWordWrap(True)
        self.itemClicked.connect(self._on_item)
        self.itemActivated.connect(self._on_item)

    def set_problems(self, problems: list[Problem]) -> None:
        ordered = sorted(problems, key=lambda p: 0 if p.severity == "error" else 1)
        self.problems = ordered
        self.clear()
        if not ordered:
            item = QListWidgetItem(self.tr("✓ No problems found."), self)
            item.setForeground(QColor("#1DAA61"))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            return
        for p in ordered:
            text = p.message_ru if self.lang == "ru" else p.message_en
            mark = "●"
            where = p.node_id or self.tr("flow")
            item = QListWidgetItem(f"{mark}  {where}: {text}", self)
            item.setForeground(QColor(ERROR_COLOR if p.severity == "error" else WARNING_COLOR))
            item.setData(NODE_ROLE, p.node_id or "")
            if p.code == "undefined_variable" and p.subject:
                item.setData(VARIABLE_ROLE, p.subject)
            item.setToolTip(text)

    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    def _on_item(self, item: QListWidgetItem) -> None:
        node_id = item.data(NODE_ROLE)
        if node_id:
            self.node_requested.emit(str(node_id))
        variable = item.data(VARIABLE_ROLE)
        if variable:
            self.variable_requested.emit(str(variable))
