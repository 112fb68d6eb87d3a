""" "Send to a contact…" from the Templates page: pick a contact (search by name or phone in the
inbox's contacts) or type a phone number (checked with phonenumbers), fill the template's
parameters in the same form the composer uses, send through the engine's outbox
(`engine.send(number_id=…, to=…)`, exactly as the composer's template mode does), then offer
to open the conversation. Opened with `open()`; nothing here runs a nested event loop.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wadesk.core.errors import WadeskError
from wadesk.core.validation import ValidationError, format_phone, normalize_phone
from wadesk.ui.setup.common import ui_language
from wadesk.ui.tasks import Tasks
from wadesk.ui.templates.form import TemplateForm

if TYPE_CHECKING:
    from wadesk.core.models import Contact

log = logging.getLogger("wadesk.ui.templates")

SEARCH_DELAY_MS = 200


def contact_name(contact: Contact) -> str:
    name = contact.local_name or contact.profile_name
    phone = format_phone(contact.wa_id) if contact.wa_id else (contact.user_id or "")
    return f"{name} · {phone}" if name else phone


class SendTemplateDialog(QDialog):
    """Sends one approved template of one number to one recipient.

    Attributes:
        recipient: the wa_id / BSUID the template goes to once chosen or typed ("" before).
        conversation_id: the conversation the message was queued in, after sending.

    Signals:
        sent(int): the message was queued; the conversation's id.
        open_conversation(int): the user asked to open that conversation.
    """

    sent = Signal(int)
    open_conversation = Signal(int)

    def __init__(
        self, engine: Any, number_id: int, template: Any, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sendTemplateDialog")
        self.engine = engine
        self.number_id = number_id
        self.template = template
        self.recipient = ""
        self.conversation_id: int | None = None
        self.tasks = Tasks("Send template")
        self._picked: str | None = None
        self.resize(520, 640)

        self.title = QLabel()
        self.title.setObjectName("CardTitle")
        self.to_label = QLabel()
        self.to_edit = QLineEdit()
        self.to_edit.setClearButtonEnabled(True)
        self.to_edit.textEdited.connect(self._on_to_edit_text_edited)
        self.results = QListWidget()
        self.results.setObjectName("contactResults")
        self.results.setMaximumHeight(140)
        self.results.itemClicked.connect(self._on_results_item_clicked)
        self.results.itemActivated.connect(self._on_results_item_clicked)
        self.results.hide()
        self.chosen = QLabel()
        self.chosen.setObjectName("Hint")
        self.chosen.hide()
        self.form = TemplateForm()
        self.form.set_template(template)
        holder = QWidget()
        holder_lay = QVBoxLayout(holder)
        holder_lay.setContentsMargins(0, 0, 0, 0)
        holder_lay.addWidget(self.form)
        holder_lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(holder)
        self.error = QLabel()
        self.error.setObjectName("composerError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #D64545;")
        self.error.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.hide()
        self.send_button = QPushButton()
        self.send_button.setProperty("primary", True)
        self.send_button.clicked.connect(self._on_send_button_clicked)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.open_button.hide()
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.to_label)
        layout.addWidget(self.to_edit)
        layout.addWidget(self.results)
        layout.addWidget(self.chosen)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.finished.connect(self._on_finished)
        self.retranslate()

    def retranslate(self) -> None:
        name = f"{self.template.name} ({self.template.language or '?'})"
        self.setWindowTitle(self.tr("Send a template"))
        self.title.setText(self.tr("Send “%1”").replace("%1", name))
        self.to_label.setText(self.tr("To: pick a contact or type a phone number"))
        self.to_edit.setPlaceholderText(self.tr("Name or phone with country code, e.g. +1 555…"))
        self.send_button.setText(self.tr("Send"))
        self.open_button.setText(self.tr("Open conversation"))
        self.close_button.setText(self.tr("Close"))
        self.form.retranslate()

    # -- recipient ------------------------------------------------------------------------------

    def _on_to_edit_text_edited(self, _text: str) -> None:
        self._picked = None
        self.chosen.clear()
        self.chosen.hide()
        self._search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self.tasks.spawn(self.search(self.to_edit.text()))

    async def search(self, text: str) -> None:
        """Show the contacts matching `text` (name, wa_id or phone digits)."""
        text = text.strip()
        inbox = getattr(self.engine, "inbox", None)
        self.results.clear()
        if not text or inbox is None:
            self.results.hide()
            return
        try:
            found = await inbox.search(text, limit=20)
        except Exception as exc:  # the search is a convenience: typing a number still works
            log.warning("Contact search failed: %r", exc)
            self.results.hide()
            return
        if text != self.to_edit.text().strip():
            return  # typed on meanwhile; a newer search follows
        seen: set[str] = set()
        for hit in found.contacts:
            recipient = hit.contact.wa_id or hit.contact.user_id
            if not recipient or recipient in seen:
                continue
            seen.add(recipient)
            item = QListWidgetItem(contact_name(hit.contact))
            item.setData(Qt.ItemDataRole.UserRole, recipient)
            self.results.addItem(item)
        self.results.setVisible(self.results.count() > 0)

    def _on_results_item_clicked(self, item: QListWidgetItem) -> None:
        self.pick(str(item.data(Qt.ItemDataRole.UserRole)), item.text())

    def pick(self, recipient: str, shown: str) -> None:
        """Use this contact (wa_id or BSUID) as the recipient."""
        self._picked = recipient
        self.to_edit.setText(shown)
        self.results.hide()
        self.chosen.setText(self.tr("Sending to %1").replace("%1", shown))
        self.chosen.show()

    def resolve_recipient(self) -> str:
        """The recipient: the picked contact, or the typed phone number as digits (E.164
        without '+'); raises ValidationError for anything else."""
        if self._picked:
            return self._picked
        return normalize_phone(self.to_edit.text()).lstrip("+")

    # -- sending ------------------------------------------------------------------------------

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _on_send_button_clicked(self) -> None:
        self.error.hide()
        try:
            recipient = self.resolve_recipient()
        except ValidationError:
            self._show_error(
                self.tr(
                    "Pick a contact from the list, or type a phone number with its country "
                    "code, e.g. +1 555 010 0001."
                )
            )
            return
        try:
            body = self.form.body(recipient)
        except WadeskError as exc:
            self._show_error(exc.explain(ui_language()))
            return
        self.recipient = recipient
        self.send_button.setEnabled(False)
        self.tasks.spawn(self.send(body))

    async def send(self, body: dict[str, Any]) -> None:
        try:
            message = await self.engine.send(
                number_id=self.number_id,
                to=self.recipient,
                body=body,
                text=self.form.preview_text(),
                type="template",
            )
        except WadeskError as exc:
            self._show_error(exc.explain(ui_language()))
            self.send_button.setEnabled(True)
            return
        except Exception as exc:
            log.warning("Sending a template failed: %r", exc)
            self._show_error(str(exc) or type(exc).__name__)
            self.send_button.setEnabled(True)
            return
        self.conversation_id = int(message.conversation_id)
        self.status.setText(
            self.tr("Queued: it goes out in the background; its ticks show in the conversation.")
        )
        self.status.show()
        self.send_button.hide()
        self.open_button.show()
        self.open_button.setDefault(True)
        self.sent.emit(self.conversation_id)

    def _on_open_button_clicked(self) -> None:
        if self.conversation_id is not None:
            self.open_conversation.emit(self.conversation_id)
        self.accept()

    def _on_finished(self, _result: int) -> None:
        self._search_timer.stop()
        self.tasks.cancel_all()
