"""The outbox's store functions: sync functions on a SQLAlchemy `Connection`, run through
`Store.read` / `Store.write` (see `wadesk.engine.outbox` for the life of an outbound row).

They complement `repo.insert_outbound` / `repo.set_sent` / `repo.queued_messages` with what only
the outbox needs: queueing a message in one writer round trip (`store_new`: conversation, body,
24-hour window check, insert), claiming a row atomically with what its Graph call needs
(`claim`, the in-flight marker), outcomes with local error codes, the recovery of rows a crash
left in flight, and the routes of queued rows (`queued_routes`, also what the watcher polls).

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

from sqlalchemy import Connection, bindparam, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from wadesk.core.enums import Direction, MessageStatus, MessageType
from wadesk.core.errors import TIMEOUT_AFTER_SEND, WINDOW_CLOSED, LocalError
from wadesk.core.events import EngineEvent, MessageUpdated
from wadesk.core.models import Contact, Conversation, Message, Number
from wadesk.core.outgoing import recipient_fields
from wadesk.core.window import window_open
from wadesk.engine.outbox_lanes import OutboxError
from wadesk.engine.store import repo
from wadesk.engine.store.apply_state import preview_text
from wadesk.engine.store.columns import MessageOrigin, UtcDateTime, dumps_json, loads_json
from wadesk.engine.store.convert import to_contact, to_conversation, to_message, to_number
from wadesk.engine.store.errors import StoreError
from wadesk.engine.store.tables import (
    contact_t,
    conversation_t,
    message_t,
    number_t,
    pending_status_t,
)

CRASHED_WHILE_SENDING = "wadesk stopped while this message was being sent"
IN_FLIGHT = "wadesk:in-flight"

# The per-message statements are built once (module-level constants, not state): SQLAlchemy then
# skips building the expression and its cache key on every call, most of a statement's CPU.
_UNCLAIMED = or_(message_t.c.error_details.is_(None), message_t.c.error_details != IN_FLIGHT)
_CLAIM = (
    update(message_t)
    .where(
        message_t.c.id == bindparam("mid"),
        message_t.c.status == MessageStatus.QUEUED.value,
        _UNCLAIMED,
    )
    .values(error_code=None, error_title=None, error_details=IN_FLIGHT)
)
_CLAIMED_ROUTE = (
    select(message_t.c.payload_json, number_t.c.phone_number_id, number_t.c.waba_id)
    .select_from(
        message_t.join(conversation_t, conversation_t.c.id == message_t.c.conversation_id).join(
            number_t, number_t.c.id == conversation_t.c.number_id
        )
    )
    .where(message_t.c.id == bindparam("mid"))
)
_SENT = (
    update(message_t)
    .where(
        message_t.c.id == bindparam("mid"),
        message_t.c.status == MessageStatus.QUEUED.value,
        message_t.c.wamid.is_(None),
    )
    .values(
        wamid=bindparam("wamid"),
        status=MessageStatus.SENT.value,
        sent_at=func.coalesce(message_t.c.sent_at, bindparam("at", type_=UtcDateTime())),
        updated_at=bindparam("now", type_=UtcDateTime()),
        error_code=None,
        error_title=None,
        error_details=None,
    )
)
_PENDING_FOR = select(pending_status_t.c.id).where(pending_status_t.c.wamid == bindparam("wamid"))
_MESSAGE = select(message_t).where(message_t.c.id == bindparam("mid"))
_CONVERSATION_BY_WA_ID = (
    select(conversation_t)
    .join(contact_t, contact_t.c.id == conversation_t.c.contact_id)
    .where(conversation_t.c.number_id == bindparam("nid"), contact_t.c.wa_id == bindparam("who"))
)
_CONVERSATION_BY_USER_ID = (
    select(conversation_t)
    .join(contact_t, contact_t.c.id == conversation_t.c.contact_id)
    .where(conversation_t.c.number_id == bindparam("nid"), contact_t.c.user_id == bindparam("who"))
)
_CONVERSATION = select(conversation_t).where(conversation_t.c.id == bindparam("cid"))
_TOUCH_CONVERSATION = (
    update(conversation_t)
    .where(
        conversation_t.c.id == bindparam("cid"),
        or_(
            conversation_t.c.last_message_at.is_(None),
            conversation_t.c.last_message_at <= bindparam("at", type_=UtcDateTime()),
        ),
    )
    .values(last_message_at=bindparam("at"), last_message_preview=bindparam("preview"))
)
_INSERT_OUTBOUND = insert(message_t).values(
    conversation_id=bindparam("cid"),
    wamid=None,
    direction=Direction.OUTBOUND.value,
    type=bindparam("type"),
    status=MessageStatus.QUEUED.value,
    text=bindparam("text"),
    payload_json=bindparam("payload"),
    reply_to=bindparam("reply_to"),
    timestamp=bindparam("at"),
    created_at=bindparam("at"),
    updated_at=bindparam("at"),
    origin=bindparam("origin"),
)
_CONTACT = select(contact_t).where(contact_t.c.id == bindparam("cid"))


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
    row = conn.execute(_MESSAGE, {"mid": message_id}).mappings().one()
    return [MessageUpdated(to_message(row))]


def mark_in_flight(conn: Connection, message_id: int) -> bool:
    """Claim a QUEUED row for sending, right before the HTTP call (the status stays QUEUED;
    the marker is `error_details = IN_FLIGHT`, a column the UI never shows). False if the row
    is not queued any more or already claimed: one UPDATE … WHERE, so of two processes sharing
    the database exactly one gets it. If wadesk dies during the call, `recover_in_flight` turns
    the row UNKNOWN at the next start instead of sending it again (Graph has no idempotency
    key)."""
    return bool(conn.execute(_CLAIM, {"mid": message_id}).rowcount)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row claimed for sending: its body and the number it goes out from."""

    payload: dict[str, Any]
    phone_number_id: str
    waba_id: str | None


