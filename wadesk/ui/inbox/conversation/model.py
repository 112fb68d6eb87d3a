"""`MessageListModel`: the messages of one conversation for a `QListView`, newest at the bottom.

The model keeps only the ordered id list; row payloads (`Item`s) live in a bounded LRU cache
and are fetched lazily from the store (off the loop, via `StoreSource`) when a row is first
asked for. Older history comes in pages through `canFetchMore`/`fetchMore` with an in-flight
guard; the view tells the model when the top is in sight (`set_top_in_view`), so Qt's own
"last row visible → fetch more" never pulls the whole history in. Engine events arrive
through the bridge: `message_added` appends the row at once (a queued local echo for sends),
`message_updated` changes a row in place (ticks move) — never a reset.

The rows are a sliding window of at most `max_rows` messages (paging.py).

Presentation facts are roles (Quaternion's pattern): day separator, sender-group start, reply
quote, reaction, media card, failure explanation. `RevisionRole` changes whenever anything that
affects the painted size changes, so the delegate can cache layouts per (id, width, revision).
"""

from __future__ import annotations

import asyncio
import bisect
import logging
from collections import OrderedDict
from collections.abc import Callable, Coroutine, Iterable
from datetime import timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage

from wadesk.core.enums import Direction, MessageType
from wadesk.core.events import MessageAdded, MessageUpdated
from wadesk.core.models import Message
from wadesk.ui.inbox.conversation.content import body_text
from wadesk.ui.inbox.conversation.formatting import local_time
from wadesk.ui.inbox.conversation.paging import WindowPaging
from wadesk.ui.inbox.conversation.roles import GETTERS, Quote, Role
from wadesk.ui.inbox.conversation.source import (
    Item,
    StoreSource,
    reaction_emoji,
    reaction_target,
)

log = logging.getLogger("wadesk.ui.conversation")

GROUP_GAP = timedelta(minutes=5)
THUMB_SIZE = 240
AnyIndex = QModelIndex | QPersistentModelIndex


def day_label(item: Item, today: Any = None) -> str:
    """`Today`, `Yesterday`, or the date in the current locale's long format."""
    from datetime import date

    day = local_time(item.message.timestamp).date()
    today = today or date.today()
    if day == today:
        return QCoreApplication.translate("MessageListModel", "Today")
    if day == today - timedelta(days=1):
        return QCoreApplication.translate("MessageListModel", "Yesterday")
    return QLocale().toString(day, QLocale.FormatType.LongFormat)


