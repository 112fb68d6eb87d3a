"""`HealthStrip`: the Activity page's card with the webhook server, the tunnel, the last webhook,
the event counts and the "Copy diagnostics" button.

It only renders what it is given (`update_state`); the page polls the engine while visible.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QSizePolicy, QWidget

from wadesk.core.messages import Message
from wadesk.ui.main_window import format_time
from wadesk.ui.resources import resource_path
from wadesk.ui.setup.messages import render_message


def dot(kind: str) -> str:
    path = resource_path("icons", f"status-{kind}.svg").as_posix()
    return f'<img src="{path}" width="10" height="10">&nbsp;&nbsp;'


class HealthStrip(QFrame):
    """Server / tunnel / last webhook / counts, and "Copy diagnostics".

    Signals:
        copy_requested(): the user asked to copy the diagnostics.
    """

    copy_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self.server_url: str | None = None
        self.server_running = False
        self.tunnel: dict[str, Any] | None = None
        self.health: dict[str, Any] | None = None
        self._captions = [QLabel() for _ in range(4)]
        self.server_value = QLabel()
        self.tunnel_value = QLabel()
        self.webhook_value = QLabel()
        self.counts_value = QLabel()
        values = (self.server_value, self.tunnel_value, self.webhook_value, self.counts_value)
        grid = QGridLayout(self)
        grid.setContentsMargins(18, 12, 18, 12)
        grid.setHorizontalSpacing(28)
        grid.setVerticalSpacing(2)
        for col, (caption, value) in enumerate(zip(self._captions, values, strict=True)):
            caption.setObjectName("Hint")
            value.setTextFormat(Qt.TextFormat.RichText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(caption, 0, col)
            grid.addWidget(value, 1, col)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(3, 2)
        self.copy_button = QPushButton()
        self.copy_button.clicked.connect(self.copy_requested)
        self.copy_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.copy_result = QLabel()
        self.copy_result.setObjectName("Hint")
        self.copy_result.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.copy_button, 0, 4, 2, 1, Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(self.copy_result, 2, 0, 1, 5)
        self.copy_result.hide()
        self._copy_text: Callable[[], str] | None = None
        self.retranslate()

    def update_state(
        self,
        *,
        server_url: str | None,
        health: dict[str, Any] | None,
        tunnel: dict[str, Any] | None,
    ) -> None:
        self.server_url = server_url
        self.server_running = server_url is not None
        self.health = health
        self.tunnel = tunnel
        self.render_texts()

    def set_copy_result(self, text: Callable[[], str] | None) -> None:
        """Show the "Copy diagnostics" result; `text` renders it in the current language
        (called again on a language switch). None hides it."""
        self._copy_text = text
        shown = text() if text is not None else ""
        self.copy_result.setText(shown)
        self.copy_result.setVisible(bool(shown))

    def render_texts(self) -> None:
        if self.server_running:
            address = urlsplit(self.server_url or "").netloc or (self.server_url or "")
            server = dot("ok") + self.tr("listening on %1").replace("%1", address)
        else:
            server = dot("off") + self.tr("not running")
        self.server_value.setText(server)
        self.server_value.setToolTip(self.server_url or "")
        self.tunnel_value.setText(self._tunnel_text())
        last = None
        counts: dict[str, Any] = {}
        if self.health is not None:
            counts = self.health.get("counts") or {}
            raw = self.health.get("last_event_at")
            if isinstance(raw, str):
                try:
                    last = datetime.fromisoformat(raw)
                except ValueError:
                    last = None
        self.webhook_value.setText(format_time(last) or self.tr("none yet"))
        if self.health is None:
            self.counts_value.setText("—")
            return
        total = int(counts.get("raw_events", 0))
        rejected = int(counts.get("raw_events_rejected", 0))
        errors = int(counts.get("raw_events_error", 0)) + int(
            counts.get("raw_events_unknown_number", 0)
        )
        bad = "error" if rejected or errors else "ok"
        self.counts_value.setText(
            dot(bad)
            + self.tr("%1 received · %2 rejected · %3 failed")
            .replace("%1", str(total))
            .replace("%2", str(rejected))
            .replace("%3", str(errors))
        )

    def _tunnel_text(self) -> str:
        tunnel = self.tunnel
        if tunnel is None or tunnel.get("mode") == "off":
            return dot("off") + self.tr("not configured")
        state = tunnel.get("state") or ""
        url = tunnel.get("public_url") or ""
        texts = {
            "stopped": (dot("off"), self.tr("stopped")),
            "starting": (dot("warn"), self.tr("starting…")),
            "up": (dot("ok"), url),
            "manual": (dot("ok"), self.tr("own URL %1").replace("%1", url)),
            "down": (dot("error"), self.tr("down: %1").replace("%1", self._reason(tunnel))),
        }
        icon, text = texts.get(state, (dot("off"), state))
        return icon + text

    @staticmethod
    def _reason(tunnel: dict[str, Any]) -> str:
        message = tunnel.get("reason_message")
        if isinstance(message, Message):
            return render_message(message)
        return str(tunnel.get("reason") or "")

    def plain_text(self) -> str:
        import re

        parts = []
        for caption, value in zip(
            self._captions,
            (self.server_value, self.tunnel_value, self.webhook_value, self.counts_value),
            strict=True,
        ):
            text = re.sub(r"<[^>]+>", "", value.text()).replace("&nbsp;", " ").strip()
            parts.append(f"{caption.text()}: {text}")
        return " | ".join(parts)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        for caption, text in zip(
            self._captions,
            (
                self.tr("Webhook server"),
                self.tr("Tunnel"),
                self.tr("Last webhook"),
                self.tr("Events"),
            ),
            strict=True,
        ):
            caption.setText(text)
        self.copy_button.setText(self.tr("Copy diagnostics"))
        self.copy_button.setToolTip(
            self.tr(
                "Copies versions, checks, health, numbers and the last log lines (without "
                "secrets) to the clipboard, for a support request."
            )
        )
        self.render_texts()
        if self._copy_text is not None:
            self.set_copy_result(self._copy_text)
