"""The "Customer simulator" dock of `wadesk demo`: play one of the sandbox's demo customers.

Pick a customer, type and send as them, tap a button / pick a list row of the last interactive
message the business sent them, send a (generated) photo or a location, react to the business's
last message — each action is a signed webhook from the in-process sandbox, so it arrives in the
app exactly as a real customer's message would. The list at the bottom shows what the customer
has received from the business.

Only shown in demo mode (`add_demo_panel` does nothing for an engine without a sandbox). The
sandbox runs on the same (qasync) loop; actions are coroutines started from the slots.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from PySide6.QtCore import QBuffer, QEvent, QIODevice, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wadesk.engine.sandbox import Sandbox, SandboxUsageError, SentMessage
from wadesk.engine.sandbox.rules import find_template, template_quick_replies

log = logging.getLogger("wadesk.ui.demo")

REFRESH_MS = 400
DOCK_MIN_WIDTH = 240
DOCK_WIDTH = 280  # the default; the owner can drag it wider
DEMO_LOCATION = (55.7601, 37.6186, "Demo Salon", "Tverskaya 1, Moscow")


def demo_photo(width: int = 480, height: int = 320) -> bytes:
    """A small generated PNG (a sunset-coloured card) for "Send a photo"."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    try:
        gradient = QLinearGradient(QPointF(0, 0), QPointF(width, height))
        gradient.setColorAt(0.0, QColor("#ff9a62"))
        gradient.setColorAt(1.0, QColor("#6a4cff"))
        painter.fillRect(image.rect(), gradient)
        painter.setPen(QColor("white"))
        font = QFont()
        font.setPointSize(28)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter, "wadesk demo")
    finally:
        painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data().data())


