"""Applying parsed webhooks to the store: pure functions on a SQLAlchemy `Connection`, meant
to run inside `Store.write` (one call = one SAVEPOINT of a group-committed batch).

Rules (see cloud-api.md 2.5 and 3.2): delivery is at-least-once and unordered, so inbound
messages are deduplicated by wamid, statuses only move forward (`status_advances`), statuses
for wamids not known yet wait in `pending_status` (applied by `repo.set_sent`), and items for
a phone_number_id that is not configured are not applied (the raw event is flagged).
Per-call caches, no ORM objects; the hot statements (message insert, conversation and raw
event updates) are driver SQL, one statement per batch over a JSON array (`rows.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from wadesk.core.enums import ProcessingResult
from wadesk.core.events import EngineEvent
from wadesk.core.webhook import FieldEvent, InboundMessage, ParsedWebhook, StatusUpdate
from wadesk.engine.store.applier import (
    SYSTEM_ERRORS_FIELD,
    Applier,
    ApplyOutcome,
    NumberRef,
)
from wadesk.engine.store.apply_state import preview_text
from wadesk.engine.store.columns import to_utc, utc_text
from wadesk.engine.store.raw_events import (
    UPDATE_RAW_EVENTS_SQL,
    clip_detail,
    insert_raw_event,
    set_raw_event_result,
    unprocessed_raw_events,
)
from wadesk.engine.store.rows import driver, json_rows
from wadesk.engine.store.statuses import apply_status_to_row

__all__ = [
    "SYSTEM_ERRORS_FIELD",
    "ApplyOutcome",
    "NumberRef",
    "apply_many",
    "apply_parsed",
    "apply_status_to_row",
    "insert_raw_event",
    "preview_text",
    "set_raw_event_result",
    "unprocessed_raw_events",
]


def apply_parsed(
    conn: Connection,
    raw_event_id: int | None,
    parsed: ParsedWebhook,
    numbers: Mapping[str, NumberRef],
    *,
    now: datetime | None = None,
) -> ApplyOutcome:
    """Apply every item of `parsed` (numbers keyed by phone_number_id); returns the result,
    a detail text summarising problems, and the events to publish after commit.

    When `raw_event_id` is given, that raw event is updated too (result, detail, processed_at,
    field summary, phone_number_ids).
    """
    results, events = apply_many(conn, [(raw_event_id, parsed)], numbers, now=now)
    result, detail = results[0]
    return ApplyOutcome(result, detail, events)


_TOUCH_NUMBERS_SQL = (
    "UPDATE number SET last_webhook_at = ? WHERE id IN (SELECT value FROM json_each(?))"
)


def apply_many(
    conn: Connection,
    batch: Sequence[tuple[int | None, ParsedWebhook]],
    numbers: Mapping[str, NumberRef],
    *,
    now: datetime | None = None,
) -> tuple[list[tuple[ProcessingResult, str | None]], list[EngineEvent]]:
    """Apply several webhook bodies at once, in order: contacts, conversations and known
    wamids are fetched once for the whole batch, conversations and raw events are updated
    with one statement each. Returns each body's (result, detail) and all events in order.
    """
    applier = Applier(conn, None, to_utc(now or datetime.now(UTC)))
    inbound = [
        item
        for _, parsed in batch
        for item in parsed.items
        if isinstance(item, InboundMessage) and (item.phone_number_id or "") in numbers
    ]
    applier.prefetch(inbound, {numbers[item.phone_number_id or ""].id for item in inbound})
    applier.prefetch_statuses(
        [
            item
            for _, parsed in batch
            for item in parsed.items
            if isinstance(item, StatusUpdate) and (item.phone_number_id or "") in numbers
        ]
    )
    results: list[tuple[ProcessingResult, str | None]] = []
    raw_updates: list[tuple[Any, ...]] = []
    for raw_event_id, parsed in batch:
        applier.raw_event_id = raw_event_id
        applier.unknown_numbers = []
        applier.problems = []
        fields = _apply_items(applier, parsed, numbers)
        notes = list(parsed.problems) + applier.problems
        result = ProcessingResult.APPLIED
        if applier.unknown_numbers:
            result = ProcessingResult.UNKNOWN_NUMBER
            notes.insert(0, "unknown phone_number_id " + ", ".join(applier.unknown_numbers))
        detail = clip_detail("; ".join(notes)) if notes else None
        results.append((result, detail))
        if raw_event_id is not None:
            raw_updates.append(
                (
                    result.value,
                    detail,
                    utc_text(applier.now),
                    ",".join(sorted(parsed.phone_number_ids)) or None,
                    ",".join(fields) or None,
                    raw_event_id,
                )
            )
    applier.flush_messages()  # one multi-row INSERT for the new messages of the whole batch
    applier.flush_conversations()
    applier.flush_pending_statuses()
    if applier.touched_numbers:
        driver(conn).execute(
            _TOUCH_NUMBERS_SQL,
            (utc_text(applier.now), json_rows(sorted(applier.touched_numbers))),
        )
    if raw_updates:
        driver(conn).execute(UPDATE_RAW_EVENTS_SQL, (json_rows(raw_updates),))
    return results, applier.events


def _apply_items(
    applier: Applier, parsed: ParsedWebhook, numbers: Mapping[str, NumberRef]
) -> list[str]:
    """Apply one body's items in order; returns the fields it carried."""
    fields: list[str] = []
    for item in parsed.items:
        field_name = item.field if isinstance(item, FieldEvent) else "messages"
        if field_name not in fields:
            fields.append(field_name)
        if not isinstance(item, InboundMessage | StatusUpdate):
            applier.flush_messages()  # keep events in body order (statuses flush as needed)
        if isinstance(item, FieldEvent):
            applier.field_event(item.waba_id, item)
            continue
        number = numbers.get(item.phone_number_id or "")
        if number is None:
            pid = item.phone_number_id or "(missing)"
            if pid not in applier.unknown_numbers:
                applier.unknown_numbers.append(pid)
            continue
        applier.touched_numbers.add(number.id)
        if isinstance(item, InboundMessage):
            applier.inbound(item, number)
        elif isinstance(item, StatusUpdate):
            applier.status(item)
        else:
            applier.system_errors(item)
    return fields
