"""Driver-level helpers of the Store's urgent-row lane: the sqlite3 connection behind a
SQLAlchemy one, and inserting a batch of single-row INSERTs with one `executemany` per
statement (ids derived from `last_insert_rowid()`, checked against `total_changes`). Also the
apply's hot statements as driver SQL (message insert, conversation update): cached strings and
parameter tuples, with times in the stored text form (`utc_text`, as `UtcDateTime` does)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection

from wadesk.engine.store.columns import utc_text
from wadesk.engine.store.errors import StoreError


def driver(conn: Connection) -> sqlite3.Connection:
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def insert_rows(
    dbapi: sqlite3.Connection, inserts: list[tuple[str, Sequence[Any]]], *, savepoint: bool
) -> list[int]:
    """Insert the rows (inside the caller's transaction), grouped by statement, one
    `executemany` per statement; returns their ids in order. Raises on failure, having
    rolled the rows back when `savepoint` (else the caller rolls back)."""
    groups: dict[str, list[int]] = {}
    for index, (sql, _) in enumerate(inserts):
        groups.setdefault(sql, []).append(index)
    ids = [0] * len(inserts)
    if savepoint:
        dbapi.execute("SAVEPOINT wadesk_rows")
    try:
        for sql, indexes in groups.items():
            before = dbapi.total_changes
            dbapi.executemany(sql, [inserts[i][1] for i in indexes])
            last = dbapi.execute("SELECT last_insert_rowid()").fetchone()[0]
            if dbapi.total_changes - before != len(indexes):
                raise StoreError(f"expected {len(indexes)} inserted rows for {sql[:60]!r}")
            first = int(last) - len(indexes) + 1
            for offset, index in enumerate(indexes):
                ids[index] = first + offset
    except BaseException:
        if savepoint:
            dbapi.execute("ROLLBACK TO wadesk_rows")
            dbapi.execute("RELEASE wadesk_rows")
        raise
    if savepoint:
        dbapi.execute("RELEASE wadesk_rows")
    return ids


# -- the apply's hot statements, as driver SQL (cached strings, executemany) -----------------

MESSAGE_COLUMNS = (
    "conversation_id",
    "wamid",
    "direction",
    "type",
    "status",
    "text",
    "payload_json",
    "media_id",
    "media_mime",
    "reply_to",
    "error_code",
    "error_title",
    "error_details",
    "timestamp",
    "created_at",
    "updated_at",
    "raw_event_id",
    "origin",
)
"""The columns an inbound message row is inserted with (keys of the applier's values)."""
_MESSAGE_TIMES = frozenset({"timestamp", "created_at", "updated_at"})
INSERT_MESSAGE_SQL = (
    f"INSERT INTO message ({', '.join(MESSAGE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in MESSAGE_COLUMNS)})"
)
UPDATE_CONVERSATION_SQL = (
    "UPDATE conversation SET last_inbound_at = ?, last_message_at = ?, "
    "last_message_preview = ?, unread_count = ?, state = ? WHERE id = ?"
)


def _time(value: datetime | None) -> str | None:
    return None if value is None else utc_text(value)


def message_params(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """INSERT_MESSAGE_SQL's parameters for one row's values (times as stored text)."""
    return tuple(
        _time(values[name]) if name in _MESSAGE_TIMES else values[name] for name in MESSAGE_COLUMNS
    )


class ConversationLike(Protocol):
    id: int
    last_inbound_at: datetime | None
    last_message_at: datetime | None
    last_message_preview: str | None
    unread_count: int
    state: str


def conversation_params(conv: ConversationLike) -> tuple[Any, ...]:
    """UPDATE_CONVERSATION_SQL's parameters for a conversation's current state."""
    return (
        _time(conv.last_inbound_at),
        _time(conv.last_message_at),
        conv.last_message_preview,
        conv.unread_count,
        conv.state,
        conv.id,
    )


def insert_many(dbapi: sqlite3.Connection, sql: str, params: list[tuple[Any, ...]]) -> list[int]:
    """Insert rows with one `executemany` inside the caller's transaction; their ids in order
    (consecutive: one writer, INTEGER PRIMARY KEY). The count is the cursor's `rowcount`, which
    leaves out rows written by triggers (the message search index)."""
    cursor = dbapi.executemany(sql, params)
    if cursor.rowcount != len(params):
        raise StoreError(f"expected {len(params)} inserted rows for {sql[:60]!r}")
    last = int(dbapi.execute("SELECT last_insert_rowid()").fetchone()[0])
    return list(range(last - len(params) + 1, last + 1))
