"""The message model's sliding row window and the list view's cheap updates (issue 5,
performance): paging far up drops rows at the bottom and paging down brings them back, the
row the user looks at stays in place, live messages below the window wait for `show_latest`,
revisions are computed once per change, and a data change only re-lays out the list when a
row's height changed."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint

from tests.gui.test_conversation_view import history, store_engine, until
from wadesk.core.enums import MessageStatus
from wadesk.ui.inbox.conversation.listview import MessageListView
from wadesk.ui.inbox.conversation.model import MessageListModel
from wadesk.ui.inbox.conversation.roles import Role
from wadesk.ui.inbox.conversation.source import StoreSource

pytestmark = pytest.mark.qasync


def _ids(model: MessageListModel) -> list[int]:
    return [model.index(r).data(Role.ID) for r in range(model.rowCount())]


def _visible(view: MessageListView) -> set[int]:
    found = set()
    for y in range(0, view.viewport().height(), 8):
        index = view.indexAt(QPoint(40, y))
        if index.isValid():
            found.add(index.data(Role.ID))
    return found


def _shown_view(qtbot: Any, model: MessageListModel) -> MessageListView:
    """The message view on `model`, 520 × 420 px, shown."""
    view = MessageListView(model)
    qtbot.addWidget(view)
    view.resize(520, 420)
    view.show()
    return view


async def _open(model: MessageListModel, conversation: int, name: str = "") -> None:
    """Open `conversation` in `model` and let the view lay the first page out."""
    model.set_conversation(conversation, name)
    await model.settle()
    await asyncio.sleep(0.05)


async def _page_up(view: MessageListView, model: MessageListModel) -> None:
    before = model.ids()[0]
    view.verticalScrollBar().setValue(0)
    await until(lambda: model.ids()[0] != before or not model.has_more, 5)
    await model.settle()
    await asyncio.sleep(0.02)


async def test_window_slides_up_and_back_down_keeping_the_row_in_view(
    tmp_path: Path, qtbot: Any, qtmodeltester: Any, artifacts_dir: Path
) -> None:
    start = datetime.now(UTC) - timedelta(days=9)
    async with store_engine(tmp_path, history(420, start)) as (engine, conv):
        model = MessageListModel(
            StoreSource.for_engine(engine), page_size=50, cache_size=150, max_rows=120
        )
        view = _shown_view(qtbot, model)
        await _open(model, conv, "Sheena")
        newest = model.ids()[-1]
        assert model.rowCount() == 50 and not model.has_newer
        resets = []
        model.modelReset.connect(lambda: resets.append(1))
        await _page_up(view, model)
        assert model.rowCount() == 100 and not model.has_newer
        # the next older page slides the window: rows leave at the bottom
        view.verticalScrollBar().setValue(0)
        anchor = view.indexAt(QPoint(40, 4)).data(Role.ID)
        await _page_up(view, model)
        ids = model.ids()
        assert len(ids) <= 120 and model.has_newer and ids[-1] < newest
        assert ids == sorted(ids) and ids == _ids(model)
        assert anchor in _visible(view)  # what the user looked at did not move away
        assert not view.at_bottom() and not view.stick_to_bottom
        qtmodeltester.check(model)
        view.viewport().grab().save(str(artifacts_dir / "conversation-window-slid-up.png"))
        for _ in range(3):
            await _page_up(view, model)
        assert model.rowCount() <= 120 and resets == []
        oldest_window = model.ids()[0]
        # scrolling down pages newer rows back in; the window slides down
        for _ in range(40):
            if not model.has_newer:
                break
            bar = view.verticalScrollBar()
            bar.setValue(bar.maximum())
            await until(lambda: not model._fetching_newer, 5)
            await model.settle()
            await asyncio.sleep(0.02)
        assert not model.has_newer and model.ids()[-1] == newest
        assert model.rowCount() <= 120 and model.ids()[0] > oldest_window and model.has_more
        assert resets == []
        qtmodeltester.check(model)


async def test_live_message_below_the_window_waits_for_show_latest(
    tmp_path: Path, qtbot: Any
) -> None:
    start = datetime.now(UTC) - timedelta(days=5)
    async with store_engine(tmp_path, history(300, start)) as (engine, conv):
        source = StoreSource.for_engine(engine)
        model = MessageListModel(source, page_size=50, max_rows=100)
        view = _shown_view(qtbot, model)
        await _open(model, conv)
        newest = model.ids()[-1]
        while not model.has_newer:
            await _page_up(view, model)
        rows_before = model.ids()
        latest = (await source.rows([newest]))[0].message
        live = dataclasses.replace(latest, id=newest + 1000, wamid="wamid.live", text="live!")
        appended: list[int] = []
        model.appended.connect(appended.append)
        model.on_messages_added([_added(live)])
        assert appended == [1]  # the view is told (its "new messages" pill) ...
        assert model.ids() == rows_before  # ... but no row is inserted below the window
        view.scroll_to_end()  # the pill's action: back to the newest page
        await until(lambda: not model.has_newer and model.rowCount() > 0, 5)
        await model.settle()
        assert model.ids()[-1] == newest and model.rowCount() == 50
        await asyncio.sleep(0.05)
        assert view.at_bottom()


def _added(message: Any) -> Any:
    from wadesk.core.events import MessageAdded
    from wadesk.core.models import Contact, Conversation

    conversation = Conversation(id=message.conversation_id, number_id=1, contact_id=1)
    return MessageAdded(
        message=message, conversation=conversation, contact=Contact(id=1, wa_id="16505551234")
    )


async def test_opening_shows_the_latest_page_without_fetching_history(
    tmp_path: Path, qtbot: Any
) -> None:
    start = datetime.now(UTC) - timedelta(days=3)
    async with store_engine(tmp_path, history(200, start)) as (engine, conv):
        model = MessageListModel(StoreSource.for_engine(engine), page_size=50)
        view = _shown_view(qtbot, model)
        await asyncio.sleep(0.02)
        model.set_conversation(conv)
        await model.settle()
        for _ in range(5):
            await asyncio.sleep(0.02)
            await model.settle()
        assert model.rowCount() == 50 and model.has_more
        assert view.at_bottom()


async def test_revision_is_computed_once_per_change(tmp_path: Path, qtbot: Any) -> None:
    start = datetime.now(UTC) - timedelta(days=2)
    async with store_engine(tmp_path, history(60, start)) as (engine, conv):
        model = MessageListModel(StoreSource.for_engine(engine), page_size=50)
        model.set_conversation(conv)
        await model.settle()
        index = model.index(10)
        first = index.data(Role.REVISION)
        assert index.data(Role.REVISION) is first  # cached
        message = index.data(Role.MESSAGE)
        model.update_message(dataclasses.replace(message, status=MessageStatus.READ))
        second = index.data(Role.REVISION)
        assert second is not first and second != first
        assert model.index(10).data(Role.STATUS) == MessageStatus.READ
        # language is part of the revision: a switch gives a new one
        lang = ["en"]
        model._language = lambda: lang[0]
        en = model.index(3).data(Role.REVISION)
        lang[0] = "ru"
        assert model.index(3).data(Role.REVISION) != en


async def test_a_change_relays_out_only_when_the_height_changes(tmp_path: Path, qtbot: Any) -> None:
    start = datetime.now(UTC) - timedelta(hours=3)
    async with store_engine(tmp_path, history(20, start)) as (engine, conv):
        model = MessageListModel(StoreSource.for_engine(engine), page_size=50)
        view = _shown_view(qtbot, model)
        await _open(model, conv)
        view.doItemsLayout()
        relayouts: list[QModelIndex] = []
        view.delegate.sizeHintChanged.connect(relayouts.append)
        row = model.rowCount() - 1
        message = model.index(row).data(Role.MESSAGE)
        # a tick moves: same height, the row is only repainted
        model.update_message(dataclasses.replace(message, status=MessageStatus.DELIVERED))
        assert relayouts == []
        # the text grows to several lines: the list is laid out again
        longer = dataclasses.replace(message, text="a much longer text " * 40)
        model.update_message(longer)
        assert len(relayouts) == 1
        await asyncio.sleep(0.05)
        height = view.visualRect(model.index(row)).height()
        assert height > 60


async def test_live_messages_keep_the_rows_bounded(tmp_path: Path, qtbot: Any) -> None:
    start = datetime.now(UTC) - timedelta(days=1)
    async with store_engine(tmp_path, history(120, start)) as (engine, conv):
        source = StoreSource.for_engine(engine)
        model = MessageListModel(source, page_size=50, max_rows=100)
        view = _shown_view(qtbot, model)
        await _open(model, conv)
        newest = model.ids()[-1]
        template = (await source.rows([newest]))[0].message
        for batch in range(4):
            events = [
                _added(dataclasses.replace(template, id=newest + 1 + batch * 30 + k, wamid=None))
                for k in range(30)
            ]
            model.on_messages_added(events)
            await asyncio.sleep(0.02)
        ids = model.ids()
        assert ids[-1] == newest + 120 and len(ids) < 100 + 50 and model.has_more
        assert ids == sorted(ids) and not model.has_newer
        await asyncio.sleep(0.05)
        assert view.at_bottom()  # the user at the bottom stays there


async def test_opening_lays_out_each_row_once(tmp_path: Path, qtbot: Any) -> None:
    start = datetime.now(UTC) - timedelta(days=1)
    async with store_engine(tmp_path, history(120, start)) as (engine, conv):
        model = MessageListModel(StoreSource.for_engine(engine), page_size=50)
        view = _shown_view(qtbot, model)
        await asyncio.sleep(0.05)
        built = view.delegate.layouts_built
        model.set_conversation(conv)
        await model.settle()
        await asyncio.sleep(0.1)
        view.viewport().grab()
        assert view.verticalScrollBar().isVisible()
        # the scroll bar appearing with the first page does not change the rows' width
        assert view.delegate.layouts_built - built == 50


async def test_following_the_bottom_keeps_fewer_rows_and_scrolling_up_brings_them_back(
    tmp_path: Path, qtbot: Any, qtmodeltester: Any, artifacts_dir: Path
) -> None:
    """At the bottom, live messages trim the rows to about `live_rows` (a relayout per batch
    costs what it lays out); scrolled up, the user's place is kept and rows grow to
    `max_rows`; scrolling up pages the trimmed history back in."""
    start = datetime.now(UTC) - timedelta(days=1)
    async with store_engine(tmp_path, history(60, start)) as (engine, conv):
        source = StoreSource.for_engine(engine)
        model = MessageListModel(source, page_size=20, max_rows=200, live_rows=40)
        view = _shown_view(qtbot, model)
        await _open(model, conv)
        assert view.stick_to_bottom and model.following
        newest = model.ids()[-1]
        template = (await source.rows([newest]))[0].message
        next_id = newest + 1

        def live(count: int) -> None:
            nonlocal next_id
            events = [
                _added(dataclasses.replace(template, id=next_id + k, wamid=None, text=f"live {k}"))
                for k in range(count)
            ]
            next_id += count
            model.on_messages_added(events)

        for _ in range(6):
            live(10)
            await asyncio.sleep(0.02)
            assert model.rowCount() < 40 + 10 + 10  # never much more than live_rows
        assert model.ids()[-1] == next_id - 1 and model.has_more
        await asyncio.sleep(0.05)
        assert view.at_bottom() and view.stick_to_bottom
        await model.settle()
        view.grab().save(str(artifacts_dir / "messages-live-following.png"))
        qtmodeltester.check(model)
        # scrolled up: not following any more; live rows are kept (up to max_rows)
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
        await asyncio.sleep(0.02)
        assert not view.stick_to_bottom and not model.following
        before = model.rowCount()
        for _ in range(4):
            live(10)
            await asyncio.sleep(0.02)
        assert model.rowCount() >= before + 40 - 10  # at most the page trim of max_rows
        assert not view.at_bottom()
        # the history trimmed while following pages back in at the top
        first = model.ids()[0]
        view.verticalScrollBar().setValue(0)
        await until(lambda: model.ids()[0] < first, 5)
        await model.settle()
        assert model.ids() == sorted(model.ids())
        # back to the bottom: following again
        view.scroll_to_end()
        await asyncio.sleep(0.05)
        assert view.at_bottom() and model.following