def reply_options(sent: SentMessage, templates: list[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """("tap" | "pick", title) for every button / list row of a message the business sent."""
    body = sent.body
    if sent.type == "interactive":
        interactive = body.get("interactive") or {}
        action = interactive.get("action") or {}
        if interactive.get("type") == "button":
            return [
                ("tap", str((b.get("reply") or {}).get("title", "")))
                for b in action.get("buttons") or []
            ]
        if interactive.get("type") == "list":
            return [
                ("pick", str(row.get("title", "")))
                for section in action.get("sections") or []
                for row in section.get("rows") or []
            ]
    if sent.type == "template":
        payload = body.get("template") or {}
        language = str((payload.get("language") or {}).get("code"))
        template = find_template(list(templates), str(payload.get("name")), language)
        if template:
            return [("tap", title) for _payload, title in template_quick_replies(template, payload)]
    return []


def summary(sent: SentMessage) -> str:
    """One line for what the business sent (the text, or the kind of message)."""
    body = sent.body
    if sent.type == "text":
        return str((body.get("text") or {}).get("body", ""))
    if sent.type == "interactive":
        return str(((body.get("interactive") or {}).get("body") or {}).get("text", "…"))
    if sent.type == "template":
        return "[" + str((body.get("template") or {}).get("name", "")) + "]"
    if sent.type == "reaction":
        return str((body.get("reaction") or {}).get("emoji", ""))
    media = body.get(sent.type) or {}
    caption = media.get("caption") if isinstance(media, Mapping) else None
    return f"[{sent.type}] {caption}" if caption else f"[{sent.type}]"


def _compact(combo: QComboBox) -> None:
    """Long items ("Anna · +79161234567", reply titles) must not widen the dock."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(6)


class DemoPanel(QWidget):
    """The simulator's controls. `last_wamid` is the wamid of the latest simulated message."""

    def __init__(self, sandbox: Sandbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sandbox = sandbox
        self.last_wamid: str | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._seen = -1
        self._options: list[tuple[str, str, str]] = []  # (action, title, wamid)
        self._build()
        self.retranslate()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    # -- construction -----------------------------------------------------------------------

    def _build(self) -> None:
        box = QVBoxLayout(self)
        box.setContentsMargins(12, 12, 12, 12)
        box.setSpacing(8)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setObjectName("Muted")
        box.addWidget(self.intro)

        self.customer_label = QLabel()
        self.customer_combo = QComboBox()
        _compact(self.customer_combo)
        for customer in self.sandbox.state.customers.values():
            self.customer_combo.addItem(f"{customer.name} · +{customer.wa_id}", customer.wa_id)
        self.customer_combo.currentIndexChanged.connect(self._on_customer_changed)
        box.addWidget(self.customer_label)
        box.addWidget(self.customer_combo)

        row = QHBoxLayout()
        self.text_edit = QLineEdit()
        self.text_edit.returnPressed.connect(self.send_text)
        self.send_button = QPushButton()
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send_text)
        row.addWidget(self.text_edit, 1)
        row.addWidget(self.send_button)
        box.addLayout(row)

        self.reply_group = QGroupBox()
        reply_box = QVBoxLayout(self.reply_group)
        self.reply_hint = QLabel()
        self.reply_hint.setWordWrap(True)
        self.reply_combo = QComboBox()
        _compact(self.reply_combo)
        self.reply_button = QPushButton()
        self.reply_button.clicked.connect(self.send_reply)
        # the choice above its button: side by side they set the dock's minimum width (in
        # Russian, wider than a 1024 px window leaves it)
        reply_box.addWidget(self.reply_hint)
        reply_box.addWidget(self.reply_combo)
        reply_box.addWidget(self.reply_button)
        box.addWidget(self.reply_group)

        grid = QGridLayout()
        self.photo_button = QPushButton()
        self.photo_button.clicked.connect(self.send_photo)
        self.location_button = QPushButton()
        self.location_button.clicked.connect(self.send_location)
        self.react_button = QPushButton()
        self.react_button.clicked.connect(self.send_reaction)
        # one per row: side by side they would set the dock's minimum width (Russian is long)
        grid.addWidget(self.photo_button, 0, 0)
        grid.addWidget(self.location_button, 1, 0)
        grid.addWidget(self.react_button, 2, 0)
        box.addLayout(grid)

        self.received_label = QLabel()
        self.received = QListWidget()
        self.received.setWordWrap(True)
        box.addWidget(self.received_label)
        box.addWidget(self.received, 1)
        self.status_label = QLabel()
        self._status: Callable[[], str] | None = None
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("Muted")
        box.addWidget(self.status_label)

    def retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "Play a customer: what you send here arrives in wadesk as a signed webhook "
                "from the built-in sandbox."
            )
        )
        self.customer_label.setText(self.tr("Customer"))
        self.text_edit.setPlaceholderText(self.tr("Type as the customer…"))
        self.send_button.setText(self.tr("Send"))
        self.reply_group.setTitle(self.tr("Answer the business"))
        self.reply_button.setText(self.tr("Answer"))
        self.photo_button.setText(self.tr("Send a photo"))
        self.location_button.setText(self.tr("Send location"))
        self.react_button.setText(self.tr("Like the last message"))
        self.received_label.setText(self.tr("Received from the business"))
        if self._status is not None:
            self.status_label.setText(self._status())
        self._seen = -1
        self.refresh()

    # -- state ------------------------------------------------------------------------------

    @property
    def wa_id(self) -> str:
        return str(self.customer_combo.currentData() or "")

    def _sent_to_customer(self) -> list[SentMessage]:
        return [m for m in self.sandbox.sent_messages if m.to == self.wa_id]

    def _on_customer_changed(self, _index: int) -> None:
        self._seen = -1
        self.refresh()

    def refresh(self) -> None:
        """Reload what the business sent to the current customer (when it changed)."""
        sent = self._sent_to_customer()
        if len(self.sandbox.sent_messages) == self._seen and self.received.count() == len(sent):
            return
        self._seen = len(self.sandbox.sent_messages)
        self.received.clear()
        for message in sent[-30:]:
            self.received.addItem(summary(message))
        self.received.scrollToBottom()
        self._options = []
        for message in reversed(sent):
            options = reply_options(message, self.sandbox.state.templates)
            if options:
                self._options = [(action, title, message.wamid) for action, title in options]
                break
        self.reply_combo.clear()
        for action, title, _wamid in self._options:
            shown = self.tr("Tap “%1”") if action == "tap" else self.tr("Pick “%1”")
            self.reply_combo.addItem(shown.replace("%1", title))
        has_options = bool(self._options)
        self.reply_combo.setEnabled(has_options)
        self.reply_button.setEnabled(has_options)
        self.reply_hint.setText(
            self.tr("Buttons and list rows of the business's last interactive message.")
            if has_options
            else self.tr("When the business sends buttons or a list, you can answer here.")
        )

    # -- actions ----------------------------------------------------------------------------

    def _set_status(self, render: Callable[[], str]) -> None:
        """Show the result line `render()` gives (again in the new language on a switch)."""
        self._status = render
        self.status_label.setText(render())

    def _start(self, coro: Coroutine[Any, Any, str], done: Callable[[], str]) -> None:
        async def run() -> None:
            try:
                self.last_wamid = await coro
            except SandboxUsageError as exc:
                said = str(exc)  # `exc` is gone after the block; the text is kept
                self._set_status(lambda: said)
                return
            except Exception as exc:  # the sandbox is local; show what happened, never crash
                log.exception("Customer simulator action failed")
                error = str(exc)
                self._set_status(lambda: self.tr("Could not send: %1").replace("%1", error))
                return
            self._set_status(done)

        task = asyncio.ensure_future(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _customer(self) -> Any:
        return self.sandbox.customer(self.wa_id)

    def send_text(self) -> None:
        text = self.text_edit.text().strip()
        if not text or not self.wa_id:
            return
        self.text_edit.clear()
        self._start(self._customer().say(text), lambda: self.tr("Sent: %1").replace("%1", text))

    def send_reply(self) -> None:
        index = self.reply_combo.currentIndex()
        if not 0 <= index < len(self._options):
            return
        action, title, wamid = self._options[index]
        customer = self._customer()
        coro = customer.tap(title, on=wamid) if action == "tap" else customer.pick(title, on=wamid)
        self._start(coro, lambda: self.tr("Answered: %1").replace("%1", title))

    def send_photo(self) -> None:
        coro = self._customer().image(demo_photo(), self.tr("A photo"), mime_type="image/png")
        self._start(coro, lambda: self.tr("Photo sent"))

    def send_location(self) -> None:
        lat, lon, name, address = DEMO_LOCATION
        self._start(
            self._customer().location(lat, lon, name, address), lambda: self.tr("Location sent")
        )

    def send_reaction(self) -> None:
        sent = [m for m in self._sent_to_customer() if m.type != "reaction"]
        if not sent:
            self._set_status(lambda: self.tr("The business has not sent this customer anything."))
            return
        self._start(self._customer().react(sent[-1].wamid, "👍"), lambda: self.tr("Reaction sent"))

    def stop(self) -> None:
        self._timer.stop()
        for task in list(self._tasks):
            task.cancel()


class DemoDock(QDockWidget):
    """The dock around `DemoPanel`."""

    def __init__(self, sandbox: Sandbox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CustomerSimulatorDock")
        self.panel = DemoPanel(sandbox, self)
        self.setWidget(self.panel)
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.setMinimumWidth(DOCK_MIN_WIDTH)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Customer simulator"))

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.panel.retranslate()
        super().changeEvent(event)


def add_demo_panel(window: QMainWindow, engine: Any) -> DemoDock | None:
    """Dock the simulator on the right of `window` when `engine` runs on a sandbox."""
    sandbox = getattr(engine, "sandbox", None)
    if not isinstance(sandbox, Sandbox):
        return None
    dock = DemoDock(sandbox, window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    # a sensible default width: the inbox keeps its room at 1024-1280 px wide windows
    window.resizeDocks([dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
    return dock
