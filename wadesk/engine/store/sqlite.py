"""Opening wadesk's SQLite files: `make_engine` (the connection settings of the Store's writer,
its readers and blocking users), `connect` (blocking access with the schema migrated), the
SQLite version check and the errors for files that cannot be opened. pysqlite's own
transaction handling breaks SAVEPOINTs, so every engine made here switches it off
(`isolation_level = None`) and emits BEGIN itself (the recipe from SQLAlchemy's SQLite docs)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.pool import NullPool, QueuePool

from wadesk.engine.store.errors import SchemaError, StoreError
from wadesk.engine.store.migrations import migrate

Role = Literal["writer", "reader", "sync"]

WAL_SIZE_LIMIT = 64 * 1024 * 1024
"""`journal_size_limit`: after a checkpoint the WAL file is truncated to this size."""


def make_engine(path: Path, role: Role = "sync", *, pool_size: int = 2) -> Engine:
    """An Engine for the SQLite file at `path` with wadesk's connection settings.

    Every connection: SQLAlchemy emits BEGIN (IMMEDIATE for the writer), foreign keys on,
    `synchronous=NORMAL`, a busy timeout; WAL is switched on by writer and sync engines;
    reader connections are `query_only`. Nothing is opened until first use.
    """
    url = f"sqlite:///{path}"
    if role == "reader":
        engine = create_engine(
            url,
            poolclass=QueuePool,
            pool_size=pool_size,
            max_overflow=0,
            connect_args={"check_same_thread": False},
        )
    elif role == "writer":
        engine = create_engine(url, poolclass=NullPool)
    else:
        engine = create_engine(url, connect_args={"check_same_thread": False})
    begin_sql = "BEGIN IMMEDIATE" if role == "writer" else "BEGIN"

    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute("PRAGMA busy_timeout = 10000")
            if role != "reader":
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            if role == "writer":
                cursor.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT:d}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if role == "reader":
                cursor.execute("PRAGMA query_only = ON")
        finally:
            cursor.close()

    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin_sql)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
    return engine


MIN_SQLITE = (3, 38, 0)
"""The oldest SQLite wadesk runs on: the apply's statements use `->>` (3.38) and
`UPDATE … FROM` (3.33). Python 3.11's own builds ship 3.39 or newer."""


def check_sqlite_version(version: tuple[int, int, int] = sqlite3.sqlite_version_info) -> None:
    """StoreError naming the versions when the SQLite library is older than `MIN_SQLITE`."""
    if tuple(version) < MIN_SQLITE:
        need = ".".join(map(str, MIN_SQLITE))
        have = ".".join(map(str, version))
        raise StoreError(f"wadesk needs SQLite {need} or newer; this Python has SQLite {have}")


def open_error(path: Path, exc: BaseException) -> StoreError:
    text = str(getattr(exc, "orig", exc))
    if "not a database" in text or "malformed" in text:
        return SchemaError(f"{path} is not a usable SQLite database ({text})")
    return StoreError(f"cannot open the database {path}: {text}")


def connect(path: Path) -> Engine:
    """Blocking access for the CLI, exports and scripts: creates the directory, migrates the
    schema and returns an Engine (call `engine.dispose()` when done).

    Use `with engine.begin() as conn:` for writes and `with engine.connect() as conn:` for
    reads. Do not use it while a Store writes the same file from the same process for long
    transactions: SQLite allows one writer at a time (the busy timeout is 10 s).
    """
    check_sqlite_version()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(path, "sync")
    try:
        with engine.connect() as conn:
            migrate(conn)
    except (SADatabaseError, sqlite3.DatabaseError) as exc:
        engine.dispose()
        raise open_error(path, exc) from None
    except BaseException:
        engine.dispose()
        raise
    return engine
