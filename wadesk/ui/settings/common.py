"""Building blocks shared by the Settings sections.

`Section` is one scrollable section (title, subtitle, cards) with a `retranslate()` hook and a
`Tasks` helper for the coroutines its slots start; `card()` makes a titled card with a form;
`ask()` opens a message box with `open()` (never `exec()`) and returns a future of the button
that closed it, so a coroutine can await the answer without a nested event loop;
`store_ready()` waits until the engine's store is open (sections are built before it starts).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wadesk.ui.tasks import Tasks


def card(parent: QWidget | None = None) -> tuple[QFrame, QLabel, QFormLayout]:
    """A titled card (the app's `Card` style) holding a form; returns (card, title, form)."""
    frame = QFrame(parent)
    frame.setObjectName("Card")
    frame.setMaximumWidth(820)
    box = QVBoxLayout(frame)
    box.setContentsMargins(20, 16, 20, 18)
    box.setSpacing(12)
    title = QLabel(frame)
    title.setObjectName("CardTitle")
    box.addWidget(title)
    form = QFormLayout()
    form.setHorizontalSpacing(24)
    form.setVerticalSpacing(12)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    box.addLayout(form)
    return frame, title, form


def hint(text: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("Hint")
    label.setWordWrap(True)
    return label


def english_plural(text: str, n: int) -> str:
    """`tr("%n message(s)", "", n)` stays in the source language when there is no
    translation: turn its "(s)" into proper English ("1 message", "2 messages")."""
    return text.replace("(s)", "" if n == 1 else "s")


def set_status(label: QLabel, text: str, *, error: bool = False) -> None:
    """Show a result line under a control: plain for success, red for an error."""
    label.setText(text)
    label.setProperty("error", error)
    label.setStyleSheet("color: #E53935;" if error else "")
    label.setVisible(bool(text))


class DeleteKey(QObject):
    """Calls `action` when Delete is pressed in the widget it filters (a list or a table)."""

    def __init__(self, widget: QWidget, action: Callable[[], None]) -> None:
        super().__init__(widget)
        self._action = action
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if event.matches(QKeySequence.StandardKey.Delete):
                self._action()
                return True
        return False


class Section(QWidget):
    """One Settings section: a scroll area with a title, a subtitle and a column of cards.

    Attributes:
        body: the column (add cards with `add()`).
        tasks: coroutines started from this section's slots.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tasks = Tasks(type(self).__name__)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        content.setObjectName("ContentArea")
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.body = QVBoxLayout(content)
        self.body.setContentsMargins(32, 28, 32, 28)
        self.body.setSpacing(16)
        self.title = QLabel()
        self.title.setObjectName("PageTitle")
        self.subtitle = hint()
        self.body.addWidget(self.title)
        self.body.addWidget(self.subtitle)
        self.body.addSpacing(4)
        self._stretch_added = False

    def add(self, widget: QWidget) -> None:
        self.body.addWidget(widget)

    def finish(self) -> None:
        """Push the cards to the top (call once, after the last `add()`)."""
        if not self._stretch_added:
            self.body.addStretch(1)
            self._stretch_added = True

    def retranslate(self) -> None:  # pragma: no cover - every section overrides it
        pass

    async def refresh(self) -> None:
        """Reload what the section shows from the engine (sections with data override it)."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def shutdown(self) -> None:
        self.tasks.cancel_all()


def ask(
    parent: QWidget,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton,
    default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
    informative: str = "",
) -> tuple[QMessageBox, asyncio.Future[QMessageBox.StandardButton]]:
    """Open a window-modal message box (`open()`); the future gets the button that closed it."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    if informative:
        box.setInformativeText(informative)
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    future: asyncio.Future[QMessageBox.StandardButton] = asyncio.get_running_loop().create_future()

    def done(_result: int) -> None:
        clicked = box.clickedButton()
        answer = (
            box.standardButton(clicked)
            if clicked is not None
            else QMessageBox.StandardButton.Cancel
        )
        if not future.done():
            future.set_result(answer)
        box.deleteLater()

    box.finished.connect(done)
    box.open()
    return box, future


async def store_ready(engine: Any, max_wait: float = 120.0) -> bool:
    """Wait until the engine's store is open; False when it never opens (or there is none)."""
    store = getattr(engine, "store", None)
    if store is None:
        return False
    waited = 0.0
    while not getattr(store, "is_open", True):
        if waited >= max_wait:
            return False
        await asyncio.sleep(0.05)
        waited += 0.05
    return True
