"""A calm "coming here" page for the sections other parts of the app will fill.

`PlaceholderPage(key)` shows the section's icon, name and one sentence about what will be
there. Texts are chosen per key in `retranslate()` (literal `tr()` calls, so Qt Linguist finds
them).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

PLACEHOLDER_KEYS: tuple[str, ...] = ("inbox", "bots", "templates", "numbers", "activity")


class PlaceholderPage(QWidget):
    """Stands in for a section that is not built yet.

    Attributes:
        key: the section (one of `PLACEHOLDER_KEYS`).
    """

    def __init__(self, key: str, icon: QIcon | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if key not in PLACEHOLDER_KEYS:
            raise ValueError(f"No placeholder for page {key!r}; expected one of {PLACEHOLDER_KEYS}")
        self.key = key
        self.setObjectName("PlaceholderPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(12)
        layout.addStretch(2)
        self._icon = QLabel()
        self._icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._title = QLabel()
        self._title.setObjectName("PlaceholderTitle")
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._text = QLabel()
        self._text.setObjectName("PlaceholderText")
        self._text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._text.setWordWrap(True)
        self._text.setFixedWidth(480)
        self._soon = QLabel()
        self._soon.setObjectName("Hint")
        self._soon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self._icon)
        layout.addWidget(self._title)
        layout.addWidget(self._text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(4)
        layout.addWidget(self._soon)
        layout.addStretch(3)
        if icon is not None:
            self.set_icon(icon)
        self.retranslate()

    def set_icon(self, icon: QIcon) -> None:
        self._icon.setPixmap(icon.pixmap(QSize(64, 64)))

    def title_text(self) -> str:
        return self._title.text()

    def body_text(self) -> str:
        return self._text.text()

    def retranslate(self) -> None:
        title, text = self._texts()
        self._title.setText(title)
        self._text.setText(text)
        self._text.setMinimumHeight(self._text.heightForWidth(self._text.width()))
        self._soon.setText(self.tr("This section is on its way."))

    def _texts(self) -> tuple[str, str]:
        if self.key == "inbox":
            return self.tr("Inbox"), self.tr(
                "Your WhatsApp conversations will appear here: chats with unread counts, "
                "search, delivery ticks and the 24-hour reply window."
            )
        if self.key == "bots":
            return self.tr("Bots"), self.tr(
                "Build automatic replies visually: greetings, menus with buttons, questions, "
                "and handing the chat over to a person."
            )
        if self.key == "templates":
            return self.tr("Templates"), self.tr(
                "Message templates approved by Meta, with a live preview, for writing to "
                "customers outside the 24-hour window."
            )
        if self.key == "numbers":
            return self.tr("Numbers"), self.tr(
                "Connect your WhatsApp Business numbers and check that webhooks reach this "
                "computer."
            )
        return self.tr("Activity"), self.tr(
            "Every webhook received, its signature check, and what wadesk did with it."
        )
