"""The flow list of the Bots page: flows with their draft / published state, buttons to create,
rename (edit in place), duplicate, delete (after a confirmation), import and export `.json`,
and the selected flow's
revisions with a roll-back button. It only shows data and emits requests; the Bots page runs
them through the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wadesk.engine.bots.models import FlowInfo, FlowRevision

ID_ROLE = Qt.ItemDataRole.UserRole


def when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else ""


class FlowList(QWidget):
    """Signals carry flow ids (int) or file paths (str)."""

    flow_selected = Signal(int)
    create_requested = Signal()
    rename_requested = Signal(int, str)
    duplicate_requested = Signal(int)
    delete_requested = Signal(int)
    import_requested = Signal(str)
    export_requested = Signal(int, str)
    rollback_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FlowList")
        self._loading = False
        self.dialog: QFileDialog | None = None
        self.confirm: QMessageBox | None = None  # the open "delete this flow?" question
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: 600; font-size: 14px;")
        layout.addWidget(self.title)
        self.list = QListWidget(self)
        self.list.setObjectName("FlowListView")
        self.list.setSpacing(2)
        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemChanged.connect(self._on_item_changed)
        layout.addWidget(self.list, 3)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("FlowState")
        self.state_label.setWordWrap(True)
        self.state_label.setStyleSheet("color: #667781;")
        layout.addWidget(self.state_label)
        grid = QGridLayout()
        self.new_button = QPushButton(self)
        self.rename_button = QPushButton(self)
        self.duplicate_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.import_button = QPushButton(self)
        self.export_button = QPushButton(self)
        buttons = (
            self.new_button,
            self.rename_button,
            self.duplicate_button,
            self.delete_button,
            self.import_button,
            self.export_button,
        )
        for i, b in enumerate(buttons):
            grid.addWidget(b, i // 2, i % 2)
        layout.addLayout(grid)
        self.revisions_title = QLabel(self)
        self.revisions_title.setStyleSheet("font-weight: 600; margin-top: 8px;")
        layout.addWidget(self.revisions_title)
        self.revisions = QListWidget(self)
        self.revisions.setObjectName("RevisionList")
        layout.addWidget(self.revisions, 2)
        self.rollback_button = QPushButton(self)
        layout.addWidget(self.rollback_button)
        self.new_button.clicked.connect(self.create_requested)
        self.rename_button.clicked.connect(self.start_rename)
        self.duplicate_button.clicked.connect(self._duplicate)
        self.delete_button.clicked.connect(self._delete)
        self.import_button.clicked.connect(self.ask_import)
        self.export_button.clicked.connect(self.ask_export)
        self.rollback_button.clicked.connect(self._rollback)
        self.revisions.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Flows"))
        self.new_button.setText(self.tr("New"))
        self.rename_button.setText(self.tr("Rename"))
        self.duplicate_button.setText(self.tr("Duplicate"))
        self.delete_button.setText(self.tr("Delete"))
        self.import_button.setText(self.tr("Import…"))
        self.export_button.setText(self.tr("Export…"))
        self.revisions_title.setText(self.tr("Published revisions"))
        self.rollback_button.setText(self.tr("Roll back the draft to this revision"))

    # -- data ----------------------------------------------------------------------------------------

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(ID_ROLE)) if item is not None else None

    def state_text(self, info: FlowInfo) -> str:
        if info.latest_revision is None:
            return self.tr("draft, never published")
        return (
            self.tr("published rev. %1 · %2")
            .replace("%1", str(info.latest_revision))
            .replace("%2", when(info.published_at))
        )

    def set_flows(self, flows: Sequence[FlowInfo], select: int | None = None) -> None:
        current = select if select is not None else self.current_id()
        self._loading = True
        self.list.blockSignals(True)
        self.list.clear()
        chosen: QListWidgetItem | None = None
        for info in flows:
            item = QListWidgetItem(info.name, self.list)
            item.setData(ID_ROLE, info.id)
            item.setToolTip(self.state_text(info))
            item.setData(Qt.ItemDataRole.UserRole + 1, self.state_text(info))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            if info.id == current:
                chosen = item
        self.list.blockSignals(False)
        self._loading = False
        if chosen is None and self.list.count():
            chosen = self.list.item(0)
        if chosen is not None:
            self.list.setCurrentItem(chosen)
        self._update_buttons()

    def set_revisions(self, revisions: Sequence[FlowRevision]) -> None:
        self.revisions.clear()
        for rev in sorted(revisions, key=lambda r: r.revision, reverse=True):
            text = self.tr("Rev. %1 · %2").replace("%1", str(rev.revision))
            text = text.replace("%2", when(rev.published_at))
            if rev.note:
                text += f" · {rev.note}"
            item = QListWidgetItem(text, self.revisions)
            item.setData(ID_ROLE, rev.id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        current = self.list.currentItem()
        has = current is not None
        state = current.data(Qt.ItemDataRole.UserRole + 1) if current is not None else ""
        self.state_label.setText(str(state or ""))
        for b in (self.rename_button, self.duplicate_button, self.delete_button):
            b.setEnabled(has)
        self.export_button.setEnabled(has)
        self.rollback_button.setEnabled(self.revisions.currentItem() is not None)

    # -- requests ------------------------------------------------------------------------------------

    def _on_current(self, current: QListWidgetItem | None, _previous: object) -> None:
        self._update_buttons()
        if current is not None and not self._loading:
            self.flow_selected.emit(int(current.data(ID_ROLE)))

    def start_rename(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._loading:
            return
        name = item.text().strip()
        if name:
            self.rename_requested.emit(int(item.data(ID_ROLE)), name)

    def _duplicate(self) -> None:
        flow_id = self.current_id()
        if flow_id is not None:
            self.duplicate_requested.emit(flow_id)

    def _delete(self) -> None:
        self.ask_delete()

    def ask_delete(self) -> QMessageBox | None:
        """Ask before deleting the current flow; "Delete" emits `delete_requested`."""
        item = self.list.currentItem()
        if item is None:
            return None
        flow_id = int(item.data(ID_ROLE))
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Delete the flow"))
        box.setText(
            self.tr("Delete “%1” with its draft and all its published revisions?").replace(
                "%1", item.text()
            )
        )
        delete = box.addButton(self.tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)

        def clicked(button: object) -> None:
            if button is delete:
                self.delete_requested.emit(flow_id)

        box.buttonClicked.connect(clicked)
        box.open()
        self.confirm = box
        return box

    def _rollback(self) -> None:
        item = self.revisions.currentItem()
        if item is not None:
            self.rollback_requested.emit(int(item.data(ID_ROLE)))

    def ask_import(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Import a flow"))
        dialog.setNameFilter(self.tr("Flows (*.json)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(self.import_requested)
        dialog.open()
        self.dialog = dialog
        return dialog

    def ask_export(self) -> QFileDialog | None:
        flow_id = self.current_id()
        if flow_id is None:
            return None
        dialog = QFileDialog(self, self.tr("Export the flow"))
        dialog.setNameFilter(self.tr("Flows (*.json)"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        item = self.list.currentItem()
        if item is not None:
            dialog.selectFile(f"{item.text()}.json")
        dialog.fileSelected.connect(lambda path: self.export_requested.emit(flow_id, path))
        dialog.open()
        self.dialog = dialog
        return dialog
