"""The simulator: a chat pane inside the editor that runs the DRAFT with the same step engine
(`wadesk.flow.start/step`) and the same WhatsApp limits (the `wadesk.core.outgoing` builders)
as the runtime. Bot messages appear as WhatsApp shows them (text, reply buttons, lists); the
user types or taps. The current node is reported (`current_node_changed`) so the canvas can
highlight it; variables and the step trace are shown. Delays are fast-forwarded with a note;
HTTP request nodes either use a response the user types or really call (after confirmation).
The pane is coloured like the inbox's chat (`BubbleColors`) and follows a theme switch.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wadesk.core import outgoing
from wadesk.core.outgoing_limits import LimitError
from wadesk.flow import (
    AddLabel,
    EndSession,
    Event,
    Flow,
    HandOff,
    HttpRequest,
    Inbound,
    NoMatchingTrigger,
    Registry,
    Resume,
    SendButtons,
    SendList,
    SendMedia,
    SendTemplate,
    SendText,
    Session,
    SetContactField,
    StartDelay,
    StartFlow,
    StartTimeout,
    StepResult,
    start,
    step,
)
from wadesk.ui.inbox.conversation.painting import BubbleColors, colors_for
from wadesk.ui.tasks import Tasks
from wadesk.ui.theme import DARK, LIGHT

SIM_PHONE = "15550000000"
MAX_RESUMES = 200


def style_sheets(c: BubbleColors) -> dict[str, str]:
    """The simulator's style sheets in the chat colours `c` (light or dark), by part."""
    theme = DARK if c.dark else LIGHT
    bubble = "border-radius: 10px; padding: 7px 10px;"
    return {
        "header": f"background: {'#202C33' if c.dark else '#008069'};",
        "title": f"color: {'#E9EDEF' if c.dark else 'white'}; font-weight: 600;",
        "restart": (
            f"QPushButton {{ color: {'#E9EDEF' if c.dark else 'white'}; background: transparent;"
            f" border: 1px solid {'#3B4A54' if c.dark else '#7FC8B7'};"
            " border-radius: 6px; padding: 3px 10px; }"
        ),
        "scroll": f"QScrollArea {{ background: {c.background}; border: none; }}",
        "chat": f"#SimulatorChat {{ background: {c.background}; }}",
        "http": f"#SimulatorHttp {{ background: {c.note}; }}",  # not its children's
        "input": f"QFrame {{ background: {c.quote_bg}; }}",
        "bot": (
            f"background: {c.inbound}; color: {c.text}; {bubble} border: 1px solid {c.border};"
        ),
        "user": f"background: {c.outbound}; color: {c.text}; {bubble}",
        "note": (
            f"background: {c.note}; color: {c.note_text}; border-radius: 8px; padding: 4px 10px;"
        ),
        "error": (
            f"background: {theme.error_bg}; color: {theme.error_text}; border-radius: 8px;"
            " padding: 4px 10px;"
        ),
        "choice": (
            f"QPushButton {{ background: {c.inbound}; color: {c.accent};"
            f" border: 1px solid {c.border}; border-radius: 10px; padding: 6px; font-weight: 600; }}"
            f"QPushButton:hover {{ background: {c.quote_bg}; }}"
            f" QPushButton:disabled {{ color: {c.muted}; }}"
        ),
    }


