"""Conversation-list rows updated straight from engine events, without a store round trip.

A `MessageAdded` / `ConversationUpdated` event carries the conversation as the store now has
it (last message time and preview, unread count, state, mode) and, for messages, the message
and contact. For a row the list already has, that is everything the row shows except the
number label and the labels, which such events do not change. `ConversationListModel` uses
these helpers to move and repaint rows in the bridge batch that brought the event; what it
cannot place this way (a conversation it has no row for, or a position among rows it has not
fetched) goes through its usual refresh (store queries).
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable

from wadesk.core.models import Contact, Conversation, Message
from wadesk.engine.inbox import ConversationRow, InboxFilter


def matches(flt: InboxFilter, row: ConversationRow) -> bool:
    """Whether `row` belongs in a list filtered by `flt` (the same rules as the store query)."""
    conv = row.conversation
    if flt.number_id is not None and conv.number_id != flt.number_id:
        return False
    if flt.unread and conv.unread_count <= 0:
        return False
    if flt.state is not None and conv.state != flt.state:
        return False
    if flt.mode is not None and conv.mode != flt.mode:
        return False
    return flt.label_id is None or any(label.id == flt.label_id for label in row.labels)


def sort_key(conv: Conversation) -> tuple[bool, float, int]:
    """Ascending key for "most recent activity first": no activity last, newer ids first."""
    at = conv.last_message_at
    return (at is None, -at.timestamp() if at is not None else 0.0, -conv.id)


def updated_row(
    row: ConversationRow,
    conversation: Conversation,
    message: Message | None = None,
    contact: Contact | None = None,
) -> ConversationRow:
    """`row` with the event's conversation (and last message, and contact when given)."""
    changes: dict[str, object] = {"conversation": conversation}
    if contact is not None and contact.id == row.contact.id:
        # the owner's local name lives only in the store row; keep it
        changes["contact"] = dataclasses.replace(contact, local_name=row.contact.local_name)
    if message is not None:
        changes["last_message_type"] = message.type
        changes["last_message_status"] = message.status
        changes["last_message_direction"] = message.direction
    return dataclasses.replace(row, **changes)  # type: ignore[arg-type]


class _Unknown(Exception):
    """A conversation the binary search must compare with is not known."""


def position(
    ids: list[int], key: tuple[bool, float, int], lookup: Callable[[int], Conversation | None]
) -> int | None:
    """Where a conversation with sort `key` goes in `ids` (which does not contain it and is in
    `sort_key` order), comparing with the conversations `lookup` knows; None when one it must
    pass is unknown. A binary search: at 1,000 messages a second most conversations share
    the same second, and a scan from the top compared with all of them for every message."""

    def known_key(conversation_id: int) -> tuple[bool, float, int]:
        conv = lookup(conversation_id)
        if conv is None:
            raise _Unknown
        return sort_key(conv)

    try:
        return bisect.bisect_right(ids, key, key=known_key)
    except _Unknown:
        return None
