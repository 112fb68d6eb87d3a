"""Moving an outbound message's delivery status forward (shared by webhook apply and the
outbox's `set_sent`, which replays statuses that arrived before the wamid was known)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, update

from wadesk.core.enums import MessageStatus, status_advances
from wadesk.core.models import Message
from wadesk.core.webhook import GraphErrorInfo
from wadesk.engine.store.columns import to_utc
from wadesk.engine.store.convert import Row, to_message
from wadesk.engine.store.tables import message_t

_STATUS_TIME_COLUMN: dict[MessageStatus, str] = {
    MessageStatus.SENT: "sent_at",
    MessageStatus.DELIVERED: "delivered_at",
    MessageStatus.READ: "read_at",
    MessageStatus.PLAYED: "read_at",
}


def apply_status_to_row(
    conn: Connection,
    row: Row,
    status: MessageStatus,
    at: datetime,
    error: GraphErrorInfo | None,
    now: datetime,
) -> Message | None:
    """Move the message `row` to `status` if that is forward; returns the updated message.

    Sets the matching `*_at` time (first one wins) and, on `failed`, the first error.
    """
    current = MessageStatus(row["status"])
    if not status_advances(current, status):
        return None
    values: dict[str, Any] = {"status": status.value, "updated_at": now}
    column = _STATUS_TIME_COLUMN.get(status)
    if column is not None and row[column] is None:
        values[column] = to_utc(at)
    if status is MessageStatus.FAILED and error is not None and row["error_code"] is None:
        values["error_code"] = error.code
        values["error_title"] = error.title
        values["error_details"] = error.details or error.message
    conn.execute(update(message_t).where(message_t.c.id == row["id"]).values(**values))
    merged = dict(row)
    merged.update(values)
    return to_message(merged)
