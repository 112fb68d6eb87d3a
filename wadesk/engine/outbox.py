"""The reliable outbox: every outgoing message (from a person, a bot or the CLI) is a stored row
first, then a rate-limited, retried Graph call.

Life of an outbound row (statuses of `wadesk.core.enums.MessageStatus`):

    send(): free-form outside the 24-hour window → LocalError(WINDOW_CLOSED), nothing stored
    send(): QUEUED (MessageAdded: the UI shows a local echo at once)
    tokens taken → in-flight marker* → HTTP call →
        accepted                 → SENT with its wamid (status webhooks: DELIVERED, READ, FAILED)
        connect error            → QUEUED; the lane probes until WhatsApp is reachable again
        retryable Graph error    → QUEUED; back-off; FAILED after `max_attempts`
        other Graph error        → FAILED with code/title/details
        timeout after sending    → UNKNOWN with TIMEOUT_AFTER_SEND (the user may `retry`)

*The store has no `sending` status and Graph has no idempotency key. Right before the HTTP
call the row gets a marker (`outbox_store.IN_FLIGHT` in `error_details`, which the UI never
shows; the status stays QUEUED), committed before the call; every result removes it. If wadesk
dies during the call, the next start finds the marker and makes the row UNKNOWN with the
TIMEOUT_AFTER_SEND explanation instead of sending it again — the honest at-most-once choice;
the user checks the phone and resends (`retry`) if needed. A graceful stop waits for calls in
flight, so a normal restart sends every queued message exactly once: rows still QUEUED (without
the marker) are queued again at start, oldest first.

Other processes: the database is the queue. `wadesk send` stores a QUEUED row (an Outbox that
is not started only stores) and the running engine's outbox, which holds the data dir's
`InstanceLock`, finds it within `poll_interval` (`_watch`: one indexed query when nothing is
queued). Claiming a row is one atomic UPDATE (`outbox_store.mark_in_flight`), so two processes
never both send it; only the lock's holder recovers in-flight rows at start. Without a running
engine `wadesk send` starts an outbox itself (`start(resume=False, watch=False)`: it sends only
its own message, with the same window check and limits).

Sending: one FIFO queue and one task per (number, recipient) — messages to one person keep
their order and a busy recipient (pair limit, back-off) never holds up the others. Every attempt
takes a token from the recipient's pair bucket, then a slot (at most `max_in_flight` calls at
once) and a token from the number's throughput bucket (FIFO across recipients, so older messages
go first). See `wadesk.engine.ratelimit` for why the buckets are a little stricter than Meta's.

Offline: a connect error (the request certainly never left) keeps the row QUEUED and pauses the
number's lane; one message probes with growing pauses (`probe_initial` … `probe_max`), the rest
wait, and all resume as soon as a call gets any answer. Retryable Graph errors (catalogue) back
off with jitter (1, 2, 4 … s, ≤ `max_attempts` tries; 131056 waits 6 s then 4^n s; a hint longer
than the cap, like 131049's 24 h, fails at once) and then fail.

Errors are stored for `explain(lang)`: Graph errors as error_code/title/details (+ fbtrace_id),
local ones with error_code NULL and error_title = the local catalogue code.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Any

from wadesk.core.enums import Direction, MessageStatus, MessageType
from wadesk.core.error_catalogue import TOKEN_MISSING
from wadesk.core.errors import (
    BAD_RESPONSE,
    TIMEOUT_AFTER_SEND,
    WINDOW_CLOSED,
    GraphError,
    LocalError,
    NetworkError,
    WadeskError,
)
from wadesk.core.events import ConversationUpdated, EngineEvent, MessageAdded
from wadesk.core.models import Message
from wadesk.core.window import window_open
from wadesk.engine import outbox_store as db
from wadesk.engine.clients import ClientPool
from wadesk.engine.instance import InstanceLock
from wadesk.engine.outbox_lanes import DONE, OFFLINE, Kind, Lane, Outcome, Recipient
from wadesk.engine.outbox_lanes import OutboxConfig as OutboxConfig  # re-exported
from wadesk.engine.outbox_lanes import OutboxError as OutboxError  # re-exported
from wadesk.engine.ratelimit import (
    AsyncTokenBucket,
    KeyedLocks,
    TokenBucket,
    backoff_delay,
    pair_backoff_delay,
)
from wadesk.engine.secrets import SecretsUnavailable
from wadesk.engine.store import Store, repo
from wadesk.engine.store.columns import MessageOrigin

log = logging.getLogger("wadesk.outbox")
Publish = Callable[[EngineEvent], None]
PAIR_LIMIT_CODE = 131056


def _now() -> datetime:
    return datetime.now(UTC)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


class Outbox:
    """The outbox component of the Engine (`start()` / `stop()`), and its commands."""

    def __init__(
        self,
        store: Store,
        clients: ClientPool,
        publish: Publish,
        config: OutboxConfig | None = None,
        *,
        rng: random.Random | None = None,
        instance: InstanceLock | None = None,
    ) -> None:
        self.config = config or OutboxConfig()
        self._instance = instance
        self._watcher: asyncio.Task[None] | None = None
        self._store = store
        self._clients = clients
        self._publish_event = publish
        self._rng = rng or random.Random()
        self._lanes: dict[int, Lane] = {}
        self._queued: set[int] = set()
        self._given_up: set[int] = set()
        self._inflight: set[asyncio.Task[Outcome]] = set()
        self._slots: asyncio.Semaphore | None = None
        self._send_order = KeyedLocks()
        self._running = False

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self, *, resume: bool = True, watch: bool = True) -> None:
        """Take the data dir's instance lock; as its holder recover rows a crash left in
        flight; with `resume` queue every QUEUED row, oldest first; with `watch` look every
        `poll_interval` for rows other processes queued (`wadesk send`). `wadesk send` itself
        starts with neither: it sends only what it queues."""
        self._slots = asyncio.Semaphore(self.config.max_in_flight)
        self._running = True
        owner = await self._take_instance()
        if owner:
            stale = await self._store.write(db.recover_in_flight)
            if stale:
                log.warning(
                    "%d message(s) were being sent when wadesk stopped; marked 'unknown' for"
                    " the user to check and resend",
                    len(stale),
                )
        else:
            log.warning("Another wadesk runs on this data dir; both send its queued messages")
        if resume:
            routes = await self._store.read(db.queued_routes)
            for route in routes:
                self._enqueue(route)
            if routes:
                log.info("Resuming %d queued message(s)", len(routes))
        if watch:
            self._watcher = asyncio.create_task(self._watch(), name="wadesk-outbox-watch")

    async def claim_instance(self) -> bool:
        """Take the data dir's instance lock (before `start`); False when another process's
        engine holds it — then rows this process stores are sent by that engine."""
        return await self._take_instance()

    async def _take_instance(self) -> bool:
        if self._instance is None:
            return True
        if self._instance.held:
            return True
        try:
            return await asyncio.to_thread(self._instance.acquire)
        except OSError as exc:
            log.warning("Cannot lock the data dir (%s); running without the instance lock", exc)
            return False

    async def _watch(self) -> None:
        """Queue rows that another process (`wadesk send`) stored; while another engine holds
        the instance lock, try to take it over. One indexed query when nothing is queued."""
        while self._running:
            await asyncio.sleep(self.config.poll_interval)
            try:
                if self._instance is not None and not self._instance.held:
                    await self._take_instance()
                known = frozenset(self._queued | self._given_up)
                for route in await self._store.read(partial(db.queued_routes, known=known)):
                    self._enqueue(route)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("Looking for queued messages failed")

    async def stop(self) -> None:
        """Stop taking new work, let calls in flight finish (≤ stop_timeout), cancel the rest.
        Rows not sent stay QUEUED and go out at the next start."""
        self._running = False
        if self._watcher is not None:
            self._watcher.cancel()
            await asyncio.gather(self._watcher, return_exceptions=True)
            self._watcher = None
        tasks = [
            r.task
            for lane in self._lanes.values()
            for r in lane.recipients.values()
            if r.task is not None
        ]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._inflight:
            _, pending = await asyncio.wait(self._inflight, timeout=self.config.stop_timeout)
            for attempt in pending:
                attempt.cancel()
            if pending:
                log.warning("%d send(s) did not finish before shutdown", len(pending))
                await asyncio.gather(*pending, return_exceptions=True)
        self._lanes.clear()
        self._queued.clear()
        if self._instance is not None and self._instance.held:
            await asyncio.to_thread(self._instance.release)

    @property
    def pending(self) -> int:
        """Messages waiting in the queues of this run (for tests, benches and the UI)."""
        return len(self._queued)

    def online(self, number_id: int) -> bool:
        """False while the number's lane waits for the network to come back."""
        lane = self._lanes.get(number_id)
        return lane is None or lane.online.is_set()

    # -- commands ------------------------------------------------------------------------------

    async def send(
        self,
        conversation_id: int | None = None,
        *,
        body: Mapping[str, Any],
        number_id: int | None = None,
        to: str | None = None,
        text: str | None = None,
        type: MessageType | str | None = None,
        origin: MessageOrigin | str = MessageOrigin.USER,
        reply_to: str | None = None,
    ) -> Message:
        """Queue a message and return its row (status QUEUED); it goes out in the background.

        `body` is a send body from `wadesk.core.outgoing` (its recipient is replaced by the
        conversation's contact). Give `conversation_id`, or `number_id` and `to` (wa_id/BSUID).
        Free-form content outside the 24-hour window raises `LocalError(WINDOW_CLOSED)` and
        nothing is stored; templates are always allowed. Concurrent calls for one conversation
        are stored and sent in the order they were made.
        """
        key = ("conversation", conversation_id) if conversation_id is not None else (number_id, to)
        async with self._send_order.hold(key):
            return await self._queue_new(
                conversation_id, body, number_id, to, text, type, origin, reply_to
            )

    async def _queue_new(
        self,
        conversation_id: int | None,
        body: Mapping[str, Any],
        number_id: int | None,
        to: str | None,
        text: str | None,
        type: MessageType | str | None,
        origin: MessageOrigin | str,
        reply_to: str | None,
    ) -> Message:
        store_new = partial(
            db.store_new,
            conversation_id=conversation_id,
            body=body,
            number_id=number_id,
            to=to,
            text=text,
            type=type,
            origin=origin,
            reply_to=reply_to,
        )
        message, conv, who, recipient = await self._store.write(store_new)
        self._publish(MessageAdded(message, conv, who))
        self._enqueue(db.Route(message.id, conv.number_id, recipient))
        return message

    async def retry(self, message_id: int) -> Message:
        """Send a FAILED or UNKNOWN message again: the same row is queued again, or — when
        Meta had already accepted it (it has a wamid) — a copy is sent as a new message."""
        message, number, contact = await self._store.read(
            partial(repo.message_route, message_id=message_id)
        )
        if message.direction is not Direction.OUTBOUND or message.status not in (
            MessageStatus.FAILED,
            MessageStatus.UNKNOWN,
        ):
            raise OutboxError("Only failed messages, or ones whose outcome is unknown, are resent.")
        if message.wamid is not None:
            return await self.send(
                message.conversation_id,
                body=message.payload,
                text=message.text,
                type=message.type,
                reply_to=message.reply_to,
            )
        if message.type is not MessageType.TEMPLATE:
            found = await self._store.read(
                partial(db.conversation_with_contact, conversation_id=message.conversation_id)
            )
            if found is None or not window_open(found[0].last_inbound_at):
                raise LocalError(WINDOW_CLOSED)
        events = await self._store.write(partial(db.requeue, message_id=message_id))
        if not events:
            raise OutboxError("The message changed meanwhile; it was not resent.")
        for event in events:
            self._publish(event)
        self._enqueue(db.Route(message_id, number.id, contact.wa_id or contact.user_id or ""))
        updated = await self._store.read(partial(repo.get_message, message_id=message_id))
        assert updated is not None
        return updated

    async def mark_read(self, conversation_id: int, *, typing: bool = False) -> bool:
        """Clear the conversation's unread count and tell WhatsApp the latest inbound message
        was read (`typing` also shows the typing indicator). Returns False when WhatsApp could
        not be told (no inbound message, offline, …); that is logged, not raised."""
        before = await self._store.read(
            partial(repo.get_conversation, conversation_id=conversation_id)
        )
        if before is None:
            raise OutboxError(f"No conversation with id {conversation_id}.")
        if before.unread_count:
            conv = await self._store.write(
                partial(repo.mark_conversation_read, conversation_id=conversation_id)
            )
            self._publish(ConversationUpdated(conv))
        wamid = await self._store.read(
            partial(db.latest_inbound_wamid, conversation_id=conversation_id)
        )
        if wamid is None:
            return False
        number = await self._store.read(partial(repo.get_number, number_id=before.number_id))
        try:
            client = await self._clients.get(number.phone_number_id, number.waba_id)
            await (await self._throughput(self._lane(number.id))).acquire()
            await client.mark_read(wamid, typing)
        except (WadeskError, SecretsUnavailable) as err:
            log.warning("Could not mark the conversation %s read: %s", conversation_id, err)
            return False
        return True

    # -- queues --------------------------------------------------------------------------------

    def _publish(self, event: EngineEvent) -> None:
        self._publish_event(event)

    def _lane(self, number_id: int) -> Lane:
        lane = self._lanes.get(number_id)
        if lane is None:
            lane = self._lanes[number_id] = Lane(number_id)
        return lane

    def _enqueue(self, route: db.Route) -> None:
        if not self._running or route.message_id in self._queued:
            return
        self._queued.add(route.message_id)
        lane = self._lane(route.number_id)
        queue = lane.recipients.get(route.recipient)
        if queue is None:
            queue = lane.recipients[route.recipient] = Recipient()
        queue.ids.append(route.message_id)
        if queue.task is None:
            queue.task = asyncio.create_task(
                self._drain(lane, route.recipient, queue),
                name=f"wadesk-outbox-{route.number_id}-{route.recipient}",
            )

    async def _drain(self, lane: Lane, recipient: str, queue: Recipient) -> None:
        try:
            while queue.ids:
                message_id = queue.ids[0]
                try:
                    await self._deliver(lane, recipient, message_id)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("Sending message %s failed unexpectedly", message_id)
                    self._given_up.add(message_id)  # the watcher must not loop on it
                queue.ids.popleft()
                self._queued.discard(message_id)
        finally:
            queue.task = None
            if not queue.ids and lane.recipients.get(recipient) is queue:
                del lane.recipients[recipient]

    def _pair_bucket(self, lane: Lane, recipient: str) -> AsyncTokenBucket:
        bucket = lane.pair.get(recipient)
        if bucket is None:
            if len(lane.pair) >= 4096:  # a full bucket is the same as a new one: forget those
                lane.pair = {k: b for k, b in lane.pair.items() if not b.full()}
            cfg = self.config
            bucket = AsyncTokenBucket(TokenBucket(cfg.pair_per_second, cfg.pair_burst))
            lane.pair[recipient] = bucket
        return bucket

    async def _throughput(self, lane: Lane) -> AsyncTokenBucket:
        if lane.throughput is None:
            async with lane.lock:
                if lane.throughput is None:
                    info = await self._store.read(partial(db.lane_info, number_id=lane.number_id))
                    rate = info.throughput_per_second or self.config.throughput_per_second
                    burst = max(1.0, rate * self.config.throughput_burst_seconds)
                    lane.throughput = AsyncTokenBucket(TokenBucket(rate, burst, tokens=0.0))
        return lane.throughput

    async def _deliver(self, lane: Lane, recipient: str, message_id: int) -> None:
        """Send one message, waiting out limits, back-offs and network outages."""
        cfg = self.config
        retries = probes = pair_hits = 0
        while True:
            if not lane.online.is_set() and lane.prober != message_id:
                await lane.online.wait()
            await self._pair_bucket(lane, recipient).acquire()
            throughput = await self._throughput(lane)
            assert self._slots is not None
            async with self._slots:
                await throughput.acquire()
                task = asyncio.create_task(self._attempt(message_id))
                self._inflight.add(task)
                task.add_done_callback(self._inflight.discard)
                outcome = await asyncio.shield(task)
            if outcome.kind is Kind.OFFLINE:
                if lane.online.is_set():
                    lane.online.clear()
                    lane.prober = message_id
                    log.warning("WhatsApp is unreachable; messages stay queued until it is back")
                if lane.prober == message_id:
                    await asyncio.sleep(min(cfg.probe_max, cfg.probe_initial * 2.0**probes))
                    probes += 1
                continue
            if not lane.online.is_set():
                log.info("WhatsApp is reachable again; sending queued messages")
                lane.prober = None
                lane.online.set()
            if outcome.kind is Kind.DONE:
                return
            error = outcome.error
            assert error is not None
            hint = error.retry_after_hint
            if retries + 1 >= cfg.max_attempts or (hint is not None and hint > cfg.backoff_cap):
                await self._finish_failed(message_id, error)
                return
            if error.code == PAIR_LIMIT_CODE:
                delay = pair_backoff_delay(pair_hits, cap=cfg.backoff_cap, rng=self._rng)
                pair_hits += 1
            else:
                delay = backoff_delay(
                    retries, base=cfg.backoff_base, cap=cfg.backoff_cap, hint=hint, rng=self._rng
                )
            retries += 1
            log.info("Message %s: %r, retry %d in %.1f s", message_id, error, retries, delay)
            await asyncio.sleep(delay)

    # -- one attempt ---------------------------------------------------------------------------

    async def _attempt(self, message_id: int) -> Outcome:
        """One Graph call for a QUEUED row, its result recorded. Runs shielded: a stop waits."""
        # no SAVEPOINT: an UPDATE and a SELECT by primary key, nothing to undo halfway
        claim = partial(db.claim, message_id=message_id)
        claimed = await self._store.write(claim, atomic=False)
        if claimed is None:  # sent, failed, or claimed by another process meanwhile
            return DONE
        try:
            client = await self._clients.get(claimed.phone_number_id, claimed.waba_id)
        except LocalError as err:
            await self._finish(message_id, MessageStatus.FAILED, None, err.code, err.detail)
            return DONE
        except SecretsUnavailable as err:
            await self._finish(message_id, MessageStatus.FAILED, None, TOKEN_MISSING, str(err))
            return DONE
        except BaseException:
            await self._store.write(partial(db.back_to_queued, message_id=message_id))
            raise
        try:
            result = await client.send(claimed.payload)
        except NetworkError as err:
            if not err.reached_server:
                await self._store.write(partial(db.back_to_queued, message_id=message_id))
                return OFFLINE
            await self._finish(message_id, MessageStatus.UNKNOWN, None, err.code, err.detail)
            return DONE
        except GraphError as err:
            if err.retryable:
                await self._store.write(partial(db.back_to_queued, message_id=message_id))
                return Outcome(Kind.RETRY, err)
            await self._finish_failed(message_id, err)
            return DONE
        except LocalError as err:  # answered, but not with a wamid: outcome unknown
            await self._finish(message_id, MessageStatus.UNKNOWN, None, err.code, err.detail)
            return DONE
        except Exception as exc:
            log.exception("Sending message %s raised", message_id)
            detail = type(exc).__name__
            await self._finish(message_id, MessageStatus.UNKNOWN, None, BAD_RESPONSE, detail)
            return DONE
        try:
            events = await self._store.write(
                partial(db.record_sent, message_id=message_id, wamid=result.wamid, at=_now())
            )
        except Exception:
            log.exception("Recording the wamid of message %s failed", message_id)
            detail = f"sent as {result.wamid}, but not recorded"
            await self._finish(message_id, MessageStatus.UNKNOWN, None, TIMEOUT_AFTER_SEND, detail)
            return DONE
        for event in events:
            self._publish(event)
        return DONE

    async def _finish_failed(self, message_id: int, err: GraphError) -> None:
        details = err.details or err.message
        if err.fbtrace_id:
            details = f"{details} (fbtrace_id {err.fbtrace_id})" if details else err.fbtrace_id
        title = err.title or err.message
        await self._finish(message_id, MessageStatus.FAILED, err.code, title, details)

    async def _finish(
        self,
        message_id: int,
        status: MessageStatus,
        code: int | None,
        title: str | None,
        details: str | None,
    ) -> None:
        events = await self._store.write(
            partial(
                db.record_outcome,
                message_id=message_id,
                status=status,
                error_code=code,
                error_title=title,
                error_details=details,
            )
        )
        for event in events:
            self._publish(event)
