"""Ingest on a real Store: concurrent acknowledgements are committed together and logged as one
record with one line per event; apply logs one line per processed message; bites while
the store is busy, and every acknowledged event is applied in the end."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from wadesk.core.events import EngineEvent, MessageAdded, RawEventProcessed, RawEventRecorded
from wadesk.engine.cloudapi.signature import sign
from wadesk.engine.ingest import Ingest
from wadesk.engine.store import NumberRef, Store, repo

SECRET = "ingest-batching-secret"
PNID = "100000000000001"


def _body(n: int) -> bytes:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550001111", "phone_number_id": PNID},
        "contacts": [{"profile": {"name": f"C{n}"}, "wa_id": f"1555000{n:04d}"}],
        "messages": [
            {
                "from": f"1555000{n:04d}",
                "id": f"wamid.batch.{n}",
                "timestamp": "1767000000",
                "type": "text",
                "text": {"body": f"hello {n}"},
            }
        ],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": value}]}],
    }
    return json.dumps(body).encode()


async def _ingest(tmp_path: Path, events: list[EngineEvent], **kwargs: int) -> tuple[Store, Ingest]:
    store = Store(tmp_path / "db.sqlite", group_window=0.01, busy_rows=10, busy_rate=0)
    await store.open()
    await store.write(lambda c: repo.add_number(c, "shop", "+15550001111", PNID, "WABA1"))
    refs: dict[str, NumberRef] = await store.read(repo.number_refs)
    ingest = Ingest(
        store,
        app_secrets=lambda: [SECRET],
        numbers=lambda: refs,
        publish=events.append,
        **kwargs,
    )
    ingest.start()
    return store, ingest


async def _stop(store: Store, ingest: Ingest) -> None:
    await ingest.stop()
    await store.close()


def _added(events: list[EngineEvent]) -> list[str | None]:
    """The wamids of the published MessageAdded events, in order."""
    return [e.message.wamid for e in events if isinstance(e, MessageAdded)]


async def test_concurrent_acks_log_one_line_per_event_in_few_records(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    events: list[EngineEvent] = []
    store, ingest = await _ingest(tmp_path, events)
    try:
        caplog.set_level(logging.INFO, logger="wadesk.ingest")
        bodies = [_body(n) for n in range(30)]
        statuses = await asyncio.gather(*(ingest.receive(b, sign(b, SECRET)) for b in bodies))
        assert statuses == [200] * 30
        await ingest.wait_idle()
        received = [r for r in caplog.records if "Webhook received" in r.getMessage()]
        lines = [line for r in received for line in r.getMessage().splitlines()]
        recorded = [e.raw_event_id for e in events if isinstance(e, RawEventRecorded)]
        assert sorted(recorded) == list(range(1, 31))
        assert lines == [
            f"Webhook received: id={i} number={PNID} field=messages signature=valid"
            for i in recorded
        ]
        assert len(received) < 30  # acknowledgements resumed together share a record
        processed = [
            line
            for r in caplog.records
            for line in r.getMessage().splitlines()
            if line.startswith("Message processed")
        ]
        assert sorted(processed) == sorted(
            f"Message processed: wamid.batch.{n} from 1555000{n:04d}" for n in range(30)
        )
        added = [e for e in events if isinstance(e, MessageAdded)]
        assert len(added) == 30
        done = [e for e in events if isinstance(e, RawEventProcessed)]
        assert sorted(e.raw_event_id for e in done) == list(range(1, 31))
    finally:
        await _stop(store, ingest)


async def test_busy_store_applies_in_small_bites_and_catches_up(tmp_path: Path) -> None:
    """While the store is busy the apply takes bites of busy_batch_size; every event is
    applied, once each and in order."""
    events: list[EngineEvent] = []
    store, ingest = await _ingest(tmp_path, events, batch_size=50, busy_batch_size=3)
    sizes: list[int] = []
    original = ingest._apply_rows

    async def spy(rows: list[tuple[int, bytes]], *rest: Any) -> None:
        sizes.append(len(rows))
        await original(rows, *rest)

    ingest._apply_rows = spy  # type: ignore[method-assign]
    try:
        bodies = [_body(n) for n in range(40)]
        waves = [bodies[i : i + 20] for i in range(0, 40, 20)]
        for wave in waves:  # 20 at once >= busy_rows: the store turns busy
            assert (
                await asyncio.gather(*(ingest.receive(b, sign(b, SECRET)) for b in wave))
                == [200] * 20
            )
            assert store.busy
            await ingest.wait_idle()
        assert sum(sizes) == 40
        assert 3 in sizes  # bites of busy_batch_size while busy
        counts = await store.read(repo.counts)
        assert counts["messages"] == 40
        assert _added(events) == [f"wamid.batch.{n}" for n in range(40)]  # in order, once each
    finally:
        await _stop(store, ingest)


async def test_the_next_bite_is_applied_while_the_loop_publishes_the_last(
    tmp_path: Path,
) -> None:
    """While events keep coming two bites wait in the writer's queue: the writer applies the
    next one while the loop is still busy with the last one's events (blocked here)."""
    import sqlite3
    import time

    events: list[EngineEvent] = []
    store, ingest = await _ingest(tmp_path, events, batch_size=4, max_batch_size=4)
    seen: list[int] = []
    original = ingest._apply_rows

    async def blocking(rows: list[tuple[int, bytes]], *rest: Any) -> None:
        if not seen:  # the first bite's events: the loop is busy for a while
            deadline = time.monotonic() + 5.0
            with sqlite3.connect(store.path) as other:
                while time.monotonic() < deadline:
                    applied = other.execute(
                        "SELECT count(*) FROM raw_event WHERE result = 'applied'"
                    ).fetchone()[0]
                    if applied > len(rows):
                        break
                    time.sleep(0.01)  # noqa: ASYNC251 (blocking the loop is the point)
            seen.append(int(applied))
        await original(rows, *rest)

    ingest._apply_rows = blocking  # type: ignore[method-assign]
    try:
        bodies = [_body(n) for n in range(12)]
        statuses = await asyncio.gather(*(ingest.receive(b, sign(b, SECRET)) for b in bodies))
        assert statuses == [200] * 12
        await ingest.wait_idle()
        assert seen and seen[0] > 4  # the second bite ran while the loop was blocked
        assert _added(events) == [f"wamid.batch.{n}" for n in range(12)]  # in order, once each
    finally:
        await _stop(store, ingest)


