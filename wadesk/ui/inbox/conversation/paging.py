"""The sliding window of `MessageListModel`: paging down again after paging up past `max_rows`.

QListView lays out every row again whenever rows are inserted, so the message model never
holds more than `max_rows` rows: an older page past the limit drops rows at the bottom (the
model's `has_newer` becomes true), a newer page drops rows at the top (`has_more`). This mixin
holds that part; `MessageListModel` (model.py) owns the state it uses (`_ids`, `_rev`,
`_generation`, `_source`, ...).
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QModelIndex


class WindowPaging:
    """Mixin for `MessageListModel` (before `QAbstractListModel` in the bases)."""

    _ids: list[int]
    _rev: dict[int, int]
    _revisions: dict[int, Any]
    _generation: int
    _fetching_newer: bool
    conversation_id: int | None
    contact_name: str
    has_more: bool
    has_newer: bool
    max_rows: int
    live_rows: int
    following: bool
    page_size: int
    _source: Any
    older_loaded: Any
    newer_loaded: Any
    paging: Any
    _changed: Any
    _tasks: set[asyncio.Task[Any]]
    _load_scheduled: bool

    def show_latest(self) -> None:
        """Back to the newest page (after paging up past `max_rows`); no-op when it is loaded."""
        if self.has_newer and self.conversation_id is not None:
            self.set_conversation(self.conversation_id, self.contact_name)

    def fetch_newer(self) -> bool:
        """Load the next page below the last row (when `has_newer`); False when nothing to do."""
        if not self.has_newer or self._fetching_newer or self.conversation_id is None:
            return False
        self._fetching_newer = True
        self._spawn(self._load_newer(self._generation))
        return True

    async def ensure_row(self, message_id: int) -> int | None:
        """Make sure `message_id` has a row (loading the ids between it and the oldest loaded
        one when it is older); returns the row, or None if it is not in this conversation."""
        row = self.row_of(message_id)
        if row is not None or self.conversation_id is None:
            return row
        first = self._ids[0] if self._ids else None
        if first is None or message_id > first:
            return None
        generation = self._generation
        ids = await self._source.ids_between(self.conversation_id, message_id, first)
        if generation != self._generation or not ids or ids[0] != message_id:
            return None
        if len(ids) + len(self._ids) > self.max_rows:
            # too far back for one list: show a window starting at the message instead
            window = ids[: self.max_rows // 2]
            self.beginResetModel()
            self._ids = window
            self.has_more = True
            self.has_newer = True
            self.endResetModel()
            return 0
        self.beginInsertRows(QModelIndex(), 0, len(ids) - 1)
        self._ids[0:0] = ids
        self.endInsertRows()
        self._changed(len(ids))  # the old first row: day separator, grouping
        self.older_loaded.emit(len(ids))
        return self.row_of(message_id)

    async def settle(self, seconds: float = 5.0) -> None:
        """Wait until every background load has finished (tests, screenshots)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while self._tasks or self._load_scheduled:
            if loop.time() > deadline:
                raise TimeoutError("message model loads did not finish")
            if self._tasks:
                await asyncio.wait(set(self._tasks), timeout=max(0.0, deadline - loop.time()))
            else:
                await asyncio.sleep(0)

    def trim_live(self) -> None:
        """Live messages grew the rows past the limit: drop the oldest ones.

        The limit is `max_rows`, or `live_rows` while the view follows the bottom
        (`following`): QListView lays out every row again on each insert, so a user watching
        the newest messages of a busy chat pays for `live_rows`, not `max_rows`, per batch
        (older ones come back as pages when they scroll up). Rows go a slice at a time
        (`page_size`, half of it while following), not one per message."""
        if self.following:
            excess = len(self._ids) - self.live_rows
            if excess < max(1, self.page_size // 2):
                return
            # nothing to keep in place: the view stays at the bottom by itself
            self._trim(excess, bottom=False)
            return
        excess = len(self._ids) - self.max_rows
        if excess < self.page_size:
            return
        self.paging.emit()
        self._trim(excess, bottom=False)
        self.newer_loaded.emit(0)

    def _trim(self, count: int, *, bottom: bool) -> None:
        """Drop `count` rows at the bottom (or top) to stay within `max_rows`."""
        count = min(count, len(self._ids))
        if count <= 0:
            return
        first = len(self._ids) - count if bottom else 0
        self.beginRemoveRows(QModelIndex(), first, first + count - 1)
        gone = self._ids[first : first + count]
        del self._ids[first : first + count]
        self.endRemoveRows()
        for message_id in gone:
            self._rev.pop(message_id, None)
            self._revisions.pop(message_id, None)
        if bottom:
            self.has_newer = True
        else:
            self.has_more = True
            if self._ids:
                self._changed(0)  # the new first row shows its day separator

    async def _load_newer(self, generation: int) -> None:
        try:
            assert self.conversation_id is not None
            after = self._ids[-1] if self._ids else 0
            newer = await self._source.ids_between(self.conversation_id, after + 1, None)
            ids = newer[: self.page_size]
            items = await self._source.rows(ids) if ids else []
            if generation != self._generation:
                return
            items = sorted(
                (i for i in items if self.row_of(i.message.id) is None),
                key=lambda i: i.message.id,
            )
            self.has_newer = len(newer) > len(ids)
            if not items:
                return
            self.paging.emit()
            self._trim(len(self._ids) + len(items) - self.max_rows, bottom=False)
            start = len(self._ids)
            self.beginInsertRows(QModelIndex(), start, start + len(items) - 1)
            self._ids.extend(i.message.id for i in items)
            self._add_page_items(items, {})
            self.endInsertRows()
            self.newer_loaded.emit(len(items))
        except Exception as exc:
            self._failed(exc)
        finally:
            if generation == self._generation:
                self._fetching_newer = False