class Simulator(QWidget):
    """Signals: `current_node_changed(str)` ("" when no node is current)."""

    current_node_changed = Signal(str)

    def __init__(self, registry: Registry, lang: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FlowSimulator")
        self.registry = registry
        self.lang = lang
        self.flow = Flow("draft")
        self.session: Session | None = None
        self.now = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
        self.transcript: list[tuple[str, str]] = []  # (who, text) — "bot", "user", "note"
        self.choice_buttons: list[QPushButton] = []
        self.pending_http: HttpRequest | None = None
        self.tasks = Tasks()
        self.http_call: Callable[[HttpRequest], Any] | None = None
        self._seen_contact = False
        self._wamid = 0
        self.colors = colors_for(QGuiApplication.palette())
        self._styled: list[tuple[QWidget, str]] = []  # (widget, part) restyled on a switch
        self._build()
        self._restyle()

    # -- layout ------------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header = QFrame(self)
        self._styled.append((header, "header"))
        hl = QHBoxLayout(header)
        hl.setContentsMargins(12, 8, 8, 8)
        self.title = QLabel(self.tr("Simulator — draft"), header)
        self._styled.append((self.title, "title"))
        hl.addWidget(self.title, 1)
        self.restart_button = QPushButton(self.tr("Restart"), header)
        self._styled.append((self.restart_button, "restart"))
        self.restart_button.clicked.connect(self.restart)
        hl.addWidget(self.restart_button)
        layout.addWidget(header)

        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self._styled.append((self.scroll, "scroll"))
        self.chat = QWidget()
        self.chat.setObjectName("SimulatorChat")
        self._styled.append((self.chat, "chat"))
        self.chat_layout = QVBoxLayout(self.chat)
        self.chat_layout.setContentsMargins(10, 10, 10, 10)
        self.chat_layout.setSpacing(6)
        self.chat_layout.addStretch(1)
        self.scroll.setWidget(self.chat)
        layout.addWidget(self.scroll, 3)

        self.http_panel = QFrame(self)
        self.http_panel.setObjectName("SimulatorHttp")
        self._styled.append((self.http_panel, "http"))
        hp = QVBoxLayout(self.http_panel)
        self.http_label = QLabel(self.http_panel)
        self.http_label.setWordWrap(True)
        hp.addWidget(self.http_label)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Status"), self.http_panel))
        self.http_status = QSpinBox(self.http_panel)
        self.http_status.setRange(100, 599)
        self.http_status.setValue(200)
        row.addWidget(self.http_status)
        row.addStretch(1)
        hp.addLayout(row)
        self.http_body = QPlainTextEdit(self.http_panel)
        self.http_body.setPlaceholderText(self.tr('Mocked JSON response, e.g. {"ok": true}'))
        self.http_body.setFixedHeight(70)
        hp.addWidget(self.http_body)
        buttons = QHBoxLayout()
        self.http_mock_button = QPushButton(self.tr("Use this response"), self.http_panel)
        self.http_error_button = QPushButton(self.tr("Fail the request"), self.http_panel)
        self.http_real_button = QPushButton(self.tr("Call it for real…"), self.http_panel)
        self.http_mock_button.clicked.connect(self.use_mock_response)
        self.http_error_button.clicked.connect(lambda: self.fail_http("simulated error"))
        self.http_real_button.clicked.connect(self.ask_real_call)
        for b in (self.http_mock_button, self.http_error_button):
            buttons.addWidget(b)
        hp.addLayout(buttons)
        hp.addWidget(self.http_real_button)  # three in a row are clipped in the narrow pane
        self.http_panel.hide()
        layout.addWidget(self.http_panel)

        input_row = QFrame(self)
        self._styled.append((input_row, "input"))
        il = QHBoxLayout(input_row)
        il.setContentsMargins(8, 6, 8, 6)
        self.input = QLineEdit(input_row)
        self.input.setPlaceholderText(self.tr("Type a message as the customer…"))
        self.input.returnPressed.connect(self._send_input)
        self.send_button = QPushButton(self.tr("Send"), input_row)
        self.send_button.clicked.connect(self._send_input)
        il.addWidget(self.input, 1)
        il.addWidget(self.send_button)
        layout.addWidget(input_row)

        self.tabs = QTabWidget(self)
        self.variables = QTreeWidget(self.tabs)
        self.variables.setHeaderLabels([self.tr("Variable"), self.tr("Value")])
        self.variables.setRootIsDecorated(False)
        self.trace = QListWidget(self.tabs)
        self.tabs.addTab(self.variables, self.tr("Variables"))
        self.tabs.addTab(self.trace, self.tr("Trace"))
        layout.addWidget(self.tabs, 2)
        self.setMinimumWidth(300)
        self._fixed = len(self._styled)  # the parts above; chat bubbles and buttons follow

    def _restyle(self) -> None:
        sheets = style_sheets(self.colors)
        for widget, part in self._styled:
            widget.setStyleSheet(sheets[part])

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            colors = colors_for(QGuiApplication.palette())
            if colors != self.colors:
                self.colors = colors
                self._restyle()

    # -- chat rendering ----------------------------------------------------------------------------

    def _bubble(self, text: str, who: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setMaximumWidth(260)
        longest = max(
            (label.fontMetrics().horizontalAdvance(x) for x in text.split("\n")), default=0
        )
        label.setMinimumWidth(min(260, longest + 24))
        label.setStyleSheet(style_sheets(self.colors)[who])
        self._styled.append((label, who))
        row = QHBoxLayout()
        if who == "user":
            row.addStretch(1)
            row.addWidget(label)
        elif who in ("note", "error"):
            row.addStretch(1)
            row.addWidget(label)
            row.addStretch(1)
        else:
            row.addWidget(label)
            row.addStretch(1)
        self.chat_layout.addLayout(row)
        self.transcript.append((who, text))
        QTimer.singleShot(0, self.scroll, self._scroll_down)
        return label

    def _choices(self, choices: list[tuple[str, str]]) -> None:
        box = QVBoxLayout()
        box.setSpacing(3)
        for choice_id, title in choices:
            button = QPushButton(title)
            button.setStyleSheet(style_sheets(self.colors)["choice"])
            self._styled.append((button, "choice"))
            button.setMaximumWidth(260)
            button.setProperty("choice_id", choice_id)
            button.clicked.connect(lambda _c=False, cid=choice_id, t=title: self.tap(cid, t))
            box.addWidget(button)
            self.choice_buttons.append(button)
        row = QHBoxLayout()
        row.addLayout(box)
        row.addStretch(1)
        self.chat_layout.addLayout(row)

    def _scroll_down(self) -> None:
        bar = self.scroll.verticalScrollBar()
        bar.setValue(bar.maximum())

    def note(self, text: str) -> None:
        self._bubble(text, "note")

    def button_for(self, title: str) -> QPushButton | None:
        """The most recent choice button with this title."""
        for button in reversed(self.choice_buttons):
            if button.text() == title:
                return button
        return None

    def _clear_chat(self) -> None:
        while self.chat_layout.count() > 1:
            item = self.chat_layout.takeAt(1)
            _delete_layout_item(item)
        self.transcript = []
        self.choice_buttons = []
        del self._styled[self._fixed :]

    # -- running -----------------------------------------------------------------------------------

    def set_flow(self, flow: Flow) -> None:
        self.flow = flow
        self.restart()

    def restart(self) -> None:
        self.session = None
        self.pending_http = None
        self.http_panel.hide()
        self._seen_contact = False
        self._clear_chat()
        self.trace.clear()
        self.variables.clear()
        self.note(self.tr("Send a message to start the draft (e.g. a trigger keyword)."))
        self.current_node_changed.emit("")

    def _tick(self, seconds: float = 1.0) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def _send_input(self) -> None:
        text = self.input.text().strip()
        if text:
            self.input.clear()
            self.send_text(text)

    def send_text(self, text: str) -> None:
        self._bubble(text, "user")
        self._dispatch(Inbound(text=text, **self._contact()))

    def tap(self, choice_id: str, title: str) -> None:
        self._bubble(title, "user")
        self._dispatch(
            Inbound(
                choice_id=choice_id,
                choice_title=title,
                message_type="interactive",
                **self._contact(),
            )
        )

    def _contact(self) -> dict[str, Any]:
        new = not self._seen_contact
        self._seen_contact = True
        return {"contact_name": "Simulator", "contact_phone": SIM_PHONE, "is_new_contact": new}

    def _dispatch(self, event: Event) -> None:
        now = self._tick()
        if self.pending_http is not None and isinstance(event, Inbound):
            self.note(self.tr("The bot is waiting for the HTTP request; answer it below first."))
            return
        session = self.session
        try:
            if session is None or not session.active:
                assert isinstance(event, Inbound)
                result = start(self.flow, self.registry, event, now)
            else:
                result = step(self.flow, self.registry, session, event, now)
        except NoMatchingTrigger:
            self.note(self.tr("No trigger of this flow matches this message."))
            return
        except Exception as exc:  # a draft can be broken in any way; never crash the editor
            self._bubble(self.tr("The flow failed here: %1").replace("%1", str(exc)), "error")
            return
        self._apply(result)

    def _apply(self, result: StepResult) -> None:
        queue: list[Resume] = []
        self.session = result.session
        self._show_trace(result)
        for action in result.actions:
            self._perform(action, queue)
        self._update_state()
        guard = 0
        while queue and guard < MAX_RESUMES and self.pending_http is None:
            guard += 1
            resume = queue.pop(0)
            if self.session is None:
                break
            delay = 0.0
            if resume.kind == "delay" and self.session.wake_at is not None:
                delay = max(0.0, (self.session.wake_at - self.now).total_seconds())
            result = step(self.flow, self.registry, self.session, resume, self._tick(delay or 1))
            self.session = result.session
            self._show_trace(result)
            for action in result.actions:
                self._perform(action, queue)
            self._update_state()

    def _perform(self, action: Any, queue: list[Resume]) -> None:  # noqa: C901
        lang = self.lang
        try:
            if isinstance(action, SendText):
                outgoing.text(SIM_PHONE, action.text, action.preview_url)
                self._bubble(action.text, "bot")
            elif isinstance(action, SendButtons):
                outgoing.reply_buttons(
                    SIM_PHONE, action.body, list(action.buttons), action.header, action.footer
                )
                self._bubble(_with_frame(action.body, action.header, action.footer), "bot")
                self._choices(list(action.buttons))
                queue.append(Resume("sent", action.node_id, {"wamid": self._next_wamid()}))
            elif isinstance(action, SendList):
                section = outgoing.ListSection(action.section_title, list(action.rows))
                outgoing.list_message(
                    SIM_PHONE, action.body, action.button, [section], action.header, action.footer
                )
                body = _with_frame(action.body, action.header, action.footer)
                self._bubble(f"{body}\n\n☰ {action.button}", "bot")
                self._choices([(rid, title) for rid, title, _d in action.rows])
                queue.append(Resume("sent", action.node_id, {"wamid": self._next_wamid()}))
            elif isinstance(action, SendMedia):
                caption = f"\n{action.caption}" if action.caption else ""
                self._bubble(f"[{action.media_kind}: {action.media}]{caption}", "bot")
            elif isinstance(action, SendTemplate):
                self._bubble(
                    self.tr("Template “%1” (%2)")
                    .replace("%1", action.name)
                    .replace("%2", action.language),
                    "bot",
                )
            elif isinstance(action, HandOff):
                self.note(self.tr("Handed off to a person: %1").replace("%1", action.reason))
            elif isinstance(action, StartDelay):
                self.note(
                    self.tr("Delay of %1 s skipped in the simulator.").replace(
                        "%1", str(action.seconds)
                    )
                )
                queue.append(Resume("delay", action.node_id))
            elif isinstance(action, StartTimeout):
                self.note(
                    self.tr("The bot waits up to %1 s for an answer.").replace(
                        "%1", str(action.seconds)
                    )
                )
            elif isinstance(action, HttpRequest):
                self._ask_http(action)
            elif isinstance(action, SetContactField):
                self.note(
                    self.tr("Contact field %1 = %2")
                    .replace("%1", action.field)
                    .replace("%2", action.value)
                )
            elif isinstance(action, AddLabel):
                text = self.tr("Label removed: %1") if action.remove else self.tr("Label added: %1")
                self.note(text.replace("%1", action.label))
            elif isinstance(action, StartFlow):
                self.note(self.tr("Would start flow %1.").replace("%1", action.flow_id))
            elif isinstance(action, EndSession):
                self.note(self.tr("The conversation with the bot ended."))
        except LimitError as exc:
            self._bubble(
                self.tr("WhatsApp would reject this message: %1").replace("%1", exc.explain(lang)),
                "error",
            )

    def _next_wamid(self) -> str:
        self._wamid += 1
        return f"wamid.sim.{self._wamid}"

    # -- HTTP ------------------------------------------------------------------------------------

    def _ask_http(self, request: HttpRequest) -> None:
        self.pending_http = request
        body = "" if request.body is None else json.dumps(request.body, ensure_ascii=False)
        self.http_label.setText(
            self.tr("HTTP request: %1 %2 %3")
            .replace("%1", request.method)
            .replace("%2", request.url)
            .replace("%3", body[:200])
        )
        self.http_panel.show()

    def use_mock_response(self) -> None:
        text = self.http_body.toPlainText().strip()
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            self.note(self.tr("The mocked response is not valid JSON."))
            return
        self.resolve_http({"status": self.http_status.value(), "json": data})

    def fail_http(self, error: str) -> None:
        self.resolve_http({"error": error})

    def resolve_http(self, result: dict[str, Any]) -> None:
        request = self.pending_http
        if request is None or self.session is None:
            return
        self.pending_http = None
        self.http_panel.hide()
        outcome = result.get("error") or f"HTTP {result.get('status')}"
        self.note(self.tr("Request answered: %1").replace("%1", str(outcome)))
        step_result = step(
            self.flow,
            self.registry,
            self.session,
            Resume("http", request.node_id, result),
            self._tick(),
        )
        self._apply(step_result)

    def ask_real_call(self) -> QMessageBox | None:
        request = self.pending_http
        if request is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Call for real?"),
            self.tr("The simulator will really send %1 %2. Continue?")
            .replace("%1", request.method)
            .replace("%2", request.url),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.finished.connect(
            lambda code: (
                self.tasks.spawn(self._real_call(request))
                if code == QMessageBox.StandardButton.Yes.value
                else None
            )
        )
        box.open()
        return box

    async def _real_call(self, request: HttpRequest) -> None:
        import httpx

        try:
            async with httpx.AsyncClient(timeout=request.timeout) as client:
                response = await client.request(
                    request.method,
                    request.url,
                    headers=dict(request.headers),
                    json=request.body if request.body is not None else None,
                )
            try:
                data = response.json()
            except ValueError:
                data = {}
            self.resolve_http({"status": response.status_code, "json": data})
        except httpx.HTTPError as exc:
            self.fail_http(type(exc).__name__)

    # -- state -------------------------------------------------------------------------------------

    def _show_trace(self, result: StepResult) -> None:
        for entry in result.trace:
            parts = [entry.node_id or "·", entry.event]
            if entry.output:
                parts.append(f"→ {entry.output}")
            if entry.error:
                parts.append(f"⚠ {entry.error}")
            self.trace.addItem("  ".join(parts))
        self.trace.scrollToBottom()

    def _update_state(self) -> None:
        session = self.session
        self.variables.clear()
        if session is not None:
            for name, value in sorted(session.variables.items()):
                shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                QTreeWidgetItem(self.variables, [name, shown])
        current = session.current_node if session is not None and session.active else None
        self.current_node_changed.emit(current or "")

    def shutdown(self) -> None:
        self.tasks.cancel_all()


def _with_frame(body: str, header: str | None, footer: str | None) -> str:
    parts = [p for p in (header, body, footer) if p]
    return "\n\n".join(parts)


def _delete_layout_item(item: Any) -> None:
    if item is None:
        return
    widget = item.widget()
    if widget is not None:
        widget.hide()
        widget.deleteLater()
        return
    layout = item.layout()
    if layout is not None:
        while layout.count():
            _delete_layout_item(layout.takeAt(0))
        layout.deleteLater()
