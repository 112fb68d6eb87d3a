"""Commands and queries the engine, the CLI and the UI need: sync functions on a SQLAlchemy
`Connection` (run them through `Store.write` / `Store.read`, or on a `connect()` engine).

Numbers, outbound messages (for the outbox), conversation commands, and the queries behind
the inbox, `/health` and `wadesk export`. Every function returns the plain dataclasses of
`wadesk.core.models` (or events of `wadesk.core.events`), never rows.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from wadesk.core.enums import (
    ConversationMode,
    ConversationState,
    Direction,
    MessageStatus,
    MessageType,
    ProcessingResult,
    status_advances,
)
from wadesk.core.events import EngineEvent, MessageUpdated
from wadesk.core.models import Contact, Conversation, Message, Number
from wadesk.core.webhook import GraphErrorInfo
from wadesk.engine.store.apply import NumberRef, apply_status_to_row, preview_text
from wadesk.engine.store.columns import MessageOrigin, dumps_json, to_utc
from wadesk.engine.store.convert import Row, to_contact, to_conversation, to_message, to_number
from wadesk.engine.store.errors import (
    DuplicateNumberError,
    DuplicateWamidError,
    NotFoundError,
    NumberHasHistoryError,
    StoreError,
)
from wadesk.engine.store.tables import (
    contact_t,
    conversation_t,
    message_t,
    number_t,
    pending_status_t,
    raw_event_t,
)


def _now(now: datetime | None) -> datetime:
    return to_utc(now) if now is not None else datetime.now(UTC)


# -- numbers ----------------------------------------------------------------------------------


def add_number(
    conn: Connection,
    label: str,
    phone: str,
    phone_number_id: str,
    waba_id: str,
    *,
    now: datetime | None = None,
) -> Number:
    """Configure a number; `DuplicateNumberError` if the label or phone_number_id is taken."""
    values = {
        "label": label.strip(),
        "phone": phone.strip(),
        "phone_number_id": phone_number_id.strip(),
        "waba_id": waba_id.strip(),
    }
    for name, value in values.items():
        if not value:
            raise StoreError(f"the number's {name} must not be empty")
    clash = (
        conn.execute(
            select(number_t.c.label, number_t.c.phone_number_id).where(
                (number_t.c.label == values["label"])
                | (number_t.c.phone_number_id == values["phone_number_id"])
            )
        )
        .mappings()
        .first()
    )
    if clash is not None:
        if clash["label"] == values["label"]:
            raise DuplicateNumberError(f"a number labelled {values['label']!r} already exists")
        raise DuplicateNumberError(
            f"phone_number_id {values['phone_number_id']} is already configured"
            f" as {clash['label']!r}"
        )
    cursor = conn.execute(insert(number_t).values(created_at=_now(now), active=True, **values))
    return get_number(conn, int(cursor.lastrowid))


def get_number(conn: Connection, number_id: int) -> Number:
    row = conn.execute(select(number_t).where(number_t.c.id == number_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no number with id {number_id}")
    return to_number(row)


def list_numbers(conn: Connection) -> list[Number]:
    rows = conn.execute(select(number_t).order_by(number_t.c.label)).mappings()
    return [to_number(row) for row in rows]


def get_number_by_label(conn: Connection, label: str) -> Number | None:
    row = conn.execute(select(number_t).where(number_t.c.label == label)).mappings().first()
    return to_number(row) if row is not None else None


def _number_by_label(conn: Connection, label: str) -> Number:
    number = get_number_by_label(conn, label)
    if number is None:
        raise NotFoundError(f"no number labelled {label!r}")
    return number


def set_number_active(conn: Connection, label: str, active: bool) -> Number:
    number = _number_by_label(conn, label)
    conn.execute(update(number_t).where(number_t.c.id == number.id).values(active=active))
    return get_number(conn, number.id)


def remove_number(conn: Connection, label: str, *, purge: bool = False) -> None:
    """Remove a number. With conversations left it refuses (`NumberHasHistoryError`) unless
    `purge=True`, which deletes its conversations and their messages too."""
    number = _number_by_label(conn, label)
    conv_ids = select(conversation_t.c.id).where(conversation_t.c.number_id == number.id)
    count = conn.execute(select(func.count()).select_from(conv_ids.subquery())).scalar_one()
    if count and not purge:
        raise NumberHasHistoryError(
            f"number {label!r} has {count} conversation(s); remove it with purge to delete"
            " them too, or deactivate it instead"
        )
    conn.execute(delete(message_t).where(message_t.c.conversation_id.in_(conv_ids)))
    conn.execute(delete(conversation_t).where(conversation_t.c.number_id == number.id))
    conn.execute(delete(number_t).where(number_t.c.id == number.id))


def number_refs(conn: Connection, *, active_only: bool = False) -> dict[str, NumberRef]:
    """Configured numbers keyed by phone_number_id, as `apply_parsed` wants them."""
    query = select(number_t.c.id, number_t.c.phone_number_id, number_t.c.waba_id)
    if active_only:
        query = query.where(number_t.c.active.is_(True))
    return {row[1]: NumberRef(int(row[0]), row[1], row[2]) for row in conn.execute(query)}


# -- contacts and conversations ---------------------------------------------------------------


def get_contact(conn: Connection, contact_id: int) -> Contact | None:
    row = conn.execute(select(contact_t).where(contact_t.c.id == contact_id)).mappings().first()
    return to_contact(row) if row is not None else None


def get_conversation(conn: Connection, conversation_id: int) -> Conversation | None:
    row = (
        conn.execute(select(conversation_t).where(conversation_t.c.id == conversation_id))
        .mappings()
        .first()
    )
    return to_conversation(row) if row is not None else None


def _require_conversation(conn: Connection, conversation_id: int) -> Conversation:
    conversation = get_conversation(conn, conversation_id)
    if conversation is None:
        raise NotFoundError(f"no conversation with id {conversation_id}")
    return conversation


def list_conversations(
    conn: Connection, number_id: int | None = None, limit: int = 100, offset: int = 0
) -> list[Conversation]:
    """Most recent activity first (conversations without messages last)."""
    query = select(conversation_t)
    if number_id is not None:
        query = query.where(conversation_t.c.number_id == number_id)
    query = (
        query.order_by(
            conversation_t.c.last_message_at.desc().nulls_last(), conversation_t.c.id.desc()
        )
        .limit(limit)
        .offset(offset)
    )
    return [to_conversation(row) for row in conn.execute(query).mappings()]


def _update_conversation(conn: Connection, conversation_id: int, **values: Any) -> Conversation:
    _require_conversation(conn, conversation_id)
    conn.execute(
        update(conversation_t).where(conversation_t.c.id == conversation_id).values(**values)
    )
    return _require_conversation(conn, conversation_id)


def mark_conversation_read(conn: Connection, conversation_id: int) -> Conversation:
    return _update_conversation(conn, conversation_id, unread_count=0)


def set_conversation_mode(
    conn: Connection, conversation_id: int, mode: ConversationMode
) -> Conversation:
    return _update_conversation(conn, conversation_id, mode=ConversationMode(mode).value)


def set_conversation_state(
    conn: Connection, conversation_id: int, state: ConversationState
) -> Conversation:
    return _update_conversation(conn, conversation_id, state=ConversationState(state).value)


# -- messages ---------------------------------------------------------------------------------


def get_message(conn: Connection, message_id: int) -> Message | None:
    row = conn.execute(select(message_t).where(message_t.c.id == message_id)).mappings().first()
    return to_message(row) if row is not None else None


def get_message_by_wamid(conn: Connection, wamid: str) -> Message | None:
    row = conn.execute(select(message_t).where(message_t.c.wamid == wamid)).mappings().first()
    return to_message(row) if row is not None else None


def list_messages(
    conn: Connection, conversation_id: int, before_id: int | None = None, limit: int = 50
) -> list[Message]:
    """The latest `limit` messages of a conversation (older than `before_id` when given),
    returned oldest first (page backwards by passing the first id as `before_id`)."""
    query = select(message_t).where(message_t.c.conversation_id == conversation_id)
    if before_id is not None:
        query = query.where(message_t.c.id < before_id)
    rows = conn.execute(query.order_by(message_t.c.id.desc()).limit(limit)).mappings().all()
    return [to_message(row) for row in reversed(rows)]


# -- outbound ---------------------------------------------------------------------------------


def _outbound_contact(
    conn: Connection, to_wa_id: str | None, contact_id: int | None, now: datetime
) -> Contact:
    if (to_wa_id is None) == (contact_id is None):
        raise StoreError("give exactly one of to_wa_id and contact_id")
    if contact_id is not None:
        contact = get_contact(conn, contact_id)
        if contact is None:
            raise NotFoundError(f"no contact with id {contact_id}")
        return contact
    assert to_wa_id is not None
    wa_id = to_wa_id.strip().lstrip("+")
    if not wa_id:
        raise StoreError("the recipient's wa_id must not be empty")
    row = conn.execute(select(contact_t).where(contact_t.c.wa_id == wa_id)).mappings().first()
    if row is not None:
        return to_contact(row)
    cursor = conn.execute(insert(contact_t).values(wa_id=wa_id, created_at=now, updated_at=now))
    return Contact(id=int(cursor.lastrowid), wa_id=wa_id)


def insert_outbound(
    conn: Connection,
    *,
    number_id: int,
    type: MessageType,
    origin: MessageOrigin | str,
    to_wa_id: str | None = None,
    contact_id: int | None = None,
    text: str | None = None,
    payload: Mapping[str, Any] | None = None,
    reply_to: str | None = None,
    now: datetime | None = None,
) -> tuple[Message, Conversation, Contact]:
    """Queue an outbound message (status QUEUED, no wamid yet), creating the contact and the
    conversation when needed; returns what a `MessageAdded` event needs."""
    at = _now(now)
    try:
        origin_value = MessageOrigin(origin).value
    except ValueError:
        raise StoreError(f"unknown message origin {origin!r}") from None
    get_number(conn, number_id)
    contact = _outbound_contact(conn, to_wa_id, contact_id, at)
    row = (
        conn.execute(
            select(conversation_t).where(
                conversation_t.c.number_id == number_id,
                conversation_t.c.contact_id == contact.id,
            )
        )
        .mappings()
        .first()
    )
    preview = preview_text(text, MessageType(type))
    if row is None:
        cursor = conn.execute(
            insert(conversation_t).values(
                number_id=number_id,
                contact_id=contact.id,
                last_message_at=at,
                last_message_preview=preview,
                created_at=at,
            )
        )
        conversation_id = int(cursor.lastrowid)
    else:
        conversation_id = int(row["id"])
        if row["last_message_at"] is None or at >= row["last_message_at"]:
            conn.execute(
                update(conversation_t)
                .where(conversation_t.c.id == conversation_id)
                .values(last_message_at=at, last_message_preview=preview)
            )
    cursor = conn.execute(
        insert(message_t).values(
            conversation_id=conversation_id,
            wamid=None,
            direction=Direction.OUTBOUND.value,
            type=MessageType(type).value,
            status=MessageStatus.QUEUED.value,
            text=text,
            payload_json=dumps_json(payload),
            reply_to=reply_to,
            timestamp=at,
            created_at=at,
            updated_at=at,
            origin=origin_value,
        )
    )
    message = get_message(conn, int(cursor.lastrowid))
    assert message is not None
    return message, _require_conversation(conn, conversation_id), contact


def _message_row(conn: Connection, message_id: int) -> Row:
    row = conn.execute(select(message_t).where(message_t.c.id == message_id)).mappings().first()
    if row is None:
        raise NotFoundError(f"no message with id {message_id}")
    return row


def set_sent(
    conn: Connection, message_id: int, wamid: str, at: datetime, *, now: datetime | None = None
) -> list[EngineEvent]:
    """The Graph API accepted the message: attach its wamid, move it to SENT, then apply any
    statuses that arrived before the wamid was known (in rank order) and drop them."""
    stamp = _now(now)
    row = _message_row(conn, message_id)
    if row["wamid"] is not None and row["wamid"] != wamid:
        raise DuplicateWamidError(f"message {message_id} already has another wamid")
    other = conn.execute(
        select(message_t.c.id).where(message_t.c.wamid == wamid, message_t.c.id != message_id)
    ).first()
    if other is not None:
        raise DuplicateWamidError(f"wamid {wamid} already belongs to message {other[0]}")
    values: dict[str, Any] = {"wamid": wamid, "updated_at": stamp}
    if status_advances(MessageStatus(row["status"]), MessageStatus.SENT):
        values["status"] = MessageStatus.SENT.value
        if row["sent_at"] is None:
            values["sent_at"] = to_utc(at)
    conn.execute(update(message_t).where(message_t.c.id == message_id).values(**values))
    pending = conn.execute(
        select(pending_status_t).where(pending_status_t.c.wamid == wamid)
    ).mappings()
    ordered = sorted(pending, key=lambda p: (MessageStatus(p["status"]).rank, p["timestamp"]))
    for item in ordered:
        error = None
        if item["error_code"] is not None or item["error_title"] is not None:
            error = GraphErrorInfo(
                item["error_code"], item["error_title"], details=item["error_details"]
            )
        current = _message_row(conn, message_id)
        apply_status_to_row(
            conn, current, MessageStatus(item["status"]), item["timestamp"], error, stamp
        )
    if ordered:
        conn.execute(delete(pending_status_t).where(pending_status_t.c.wamid == wamid))
    return [MessageUpdated(to_message(_message_row(conn, message_id)))]


def set_status(
    conn: Connection,
    message_id: int,
    status: MessageStatus,
    *,
    error_code: int | None = None,
    error_title: str | None = None,
    error_details: str | None = None,
    at: datetime | None = None,
    force: bool = False,
) -> list[EngineEvent]:
    """Set a message's status from the outbox (FAILED with the catalogue's reason, UNKNOWN
    after a timeout, …). Only forward moves apply unless `force` (e.g. UNKNOWN → QUEUED when
    the user chooses to resend). Returns `[MessageUpdated]`, or `[]` when nothing changed."""
    stamp = _now(at)
    row = _message_row(conn, message_id)
    current = MessageStatus(row["status"])
    status = MessageStatus(status)
    if not force:
        error = None
        if error_code is not None or error_title is not None:
            error = GraphErrorInfo(error_code, error_title, details=error_details)
        message = apply_status_to_row(conn, row, status, stamp, error, stamp)
        return [MessageUpdated(message)] if message is not None else []
    if current == status and error_code is None:
        return []
    values: dict[str, Any] = {"status": status.value, "updated_at": stamp}
    if error_code is not None or error_title is not None:
        values.update(error_code=error_code, error_title=error_title, error_details=error_details)
    elif status is not MessageStatus.FAILED:
        values.update(error_code=None, error_title=None, error_details=None)
    conn.execute(update(message_t).where(message_t.c.id == message_id).values(**values))
    return [MessageUpdated(to_message(_message_row(conn, message_id)))]


def queued_messages(conn: Connection, number_id: int | None = None) -> list[Message]:
    """Outbound messages waiting to be sent, oldest first."""
    query = select(message_t).where(
        message_t.c.status == MessageStatus.QUEUED.value,
        message_t.c.direction == Direction.OUTBOUND.value,
    )
    if number_id is not None:
        numbers_convs = select(conversation_t.c.id).where(conversation_t.c.number_id == number_id)
        query = query.where(message_t.c.conversation_id.in_(numbers_convs))
    return [to_message(row) for row in conn.execute(query.order_by(message_t.c.id)).mappings()]


def message_route(conn: Connection, message_id: int) -> tuple[Message, Number, Contact]:
    """The message with the number it goes out from and the contact it goes to."""
    message = to_message(_message_row(conn, message_id))
    conversation = _require_conversation(conn, message.conversation_id)
    contact = get_contact(conn, conversation.contact_id)
    assert contact is not None
    return message, get_number(conn, conversation.number_id), contact


def prune_pending_statuses(conn: Connection, older_than: datetime) -> int:
    """Drop buffered statuses whose wamid never showed up; returns how many."""
    cursor = conn.execute(
        delete(pending_status_t).where(pending_status_t.c.timestamp < to_utc(older_than))
    )
    return int(cursor.rowcount or 0)


# -- health and export ------------------------------------------------------------------------


def counts(conn: Connection) -> dict[str, int]:
    """Row counts for /health: numbers, contacts, conversations, messages, pending_statuses,
    raw_events, and raw_events_<result> for every ProcessingResult."""

    def count(table: Any) -> int:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())

    result = {
        "numbers": count(number_t),
        "contacts": count(contact_t),
        "conversations": count(conversation_t),
        "messages": count(message_t),
        "pending_statuses": count(pending_status_t),
        "raw_events": count(raw_event_t),
    }
    for member in ProcessingResult:
        result[f"raw_events_{member.value}"] = 0
    rows = conn.execute(select(raw_event_t.c.result, func.count()).group_by(raw_event_t.c.result))
    for value, n in rows:
        result[f"raw_events_{value}"] = int(n)
    return result


def last_event_time(conn: Connection) -> datetime | None:
    """When the latest webhook POST was received (None if never)."""
    row = conn.execute(
        select(raw_event_t.c.received_at).order_by(raw_event_t.c.id.desc()).limit(1)
    ).first()
    return row[0] if row is not None else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def iter_export(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every conversation with its messages, as JSON-ready dicts (for `wadesk export`).

    Lazily queries one conversation at a time: keep `conn` open while iterating.
    """
    conversations = (
        conn.execute(
            select(
                conversation_t,
                number_t.c.label.label("number_label"),
                number_t.c.phone.label("number_phone"),
                contact_t.c.wa_id,
                contact_t.c.user_id,
                contact_t.c.username,
                contact_t.c.profile_name,
                contact_t.c.local_name,
            )
            .join(number_t, number_t.c.id == conversation_t.c.number_id)
            .join(contact_t, contact_t.c.id == conversation_t.c.contact_id)
            .order_by(conversation_t.c.id)
        )
        .mappings()
        .all()
    )
    for conv in conversations:
        messages = conn.execute(
            select(message_t)
            .where(message_t.c.conversation_id == conv["id"])
            .order_by(message_t.c.timestamp, message_t.c.id)
        ).mappings()
        name = conv["local_name"] or conv["profile_name"] or conv["username"]
        yield {
            "conversation_id": conv["id"],
            "number": {"label": conv["number_label"], "phone": conv["number_phone"]},
            "contact": {"wa_id": conv["wa_id"], "user_id": conv["user_id"], "name": name},
            "state": conv["state"],
            "mode": conv["mode"],
            "messages": [
                {
                    "id": m["id"],
                    "wamid": m["wamid"],
                    "direction": m["direction"],
                    "type": m["type"],
                    "text": m["text"],
                    "status": m["status"],
                    "reaction": m["reaction"],
                    "reply_to": m["reply_to"],
                    "error_code": m["error_code"],
                    "error_title": m["error_title"],
                    "timestamp": _iso(m["timestamp"]),
                    "sent_at": _iso(m["sent_at"]),
                    "delivered_at": _iso(m["delivered_at"]),
                    "read_at": _iso(m["read_at"]),
                }
                for m in messages
            ],
        }
