"""Events the Engine publishes to its subscribers after each commit.

Subscribers (the UI bridge, the bot runtime, tests) get these plain dataclasses; they never see
store rows or sessions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.core.models import Contact, Conversation, Message
from wadesk.core.webhook import FieldEvent, InboundMessage


@dataclass(frozen=True, slots=True)
class RawEventRecorded:
    """A webhook POST was received and stored (whatever its verdict)."""

    raw_event_id: int
    received_at: datetime
    verdict: SignatureVerdict
    result: ProcessingResult
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class RawEventProcessed:
    """A stored raw event was parsed and applied (or flagged)."""

    raw_event_id: int
    result: ProcessingResult
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class MessageAdded:
    """A new message row exists (inbound from a webhook, or outbound queued by the outbox).

    `inbound` carries the parsed webhook item for inbound messages (the bot runtime needs the
    reply ids and context), None for outbound ones. `first_inbound` tells, when the publisher
    knows (the webhook apply does), whether this is the first inbound message of the
    conversation (the bots' "first message from a new contact" trigger); None when unknown.
    """

    message: Message
    conversation: Conversation
    contact: Contact
    inbound: InboundMessage | None = None
    first_inbound: bool | None = None


@dataclass(frozen=True, slots=True)
class MessageUpdated:
    """A message changed: status moved forward, a reaction arrived, media was downloaded…"""

    message: Message


@dataclass(frozen=True, slots=True)
class ConversationUpdated:
    """A conversation changed (state, mode, unread count, window…).

    `labels_changed` is set when what the conversation shows of its labels changed (labels set,
    or a label it carries renamed/recoloured/deleted): the event's conversation does not carry
    labels, so a list showing them must refetch the row.
    """

    conversation: Conversation
    labels_changed: bool = False


@dataclass(frozen=True, slots=True)
class FieldEventReceived:
    """A non-message webhook field (template status, quality update, account_update…)."""

    event: FieldEvent


@dataclass(frozen=True, slots=True)
class TemplatesSynced:
    """The message templates of a number were fetched from the Graph API and stored."""

    number_id: int
    count: int


@dataclass(frozen=True, slots=True)
class MediaProgress:
    """An inbound media download advanced: `done` bytes of `total` (None when unknown)."""

    message_id: int
    done: int
    total: int | None = None


@dataclass(frozen=True, slots=True)
class BotTraceEntry:
    """One traced step of a bot session at one node (see `wadesk.flow.TraceEntry`), with the
    actions that node produced; `type` is the trace event (run, wait, answer, error…)."""

    id: int
    conversation_id: int
    bot_id: int | None
    node_id: str | None
    node_type: str | None
    type: str
    inputs: Mapping[str, Any]
    output: str | None
    actions: tuple[Mapping[str, Any], ...]
    error: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class BotTraced:
    """A bot processed one event of a conversation (for the Activity page and the simulator)."""

    conversation_id: int
    bot_id: int | None
    entries: tuple[BotTraceEntry, ...]


@dataclass(frozen=True, slots=True)
class BotHandedOff:
    """A bot handed a conversation to a person (the UI notifies the owner)."""

    conversation_id: int
    bot_id: int
    reason: str


EngineEvent = (
    RawEventRecorded
    | RawEventProcessed
    | MessageAdded
    | MessageUpdated
    | ConversationUpdated
    | FieldEventReceived
    | BotTraced
    | BotHandedOff
    | TemplatesSynced
    | MediaProgress
)
