"""The outbox's store functions: sync functions on a SQLAlchemy `Connection`, run through
`Store.read` / `Store.write` (see `wadesk.engine.outbox` for the life of an outbound row).

They complement `repo.insert_outbound` / `repo.set_sent` / `repo.queued_messages` with what only
the outbox needs: the in-flight marker, outcomes with local error codes, the recovery of rows a
crash left in flight, and the routes of queued rows in one query.

Local (non-Graph) errors are stored with `error_code = NULL` and `error_title` = the local
catalogue code (e.g. `TIMEOUT_AFTER_SEND`), so `wadesk.core.errors.explain_code(title)` renders
them; Graph errors keep their numeric `error_code`.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, or_, select, update

from wadesk.core.enums import Direction, MessageStatus
from wadesk.core.errors import TIMEOUT_AFTER_SEND
from wadesk.core.events import EngineEvent, MessageUpdated
from wadesk.core.models import Contact, Conversation, Number
from wadesk.engine.store import repo
from wadesk.engine.store.convert import to_contact, to_conversation, to_message, to_number
from wadesk.engine.store.tables import contact_t, conversation_t, message_t, number_t

CRASHED_WHILE_SENDING = "wadesk stopped while this message was being sent"
IN_FLIGHT = "wadesk:in-flight"


@dataclass(frozen=True, slots=True)
class Route:
    """Where a queued message goes: its number and its recipient (wa_id or BSUID)."""

    message_id: int
    number_id: int
    recipient: str


@dataclass(frozen=True, slots=True)
class LaneInfo:
    """A number as the outbox needs it, with the throughput from its settings_json (if any)."""

    number: Number
    throughput_per_second: float | None


def _now() -> datetime:
    return datetime.now(UTC)


def _message_updated(conn: Connection, message_id: int) -> list[EngineEvent]:
    row = conn.execute(select(message_t).where(message_t.c.id == message_id)).mappings().one()
    return [MessageUpdated(to_message(row))]


def _unclaimed() -> Any:
    return or_(message_t.c.error_details.is_(None), message_t.c.error_details != IN_FLIGHT)


def mark_in_flight(conn: Connection, message_id: int) -> bool:
    """Claim a QUEUED row for sending, right before the HTTP call (the status stays QUEUED;
    the marker is `error_details = IN_FLIGHT`, a column the UI never shows). False if the row
    is not queued any more or already claimed: one UPDATE … WHERE, so of two processes sharing
    the database exactly one gets it. If wadesk dies during the call, `recover_in_flight` turns
    the row UNKNOWN at the next start instead of sending it again (Graph has no idempotency
    key)."""
    cursor = conn.execute(
        update(message_t)
        .where(
            message_t.c.id == message_id,
            message_t.c.status == MessageStatus.QUEUED.value,
            _unclaimed(),
        )
        .values(error_code=None, error_title=None, error_details=IN_FLIGHT)
    )
    return bool(cursor.rowcount)


def back_to_queued(conn: Connection, message_id: int) -> None:
    """The request certainly did not reach Meta (or Meta asked to retry later): just queued."""
    conn.execute(
        update(message_t)
        .where(message_t.c.id == message_id, message_t.c.status == MessageStatus.QUEUED.value)
        .values(error_details=None)
    )


def record_sent(conn: Connection, message_id: int, wamid: str, at: datetime) -> list[EngineEvent]:
    """Meta accepted the message: drop the marker, then `repo.set_sent` (wamid, early
    statuses)."""
    conn.execute(
        update(message_t)
        .where(message_t.c.id == message_id)
        .values(error_code=None, error_title=None, error_details=None)
    )
    return repo.set_sent(conn, message_id, wamid, at)


def record_outcome(
    conn: Connection,
    message_id: int,
    status: MessageStatus,
    *,
    error_code: int | None,
    error_title: str | None,
    error_details: str | None,
) -> list[EngineEvent]:
    """FAILED or UNKNOWN with the error to explain (only from QUEUED/UNKNOWN: a status webhook
    that already moved the row on wins)."""
    cursor = conn.execute(
        update(message_t)
        .where(
            message_t.c.id == message_id,
            message_t.c.status.in_([MessageStatus.QUEUED.value, MessageStatus.UNKNOWN.value]),
        )
        .values(
            status=status.value,
            error_code=error_code,
            error_title=error_title,
            error_details=error_details[:1000] if error_details else None,
            updated_at=_now(),
        )
    )
    return _message_updated(conn, message_id) if cursor.rowcount else []


def requeue(conn: Connection, message_id: int) -> list[EngineEvent]:
    """FAILED/UNKNOWN (without a wamid) → QUEUED for a user's retry; errors cleared."""
    cursor = conn.execute(
        update(message_t)
        .where(
            message_t.c.id == message_id,
            message_t.c.wamid.is_(None),
            message_t.c.direction == Direction.OUTBOUND.value,
            message_t.c.status.in_([MessageStatus.FAILED.value, MessageStatus.UNKNOWN.value]),
        )
        .values(
            status=MessageStatus.QUEUED.value,
            error_code=None,
            error_title=None,
            error_details=None,
            updated_at=_now(),
        )
    )
    return _message_updated(conn, message_id) if cursor.rowcount else []


