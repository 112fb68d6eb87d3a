"""Driver-level helpers of the Store's urgent-row lane: the sqlite3 connection behind a
SQLAlchemy one, and inserting a batch of single-row INSERTs with one `executemany` per
statement (ids derived from `last_insert_rowid()`, checked against `total_changes`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

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
