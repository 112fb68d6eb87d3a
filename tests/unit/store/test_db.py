"""The Store: real SQLite files, group commit, savepoint isolation, drain on close, reopen."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, event, func, insert, select

from wadesk.engine.store import (
    LATEST_VERSION,
    SchemaError,
    Store,
    StoreClosedError,
    StoreError,
    connect,
)
from wadesk.engine.store.tables import raw_event_t


def _insert(tag: str) -> Any:
    def fn(conn: Connection) -> int:
        cursor = conn.execute(
            insert(raw_event_t).values(
                received_at=datetime.now(UTC),
                body=tag.encode(),
                signature_verdict="valid",
                result="pending",
            )
        )
        return int(cursor.lastrowid)

    return fn


def _bodies(conn: Connection) -> list[bytes]:
    return [bytes(r[0]) for r in conn.execute(select(raw_event_t.c.body).order_by("id"))]


async def test_write_read_round_trip_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "dir" / "wadesk.db"
    async with Store(path) as store:
        first = await store.write(_insert("a"))
        second = await store.write(_insert("b"))
        assert (first, second) == (1, 2)
        assert await store.read(_bodies) == [b"a", b"b"]
        mode = await store.read(lambda c: c.exec_driver_sql("PRAGMA journal_mode").scalar())
        assert mode == "wal"
        fks = await store.read(lambda c: c.exec_driver_sql("PRAGMA foreign_keys").scalar())
        assert fks == 1
    assert path.exists()


async def test_group_commit_batches_concurrent_writes(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite", group_window=0.005)
    commits: list[int] = []
    event.listen(store.write_engine, "commit", lambda conn: commits.append(1))
    await store.open()
    try:
        commits.clear()  # migrations at open commit too
        ids = await asyncio.gather(*(store.write(_insert(f"m{i}")) for i in range(200)))
        assert sorted(ids) == list(range(1, 201))
        assert ids == sorted(ids)  # resolved in queue order
        assert 1 <= len(commits) <= 5, commits
        assert store.commits == len(commits)
        count = await store.read(
            lambda c: c.execute(select(func.count()).select_from(raw_event_t)).scalar()
        )
        assert count == 200
    finally:
        await store.close()


async def test_max_batch_splits_batches(tmp_path: Path) -> None:
    async with Store(tmp_path / "db.sqlite", group_window=0.01, max_batch=10) as store:
        before = store.commits
        await asyncio.gather(*(store.write(_insert(f"m{i}")) for i in range(50)))
        assert store.commits - before >= 5


async def test_failing_fn_rolls_back_only_itself(tmp_path: Path) -> None:
    def failing(conn: Connection) -> int:
        _insert("doomed")(conn)
        raise ValueError("boom")

    async with Store(tmp_path / "db.sqlite", group_window=0.01) as store:
        before = store.commits
        futures = [
            store.write_nowait(_insert("a")),
            store.write_nowait(failing),
            store.write_nowait(_insert("b")),
        ]
        results = await asyncio.gather(*futures, return_exceptions=True)
        assert store.commits == before + 1  # one batch
        assert results[0] == 1
        assert isinstance(results[1], ValueError) and str(results[1]) == "boom"
        assert isinstance(results[2], int)
        assert await store.read(_bodies) == [b"a", b"b"]
        with pytest.raises(ValueError, match="boom"):
            await store.write(failing)


async def test_close_drains_queued_writes_and_data_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    store = Store(path, group_window=0.05, max_batch=7)
    await store.open()
    futures = [store.write_nowait(_insert(f"m{i}")) for i in range(30)]
    await store.close()
    assert all(f.done() and not f.exception() for f in futures)
    await store.close()  # idempotent
    with pytest.raises(StoreClosedError):
        store.write_nowait(_insert("late"))
    with pytest.raises(StoreClosedError):
        await store.read(_bodies)

    async with Store(path) as again:
        bodies = await again.read(_bodies)
    assert bodies == [f"m{i}".encode() for i in range(30)]
    # and it is really on disk, readable by plain sqlite3
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT count(*) FROM raw_event").fetchone()[0] == 30
    finally:
        raw.close()


async def test_reads_run_while_writes_are_queued(tmp_path: Path) -> None:
    async with Store(tmp_path / "db.sqlite") as store:
        await store.write(_insert("x"))
        results = await asyncio.gather(
            *(store.write(_insert(f"w{i}")) for i in range(20)),
            *(store.read(lambda c: len(_bodies(c))) for _ in range(10)),
        )
        assert all(n >= 1 for n in results[20:])


async def test_readers_cannot_write(tmp_path: Path) -> None:
    async with Store(tmp_path / "db.sqlite") as store:
        with pytest.raises(Exception, match="readonly"):
            await store.read(_insert("nope"))


async def test_not_a_database_gives_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    store = Store(path)
    with pytest.raises(SchemaError, match="not a usable SQLite database"):
        await store.open()
    await store.close()


async def test_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    with pytest.raises(SchemaError, match="newer"):
        await Store(path).open()


def test_connect_sync_helper(tmp_path: Path) -> None:
    engine = connect(tmp_path / "x" / "db.sqlite")
    try:
        with engine.begin() as conn:
            _insert("sync")(conn)
        with engine.connect() as conn:
            assert _bodies(conn) == [b"sync"]
            assert conn.exec_driver_sql("PRAGMA user_version").scalar() == LATEST_VERSION
    finally:
        engine.dispose()


def _wait_for_count(path: Path, table: str, want: int, timeout: float = 5.0) -> int:
    """Poll the file from another connection, blocking the caller (the loop) meanwhile."""
    import time

    deadline = time.monotonic() + timeout
    with sqlite3.connect(path) as other:
        while True:
            count = int(other.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            if count >= want or time.monotonic() > deadline:
                return count
            time.sleep(0.01)


async def test_queued_writes_commit_while_the_loop_is_blocked(tmp_path: Path) -> None:
    """The writer thread goes from batch to batch without the loop: a loop that is busy
    elsewhere (the GUI painting) does not hold up writes that were queued already; only the
    callers' results wait for it."""
    path = tmp_path / "db.sqlite"
    async with Store(path, group_window=0.0, max_batch=1) as store:
        futures = [store.write_nowait(_insert(f"w{i}")) for i in range(5)]
        await asyncio.sleep(0)  # the loop wakes the writer once for all five
        # five batches (max_batch=1), all committed while this coroutine blocks the loop
        assert _wait_for_count(path, "raw_event", 5) == 5
        assert not any(f.done() for f in futures)  # the results are handed over on the loop
        ids = await asyncio.gather(*futures)
        assert ids == sorted(ids) and len(set(ids)) == 5
        assert await store.read(_bodies) == [f"w{i}".encode() for i in range(5)]


