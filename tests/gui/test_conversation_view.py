"""The conversation view: message model (qtmodeltester, paging, bounded cache), bubbles
(formatting, cached size hints), and the whole loop against the Cloud API sandbox — local echo
and ticks, failure + Retry, Enter/Shift+Enter, quick replies, attachment limits, template mode,
notes, and the bot pause. Screenshots in light/dark × en/ru are saved to build/test-artifacts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, update

from tests.integration.sandbox_engine import SandboxEngine, sandbox_engine
from wadesk.core.enums import ConversationMode, Direction, MessageStatus, MessageType
from wadesk.core.errors import GraphError
from wadesk.engine.config import Paths, Settings
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.quick_replies import QuickReply, QuickReplyStore
from wadesk.engine.secrets import SecretStore
from wadesk.engine.service import Engine
from wadesk.engine.store import repo
from wadesk.engine.store.columns import dumps_json
from wadesk.engine.store.tables import contact_t, conversation_t, message_t
from wadesk.ui.bridge import EngineBridge
from wadesk.ui.i18n import Translator
from wadesk.ui.inbox.conversation import ConversationView
from wadesk.ui.inbox.conversation.formatting import to_html
from wadesk.ui.inbox.conversation.listview import MessageListView
from wadesk.ui.inbox.conversation.model import MessageListModel
from wadesk.ui.inbox.conversation.roles import Role
from wadesk.ui.inbox.conversation.source import StoreSource
from wadesk.ui.theme import ThemeManager

pytestmark = pytest.mark.qasync


async def until(check: Callable[[], Any], seconds: float = 5.0) -> Any:
    """Poll `check` on the running (qasync) loop until it is truthy."""
    async with asyncio.timeout(seconds):
        while True:
            value = check()
            if value:
                return value
            await asyncio.sleep(0.01)


# -- a store-only engine with seeded history ----------------------------------------------------


def _seed(conn: Any, messages: list[dict[str, Any]], *, last_inbound: datetime | None) -> int:
    number = repo.add_number(conn, "Salon", "+15550783881", "106540352242922", "102290129340398")
    now = datetime.now(UTC)
    contact = conn.execute(
        insert(contact_t).values(
            wa_id="16505551234", profile_name="Sheena Nelson", created_at=now, updated_at=now
        )
    ).lastrowid
    conv = conn.execute(
        insert(conversation_t).values(
            number_id=number.id,
            contact_id=contact,
            created_at=now,
            last_inbound_at=last_inbound,
            last_message_at=now,
            mode="bot",
        )
    ).lastrowid
    for m in messages:
        ts = m.pop("timestamp")
        conn.execute(
            insert(message_t).values(
                conversation_id=conv,
                direction=m.pop("direction", "inbound"),
                type=m.pop("type", "text"),
                status=m.pop("status", "received"),
                payload_json=dumps_json(m.pop("payload", {})),
                timestamp=ts,
                created_at=ts,
                updated_at=ts,
                **m,
            )
        )
    return int(conv)


@asynccontextmanager
async def store_engine(
    tmp_path: Path, messages: list[dict[str, Any]], *, last_inbound: datetime | None = None
) -> AsyncIterator[tuple[Engine, int]]:
    redactor = SecretRedactor()
    data = tmp_path / "data"
    engine = Engine(
        Settings(paths=Paths(data, data / "logs"), port=0),
        secrets=SecretStore(redactor),
        redactor=redactor,
    )
    await engine.start(serve=False, ingest=False)
    try:
        conv = await engine.store.write(
            lambda c: _seed(c, list(messages), last_inbound=last_inbound)
        )
        yield engine, conv
    finally:
        await engine.stop()


def history(n: int, start: datetime) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        out.append(
            {
                "timestamp": start + timedelta(minutes=20 * i),
                "direction": "inbound" if i % 3 else "outbound",
                "status": "received" if i % 3 else "read",
                "text": f"message {i}" + (" with a longer line of text" * (i % 4)),
                "wamid": f"wamid.h{i}",
            }
        )
    return out


async def test_model_contract_paging_scroll_position_and_bounded_cache(
    tmp_path: Path, qtmodeltester: Any, qtbot: Any
) -> None:
    start = datetime.now(UTC) - timedelta(days=4)
    async with store_engine(tmp_path, history(230, start)) as (engine, conv):
        model = MessageListModel(StoreSource.for_engine(engine), page_size=50, cache_size=120)
        model.set_conversation(conv, "Sheena")
        await model.settle()
        assert model.rowCount() == 50 and model.has_more
        assert model.index(49).data(Role.TEXT).startswith("message 229")
        qtmodeltester.check(model)
        await model.settle()
        # Qt's "last row visible → fetch more" must not pull history while at the bottom
        assert not model.canFetchMore(QModelIndex())
        view = MessageListView(model)
        qtbot.addWidget(view)
        view.resize(520, 420)
        view.show()
        await asyncio.sleep(0.05)
        await model.settle()
        view.scroll_to_end()
        assert view.at_bottom()
        bar = view.verticalScrollBar()
        bar.setValue(400)  # not yet near the top
        await model.settle()
        assert model.rowCount() == 50
        bar.setValue(0)  # the top: older history loads
        anchor = view.indexAt(QPoint(40, 40)).data(Role.ID)
        await until(lambda: model.rowCount() >= 100)
        await model.settle()
        await asyncio.sleep(0.05)
        await model.settle()
        # the message that was at the top is still in view: the scroll position was kept
        visible = {view.indexAt(QPoint(40, y)).data(Role.ID) for y in range(0, 420, 10)}
        assert anchor in visible
        while model.has_more:
            view.verticalScrollBar().setValue(0)
            await until(lambda: not model._fetching, 5)
            await asyncio.sleep(0.02)
            await model.settle()
        assert model.rowCount() == 230
        assert model.cached_count() <= 120
        qtmodeltester.check(model)
        # a day separator is on the first message of each day, never twice in a day
        days = [model.index(r).data(Role.DAY_SEPARATOR) for r in range(30)]
        await model.settle()
        days = [model.index(r).data(Role.DAY_SEPARATOR) for r in range(30)]
        assert days[0] and sum(1 for d in days if d) <= 3


def test_whatsapp_formatting_renders_as_rich_text() -> None:
    html = to_html("*bold* _it_ ~gone~ ```x*y*``` 2 * 3 * 4 see https://ex.com/a_b_c.")
    assert "<b>bold</b>" in html and "<i>it</i>" in html and "<s>gone</s>" in html
    assert "x*y*" in html and "2 * 3 * 4" in html
    assert '<a href="https://ex.com/a_b_c">https://ex.com/a_b_c</a>.' in html
    assert to_html("<script>\nhi") == "&lt;script&gt;<br>hi"


async def test_size_hints_are_cached_per_width_and_links_are_hits(
    tmp_path: Path, qtbot: Any
) -> None:
    now = datetime.now(UTC)
    msgs = [{"timestamp": now, "text": "*Hello* see https://example.com please", "wamid": "w1"}]
    async with store_engine(tmp_path, msgs) as (engine, conv):
        model = MessageListModel(StoreSource.for_engine(engine))
        view = MessageListView(model)
        qtbot.addWidget(view)
        view.resize(600, 300)
        view.show()
        model.set_conversation(conv)
        await model.settle()
        await asyncio.sleep(0.05)
        delegate = view.delegate
        index = model.index(0)
        delegate.width = 600
        first = delegate.layout_for(index)
        built = delegate.layouts_built
        for _ in range(5):
            assert delegate.layout_for(index) is first
        assert delegate.layouts_built == built
        delegate.width = 300
        narrow = delegate.layout_for(index)
        assert narrow is not first and delegate.layouts_built == built + 1
        delegate.width = 600
        assert delegate.layout_for(index) is first
        doc = first.doc
        assert doc is not None
        # find the link by scanning the text area
        hits = set()
        for x in range(0, int(doc.size().width()), 4):
            pos = first.doc_pos + QPoint(x, 5).toPointF()
            found = delegate.hit(index, pos)
            if found:
                hits.add(found)
        assert ("link", "https://example.com") in hits


# -- the whole loop with the sandbox ------------------------------------------------------------


@dataclass
class Ui:
    env: SandboxEngine
    view: ConversationView
    bridge: EngineBridge
    conv: int

    @property
    def model(self) -> MessageListModel:
        return self.view.model

    def rows(self) -> list[Any]:
        return [self.model.index(r).data(Role.MESSAGE) for r in range(self.model.rowCount())]


@asynccontextmanager
async def sandbox_ui(tmp_path: Path, qtbot: Any, app: QApplication) -> AsyncIterator[Ui]:
    async with sandbox_engine(tmp_path) as env:
        bridge = EngineBridge(env.engine.subscribe, interval_ms=5)
        translator = Translator(app)
        view = ConversationView(env.engine, bridge, translator)
        view.mark_read_on_open = True
        view.open_url = lambda url: opened.append(url)  # type: ignore[assignment]
        opened: list[Any] = []
        qtbot.addWidget(view)
        view.resize(700, 640)
        view.show()
        await env.customer(0).say("Hi! Do you have *green* tea?")
        conv = await env.wait_for(lambda: env.conversation_of(0))
        view.set_conversation(conv.id)
        await view.settle()
        try:
            yield Ui(env, view, bridge, conv.id)
        finally:
            bridge.close()
            view.set_conversation(None)
            await view.settle()


@pytest.fixture
def app() -> QApplication:
    instance = QApplication.instance() or QApplication([])
    assert isinstance(instance, QApplication)
    return instance


async def test_local_echo_then_ticks_move_to_read(tmp_path: Path, qtbot: Any, app: Any) -> None:
    async with sandbox_ui(tmp_path, qtbot, app) as ui:
        assert ui.view.title.text() and "window open" in ui.view.window_label.text()
        assert [m.text for m in ui.rows()] == ["Hi! Do you have *green* tea?"]
        seen: list[MessageStatus] = []

        def record(top: Any, _bottom: Any, _roles: Any = ()) -> None:
            message = top.data(Role.MESSAGE)
            if message.direction is Direction.OUTBOUND and (not seen or seen[-1] != message.status):
                seen.append(message.status)

        ui.model.dataChanged.connect(record)
        ui.view.composer.edit.setPlainText("Yes, we do!")
        qtbot.keyClick(ui.view.composer.edit, Qt.Key.Key_Return)
        first = await until(lambda: len(ui.rows()) == 2 and ui.rows()[1])
        assert first.direction is Direction.OUTBOUND and first.text == "Yes, we do!"
        assert first.status in (MessageStatus.QUEUED, MessageStatus.UNKNOWN)  # the local echo
        assert ui.view.composer.edit.toPlainText() == ""
        await until(lambda: ui.rows()[1].status is MessageStatus.READ)
        assert seen[-1] is MessageStatus.READ
        order = [s.rank for s in seen]
        assert order == sorted(order) and MessageStatus.DELIVERED in seen
        # the customer's inbound message was marked read on WhatsApp when opened
        assert ui.env.sandbox.marked_read  # WhatsApp was told "read"
        conv = await ui.env.conversation_of(0)
        assert conv is not None and conv.unread_count == 0


async def test_failed_send_explains_and_retry_sends(tmp_path: Path, qtbot: Any, app: Any) -> None:
    async with sandbox_ui(tmp_path, qtbot, app) as ui:
        ui.env.sandbox.fail_next(131026)
        ui.view.composer.edit.setPlainText("Are you there?")
        ui.view.composer.send_button.click()
        await until(lambda: len(ui.rows()) == 2 and ui.rows()[1].status is MessageStatus.FAILED)
        explanation = ui.model.index(1).data(Role.ERROR)
        assert explanation == GraphError(code=131026).explain("en")
        layout = ui.view.list.delegate.layout_for(ui.model.index(1))
        assert layout is not None and "retry" in layout.actions
        menu = ui.view.context_menu(1)
        assert "Retry" in [a.text() for a in menu.actions()]
        ui.view.list.activated.emit("retry", 1, "")
        await until(
            lambda: (
                ui.rows()[1].status
                in (MessageStatus.SENT, MessageStatus.READ, MessageStatus.DELIVERED)
            )
        )
        assert ui.model.index(1).data(Role.ERROR) is None


async def test_enter_sends_and_shift_enter_breaks_the_line(
    tmp_path: Path, qtbot: Any, app: Any
) -> None:
    async with sandbox_ui(tmp_path, qtbot, app) as ui:
        edit = ui.view.composer.edit
        qtbot.keyClicks(edit, "line one")
        qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
        qtbot.keyClicks(edit, "line two")
        assert edit.toPlainText() == "line one\nline two"
        assert len(ui.rows()) == 1
        qtbot.keyClick(edit, Qt.Key.Key_Enter)
        sent = await until(lambda: len(ui.rows()) == 2 and ui.rows()[1])
        assert sent.text == "line one\nline two"


async def test_quick_reply_slash_expands_variables(tmp_path: Path, qtbot: Any, app: Any) -> None:
    async with sandbox_ui(tmp_path, qtbot, app) as ui:
        store = QuickReplyStore(ui.env.engine.settings.paths.data_dir)
        store.save(
            [QuickReply("greet", "Hello {{name}}! How can I help?"), QuickReply("bye", "Bye")]
        )
        ui.view._quick_replies_loaded = False
        ui.view.set_conversation(ui.conv)
        await ui.view.settle()
        name = ui.view.info.contact.display_name  # type: ignore[union-attr]
        edit = ui.view.composer.edit
        qtbot.keyClicks(edit, "/gr")
        popup = ui.view.composer.popup
        assert popup.isVisible() and popup.count() == 1
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert edit.toPlainText() == f"Hello {name}! How can I help?"
        assert not popup.isVisible()
        assert len(ui.rows()) == 1  # Enter picked the reply; it did not send


async def test_quick_reply_with_media_attaches_and_uploads_it(
    tmp_path: Path, qtbot: Any, app: Any
) -> None:
    async with sandbox_ui(tmp_path, qtbot, app) as ui:
        pic = tmp_path / "price-list.png"
        image = QImage(64, 48, QImage.Format.Format_RGB32)
        image.fill(QColor("#25D366"))
        assert image.save(str(pic))
        big = tmp_path / "huge.jpg"
        with big.open("wb") as f:
            f.truncate(6 * 1024 * 1024)
        store = QuickReplyStore(ui.env.engine.settings.paths.data_dir)
        store.save(
            [
                QuickReply("prices", "Our prices, {{name}}", str(pic)),
                QuickReply("huge", "Too big", str(big)),
            ]
        )
        ui.view._quick_replies_loaded = False
        ui.view.set_conversation(ui.conv)
        await ui.view.settle()
        progress: list[tuple[int | None, int | None]] = []
        shown = ui.view.composer.set_progress

        def record(done: int | None, total: int | None = None) -> None:
            progress.append((done, total))
            shown(done, total)

        ui.view.composer.set_progress = record  # type: ignore[method-assign]
        edit = ui.view.composer.edit
        qtbot.keyClicks(edit, "/pri")
        popup = ui.view.composer.popup
        assert popup.isVisible() and "price-list.png" in popup.item(0).text()
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        name = ui.view.info.contact.display_name  # type: ignore[union-attr]
        assert edit.toPlainText() == f"Our prices, {name}"
        # the media went the attach-button way: checked, uploaded with progress, sent
        sent = await until(lambda: len(ui.rows()) == 2 and ui.rows()[1])
        assert sent.type is MessageType.IMAGE
        assert progress[0] == (0, pic.stat().st_size) and progress[-1] == (None, None)
        await until(lambda: ui.rows()[1].status is MessageStatus.READ)
        assert ui.model.index(1).data(Role.MEDIA).kind == "image"

        # a quick reply whose file breaks WhatsApp's limits is refused before any upload
        edit.clear()
        before = ui.env.sandbox.counters.as_json()
        qtbot.keyClicks(edit, "/huge")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        await until(lambda: ui.view.composer.status.isVisible())
        await ui.view.settle()
        assert "5 MB" in ui.view.composer.status.text()
        assert ui.env.sandbox.counters.as_json() == before and len(ui.rows()) == 2


async def test_too_big_attachment_is_refused_before_upload(
    tmp_path: Path, qtbot: Any, app: Any
) -> None:
    async with sandbox_ui(tmp_path, qtbot, app) as ui:
        big = tmp_path / "holiday.jpg"
        with big.open("wb") as f:
            f.truncate(6 * 1024 * 1024)
        before = ui.env.sandbox.counters.as_json()
        ui.view.composer.files_chosen.emit([str(big)])
        await ui.view.settle()
        text = ui.view.composer.status.text()
        assert ui.view.composer.status.isVisible() and "5 MB" in text
        assert ui.env.sandbox.counters.as_json() == before
        assert len(ui.rows()) == 1


async def test_attachment_by_drop_uploads_and_sends(tmp_path: Path, qtbot: Any, app: Any) -> None:
    async with sandbox_ui(tmp_path, qtbot, app) as ui:
        pic = tmp_path / "menu.png"
        image = QImage(64, 48, QImage.Format.Format_RGB32)
        image.fill(QColor("#25D366"))
        assert image.save(str(pic))
        ui.view.composer.files_chosen.emit([str(pic)])
        sent = await until(lambda: len(ui.rows()) == 2 and ui.rows()[1])
        assert sent.type is MessageType.IMAGE
        media = ui.model.index(1).data(Role.MEDIA)
        assert media.kind == "image"
        await until(lambda: ui.rows()[1].status is MessageStatus.READ)


async def test_template_mode_when_the_window_is_closed(
    tmp_path: Path, qtbot: Any, app: Any
) -> None:
    async with sandbox_ui(tmp_path, qtbot, app) as ui:
        old = datetime.now(UTC) - timedelta(days=2)
        await ui.env.engine.store.write(
            lambda c: c.execute(
                update(conversation_t)
                .where(conversation_t.c.id == ui.conv)
                .values(last_inbound_at=old)
            )
        )
        await ui.env.engine.sync_templates(ui.env.number.id)
        ui.view.set_conversation(ui.conv)
        await ui.view.settle()
        composer = ui.view.composer
        assert composer.stack.currentIndex() == 1
        assert "24-hour window is closed" in composer.templates.why.text()
        assert "closed" in ui.view.window_label.text()
        panel = composer.templates
        assert panel.combo.count() >= 1 and panel.current() is not None
        for edit in panel._fields.values():
            edit.setText("Anna")
        assert "{{" not in panel.preview.text() or not panel._fields
        panel.send_button.click()
        sent = await until(lambda: len(ui.rows()) == 2 and ui.rows()[1])
        assert sent.type is MessageType.TEMPLATE
        await until(
            lambda: (
                ui.rows()[1].status
                in (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ)
            )
        )
        # notes still work while the window is closed
        composer.note_button.setChecked(True)
        assert composer.stack.currentIndex() == 0


async def test_notes_are_stored_and_never_sent(tmp_path: Path, qtbot: Any, app: Any) -> None:
    async with sandbox_ui(tmp_path, qtbot, app) as ui:
        sent_before = len(ui.env.sandbox.sent_messages)
        composer = ui.view.composer
        composer.note_button.setChecked(True)
        composer.edit.setPlainText("Customer prefers morning calls")
        qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
        note = await until(lambda: len(ui.rows()) == 2 and ui.rows()[1])
        assert note.type is MessageType.NOTE and note.status is MessageStatus.RECEIVED
        await asyncio.sleep(0.3)
        assert len(ui.env.sandbox.sent_messages) == sent_before
        conv = await ui.env.conversation_of(0)
        assert conv is not None and conv.last_message_preview != "Customer prefers morning calls"
        assert ui.model.index(1).data(Role.MESSAGE).type is MessageType.NOTE


async def test_owner_typing_pauses_the_bot_and_resume(tmp_path: Path, qtbot: Any, app: Any) -> None:
    async with sandbox_ui(tmp_path, qtbot, app) as ui:
        assert ui.view.info.conversation.mode is ConversationMode.BOT  # type: ignore[union-attr]
        qtbot.keyClicks(ui.view.composer.edit, "O")
        await until(lambda: ui.view.notice.isVisible())
        conv = await ui.env.conversation_of(0)
        assert conv is not None and conv.mode is ConversationMode.HUMAN
        assert ui.view.mode_button.text() == "Bot: paused"
        ui.view.resume_button.click()
        await until(lambda: not ui.view.notice.isVisible())
        conv = await ui.env.conversation_of(0)
        assert conv is not None and conv.mode is ConversationMode.BOT


# -- screenshots --------------------------------------------------------------------------------


def showcase(media_file: Path) -> list[dict[str, Any]]:
    day1 = datetime.now(UTC).replace(hour=9, minute=0) - timedelta(days=1)
    day2 = datetime.now(UTC) - timedelta(minutes=50)
    return [
        {"timestamp": day1, "text": "Hi! Do you have *green* tea? _Loose leaf_ please",
         "wamid": "w1", "reaction": "❤"},
        {"timestamp": day1 + timedelta(minutes=2), "direction": "outbound", "status": "read",
         "text": "Yes! See https://shop.example.com/tea\n```SKU-117```", "wamid": "w2",
         "reply_to": "w1"},
        {"timestamp": day1 + timedelta(minutes=3), "type": "image", "wamid": "w3",
         "media_path": str(media_file), "text": "Is this the one?",
         "payload": {"image": {"mime_type": "image/png"}}},
        {"timestamp": day1 + timedelta(minutes=4), "type": "document", "wamid": "w4",
         "media_path": str(media_file), "media_size": 248_000,
         "payload": {"document": {"filename": "Price list 2026.pdf"}}},
        {"timestamp": day2, "type": "location", "wamid": "w5",
         "payload": {"location": {"latitude": 37.48485, "longitude": -122.14861,
                                  "name": "Meta HQ", "address": "1 Hacker Way"}}},
        {"timestamp": day2 + timedelta(minutes=1), "type": "contacts", "wamid": "w6",
         "payload": {"contacts": [{"name": {"formatted_name": "Ivan Sidorov"},
                                   "phones": [{"phone": "+7 916 765-43-21"}]}]}},
        {"timestamp": day2 + timedelta(minutes=2), "type": "unsupported", "wamid": "w7",
         "payload": {"type": "poll"}},
        {"timestamp": day2 + timedelta(minutes=3), "type": "audio", "wamid": "w8",
         "payload": {"audio": {"voice": True}}},
        {"timestamp": day2 + timedelta(minutes=5), "direction": "outbound", "type": "note",
         "status": "received", "text": "Regular customer — offer the loyalty discount"},
        {"timestamp": day2 + timedelta(minutes=6), "direction": "outbound", "status": "delivered",
         "text": "Thanks, we'll deliver tomorrow ~morning~ afternoon", "wamid": "w9"},
        {"timestamp": day2 + timedelta(minutes=7), "direction": "outbound", "status": "failed",
         "text": "Here is your receipt", "error_code": 131047},
        {"timestamp": day2 + timedelta(minutes=8), "direction": "outbound", "status": "queued",
         "text": "One more thing…"},
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("theme", ["light", "dark"])
async def test_screenshots(
    tmp_path: Path, qtbot: Any, app: QApplication, artifacts_dir: Path, language: str, theme: str
) -> None:
    pic = tmp_path / "tea.png"
    image = QImage(320, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("#7FB77E"))
    assert image.save(str(pic))
    themes = ThemeManager(app)
    translator = Translator(app)
    inbound = datetime.now(UTC) - timedelta(minutes=45)
    try:
        themes.apply(theme)
        translator.set_language(language)
        for closed in (False, True):
            last = inbound - timedelta(days=2) if closed else inbound
            async with store_engine(tmp_path / str(closed), showcase(pic), last_inbound=last) as (
                engine,
                conv,
            ):
                bridge = EngineBridge(engine.subscribe)
                view = ConversationView(engine, bridge, translator)
                view.mark_read_on_open = False
                qtbot.addWidget(view)
                view.resize(760, 900)
                view.show()
                view.set_conversation(conv)
                await view.settle()
                for _ in range(3):
                    await asyncio.sleep(0.05)
                    await view.settle()
                view.list.scroll_to_end()
                await asyncio.sleep(0.05)
                name = "template" if closed else "conversation"
                path = artifacts_dir / f"conversation-{name}-{language}-{theme}.png"
                assert view.grab().save(str(path))
                assert path.stat().st_size > 10_000
                if not closed:
                    view.list.verticalScrollBar().setValue(0)
                    await asyncio.sleep(0.05)
                    await view.settle()
                    top = artifacts_dir / f"conversation-top-{language}-{theme}.png"
                    assert view.grab().save(str(top))
                    rows = view.model.rowCount()
                    assert rows == 12
                    assert view.model.index(0).data(Role.DAY_SEPARATOR)
                    assert view.model.index(1).data(Role.REPLY_QUOTE).text.startswith("Hi!")
                    assert view.model.index(0).data(Role.REACTION) == "❤"
                    assert view.model.index(2).data(Role.THUMBNAIL) is not None
                    assert (
                        "Unsupported"
                        in view.list.delegate._card_title(view.model.index(6).data(Role.MEDIA))
                        or language == "ru"
                    )
                bridge.close()
                view.set_conversation(None)
                view.hide()
    finally:
        translator.set_language("en")
        themes.apply("light")
