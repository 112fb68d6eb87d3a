"""The bot runtime: an Engine component that hosts `wadesk.flow` for live conversations.

- It subscribes to engine events. An inbound `MessageAdded` continues the conversation's
  session or starts one: among the number's active bots whose published flow has a trigger
  for the message, the most specific trigger wins (button payload, keyword/regex, first
  message of a new contact, any message), ties going to the higher bot priority.
- One session per conversation (`bot_session`), persisted after every step before the
  actions run; processing is serialised per conversation (one queue and worker each), so two
  quick messages are handled in order while other conversations proceed.
- Actions: messages go out through the outbox with origin "bot" (consecutive bubbles to one
  customer are spaced by `bubble_delay` for the pair rate); delays and question timeouts are
  timers whose wake-up time is stored (`wake_at`), re-armed at start; HTTP requests run in
  their own task and resume the session with the result; hand-off marks the conversation
  human and publishes `BotHandedOff`; contact fields and labels are written to the store.
- Pausing: a conversation in human mode never reaches the bot. Hand-off or the owner sending
  a message (origin "user"/"cli") pauses the session and sets the conversation to human; so
  does a message or timer arriving while the owner switched the chat to human in the inbox.
  When the owner switches it back to bot, the paused session is dropped and the next message
  may start a bot again.
- Stale backlog: an inbound message older than the bot's `stale_after` (default 10 min, by
  the message's own timestamp) is stored but neither starts nor advances a bot, unless the
  bot's `process_stale` setting is on.
- Every step is traced (`bot_trace` rows) and published as `BotTraced`.
- Cost per inbound message: the active bots of each number are cached (dropped by the bot and
  publish commands, and refreshed after `ACTIVE_BOTS_TTL` s for changes made elsewhere, e.g.
  by the CLI; `active.py`), so a number without an active bot costs no store read at all; otherwise one
  query reads the conversation's mode and session, and "first message from a new contact"
  comes from the apply (`MessageAdded.first_inbound`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import httpx
from sqlalchemy import Connection, select

from wadesk.core.enums import ConversationMode, Direction, MessageType
from wadesk.core.events import (
    BotTraced,
    ConversationUpdated,
    EngineEvent,
    MessageAdded,
    MessageUpdated,
)
from wadesk.core.models import Conversation, Message
from wadesk.engine.bots import actions as act
from wadesk.engine.bots import store as bs
from wadesk.engine.bots.active import CachingBotCommands
from wadesk.engine.bots.models import DEFAULT_BUBBLE_DELAY, Bot, SessionRecord
from wadesk.engine.bots.perform import Performer
from wadesk.engine.bots.sender import Sender, default_sender
from wadesk.engine.store import repo
from wadesk.engine.store.tables import message_t
from wadesk.flow import (
    Flow,
    Inbound,
    Registry,
    Resume,
    StartFlow,
    StepResult,
    decode_choice,
    default_registry,
    find_trigger,
    start,
    step,
)

if TYPE_CHECKING:
    from wadesk.engine.service import Engine

log = logging.getLogger("wadesk.bots")
_TRIGGER_RANK = {"button_payload": 0, "keyword": 1, "regex": 1, "new_contact": 2, "any": 3}
_OWNER_ORIGINS = ("user", "cli")
# inbound kinds that are not the customer saying something to the bot
_NOT_FOR_BOTS = frozenset(
    {
        MessageType.REACTION,
        MessageType.SYSTEM,
        MessageType.EDIT,
        MessageType.REVOKE,
        MessageType.UNSUPPORTED,
        MessageType.NOTE,
    }
)


@dataclass(frozen=True, slots=True)
class _Job:
    kind: str  # "inbound" | "outbound" | "resume"
    added: MessageAdded | None = None
    resume: Resume | None = None


class BotRuntime(CachingBotCommands):
    """Runs the active bots of an Engine; also its flow/bot commands (`BotCommands`)."""

    def __init__(
        self,
        engine: Engine,
        *,
        registry: Registry | None = None,
        sender: Sender | None = None,
        clock: Callable[[], datetime] | None = None,
        bubble_delay: float = DEFAULT_BUBBLE_DELAY,
    ) -> None:
        super().__init__(engine.store, registry or default_registry(), engine.blocking, clock)
        self._engine = engine
        self._sender = sender
        self.performer = Performer(
            engine.store,
            self._publish,
            self.now,
            trace=self._trace_only,
            resume=self._enqueue_resume,
            jump=self._jump_to_flow,
            spawn=self._spawn,
        )
        self.performer.bubble_delay = bubble_delay
        self._queues: dict[int, deque[_Job]] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._side_tasks: set[asyncio.Task[None]] = set()
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._flows: dict[int, Flow] = {}
        self._unsubscribe: Callable[[], None] | None = None
        self._running = False

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        self.performer.sender = self._sender or default_sender(self._engine)
        self.performer.http = httpx.AsyncClient(follow_redirects=False)
        self._running = True
        self._unsubscribe = self._engine.subscribe(self._on_event)
        for record in await self._store.read(bs.waiting_sessions):
            if record.session.waiting_for == "http":
                error = {"error": "interrupted: wadesk stopped while the request was running"}
                node = record.session.current_node
                self._enqueue(
                    record.conversation_id, _Job("resume", resume=Resume("http", node, error))
                )
            else:
                self._arm(record)

    async def stop(self) -> None:
        self._running = False
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        for handle in self._timers.values():
            handle.cancel()
        self._timers.clear()
        for task in list(self._side_tasks):
            task.cancel()
        if self._workers:
            _done, pending = await asyncio.wait(set(self._workers), timeout=5.0)
            for task in pending:
                task.cancel()
        await asyncio.gather(*self._side_tasks, *self._workers, return_exceptions=True)
        if self.performer.http is not None:
            await self.performer.http.aclose()
            self.performer.http = None

    async def wait_idle(self, limit: float = 10.0) -> None:
        """Wait until no conversation has queued work (tests, shutdown)."""
        async with asyncio.timeout(limit):
            while self._workers or self._side_tasks:
                await asyncio.gather(*self._workers, *self._side_tasks, return_exceptions=True)

    # -- events in -----------------------------------------------------------------------------

    def _on_event(self, event: EngineEvent) -> None:
        if isinstance(event, MessageAdded):
            kind = "inbound" if event.message.direction is Direction.INBOUND else "outbound"
            if kind == "inbound" and (
                event.inbound is None
                or event.message.type in _NOT_FOR_BOTS
                or self._cached_bots(event.conversation.number_id) == []
            ):
                return  # not for bots, or the number has no active bot: no store read
            self._enqueue(event.conversation.id, _Job(kind, added=event))
        elif isinstance(event, MessageUpdated) and event.message.wamid:
            waiting = self.performer.awaiting_sent.pop(event.message.id, None)
            if waiting is not None:
                conv_id, node_id = waiting
                resume = Resume("sent", node_id, {"wamid": event.message.wamid})
                self._enqueue(conv_id, _Job("resume", resume=resume))

    @property
    def bubble_delay(self) -> float:
        """Seconds between consecutive bot messages to one customer (a bot may override)."""
        return self.performer.bubble_delay

    @bubble_delay.setter
    def bubble_delay(self, value: float) -> None:
        self.performer.bubble_delay = value

    def _enqueue_resume(self, conversation_id: int, resume: Resume) -> None:
        self._enqueue(conversation_id, _Job("resume", resume=resume))

    def _enqueue(self, conversation_id: int, job: _Job) -> None:
        if not self._running:
            return
        queue = self._queues.get(conversation_id)
        if queue is None:
            queue = self._queues[conversation_id] = deque()
            task = asyncio.get_running_loop().create_task(self._drain(conversation_id, queue))
            self._workers.add(task)
            task.add_done_callback(self._workers.discard)
        queue.append(job)

    async def _drain(self, conversation_id: int, queue: deque[_Job]) -> None:
        try:
            while queue:
                job = queue.popleft()
                try:
                    await self._handle(conversation_id, job)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.exception("Bot processing failed in conversation %d", conversation_id)
                    await self._trace_only(conversation_id, None, "runtime_error", error=str(exc))
        finally:
            if self._queues.get(conversation_id) is queue:
                del self._queues[conversation_id]

    async def _handle(self, conversation_id: int, job: _Job) -> None:
        if job.kind == "inbound" and job.added is not None:
            await self._on_inbound(job.added)
        elif job.kind == "outbound" and job.added is not None:
            await self._on_outbound(job.added.message)
        elif job.kind == "resume" and job.resume is not None:
            await self._on_resume(conversation_id, job.resume)

    # -- reading -------------------------------------------------------------------------------

    async def _flow(self, revision_id: int) -> Flow:
        cached = self._flows.get(revision_id)
        if cached is not None:
            return cached
        _rev, flow = await self._store.read(partial(bs.get_revision, revision_id=revision_id))
        self._flows[revision_id] = flow
        return flow

    # -- inbound -------------------------------------------------------------------------------

    async def _on_inbound(self, added: MessageAdded) -> None:
        assert added.inbound is not None
        message = added.message
        conv_id = added.conversation.id

        bots = await self.active_bots(added.conversation.number_id)
        if not bots:
            return  # sessions of switched-off bots are paused when a bot is on again
        # one query; the count of earlier messages only when the publisher did not say
        ask = message.id if added.first_inbound is None else None
        mode, record, first = await self._store.read(
            partial(bs.inbound_context, conversation_id=conv_id, message_id=ask)
        )
        is_new = bool(added.first_inbound if added.first_inbound is not None else first)
        if mode is None or mode == ConversationMode.HUMAN.value:
            if record is not None and record.active:  # switched to human in the inbox
                await self._pause(record)
            return
        now = self.now()
        inbound = Inbound.from_webhook(added.inbound, is_new_contact=is_new)
        by_id = {b.id: b for b in bots}
        if record is not None:
            bot = by_id.get(record.bot_id)
            expired = record.session.expires_at is not None and now >= record.session.expires_at
            if (
                record.status in ("paused", "handed_off")
                or bot is None
                or (record.active and expired)
            ):
                record = None  # switched back to bot mode, bot switched off, or expired
            elif record.active or decode_choice(inbound.choice_id) is not None:
                if self._stale(message, bot, now):
                    await self._trace_only(
                        conv_id, bot.id, "stale_ignored", {"message_id": message.id}
                    )
                    return
                flow = await self._flow(record.revision_id)
                result = step(flow, self.registry, record.session, inbound, now)
                if record.active or result.session.active:
                    await self._commit(conv_id, bot, record.revision_id, result, record)
                    return
        await self._start_new(conv_id, bots, inbound, message, now)

    async def _start_new(
        self, conv_id: int, bots: list[Bot], inbound: Inbound, message: Message, now: datetime
    ) -> None:
        best: tuple[tuple[int, int, int], Bot, int, str] | None = None
        for bot in bots:
            if bot.published_revision_id is None:
                continue
            flow = await self._flow(bot.published_revision_id)
            node = find_trigger(flow, inbound)
            if node is None:
                continue
            rank = (_TRIGGER_RANK.get(str(node.config.get("kind")), 9), -bot.priority, bot.id)
            if best is None or rank < best[0]:
                best = (rank, bot, bot.published_revision_id, node.id)
        if best is None:
            return
        _rank, bot, revision_id, node_id = best
        if self._stale(message, bot, now):
            await self._trace_only(conv_id, bot.id, "stale_ignored", {"message_id": message.id})
            return
        flow = await self._flow(revision_id)
        result = start(flow, self.registry, inbound, now, start_node=node_id)
        await self._commit(conv_id, bot, revision_id, result, None)

    def _stale(self, message: Message, bot: Bot, now: datetime) -> bool:
        if bot.settings.process_stale:
            return False
        return (now - message.timestamp).total_seconds() > bot.settings.stale_after

    # -- the owner's messages ------------------------------------------------------------------

    async def _on_outbound(self, message: Message) -> None:
        def pause(conn: Connection) -> tuple[Conversation | None, SessionRecord | None]:
            origin = conn.execute(
                select(message_t.c.origin).where(message_t.c.id == message.id)
            ).scalar()
            if origin not in _OWNER_ORIGINS:
                return None, None
            conv = repo.get_conversation(conn, message.conversation_id)
            if conv is None or conv.mode == ConversationMode.HUMAN:
                return None, None
            record = bs.load_session(conn, conv.id)
            has_bots = bool(bs.list_bots(conn, conv.number_id, active_only=True))
            if not has_bots and (record is None or not record.active):
                return None, None
            conv = repo.set_conversation_mode(conn, conv.id, ConversationMode.HUMAN)
            if record is not None and record.active:
                _paused(record, self.now())
                bs.save_session(conn, record)
                return conv, record
            return conv, None

        conv, record = await self._store.write(pause)
        if conv is None:
            return
        self._publish(ConversationUpdated(conv))
        if record is not None:
            self._disarm(conv.id)
            await self._trace_only(
                conv.id, record.bot_id, "paused_by_owner", {"message_id": message.id}
            )

    async def _pause(self, record: SessionRecord) -> None:
        _paused(record, self.now())
        await self._store.write(partial(bs.save_session, record=record))
        self._disarm(record.conversation_id)
        await self._trace_only(record.conversation_id, record.bot_id, "paused_by_owner")

    # -- resumes -------------------------------------------------------------------------------

    async def _on_resume(self, conv_id: int, resume: Resume) -> None:
        def load(conn: Connection) -> tuple[SessionRecord | None, Bot | None, bool]:
            record = bs.load_session(conn, conv_id)
            if record is None or not record.active:
                return None, None, False
            conv = repo.get_conversation(conn, conv_id)
            human = conv is None or conv.mode == ConversationMode.HUMAN
            return record, bs.get_bot(conn, record.bot_id), human

        record, bot, human = await self._store.read(load)
        if record is None or bot is None or not bot.active:
            return
        if human:  # the owner took the conversation over: the timer/result is dropped
            await self._pause(record)
            return
        flow = await self._flow(record.revision_id)
        result = step(flow, self.registry, record.session, resume, self.now())
        await self._commit(conv_id, bot, record.revision_id, result, record)

    # -- committing a step and performing its actions ------------------------------------------

    async def _commit(
        self,
        conv_id: int,
        bot: Bot,
        revision_id: int,
        result: StepResult,
        previous: SessionRecord | None,
    ) -> None:
        now = self.now()
        session = result.session
        was_active = previous is not None and previous.active
        record = SessionRecord(
            conversation_id=conv_id,
            bot_id=bot.id,
            revision_id=revision_id,
            session=session,
            status=session.status,
            started_at=previous.started_at if previous is not None and was_active else now,
            updated_at=now,
        )
        entries = act.trace_entries(result)
        if not was_active:
            entries.insert(0, {"type": "session_started", "inputs": {"revision_id": revision_id}})
        if not session.active:
            kind = {"ended": "session_completed", "handed_off": "session_handed_off"}.get(
                session.status, "session_failed"
            )
            error = next((e["error"] for e in entries if e.get("error")), None)
            entries.append(
                {
                    "type": kind,
                    "node_id": session.current_node,
                    "error": (error or "error") if kind == "session_failed" else None,
                }
            )

        def write(conn: Connection) -> list[Any]:
            session_id = bs.save_session(conn, record)
            return bs.insert_traces(
                conn,
                conversation_id=conv_id,
                bot_id=bot.id,
                session_id=session_id,
                entries=entries,
                now=now,
            )

        traced = await self._store.write(write)
        self._publish(BotTraced(conv_id, bot.id, tuple(traced)))
        self._disarm(conv_id)
        if session.active and session.wake_at is not None:
            self._arm(record)
        await self.performer.perform(conv_id, bot, result)

    async def _jump_to_flow(self, conv_id: int, bot: Bot, action: StartFlow) -> None:
        revision_id = await self._store.read(
            partial(bs.flow_revision_by_doc_id, flow_doc_id=action.flow_id)
        )
        if revision_id is None:
            await self._trace_only(
                conv_id,
                bot.id,
                "jump_failed",
                {"flow": action.flow_id},
                error="that flow was never published",
                node_id=action.node_id,
            )
            return
        flow = await self._flow(revision_id)
        if not flow.triggers:
            await self._trace_only(
                conv_id,
                bot.id,
                "jump_failed",
                {"flow": action.flow_id},
                error="that flow has no trigger",
                node_id=action.node_id,
            )
            return
        result = start(
            flow,
            self.registry,
            Inbound(),
            self.now(),
            start_node=flow.triggers[0].id,
            variables=action.variables,
        )
        await self._commit(conv_id, bot, revision_id, result, None)

    # -- timers and helpers --------------------------------------------------------------------

    def _arm(self, record: SessionRecord) -> None:
        session = record.session
        if session.wake_at is None or session.status != "waiting":
            return
        kind: Literal["delay", "timeout"] = "delay" if session.waiting_for == "delay" else "timeout"
        delay = max(0.0, (session.wake_at - self.now()).total_seconds())
        job = _Job("resume", resume=Resume(kind, session.current_node))
        self._disarm(record.conversation_id)
        loop = asyncio.get_running_loop()
        self._timers[record.conversation_id] = loop.call_later(
            delay, self._fire, record.conversation_id, job
        )

    def _fire(self, conv_id: int, job: _Job) -> None:
        self._timers.pop(conv_id, None)
        self._enqueue(conv_id, job)

    def _disarm(self, conv_id: int) -> None:
        handle = self._timers.pop(conv_id, None)
        if handle is not None:
            handle.cancel()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._side_tasks.add(task)
        task.add_done_callback(self._side_tasks.discard)

    def _publish(self, event: EngineEvent) -> None:
        self._engine._publish(event)

    async def _trace_only(
        self,
        conv_id: int,
        bot_id: int | None,
        kind: str,
        inputs: dict[str, Any] | None = None,
        *,
        error: str | None = None,
        node_id: str | None = None,
    ) -> None:
        entry = {
            "type": kind,
            "inputs": act.safe_mapping(inputs or {}),
            "error": error,
            "node_id": node_id,
        }
        traced = await self._store.write(
            partial(
                bs.insert_traces,
                conversation_id=conv_id,
                bot_id=bot_id,
                session_id=None,
                entries=[entry],
                now=self.now(),
            )
        )
        self._publish(BotTraced(conv_id, bot_id, tuple(traced)))


def _paused(record: SessionRecord, now: datetime) -> None:
    """Mark a session paused: the flow sees it as handed off (it ignores every event)."""
    record.session = replace(record.session.copy(), status="handed_off", wake_at=None)
    record.status, record.updated_at = "paused", now
