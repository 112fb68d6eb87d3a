"""The Store's lane for urgent single-row INSERTs (`insert_row`: one executemany per statement,
ids in order, all-or-nothing per batch) and the busy mode that keeps background writes to a
slice while many rows arrive at once."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, insert, select

from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.engine.store import Store, StoreError
from wadesk.engine.store.raw_events import INSERT_RAW_EVENT_SQL, raw_event_params
from wadesk.engine.store.sqlite import WAL_SIZE_LIMIT
from wadesk.engine.store.tables import raw_event_t


def _params(tag: str, result: ProcessingResult = ProcessingResult.PENDING) -> Any:
    return raw_event_params(
        body=tag.encode(),
        received_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        verdict=SignatureVerdict.VALID,
        result=result,
        field="messages",
        phone_number_ids="PNID1",
    )


def _rows(conn: Connection) -> list[tuple[int, bytes, str]]:
    return [
        (int(r[0]), bytes(r[1]), str(r[2]))
        for r in conn.execute(
            select(raw_event_t.c.id, raw_event_t.c.body, raw_event_t.c.result).order_by(
                raw_event_t.c.id
            )
        )
    ]


def _insert_fn(tag: str) -> Any:
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


async def test_rows_get_their_own_ids_in_order_with_few_commits(tmp_path: Path) -> None:
    async with Store(tmp_path / "db.sqlite", group_window=0.005) as store:
        before = store.commits
        ids = await asyncio.gather(
            *(store.insert_row(INSERT_RAW_EVENT_SQL, _params(f"b{i}")) for i in range(120))
        )
        assert ids == list(range(1, 121))
        assert store.commits - before <= 3  # group commit: one executemany per batch
        rows = await store.read(_rows)
    assert [(i, body) for i, body, _ in rows] == [(i + 1, f"b{i}".encode()) for i in range(120)]
    stored = await _reopen_fields(tmp_path / "db.sqlite")
    assert stored == ("messages", "PNID1", "valid", "pending")


async def _reopen_fields(path: Path) -> tuple[str, str, str, str]:
    async with Store(path) as store:
        row = await store.read(
            lambda c: c.exec_driver_sql(
                "SELECT field, phone_number_ids, signature_verdict, result FROM raw_event LIMIT 1"
            ).one()
        )
    return (str(row[0]), str(row[1]), str(row[2]), str(row[3]))


async def test_rows_and_functions_share_a_batch(tmp_path: Path) -> None:
    async with Store(tmp_path / "db.sqlite", group_window=0.01) as store:

        def failing(conn: Connection) -> None:
            _insert_fn("doomed")(conn)
            raise RuntimeError("boom")

        futures: list[asyncio.Future[Any]] = [
            store.write_nowait(_insert_fn("fn-normal")),
            store.insert_row(INSERT_RAW_EVENT_SQL, _params("row-1")),
            store.write_nowait(failing, urgent=True),
            store.insert_row(INSERT_RAW_EVENT_SQL, _params("row-2")),
        ]
        results = await asyncio.gather(*futures, return_exceptions=True)
        assert isinstance(results[2], RuntimeError)
        rows = await store.read(_rows)
    bodies = {body: i for i, body, _ in rows}
    assert set(bodies) == {b"row-1", b"row-2", b"fn-normal"}  # the failing fn rolled back alone
    assert results[1] == bodies[b"row-1"] and results[3] == bodies[b"row-2"]
    assert results[0] == bodies[b"fn-normal"]
    assert bodies[b"row-1"] < bodies[b"row-2"] < bodies[b"fn-normal"]  # rows go first


@pytest.mark.parametrize("with_function", [False, True])
async def test_a_failing_row_fails_its_whole_batch_and_keeps_nothing(
    tmp_path: Path, with_function: bool
) -> None:
    async with Store(tmp_path / "db.sqlite", group_window=0.01) as store:
        bad = list(_params("bad"))
        bad[1] = None  # body is NOT NULL
        futures: list[asyncio.Future[Any]] = [
            store.insert_row(INSERT_RAW_EVENT_SQL, _params("ok-1")),
            store.insert_row(INSERT_RAW_EVENT_SQL, bad),
        ]
        if with_function:
            futures.append(store.write_nowait(_insert_fn("fn")))
        results = await asyncio.gather(*futures, return_exceptions=True)
        assert all(isinstance(r, StoreError) for r in results[:2])
        if with_function:
            assert isinstance(results[2], int)  # the batch's other writes commit
        later = await store.insert_row(INSERT_RAW_EVENT_SQL, _params("later"))
        rows = await store.read(_rows)
    kept = [body for _, body, _ in rows]
    assert b"ok-1" not in kept and b"bad" not in kept
    assert kept == ([b"fn"] if with_function else []) + [b"later"]
    assert later == rows[-1][0]


async def test_cancelled_row_is_not_inserted(tmp_path: Path) -> None:
    async with Store(tmp_path / "db.sqlite", group_window=0.02) as store:
        gone = store.insert_row(INSERT_RAW_EVENT_SQL, _params("gone"))
        kept = store.insert_row(INSERT_RAW_EVENT_SQL, _params("kept"))
        gone.cancel()
        await kept
        assert [body for _, body, _ in await store.read(_rows)] == [b"kept"]


async def test_insert_row_needs_an_open_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite")
    with pytest.raises(StoreError):
        store.insert_row(INSERT_RAW_EVENT_SQL, _params("x"))
    await store.close()


async def test_many_rows_at_once_make_background_writes_wait_for_their_slice(
    tmp_path: Path,
) -> None:
    interval = 0.2
    store = Store(
        tmp_path / "db.sqlite",
        group_window=0.005,
        busy_rows=5,
        busy_rate=0,
        busy_hold=1.0,
        busy_normal_interval=interval,
    )
    async with store:
        assert not store.busy
        done: dict[str, float] = {}

        def stamp(name: str) -> Any:
            def fn(conn: Connection) -> None:
                done[name] = time.monotonic()

            return fn

        burst = [store.insert_row(INSERT_RAW_EVENT_SQL, _params(f"a{i}")) for i in range(8)]
        first = store.write_nowait(stamp("first"))
        await asyncio.gather(*burst, first)
        assert store.busy  # 8 rows >= busy_rows waited together
        second = store.write_nowait(stamp("second"))
        more = [store.insert_row(INSERT_RAW_EVENT_SQL, _params(f"b{i}")) for i in range(8)]
        await asyncio.gather(*more)
        rows_done = time.monotonic()
        assert not second.done()  # the rows went ahead, the background write waits its turn
        await second
        assert done["second"] - done["first"] >= interval * 0.9
        assert done["second"] >= rows_done
        # the hold runs out without more bursts: background writes run at once again
        await asyncio.sleep(1.05)
        third = store.write_nowait(stamp("third"))
        await store.insert_row(INSERT_RAW_EVENT_SQL, _params("single"))
        await third
        assert not store.busy
        assert done["third"] - done["second"] < interval + 1.2


async def test_a_full_batch_at_a_low_rate_does_not_make_the_store_busy(tmp_path: Path) -> None:
    """A stalled event loop leaves many rows for one batch; that alone is no burst."""
    store = Store(tmp_path / "db.sqlite", busy_rows=5, busy_rate=1000.0, rate_window=0.5)
    async with store:
        burst = [store.insert_row(INSERT_RAW_EVENT_SQL, _params(f"a{i}")) for i in range(8)]
        await asyncio.gather(*burst)
        assert not store.busy  # 8 rows in 0.5 s = 16 rows/s
        # 600 rows within the window (>= 1000/s), in full batches: now it is a burst
        for wave in range(6):
            rows = [
                store.insert_row(INSERT_RAW_EVENT_SQL, _params(f"w{wave}-{i}")) for i in range(100)
            ]
            await asyncio.gather(*rows)
        assert store.busy


async def test_writer_keeps_the_wal_file_bounded(tmp_path: Path) -> None:
    async with Store(tmp_path / "db.sqlite") as store:
        limit = await store.write(
            lambda c: int(c.exec_driver_sql("PRAGMA journal_size_limit").scalar())
        )
        checkpoint = await store.write(
            lambda c: int(c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar())
        )
    assert (limit, checkpoint) == (WAL_SIZE_LIMIT, 1000)
