"""Driver-level helpers of the Store's urgent-row lane: the sqlite3 connection behind a
SQLAlchemy one, and inserting a batch of single-row INSERTs with one `executemany` per
statement (ids derived from `last_insert_rowid()`, checked against `total_changes`). Also the
apply's hot statements as driver SQL, each one step for a whole bite: the prefetch reads (rows
back as one JSON array, `json_group_array`), the message insert and the conversation update
(rows in as one JSON array, `json_each`), with times in the stored text form (`utc_text`, as
`UtcDateTime` does)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

import orjson
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


# -- the apply's hot statements, as driver SQL over a JSON array of rows ---------------------
#
# One statement for a whole bite of rows (`json_each` over one parameter) rather than an
# `executemany`: sqlite3 releases and re-takes the GIL around every step, and the GUI process
# shares that GIL with the UI, so each step can wait for a repaint; a statement that writes 30
# rows in one step waits once (bench/live_latency.py).

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
INSERT_MESSAGES_SQL = (
    f"INSERT INTO message ({', '.join(MESSAGE_COLUMNS)}) "
    f"SELECT {', '.join(f'value ->> {i}' for i in range(len(MESSAGE_COLUMNS)))} "
    "FROM json_each(?) ORDER BY key"
)
"""Inserts the rows of a JSON array of `message_params` arrays, in order."""
UPDATE_CONVERSATIONS_SQL = (
    "UPDATE conversation SET last_inbound_at = u.value ->> 0, last_message_at = u.value ->> 1,"
    " last_message_preview = u.value ->> 2, unread_count = u.value ->> 3, state = u.value ->> 4"
    " FROM json_each(?) AS u WHERE conversation.id = u.value ->> 5"
)
"""Updates conversations from a JSON array of `conversation_params` arrays."""


def json_rows(rows: Sequence[Any]) -> str:
    """The one parameter of a `json_each` statement: the rows (or values) as a JSON array."""
    return orjson.dumps(rows).decode()


def insert_json_rows(
    dbapi: sqlite3.Connection, sql: str, rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert `rows` with one `INSERT … SELECT … FROM json_each(?)` inside the caller's
    transaction; their ids in order (consecutive: one writer, INTEGER PRIMARY KEY, one
    statement). The count is the statement's own changes, which leave out rows written by
    triggers (the message search index)."""
    cursor = dbapi.execute(sql, (json_rows(rows),))
    if cursor.rowcount != len(rows):
        raise StoreError(f"expected {len(rows)} inserted rows for {sql[:60]!r}")
    last = int(cursor.lastrowid or 0)
    return list(range(last - len(rows) + 1, last + 1))


PREFETCH_WAMIDS_SQL = (
    "SELECT json_group_array(wamid) FROM message WHERE wamid IN (SELECT value FROM json_each(?))"
)
PREFETCH_CONTACTS_SQL = (
    "SELECT json_group_array(json_array(id, wa_id, user_id, parent_user_id, username,"
    " profile_name, local_name)) FROM contact"
    " WHERE wa_id IN (SELECT value FROM json_each(?))"
    " OR user_id IN (SELECT value FROM json_each(?))"
)
"""Contacts by wa_id or user_id, as arrays in the applier's `_ContactState` field order."""
PREFETCH_CONVERSATIONS_SQL = (
    "SELECT json_group_array(json_array(id, number_id, contact_id, last_inbound_at,"
    " last_message_at, last_message_preview, unread_count, state, mode)) FROM conversation"
    " WHERE number_id IN (SELECT value FROM json_each(?))"
    " AND contact_id IN (SELECT value FROM json_each(?))"
)
"""Conversations of (numbers × contacts), as arrays in the applier's `_ConversationState`
field order."""


def json_column(dbapi: sqlite3.Connection, sql: str, *params: Any) -> list[Any]:
    """The JSON array a `json_group_array` query returns in its one row, decoded."""
    return orjson.loads(dbapi.execute(sql, params).fetchone()[0])  # type: ignore[no-any-return]


def _time(value: datetime | None) -> str | None:
    return None if value is None else utc_text(value)


def message_params(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """One row of INSERT_MESSAGES_SQL for an inbound message's values (times as stored text)."""
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
    """One row of UPDATE_CONVERSATIONS_SQL for a conversation's current state."""
    return (
        _time(conv.last_inbound_at),
        _time(conv.last_message_at),
        conv.last_message_preview,
        conv.unread_count,
        conv.state,
        conv.id,
    )
