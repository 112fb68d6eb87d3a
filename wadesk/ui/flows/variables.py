"""The flow's declared variables: `VariablesModel` (name, default value, description — edited in
place, every change an undo command on the flow model: `SetVariable`, `RenameVariable`,
`RemoveVariable`) and `VariablesPanel` (the table with Add / Delete and the "Declare “x”"
offer the editor shows when the user picks an "undefined variable" problem).

The model observes the flow (`variables_changed`), so undo/redo and edits made elsewhere show
up at once. Renaming a variable renames its uses in the nodes in the same undo step.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wadesk.flow import Flow, Variable
from wadesk.flow.graph import VARIABLE_RE
from wadesk.ui.flows.commands import RemoveVariable, RenameVariable, SetVariable

COLUMNS = ("name", "default", "description")
Index = QModelIndex | QPersistentModelIndex


def default_text(value: Any) -> str:
    return "" if value is None else str(value)


class VariablesModel(QAbstractTableModel):
    """The declared variables of one flow. Signals: `refused(str)` — an edit the model did not
    make (invalid or duplicate name), with the reason for the user."""

    refused = Signal(str)

    def __init__(self, flow: Flow, stack: QUndoStack, parent: Any = None) -> None:
        super().__init__(parent)
        self._stack = weakref.ref(stack)
        self._rows: tuple[Variable, ...] = ()
        self._unsubscribe: Callable[[], None] | None = None
        self.flow = flow
        self.set_flow(flow)

    @property
    def stack(self) -> QUndoStack:
        stack = self._stack()
        assert stack is not None, "the undo stack of this model is gone"
        return stack

    def set_flow(self, flow: Flow) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.flow = flow
        self._unsubscribe = flow.variables_changed.connect(self._reload)
        self._reload()

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def _reload(self) -> None:
        self.beginResetModel()
        self._rows = self.flow.variables
        self.endResetModel()

    def variable_at(self, row: int) -> Variable | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, name: str) -> int:
        for i, v in enumerate(self._rows):
            if v.name == name:
                return i
        return -1

    # -- Qt model ----------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return (
                QCoreApplication.translate("VariablesModel", "Name"),
                QCoreApplication.translate("VariablesModel", "Default value"),
                QCoreApplication.translate("VariablesModel", "Description"),
            )[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        var = self.variable_at(index.row())
        if var is None or not 0 <= index.column() < len(COLUMNS):
            return None
        column = COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == "name":
                return var.name
            if column == "default":
                return default_text(var.default)
            return var.description
        if role == Qt.ItemDataRole.ToolTipRole and column == "name":
            return "{{" + var.name + "}}"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        var = self.variable_at(index.row())
        if var is None:
            return False
        column = COLUMNS[index.column()]
        text = "" if value is None else str(value)
        if column == "name":
            return self.rename(var.name, text.strip())
        if column == "default":
            if default_text(var.default) == text:
                return False
            self.stack.push(
                SetVariable(
                    self.flow,
                    var.name,
                    text,
                    text=QCoreApplication.translate(
                        "VariablesModel", "Change a variable's default"
                    ),
                )
            )
            return True
        if var.description == text:
            return False
        self.stack.push(
            SetVariable(
                self.flow,
                var.name,
                var.default,
                description=text,
                text=QCoreApplication.translate("VariablesModel", "Describe a variable"),
            )
        )
        return True

    # -- operations (each one undo command) ----------------------------------------------------------

    def check_name(self, name: str, current: str | None = None) -> str:
        """Why `name` cannot be used ("" when it can)."""
        if not VARIABLE_RE.match(name):
            return QCoreApplication.translate(
                "VariablesModel",
                "“%1” is not a valid variable name: use letters, digits and _, "
                "starting with a letter.",
            ).replace("%1", name)
        if name != current and self.flow.variable(name) is not None:
            return QCoreApplication.translate(
                "VariablesModel", "There is already a variable “%1”."
            ).replace("%1", name)
        return ""

    def add(self, name: str, default: Any = "", description: str = "") -> bool:
        reason = self.check_name(name)
        if reason:
            self.refused.emit(reason)
            return False
        self.stack.push(
            SetVariable(
                self.flow,
                name,
                default,
                description=description,
                text=QCoreApplication.translate("VariablesModel", "Declare a variable"),
            )
        )
        return True

    def rename(self, old: str, new: str) -> bool:
        if new == old:
            return False
        reason = self.check_name(new, old)
        if reason:
            self.refused.emit(reason)
            return False
        self.stack.push(
            RenameVariable(
                self.flow,
                old,
                new,
                text=QCoreApplication.translate("VariablesModel", "Rename a variable"),
            )
        )
        return True

    def remove(self, name: str) -> bool:
        if self.flow.variable(name) is None:
            return False
        self.stack.push(
            RemoveVariable(
                self.flow,
                name,
                text=QCoreApplication.translate("VariablesModel", "Delete a variable"),
            )
        )
        return True

    def unused_name(self, base: str = "variable") -> str:
        i = 1
        while self.flow.variable(f"{base}{i}") is not None:
            i += 1
        return f"{base}{i}"


class VariablesPanel(QWidget):
    """The Variables tab of the editor."""

    def __init__(self, flow: Flow, stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FlowVariables")
        self.model = VariablesModel(flow, stack, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #667781; padding: 2px 6px;")
        layout.addWidget(self.hint)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(0, 110)
        self.table.setColumnWidth(1, 90)
        layout.addWidget(self.table, 1)
        self.offer_button = QPushButton(self)
        self.offer_button.setObjectName("DeclareVariable")
        self.offer_button.hide()
        layout.addWidget(self.offer_button)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #B42318; padding: 2px 6px;")
        self.message.hide()
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.add_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.offered = ""
        self.add_button.clicked.connect(self.add_variable)
        self.remove_button.clicked.connect(self.remove_selected)
        self.offer_button.clicked.connect(self._declare_offered)
        self.model.refused.connect(self.show_error)
        self.model.modelReset.connect(self._after_reset)
        self.retranslate()

    def retranslate(self) -> None:
        self.hint.setText(
            self.tr(
                "Variables hold what the customer answers or what the bot sets; "
                "use them in texts as {{name}}."
            )
        )
        self.add_button.setText(self.tr("Add"))
        self.remove_button.setText(self.tr("Delete"))
        self._update_offer()

    def set_flow(self, flow: Flow) -> None:
        self.model.set_flow(flow)
        self.offer("")

    def names(self) -> list[str]:
        return [v.name for v in self.model.flow.variables]

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def add_variable(self) -> str:
        """Declare a new variable (`variable1`, …) and start editing its name."""
        name = self.model.unused_name()
        self.model.add(name)
        self.select(name, edit=True)
        return name

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        var = self.model.variable_at(rows[0].row()) if rows else None
        if var is not None:
            self.model.remove(var.name)

    def select(self, name: str, *, edit: bool = False) -> None:
        row = self.model.row_of(name)
        if row < 0:
            return
        self.table.selectRow(row)
        index = self.model.index(row, 0)
        self.table.scrollTo(index)
        if edit:
            self.table.setCurrentIndex(index)
            self.table.edit(index)

    def offer(self, name: str) -> None:
        """Offer to declare `name` (an undefined variable the user picked); "" hides it."""
        self.offered = name if name and self.model.flow.variable(name) is None else ""
        self._update_offer()
        if name and not self.offered:
            self.select(name)

    def _update_offer(self) -> None:
        self.offer_button.setText(
            self.tr("Declare “%1”").replace("%1", self.offered) if self.offered else ""
        )
        self.offer_button.setVisible(bool(self.offered))

    def _declare_offered(self) -> None:
        name = self.offered
        if name and self.model.add(name):
            self.offer("")
            self.select(name)

    def _after_reset(self) -> None:
        self.show_error("")
        self.remove_button.setEnabled(self.model.rowCount() > 0)
        if self.offered and self.model.flow.variable(self.offered) is not None:
            self.offer("")

    def detach(self) -> None:
        self.model.detach()
