"""The inbox's per-number filter: hidden with one number, shown with two; choosing a number
lists only its conversations (the engine's `InboxFilter.number_id`), live refreshes keep the
filter, and opening a conversation of the other number switches back to all numbers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from sqlalchemy import Connection, insert

from tests.integration.conftest import make_engine
from wadesk.core.events import ConversationUpdated
from wadesk.engine.inbox import InboxFilter
from wadesk.engine.service import Engine
from wadesk.engine.store import repo
from wadesk.engine.store.tables import contact_t, conversation_t
from wadesk.ui.bridge import EngineBridge
from wadesk.ui.inbox.list_model import Role
from wadesk.ui.inbox.page import InboxPage

pytestmark = pytest.mark.qasync


class FakeView(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[int | None] = []

    def set_conversation(self, conversation_id: int | None) -> None:
        self.opened.append(conversation_id)


async def until(cond: Callable[[], Any], limit: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while not cond():
        if loop.time() > end:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


def add_conversation(conn: Connection, number_id: int, wa_id: str, name: str, minutes: int) -> int:
    now = datetime.now(UTC)
    contact = conn.execute(
        insert(contact_t).values(wa_id=wa_id, profile_name=name, created_at=now, updated_at=now)
    ).lastrowid
    conv = conn.execute(
        insert(conversation_t).values(
            number_id=number_id,
            contact_id=contact,
            created_at=now,
            last_message_at=now - timedelta(minutes=minutes),
            last_message_preview=f"Hi from {name}",
        )
    ).lastrowid
    return int(conv)


@asynccontextmanager
async def store_engine(tmp_path: Path) -> AsyncIterator[Engine]:
    engine = make_engine(tmp_path / "data")
    await engine.start(serve=False, ingest=False)
    try:
        yield engine
    finally:
        await engine.stop()


@asynccontextmanager
async def page_for(engine: Engine) -> AsyncIterator[InboxPage]:
    bridge = EngineBridge(engine.subscribe, interval_ms=5)
    page = InboxPage(engine, bridge, None, conversation_view=FakeView())
    page.resize(1180, 700)
    page.show()
    await page.start()
    try:
        yield page
    finally:
        page.shutdown()
        bridge.close()
        page.close()
        page.deleteLater()
        bridge.deleteLater()
        await asyncio.sleep(0)


def names(page: InboxPage) -> list[str]:
    out = []
    for r in range(page.model.rowCount()):
        row = page.model.index(r).data(Role.ROW)
        out.append(row.contact.profile_name if row is not None else "?")
    return out


async def test_hidden_with_one_number(tmp_path: Path, app: Any) -> None:
    async with store_engine(tmp_path) as engine:
        salon = await engine.store.write(
            lambda c: repo.add_number(c, "Salon", "+15550783881", "1065403", "1022901")
        )
        await engine.store.write(lambda c: add_conversation(c, salon.id, "15551230001", "Ann", 5))
        async with page_for(engine) as page:
            await until(lambda: page.model.rowCount() == 1)
            assert page.number_combo.isHidden()
            assert page.current_filter() == InboxFilter()


async def test_filter_by_number_with_two_numbers(
    tmp_path: Path, app: Any, artifacts_dir: Path
) -> None:
    async with store_engine(tmp_path) as engine:
        salon = await engine.store.write(
            lambda c: repo.add_number(c, "Salon", "+15550783881", "1065403", "1022901")
        )
        shop = await engine.store.write(
            lambda c: repo.add_number(c, "Shop", "+15550783882", "1065404", "1022901")
        )

        def seed(c: Connection) -> list[int]:
            return [
                add_conversation(c, salon.id, "15551230001", "Ann", 5),
                add_conversation(c, shop.id, "79161234567", "Boris", 4),
                add_conversation(c, salon.id, "34600111222", "Carla", 3),
            ]

        ann, boris, _carla = await engine.store.write(seed)
        async with page_for(engine) as page:
            await until(lambda: page.model.rowCount() == 3)
            combo = page.number_combo
            assert combo.isVisible() and combo.count() == 3
            assert [combo.itemText(i) for i in range(3)] == ["All numbers", "Salon", "Shop"]

            combo.setCurrentIndex(combo.findData(shop.id))
            combo.activated.emit(combo.currentIndex())
            await until(lambda: page.model.rowCount() == 1)
            assert names(page) == ["Boris"]
            assert page.current_filter() == InboxFilter(number_id=shop.id)
            await asyncio.sleep(0.05)
            shot = artifacts_dir / "inbox-number-filter-en-light.png"
            assert page.grab().save(str(shot))

            # live events of the other number's conversations do not enter the filtered list
            ann_conv = await engine.store.read(lambda c: repo.get_conversation(c, ann))
            assert ann_conv is not None
            moved = replace(ann_conv, last_message_at=datetime.now(UTC))
            page.model.on_conversations_updated([ConversationUpdated(moved)])
            await asyncio.sleep(0.2)
            assert names(page) == ["Boris"]

            page.set_filter("all", number_id=salon.id)
            await until(lambda: page.model.rowCount() == 2)
            assert names(page) == ["Carla", "Ann"]

            # a new conversation of the other number does not enter the filtered list
            await engine.store.write(lambda c: add_conversation(c, shop.id, "4477009", "Dan", 1))
            dan = await engine.store.write(
                lambda c: add_conversation(c, salon.id, "4477010", "Eve", 0)
            )
            page.model.touch([dan])
            await until(lambda: page.model.rowCount() == 3)
            assert names(page) == ["Eve", "Carla", "Ann"]

            # opening a conversation the filter hides switches back to all numbers
            await page.open(boris)
            assert combo.currentIndex() == 0 and page.current_filter() == InboxFilter()
            assert page.model.row_of(boris) >= 0
            assert ann in page.model.all_ids()
