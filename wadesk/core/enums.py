"""Enumerations of the domain: message types, directions, delivery statuses with their rank,
conversation state and mode.

Statuses carry a rank so a status can only move forward (sent < delivered < read < played);
`failed` is terminal, except that it never overrides `read`/`played`.
"""

from __future__ import annotations

from enum import StrEnum


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class MessageType(StrEnum):
    """Every message type wadesk stores, inbound or outbound."""

    TEXT = "text"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    DOCUMENT = "document"
    STICKER = "sticker"
    LOCATION = "location"
    CONTACTS = "contacts"
    INTERACTIVE = "interactive"
    BUTTON = "button"
    REACTION = "reaction"
    ORDER = "order"
    SYSTEM = "system"
    TEMPLATE = "template"
    REQUEST_WELCOME = "request_welcome"
    EDIT = "edit"
    REVOKE = "revoke"
    NOTE = "note"
    UNSUPPORTED = "unsupported"

    @classmethod
    def from_wire(cls, value: object) -> MessageType:
        """Map a webhook `type` string to a member; anything unknown is UNSUPPORTED."""
        if isinstance(value, str):
            if value == "unknown":
                return cls.UNSUPPORTED
            try:
                return cls(value)
            except ValueError:
                return cls.UNSUPPORTED
        return cls.UNSUPPORTED


MEDIA_TYPES: frozenset[MessageType] = frozenset(
    {
        MessageType.IMAGE,
        MessageType.VIDEO,
        MessageType.AUDIO,
        MessageType.DOCUMENT,
        MessageType.STICKER,
    }
)


class MessageStatus(StrEnum):
    """Delivery state of a message.

    Inbound messages are `received`; outbound ones go queued → sent → delivered → read
    (→ played for voice), or end `failed`. `unknown` means the request may or may not have
    reached Meta (timeout after sending): the user decides whether to resend.
    """

    RECEIVED = "received"
    QUEUED = "queued"
    UNKNOWN = "unknown"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    PLAYED = "played"
    FAILED = "failed"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def from_wire(cls, value: object) -> MessageStatus | None:
        """Map a status webhook `status` string; None for anything unknown."""
        if isinstance(value, str):
            try:
                status = cls(value.lower())
            except ValueError:
                return None
            if status in (cls.SENT, cls.DELIVERED, cls.READ, cls.PLAYED, cls.FAILED):
                return status
        return None


_RANK: dict[MessageStatus, int] = {
    MessageStatus.RECEIVED: 0,
    MessageStatus.QUEUED: 0,
    MessageStatus.UNKNOWN: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.READ: 4,
    MessageStatus.PLAYED: 5,
    MessageStatus.FAILED: 6,
}


def status_advances(current: MessageStatus, new: MessageStatus) -> bool:
    """True when `new` may replace `current`.

    Statuses only move forward; `failed` is terminal and never overrides read/played; a
    message that failed may not be revived by a late sent/delivered.
    """
    if current == new:
        return False
    if current is MessageStatus.FAILED:
        return False
    if new is MessageStatus.FAILED:
        return current not in (MessageStatus.READ, MessageStatus.PLAYED)
    return new.rank > current.rank


class ConversationState(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class ConversationMode(StrEnum):
    BOT = "bot"
    HUMAN = "human"


class SignatureVerdict(StrEnum):
    """Result of checking `X-Hub-Signature-256` of a webhook POST."""

    VALID = "valid"
    MISSING = "missing"
    INVALID = "invalid"
    NO_SECRET = "no_secret"


class ProcessingResult(StrEnum):
    """What became of a raw webhook event."""

    PENDING = "pending"
    APPLIED = "applied"
    REJECTED = "rejected"
    UNKNOWN_NUMBER = "unknown_number"
    ERROR = "error"
