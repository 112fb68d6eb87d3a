"""Settings → Labels: the coloured labels the owner puts on conversations.

`LabelsModel` lists the labels (name, colour swatch, how many conversations carry each).
`LabelsSection` adds, renames, recolours (QColorDialog with `open()`) and deletes them through
`engine.labels` (`wadesk.engine.labels.LabelService`); a delete asks first and says how many
conversations carry the label. The engine republishes the affected conversations, so the
conversation list and contact panel show the change; `changed` also tells the inbox to reload
its label filter and the contact panel's label list.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wadesk.engine.inbox import MAX_LABEL_NAME
from wadesk.engine.labels import LabelUsage
from wadesk.ui.settings.common import (
    DeleteKey,
    Section,
    ask,
    card,
    english_plural,
    hint,
    set_status,
    store_ready,
)

log = logging.getLogger("wadesk.ui.settings")
Index = QModelIndex | QPersistentModelIndex
PALETTE = ("#25D366", "#2196F3", "#FF9800", "#E91E63", "#9C27B0", "#795548", "#607D8B")
ID_ROLE = Qt.ItemDataRole.UserRole
COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
COLOUR_ROLE = Qt.ItemDataRole.UserRole + 2


def swatch(colour: str, size: int = 16) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


class LabelsModel(QAbstractListModel):
    """One row per label: name (with its count), a colour swatch, id/count/colour roles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[LabelUsage] = []

    def items(self) -> list[LabelUsage]:
        return list(self._items)

    def set_items(self, items: list[LabelUsage]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            n = item.conversations
            count = english_plural(self.tr("%n conversation(s)", "", n), n)
            return f"{item.label.name}  —  {count}"
        if role == Qt.ItemDataRole.DecorationRole:
            return swatch(item.label.colour)
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.label.colour
        if role == ID_ROLE:
            return item.label.id
        if role == COUNT_ROLE:
            return item.conversations
        if role == COLOUR_ROLE:
            return item.label.colour
        return None


class LabelNameDialog(QDialog):
    """Asks for a label name (new or renamed); checked before OK closes it."""

    def __init__(self, name: str, taken: set[str], title: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("LabelNameDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(360)
        self._taken = taken
        self.name_edit = QLineEdit(name)
        self.name_edit.setMaxLength(MAX_LABEL_NAME)
        label = QLabel(self.tr("&Name"))
        label.setBuddy(self.name_edit)
        form = QFormLayout()
        form.addRow(label, self.name_edit)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.name_edit.textEdited.connect(lambda _t: set_status(self.error, ""))

    def name(self) -> str:
        return " ".join(self.name_edit.text().split())

    def problem(self) -> str | None:
        name = self.name()
        if not name:
            return self.tr("Give the label a name.")
        if name.casefold() in self._taken:
            return self.tr("A label named “%1” already exists.").replace("%1", name)
        return None

    def _on_ok_clicked(self) -> None:
        problem = self.problem()
        if problem is None:
            self.accept()
        else:
            set_status(self.error, problem, error=True)


class LabelsSection(Section):
    """The label manager (see the module doc).

    Attributes:
        model, view: the list; name_dialog / colour_dialog / confirm: what is open.
    """

    changed = Signal()

    def __init__(self, engine: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LabelsSection")
        self._engine = engine
        self.service = getattr(engine, "labels", None)
        self.name_dialog: LabelNameDialog | None = None
        self.colour_dialog: QColorDialog | None = None
        self.confirm: QMessageBox | None = None
        self._renaming: LabelUsage | None = None
        self.loaded = False

        frame, self._card_title, form = card()
        self.model = LabelsModel(self)
        self.view = QListView()
        self.view.setObjectName("LabelsList")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setIconSize(QSize(16, 16))
        self.view.setSpacing(3)
        self.view.setMinimumHeight(220)
        self.view.activated.connect(lambda _i: self._on_rename_clicked())
        DeleteKey(self.view, self._on_delete_clicked)
        form.addRow(self.view)
        self.new_button = QPushButton()
        self.new_button.setProperty("primary", True)
        self.rename_button = QPushButton()
        self.colour_button = QPushButton()
        self.delete_button = QPushButton()
        row = QHBoxLayout()
        row.setSpacing(8)
        for button in (self.new_button, self.rename_button, self.colour_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.delete_button)
        form.addRow(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        form.addRow(self.status)
        self._hint = hint()
        form.addRow(self._hint)
        self.add(frame)
        self.finish()
        self.new_button.clicked.connect(self._on_new_clicked)
        self.rename_button.clicked.connect(self._on_rename_clicked)
        self.colour_button.clicked.connect(self._on_colour_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.retranslate()
        self._update_buttons()

    # -- data ---------------------------------------------------------------------------------

    async def refresh(self) -> None:
        if self.service is None or not await store_ready(self._engine):
            return
        try:
            items = await self.service.usage()
        except Exception as exc:
            log.warning("Loading labels failed: %r", exc)
            set_status(self.status, self._failed(exc), error=True)
            return
        selected = self.selected()
        self.model.set_items(items)
        self.loaded = True
        if selected is not None:
            self.select(selected.label.id)
        self._update_buttons()

    def selected(self) -> LabelUsage | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.items()[rows[0].row()] if rows else None

    def select(self, label_id: int) -> bool:
        for row in range(self.model.rowCount()):
            index = self.model.index(row)
            if index.data(ID_ROLE) == label_id:
                self.view.setCurrentIndex(index)
                return True
        return False

    def _update_buttons(self) -> None:
        available = self.service is not None
        chosen = self.selected() is not None
        self.new_button.setEnabled(available)
        for button in (self.rename_button, self.colour_button, self.delete_button):
            button.setEnabled(available and chosen)

    def _failed(self, exc: Exception) -> str:
        return self.tr("Not saved: %1").replace("%1", str(exc))

    async def _run(self, command: Awaitable[Any], done: str) -> Any:
        try:
            result = await command
        except Exception as exc:
            set_status(self.status, self._failed(exc), error=True)
            return None
        set_status(self.status, done)
        await self.refresh()
        self.changed.emit()
        return result

    # -- commands (awaitable; the buttons open dialogs that end in these) -----------------------

    async def create(self, name: str, colour: str | None = None) -> bool:
        colour = colour or PALETTE[self.model.rowCount() % len(PALETTE)]
        assert self.service is not None
        label = await self._run(
            self.service.create(name, colour), self.tr("Label “%1” added.").replace("%1", name)
        )
        if label is not None:
            self.select(label.id)
        return label is not None

    async def rename(self, item: LabelUsage, name: str) -> bool:
        assert self.service is not None
        done = self.tr("Renamed to “%1”.").replace("%1", name)
        return (
            await self._run(self.service.edit(item.label.id, name, item.label.colour), done)
            is not None
        )

    async def recolour(self, item: LabelUsage, colour: str) -> bool:
        assert self.service is not None
        done = self.tr("New colour for “%1”.").replace("%1", item.label.name)
        return (
            await self._run(self.service.edit(item.label.id, item.label.name, colour), done)
            is not None
        )

    async def delete(self, item: LabelUsage) -> bool:
        assert self.service is not None
        done = self.tr("Label “%1” deleted.").replace("%1", item.label.name)
        return await self._run(self.service.delete(item.label.id), done) is not None

    async def confirm_delete(self, item: LabelUsage) -> bool:
        """Ask, then delete."""
        if item.conversations:
            text = self.tr(
                "Delete the label “%1”? It is on %n conversation(s) and will be removed from them.",
                "",
                item.conversations,
            ).replace("%1", item.label.name)
            text = english_plural(text, item.conversations)
        else:
            text = self.tr("Delete the label “%1”? No conversation carries it.").replace(
                "%1", item.label.name
            )
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel
        self.confirm, answer = ask(
            self,
            QMessageBox.Icon.Question,
            self.tr("Delete label"),
            text,
            buttons,
            QMessageBox.StandardButton.Cancel,
        )
        result = await answer
        self.confirm = None
        if result != QMessageBox.StandardButton.Yes:
            return False
        return await self.delete(item)

    # -- slots --------------------------------------------------------------------------------

    def _taken(self, except_id: int | None) -> set[str]:
        return {i.label.name.casefold() for i in self.model.items() if i.label.id != except_id}

    def _open_name_dialog(self, item: LabelUsage | None) -> None:
        if self.name_dialog is not None:
            return
        self._renaming = item
        title = self.tr("Rename label") if item else self.tr("New label")
        self.name_dialog = LabelNameDialog(
            item.label.name if item else "",
            self._taken(item.label.id if item else None),
            title,
            self,
        )
        self.name_dialog.accepted.connect(self._on_name_accepted)
        self.name_dialog.finished.connect(self._on_name_finished)
        self.name_dialog.open()

    def _on_new_clicked(self) -> None:
        self._open_name_dialog(None)

    def _on_rename_clicked(self) -> None:
        item = self.selected()
        if item is not None:
            self._open_name_dialog(item)

    def _on_name_accepted(self) -> None:
        if self.name_dialog is None:
            return
        name = self.name_dialog.name()
        if self._renaming is None:
            self.tasks.spawn(self.create(name))
        else:
            self.tasks.spawn(self.rename(self._renaming, name))

    def _on_name_finished(self, _result: int) -> None:
        if self.name_dialog is not None:
            self.name_dialog.deleteLater()
        self.name_dialog = None

    def _on_colour_clicked(self) -> None:
        item = self.selected()
        if item is None:
            return
        self._renaming = item
        dialog = QColorDialog(QColor(item.label.colour), self)
        dialog.setWindowTitle(self.tr("Colour of “%1”").replace("%1", item.label.name))
        dialog.colorSelected.connect(self._on_colour_selected)
        dialog.finished.connect(self._on_colour_finished)
        self.colour_dialog = dialog
        dialog.open()

    def _on_colour_selected(self, colour: QColor) -> None:
        item = self._renaming
        if item is not None and colour.isValid():
            self.tasks.spawn(self.recolour(item, colour.name().upper()))

    def _on_colour_finished(self, _result: int) -> None:
        if self.colour_dialog is not None:
            self.colour_dialog.deleteLater()
        self.colour_dialog = None

    def _on_delete_clicked(self) -> None:
        item = self.selected()
        if item is not None:
            self.tasks.spawn(self.confirm_delete(item))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Labels"))
        self.subtitle.setText(
            self.tr("Coloured labels for conversations; put them on in the contact panel.")
        )
        self._card_title.setText(self.tr("Your labels"))
        self.new_button.setText(self.tr("&New label…"))
        self.rename_button.setText(self.tr("&Rename…"))
        self.colour_button.setText(self.tr("Change &colour…"))
        self.delete_button.setText(self.tr("&Delete…"))
        self._hint.setText(
            self.tr("A label name has at most %1 characters.").replace("%1", str(MAX_LABEL_NAME))
            if self.service is not None
            else self.tr("Labels are available once wadesk's database is open.")
        )
        if self.model.rowCount():
            self.model.dataChanged.emit(
                self.model.index(0), self.model.index(self.model.rowCount() - 1)
            )
