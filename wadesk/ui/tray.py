"""The system tray icon: notifications for new customer messages and bot hand-offs, Show, Quit.

`TrayController` wraps a `QSystemTrayIcon` when the platform has a tray (the offscreen platform
and some desktops have none: then `available` is False, nothing is shown, and the app quits when
its window closes). Inbound `MessageAdded` batches from the bridge become one notification
(contact name and message preview, or a summary for a burst); `BotHandedOff` batches become one
notification per conversation ("<contact> needs a person: <reason>", the contact's name from
the lookup the composition root sets with `set_contact_lookup`). Clicking a notification asks
the window to open that conversation.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from wadesk.core.enums import Direction
from wadesk.core.events import BotHandedOff, MessageAdded
from wadesk.ui.tasks import Tasks

log = logging.getLogger("wadesk.ui.tray")

PREVIEW_CHARS = 120
ContactLookup = Callable[[int], Awaitable[str | None]]
"""conversation id → the contact's display name (None when unknown)."""


def message_preview(event: MessageAdded) -> str:
    """A one-line preview of a message for a notification."""
    text = event.message.text or event.conversation.last_message_preview or ""
    text = " ".join(text.split())
    if not text:
        return f"[{event.message.type.value}]"
    if len(text) > PREVIEW_CHARS:
        text = text[: PREVIEW_CHARS - 1] + "…"
    return text


class TrayController(QObject):
    """Owns the tray icon and its menu.

    Attributes:
        available: whether the system has a tray.
        last_notification: (title, text, conversation id) of the last notification, or None.

    Signals:
        open_conversation(int): the user clicked a notification about this conversation.
        show_requested(): "Show wadesk" was chosen or the icon was clicked.
        quit_requested(): "Quit" was chosen.
    """

    open_conversation = Signal(int)
    show_requested = Signal()
    quit_requested = Signal()

    def __init__(
        self, icon: QIcon, *, available: bool | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.available = QSystemTrayIcon.isSystemTrayAvailable() if available is None else available
        self.last_notification: tuple[str, str, int] | None = None
        self.notifications_shown = 0
        self._notified_conversation: int | None = None
        self._contact_lookup: ContactLookup | None = None
        self._tasks = Tasks("Tray")
        self._closed = False
        self._menu = QMenu()
        self._show_action = QAction(self)
        self._show_action.triggered.connect(self.show_requested)
        self._quit_action = QAction(self)
        self._quit_action.triggered.connect(self.quit_requested)
        self._menu.addAction(self._show_action)
        self._menu.addSeparator()
        self._menu.addAction(self._quit_action)
        self._icon: QSystemTrayIcon | None = None
        if self.available:
            self._icon = QSystemTrayIcon(icon, self)
            self._icon.setContextMenu(self._menu)
            self._icon.activated.connect(self._on_icon_activated)
            self._icon.messageClicked.connect(self._on_icon_message_clicked)
        self.retranslate()

    def retranslate(self) -> None:
        self._show_action.setText(self.tr("Show wadesk"))
        self._quit_action.setText(self.tr("Quit"))
        if self._icon is not None:
            self._icon.setToolTip(self.tr("wadesk: receiving WhatsApp messages"))

    def menu(self) -> QMenu:
        return self._menu

    def show(self) -> None:
        if self._icon is not None:
            self._icon.show()

    def hide(self) -> None:
        if self._icon is not None:
            self._icon.hide()

    def close(self) -> None:
        """Hide the icon and free the menu (call on quit)."""
        self._tasks.cancel_all()
        self.hide()
        if not self._closed:
            self._closed = True
            self._menu.deleteLater()

    def on_messages_added(self, events: list[MessageAdded]) -> None:
        """Notify about the inbound messages of a bridge batch (outbound ones are ignored)."""
        inbound = [e for e in events if e.message.direction is Direction.INBOUND]
        if not inbound:
            return
        last = inbound[-1]
        conversations = {e.conversation.id for e in inbound}
        if len(inbound) == 1:
            title = last.contact.display_name
            text = message_preview(last)
        elif len(conversations) == 1:
            title = last.contact.display_name
            text = self.tr("New messages: %1").replace("%1", str(len(inbound)))
        else:
            title = self.tr("wadesk")
            text = (
                self.tr("New messages: %1 (chats: %2)")
                .replace("%1", str(len(inbound)))
                .replace("%2", str(len(conversations)))
            )
        self.notify(title, text, last.conversation.id)

    def set_contact_lookup(self, lookup: ContactLookup | None) -> None:
        """How hand-off notifications find the contact's name (None: "A customer")."""
        self._contact_lookup = lookup

    def on_handed_off(self, events: list[BotHandedOff]) -> None:
        """Notify the owner once per handed-off conversation of a bridge batch."""
        latest: dict[int, BotHandedOff] = {}
        for event in events:
            latest[event.conversation_id] = event
        for event in latest.values():
            if self._contact_lookup is None:
                self._notify_handoff(event, None)
            else:
                self._tasks.spawn(self._lookup_and_notify(event, self._contact_lookup))

    async def _lookup_and_notify(self, event: BotHandedOff, lookup: ContactLookup) -> None:
        try:
            name = await lookup(event.conversation_id)
        except Exception as exc:  # the notification matters more than the name
            log.warning("No contact name for conversation %s: %r", event.conversation_id, exc)
            name = None
        if not self._closed:
            self._notify_handoff(event, name)

    def _notify_handoff(self, event: BotHandedOff, name: str | None) -> None:
        contact = name or self.tr("A customer")
        reason = " ".join(event.reason.split())
        if reason:
            text = self.tr("%1 needs a person: %2").replace("%1", contact).replace("%2", reason)
        else:
            text = self.tr("%1 needs a person").replace("%1", contact)
        self.notify(self.tr("A bot handed a chat over to you"), text, event.conversation_id)

    async def wait_idle(self) -> None:
        """Wait for pending contact lookups (tests)."""
        await self._tasks.wait()

    def notify(self, title: str, text: str, conversation_id: int) -> None:
        self.last_notification = (title, text, conversation_id)
        self.notifications_shown += 1
        self._notified_conversation = conversation_id
        if self._icon is not None and self._icon.isVisible():
            self._icon.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 8000)

    def click_last_notification(self) -> None:
        """What a click on the last notification does (also used by tests)."""
        self._on_icon_message_clicked()

    def _on_icon_message_clicked(self) -> None:
        if self._notified_conversation is not None:
            self.open_conversation.emit(self._notified_conversation)

    def _on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_requested.emit()


async def contact_name(engine: Any, conversation_id: int) -> str | None:
    """The `ContactLookup` over an Engine: the display name of the conversation's contact."""
    row = await engine.inbox.row(conversation_id)
    return str(row.contact.display_name) if row is not None else None
