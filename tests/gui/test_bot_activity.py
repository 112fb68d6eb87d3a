"""Bots in the shell, on the real app over the built-in sandbox (qasync loop): a published bot
answers a sandbox customer; its steps appear live on the Activity page's "Bot steps" tab (filter,
search, readable detail, screenshot); a hand-off produces exactly one tray notification that
opens the conversation in the Inbox; a new-message notification opens its conversation too.
The step table model runs under qtmodeltester."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import teardown_shell
from tests.integration.sandbox_helpers import fast_config
from tests.unit.flow.helpers import build
from wadesk.core.enums import ConversationMode
from wadesk.core.events import BotHandedOff, BotTraceEntry
from wadesk.engine.config import Paths
from wadesk.engine.demo import DEMO_PHONE_NUMBER_ID, DEMO_WABA_ID, DemoEngine
from wadesk.engine.store import repo
from wadesk.flow import Flow
from wadesk.ui.activity.bot_model import BotFilter, BotTraceModel, action_text
from wadesk.ui.activity.page import ActivityPage
from wadesk.ui.app import WadeskApp
from wadesk.ui.tray import TrayController

ANNA = "79161234567"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
HANDOFF_TITLE = "A bot handed a chat over to you"


async def until(predicate: Callable[[], Any], what: str, limit: float = 10.0) -> Any:
    async with asyncio.timeout(limit):
        while True:
            value = predicate()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return value
            await asyncio.sleep(0.02)
    raise AssertionError(what)  # pragma: no cover - asyncio.timeout raises first


def entry(entry_id: int, **kw: Any) -> BotTraceEntry:
    return BotTraceEntry(
        id=entry_id,
        conversation_id=kw.get("conversation_id", 7),
        bot_id=kw.get("bot_id", 1),
        node_id=kw.get("node_id", "n1"),
        node_type=kw.get("node_type", "send_text"),
        type=kw.get("type", "run"),
        inputs=kw.get("inputs", {}),
        output=kw.get("output"),
        actions=kw.get("actions", ()),
        error=kw.get("error"),
        at=T0,
    )


def help_flow() -> Flow:
    return build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["help"]}),
            "hi": ("send_text", {"text": "Hello {{contact.name}}, one moment."}),
            "human": ("handoff", {"reason": "asked for help", "message": "A person will answer."}),
        },
        {("t1", "next"): "hi", ("hi", "next"): "human"},
    )


# -- the model on its own -------------------------------------------------------------------------


def test_bot_trace_model_filters_searches_and_adds_live_rows(qtmodeltester: Any) -> None:
    model = BotTraceModel()
    model.reset_entries(
        [
            entry(1, node_id="t1", node_type="trigger", type="start"),
            entry(2, actions=({"action": "SendText", "text": "Hi Anna"},)),
            entry(3, node_id="http", node_type="http_request", type="error", error="timeout"),
        ]
    )
    qtmodeltester.check(model)
    assert [model.entry(i).id for i in range(3)] == [3, 2, 1]  # type: ignore[union-attr]
    assert model.index(1, 5).data() == "SendText: Hi Anna"
    assert model.index(0, 5).data() == "timeout"
    assert model.index(0, 3).data() == "http (http_request)"
    model.set_bot_names({1: "Shop"})
    assert model.index(0, 2).data() == "Shop"
    assert model.index(0, 1).data() == "#7"
    model.set_chat_names({7: "Maria"})
    assert model.index(0, 1).data() == "Maria"
    assert model.chat_ids() == {7}
    # live rows go on top; an id already shown is not added twice
    assert model.add_entries([entry(4, node_id="human", node_type="handoff"), entry(2)]) == 1
    assert model.rowCount() == 4 and model.entry(0).id == 4  # type: ignore[union-attr]
    model.set_filter(BotFilter.ERRORS)
    assert [model.entry(i).id for i in range(model.rowCount())] == [3]  # type: ignore[union-attr]
    model.set_filter(BotFilter.HANDOFFS)
    assert [model.entry(i).id for i in range(model.rowCount())] == [4]  # type: ignore[union-attr]
    assert model.add_entries([entry(5, error="boom", type="runtime_error")]) == 1
    assert model.rowCount() == 1  # not a hand-off: hidden by the filter
    model.set_filter(BotFilter.ALL)
    model.set_search("hi anna")
    assert [model.entry(i).id for i in range(model.rowCount())] == [2]  # type: ignore[union-attr]
    model.set_search("")
    assert model.rowCount() == 5 and model.total() == 5


def test_action_text_is_readable() -> None:
    buttons = {
        "action": "SendButtons",
        "body": "Choose:",
        "buttons": [{"id": "a", "title": "Order"}, {"id": "b", "title": "Help"}],
    }
    assert action_text(buttons) == "SendButtons: Choose:  [Order | Help]"
    assert action_text({"action": "HandOff", "reason": "asked"}) == "HandOff: asked"
    assert action_text({"action": "SetVariable"}) == "SetVariable"


def test_handoff_notification_without_lookup_and_dedup(app: QApplication) -> None:
    tray = TrayController(app.windowIcon(), available=False)
    try:
        shown: list[tuple[str, str, int]] = []
        original = tray.notify

        def record(title: str, text: str, conversation_id: int) -> None:
            shown.append((title, text, conversation_id))
            original(title, text, conversation_id)

        tray.notify = record  # type: ignore[method-assign]
        # two hand-off events of one conversation in a batch: one notification
        tray.on_handed_off([BotHandedOff(4, 1, "first"), BotHandedOff(4, 1, "asked for  help\n")])
        assert shown == [(HANDOFF_TITLE, "A customer needs a person: asked for help", 4)]
        tray.on_handed_off([BotHandedOff(5, 1, "")])
        assert shown[-1] == (HANDOFF_TITLE, "A customer needs a person", 5)
    finally:
        tray.close()
        tray.deleteLater()


# -- the real app on the sandbox ------------------------------------------------------------------


def demo_engine(tmp_path: Path) -> DemoEngine:
    data = tmp_path / "demo"
    config = fast_config(phone_number_id=DEMO_PHONE_NUMBER_ID, waba_id=DEMO_WABA_ID)
    return DemoEngine(Paths(data, data / "logs"), port=0, sandbox_port=0, config=config)


async def conversation_of(engine: DemoEngine, wa_id: str) -> Any:
    def query(conn: Any) -> Any:
        for conversation in repo.list_conversations(conn):
            contact = repo.get_contact(conn, conversation.contact_id)
            if contact is not None and contact.wa_id == wa_id:
                return conversation
        return None

    return await engine.store.read(query)


@pytest.mark.qasync
async def test_bot_steps_on_activity_and_handoff_notification_opens_the_chat(
    app: QApplication, qsettings: QSettings, tmp_path: Path, artifacts_dir: Path
) -> None:
    engine = demo_engine(tmp_path)
    root = WadeskApp(app, lambda: engine, settings=qsettings, demo=True, tray_available=False)
    task = asyncio.ensure_future(root.run())
    shown: list[tuple[str, str, int]] = []
    original = root.tray.notify

    def record(title: str, text: str, conversation_id: int) -> None:
        shown.append((title, text, conversation_id))
        original(title, text, conversation_id)

    root.tray.notify = record  # type: ignore[method-assign]
    try:
        await until(lambda: root.engine_started or task.done(), "engine started")
        assert root.engine_started, root.window.banner.label.text()
        assert engine.demo_number is not None
        root.window.resize(1440, 900)
        page = root.window.page("activity")
        assert isinstance(page, ActivityPage)
        root.window.show_page("activity")
        page.tabs.setCurrentWidget(page.bot_steps)
        steps = page.bot_steps
        await until(lambda: steps.loaded, "bot steps loaded")
        assert steps.model.rowCount() == 0

        engine.bots.bubble_delay = 0.01
        info = await engine.bots.create_flow("Helpdesk", help_flow())
        await engine.bots.publish(info.id)
        bot = await engine.bots.create_bot(
            "Helpdesk", number_id=engine.demo_number.id, flow_id=info.id
        )
        await engine.bots.set_bot_active(bot.id, True)

        # a new customer message: its tray notification opens that conversation
        await engine.sandbox.customer(ANNA).say("Do you open on Sunday?")
        anna = await until(lambda: conversation_of(engine, ANNA), "Anna's conversation")
        await until(lambda: any(c == anna.id for _t, _x, c in shown), "message notification")
        assert root.tray.last_notification is not None
        assert root.tray.last_notification[2] == anna.id
        root.window.show_page("settings")
        root.tray.click_last_notification()
        inbox = root.window.page("inbox")
        await until(lambda: inbox.current_id == anna.id, "Anna's chat opened")
        assert root.window.current_page() == "inbox"

        # the bot answers "help", then hands the conversation to a person
        await engine.sandbox.customer(ANNA).say("help")
        await until(lambda: any(t == HANDOFF_TITLE for t, _x, _c in shown), "hand-off")
        await engine.bots.wait_idle()
        await root.tray.wait_idle()
        await asyncio.sleep(0.3)  # more bridge batches would bring more notifications
        handoffs = [s for s in shown if s[0] == HANDOFF_TITLE]
        assert len(handoffs) == 1, shown
        _title, text, conv_id = handoffs[0]
        assert conv_id == anna.id
        assert text.endswith(" needs a person: asked for help")
        assert not text.startswith("A customer")  # the contact's name was found
        conversation = await conversation_of(engine, ANNA)
        assert conversation.mode is ConversationMode.HUMAN

        # clicking it opens the conversation in the Inbox (from another page)
        others = [c.id for c in await engine.store.read(repo.list_conversations) if c.id != anna.id]
        assert others, "the demo customers wrote first"
        inbox.open_conversation(others[0])
        await until(lambda: inbox.current_id == others[0], "another chat")
        root.window.show_page("activity")
        root.tray.click_last_notification()
        await until(lambda: inbox.current_id == anna.id, "hand-off chat opened")
        assert root.window.current_page() == "inbox"
        # the conversation list shows it among the chats a person handles
        inbox.set_filter("human")
        await until(lambda: inbox.select(anna.id), "listed under 'human'")
        inbox.set_filter("all")

        # the bot's steps arrived live on the Activity page
        root.window.show_page("activity")
        await until(lambda: steps.model.rowCount() >= 3, "live bot steps")
        nodes = {steps.model.entry(i).node_id for i in range(steps.model.rowCount())}  # type: ignore[union-attr]
        assert {"t1", "hi", "human"} <= nodes
        steps.filter_combo.setCurrentIndex(steps.filter_combo.findData(BotFilter.HANDOFFS.value))
        assert steps.model.rowCount() >= 1
        assert all(
            steps.model.entry(i).node_type == "handoff"  # type: ignore[union-attr]
            or steps.model.entry(i).type == "session_handed_off"  # type: ignore[union-attr]
            for i in range(steps.model.rowCount())
        )
        steps.filter_combo.setCurrentIndex(steps.filter_combo.findData(BotFilter.ALL.value))
        steps.search_edit.setText("one moment")
        await until(lambda: steps.model.rowCount() >= 1, "search")
        steps.select_row(0)
        detail = steps.detail_text()
        assert "Node hi (send_text)" in detail
        assert "What was sent or done" in detail and "one moment" in detail
        assert "Helpdesk" in detail  # the bot's name, not its id
        assert steps.model.chat_names().get(anna.id)  # the contact's name, not only "#id"
        assert steps.model.chat_names()[anna.id] in detail
        steps.search_edit.clear()
        row = next(
            i
            for i in range(steps.model.rowCount())
            if steps.model.entry(i).node_id == "human"  # type: ignore[union-attr]
            and steps.model.entry(i).actions  # type: ignore[union-attr]
        )
        steps.select_row(row)
        assert "A person will answer." in steps.detail_text()
        await asyncio.sleep(0.1)
        path = artifacts_dir / "activity-bot-steps.png"
        assert root.window.grab().save(str(path))
        assert path.stat().st_size > 10_000

        # history: a fresh load from the store shows the same steps
        live = steps.model.total()
        await steps.reload()
        assert steps.model.total() == live

        # the language switch re-renders the tab and the detail
        root.translator.set_language("ru")
        await until(lambda: page.tabs.tabText(1) == "Шаги ботов", "Russian tab")
        assert "Что отправлено или сделано" in steps.detail_text()
        assert root.window.grab().save(str(artifacts_dir / "activity-bot-steps-ru.png"))
        root.translator.set_language("en")
        await until(lambda: page.tabs.tabText(1) == "Bot steps", "English tab")

        root.window.close()
        assert await asyncio.wait_for(task, 15) == 0
    finally:
        if not task.done():
            root.request_quit()
            await task
        teardown_shell(root)