def claim(conn: Connection, message_id: int) -> Claimed | None:
    """`mark_in_flight` and, when it got the row, what the Graph call needs — one writer
    round trip per attempt instead of a read and a write."""
    if not mark_in_flight(conn, message_id):
        return None
    row = conn.execute(_CLAIMED_ROUTE, {"mid": message_id}).one()
    return Claimed(loads_json(row[0]), str(row[1]), row[2])


def back_to_queued(conn: Connection, message_id: int) -> None:
    """The request certainly did not reach Meta (or Meta asked to retry later): just queued."""
    conn.execute(
        update(message_t)
        .where(message_t.c.id == message_id, message_t.c.status == MessageStatus.QUEUED.value)
        .values(error_details=None)
    )


def record_sent(conn: Connection, message_id: int, wamid: str, at: datetime) -> list[EngineEvent]:
    """Meta accepted the message: drop the marker, store the wamid and SENT. The usual case (a
    queued row, no status arrived before its wamid) is one UPDATE and two SELECTs; otherwise
    `repo.set_sent` (early statuses applied in order; a wamid that belongs to another message
    raises DuplicateWamidError)."""
    try:
        done = conn.execute(
            _SENT, {"mid": message_id, "wamid": wamid, "at": at, "now": _now()}
        ).rowcount
    except IntegrityError:  # the wamid is another message's: let set_sent say so
        done = 0
    if done:
        if conn.execute(_PENDING_FOR, {"wamid": wamid}).first() is None:
            return _message_updated(conn, message_id)
        return repo.set_sent(conn, message_id, wamid, at)
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
                _UNCLAIMED,
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
            _UNCLAIMED,
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
    query = _CONVERSATION_BY_USER_ID if "." in recipient else _CONVERSATION_BY_WA_ID
    conv = conn.execute(query, {"nid": number_id, "who": recipient}).mappings().first()
    if conv is None:
        return None
    contact = conn.execute(_CONTACT, {"cid": conv["contact_id"]}).mappings().one()
    return to_conversation(conv), to_contact(contact)


