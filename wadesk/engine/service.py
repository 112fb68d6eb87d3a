"""The Engine facade: start/stop, commands and events, in plain asyncio (knows no Qt).

The GUI hosts it on the qasync loop, `wadesk serve` under asyncio.run(), tests on either.
Clients call its coroutines and subscribe to `EngineEvent`s; they never touch the store, the
keyring or the server directly. Blocking work (keyring, file I/O) runs in `self.blocking()`.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Protocol, TypeVar

from wadesk import __version__
from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.core.events import EngineEvent
from wadesk.core.models import Message, Number
from wadesk.core.templates import MessageTemplate
from wadesk.core.validation import ValidationError, normalize_phone, validate_graph_id
from wadesk.engine import activity, number_admin, templates
from wadesk.engine.bots import Bot, BotRuntime, BotStats, FlowInfo, FlowRevision
from wadesk.engine.checks import CheckResult, NumberDraft, run_checks
from wadesk.engine.clients import ClientPool
from wadesk.engine.config import Settings
from wadesk.engine.connection import ConnectionManager
from wadesk.engine.inbox import InboxService
from wadesk.engine.ingest import Ingest
from wadesk.engine.instance import InstanceLock
from wadesk.engine.labels import LabelService
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.media import MediaStore
from wadesk.engine.media_sync import MediaSync
from wadesk.engine.outbox import Outbox, OutboxConfig
from wadesk.engine.secrets import SecretKind, SecretStore, SecretsUnavailable
from wadesk.engine.store import Store, repo
from wadesk.engine.store.apply import NumberRef
from wadesk.engine.store.errors import NotFoundError
from wadesk.engine.webhook import WebhookServer
from wadesk.flow import Flow, Problem

log = logging.getLogger("wadesk.engine")
T = TypeVar("T")
Subscriber = Callable[[EngineEvent], None]


class Component(Protocol):
    """A part of the engine with a lifecycle (outbox, tunnel, bot runtime, …).

    Components are built in `Engine.__init__`, started in order after ingest and the server are
    up, and stopped in reverse order before ingest drains and the store closes.
    """

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class EngineError(Exception):
    """A command failed for a reason the user can act on; str() says what to do."""


class Engine:
    """Owns the store, ingest and webhook server of one wadesk data dir.

    Attributes:
        settings: the start-up settings.
        store: the SQLite store (for the engine's own modules; clients use the commands).
        server: the webhook server, once started.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        secrets: SecretStore,
        redactor: SecretRedactor,
    ) -> None:
        self.settings = settings
        self.secrets = secrets
        self.redactor = redactor
        self.store = Store(settings.paths.db_file)
        self.server: WebhookServer | None = None
        self.ingest: Ingest | None = None
        self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="wadesk-io")
        self.clients = ClientPool(settings, secrets, self.blocking)
        self.inbox = InboxService(self.store, self._publish)
        self.labels = LabelService(self.store, self._publish)
        self._components: list[Component] = []
        self._started_components: list[Component] = []
        self._subscribers: list[Subscriber] = []
        self._numbers: dict[str, NumberRef] = {}
        self._app_secrets: list[str] = []
        self._verify_token: str | None = None
        self._started_monotonic: float | None = None
        self.verification_requests: list[tuple[datetime, bool]] = []
        self.connection = ConnectionManager(self)
        self.add_component(self.connection)
        self.outbox = Outbox(
            self.store,
            self.clients,
            self._publish,
            OutboxConfig.from_extra(settings.extra),
            instance=InstanceLock(settings.paths.data_dir),  # `wadesk send` hands rows to it
        )
        self.add_component(self.outbox)
        self.bots = BotRuntime(self)  # after the outbox: bots send through it
        self.add_component(self.bots)
        self.media = MediaStore(settings.paths.media_dir)
        self.media_sync = MediaSync(
            self.store, self.clients, self.media, publish=self._publish, subscribe=self.subscribe
        )
        self.add_component(self.media_sync)

    # -- plumbing ---------------------------------------------------------------------------

    async def blocking(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a blocking call (keyring, files) off the event loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(fn, *args, **kwargs))

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback(event)` for every engine event; returns an unsubscribe function."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def _publish(self, event: EngineEvent) -> None:
        for callback in list(self._subscribers):
            try:
                callback(event)
            except Exception:
                log.exception("An engine event subscriber failed on %s", type(event).__name__)

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self, *, serve: bool = True, ingest: bool = True) -> None:
        """Open the store and load numbers; with `ingest`, recover and apply webhook events;
        with `serve`, also listen for webhooks. Commands of the CLI use neither."""
        self._started_monotonic = time.monotonic()
        await self.store.open()
        await self.reload_numbers()
        try:
            self._verify_token = await self.blocking(self.secrets.verify_token)
        except SecretsUnavailable as exc:
            log.error("No verify token: Meta's webhook verification will fail. %s", exc)
        if not ingest:
            return
        self.ingest = Ingest(
            self.store,
            app_secrets=lambda: self._app_secrets,
            numbers=lambda: self._numbers,
            publish=self._publish,
        )
        self.ingest.start()
        await self.ingest.recover()
        if serve:
            self.server = WebhookServer(
                self.ingest,
                verify_token=lambda: self._verify_token,
                health=self.health,
                on_verification=self._on_verification,
                host=self.settings.host,
                port=self.settings.port,
                max_body=self.settings.max_body,
            )
            await self.server.start()
        for component in self._components:
            await component.start()
            self._started_components.append(component)
        if serve:
            # the start-up objects (modules, SQLAlchemy metadata, ...) live as long as the
            # engine: keep them out of the cyclic collector's full passes, which otherwise
            # stall the loop for 100 ms and more under a webhook burst (bench/ingest.py: ack
            # p99 ~140 -> ~30 ms); `stop` hands them back
            gc.freeze()

    def add_component(self, component: Component) -> None:
        """Register a component to start with the engine (call from `__init__`)."""
        self._components.append(component)

    async def stop(self) -> None:
        """Stop components and serving, apply what was acknowledged, drain the writer."""
        while self._started_components:
            component = self._started_components.pop()
            try:
                await component.stop()
            except Exception:
                log.exception("Stopping %s failed", type(component).__name__)
        if self.server is not None:
            await self.server.stop()
            self.server = None
        if self.ingest is not None:
            await self.ingest.stop()
        await self.clients.aclose()
        await self.store.close()
        self._executor.shutdown(wait=True)
        gc.unfreeze()

    def _on_verification(self, ok: bool) -> None:
        self.verification_requests.append((datetime.now().astimezone(), ok))

    @property
    def verify_token(self) -> str | None:
        return self._verify_token

    # -- numbers -------------------------------------------------------------------------------

    async def reload_numbers(self) -> None:
        refs = await self.store.read(repo.number_refs)
        self._numbers = dict(refs)
        try:
            self._app_secrets = await self.blocking(self.secrets.app_secrets, list(refs))
        except SecretsUnavailable as exc:
            self._app_secrets = []
            log.error("App secrets unavailable, every webhook will be rejected: %s", exc)

    async def list_numbers(self) -> list[Number]:
        return await self.store.read(repo.list_numbers)

    async def add_number(
        self,
        *,
        label: str,
        phone: str,
        phone_number_id: str,
        waba_id: str,
        access_token: str,
        app_secret: str,
    ) -> Number:
        """Validate, store the secrets in the keyring, then the number row (no secrets); when a
        public URL is known, re-register the callback (the result is in the connection status)."""
        label = label.strip()
        if not label:
            raise ValidationError("label", "Give the number a label, e.g. 'Salon'.")
        phone_e164 = normalize_phone(phone)
        pnid = validate_graph_id("phone_number_id", phone_number_id, "Phone Number ID")
        waba = validate_graph_id("waba_id", waba_id, "WhatsApp Business Account ID")
        if not access_token.strip():
            raise ValidationError("access_token", "Paste the access token.")
        if not app_secret.strip():
            raise ValidationError("app_secret", "Paste the app secret.")
        existing = await self.list_numbers()
        for number in existing:
            if number.label == label:
                raise EngineError(f"A number labelled '{label}' already exists.")
            if number.phone_number_id == pnid:
                raise EngineError(f"Phone Number ID {pnid} is already added as '{number.label}'.")
        await self.blocking(self.secrets.set, SecretKind.ACCESS_TOKEN, pnid, access_token.strip())
        await self.blocking(self.secrets.set, SecretKind.APP_SECRET, pnid, app_secret.strip())
        number = await self.store.write(
            partial(
                repo.add_number,
                label=label,
                phone=phone_e164,
                phone_number_id=pnid,
                waba_id=waba,
            )
        )
        await self.reload_numbers()
        log.info("Number added: %s (%s, Phone Number ID %s)", label, phone_e164, pnid)
        await self.connection.register_all()  # a known public URL becomes the new WABA's callback
        return number

    async def remove_number(self, label: str) -> Number:
        number = await self.store.read(partial(repo.get_number_by_label, label=label))
        if number is None:
            raise EngineError(f"No number labelled '{label}'.")
        await self.store.write(partial(repo.remove_number, label=label))
        await self.clients.invalidate(number.phone_number_id)
        for kind in (SecretKind.ACCESS_TOKEN, SecretKind.APP_SECRET):
            try:
                await self.blocking(self.secrets.delete, kind, number.phone_number_id)
            except SecretsUnavailable as exc:
                log.warning("Could not delete the %s of %s from the keyring: %s", kind, label, exc)
        await self.reload_numbers()
        log.info("Number removed: %s", label)
        return number

    async def check_number(
        self, draft: NumberDraft, on_progress: Callable[[CheckResult], None] | None = None
    ) -> list[CheckResult]:
        """Run the live account checks (`wadesk.engine.checks`); a saved number keeps them."""
        results = await run_checks(self, draft, on_progress)
        await self.save_check_results(draft.phone_number_id, results)
        return results

    async def save_check_results(
        self, phone_number_id: str, results: Sequence[CheckResult]
    ) -> None:
        if phone_number_id.strip() in self._numbers:
            now = datetime.now().astimezone()
            save = partial(number_admin.save_checks, now=now)
            await self.store.write(lambda conn: save(conn, phone_number_id.strip(), results))

    async def number_overview(self) -> list[number_admin.NumberOverview]:
        return await self.store.read(number_admin.overview)

    async def update_number(self, label: str, **fields: Any) -> Number:
        """Edit a number (see `number_admin.update_number`), then re-register the callback."""
        number = await number_admin.update_number(self, label, **fields)
        await self.connection.register_all()
        return number

    async def set_number_active(self, label: str, active: bool) -> Number:
        change = partial(repo.set_number_active, label=label, active=active)
        number = await self.store.write(change)
        await self.reload_numbers()
        if active:
            await self.connection.register_all()
        return number

    # -- sending (the outbox) -------------------------------------------------------------------

    async def send(self, conversation_id: int | None = None, **kwargs: Any) -> Message:
        """Queue an outgoing message (see `Outbox.send`); returns the QUEUED row."""
        return await self.outbox.send(conversation_id, **kwargs)

    async def retry_message(self, message_id: int) -> Message:
        """Send a failed / unknown message again (see `Outbox.retry`)."""
        return await self.outbox.retry(message_id)

    async def mark_read(self, conversation_id: int, *, typing: bool = False) -> bool:
        """Mark a conversation read here and on WhatsApp (see `Outbox.mark_read`)."""
        return await self.outbox.mark_read(conversation_id, typing=typing)

    async def add_note(self, conversation_id: int, text: str) -> Message:
        """Store a private note in a conversation; it is never sent (see `engine.notes`)."""
        from wadesk.core.events import MessageAdded
        from wadesk.engine import notes

        write = partial(notes.insert_note, conversation_id=conversation_id, text=text)
        message, conversation, contact = await self.store.write(write)
        self._publish(MessageAdded(message, conversation, contact))
        return message

    # -- templates and media ------------------------------------------------------------------

    async def sync_templates(self, number: str | int) -> int:
        """Fetch a number's templates (label, Phone Number ID or id) into the store; publishes
        `TemplatesSynced`. Graph / network errors propagate and explain themselves."""
        try:
            return await templates.sync_templates(self.store, self.clients, self._publish, number)
        except templates.UnknownNumber as exc:
            raise EngineError(str(exc)) from None

    async def list_templates(
        self, number_id: int, *, approved_only: bool = False
    ) -> list[MessageTemplate]:
        return await templates.list_templates(self.store, number_id, approved_only=approved_only)

    async def download_media(self, message_id: int) -> Message | None:
        """Download (again) the media of an inbound message; a failure is recorded on it."""
        try:
            return await self.media_sync.download(message_id)
        except NotFoundError:
            raise EngineError(f"There is no message #{message_id}.") from None

    # -- bots (the full set of flow/bot commands is `self.bots`, see wadesk.engine.bots) --------

    async def list_flows(self) -> list[FlowInfo]:
        return await self.bots.flows()

    async def save_flow_draft(self, flow_id: int, flow: Flow) -> FlowInfo:
        return await self.bots.save_draft(flow_id, flow)

    async def publish_flow(
        self, flow_id: int, note: str | None = None
    ) -> tuple[FlowRevision, list[Problem]]:
        """Validate and publish a flow's draft (`BotError` with the problems on errors)."""
        return await self.bots.publish(flow_id, note)

    async def list_bots(self, number_id: int | None = None) -> list[Bot]:
        return await self.bots.bots(number_id)

    async def set_bot_active(self, bot_id: int, active: bool) -> Bot:
        """Switch a bot on/off (switching on is refused while its flow has errors)."""
        return await self.bots.set_bot_active(bot_id, active)

    async def bot_stats(self, bot_id: int) -> BotStats:
        return await self.bots.bot_stats(bot_id)

    # -- health ------------------------------------------------------------------------------

    async def health(self) -> dict[str, Any]:
        counts = await self.store.read(repo.counts)
        last = self.ingest.last_event_at if self.ingest is not None else None
        if last is None:
            last = await self.store.read(repo.last_event_time)
        uptime = time.monotonic() - self._started_monotonic if self._started_monotonic else 0.0
        return {
            "status": "ok",
            "version": __version__,
            "uptime_seconds": round(uptime, 3),
            "last_event_at": last.isoformat() if last else None,
            "numbers": len(self._numbers),
            "counts": counts,
        }

    # -- backup ---------------------------------------------------------------------------------

    async def backup(self, path: Path, progress: Callable[[int, int], None] | None = None) -> Any:
        """Archive the data dir (database, media, flows; no secret) to `path`; returns the
        `backup.Manifest`. See `wadesk.engine.backup` (restore is `backup.restore`)."""
        from wadesk.engine.backup import backup_engine

        return await backup_engine(self, path, progress)

    # -- activity (event inspector) --------------------------------------------------------------

    @property
    def log_file(self) -> Path:
        """The rotating log file (it exists once logging is configured and something logged)."""
        return activity.log_file_path(self.settings.paths.log_dir)

    async def list_raw_events(
        self,
        *,
        before_id: int | None = None,
        limit: int = activity.DEFAULT_PAGE,
        result: ProcessingResult | Sequence[ProcessingResult] | None = None,
        verdict: SignatureVerdict | None = None,
        search: str | None = None,
        ids: Sequence[int] | None = None,
    ) -> list[activity.RawEventSummary]:
        """Stored webhook events newest first (see `activity.list_raw_events`)."""
        query = partial(
            activity.list_raw_events,
            before_id=before_id,
            limit=limit,
            result=result,
            verdict=verdict,
            search=search,
            ids=ids,
        )
        return await self.store.read(query)

    async def raw_event(self, raw_event_id: int) -> activity.RawEventDetail:
        """One stored webhook event with its body; EngineError when there is none."""
        try:
            return await self.store.read(partial(activity.get_raw_event, raw_event_id=raw_event_id))
        except KeyError:
            raise EngineError(f"There is no webhook event #{raw_event_id}.") from None

    async def replay(self, raw_event_id: int) -> activity.RawEventDetail:
        """Apply a stored, signed event again (idempotent) and return it as it is now."""
        current = await self.raw_event(raw_event_id)
        if not current.summary.replayable:
            raise EngineError(
                f"Webhook event #{raw_event_id} was rejected (signature {current.verdict.value}); "
                "only events signed by Meta can be replayed."
            )
        if self.ingest is None:
            raise EngineError("Webhook events can be replayed only while the engine runs.")
        await self.ingest.replay(raw_event_id)
        log.info("Webhook event %d replayed", raw_event_id)
        return await self.raw_event(raw_event_id)

    async def diagnostics(self) -> str:
        """Versions, checks, health, numbers and the last log lines, without secrets."""
        return await activity.diagnostics(self)
