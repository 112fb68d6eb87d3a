"""Conversation-list rows updated from engine events without store queries (issue 5, live
latency): the pure helpers, and the list model on a real Engine — a new message moves its
row to the top in the bridge batch that brought it, with no query; an unknown conversation
still goes through the refresh."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.test_inbox_list import ANN, BORIS, DAN, inbox_page, running, three, until
from wadesk.core.enums import ConversationState, Direction, MessageStatus, MessageType
from wadesk.core.models import Contact, Conversation, Message
from wadesk.engine.inbox import ConversationRow, InboxFilter, Label
from wadesk.ui.inbox import live_rows
from wadesk.ui.inbox.list_model import Role

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _row(conv_id: int, minutes: int | None, **conv: Any) -> ConversationRow:
    at = NOW - timedelta(minutes=minutes) if minutes is not None else None
    conversation = Conversation(
        id=conv_id, number_id=1, contact_id=conv_id, last_message_at=at, **conv
    )
    contact = Contact(id=conv_id, wa_id=f"1555000{conv_id:04d}", local_name=f"Local {conv_id}")
    return ConversationRow(conversation, contact, "Salon", (Label(4, "VIP", "#25D366"),))


def test_matches_follows_the_store_filter_rules() -> None:
    row = _row(1, 5, unread_count=2)
    assert live_rows.matches(InboxFilter(), row)
    assert live_rows.matches(InboxFilter(unread=True, number_id=1, label_id=4), row)
    assert not live_rows.matches(InboxFilter(number_id=2), row)
    assert not live_rows.matches(InboxFilter(label_id=5), row)
    assert not live_rows.matches(InboxFilter(unread=True), _row(1, 5))
    assert not live_rows.matches(InboxFilter(state=ConversationState.RESOLVED), row)


def test_sort_key_and_position() -> None:
    rows = {i: _row(i, m).conversation for i, m in ((1, 1), (2, 10), (3, 10), (4, None))}
    ordered = sorted(rows, key=lambda i: live_rows.sort_key(rows[i]))
    assert ordered == [1, 3, 2, 4]  # newest first, newer id first among equals, none last
    newest = _row(9, 0).conversation
    assert live_rows.position(ordered, live_rows.sort_key(newest), rows.get) == 0
    middle = _row(9, 5).conversation
    assert live_rows.position(ordered, live_rows.sort_key(middle), rows.get) == 1
    # a row it must compare with is not known: the caller refreshes instead
    assert live_rows.position([1, 7], live_rows.sort_key(middle), rows.get) is None
    # a binary search: among 1,000 rows it compares with about log2(1000) of them
    many = {i: _row(i, 10).conversation for i in range(1, 1001)}
    order = sorted(many, key=lambda i: live_rows.sort_key(many[i]))
    probed: list[int] = []

    def counting(i: int) -> Any:
        probed.append(i)
        return many.get(i)

    assert live_rows.position(order, live_rows.sort_key(middle), counting) == 0
    assert len(probed) <= 11
    old = _row(2000, 60).conversation
    assert live_rows.position(order, live_rows.sort_key(old), many.get) == 1000


def test_updated_row_keeps_local_name_number_and_labels() -> None:
    row = _row(1, 5)
    conv = _row(1, 0, unread_count=3).conversation
    message = Message(
        id=9,
        conversation_id=1,
        wamid="w",
        direction=Direction.INBOUND,
        type=MessageType.IMAGE,
        status=MessageStatus.RECEIVED,
        timestamp=NOW,
    )
    contact = Contact(id=1, wa_id="15550000001", profile_name="New profile")
    new = live_rows.updated_row(row, conv, message, contact)
    assert new.conversation.unread_count == 3 and new.last_message_type is MessageType.IMAGE
    assert new.contact.profile_name == "New profile" and new.contact.local_name == "Local 1"
    assert new.labels == row.labels and new.number_label == "Salon"


class Counting:
    """The engine's inbox source, counting the list queries."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[str] = []

    async def ids(self, flt: Any = None) -> list[int]:
        self.calls.append("ids")
        return await self.inner.ids(flt)

    async def rows(self, ids: Any) -> Any:
        self.calls.append("rows")
        return await self.inner.rows(ids)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.mark.qasync
async def test_new_message_moves_its_row_without_a_query(
    app: QApplication, tmp_path: Path, qtmodeltester: Any
) -> None:
    async with running(tmp_path) as env:
        ann, boris, carla = await three(env)
        async with inbox_page(env) as page:
            model = page.model
            assert model.ids() == [carla, boris, ann]
            await until(lambda: not model.is_busy())
            await asyncio.sleep(0.3)  # the page's own start-up (filters) has settled
            await until(lambda: not model.is_busy())
            counting = Counting(model.source)
            model.source = counting
            resets = model.resets
            await env.say(ANN, "Ann", "Are you there?")
            await until(lambda: model.ids()[0] == ann)
            await until(lambda: model.index(0, 0).data(Role.PREVIEW) == "Are you there?")
            assert model.ids() == [ann, carla, boris] and model.resets == resets
            assert model.index(0, 0).data(Role.UNREAD) == 2
            assert model.index(0, 0).data(Role.TYPE) == MessageType.TEXT.value
            assert "ids" not in counting.calls  # placed from the event itself
            qtmodeltester.check(model)
            await env.say(BORIS, "Борис", "Ещё вопрос")
            await until(lambda: model.ids()[0] == boris)
            assert model.ids() == [boris, ann, carla] and "ids" not in counting.calls
            # a conversation the list has no row for goes through the refresh
            dan = await env.say(DAN, "Dan", "First time here!")
            await until(lambda: model.ids()[:1] == [dan])
            assert "ids" in counting.calls and model.resets == resets


