"""What the inbox's middle column shows without a working message view: `ConversationPlaceholder`
(same `set_conversation()` as `ConversationView`), and `make_conversation_view()`, which builds
the real view when it imports and builds, else the placeholder."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

log = logging.getLogger("wadesk.ui.inbox")


class ConversationPlaceholder(QWidget):
    """Stands in for the message view until `ConversationView` is available."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conversation_id: int | None = None
        lay = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setObjectName("Hint")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        self.retranslate()

    def set_conversation(self, conversation_id: int | None) -> None:
        self.conversation_id = conversation_id
        self.retranslate()

    def retranslate(self) -> None:
        if self.conversation_id is None:
            self.label.setText(self.tr("Select a conversation on the left."))
        else:
            self.label.setText(self.tr("The message view is not available in this build."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def make_conversation_view(engine: Any, bridge: Any, translator: Any) -> QWidget:
    """The real message view when it imports and builds, else the placeholder.

    Without a working engine (None, or a stand-in without `inbox`) the placeholder is used
    directly: a view whose constructor failed half-way would linger as a broken widget.
    """
    if getattr(engine, "inbox", None) is None:
        return ConversationPlaceholder()
    try:
        from wadesk.ui.inbox.conversation import ConversationView  # type: ignore[attr-defined]
    except ImportError:
        return ConversationPlaceholder()
    try:
        view: QWidget = ConversationView(engine, bridge, translator, None)
    except Exception:
        log.exception("The conversation view could not be built")
        return ConversationPlaceholder()
    return view
