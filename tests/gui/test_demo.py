"""`wadesk demo`: the real app on the real sandbox (qasync loop), with the Customer simulator:
text typed as a customer reaches the engine's store; buttons and list rows the business sends
can be tapped and picked; photo, location and reaction arrive too; a screenshot of the demo
window with the panel."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import teardown_shell
from tests.integration.sandbox_helpers import fast_config
from wadesk.core.enums import MessageType
from wadesk.core.outgoing import ListSection
from wadesk.engine.config import Paths
from wadesk.engine.demo import DEMO_PHONE_NUMBER_ID, DEMO_WABA_ID, DemoEngine
from wadesk.engine.store import repo
from wadesk.ui.app import WadeskApp
from wadesk.ui.demo_panel import DemoDock, demo_photo

ANNA = "79161234567"


async def until(predicate: Callable[[], Any], limit: float = 10.0) -> Any:
    async with asyncio.timeout(limit):
        while True:
            value = predicate()
            if asyncio.iscoroutine(value):
                value = await value
            if value:
                return value
            await asyncio.sleep(0.02)


def demo_engine(tmp_path: Path) -> DemoEngine:
    data = tmp_path / "demo"
    config = fast_config(phone_number_id=DEMO_PHONE_NUMBER_ID, waba_id=DEMO_WABA_ID)
    return DemoEngine(Paths(data, data / "logs"), port=0, sandbox_port=0, config=config)


async def messages_of(engine: DemoEngine) -> list[Any]:
    def query(conn: Any) -> list[Any]:
        result = []
        for conversation in repo.list_conversations(conn):
            result.extend(repo.list_messages(conn, conversation.id))
        return result

    return await engine.store.read(query)


def test_demo_photo_is_a_png() -> None:
    QApplication.instance() or QApplication([])
    data = demo_photo(40, 30)
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 100


@pytest.mark.qasync
async def test_demo_app_with_the_customer_simulator(
    app: QApplication, qsettings: QSettings, tmp_path: Path, artifacts_dir: Path
) -> None:
    engine = demo_engine(tmp_path)
    root = WadeskApp(app, lambda: engine, settings=qsettings, demo=True, tray_available=False)
    task = asyncio.ensure_future(root.run())
    try:
        await until(lambda: root.engine_started or task.done())
        assert root.engine_started, root.window.banner.label.text()
        dock = root.demo_dock
        assert isinstance(dock, DemoDock) and dock.isVisible()
        assert dock.windowTitle() == "Customer simulator"
        panel = dock.panel
        # the greeting of the demo customers fills the inbox
        await until(lambda: _count(messages_of(engine), 2))

        panel.customer_combo.setCurrentIndex(panel.customer_combo.findData(ANNA))
        panel.text_edit.setText("А в воскресенье вы работаете?")
        panel.send_button.click()
        texts = await until(partial(_texts, engine, "А в воскресенье вы работаете?"))
        assert texts

        # the business answers with buttons; the simulator offers them and taps one
        assert engine.demo_number is not None
        client = await engine.clients.get(DEMO_PHONE_NUMBER_ID, DEMO_WABA_ID)
        await client.send_reply_buttons(
            ANNA, "Да, с 10 до 18. Записать вас?", [("yes", "Да, запишите"), ("no", "Нет")]
        )
        await until(lambda: panel.reply_combo.count() == 2)
        assert panel.reply_combo.itemText(0) == "Tap “Да, запишите”"
        assert "Да, с 10 до 18" in panel.received.item(panel.received.count() - 1).text()
        panel.reply_button.click()
        await until(partial(_of_type, engine, MessageType.INTERACTIVE, inbound=True))

        # a list: the simulator offers its rows and picks one
        await client.send_list(
            ANNA,
            "Какая услуга?",
            "Услуги",
            [ListSection(None, [("cut", "Стрижка", "30 мин"), ("color", "Окрашивание")])],
        )
        await until(
            lambda: panel.reply_combo.count() == 2 and "Pick" in panel.reply_combo.itemText(0)
        )
        assert panel.reply_combo.itemText(1) == "Pick “Окрашивание”"
        assert panel.reply_button.text() == "Answer"  # one button for taps and picks
        panel.reply_combo.setCurrentIndex(1)
        panel.reply_button.click()
        picked = await until(partial(_list_replies, engine))
        assert picked[-1].payload["interactive"]["list_reply"]["id"] == "color"
        assert picked[-1].text == "Окрашивание"

        panel.send_photo()
        await until(partial(_of_type, engine, MessageType.IMAGE, inbound=True))
        panel.send_location()
        await until(partial(_of_type, engine, MessageType.LOCATION, inbound=True))
        panel.send_reaction()
        await until(lambda: panel.status_label.text() == "Reaction sent")

        root.window.resize(1440, 900)
        root.window.show_page("inbox")
        await asyncio.sleep(0.3)
        image = root.window.grab()
        path = artifacts_dir / "demo-window-with-simulator.png"
        assert image.save(str(path))
        assert path.stat().st_size > 10_000
        # the same window in Russian (README.ru's picture)
        root.translator.set_language("ru")
        inbox = root.window.page("inbox")
        assert inbox.isVisible() and inbox.select(inbox.model.ids()[0])  # Anna's conversation
        await asyncio.sleep(0.5)
        assert panel.status_label.text() == "Реакция отправлена"  # the last result, translated
        ru_path = artifacts_dir / "demo-window-with-simulator-ru.png"
        assert root.window.grab().save(str(ru_path))
        root.translator.set_language("en")

        root.window.close()
        assert await asyncio.wait_for(task, 15) == 0
        assert not (engine.settings.paths.data_dir / "sandbox-session.json").exists()
    finally:
        if not task.done():
            root.request_quit()
            await task
        teardown_shell(root)


async def _count(coro: Any, n: int) -> bool:
    return len(await coro) >= n


async def _texts(engine: DemoEngine, text: str) -> list[Any]:
    return [m for m in await messages_of(engine) if m.text == text]


async def _of_type(engine: DemoEngine, kind: MessageType, *, inbound: bool) -> list[Any]:
    return [
        m
        for m in await messages_of(engine)
        if m.type is kind and (m.direction.value == "inbound") == inbound
    ]


async def _list_replies(engine: DemoEngine) -> list[Any]:
    return [
        m
        for m in await _of_type(engine, MessageType.INTERACTIVE, inbound=True)
        if (m.payload.get("interactive") or {}).get("type") == "list_reply"
    ]