class _Rows:
    """An in-memory inbox source: conversation rows in `sort_key` order."""

    def __init__(self, rows: list[ConversationRow]) -> None:
        self.by_id = {r.id: r for r in rows}

    async def ids(self, flt: InboxFilter | None = None) -> list[int]:
        return sorted(self.by_id, key=lambda i: live_rows.sort_key(self.by_id[i].conversation))

    async def rows(self, ids: Any) -> list[ConversationRow]:
        return [self.by_id[i] for i in ids if i in self.by_id]


@pytest.mark.qasync
async def test_a_batch_repaints_each_run_of_changed_rows_once(
    app: QApplication, qtmodeltester: Any
) -> None:
    import dataclasses

    from wadesk.core.events import ConversationUpdated
    from wadesk.ui.inbox.list_model import ConversationListModel

    rows = [_row(i, 10 * i) for i in range(1, 9)]  # 1 is the newest … 8 the oldest
    model = ConversationListModel(_Rows(rows))
    await model.load()
    assert model.ids() == list(range(1, 9))
    changes: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda top, bottom, *_: changes.append((top.row(), bottom.row())))

    def newer(conv_id: int, minutes: int, unread: int) -> ConversationUpdated:
        conv = dataclasses.replace(
            model.cached(conv_id).conversation,  # type: ignore[union-attr]
            last_message_at=NOW - timedelta(minutes=minutes),
            unread_count=unread,
        )
        return ConversationUpdated(conv)

    # 5 and 7 jump to the top (rows 0-1); 3 changes in place (row 4 after the moves)
    model.on_conversations_updated([newer(5, 0, 1), newer(7, -1, 2), newer(3, 30, 3)])
    assert model.ids() == [7, 5, 1, 2, 3, 4, 6, 8]
    assert sorted(changes) == [(0, 1), (4, 4)]  # one emission per run of adjacent rows
    assert [model.index(r, 0).data(Role.UNREAD) for r in (0, 1, 4)] == [2, 1, 3]
    qtmodeltester.check(model)
    model.shutdown()


@pytest.mark.qasync
async def test_a_burst_that_moves_many_rows_is_one_resort_keeping_the_selection(
    app: QApplication, qtmodeltester: Any
) -> None:
    import dataclasses

    from PySide6.QtCore import QItemSelectionModel

    from wadesk.core.events import ConversationUpdated
    from wadesk.ui.inbox.list_model import MAX_ROW_MOVES, ConversationListModel

    count = 2 * MAX_ROW_MOVES + 4
    rows = [_row(i, 10 * i) for i in range(1, count + 1)]  # 1 is the newest
    model = ConversationListModel(_Rows(rows))
    await model.load()
    selection = QItemSelectionModel(model)
    selection.setCurrentIndex(model.index(2, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
    signals: list[str] = []
    model.layoutChanged.connect(lambda *_: signals.append("layout"))
    model.rowsMoved.connect(lambda *_: signals.append("moved"))
    model.modelReset.connect(lambda: signals.append("reset"))

    def newer(conv_id: int, minutes: int) -> ConversationUpdated:
        conv = dataclasses.replace(
            model.cached(conv_id).conversation,  # type: ignore[union-attr]
            last_message_at=NOW - timedelta(minutes=minutes),
        )
        return ConversationUpdated(conv)

    # the oldest half writes in a burst, newest last: they come to the top in reverse
    movers = list(range(count, count // 2, -1))
    model.on_conversations_updated([newer(c, -k) for k, c in enumerate(movers)])
    assert model.ids()[: len(movers)] == movers[::-1]
    assert model.ids()[len(movers) :] == list(range(1, count // 2 + 1))
    assert signals == ["layout"]  # one re-sort, not a move per row, and no reset
    assert selection.currentIndex().data(Role.ID) == 3  # the selection followed its row
    assert selection.currentIndex().row() == len(movers) + 2
    qtmodeltester.check(model)
    # the same states again (a ConversationUpdated after its MessageAdded): nothing to do
    signals.clear()
    changed: list[int] = []
    model.dataChanged.connect(lambda top, *_: changed.append(top.row()))
    model.on_conversations_updated(
        [ConversationUpdated(model.cached(c).conversation) for c in movers]  # type: ignore[union-attr]
    )
    assert signals == [] and changed == []
    # a few moves stay moves
    model.on_conversations_updated([newer(1, -100)])
    assert model.ids()[0] == 1 and signals == ["moved"]
    model.shutdown()
