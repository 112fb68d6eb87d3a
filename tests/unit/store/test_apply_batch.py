"""apply_many over several bodies at once: statuses prefetched per batch, statuses for unknown
wamids inserted together at the end (first of each (wamid, status) wins), new messages of the
whole batch inserted together — with the same results and events as one body at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, select

from tests.unit.store.helpers import PNID, T0, at, parsed, status, text_message
from wadesk.core.enums import MessageStatus, MessageType, ProcessingResult, SignatureVerdict
from wadesk.core.events import ConversationUpdated, MessageAdded, MessageUpdated
from wadesk.core.webhook import ParsedWebhook
from wadesk.engine.store import NumberRef, connect, insert_raw_event, repo
from wadesk.engine.store.apply import apply_many
from wadesk.engine.store.tables import pending_status_t, raw_event_t


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = connect(tmp_path / "wadesk.db")
    with eng.begin() as conn:
        repo.add_number(conn, "shop", "+15550001111", PNID, "WABA1")
    yield eng
    eng.dispose()


def _refs(engine: Engine) -> dict[str, NumberRef]:
    with engine.begin() as conn:
        return repo.number_refs(conn)


def _apply(engine: Engine, *bodies: ParsedWebhook) -> tuple[list[int], list[object]]:
    """Apply the bodies as ONE batch, each with its own raw event; returns (raw ids, events)."""
    refs = _refs(engine)
    with engine.begin() as conn:
        ids = [
            insert_raw_event(
                conn,
                body=b"{}",
                received_at=T0,
                verdict=SignatureVerdict.VALID,
                result=ProcessingResult.PENDING,
            )
            for _ in bodies
        ]
        results, events = apply_many(conn, list(zip(ids, bodies, strict=True)), refs)
    assert [r for r, _ in results] == [ProcessingResult.APPLIED] * len(bodies)
    return ids, list(events)


def _outbound_sent(engine: Engine, wamid: str) -> int:
    refs = _refs(engine)
    with engine.begin() as conn:
        message, _, _ = repo.insert_outbound(
            conn,
            number_id=refs[PNID].id,
            to_wa_id="15551234567",
            type=MessageType.TEXT,
            text="hi",
            payload={"text": {"body": "hi"}},
            origin="user",
        )
        repo.set_sent(conn, message.id, wamid, at(1))
    return message.id


def _pending(conn: Connection) -> list[tuple[str, str, str]]:
    rows = conn.execute(
        select(
            pending_status_t.c.wamid, pending_status_t.c.status, pending_status_t.c.payload_json
        ).order_by(pending_status_t.c.id)
    ).all()
    return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]


def test_unknown_wamid_statuses_of_a_batch_are_kept_first_one_wins(engine: Engine) -> None:
    first = status("wamid.X", MessageStatus.DELIVERED, ts=at(3))
    again = status("wamid.X", MessageStatus.DELIVERED, ts=at(9))  # redelivery, later time
    read = status("wamid.X", MessageStatus.READ, ts=at(4))
    other = status("wamid.Y", MessageStatus.SENT, ts=at(2))
    _, events = _apply(engine, parsed(first), parsed(again, read), parsed(other))
    assert events == []
    with engine.begin() as conn:
        pending = _pending(conn)
        times = conn.exec_driver_sql(
            "SELECT timestamp FROM pending_status WHERE wamid='wamid.X' AND status='delivered'"
        ).scalar()
    assert [(w, s) for w, s, _ in pending] == [
        ("wamid.X", "delivered"),
        ("wamid.X", "read"),
        ("wamid.Y", "sent"),
    ]
    assert str(times).startswith("2026-03-01 12:00:03")  # the first delivery, not the repeat
    # a later batch with the same (wamid, status) changes nothing
    _apply(engine, parsed(status("wamid.Y", MessageStatus.SENT, ts=at(50))))
    with engine.begin() as conn:
        assert len(_pending(conn)) == 3


def test_statuses_of_one_message_in_one_batch_move_forward_only(engine: Engine) -> None:
    message_id = _outbound_sent(engine, "wamid.OUT")
    _, events = _apply(
        engine,
        parsed(status("wamid.OUT", MessageStatus.DELIVERED, ts=at(5))),
        parsed(
            status("wamid.OUT", MessageStatus.READ, ts=at(9)),
            status("wamid.OUT", MessageStatus.DELIVERED, ts=at(6)),  # late, ignored
        ),
        parsed(status("wamid.OUT", MessageStatus.SENT, ts=at(2))),  # late, ignored
    )
    updates = [e.message.status for e in events if isinstance(e, MessageUpdated)]
    assert updates == [MessageStatus.DELIVERED, MessageStatus.READ]
    with engine.begin() as conn:
        row = conn.exec_driver_sql(
            "SELECT status, delivered_at, read_at FROM message WHERE id = ?", (message_id,)
        ).one()
        assert _pending(conn) == []
    assert row[0] == "read"
    assert str(row[1]).startswith("2026-03-01 12:00:05")
    assert str(row[2]).startswith("2026-03-01 12:00:09")


def test_messages_of_a_batch_are_inserted_together_events_in_body_order(
    engine: Engine,
) -> None:
    _outbound_sent(engine, "wamid.OUT")
    ids, events = _apply(
        engine,
        parsed(text_message("wamid.A", text="one", ts=at(10))),
        parsed(status("wamid.OUT", MessageStatus.DELIVERED, ts=at(11))),
        parsed(
            text_message("wamid.B", text="two", ts=at(12)),
            text_message("wamid.C", text="three", wa_id="15559990000", name="Bo", ts=at(13)),
        ),
        parsed(text_message("wamid.A", text="one", ts=at(10))),  # redelivered: stored once
    )
    kinds = [
        (type(e).__name__, getattr(getattr(e, "message", None), "wamid", None))
        for e in events
        if not isinstance(e, ConversationUpdated)
    ]
    assert kinds == [
        ("MessageAdded", "wamid.A"),
        ("MessageUpdated", "wamid.OUT"),
        ("MessageAdded", "wamid.B"),
        ("MessageAdded", "wamid.C"),
    ]
    added = [e for e in events if isinstance(e, MessageAdded)]
    assert len({e.message.id for e in added}) == 3
    with engine.begin() as conn:
        stored = conn.exec_driver_sql(
            "SELECT wamid, text, raw_event_id FROM message WHERE direction='inbound' ORDER BY id"
        ).all()
        results = conn.execute(select(raw_event_t.c.result).order_by(raw_event_t.c.id)).all()
    assert [(r[0], r[1], r[2]) for r in stored] == [
        ("wamid.A", "one", ids[0]),
        ("wamid.B", "two", ids[2]),
        ("wamid.C", "three", ids[2]),
    ]
    assert [r[0] for r in results] == ["applied"] * 4
    # each conversation is updated once, with both unread messages counted (the outbound "hi"
    # was sent later than the inbound timestamps, so it stays the preview of the first)
    convs = [e.conversation for e in events if isinstance(e, ConversationUpdated)]
    assert sorted((c.unread_count, c.last_message_preview) for c in convs) == [
        (1, "three"),
        (2, "hi"),
    ]
