"""Performing the actions of one bot step for one conversation, in order: messages through
the sender (spaced by the bubble delay for WhatsApp's pair rate), the HTTP request in its own
task (its result comes back as a resume), hand-off, contact fields, labels, and jumps to
another flow (through the runtime). A failing action is traced and the next one still runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

import httpx
from sqlalchemy import Connection

from wadesk.core.enums import ConversationMode
from wadesk.core.errors import WadeskError
from wadesk.core.events import BotHandedOff, ConversationUpdated, EngineEvent
from wadesk.core.models import Contact, Conversation
from wadesk.core.outgoing import LimitError
from wadesk.engine.bots import actions as act
from wadesk.engine.bots.models import DEFAULT_BUBBLE_DELAY, Bot
from wadesk.engine.bots.sender import Sender
from wadesk.engine.store import Store, repo
from wadesk.flow import (
    Action,
    AddLabel,
    HandOff,
    HttpRequest,
    Resume,
    SendButtons,
    SendList,
    SetContactField,
    StartFlow,
    StepResult,
)

log = logging.getLogger("wadesk.bots")
MAX_AWAITING_SENT = 10_000

Trace = Callable[..., Awaitable[None]]  # (conv_id, bot_id, kind, inputs, *, error, node_id)


@dataclass(slots=True)
class Target:
    conversation: Conversation
    contact: Contact

    @property
    def to(self) -> str:
        return self.contact.wa_id or self.contact.user_id or ""


class Performer:
    """Performs actions; the runtime wires in how to resume, jump, trace and run tasks."""

    def __init__(
        self,
        store: Store,
        publish: Callable[[EngineEvent], None],
        clock: Callable[[], datetime],
        *,
        trace: Trace,
        resume: Callable[[int, Resume], None],
        jump: Callable[[int, Bot, StartFlow], Awaitable[None]],
        spawn: Callable[[Coroutine[Any, Any, None]], None],
    ) -> None:
        self._store = store
        self._publish = publish
        self._clock = clock
        self._trace = trace
        self._resume = resume
        self._jump = jump
        self._spawn = spawn
        self.sender: Sender | None = None
        self.http: httpx.AsyncClient | None = None
        self.bubble_delay = DEFAULT_BUBBLE_DELAY
        self.awaiting_sent: dict[int, tuple[int, str]] = {}  # message id → (conv, node)
        self._last_send: dict[int, float] = {}

    async def target(self, conversation_id: int) -> Target | None:
        def run(conn: Connection) -> Target | None:
            conv = repo.get_conversation(conn, conversation_id)
            contact = repo.get_contact(conn, conv.contact_id) if conv is not None else None
            return Target(conv, contact) if conv is not None and contact is not None else None

        return await self._store.read(run)

    async def perform(self, conv_id: int, bot: Bot, result: StepResult) -> None:
        target: Target | None = None
        for action in result.actions:
            try:
                if target is None:
                    target = await self.target(conv_id)
                    if target is None:
                        return
                await self._one(conv_id, bot, target, action)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if isinstance(exc, WadeskError):
                    text = exc.explain("en")
                elif isinstance(exc, LimitError):
                    text = str(exc)
                else:
                    log.exception("Bot action %s failed", type(action).__name__)
                    text = str(exc) or type(exc).__name__
                inputs = {"action": act.describe(action)}
                await self._trace(
                    conv_id, bot.id, "action_failed", inputs, error=text, node_id=action.node_id
                )

    async def _one(self, conv_id: int, bot: Bot, target: Target, action: Action) -> None:
        built = act.build_send(action, target.to)
        if built is not None:
            body, text, mtype = built
            await self._space_bubbles(conv_id, bot)
            assert self.sender is not None
            sent = await self.sender.send(conv_id, body=body, text=text, type=mtype)
            self._last_send[conv_id] = asyncio.get_running_loop().time()
            if isinstance(action, SendButtons | SendList):
                if sent.wamid:
                    self._resume(conv_id, Resume("sent", action.node_id, {"wamid": sent.wamid}))
                else:
                    if len(self.awaiting_sent) >= MAX_AWAITING_SENT:  # sends that never went out
                        self.awaiting_sent.pop(next(iter(self.awaiting_sent)))
                    self.awaiting_sent[sent.id] = (conv_id, action.node_id)
        elif isinstance(action, HttpRequest):
            self._spawn(self._http_then_resume(conv_id, action))
        elif isinstance(action, HandOff):
            human = partial(
                repo.set_conversation_mode, conversation_id=conv_id, mode=ConversationMode.HUMAN
            )
            conv = await self._store.write(human)
            self._publish(ConversationUpdated(conv))
            self._publish(BotHandedOff(conv_id, bot.id, action.reason))
        elif isinstance(action, SetContactField):
            field = partial(
                act.set_contact_field,
                contact_id=target.contact.id,
                name=action.field,
                value=action.value,
                now=self._clock(),
            )
            await self._store.write(field)
        elif isinstance(action, AddLabel):
            label = partial(
                act.apply_label,
                conversation_id=conv_id,
                label=action.label,
                remove=action.remove,
                now=self._clock(),
            )
            if not await self._store.write(label):
                inputs = {"label": action.label}
                await self._trace(conv_id, bot.id, "label_skipped", inputs, node_id=action.node_id)
        elif isinstance(action, StartFlow):
            await self._jump(conv_id, bot, action)
        # StartDelay / StartTimeout: armed from the session's wake_at; EndSession: nothing to do

    async def _space_bubbles(self, conv_id: int, bot: Bot) -> None:
        delay = bot.settings.bubble_delay
        delay = self.bubble_delay if delay is None else delay
        last = self._last_send.get(conv_id)
        if last is not None and delay > 0:
            wait = last + delay - asyncio.get_running_loop().time()
            if wait > 0:
                await asyncio.sleep(wait)

    async def _http_then_resume(self, conv_id: int, action: HttpRequest) -> None:
        assert self.http is not None
        result = await act.perform_http(self.http, action)
        self._resume(conv_id, Resume("http", action.node_id, result))