def test_an_old_sqlite_is_refused_with_both_versions_named() -> None:
    from wadesk.engine.store.sqlite import MIN_SQLITE, check_sqlite_version

    check_sqlite_version()  # the SQLite this Python has is new enough
    assert sqlite3.sqlite_version_info >= MIN_SQLITE
    with pytest.raises(StoreError, match=r"needs SQLite 3\.38\.0 or newer.*has SQLite 3\.31\.1"):
        check_sqlite_version((3, 31, 1))


def test_a_store_nobody_closed_does_not_keep_the_process_alive(tmp_path: Path) -> None:
    """The writer is a daemon thread: a process that forgets to close its Store (a crash
    path) still exits, and what it committed is there for the next start."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        f"""
        import asyncio
        from wadesk.engine.store import Store

        async def main():
            store = Store({str(tmp_path / "db.sqlite")!r})
            await store.open()
            await store.write(lambda c: c.exec_driver_sql(
                "INSERT INTO label (name, colour, created_at)"
                " VALUES ('kept', '#FFFFFF', '2026-01-01 00:00:00.000000')"))

        asyncio.run(main())  # returns without store.close()
        print("done")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "done" in proc.stdout
    with sqlite3.connect(tmp_path / "db.sqlite") as conn:
        assert conn.execute("SELECT name FROM label").fetchall() == [("kept",)]