def conversation_with_contact(
    conn: Connection, conversation_id: int
) -> tuple[Conversation, Contact] | None:
    conv = conn.execute(_CONVERSATION, {"cid": conversation_id}).mappings().first()
    if conv is None:
        return None
    contact = conn.execute(_CONTACT, {"cid": conv["contact_id"]}).mappings().one()
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


def store_new(
    conn: Connection,
    *,
    conversation_id: int | None,
    body: Mapping[str, Any],
    number_id: int | None,
    to: str | None,
    text: str | None,
    type: MessageType | str | None,
    origin: MessageOrigin | str,
    reply_to: str | None,
) -> tuple[Message, Conversation, Contact, str]:
    """On the writer: find the conversation, build the body for its recipient, check the
    24-hour window (LocalError, nothing stored) and store the QUEUED row — one round trip."""
    conversation: Conversation | None = None
    contact: Contact | None = None
    if conversation_id is not None:
        found = conversation_with_contact(conn, conversation_id)
        if found is None:
            raise OutboxError(f"No conversation with id {conversation_id}.")
        conversation, contact = found
        number_id = conversation.number_id
        recipient = contact.wa_id or contact.user_id or ""
    else:
        if number_id is None or not to:
            raise OutboxError("Give a conversation, or a number and a recipient.")
        recipient = "".join(to.split()).lstrip("+")
        found = find_conversation(conn, number_id, recipient)
        if found is not None:
            conversation, contact = found
    message_body = dict(body)
    message_body.pop("to", None)
    message_body.pop("recipient", None)
    message_body.update(recipient_fields(recipient))
    kind = str(type or message_body.get("type") or "")
    try:
        message_type = MessageType(kind)
    except ValueError:
        raise OutboxError(f"Unknown message type {kind!r}.") from None
    message_body.setdefault("type", message_type.value)
    if reply_to is not None:
        message_body["context"] = {"message_id": reply_to}
    elif isinstance(message_body.get("context"), Mapping):
        reply_to = _str(message_body["context"].get("message_id"))
    if message_type is not MessageType.TEMPLATE:
        last = conversation.last_inbound_at if conversation is not None else None
        if not window_open(last):
            raise LocalError(WINDOW_CLOSED, f"to {recipient}")
    shown = text if text is not None else preview_of(message_body, message_type.value)
    if conversation is not None and contact is not None:
        message, conv = _insert_in_conversation(
            conn, conversation.id, message_type, origin, shown, message_body, reply_to
        )
        return message, conv, contact, recipient
    message, conv, who = repo.insert_outbound(
        conn,
        number_id=number_id,
        type=message_type,
        origin=origin,
        to_wa_id=None if contact is not None else recipient,
        contact_id=contact.id if contact is not None else None,
        text=shown,
        payload=message_body,
        reply_to=reply_to,
    )
    return message, conv, who, recipient


def _insert_in_conversation(
    conn: Connection,
    conversation_id: int,
    message_type: MessageType,
    origin: MessageOrigin | str,
    text: str | None,
    payload: Mapping[str, Any],
    reply_to: str | None,
) -> tuple[Message, Conversation]:
    """`repo.insert_outbound` for a conversation that exists, with prebuilt statements (four
    instead of seven built per call): the conversation's last message moves on, the QUEUED row
    is inserted, both are read back for the events."""
    at = _now()
    conn.execute(
        _TOUCH_CONVERSATION,
        {"cid": conversation_id, "at": at, "preview": preview_text(text, message_type)},
    )
    cursor = conn.execute(
        _INSERT_OUTBOUND,
        {
            "cid": conversation_id,
            "type": message_type.value,
            "text": text,
            "payload": dumps_json(payload),
            "reply_to": reply_to,
            "at": at,
            "origin": _origin(origin),
        },
    )
    row = conn.execute(_MESSAGE, {"mid": int(cursor.lastrowid)}).mappings().one()
    conv = conn.execute(_CONVERSATION, {"cid": conversation_id}).mappings().one()
    return to_message(row), to_conversation(conv)


def _origin(origin: MessageOrigin | str) -> str:
    try:
        return MessageOrigin(origin).value
    except ValueError:
        raise StoreError(f"unknown message origin {origin!r}") from None