class MessageListModel(WindowPaging, QAbstractListModel):
    """Messages of one conversation (oldest first), lazily loaded, bounded in memory.

    Attributes:
        conversation_id: the conversation shown (None: empty).
        page_size: messages per page of history.
        max_rows: at most this many rows (the window slides while paging).
        live_rows: at most this many rows (give or take half a page) while live messages
            arrive and the view follows the bottom.
        following: the view shows the newest messages and stays there (the view sets it).
        has_more: older history exists that is not in the id list yet.
        has_newer: newer messages exist below the last row (the window slid up).

    Signals:
        loaded(): the first page of a conversation is in.
        older_loaded(int): that many older rows were inserted at the top.
        newer_loaded(int): that many newer rows were inserted at the bottom (paging down).
        paging(): a page is about to be inserted (the view remembers what the user sees).
        appended(int): that many new rows were added at the bottom (live messages).
        load_failed(str): reading the store failed (a sentence to show).
    """

    loaded = Signal()
    older_loaded = Signal(int)
    newer_loaded = Signal(int)
    paging = Signal()
    appended = Signal(int)
    load_failed = Signal(str)

    def __init__(
        self,
        source: StoreSource,
        *,
        language: Callable[[], str] = lambda: "en",
        cache_size: int = 1000,
        page_size: int = 50,
        max_rows: int = 300,
        live_rows: int = 60,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._language = language
        self.cache_size = max(cache_size, page_size * 2)
        self.page_size = page_size
        self.max_rows = max(max_rows, page_size * 2)
        self.live_rows = min(max(live_rows, page_size), self.max_rows)
        self.following = False
        self.conversation_id: int | None = None
        self.contact_name = ""
        self.has_more = False
        self.has_newer = False
        self._fetching_newer = False
        self._ids: list[int] = []
        self._cache: OrderedDict[int, Item] = OrderedDict()
        self._rev: dict[int, int] = {}
        self._rev_counter = 0
        # id → (stamp, revision): asked for on every layout of every row, computed once
        self._revisions: dict[int, tuple[tuple[Any, ...], tuple[Any, ...]]] = {}
        self._by_wamid: dict[str, int] = {}
        self._quotes: OrderedDict[str, Item | None] = OrderedDict()
        self._quote_waiters: dict[str, set[int]] = {}
        self._own_reactions: dict[str, str] = {}
        self._thumbs: OrderedDict[int, QImage | None] = OrderedDict()
        self._wanted: set[int] = set()
        self._load_scheduled = False
        self._fetching = False
        self._top_in_view = False
        self._generation = 0
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- Qt model API -------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def roleNames(self) -> dict[int, bytes]:
        names = super().roleNames()
        for role in Role:
            names[int(role)] = role.name.lower().encode()
        return names

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        message_id = self._ids[index.row()]
        if role == Role.ID:
            return message_id
        item = self._get(message_id)
        if role == Role.LOADED:
            return item is not None
        if item is None:
            self._want(message_id)
            return None
        return self._role(item, index.row(), role)

    def layout_token(self, row: int) -> tuple[int, tuple[Any, ...]] | None:
        """(message id, Role.REVISION) of a row, None while it loads: what the delegate keys
        its layouts by, in one Python call — a view lays out every row on each insert, and
        three `index.data()` round trips per row were most of that time at 100 messages/s."""
        if not 0 <= row < len(self._ids):
            return None
        message_id = self._ids[row]
        item = self._get(message_id)
        if item is None:
            return None  # like Role.LOADED: asking for the layout key does not load the row
        return message_id, self._revision(item, row)

    def _role(self, item: Item, row: int, role: int) -> Any:
        getter = GETTERS.get(role)
        return getter(self, item, row) if getter is not None else None

    def canFetchMore(self, parent: AnyIndex) -> bool:
        if parent.isValid() or self.conversation_id is None:
            return False
        return self.has_more and self._top_in_view and not self._fetching

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return  # only when the top is in view (Qt and model testers call this freely)
        self._fetching = True
        self._spawn(self._load_older(self._generation))

    # -- public API ---------------------------------------------------------------------------

    def set_conversation(self, conversation_id: int | None, contact_name: str = "") -> None:
        """Show another conversation (None: nothing); the latest page loads in the background."""
        self._generation += 1
        self.beginResetModel()
        self.conversation_id = conversation_id
        self.contact_name = contact_name
        self._ids = []
        self._cache.clear()
        self._rev.clear()
        self._revisions.clear()
        self._by_wamid.clear()
        self._quotes.clear()
        self._quote_waiters.clear()
        self._own_reactions.clear()
        self._thumbs.clear()
        self._wanted.clear()
        self.has_more = False
        self.has_newer = False
        self._fetching_newer = False
        self._fetching = conversation_id is not None
        self._top_in_view = False
        self.endResetModel()
        if conversation_id is not None:
            self._spawn(self._load_latest(self._generation))

    def set_top_in_view(self, visible: bool) -> None:
        """The view says whether the top of the list is in sight (history may be fetched)."""
        self._top_in_view = visible

    def row_of(self, message_id: int) -> int | None:
        pos = bisect.bisect_left(self._ids, message_id)
        return pos if pos < len(self._ids) and self._ids[pos] == message_id else None

    def ids(self) -> list[int]:
        return list(self._ids)

    def cached_count(self) -> int:
        return len(self._cache)

    def item(self, message_id: int) -> Item | None:
        """The cached row payload of a message (None when not loaded)."""
        return self._cache.get(message_id)

    def id_for_wamid(self, wamid: str) -> int | None:
        found = self._by_wamid.get(wamid)
        if found is not None:
            return found
        quoted = self._quotes.get(wamid)
        return quoted.message.id if quoted is not None else None

    # -- engine events ------------------------------------------------------------------------

    def on_messages_added(self, events: Iterable[MessageAdded]) -> None:
        """Bridge slot: new rows for this conversation (queued echoes and inbound messages)."""
        added = 0
        for event in events:
            if self.add_message(event.message):
                added += 1
        if added:
            self.trim_live()
            self.appended.emit(added)

    def on_messages_updated(self, events: Iterable[MessageUpdated]) -> None:
        """Bridge slot: statuses, reactions, downloads changed rows in place."""
        for event in events:
            self.update_message(event.message)

    def add_message(self, message: Message) -> bool:
        """Add (or refresh) one message; True when a new row appeared."""
        if message.conversation_id != self.conversation_id:
            return False
        if message.type is MessageType.REACTION:
            self._on_reaction_row(message)
            return False
        if self.row_of(message.id) is not None:
            self.update_message(message)
            return False
        if self._ids and message.id < self._ids[0] and self.has_more:
            return False  # older than what is loaded: paging will bring it
        if self.has_newer and self._ids and message.id > self._ids[-1]:
            return True  # below the loaded window: paging down (or show_latest) brings it
        pos = bisect.bisect_left(self._ids, message.id)
        self.beginInsertRows(QModelIndex(), pos, pos)
        self._ids.insert(pos, message.id)
        self._put(Item(message))
        self.endInsertRows()
        if pos + 1 < len(self._ids):
            self._changed(pos + 1)  # its neighbour's day separator / grouping may change
        return True

    def update_message(self, message: Message) -> None:
        if message.conversation_id != self.conversation_id:
            return
        if message.type is MessageType.REACTION:
            self._on_reaction_row(message)
            return
        row = self.row_of(message.id)
        if row is None:
            return
        old = self._cache.get(message.id)
        self._put(Item(message, old.media_mime, old.media_size) if old else Item(message))
        if old is not None and old.message.media_path != message.media_path:
            self._thumbs.pop(message.id, None)
        self._changed(row)

    def _on_reaction_row(self, message: Message) -> None:
        wamid = reaction_target(message)
        if message.direction is not Direction.OUTBOUND or not wamid:
            return
        self._own_reactions[wamid] = reaction_emoji(message)
        target = self._by_wamid.get(wamid)
        row = self.row_of(target) if target is not None else None
        if row is not None:
            self._changed(row)

    # -- computed roles -----------------------------------------------------------------------

    def _prev(self, row: int) -> Item | None:
        if row <= 0:
            return None
        # a peek: never loads (that would chain through the whole history); when the previous
        # row arrives, `_load_rows` refreshes this one
        return self._cache.get(self._ids[row - 1])

    def _day_separator(self, item: Item, row: int) -> str | None:
        prev = self._prev(row)
        if prev is not None:
            same_day = (
                local_time(prev.message.timestamp).date()
                == local_time(item.message.timestamp).date()
            )
            if same_day:
                return None
        elif row > 0:
            return None
        return day_label(item)

    def _group_start(self, item: Item, row: int) -> bool:
        prev = self._prev(row)
        if prev is None:
            return True
        a, b = prev.message, item.message
        if a.direction != b.direction or (a.type is MessageType.NOTE) != (
            b.type is MessageType.NOTE
        ):
            return True
        if local_time(a.timestamp).date() != local_time(b.timestamp).date():
            return True
        return abs(b.timestamp - a.timestamp) > GROUP_GAP

    def _quote(self, message: Message) -> Quote | None:
        wamid = message.reply_to
        if not wamid or message.type is MessageType.REACTION:
            return None
        target_id = self._by_wamid.get(wamid)
        target = self._cache.get(target_id) if target_id is not None else None
        if target is None and wamid in self._quotes:
            target = self._quotes[wamid]
        elif target is None:
            self._quote_waiters.setdefault(wamid, set()).add(message.id)
            if len(self._quote_waiters[wamid]) == 1:
                self._spawn(self._load_quote(wamid, self._generation))
            return Quote("", "…", None)
        if target is None:
            return Quote(
                "",
                QCoreApplication.translate("MessageListModel", "Original message not found"),
                None,
            )
        tm = target.message
        if tm.direction is Direction.OUTBOUND:
            author = QCoreApplication.translate("MessageListModel", "You")
        else:
            author = self.contact_name or QCoreApplication.translate("MessageListModel", "Customer")
        text = body_text(tm) or f"[{tm.type.value}]"
        return Quote(author, " ".join(text.split())[:120], tm.id)

    def _reactions(self, message: Message) -> str | None:
        parts = [message.reaction or ""]
        if message.wamid and message.wamid in self._own_reactions:
            parts.append(self._own_reactions[message.wamid])
        text = " ".join(p for p in parts if p)
        return text or None

    def _thumbnail(self, item: Item) -> QImage | None:
        m = item.message
        if m.type not in (MessageType.IMAGE, MessageType.STICKER) or not m.media_path:
            return None
        if m.id in self._thumbs:
            self._thumbs.move_to_end(m.id)
            return self._thumbs[m.id]
        self._thumbs[m.id] = None
        self._spawn(self._load_thumb(m.id, m.media_path, self._generation))
        return None

    def _revision(self, item: Item, row: int) -> tuple[Any, ...]:
        message_id = item.message.id
        prev_id = self._ids[row - 1] if row > 0 else None
        stamp = (prev_id, prev_id in self._cache, self._language())
        found = self._revisions.get(message_id)
        if found is not None and found[0] == stamp:
            return found[1]
        quote = self._quote(item.message)
        thumb = self._thumbs.get(message_id)
        value = (
            self._rev.get(message_id, 0),
            self._day_separator(item, row),
            self._group_start(item, row),
            quote.text if quote else None,
            thumb.size().toTuple() if thumb is not None else None,
            self._reactions(item.message),
            stamp[2],
        )
        self._revisions[message_id] = (stamp, value)
        return value

    # -- cache and loading --------------------------------------------------------------------

    def _get(self, message_id: int) -> Item | None:
        item = self._cache.get(message_id)
        if item is not None:
            self._cache.move_to_end(message_id)
        return item

    def _put(self, item: Item) -> None:
        m = item.message
        self._cache[m.id] = item
        self._cache.move_to_end(m.id)
        self._rev_counter += 1
        self._rev[m.id] = self._rev_counter
        self._revisions.pop(m.id, None)
        if m.wamid:
            self._by_wamid[m.wamid] = m.id
        while len(self._cache) > self.cache_size:
            old_id, old = self._cache.popitem(last=False)
            self._thumbs.pop(old_id, None)
            self._revisions.pop(old_id, None)
            if old.message.wamid:
                self._by_wamid.pop(old.message.wamid, None)

    def _changed(self, row: int) -> None:
        if 0 <= row < len(self._ids):
            self._revisions.pop(self._ids[row], None)
        index = self.index(row)
        self.dataChanged.emit(index, index)

    def _want(self, message_id: int) -> None:
        self._wanted.add(message_id)
        if self._load_scheduled:
            return
        self._load_scheduled = True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._load_scheduled = False
            return
        loop.call_soon(self._start_row_load)

    def _start_row_load(self) -> None:
        self._load_scheduled = False
        wanted, self._wanted = self._wanted, set()
        ids = [i for i in wanted if i not in self._cache and self.row_of(i) is not None]
        if ids:
            self._spawn(self._load_rows(sorted(ids), self._generation))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        try:
            task = asyncio.get_running_loop().create_task(coro)
        except RuntimeError:
            coro.close()  # no loop (a plain Qt test): nothing can be loaded
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _failed(self, exc: BaseException) -> None:
        log.error("Loading messages failed: %r", exc)
        self.load_failed.emit(
            QCoreApplication.translate(
                "MessageListModel", "Messages could not be loaded: %1"
            ).replace("%1", str(exc))
        )

    def _add_page_items(self, items: list[Item], own: dict[str, str]) -> None:
        self._own_reactions.update(own)
        for item in items:
            self._put(item)

    async def _load_latest(self, generation: int) -> None:
        assert self.conversation_id is not None
        try:
            page = await self._source.page(self.conversation_id, None, self.page_size)
        except Exception as exc:
            self._fetching = False
            self._failed(exc)
            return
        if generation != self._generation:
            return
        # still `_fetching` until the view placed the page (its interim scroll value is 0)
        self.has_more = len(page.items) >= self.page_size
        ids = [i.message.id for i in page.items if self.row_of(i.message.id) is None]
        self._add_page_items(page.items, page.own_reactions)
        if ids:
            merged = sorted(set(self._ids) | set(ids))
            self.beginResetModel()
            self._ids = merged
            self.endResetModel()
        try:
            self.loaded.emit()
        finally:
            self._fetching = False

    async def _load_older(self, generation: int) -> None:
        try:
            assert self.conversation_id is not None
            before = self._ids[0] if self._ids else None
            page = await self._source.page(self.conversation_id, before, self.page_size)
            if generation != self._generation:
                return
            self.has_more = len(page.items) >= self.page_size
            items = [i for i in page.items if self.row_of(i.message.id) is None]
            if not items:
                return
            self.paging.emit()
            self._trim(len(self._ids) + len(items) - self.max_rows, bottom=True)
            self.beginInsertRows(QModelIndex(), 0, len(items) - 1)
            self._ids[0:0] = [i.message.id for i in items]
            self._add_page_items(items, page.own_reactions)
            self.endInsertRows()
            self._changed(len(items))  # the old first row loses its day separator maybe
            self.older_loaded.emit(len(items))
        except Exception as exc:
            self._failed(exc)
        finally:
            if generation == self._generation:
                self._fetching = False

    async def _load_rows(self, ids: list[int], generation: int) -> None:
        try:
            items = await self._source.rows(ids)
        except Exception as exc:
            self._failed(exc)
            return
        if generation != self._generation:
            return
        for item in items:
            self._put(item)
        for item in items:
            row = self.row_of(item.message.id)
            if row is not None:
                self._changed(row)
                if row + 1 < len(self._ids):
                    self._changed(row + 1)

    async def _load_quote(self, wamid: str, generation: int) -> None:
        try:
            item = await self._source.by_wamid(wamid)
        except Exception as exc:
            self._failed(exc)
            item = None
        if generation != self._generation:
            return
        self._quotes[wamid] = item
        while len(self._quotes) > 500:
            self._quotes.popitem(last=False)
        for waiter in self._quote_waiters.pop(wamid, set()):
            row = self.row_of(waiter)
            if row is not None:
                self._changed(row)

    async def _load_thumb(self, message_id: int, path: str, generation: int) -> None:
        data = await self._source.file_bytes(path)
        if generation != self._generation or message_id not in self._thumbs:
            return
        image = QImage.fromData(data) if data else QImage()
        if image.isNull():
            return
        if image.width() > THUMB_SIZE or image.height() > THUMB_SIZE:
            image = image.scaled(
                THUMB_SIZE,
                THUMB_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self._thumbs[message_id] = image
        while len(self._thumbs) > 200:
            self._thumbs.popitem(last=False)
        row = self.row_of(message_id)
        if row is not None:
            self._changed(row)
