"""Raw webhook events: the exact bytes of every POST, its signature verdict and what became of
it. Sync functions on a SQLAlchemy `Connection` (re-exported by `apply.py`)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from sqlalchemy import Connection, select, update

from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.engine.store.columns import utc_text
from wadesk.engine.store.tables import raw_event_t

DETAIL_LENGTH = 2000


INSERT_RAW_EVENT_SQL = (
    "INSERT INTO raw_event (received_at, body, signature_verdict, result, detail, field, "
    "phone_number_ids) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
"""Driver SQL of `insert_raw_event`, for `Store.insert_row` with `raw_event_params`."""


def raw_event_params(
    *,
    body: bytes,
    received_at: datetime,
    verdict: SignatureVerdict,
    result: ProcessingResult,
    detail: str | None = None,
    field: str | None = None,
    phone_number_ids: str | None = None,
) -> tuple[str, bytes, str, str, str | None, str | None, str | None]:
    """The parameters of INSERT_RAW_EVENT_SQL for one webhook POST."""
    # on the webhook's ack path: enum members as they are, no conversions
    return (
        utc_text(received_at),
        body,
        verdict.value,
        result.value,
        clip_detail(detail),
        field,
        phone_number_ids,
    )


def insert_raw_event(
    conn: Connection,
    *,
    body: bytes,
    received_at: datetime,
    verdict: SignatureVerdict,
    result: ProcessingResult,
    detail: str | None = None,
    field: str | None = None,
    phone_number_ids: str | None = None,
) -> int:
    """Store the exact bytes of a webhook POST; returns the raw event id.

    This is on the webhook's acknowledgement path, so it is one plain driver-level INSERT
    (no statement compilation); it cannot partly fail, so callers may run it without a
    savepoint.
    """
    cursor = conn.exec_driver_sql(
        INSERT_RAW_EVENT_SQL,
        raw_event_params(
            body=body,
            received_at=received_at,
            verdict=verdict,
            result=result,
            detail=detail,
            field=field,
            phone_number_ids=phone_number_ids,
        ),
    )
    return int(cursor.lastrowid)


def set_raw_event_result(
    conn: Connection, raw_event_id: int, result: ProcessingResult, detail: str | None
) -> None:
    """Record what became of a raw event (e.g. ERROR when the body did not parse)."""
    conn.execute(
        update(raw_event_t)
        .where(raw_event_t.c.id == raw_event_id)
        .values(
            result=ProcessingResult(result).value,
            detail=clip_detail(detail),
            processed_at=datetime.now(UTC),
        )
    )


def unprocessed_raw_events(
    conn: Connection, limit: int = 1000, after_id: int = 0
) -> list[tuple[int, bytes]]:
    """Raw events with a valid signature that were never processed, oldest first (only those
    with an id above `after_id`)."""
    rows = conn.execute(
        select(raw_event_t.c.id, raw_event_t.c.body)
        .where(
            raw_event_t.c.result == ProcessingResult.PENDING.value,
            raw_event_t.c.signature_verdict == SignatureVerdict.VALID.value,
            raw_event_t.c.id > after_id,
        )
        .order_by(raw_event_t.c.id)
        .limit(limit)
    )
    return [(int(row[0]), bytes(row[1])) for row in rows]


_PENDING_SQL = (
    "SELECT group_concat(id), CAST(group_concat(body, x'00') AS BLOB), count(*) FROM"
    " (SELECT id, body FROM raw_event WHERE result = ? AND signature_verdict = ? AND id > ?"
    " ORDER BY id LIMIT ?)"
)


def pending_raw_events(
    dbapi: sqlite3.Connection, limit: int, after_id: int = 0
) -> list[tuple[int, bytes]]:
    """`unprocessed_raw_events` for the apply worker, read in one step: the ids and the bodies
    come joined (by NUL, which a JSON text cannot hold), so the sqlite3 driver does not give
    up and re-take the GIL once per row. Falls back to one row per step when a body does
    hold a NUL byte (a UTF-16 body stored by an old version)."""
    ids_text, joined, count = dbapi.execute(
        _PENDING_SQL,
        (ProcessingResult.PENDING.value, SignatureVerdict.VALID.value, after_id, limit),
    ).fetchone()
    if not count:
        return []
    ids = [int(i) for i in str(ids_text).split(",")]
    bodies = bytes(joined).split(b"\x00")
    if len(bodies) != len(ids) or len(ids) != count:
        return [
            (int(row[0]), bytes(row[1]))
            for row in dbapi.execute(
                "SELECT id, body FROM raw_event WHERE result = ? AND signature_verdict = ?"
                " AND id > ? ORDER BY id LIMIT ?",
                (ProcessingResult.PENDING.value, SignatureVerdict.VALID.value, after_id, limit),
            )
        ]
    return sorted(zip(ids, bodies, strict=True))


UPDATE_RAW_EVENTS_SQL = (
    "UPDATE raw_event SET result = u.value ->> 0, detail = u.value ->> 1,"
    " processed_at = u.value ->> 2, phone_number_ids = u.value ->> 3,"
    " field = coalesce(u.value ->> 4, field) FROM json_each(?) AS u"
    " WHERE raw_event.id = u.value ->> 5"
)
"""Records the outcomes of applied events from a JSON array of [result, detail,
processed_at, phone_number_ids, field, id] arrays (`rows.json_rows`)."""


def clip_detail(text: str | None) -> str | None:
    if text is None or len(text) <= DETAIL_LENGTH:
        return text
    return text[: DETAIL_LENGTH - 1] + "…"


def load_raw_event(conn: Connection, raw_event_id: int) -> bytes | None:
    """The exact body of one raw event (None if there is no such event)."""
    row = conn.execute(select(raw_event_t.c.body).where(raw_event_t.c.id == raw_event_id)).first()
    return bytes(row[0]) if row is not None else None
