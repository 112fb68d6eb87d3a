"""The contact panel on the right of the inbox: who this is and how the chat stands.

Shows the local name (editable; it wins over the WhatsApp profile name, which stays visible),
the formatted phone, the wa_id / BSUID, first and last contact, coloured labels (toggle on
this conversation, or create a new one), notes and custom fields (saved with one button), and
two switches: open / resolved and bot / human. All reads and writes go through `engine.inbox`
as coroutines; the panel emits `changed(conversation_id)` after each saved change so the list
can refresh that row.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QDateTime, QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wadesk.core.enums import ConversationMode, ConversationState
from wadesk.core.models import Conversation
from wadesk.core.validation import format_phone
from wadesk.engine.inbox import ContactDetails, ConversationRow, Label
from wadesk.ui.inbox.list_model import display_name
from wadesk.ui.inbox.widgets import ChipBox

log = logging.getLogger("wadesk.ui.inbox")

NEW_LABEL_COLOURS = ("#25D366", "#2196F3", "#FF9800", "#E91E63", "#9C27B0", "#795548")


class ContactSource(Protocol):
    async def contact(self, contact_id: int) -> ContactDetails: ...

    async def update_contact(
        self,
        contact_id: int,
        *,
        local_name: str | None,
        notes: str | None,
        custom_fields: dict[str, str] | None,
    ) -> ContactDetails: ...

    async def labels(self) -> list[Label]: ...

    async def create_label(self, name: str, colour: str) -> Label: ...

    async def set_labels(self, conversation_id: int, label_ids: list[int]) -> ConversationRow: ...

    async def set_state(self, conversation_id: int, state: ConversationState) -> Conversation: ...

    async def set_mode(self, conversation_id: int, mode: ConversationMode) -> Conversation: ...

    async def row(self, conversation_id: int) -> ConversationRow: ...


def _when(value: datetime | None) -> str:
    if value is None:
        return "—"
    moment = QDateTime.fromSecsSinceEpoch(int(value.timestamp()))
    return str(QLocale().toString(moment, QLocale.FormatType.ShortFormat))


class ContactPanel(QFrame):
    """Details of the open conversation's contact.

    Signals:
        changed(int): a change to this conversation (or its contact) was saved.
    """

    changed = Signal(int)

    def __init__(self, source: ContactSource | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.setObjectName("ContactPanel")
        self.row: ConversationRow | None = None
        self.details: ContactDetails | None = None
        self.all_labels: list[Label] = []
        self._label_boxes: dict[int, QCheckBox] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._updating = False
        self._build()
        self.retranslate()
        self._show_row()

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(16, 16, 16, 16)
        lay.setSpacing(10)
        self.title = QLabel()
        self.title.setObjectName("CardTitle")
        self.title.setWordWrap(True)
        self.profile = QLabel()
        self.profile.setObjectName("Hint")
        self.profile.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.profile)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.name_edit = QLineEdit()
        self.name_edit.setMinimumWidth(60)
        self.phone = QLabel()
        self.ids = QLabel()
        self.first = QLabel()
        self.last = QLabel()
        for label in (self.phone, self.ids, self.first, self.last):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        self._form_labels = [QLabel() for _ in range(5)]
        for caption, field in zip(
            self._form_labels,
            (self.name_edit, self.phone, self.ids, self.first, self.last),
            strict=True,
        ):
            form.addRow(caption, field)
        lay.addLayout(form)

        switches = QVBoxLayout()
        self.resolved_button = QPushButton()
        self.resolved_button.setCheckable(True)
        self.resolved_button.toggled.connect(self._on_resolved_toggled)
        self.bot_check = QCheckBox()
        self.bot_check.toggled.connect(self._on_bot_toggled)
        switches.addWidget(self.resolved_button, 0, Qt.AlignmentFlag.AlignLeft)
        switches.addWidget(self.bot_check)
        lay.addLayout(switches)

        self.labels_title = QLabel()
        self.labels_title.setObjectName("CardTitle")
        lay.addWidget(self.labels_title)
        self.labels_box = QVBoxLayout()
        self.labels_box.setSpacing(2)
        lay.addLayout(self.labels_box)
        new_row = QHBoxLayout()
        self.new_label_edit = QLineEdit()
        self.new_label_edit.setMinimumWidth(60)
        self.new_label_edit.returnPressed.connect(self._on_add_label)
        self.add_label_button = QPushButton()
        self.add_label_button.clicked.connect(self._on_add_label)
        new_row.addWidget(self.new_label_edit, 1)
        new_row.addWidget(self.add_label_button)
        lay.addLayout(new_row)

        self.notes_title = QLabel()
        self.notes_title.setObjectName("CardTitle")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setFixedHeight(90)
        lay.addWidget(self.notes_title)
        lay.addWidget(self.notes_edit)

        self.fields_title = QLabel()
        self.fields_title.setObjectName("CardTitle")
        self.fields = QTableWidget(0, 2)
        self.fields.verticalHeader().setVisible(False)
        self.fields.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.fields.setFixedHeight(120)
        # two chips in one row or, when the panel is narrow (Russian labels), one above the other
        fields_buttons = ChipBox(columns=(2, 1))
        self.add_field_button = QPushButton()
        self.add_field_button.clicked.connect(lambda: self.add_field("", ""))
        self.remove_field_button = QPushButton()
        self.remove_field_button.clicked.connect(self._remove_field)
        fields_buttons.add(self.add_field_button)
        fields_buttons.add(self.remove_field_button)
        lay.addWidget(self.fields_title)
        lay.addWidget(self.fields)
        lay.addWidget(fields_buttons, 0, Qt.AlignmentFlag.AlignLeft)

        save_row = QHBoxLayout()
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self._spawn(self.save()))
        self.status = QLabel()
        self.status.setObjectName("Hint")
        self.status.setWordWrap(True)
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.status, 1)
        lay.addLayout(save_row)
        lay.addStretch(1)
        self.empty = QLabel()
        self.empty.setObjectName("Hint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        outer.addWidget(self.empty)
        self._body = scroll

    def retranslate(self) -> None:
        for caption, text in zip(
            self._form_labels,
            (
                self.tr("Local name"),
                self.tr("Phone"),
                self.tr("WhatsApp ID"),
                self.tr("First contact"),
                self.tr("Last message"),
            ),
            strict=True,
        ):
            caption.setText(text)
        self.name_edit.setPlaceholderText(self.tr("Your name for this contact"))
        self.resolved_button.setText(
            self.tr("Reopen") if self.resolved_button.isChecked() else self.tr("Mark resolved")
        )
        self.bot_check.setText(self.tr("Bot replies"))
        self.labels_title.setText(self.tr("Labels"))
        self.new_label_edit.setPlaceholderText(self.tr("New label"))
        self.add_label_button.setText(self.tr("Add"))
        self.notes_title.setText(self.tr("Notes"))
        self.notes_edit.setPlaceholderText(self.tr("Only you see these notes."))
        self.fields_title.setText(self.tr("Custom fields"))
        self.fields.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.add_field_button.setText(self.tr("Add field"))
        self.remove_field_button.setText(self.tr("Remove field"))
        self.save_button.setText(self.tr("Save"))
        self.empty.setText(self.tr("Select a conversation to see the contact."))
        self._show_texts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- showing ----------------------------------------------------------------------------

    def _show_texts(self) -> None:
        row = self.row
        if row is None:
            return
        contact = row.contact
        self.title.setText(display_name(row))
        profile = contact.profile_name or "—"
        self.profile.setText(self.tr("WhatsApp name: %1").replace("%1", profile))
        self.phone.setText(format_phone(contact.wa_id) if contact.wa_id else "—")
        ids = [i for i in (contact.wa_id, contact.user_id) if i]
        if contact.username:
            ids.append("@" + contact.username)
        self.ids.setText("\n".join(ids) or "—")
        details = self.details
        self.first.setText(_when(details.first_contact_at if details else None))
        self.last.setText(_when(details.last_contact_at if details else None))

    def _show_row(self) -> None:
        has = self.row is not None
        self._body.setVisible(has)
        self.empty.setVisible(not has)
        if self.row is None:
            return
        self._updating = True
        try:
            conv = self.row.conversation
            self.resolved_button.setChecked(conv.state is ConversationState.RESOLVED)
            self.bot_check.setChecked(conv.mode is ConversationMode.BOT)
            self.retranslate()
            on = {label.id for label in self.row.labels}
            for label_id, box in self._label_boxes.items():
                box.setChecked(label_id in on)
        finally:
            self._updating = False

    def _show_details(self) -> None:
        details = self.details
        self._updating = True
        try:
            self.name_edit.setText(details.contact.local_name or "" if details else "")
            self.notes_edit.setPlainText(details.notes if details else "")
            self.fields.setRowCount(0)
            if details:
                for key, value in details.custom_fields.items():
                    self.add_field(key, value)
        finally:
            self._updating = False
        self._show_texts()

    def _show_labels(self) -> None:
        while self.labels_box.count():
            item = self.labels_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._label_boxes.clear()
        on = {label.id for label in self.row.labels} if self.row else set()
        for label in self.all_labels:
            box = QCheckBox(label.name)
            colour = QColor(label.colour)
            box.setStyleSheet(f"QCheckBox {{ color: {colour.name()}; font-weight: 600; }}")
            box.setChecked(label.id in on)
            box.toggled.connect(lambda _on, lid=label.id: self._on_label_toggled(lid))
            self.labels_box.addWidget(box)
            self._label_boxes[label.id] = box

    def add_field(self, name: str, value: str) -> None:
        row = self.fields.rowCount()
        self.fields.insertRow(row)
        self.fields.setItem(row, 0, QTableWidgetItem(name))
        self.fields.setItem(row, 1, QTableWidgetItem(value))

    def _remove_field(self) -> None:
        row = self.fields.currentRow()
        if row >= 0:
            self.fields.removeRow(row)

    def custom_fields(self) -> dict[str, str]:
        result: dict[str, str] = {}
        for r in range(self.fields.rowCount()):
            key = self.fields.item(r, 0)
            value = self.fields.item(r, 1)
            name = key.text().strip() if key is not None else ""
            if name:
                result[name] = value.text().strip() if value is not None else ""
        return result

    # -- async work -------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coro.close()
            return
        task = loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def shutdown(self) -> None:
        """Cancel pending loads and saves (the panel is going away)."""
        for task in list(self._tasks):
            task.cancel()

    def _fail(self, exc: Exception) -> None:
        log.warning("Contact panel: %r", exc)
        self.status.setText(self.tr("Not saved: %1").replace("%1", str(exc)))

    async def set_row(self, row: ConversationRow | None) -> None:
        """Show this conversation's contact (None: nothing selected)."""
        self.row = row
        self.details = None
        self.status.clear()
        self._show_row()
        if row is None or self.source is None:
            return
        try:
            details = await self.source.contact(row.contact.id)
            labels = await self.source.labels()
        except Exception as exc:
            self._fail(exc)
            return
        if self.row is None or self.row.id != row.id:
            return
        self.details = details
        self.all_labels = labels
        self._show_labels()
        self._show_details()

    def update_row(self, row: ConversationRow) -> None:
        """The same conversation changed elsewhere (state, mode, labels): show it."""
        if self.row is not None and self.row.id == row.id:
            self.row = row
            self._show_row()

    def show_row(self, row: ConversationRow | None) -> None:
        self._spawn(self.set_row(row))

    async def save(self) -> bool:
        """Save local name, notes and custom fields."""
        if self.row is None or self.source is None:
            return False
        row = self.row
        try:
            self.details = await self.source.update_contact(
                row.contact.id,
                local_name=self.name_edit.text(),
                notes=self.notes_edit.toPlainText(),
                custom_fields=self.custom_fields(),
            )
            self.row = await self.source.row(row.id)
        except Exception as exc:
            self._fail(exc)
            return False
        self._show_details()
        self.status.setText(self.tr("Saved."))
        self.changed.emit(row.id)
        return True

    async def set_resolved(self, resolved: bool) -> None:
        if self.row is None or self.source is None:
            return
        state = ConversationState.RESOLVED if resolved else ConversationState.OPEN
        await self._conversation_change(self.source.set_state(self.row.id, state))

    async def set_bot(self, bot: bool) -> None:
        if self.row is None or self.source is None:
            return
        mode = ConversationMode.BOT if bot else ConversationMode.HUMAN
        await self._conversation_change(self.source.set_mode(self.row.id, mode))

    async def _conversation_change(self, command: Coroutine[Any, Any, Conversation]) -> None:
        assert self.row is not None and self.source is not None
        conv_id = self.row.id
        try:
            await command
            self.row = await self.source.row(conv_id)
        except Exception as exc:
            self._fail(exc)
            return
        self._show_row()
        self.changed.emit(conv_id)

    async def set_label(self, label_id: int, on: bool) -> None:
        if self.row is None or self.source is None:
            return
        ids = [label.id for label in self.row.labels if label.id != label_id]
        if on:
            ids.append(label_id)
        try:
            self.row = await self.source.set_labels(self.row.id, ids)
        except Exception as exc:
            self._fail(exc)
            return
        self._show_row()
        self.changed.emit(self.row.id)

    async def add_label(self, name: str) -> None:
        if self.source is None or not name.strip():
            return
        colour = NEW_LABEL_COLOURS[len(self.all_labels) % len(NEW_LABEL_COLOURS)]
        try:
            label = await self.source.create_label(name, colour)
            self.all_labels = await self.source.labels()
        except Exception as exc:
            self._fail(exc)
            return
        self.new_label_edit.clear()
        self._show_labels()
        await self.set_label(label.id, True)

    # -- widget signals ---------------------------------------------------------------------

    def _on_resolved_toggled(self, checked: bool) -> None:
        self.retranslate()
        if not self._updating:
            self._spawn(self.set_resolved(checked))

    def _on_bot_toggled(self, checked: bool) -> None:
        if not self._updating:
            self._spawn(self.set_bot(checked))

    def _on_label_toggled(self, label_id: int) -> None:
        if not self._updating:
            box = self._label_boxes.get(label_id)
            if box is not None:
                self._spawn(self.set_label(label_id, box.isChecked()))

    def _on_add_label(self) -> None:
        self._spawn(self.add_label(self.new_label_edit.text()))
