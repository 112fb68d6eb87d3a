"""How the bot runtime sends: through the Engine's outbox (`engine.send(..., origin="bot")`)
when the Engine has one, else directly (queued row → Graph call → sent/failed), so bots work
in an engine without an outbox too. Both return the stored `Message`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from wadesk.core.enums import MessageStatus, MessageType
from wadesk.core.errors import GraphError, WadeskError
from wadesk.core.events import EngineEvent, MessageAdded
from wadesk.core.models import Message
from wadesk.engine.store import repo

if TYPE_CHECKING:
    from wadesk.engine.service import Engine


class Sender(Protocol):
    async def send(
        self,
        conversation_id: int,
        *,
        body: Mapping[str, Any],
        text: str | None,
        type: MessageType,
    ) -> Message: ...


class OutboxSender:
    """Sends through `engine.send` (the outbox: window check, limits, retries)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    async def send(
        self,
        conversation_id: int,
        *,
        body: Mapping[str, Any],
        text: str | None,
        type: MessageType,
    ) -> Message:
        send = self._engine.send
        message: Message = await send(
            conversation_id, body=dict(body), text=text, type=type, origin="bot"
        )
        return message


class DirectSender:
    """Queue the row, call the Graph API once, record sent/failed (no outbox needed)."""

    def __init__(self, engine: Engine, publish: Callable[[EngineEvent], None]) -> None:
        self._engine = engine
        self._publish = publish

    async def send(
        self,
        conversation_id: int,
        *,
        body: Mapping[str, Any],
        text: str | None,
        type: MessageType,
    ) -> Message:
        store = self._engine.store
        conversation = await store.read(
            partial(repo.get_conversation, conversation_id=conversation_id)
        )
        if conversation is None:
            raise LookupError(f"no conversation {conversation_id}")
        message, conv, contact = await store.write(
            partial(
                repo.insert_outbound,
                number_id=conversation.number_id,
                type=type,
                origin="bot",
                contact_id=conversation.contact_id,
                text=text,
                payload=body,
            )
        )
        self._publish(MessageAdded(message, conv, contact))
        number = await store.read(partial(repo.get_number, number_id=conversation.number_id))
        try:
            client = await self._engine.clients.get(number.phone_number_id, number.waba_id)
            result = await client.send(body)
        except WadeskError as exc:
            code = exc.code if isinstance(exc, GraphError) else None
            events = await store.write(
                partial(
                    repo.set_status,
                    message_id=message.id,
                    status=MessageStatus.FAILED,
                    error_code=code,
                    error_title=str(exc)[:200],
                )
            )
            for event in events:
                self._publish(event)
            raise
        events = await store.write(
            partial(repo.set_sent, message_id=message.id, wamid=result.wamid, at=datetime.now(UTC))
        )
        for event in events:
            self._publish(event)
        sent = await store.read(partial(repo.get_message, message_id=message.id))
        return sent if sent is not None else message


def default_sender(engine: Engine) -> Sender:
    if callable(getattr(engine, "send", None)):
        return OutboxSender(engine)
    return DirectSender(engine, engine._publish)
