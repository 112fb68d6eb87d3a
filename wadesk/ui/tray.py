"""The system tray icon: notifications for new customer messages, Show and Quit.

`TrayController` wraps a `QSystemTrayIcon` when the platform has a tray (the offscreen platform
and some desktops have none: then `available` is False, nothing is shown, and the app quits when
its window closes). Inbound `MessageAdded` batches from the bridge become one notification
(contact name and message preview, or a summary for a burst); clicking it asks the window to
open that conversation.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

from wadesk.core.enums import Direction
from wadesk.core.events import MessageAdded

log = logging.getLogger("wadesk.ui.tray")

PREVIEW_CHARS = 120


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
        self._notified_conversation: int | None = None
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

    def notify(self, title: str, text: str, conversation_id: int) -> None:
        self.last_notification = (title, text, conversation_id)
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
