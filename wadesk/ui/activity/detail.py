"""`EventDetailPane`: one webhook event — when, number, type, signature, result, why — its raw
JSON (highlighted) and the "Replay" button with its visible result."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.engine.activity import RawEventDetail
from wadesk.ui.activity.health import dot
from wadesk.ui.activity.json_view import JsonView
from wadesk.ui.activity.model import RawEventModel, result_kind, verdict_kind
from wadesk.ui.sizes import format_size


def human_size(size: int) -> str:
    return format_size(size)  # translated units (КБ/МБ in Russian)


class EventDetailPane(QFrame):
    """Shows one `RawEventDetail`; texts come from the table model (same words as the table).

    Signals:
        replay_requested(int): replay this raw event id.
    """

    replay_requested = Signal(int)

    def __init__(
        self, model: RawEventModel, *, dark: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        self._model = model
        self.detail: RawEventDetail | None = None
        self.title = QLabel()
        self.title.setObjectName("CardTitle")
        self._captions = [QLabel() for _ in range(5)]
        self.received_value = QLabel()
        self.number_value = QLabel()
        self.verdict_value = QLabel()
        self.result_value = QLabel()
        self.reason_value = QLabel()
        self.reason_value.setWordWrap(True)
        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(4)
        values = (
            self.received_value,
            self.number_value,
            self.verdict_value,
            self.result_value,
            self.reason_value,
        )
        for caption, value in zip(self._captions, values, strict=True):
            caption.setObjectName("Hint")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(caption, value)
        for value in (self.verdict_value, self.result_value):
            value.setTextFormat(Qt.TextFormat.RichText)
        self.json_view = JsonView(dark=dark)
        self.replay_button = QPushButton()
        self.replay_button.setEnabled(False)
        self.replay_button.clicked.connect(self._on_replay_clicked)
        self.replay_result = QLabel()
        self.replay_result.setObjectName("Hint")
        self.replay_result.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.replay_button)
        bottom.addWidget(self.replay_result, 1)
        self.empty = QLabel()
        self.empty.setObjectName("PlaceholderText")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self._content = QWidget()
        box = QVBoxLayout(self._content)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(10)
        box.addWidget(self.title)
        box.addLayout(form)
        box.addWidget(self.json_view, 1)
        box.addLayout(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self._content, 1)
        layout.addWidget(self.empty, 1)
        self._content.hide()
        self.retranslate()

    @property
    def shown_id(self) -> int | None:
        return self.detail.id if self.detail is not None else None

    def show_detail(self, detail: RawEventDetail) -> None:
        if self.detail is None or detail.id != self.detail.id:
            self.set_replay_result(None)
        self.detail = detail
        self.empty.hide()
        self._content.show()
        self.json_view.show_body(detail.body, is_json=detail.is_json)
        self._render()

    def clear(self) -> None:
        self.detail = None
        self.json_view.clear()
        self.set_replay_result(None)
        self.replay_button.setEnabled(False)
        self._content.hide()
        self.empty.show()

    def set_replay_result(self, text: Callable[[], str] | None) -> None:
        """Show a replay result; `text` renders it in the current language (called again on a
        language switch, so the result is never a stale rendered string). None clears it."""
        self._replay_text = text
        self.replay_result.setText(text() if text is not None else "")

    def set_busy(self, busy: bool) -> None:
        self.replay_button.setEnabled(not busy and self._can_replay())

    def _can_replay(self) -> bool:
        return self.detail is not None and self.detail.summary.replayable

    def _on_replay_clicked(self) -> None:
        if self.detail is not None:
            self.replay_requested.emit(self.detail.id)

    def _render(self) -> None:
        detail = self.detail
        if detail is None:
            return
        s = detail.summary
        m = self._model
        self.title.setText(
            self.tr("Event #%1 · %2 · %3")
            .replace("%1", str(s.id))
            .replace("%2", s.field or "—")
            .replace("%3", human_size(s.size))
        )
        self.received_value.setText(s.received_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"))
        self.number_value.setText(m.number_text(s))
        self.verdict_value.setText(dot(verdict_kind(s.verdict)) + m.verdict_text(s.verdict))
        self.result_value.setText(dot(result_kind(s.result)) + m.result_text(s.result))
        reason = self.reason_text(detail)
        if detail.truncated:
            reason = (reason + " " if reason else "") + self.tr(
                "Only the beginning of this large body is shown."
            )
        self.reason_value.setText(reason or "—")
        self.replay_button.setEnabled(self._can_replay())
        self.replay_button.setToolTip(
            self.tr("Apply this event again; nothing already stored changes twice.")
            if self._can_replay()
            else self.tr("Only events signed by Meta can be replayed.")
        )

    def reason_text(self, detail: RawEventDetail) -> str:
        """Why the event was rejected or failed, in the UI language."""
        s = detail.summary
        verdicts = {
            SignatureVerdict.MISSING: self.tr(
                "The request had no X-Hub-Signature-256 header: it did not come from Meta, or a "
                "proxy removed the header."
            ),
            SignatureVerdict.INVALID: self.tr(
                "The signature does not match the app secret of any number: the app secret in "
                "wadesk differs from the one in Meta's dashboard, or the request is forged."
            ),
            SignatureVerdict.NO_SECRET: self.tr(
                "No app secret is configured, so no webhook can be verified: add a number with "
                "its app secret first."
            ),
        }
        if s.verdict in verdicts:
            return verdicts[s.verdict]
        info = s.detail or ""
        if s.result is ProcessingResult.REJECTED:
            return self.tr("The body is not a WhatsApp webhook: %1").replace("%1", info)
        if s.result is ProcessingResult.UNKNOWN_NUMBER:
            return self.tr(
                "The event is for a Phone Number ID that is not added in wadesk (%1)."
            ).replace("%1", info)
        if s.result is ProcessingResult.ERROR:
            return self.tr("Applying the event failed: %1").replace("%1", info)
        return info

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        if getattr(self, "_replay_text", None) is not None:
            self.set_replay_result(self._replay_text)
        for caption, text in zip(
            self._captions,
            (
                self.tr("Received"),
                self.tr("Number"),
                self.tr("Signature"),
                self.tr("Result"),
                self.tr("Details"),
            ),
            strict=True,
        ):
            caption.setText(text)
        self.replay_button.setText(self.tr("Replay"))
        self.empty.setText(self.tr("Select an event to see its raw JSON."))
        self._render()
