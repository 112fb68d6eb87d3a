"""The conversation list's Qt model: an id list plus lazily fetched rows in a bounded cache.

`ConversationListModel` keeps the ids of every conversation matching the current filter
(ints, cheap even for 10,000 conversations) but shows them in pages (`canFetchMore` /
`fetchMore`). Row payloads (`ConversationRow`) are fetched from the engine in batches when a
row is first asked for and kept in an LRU cache of `cache_size` rows (nheko, Anki).

Engine events arrive through the bridge (coalesced lists). A row the model already has is
updated and moved in the same batch from the event itself (`live_rows.py`: the event carries
the conversation as stored); for the rest the model notes which conversations they touch and,
from a single-shot 0 ms timer, asks the engine for the new id order and the touched rows, then
applies the difference with `beginRemoveRows`, `beginMoveRows`, `beginInsertRows` and
`dataChanged` — never a reset, so the view does not flicker and the selection (a persistent
index) follows its conversation. A reset happens only when the filter itself changes.

All engine calls are coroutines run on the qasync loop; without a running loop (a model built
in a plain test) nothing is fetched.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from wadesk.core.events import ConversationUpdated, MessageAdded, MessageUpdated
from wadesk.core.validation import format_phone
from wadesk.core.window import window_remaining
from wadesk.engine.inbox import ConversationRow, InboxFilter
from wadesk.ui.inbox import live_rows

log = logging.getLogger("wadesk.ui.inbox")

DEFAULT_PAGE = 100
DEFAULT_CACHE = 1000

_Index = QModelIndex | QPersistentModelIndex


class InboxSource(Protocol):
    """What the model needs from the engine (`engine.inbox` is one)."""

    async def ids(self, flt: InboxFilter | None = None) -> list[int]: ...

    async def rows(self, ids: Sequence[int]) -> list[ConversationRow]: ...


class Role(IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    ROW = Qt.ItemDataRole.UserRole + 2
    NAME = Qt.ItemDataRole.UserRole + 3
    PREVIEW = Qt.ItemDataRole.UserRole + 4
    TYPE = Qt.ItemDataRole.UserRole + 5
    TIME = Qt.ItemDataRole.UserRole + 6
    UNREAD = Qt.ItemDataRole.UserRole + 7
    LABELS = Qt.ItemDataRole.UserRole + 8
    MODE = Qt.ItemDataRole.UserRole + 9
    STATE = Qt.ItemDataRole.UserRole + 10
    WINDOW_LEFT = Qt.ItemDataRole.UserRole + 11
    PHONE = Qt.ItemDataRole.UserRole + 12
    LAST_STATUS = Qt.ItemDataRole.UserRole + 13
    LAST_DIRECTION = Qt.ItemDataRole.UserRole + 14
    CONTACT_ID = Qt.ItemDataRole.UserRole + 15
    LOADED = Qt.ItemDataRole.UserRole + 16
    NUMBER = Qt.ItemDataRole.UserRole + 17


ROLE_NAMES: dict[int, QByteArray] = {
    role.value: QByteArray(role.name.lower().encode()) for role in Role
}


def display_name(row: ConversationRow) -> str:
    """Local name, else WhatsApp profile name, else username, else the formatted phone."""
    contact = row.contact
    name = contact.local_name or contact.profile_name or contact.username
    if name:
        return name
    if contact.wa_id:
        return format_phone(contact.wa_id)
    return contact.user_id or "?"


def _window_left(row: ConversationRow) -> int:
    inbound = row.conversation.last_inbound_at
    if inbound is None:
        return 0
    return int(window_remaining(inbound, datetime.now(UTC)).total_seconds())


def _enum_value(value: Any) -> Any:
    return value.value if value is not None else None


_ROLE_GETTERS: dict[int, Callable[[ConversationRow], Any]] = {
    Role.ROW: lambda r: r,
    Role.PREVIEW: lambda r: r.conversation.last_message_preview or "",
    Role.TYPE: lambda r: _enum_value(r.last_message_type),
    Role.TIME: lambda r: r.conversation.last_message_at,
    Role.UNREAD: lambda r: r.conversation.unread_count,
    Role.LABELS: lambda r: [(label.name, label.colour) for label in r.labels],
    Role.MODE: lambda r: r.conversation.mode.value,
    Role.STATE: lambda r: r.conversation.state.value,
    Role.WINDOW_LEFT: _window_left,
    Role.PHONE: lambda r: format_phone(r.contact.wa_id) if r.contact.wa_id else "",
    Role.LAST_STATUS: lambda r: _enum_value(r.last_message_status),
    Role.LAST_DIRECTION: lambda r: _enum_value(r.last_message_direction),
    Role.CONTACT_ID: lambda r: r.contact.id,
    Role.NUMBER: lambda r: r.number_label,
}


class ConversationListModel(QAbstractListModel):
    """Conversations of the inbox, most recent activity first.

    Signals:
        loaded(): a (re)load for a new filter finished.
        refreshed(): an incremental update from engine events was applied.
        failed(str): a fetch failed (the text is for the log; the page shows a sentence).
    """

    loaded = Signal()
    refreshed = Signal()
    failed = Signal(str)

    def __init__(
        self,
        source: InboxSource | None,
        *,
        page_size: int = DEFAULT_PAGE,
        cache_size: int = DEFAULT_CACHE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.page_size = page_size
        self.cache_size = max(cache_size, page_size)
        self.filter = InboxFilter()
        self.resets = 0
        self._all: list[int] = []
        self._shown: list[int] = []
        self._cache: OrderedDict[int, ConversationRow] = OrderedDict()
        self._want: set[int] = set()
        self._dirty: set[int] = set()
        self._fetching = False
        self._refreshing = False
        self._refresh_again = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._start_refresh)
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._start_fetch)

    # -- Qt model interface ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update(ROLE_NAMES)
        return names

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._shown) < len(self._all)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        start = len(self._shown)
        more = self._all[start : start + self.page_size]
        if not more:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._shown.extend(more)
        self.endInsertRows()
        self._request([i for i in more if i not in self._cache])

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._shown) or index.column() != 0:
            return None
        conv_id = self._shown[index.row()]
        if role == Role.ID:
            return conv_id
        row = self._cache.get(conv_id)
        if role == Role.LOADED:
            return row is not None
        if row is None:
            self._request([conv_id])
            return None
        self._cache.move_to_end(conv_id)
        return self._role_value(row, role)

    def _role_value(self, row: ConversationRow, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Role.NAME):
            return display_name(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{display_name(row)} · {row.number_label}"
        getter = _ROLE_GETTERS.get(role)
        return getter(row) if getter is not None else None

    # -- queries for the page -------------------------------------------------------------------

    def ids(self) -> list[int]:
        """The ids of the rows shown, in order."""
        return list(self._shown)

    def all_ids(self) -> list[int]:
        return list(self._all)

    def row_of(self, conversation_id: int) -> int:
        """The row of a conversation, or -1 when it is not shown (yet)."""
        try:
            return self._shown.index(conversation_id)
        except ValueError:
            return -1

    def index_of(self, conversation_id: int) -> QModelIndex:
        row = self.row_of(conversation_id)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def cached(self, conversation_id: int) -> ConversationRow | None:
        return self._cache.get(conversation_id)

    def cache_len(self) -> int:
        return len(self._cache)

    def is_busy(self) -> bool:
        return bool(self._fetching or self._refreshing or self._want or self._dirty)

    def shutdown(self) -> None:
        """Cancel background fetches (the model is going away)."""
        self._refresh_timer.stop()
        self._fetch_timer.stop()
        for task in list(self._tasks):
            task.cancel()

    def windows_changed(self) -> None:
        """Repaint the 24-hour window badges (their time left moves with the clock)."""
        if self._shown:
            last = self.index(len(self._shown) - 1, 0)
            self.dataChanged.emit(self.index(0, 0), last, [Role.WINDOW_LEFT])

    # -- loading ----------------------------------------------------------------------------

    async def load(self, flt: InboxFilter | None = None) -> None:
        """Fetch the ids for `flt` (or the current filter) and the first page, then reset."""
        if flt is not None:
            self.filter = flt
        if self.source is None:
            return
        try:
            ids = await self.source.ids(self.filter)
            first = ids[: max(self.page_size, len(self._shown))]
            rows = await self.source.rows([i for i in first if i not in self._cache])
        except Exception as exc:
            log.warning("Loading the conversation list failed: %r", exc)
            self.failed.emit(str(exc))
            return
        self.beginResetModel()
        self.resets += 1
        self._all = ids
        self._shown = list(first)
        self._dirty.clear()
        for row in rows:
            self._put(row)
        self.endResetModel()
        self.loaded.emit()

    def _put(self, row: ConversationRow) -> None:
        self._cache[row.id] = row
        self._cache.move_to_end(row.id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> bool:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coro.close()
            return False
        task = loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    def _request(self, ids: list[int]) -> None:
        if not ids or self.source is None:
            return
        self._want.update(ids)
        if not self._fetch_timer.isActive() and not self._fetching:
            self._fetch_timer.start()

    def _start_fetch(self) -> None:
        if self._fetching or not self._want:
            return
        self._fetching = True
        if not self._spawn(self._fetch()):
            self._fetching = False
            self._want.clear()

    async def _fetch(self) -> None:
        try:
            while self._want and self.source is not None:
                shown = set(self._shown)
                batch = [i for i in self._want if i in shown][: self.page_size]
                self._want.difference_update(batch)
                self._want.intersection_update(shown)
                if not batch:
                    continue
                rows = await self.source.rows(batch)
                for row in rows:
                    self._put(row)
                    self._row_changed(row.id)
        except Exception as exc:
            log.warning("Fetching conversation rows failed: %r", exc)
            self._want.clear()
            self.failed.emit(str(exc))
        finally:
            self._fetching = False

    def _row_changed(self, conversation_id: int) -> None:
        row = self.row_of(conversation_id)
        if row >= 0:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def _rows_changed(self, conversation_ids: list[int]) -> None:
        """`dataChanged` once per run of adjacent rows (after a burst moved them to the top,
        one emission instead of one per conversation, and no list search per id)."""
        wanted = set(conversation_ids)
        rows = [row for row, conv_id in enumerate(self._shown) if conv_id in wanted]
        start = 0
        for k in range(1, len(rows) + 1):
            if k == len(rows) or rows[k] != rows[k - 1] + 1:
                self.dataChanged.emit(self.index(rows[start], 0), self.index(rows[k - 1], 0))
                start = k

    # -- live updates -----------------------------------------------------------------------

    def on_messages_added(self, events: list[MessageAdded]) -> None:
        last = {e.conversation.id: e for e in events}
        self._apply_events(
            [(e.conversation, e.message, e.contact) for e in last.values()],
        )

    def on_messages_updated(self, events: list[MessageUpdated]) -> None:
        self._touch(e.message.conversation_id for e in events)

    def on_conversations_updated(self, events: list[ConversationUpdated]) -> None:
        relabelled = {e.conversation.id for e in events if e.labels_changed}
        if relabelled:
            self._touch(relabelled)  # labels are not in the event: refetch those rows
        last = {e.conversation.id: e.conversation for e in events}
        changes = []
        for conv in last.values():
            row = self._cache.get(conv.id)
            if conv.id in relabelled or (row is not None and row.conversation == conv):
                continue  # already shown as it is (the message that changed it came first)
            changes.append((conv, None, None))
        if changes:
            self._apply_events(changes)

    def _apply_events(self, changes: list[tuple[Any, Any, Any]]) -> None:
        """Update and move the rows the model has from the events; refresh the others."""
        rest: list[int] = []
        if self.source is None or self._nothing_loaded():
            self._touch(conv.id for conv, _m, _c in changes)
            return
        changed: list[int] = []
        for conversation, message, contact in changes:
            if self._apply_local(conversation, message, contact):
                changed.append(conversation.id)
            else:
                rest.append(conversation.id)
        if changed:
            self._apply_order(self._all[: len(self._shown)])
            self._rows_changed(changed)
        if rest:
            self._touch(rest)
        elif self._refreshing:
            self._refresh_again = True  # its snapshot may predate these events

    def _nothing_loaded(self) -> bool:
        return not self._all and not self._shown

    def _apply_local(self, conversation: Any, message: Any, contact: Any) -> bool:
        """Update one row the list shows from an event and place it; False: needs a refresh."""
        conv_id = conversation.id
        row = self._cache.get(conv_id)
        shown = len(self._shown)
        try:
            old = self._all.index(conv_id, 0, shown)
        except ValueError:
            return False
        if row is None:
            return False
        new = live_rows.updated_row(row, conversation, message, contact)
        if not live_rows.matches(self.filter, new):
            return False
        del self._all[old]

        def lookup(other: int) -> Any:
            found = self._cache.get(other)
            return found.conversation if found is not None else None

        key = live_rows.sort_key(conversation)
        pos = live_rows.position(self._all[: shown - 1], key, lookup)
        if pos is None or (pos >= shown - 1 and old < shown - 1):
            self._all.insert(old, conv_id)  # it moves among rows not shown: a refresh places it
            return False
        self._all.insert(pos, conv_id)
        self._put(new)
        return True

    def touch(self, conversation_ids: list[int]) -> None:
        """Refetch these conversations and the order (e.g. after the contact panel saved)."""
        self._touch(conversation_ids)

    def _touch(self, ids: Any) -> None:
        self._dirty.update(int(i) for i in ids)
        if self.source is None:
            self._dirty.clear()
            return
        if self._refreshing:
            self._refresh_again = True
        elif not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _start_refresh(self) -> None:
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        if not self._spawn(self._refresh()):
            self._refreshing = False
            self._dirty.clear()

    async def _refresh(self) -> None:
        try:
            while True:
                self._refresh_again = False
                dirty, self._dirty = self._dirty, set()
                assert self.source is not None
                flt = self.filter
                ids = await self.source.ids(flt)
                if flt != self.filter:
                    continue  # a new filter was loaded meanwhile; it has fresh data
                # new conversations add rows; the rows already shown stay shown
                grown = max(0, len(ids) - len(self._all))
                keep = max(len(self._shown) + grown, min(self.page_size, len(ids)))
                target = ids[:keep]
                fetch = [i for i in target if i in dirty or i not in self._cache]
                rows = await self.source.rows(fetch) if fetch else []
                if flt != self.filter:
                    continue
                for row in rows:
                    self._put(row)
                for conv_id in dirty:
                    if conv_id not in set(target):
                        self._cache.pop(conv_id, None)
                self._all = ids
                self._apply_order(target)
                for row in rows:
                    self._row_changed(row.id)
                self.refreshed.emit()
                if not (self._refresh_again or self._dirty):
                    break
        except Exception as exc:
            log.warning("Refreshing the conversation list failed: %r", exc)
            self.failed.emit(str(exc))
        finally:
            self._refreshing = False

    def _apply_order(self, target: list[int]) -> None:
        """Turn the shown ids into `target` with removes, moves and inserts (no reset); a burst
        that moves many rows at once is one re-sort (`layoutChanged`, the selection kept)."""
        wanted = set(target)
        root = QModelIndex()
        for pos in range(len(self._shown) - 1, -1, -1):
            if self._shown[pos] not in wanted:
                self.beginRemoveRows(root, pos, pos)
                del self._shown[pos]
                self.endRemoveRows()
        if len(target) == len(self._shown) and _moves(self._shown, target) > MAX_ROW_MOVES:
            self._resort(target)
            return
        for pos, conv_id in enumerate(target):
            if pos < len(self._shown) and self._shown[pos] == conv_id:
                continue
            try:
                src = self._shown.index(conv_id, pos)
            except ValueError:
                self.beginInsertRows(root, pos, pos)
                self._shown.insert(pos, conv_id)
                self.endInsertRows()
                continue
            self.beginMoveRows(root, src, src, root, pos)
            self._shown.insert(pos, self._shown.pop(src))
            self.endMoveRows()

    def _resort(self, target: list[int]) -> None:
        """Show the same ids in `target`'s order with one layout change: persistent indexes
        (the selection, the current row) follow their conversations."""
        self.layoutAboutToBeChanged.emit()
        before = self._shown
        new_row = {conv_id: row for row, conv_id in enumerate(target)}
        old = self.persistentIndexList()
        self._shown = list(target)
        self.changePersistentIndexList(
            old, [self.index(new_row[before[index.row()]], 0) for index in old]
        )
        self.layoutChanged.emit()


MAX_ROW_MOVES = 8
"""More row moves than this in one update become one re-sort (`layoutChanged`)."""


def _moves(shown: list[int], target: list[int]) -> int:
    """How many `beginMoveRows` turning `shown` into `target` (the same ids) would take."""
    current = list(shown)
    moves = 0
    for pos, conv_id in enumerate(target):
        if current[pos] != conv_id:
            current.insert(pos, current.pop(current.index(conv_id, pos)))
            moves += 1
            if moves > MAX_ROW_MOVES:
                break
    return moves
