"""The machinery behind `apply.apply_many`: per-call caches of contacts, conversations and
known wamids, and the statements that insert and update them in bulk (SQLAlchemy Core and
driver SQL, no ORM objects on this hot path). `apply.py` holds the public entry points,
`apply_state.py` the row states the caches hold."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wadesk.core.enums import (
    ConversationMode,
    ConversationState,
    Direction,
    MessageStatus,
    MessageType,
    ProcessingResult,
)
from wadesk.core.events import (
    ConversationUpdated,
    EngineEvent,
    FieldEventReceived,
    MessageAdded,
    MessageUpdated,
)
from wadesk.core.models import Contact, Conversation, Message
from wadesk.core.webhook import (
    FieldEvent,
    InboundMessage,
    StatusUpdate,
    SystemErrors,
)
from wadesk.engine.store.apply_state import (
    ContactState,
    ConvState,
    contact_state,
    conversation_from_json,
    conversation_state,
    message_text,
    preview_text,
    sender_ids,
)
from wadesk.engine.store.columns import MessageOrigin, dumps_json, to_utc
from wadesk.engine.store.convert import to_message
from wadesk.engine.store.rows import (
    INSERT_MESSAGES_SQL,
    PREFETCH_CONTACTS_SQL,
    PREFETCH_CONVERSATIONS_SQL,
    PREFETCH_WAMIDS_SQL,
    UPDATE_CONVERSATIONS_SQL,
    conversation_params,
    driver,
    insert_json_rows,
    json_column,
    json_rows,
    message_params,
)
from wadesk.engine.store.statuses import apply_status_to_row
from wadesk.engine.store.tables import (
    contact_t,
    conversation_t,
    field_event_t,
    message_t,
    pending_status_t,
)

__all__ = ["SYSTEM_ERRORS_FIELD", "Applier", "ApplyOutcome", "NumberRef"]

SYSTEM_ERRORS_FIELD = "errors"
"""`field` of the field_event rows (and FieldEventReceived events) made from SystemErrors."""


@dataclass(frozen=True, slots=True)
class NumberRef:
    """What apply needs to know about a configured number."""

    id: int
    phone_number_id: str
    waba_id: str


@dataclass(slots=True)
class ApplyOutcome:
    result: ProcessingResult
    detail: str | None
    events: list[EngineEvent] = field(default_factory=list)


# -- the applier ------------------------------------------------------------------------------

_CONTACT_FIELDS = ("parent_user_id", "username", "profile_name")


_INSERT_CONTACT = insert(contact_t)
_UPDATE_CONTACT = update(contact_t).where(contact_t.c.id == bindparam("b_id"))
_INSERT_CONVERSATION = insert(conversation_t)
_SELECT_MESSAGE_BY_WAMID = select(message_t).where(message_t.c.wamid == bindparam("wamid"))
_SELECT_MESSAGES_BY_WAMIDS = select(message_t).where(
    message_t.c.wamid.in_(bindparam("wamids", expanding=True))
)
_INSERT_PENDING_STATUS = sqlite_insert(pending_status_t).on_conflict_do_nothing()


@dataclass(slots=True)
class _PendingMessage:
    values: dict[str, Any]
    item: InboundMessage
    conversation: Conversation
    contact: Contact
    first: bool  # no inbound message in the conversation before this one


class Applier:
    """State of one `apply_parsed` call: caches, touched rows, events, problems.

    Contacts, conversations and known wamids are fetched for the whole body up front, and new
    messages are inserted together (one multi-row INSERT … RETURNING), so a body of 50
    messages costs a handful of statements rather than hundreds.
    """

    def __init__(self, conn: Connection, raw_event_id: int | None, now: datetime) -> None:
        self.conn = conn
        self.raw_event_id = raw_event_id
        self.now = now
        self.events: list[EngineEvent] = []
        self.problems: list[str] = []
        self.unknown_numbers: list[str] = []
        self.touched_numbers: set[int] = set()
        self.seen_wamids: set[str] = set()
        self.contacts: dict[tuple[str, str], ContactState] = {}
        self.known_absent: set[tuple[str, str]] = set()
        self.conversations: dict[tuple[int, int], ConvState] = {}
        self.pending: list[_PendingMessage] = []
        self.conversations_known: set[int] = set()
        """Contacts whose conversations are all in `self.conversations` already."""
        self.status_rows: dict[str, dict[str, Any]] = {}
        """Messages (rows) the statuses of this batch are about, as prefetched."""
        self.status_absent: set[str] = set()
        """Wamids of statuses in this batch that have no message."""
        self.pending_statuses: list[dict[str, Any]] = []

    # prefetch

    def prefetch(self, items: list[InboundMessage], number_ids: set[int]) -> None:
        """Known wamids, the senders' contacts and their conversations on `number_ids`, for
        the whole batch: one step each (`rows.PREFETCH_*_SQL`: the rows come as one JSON array)."""
        if not items:
            return
        dbapi = driver(self.conn)
        wamids = [item.wamid for item in items]
        self.seen_wamids.update(json_column(dbapi, PREFETCH_WAMIDS_SQL, json_rows(wamids)))
        wa_ids: set[str] = set()
        user_ids: set[str] = set()
        for item in items:
            wa_id, user_id = sender_ids(item)
            if wa_id:
                wa_ids.add(wa_id)
            if user_id:
                user_ids.add(user_id)
        found = json_column(
            dbapi, PREFETCH_CONTACTS_SQL, json_rows(sorted(wa_ids)), json_rows(sorted(user_ids))
        )
        for row in found:
            self._remember(ContactState(*row))
        self.known_absent = {("wa", w) for w in wa_ids} | {("user", u) for u in user_ids}
        self.known_absent -= set(self.contacts)
        contact_ids = sorted({state.id for state in self.contacts.values()})
        self.conversations_known.update(contact_ids)
        if contact_ids and number_ids:
            convs = json_column(
                dbapi,
                PREFETCH_CONVERSATIONS_SQL,
                json_rows(sorted(number_ids)),
                json_rows(contact_ids),
            )
            for row in convs:
                state = conversation_from_json(row)
                self.conversations[(state.number_id, state.contact_id)] = state

    def _remember(self, state: ContactState) -> None:
        if state.wa_id:
            self.contacts[("wa", state.wa_id)] = state
        if state.user_id:
            self.contacts[("user", state.user_id)] = state

    # contacts

    def _find_contact(self, kind: str, value: str) -> ContactState | None:
        key = (kind, value)
        state = self.contacts.get(key)
        if state is not None or key in self.known_absent:
            return state
        column = contact_t.c.wa_id if kind == "wa" else contact_t.c.user_id
        row = self.conn.execute(select(contact_t).where(column == value)).mappings().first()
        if row is None:
            return None
        state = contact_state(row)
        self._remember(state)
        return state

    def contact_for(self, item: InboundMessage) -> ContactState | None:
        wa_id, user_id = sender_ids(item)
        if not wa_id and not user_id:
            return None
        state = self._find_contact("wa", wa_id) if wa_id else None
        if state is None and user_id:
            state = self._find_contact("user", user_id)
        info = item.contact
        fields = {name: getattr(info, name) for name in _CONTACT_FIELDS} if info else {}
        fields = {k: v for k, v in fields.items() if v}
        if state is None:
            values = {
                "wa_id": wa_id,
                "user_id": user_id,
                "parent_user_id": fields.get("parent_user_id"),
                "username": fields.get("username"),
                "profile_name": fields.get("profile_name"),
                "created_at": self.now,
                "updated_at": self.now,
            }
            cursor = self.conn.execute(_INSERT_CONTACT, values)
            state = ContactState(
                id=int(cursor.lastrowid),
                wa_id=wa_id,
                user_id=user_id,
                parent_user_id=fields.get("parent_user_id"),
                username=fields.get("username"),
                profile_name=fields.get("profile_name"),
                local_name=None,
            )
            self.conversations_known.add(state.id)
            self.known_absent.discard(("wa", wa_id or ""))
            self.known_absent.discard(("user", user_id or ""))
        else:
            self._update_contact(state, wa_id, user_id, fields)
        self._remember(state)
        return state

    def _update_contact(
        self,
        state: ContactState,
        wa_id: str | None,
        user_id: str | None,
        fields: dict[str, str],
    ) -> None:
        changes: dict[str, Any] = {}
        if wa_id and state.wa_id is None:
            changes["wa_id"] = wa_id
        if user_id and state.user_id is None:
            owner = self._find_contact("user", user_id)
            if owner is None:
                changes["user_id"] = user_id
            elif owner.id != state.id:
                self.problems.append(
                    f"user_id {user_id} already belongs to contact {owner.id}; not merged"
                    f" into contact {state.id}"
                )
        for name, value in fields.items():
            if getattr(state, name) != value:
                changes[name] = value
        if not changes:
            return
        for name, value in changes.items():
            setattr(state, name, value)
        self.conn.execute(_UPDATE_CONTACT, {"b_id": state.id, "updated_at": self.now, **changes})

    # conversations

    def conversation_for(self, number_id: int, contact_id: int) -> ConvState:
        key = (number_id, contact_id)
        state = self.conversations.get(key)
        if state is not None:
            return state
        row = None
        if contact_id not in self.conversations_known:
            row = (
                self.conn.execute(
                    select(conversation_t).where(
                        conversation_t.c.number_id == number_id,
                        conversation_t.c.contact_id == contact_id,
                    )
                )
                .mappings()
                .first()
            )
        if row is None:
            cursor = self.conn.execute(
                _INSERT_CONVERSATION,
                {
                    "number_id": number_id,
                    "contact_id": contact_id,
                    "unread_count": 0,
                    "state": ConversationState.OPEN.value,
                    "mode": ConversationMode.BOT.value,
                    "created_at": self.now,
                },
            )
            state = ConvState(
                id=int(cursor.lastrowid),
                number_id=number_id,
                contact_id=contact_id,
                last_inbound_at=None,
                last_message_at=None,
                last_message_preview=None,
                unread_count=0,
                state=ConversationState.OPEN.value,
                mode=ConversationMode.BOT.value,
                dirty=True,
            )
        else:
            state = conversation_state(row)
        self.conversations[key] = state
        return state

    def flush_conversations(self) -> None:
        dirty = [state for state in self.conversations.values() if state.dirty]
        self.events.extend(ConversationUpdated(state.snapshot()) for state in dirty)
        if dirty:
            params = [conversation_params(state) for state in dirty]
            driver(self.conn).execute(UPDATE_CONVERSATIONS_SQL, (json_rows(params),))

    # messages

    def flush_messages(self) -> None:
        if not self.pending:
            return
        pending, self.pending = self.pending, []
        ids = insert_json_rows(
            driver(self.conn), INSERT_MESSAGES_SQL, [message_params(p.values) for p in pending]
        )
        for entry, message_id in zip(pending, ids, strict=True):
            values = entry.values
            message = Message(
                id=int(message_id),
                conversation_id=values["conversation_id"],
                wamid=values["wamid"],
                direction=Direction.INBOUND,
                type=entry.item.type,
                status=MessageStatus.RECEIVED,
                timestamp=values["timestamp"],
                text=values["text"],
                payload=dict(entry.item.payload),
                media_id=values["media_id"],
                reply_to=values["reply_to"],
                error_code=values["error_code"],
                error_title=values["error_title"],
                updated_at=self.now,
            )
            self.events.append(
                MessageAdded(message, entry.conversation, entry.contact, entry.item, entry.first)
            )

    def inbound(self, item: InboundMessage, number: NumberRef) -> None:
        if item.wamid in self.seen_wamids:
            return
        self.seen_wamids.add(item.wamid)
        contact = self.contact_for(item)
        if contact is None:
            self.problems.append(f"message {item.wamid} has no sender id; not stored")
            return
        conv = self.conversation_for(number.id, contact.id)
        ts = to_utc(item.timestamp)
        is_reaction = item.type is MessageType.REACTION
        text = message_text(item)
        first = conv.last_inbound_at is None
        if conv.last_inbound_at is None or ts > conv.last_inbound_at:
            conv.last_inbound_at = ts
        if not is_reaction:
            conv.unread_count += 1
            if conv.last_message_at is None or ts >= conv.last_message_at:
                conv.last_message_at = ts
                conv.last_message_preview = preview_text(text, item.type)
            if conv.state != ConversationState.OPEN.value:
                conv.state = ConversationState.OPEN.value
        conv.dirty = True
        error = item.errors[0] if item.errors else None
        media = item.media
        reaction = item.reaction
        reply_to = item.context.reply_to if item.context else None
        if is_reaction and reaction is not None:
            reply_to = reaction.message_id
        values: dict[str, Any] = {
            "conversation_id": conv.id,
            "wamid": item.wamid,
            "direction": Direction.INBOUND.value,
            "type": item.type.value,
            "status": MessageStatus.RECEIVED.value,
            "text": text,
            "payload_json": dumps_json(item.payload),
            "media_id": media.media_id if media else None,
            "media_mime": media.mime_type if media else None,
            "reply_to": reply_to,
            "error_code": error.code if error else None,
            "error_title": error.title if error else None,
            "error_details": (error.details or error.message) if error else None,
            "timestamp": ts,
            "created_at": self.now,
            "updated_at": self.now,
            "raw_event_id": self.raw_event_id,
            "origin": MessageOrigin.WEBHOOK.value,
        }
        self.pending.append(
            _PendingMessage(values, item, conv.snapshot(), contact.snapshot(), first)
        )
        if is_reaction and reaction is not None and reaction.message_id:
            self.flush_messages()
            self.react(conv.id, reaction.message_id, reaction.emoji or None, ts)

    def react(self, conversation_id: int, target: str, emoji: str | None, ts: datetime) -> None:
        newer = self.conn.execute(
            select(message_t.c.id)
            .where(
                message_t.c.conversation_id == conversation_id,
                message_t.c.timestamp > ts,
                message_t.c.type == MessageType.REACTION.value,
                message_t.c.reply_to == target,
            )
            .limit(1)
        ).first()
        if newer is not None:
            return  # a later reaction already decided the current emoji
        row = self.conn.execute(select(message_t).where(message_t.c.wamid == target)).mappings()
        found = row.first()
        if found is None or found["reaction"] == emoji:
            return
        self.conn.execute(
            update(message_t)
            .where(message_t.c.id == found["id"])
            .values(reaction=emoji, updated_at=self.now)
        )
        merged = dict(found)
        merged.update(reaction=emoji, updated_at=self.now)
        self.events.append(MessageUpdated(to_message(merged)))

    def prefetch_statuses(self, items: list[StatusUpdate]) -> None:
        """Load the messages the statuses of a batch are about, with one query."""
        wamids = sorted({item.wamid for item in items} - set(self.status_rows))
        if not wamids:
            return
        for row in self.conn.execute(_SELECT_MESSAGES_BY_WAMIDS, {"wamids": wamids}).mappings():
            self.status_rows[row["wamid"]] = dict(row)
        self.status_absent.update(w for w in wamids if w not in self.status_rows)

    def status(self, item: StatusUpdate) -> None:
        error = item.errors[0] if item.errors else None
        row = self.status_rows.get(item.wamid)
        if row is None and item.wamid not in self.status_absent:
            found = self.conn.execute(_SELECT_MESSAGE_BY_WAMID, {"wamid": item.wamid})
            first = found.mappings().first()
            row = dict(first) if first is not None else None
        if row is None:
            # not sent by us yet (or not known): kept until the outbox learns the wamid;
            # the first of each (wamid, status) wins, so inserting them in order at the end
            # of the batch (`flush_pending_statuses`) keeps the rule
            self.pending_statuses.append(
                {
                    "wamid": item.wamid,
                    "status": item.status.value,
                    "timestamp": to_utc(item.timestamp),
                    "payload_json": dumps_json(item.payload),
                    "error_code": error.code if error else None,
                    "error_title": error.title if error else None,
                    "error_details": (error.details or error.message) if error else None,
                }
            )
            return
        self.flush_messages()  # keep events in body order
        message = apply_status_to_row(self.conn, row, item.status, item.timestamp, error, self.now)
        if message is not None:
            self.events.append(MessageUpdated(message))
            self.status_rows.pop(item.wamid, None)  # changed: the next status reads it again

    def flush_pending_statuses(self) -> None:
        if self.pending_statuses:
            pending, self.pending_statuses = self.pending_statuses, []
            self.conn.execute(_INSERT_PENDING_STATUS, pending)

    def field_event(self, waba_id: str | None, event: FieldEvent) -> None:
        self.conn.execute(
            insert(field_event_t).values(
                raw_event_id=self.raw_event_id,
                waba_id=waba_id,
                field=event.field,
                value_json=dumps_json(event.value),
                time=event.time,
            )
        )
        self.events.append(FieldEventReceived(event))

    def system_errors(self, item: SystemErrors) -> None:
        value: Mapping[str, Any] = item.payload or {
            "errors": [
                {"code": e.code, "title": e.title, "message": e.message, "details": e.details}
                for e in item.errors
            ]
        }
        event = FieldEvent(
            waba_id=item.waba_id, field=SYSTEM_ERRORS_FIELD, value=value, time=self.now
        )
        self.field_event(item.waba_id, event)