def recover_in_flight(conn: Connection) -> list[int]:
    """Rows a crash left in flight (QUEUED with the marker) become UNKNOWN with the
    TIMEOUT_AFTER_SEND explanation, so the user decides; returns their ids."""
    ids = [
        int(row[0])
        for row in conn.execute(  # cheap: ix_message_status finds the few queued rows
            select(message_t.c.id).where(
                message_t.c.status == MessageStatus.QUEUED.value,
                message_t.c.direction == Direction.OUTBOUND.value,
                message_t.c.error_details == IN_FLIGHT,
            )
        )
    ]
    if ids:
        conn.execute(
            update(message_t)
            .where(message_t.c.id.in_(ids))
            .values(
                status=MessageStatus.UNKNOWN.value,
                error_title=TIMEOUT_AFTER_SEND,
                error_details=CRASHED_WHILE_SENDING,
                updated_at=_now(),
            )
        )
    return ids


def queued_routes(conn: Connection, known: Collection[int] = ()) -> list[Route]:
    """Every queued outbound row not claimed by a sender and not in `known`, with its number
    and recipient, oldest first. One indexed lookup (status) when nothing is queued."""
    ids = [
        int(row[0])
        for row in conn.execute(  # cheap: ix_message_status finds the few queued rows
            select(message_t.c.id).where(
                message_t.c.status == MessageStatus.QUEUED.value,
                message_t.c.direction == Direction.OUTBOUND.value,
                _unclaimed(),
            )
        )
        if int(row[0]) not in known
    ]
    if not ids:
        return []
    query = (
        select(
            message_t.c.id,
            conversation_t.c.number_id,
            contact_t.c.wa_id,
            contact_t.c.user_id,
        )
        .join(conversation_t, conversation_t.c.id == message_t.c.conversation_id)
        .join(contact_t, contact_t.c.id == conversation_t.c.contact_id)
        .where(
            message_t.c.id >= min(ids),
            message_t.c.status == MessageStatus.QUEUED.value,
            message_t.c.direction == Direction.OUTBOUND.value,
            _unclaimed(),
        )
        .order_by(message_t.c.id)
    )
    return [
        Route(int(mid), int(number_id), str(wa_id or user_id or ""))
        for mid, number_id, wa_id, user_id in conn.execute(query)
        if int(mid) not in known
    ]


def lane_info(conn: Connection, number_id: int) -> LaneInfo:
    row = conn.execute(select(number_t).where(number_t.c.id == number_id)).mappings().one()
    number = to_number(row)
    rate: float | None = None
    try:
        settings: Any = json.loads(row["settings_json"] or "{}")
    except ValueError:
        settings = {}
    if isinstance(settings, dict):
        value = settings.get("throughput_per_second")
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            rate = float(value)
    return LaneInfo(number, rate)


def find_conversation(
    conn: Connection, number_id: int, recipient: str
) -> tuple[Conversation, Contact] | None:
    """The conversation of a number with a contact given by wa_id (digits) or BSUID."""
    column = contact_t.c.user_id if "." in recipient else contact_t.c.wa_id
    row = (
        conn.execute(
            select(conversation_t.c.id, conversation_t.c.contact_id)
            .join(contact_t, contact_t.c.id == conversation_t.c.contact_id)
            .where(conversation_t.c.number_id == number_id, column == recipient)
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return conversation_with_contact(conn, int(row["id"]))


def conversation_with_contact(
    conn: Connection, conversation_id: int
) -> tuple[Conversation, Contact] | None:
    conv = (
        conn.execute(select(conversation_t).where(conversation_t.c.id == conversation_id))
        .mappings()
        .first()
    )
    if conv is None:
        return None
    contact = (
        conn.execute(select(contact_t).where(contact_t.c.id == conv["contact_id"])).mappings().one()
    )
    return to_conversation(conv), to_contact(contact)


def latest_inbound_wamid(conn: Connection, conversation_id: int) -> str | None:
    row = conn.execute(
        select(message_t.c.wamid)
        .where(
            message_t.c.conversation_id == conversation_id,
            message_t.c.direction == Direction.INBOUND.value,
            message_t.c.wamid.is_not(None),
        )
        .order_by(message_t.c.timestamp.desc(), message_t.c.id.desc())
        .limit(1)
    ).first()
    return str(row[0]) if row is not None else None


def preview_of(body: Mapping[str, Any], kind: str) -> str | None:
    """The text stored with an outbound message (shown in the inbox)."""
    obj = body.get(kind)
    if not isinstance(obj, Mapping):
        return None
    if kind == "text":
        return _str(obj.get("body"))
    if kind in ("image", "video", "document"):
        return _str(obj.get("caption")) or _str(obj.get("filename"))
    if kind == "interactive":
        inner = obj.get("body")
        return _str(inner.get("text")) if isinstance(inner, Mapping) else None
    if kind == "template":
        return _str(obj.get("name"))
    if kind == "reaction":
        return _str(obj.get("emoji"))
    if kind == "location":
        return _str(obj.get("name")) or _str(obj.get("address"))
    return None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