async def test_a_failed_commit_is_applied_again_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When a bite's commit fails (here: a deferred foreign key the bite's own transaction
    breaks, so COMMIT itself fails and everything in it is rolled back), its events are still
    pending: the worker starts over from the oldest pending event instead of skipping them."""
    import wadesk.engine.ingest as ingest_module

    real = ingest_module._apply_pending
    failed: list[int] = []

    def failing_once(*args: Any) -> Any:
        conn = args[-1]
        result = real(*args)
        if not failed and result[0]:
            failed.append(len(result[0]))
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            conn.exec_driver_sql(
                "INSERT INTO message (conversation_id, direction, type, status, payload_json,"
                " timestamp, created_at, updated_at, origin) VALUES (999999, 'inbound', 'text',"
                " 'received', '{}', '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000',"
                " '2026-01-01 00:00:00.000000', 'webhook')"
            )
        return result

    monkeypatch.setattr(ingest_module, "_apply_pending", failing_once)
    events: list[EngineEvent] = []
    store, ingest = await _ingest(tmp_path, events, batch_size=4, max_batch_size=4)
    try:
        bodies = [_body(n) for n in range(10)]
        statuses = await asyncio.gather(*(ingest.receive(b, sign(b, SECRET)) for b in bodies))
        assert statuses == [200] * 10
        await asyncio.wait_for(ingest.wait_idle(), 10)
        assert failed and failed[0] > 0  # one bite's commit did fail
        counts = await store.read(repo.counts)
        assert counts["messages"] == 10 and counts["raw_events_applied"] == 10
        assert sorted(_added(events)) == sorted(f"wamid.batch.{n}" for n in range(10))  # once
    finally:
        await _stop(store, ingest)
