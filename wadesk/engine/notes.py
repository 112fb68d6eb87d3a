"""Private notes in a conversation: messages the owner writes for themselves, never sent.

A note is a `message` row with `type = note`, `direction = outbound` and `status = received`
(the status every row that is stored but never sent carries), `origin = user`, no wamid. The
outbox only picks `queued` outbound rows, so a note can never leave the machine; statuses
never touch it (no wamid). A note does not change the conversation's last message, preview
or unread count: the conversation list shows what the customer sees.

`insert_note` is a store write function (run it with `Store.write`).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, insert

from wadesk.core.enums import Direction, MessageStatus, MessageType
from wadesk.core.models import Contact, Conversation, Message
from wadesk.engine.store import repo
from wadesk.engine.store.columns import MessageOrigin, to_utc
from wadesk.engine.store.errors import NotFoundError, StoreError
from wadesk.engine.store.tables import message_t

NOTE_MAX = 4096
NOTE_STATUS = MessageStatus.RECEIVED


def insert_note(
    conn: Connection, conversation_id: int, text: str, *, now: datetime | None = None
) -> tuple[Message, Conversation, Contact]:
    """Store a note in the conversation; returns what a `MessageAdded` event needs."""
    body = text.strip()
    if not body:
        raise StoreError("a note must not be empty")
    if len(body) > NOTE_MAX:
        raise StoreError(f"a note is at most {NOTE_MAX} characters")
    conversation = repo.get_conversation(conn, conversation_id)
    if conversation is None:
        raise NotFoundError(f"no conversation with id {conversation_id}")
    contact = repo.get_contact(conn, conversation.contact_id)
    if contact is None:
        raise NotFoundError(f"no contact with id {conversation.contact_id}")
    at = to_utc(now) if now is not None else datetime.now(UTC)
    cursor = conn.execute(
        insert(message_t).values(
            conversation_id=conversation_id,
            wamid=None,
            direction=Direction.OUTBOUND.value,
            type=MessageType.NOTE.value,
            status=NOTE_STATUS.value,
            text=body,
            payload_json="{}",
            timestamp=at,
            created_at=at,
            updated_at=at,
            origin=MessageOrigin.USER.value,
        )
    )
    message = repo.get_message(conn, int(cursor.lastrowid))
    assert message is not None
    return message, conversation, contact
