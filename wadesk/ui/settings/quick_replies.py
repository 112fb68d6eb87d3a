"""Settings → Quick replies: the saved answers the composer offers after `/`.

`QuickRepliesModel` is a table (shortcut, text, attachment) over a list of `QuickReply`.
`QuickReplyDialog` edits one reply (opened with `open()`): the shortcut and the text are
checked as you type, an attachment is checked against WhatsApp's type and size limits (in an
executor) before OK closes the dialog. `QuickRepliesSection` loads and saves the list through
`wadesk.engine.quick_replies.QuickReplyStore` (file I/O in the engine's executor), offers Undo
after a delete, and emits `changed(list)` after every save so the open composer sees the new
list without a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wadesk.core.outgoing_limits import TEXT_MAX, LimitError
from wadesk.engine.quick_replies import (
    MAX_QUICK_REPLIES,
    SHORTCUT_MAX,
    QuickReply,
    QuickReplyError,
    QuickReplyStore,
    check_media_file,
    normalize_shortcut,
)
from wadesk.ui.settings.common import DeleteKey, Section, card, hint, set_status
from wadesk.ui.tasks import Tasks

log = logging.getLogger("wadesk.ui.settings")
Index = QModelIndex | QPersistentModelIndex


class QuickRepliesModel(QAbstractTableModel):
    """Rows of quick replies; columns: shortcut, text, attachment (file name)."""

    COLUMNS = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._replies: list[QuickReply] = []

    def replies(self) -> list[QuickReply]:
        return list(self._replies)

    def set_replies(self, replies: list[QuickReply]) -> None:
        self.beginResetModel()
        self._replies = list(replies)
        self.endResetModel()

    def reply(self, row: int) -> QuickReply:
        return self._replies[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._replies)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._replies):
            return None
        reply = self._replies[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return "/" + reply.shortcut
            if column == 1:
                return " ".join(reply.text.split())
            return Path(reply.media_path).name if reply.media_path else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return reply.text if column == 1 else reply.media_path if column == 2 else None
        if role == Qt.ItemDataRole.UserRole:
            return reply.shortcut
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("Shortcut"), self.tr("Text"), self.tr("Attachment"))
        return titles[section] if 0 <= section < len(titles) else None


class QuickReplyDialog(QDialog):
    """Edits one quick reply; OK closes it only when the reply is valid.

    Attributes:
        shortcut_edit, text_edit, media_edit: the fields; error: the problem shown.
    """

    def __init__(
        self,
        reply: QuickReply | None,
        taken: set[str],
        blocking: Callable[..., Any],
        language: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("QuickReplyDialog")
        self.setWindowTitle(self.tr("Quick reply") if reply else self.tr("New quick reply"))
        self.setMinimumWidth(480)
        self._taken = taken
        self._blocking = blocking
        self._language = language
        self._tasks = Tasks("QuickReplyDialog")
        self.result_reply: QuickReply | None = None
        self.shortcut_edit = QLineEdit(reply.shortcut if reply else "")
        self.shortcut_edit.setMaxLength(SHORTCUT_MAX + 1)
        self.shortcut_edit.setPlaceholderText(self.tr("e.g. hours"))
        self.text_edit = QPlainTextEdit(reply.text if reply else "")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText(self.tr("Hello {{name}}! We are open 9:00–18:00."))
        self.media_edit = QLineEdit(reply.media_path or "" if reply else "")
        self.media_edit.setPlaceholderText(self.tr("No attachment"))
        self.browse_button = QPushButton(self.tr("&Browse…"))
        self.browse_button.clicked.connect(self._on_browse_clicked)
        media_row = QHBoxLayout()
        media_row.setSpacing(8)
        media_row.addWidget(self.media_edit, 1)
        media_row.addWidget(self.browse_button)
        form = QFormLayout()
        labels = (self.tr("&Shortcut"), self.tr("Te&xt"), self.tr("&Attachment"))
        for text, field in zip(
            labels, (self.shortcut_edit, self.text_edit, self.media_edit), strict=True
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, media_row if field is self.media_edit else field)
        self.variables_hint = hint(
            self.tr("{{name}} and {{phone}} are filled in from the contact when you insert it.")
        )
        self.error = QLabel()
        self.error.setObjectName("FieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.variables_hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._file_dialog: QFileDialog | None = None
        self.shortcut_edit.textEdited.connect(lambda _t: set_status(self.error, ""))
        self.text_edit.textChanged.connect(lambda: set_status(self.error, ""))

    def problem(self) -> str | None:
        """What is wrong with the fields (without looking at the file), or None."""
        try:
            shortcut = normalize_shortcut(self.shortcut_edit.text())
        except QuickReplyError:
            return self.tr(
                "A shortcut is 1 to %1 letters, digits, '_' or '-', without spaces."
            ).replace("%1", str(SHORTCUT_MAX))
        if shortcut in self._taken:
            return self.tr("The shortcut /%1 is already used by another quick reply.").replace(
                "%1", shortcut
            )
        text = self.text_edit.toPlainText()
        if not text.strip() and not self.media_edit.text().strip():
            return self.tr("Type the text of the reply (or attach a file).")
        if len(text) > TEXT_MAX:
            return self.tr("The text is too long: WhatsApp takes at most %1 characters.").replace(
                "%1", str(TEXT_MAX)
            )
        return None

    async def check(self) -> bool:
        """Check everything (the attachment in an executor); shows the problem, sets
        `result_reply` when valid."""
        problem = self.problem()
        media = self.media_edit.text().strip() or None
        if problem is None and media is not None:
            try:
                await self._blocking(check_media_file, media)
            except LimitError as exc:
                problem = self.tr("The attachment cannot be sent: %1").replace(
                    "%1", exc.explain(self._language())
                )
            except OSError as exc:
                problem = self.tr("The attachment cannot be read: %1").replace(
                    "%1", exc.strerror or str(exc)
                )
        if problem is not None:
            set_status(self.error, problem, error=True)
            return False
        shortcut = normalize_shortcut(self.shortcut_edit.text())
        self.result_reply = QuickReply(shortcut, self.text_edit.toPlainText().strip(), media)
        return True

    async def _check_and_accept(self) -> None:
        if await self.check():
            self.accept()

    def _on_ok_clicked(self) -> None:
        self._tasks.spawn(self._check_and_accept())

    def _on_browse_clicked(self) -> None:
        if self._file_dialog is None:
            self._file_dialog = QFileDialog(self, self.tr("Choose an attachment"))
            self._file_dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
            self._file_dialog.fileSelected.connect(self._on_file_selected)
        self._file_dialog.open()

    def _on_file_selected(self, path: str) -> None:
        self.media_edit.setText(path)
        set_status(self.error, "")


class QuickRepliesSection(Section):
    """The quick-reply editor (see the module doc).

    Attributes:
        model, view: the table; dialog: the open editor (None when closed).
        status: the last result or error line; undo_bar: shown after a delete.
    """

    changed = Signal(list)

    def __init__(
        self, engine: Any, language: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("QuickRepliesSection")
        self._engine = engine
        self._language = language
        data_dir = getattr(getattr(engine, "settings", None), "paths", None)
        self.store = QuickReplyStore(data_dir.data_dir) if data_dir is not None else None
        self.dialog: QuickReplyDialog | None = None
        self._editing_row: int | None = None
        self._deleted: tuple[int, QuickReply] | None = None
        self.loaded = False

        frame, self._card_title, form = card()
        self.model = QuickRepliesModel(self)
        self.view = QTableView()
        self.view.setObjectName("QuickRepliesTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.setMinimumHeight(260)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.view.activated.connect(lambda _i: self._on_edit_clicked())
        DeleteKey(self.view, self._on_delete_clicked)
        form.addRow(self.view)

        self.add_button = QPushButton()
        self.add_button.setProperty("primary", True)
        self.edit_button = QPushButton()
        self.delete_button = QPushButton()
        row = QHBoxLayout()
        row.setSpacing(8)
        for button in (self.add_button, self.edit_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        form.addRow(row)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.undo_bar = QFrame()
        self.undo_bar.setObjectName("Banner")
        self.undo_bar.setProperty("kind", "info")
        self.undo_label = QLabel()
        self.undo_button = QPushButton()
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(12, 6, 8, 6)
        bar.addWidget(self.undo_label, 1)
        bar.addWidget(self.undo_button)
        self.undo_button.clicked.connect(self._on_undo_clicked)
        self.undo_bar.hide()
        form.addRow(self.undo_bar)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        form.addRow(self.status)
        self._hint = hint()
        form.addRow(self._hint)
        self.add(frame)
        self.finish()
        self.retranslate()
        self._update_buttons()

    # -- data ---------------------------------------------------------------------------------

    async def refresh(self) -> None:
        if self.store is None:
            return
        try:
            replies = await self.store.aload(self._engine.blocking)
        except OSError as exc:
            set_status(self.status, self._read_failed(exc), error=True)
            return
        self.model.set_replies(replies)
        self.loaded = True
        self._update_buttons()

    async def save(self, replies: list[QuickReply]) -> bool:
        """Save the whole list; on success show it and emit `changed`."""
        if self.store is None:
            return False
        try:
            saved = await self.store.asave(self._engine.blocking, replies)
        except QuickReplyError as exc:
            set_status(self.status, self.tr("Not saved: %1").replace("%1", str(exc)), error=True)
            return False
        except OSError as exc:
            text = self.tr("Not saved: %1").replace("%1", exc.strerror or str(exc))
            set_status(self.status, text, error=True)
            return False
        self.model.set_replies(saved)
        self._update_buttons()
        self.changed.emit(saved)
        return True

    def _read_failed(self, exc: OSError) -> str:
        return self.tr("The quick replies could not be read: %1").replace(
            "%1", exc.strerror or str(exc)
        )

    # -- actions ------------------------------------------------------------------------------

    def current_row(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _update_buttons(self) -> None:
        enabled = self.store is not None
        selected = self.current_row() is not None
        self.add_button.setEnabled(enabled and self.model.rowCount() < MAX_QUICK_REPLIES)
        self.edit_button.setEnabled(enabled and selected)
        self.delete_button.setEnabled(enabled and selected)

    def _open_dialog(self, row: int | None) -> None:
        if self.dialog is not None:
            return
        replies = self.model.replies()
        reply = replies[row] if row is not None else None
        taken = {r.shortcut for i, r in enumerate(replies) if i != row}
        self._editing_row = row
        self.dialog = QuickReplyDialog(
            reply, taken, self._engine.blocking, self._language, parent=self
        )
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog.finished.connect(self._on_dialog_finished)
        self.dialog.open()

    def _on_add_clicked(self) -> None:
        self._open_dialog(None)

    def _on_edit_clicked(self) -> None:
        row = self.current_row()
        if row is not None:
            self._open_dialog(row)

    def _on_dialog_accepted(self) -> None:
        dialog = self.dialog
        if dialog is None or dialog.result_reply is None:
            return
        replies = self.model.replies()
        if self._editing_row is None:
            replies.append(dialog.result_reply)
        else:
            replies[self._editing_row] = dialog.result_reply
        self._hide_undo()
        self.tasks.spawn(self._save_and_report(replies, self.tr("Saved.")))

    def _on_dialog_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    async def _save_and_report(self, replies: list[QuickReply], done: str) -> None:
        if await self.save(replies):
            set_status(self.status, done)

    def _on_delete_clicked(self) -> None:
        row = self.current_row()
        if row is not None:
            self.tasks.spawn(self.delete(row))

    async def delete(self, row: int) -> bool:
        """Delete a reply (saved at once) and offer Undo."""
        replies = self.model.replies()
        reply = replies.pop(row)
        if not await self.save(replies):
            return False
        self._deleted = (row, reply)
        self.undo_label.setText(self.tr("Deleted /%1.").replace("%1", reply.shortcut))
        self.undo_bar.show()
        set_status(self.status, "")
        return True

    async def undo(self) -> bool:
        """Put the last deleted reply back where it was."""
        if self._deleted is None:
            return False
        row, reply = self._deleted
        replies = self.model.replies()
        if any(r.shortcut == reply.shortcut for r in replies):
            set_status(
                self.status,
                self.tr("/%1 cannot come back: the shortcut is used again.").replace(
                    "%1", reply.shortcut
                ),
                error=True,
            )
            self._hide_undo()
            return False
        replies.insert(min(row, len(replies)), reply)
        if not await self.save(replies):
            return False
        self._hide_undo()
        set_status(self.status, self.tr("Restored /%1.").replace("%1", reply.shortcut))
        return True

    def _on_undo_clicked(self) -> None:
        self.tasks.spawn(self.undo())

    def _hide_undo(self) -> None:
        self._deleted = None
        self.undo_bar.hide()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Quick replies"))
        self.subtitle.setText(
            self.tr("Saved answers: type / in the message box to pick one. Saved at once.")
        )
        self._card_title.setText(self.tr("Your quick replies"))
        self.add_button.setText(self.tr("&Add…"))
        self.edit_button.setText(self.tr("&Edit…"))
        self.delete_button.setText(self.tr("&Delete"))
        self.undo_button.setText(self.tr("&Undo"))
        if self._deleted is not None:
            self.undo_label.setText(
                self.tr("Deleted /%1.").replace("%1", self._deleted[1].shortcut)
            )
        self._hint.setText(
            self.tr(
                "At most %1 quick replies; {{name}} is replaced by the contact's name."
            ).replace("%1", str(MAX_QUICK_REPLIES))
            if self.store is not None
            else self.tr("Quick replies are available once wadesk has a data folder.")
        )
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.COLUMNS - 1)
