"""The composer under the message list: write, attach, react, note, or send a template.

- `ComposerEdit`: multi-line input; Enter sends, Shift+Enter breaks the line; pasted files and
  images become attachments.
- Quick replies: typing `/` at the start of a word opens a filterable list above the input;
  Enter/Tab/click inserts the reply with `{{name}}`-style variables filled from the contact.
- Emoji picker: a small grid popup.
- Attachments by button (a non-modal file dialog opened with `open()`), paste, or drag and
  drop; the view checks type and size against WhatsApp's limits before uploading and shows
  progress here.
- Private note mode (a toggle): the text is stored as a note, never sent.
- When the 24-hour window is closed the composer shows the template panel instead, with the
  reason; notes can still be written.

The composer is pure UI: it emits signals, `ConversationView` does the work.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wadesk.engine.quick_replies import QuickReply, expand, filter_replies
from wadesk.ui.inbox.conversation.templates import TemplatePanel

EMOJI = (
    "😀 😂 😊 😍 😘 😉 😎 🤔 😅 😢 😭 😡 👍 👎 👏 🙏 💪 👌 ✌️ 🤝 "
    "❤️ 💚 💙 🔥 ⭐ ✨ 🎉 🎁 ✅ ❌ ⚠️ ❓ 📅 ⏰ 📍 📞 💬 📷 🛒 💳"
).split()
MAX_ATTACHMENTS = 10
STACK_BELOW = 500  # px: narrower, the input gets a line of its own above the buttons


class ComposerEdit(QPlainTextEdit):
    """Text input: Enter → `submitted`, Shift+Enter → newline; keys go to the quick-reply
    popup first while it is open; pasted files/images are reported, not inserted as text.

    Signals:
        submitted(): Enter was pressed.
        files_pasted(list): local file paths pasted or dropped.
        image_pasted(QImage): an image from the clipboard.
    """

    submitted = Signal()
    files_pasted = Signal(list)
    image_pasted = Signal(QImage)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.popup_keys: QObject | None = None
        self.setTabChangesFocus(True)
        self.setObjectName("composerEdit")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.popup_keys is not None and self.popup_keys.eventFilter(self, event):
            return
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.submitted.emit()
            return
        if enter:
            self.insertPlainText("\n")
            return
        super().keyPressEvent(event)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasUrls() or source.hasImage() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = [u.toLocalFile() for u in source.urls() if u.isLocalFile()]
        if files:
            self.files_pasted.emit(files)
        elif source.hasImage():
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.image_pasted.emit(image)
        else:
            super().insertFromMimeData(source)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if event.mimeData().hasUrls():
            self.insertFromMimeData(event.mimeData())
            event.acceptProposedAction()
        else:
            super().dropEvent(event)


class EmojiPopup(QFrame):
    """A grid of common emoji; `picked(str)` on click."""

    picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("emojiPopup")
        grid = QGridLayout(self)
        grid.setSpacing(2)
        for i, emoji in enumerate(EMOJI):
            button = QToolButton()
            button.setText(emoji)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, e=emoji: self._pick(e))
            grid.addWidget(button, i // 8, i % 8)

    def _pick(self, emoji: str) -> None:
        self.picked.emit(emoji)
        self.hide()


class QuickReplyPopup(QListWidget):
    """The `/` list: a child of the composer, shown above the input (no separate window)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickReplyPopup")
        self.hide()

    def show_replies(self, replies: list[QuickReply]) -> None:
        self.clear()
        for reply in replies:
            first = " ".join(reply.text.split())[:70]
            if reply.media_path:
                first = f"📎 {Path(reply.media_path).name}  {first}".rstrip()
            item = QListWidgetItem(f"/{reply.shortcut}  —  {first}")
            item.setData(Qt.ItemDataRole.UserRole, reply)
            self.addItem(item)
        self.setCurrentRow(0)
        self.setVisible(bool(replies))

    def current_reply(self) -> QuickReply | None:
        item = self.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class Composer(QWidget):
    """Writes messages for one conversation.

    Attributes:
        edit: the text input.
        note_button: the "private note" toggle.
        variables: values for `{{name}}`, `{{phone}}`, … in quick replies.
        quick_replies: the owner's saved replies.

    Signals:
        text_submitted(str): send this text (or store it as a note when `note_mode`).
        note_submitted(str): store this private note.
        files_chosen(list): attach these local files (paths).
        image_pasted(QImage): attach this clipboard image.
        template_requested(dict, str): send this template body (with its preview text).
        typing(): the owner typed into the input (used to pause a running bot).
        reply_cancelled(): the reply-to banner was closed.
    """

    text_submitted = Signal(str)
    note_submitted = Signal(str)
    files_chosen = Signal(list)
    image_pasted = Signal(QImage)
    template_requested = Signal(dict, str)
    typing = Signal()
    reply_cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setAcceptDrops(True)
        self.variables: dict[str, str | None] = {}
        self.quick_replies: list[QuickReply] = []
        self.window_open = True
        self._dialog: QFileDialog | None = None
        self._build()
        self.retranslate()

    def _build(self) -> None:
        self.reply_bar = QWidget()
        self.reply_bar.setObjectName("replyBar")
        self.reply_label = QLabel()
        self.reply_label.setWordWrap(False)
        self.reply_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.reply_close = QToolButton()
        self.reply_close.setText("✕")
        self.reply_close.setAutoRaise(True)
        self.reply_close.clicked.connect(self._on_reply_close_clicked)
        row = QHBoxLayout(self.reply_bar)
        row.setContentsMargins(8, 2, 4, 2)
        row.addWidget(self.reply_label, 1)
        row.addWidget(self.reply_close)
        self.reply_bar.hide()
        self.progress = QProgressBar()
        self.progress.setMaximumHeight(6)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel()
        self.status.setObjectName("composerError")
        self.status.setWordWrap(True)
        self.status.hide()
        self.edit = ComposerEdit()
        self.edit.setFixedHeight(64)
        self.edit.popup_keys = self
        self.edit.submitted.connect(self._on_edit_submitted)
        self.edit.files_pasted.connect(self.files_chosen)
        self.edit.image_pasted.connect(self.image_pasted)
        self.edit.textChanged.connect(self._on_edit_text_changed)
        self.popup = QuickReplyPopup(self)
        self.popup.itemClicked.connect(self._on_popup_item_clicked)
        self.emoji_button = QToolButton()
        self.emoji_button.setText("☺")
        self.emoji_button.clicked.connect(self._on_emoji_button_clicked)
        self.emoji_popup = EmojiPopup(self)
        self.emoji_popup.picked.connect(self.edit.insertPlainText)
        self.attach_button = QToolButton()
        self.attach_button.setText("+")
        self.attach_button.clicked.connect(self._on_attach_button_clicked)
        self.note_button = QToolButton()
        self.note_button.setCheckable(True)
        self.note_button.toggled.connect(self._on_note_button_toggled)
        self.send_button = QPushButton()
        self.send_button.setObjectName("primaryButton")
        self.send_button.clicked.connect(self._on_edit_submitted)
        writer = QWidget()
        self.writer_grid = QGridLayout(writer)
        self.writer_grid.setContentsMargins(6, 4, 6, 4)
        self.writer_grid.setHorizontalSpacing(6)
        self.writer_grid.setVerticalSpacing(4)
        self.stacked_buttons: bool | None = None
        self._place_writer(stacked=False)
        self.templates = TemplatePanel()
        self.templates.send_requested.connect(self.template_requested)
        self.stack = QStackedWidget()
        self.stack.addWidget(writer)
        self.stack.addWidget(self.templates)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.reply_bar)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.stack)

    def _place_writer(self, *, stacked: bool) -> None:
        """One line (input between the buttons), or when narrow the input on its own line
        above the buttons, so the input keeps a usable width and nothing overlaps."""
        if stacked == self.stacked_buttons:
            return
        self.stacked_buttons = stacked
        grid = self.writer_grid
        parts = (self.emoji_button, self.attach_button, self.edit, self.note_button)
        for w in (*parts, self.send_button):
            grid.removeWidget(w)
        for column in range(6):
            grid.setColumnStretch(column, 0)
        bottom = Qt.AlignmentFlag.AlignBottom
        if stacked:
            grid.addWidget(self.edit, 0, 0, 1, 5)
            grid.addWidget(self.emoji_button, 1, 0)
            grid.addWidget(self.attach_button, 1, 1)
            grid.setColumnStretch(2, 1)
            grid.addWidget(self.note_button, 1, 3)
            grid.addWidget(self.send_button, 1, 4)
        else:
            for column, w in enumerate(parts):
                grid.addWidget(w, 0, column, bottom if w is not self.edit else Qt.AlignmentFlag(0))
            grid.addWidget(self.send_button, 0, 4, bottom)
            grid.setColumnStretch(2, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_writer(stacked=event.size().width() < STACK_BELOW)

    def retranslate(self) -> None:
        self.emoji_button.setToolTip(self.tr("Emoji"))
        self.attach_button.setToolTip(self.tr("Attach a file (or paste / drop it here)"))
        self.note_button.setText(self.tr("Note"))
        self.note_button.setToolTip(
            self.tr("Write a private note: it stays in wadesk and is never sent")
        )
        self.templates.retranslate()
        self._update_mode()

    # -- state ----------------------------------------------------------------------------------

    @property
    def note_mode(self) -> bool:
        return self.note_button.isChecked()

    def set_window_open(self, is_open: bool) -> None:
        """Free-form writing when open; the template panel when closed (notes still work)."""
        self.window_open = is_open
        self._update_mode()

    def set_reply(self, text: str | None) -> None:
        """Show "Replying to …" (None hides it)."""
        if text is None:
            self.reply_bar.hide()
            return
        shown = " ".join(text.split())[:90]
        self.reply_label.setText(self.tr("Replying to: %1").replace("%1", shown))
        self.reply_bar.show()

    def show_status(self, text: str | None) -> None:
        """An error or notice line above the input (None hides it)."""
        self.status.setText(text or "")
        self.status.setVisible(bool(text))

    def set_progress(self, done: int | None, total: int | None = None) -> None:
        """Upload progress (None hides the bar; total None shows a busy bar)."""
        if done is None:
            self.progress.hide()
            return
        self.progress.setRange(0, total or 0)
        if total:
            self.progress.setValue(min(done, total))
        self.progress.show()

    def clear(self) -> None:
        self.edit.clear()
        self.popup.hide()
        self.set_reply(None)
        self.show_status(None)

    def _update_mode(self) -> None:
        templates = not self.window_open and not self.note_mode
        self.stack.setCurrentIndex(1 if templates else 0)
        for n in range(self.stack.count()):  # the page shown sets the height, not the tallest
            page = self.stack.widget(n)
            policy = page.sizePolicy()
            shown = n == self.stack.currentIndex()
            policy.setVerticalPolicy(
                QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
            )
            page.setSizePolicy(policy)
        self.attach_button.setEnabled(self.window_open and not self.note_mode)
        self.emoji_button.setEnabled(True)
        if self.note_mode:
            self.edit.setPlaceholderText(self.tr("Private note (never sent to the customer)"))
            self.send_button.setText(self.tr("Save note"))
            self.edit.setProperty("note", True)
        else:
            self.edit.setPlaceholderText(
                self.tr(
                    "Type a message · Enter to send, Shift+Enter for a new line, / for quick replies"
                )
            )
            self.send_button.setText(self.tr("Send"))
            self.edit.setProperty("note", False)
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)

    # -- quick replies --------------------------------------------------------------------------

    def _slash_token(self) -> tuple[int, str] | None:
        """(start, text after `/`) when the cursor ends a `/word` at a word start."""
        cursor = self.edit.textCursor()
        text = self.edit.toPlainText()[: cursor.position()]
        start = text.rfind("/")
        if start < 0 or (start > 0 and not text[start - 1].isspace()):
            return None
        token = text[start + 1 :]
        if any(ch.isspace() for ch in token):
            return None
        return start, token

    def _refresh_popup(self) -> None:
        token = self._slash_token()
        if token is None or not self.quick_replies:
            self.popup.hide()
            return
        self.popup.show_replies(filter_replies(self.quick_replies, token[1])[:8])
        if self.popup.isVisible():
            height = min(200, 24 * self.popup.count() + 6)
            top = self.stack.geometry().top() - height
            self.popup.setGeometry(8, max(0, top), max(240, self.width() - 16), height)
            self.popup.raise_()

    def insert_quick_reply(self, reply: QuickReply) -> None:
        """Replace the `/token` with the reply's text (variables filled); a reply with media
        attaches its file the way the attach button does (`files_chosen`: the view checks it
        against WhatsApp's limits and uploads it with progress)."""
        token = self._slash_token()
        cursor = self.edit.textCursor()
        if token is not None:
            cursor.setPosition(token[0], cursor.MoveMode.KeepAnchor)
        cursor.insertText(expand(reply.text, self.variables))
        self.edit.setTextCursor(cursor)
        self.popup.hide()
        if reply.media_path and self.window_open and not self.note_mode:
            self.files_chosen.emit([reply.media_path])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys for the quick-reply popup while it is open (called by `ComposerEdit`)."""
        if not self.popup.isVisible() or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            row = max(0, min(self.popup.count() - 1, self.popup.currentRow() + step))
            self.popup.setCurrentRow(row)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            reply = self.popup.current_reply()
            if reply is not None:
                self.insert_quick_reply(reply)
            return True
        if key == Qt.Key.Key_Escape:
            self.popup.hide()
            return True
        return False

    # -- slots ------------------------------------------------------------------------------------

    def _on_edit_text_changed(self) -> None:
        self._refresh_popup()
        if self.edit.toPlainText().strip() and not self.note_mode:
            self.typing.emit()

    def _on_edit_submitted(self) -> None:
        text = self.edit.toPlainText().strip()
        if not text:
            return
        if self.note_mode:
            self.note_submitted.emit(text)
        elif self.window_open:
            self.text_submitted.emit(text)
        else:
            return
        self.edit.clear()

    def _on_popup_item_clicked(self, item: QListWidgetItem) -> None:
        reply = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(reply, QuickReply):
            self.insert_quick_reply(reply)

    def _on_reply_close_clicked(self) -> None:
        self.set_reply(None)
        self.reply_cancelled.emit()

    def _on_note_button_toggled(self, _checked: bool) -> None:
        self._update_mode()

    def _on_emoji_button_clicked(self) -> None:
        self.emoji_popup.adjustSize()
        pos = self.emoji_button.mapToGlobal(QPoint(0, -self.emoji_popup.sizeHint().height()))
        self.emoji_popup.move(pos)
        self.emoji_popup.show()

    def _on_attach_button_clicked(self) -> None:
        if self._dialog is None:
            self._dialog = QFileDialog(self, self.tr("Attach files"))
            self._dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
            self._dialog.filesSelected.connect(self._on_dialog_files_selected)
        self._dialog.open()

    def _on_dialog_files_selected(self, files: list[str]) -> None:
        if files:
            self.files_chosen.emit(files[:MAX_ATTACHMENTS])

    # -- drag and drop on the whole composer ------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.window_open:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.files_chosen.emit(files[:MAX_ATTACHMENTS])
            event.acceptProposedAction()


def paths(files: list[str]) -> list[Path]:
    return [Path(f) for f in files]
