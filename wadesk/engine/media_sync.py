"""Inbound media download: an Engine component that, when an inbound image / video / audio /
document / sticker message is added, downloads its media through the number's Cloud API client
into the content-addressed `MediaStore` (type and size checked against WhatsApp's limits;
documents may be any type up to the store's maximum), records `media_path` / `media_size` /
`media_mime` on the message and publishes `MessageUpdated`. Progress goes to subscribers as
`MediaProgress` events (throttled). A failure is recorded on the message as error 131052 with
the cause, never raised; `download(message_id)` retries (the `engine.download_media` command).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from functools import partial

from wadesk.core.enums import Direction, MessageType
from wadesk.core.errors import GraphError, WadeskError
from wadesk.core.events import EngineEvent, MediaProgress, MessageAdded
from wadesk.core.models import Message
from wadesk.engine.clients import ClientPool
from wadesk.engine.media import MediaStore
from wadesk.engine.store import Store, media_rows, repo

log = logging.getLogger("wadesk.media")

MEDIA_TYPES = frozenset(
    {
        MessageType.IMAGE,
        MessageType.VIDEO,
        MessageType.AUDIO,
        MessageType.DOCUMENT,
        MessageType.STICKER,
    }
)
_CHECKED_KINDS = {
    MessageType.IMAGE: "image",
    MessageType.VIDEO: "video",
    MessageType.AUDIO: "audio",
    MessageType.STICKER: "sticker",
}


class MediaSync:
    """Downloads inbound media as it arrives (at most `concurrency` at a time)."""

    def __init__(
        self,
        store: Store,
        clients: ClientPool,
        media: MediaStore,
        *,
        publish: Callable[[EngineEvent], None],
        subscribe: Callable[[Callable[[EngineEvent], None]], Callable[[], None]],
        concurrency: int = 3,
        progress_interval: float = 0.1,
    ) -> None:
        self._store = store
        self._clients = clients
        self.media = media
        self._publish = publish
        self._subscribe = subscribe
        self._semaphore = asyncio.Semaphore(concurrency)
        self._progress_interval = progress_interval
        self._unsubscribe: Callable[[], None] | None = None
        self._tasks: set[asyncio.Task[Message | None]] = set()
        self._running: dict[int, asyncio.Task[Message | None]] = {}

    async def start(self) -> None:
        self._unsubscribe = self._subscribe(self._on_event)

    async def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def wait_idle(self) -> None:
        """Wait until every download started so far is finished (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _on_event(self, event: EngineEvent) -> None:
        if not isinstance(event, MessageAdded):
            return
        message = event.message
        if (
            message.direction is Direction.INBOUND
            and message.type in MEDIA_TYPES
            and message.media_id
            and not message.media_path
        ):
            self._spawn(message.id)

    def _spawn(self, message_id: int) -> asyncio.Task[Message | None]:
        running = self._running.get(message_id)
        if running is not None and not running.done():
            return running
        task = asyncio.get_running_loop().create_task(self._download(message_id))
        self._tasks.add(task)
        self._running[message_id] = task

        def done(finished: asyncio.Task[Message | None]) -> None:
            self._tasks.discard(finished)
            if self._running.get(message_id) is finished:
                del self._running[message_id]

        task.add_done_callback(done)
        return task

    async def download(self, message_id: int) -> Message | None:
        """Download (again) the media of an inbound message; returns the updated message.

        Failures are recorded on the message, not raised; None when it has no media.
        """
        return await self._spawn(message_id)

    async def _download(self, message_id: int) -> Message | None:
        message, number, _contact = await self._store.read(
            partial(repo.message_route, message_id=message_id)
        )
        if not message.media_id:
            return None
        async with self._semaphore:
            try:
                client = await self._clients.get(number.phone_number_id, number.waba_id)
                stored = await self.media.save_download(
                    client,
                    message.media_id,
                    expected_kind=_CHECKED_KINDS.get(message.type),
                    progress=self._progress(message_id),
                )
            except asyncio.CancelledError:
                raise
            except WadeskError as exc:
                return await self._fail(message_id, exc)
            except OSError as exc:
                return await self._fail(message_id, exc)
        events = await self._store.write(
            partial(
                media_rows.set_media_file,
                message_id=message_id,
                path=str(stored.path),
                size=stored.size,
                mime=stored.mime,
            )
        )
        for event in events:
            self._publish(event)
        log.info("Media of message %d stored (%d bytes)", message_id, stored.size)
        return await self._store.read(partial(repo.get_message, message_id=message_id))

    async def _fail(self, message_id: int, exc: BaseException) -> Message | None:
        title = GraphError(code=media_rows.MEDIA_DOWNLOAD_FAILED).explain("en").split(".")[0]
        cause = exc.explain("en") if isinstance(exc, WadeskError) else f"{type(exc).__name__}"
        detail = getattr(exc, "detail", None)
        details = f"{cause} ({detail})" if detail else cause
        log.warning("Media of message %d not downloaded: %s", message_id, details)
        events = await self._store.write(
            partial(
                media_rows.set_media_failure,
                message_id=message_id,
                title=title,
                details=details,
            )
        )
        for event in events:
            self._publish(event)
        return await self._store.read(partial(repo.get_message, message_id=message_id))

    def _progress(self, message_id: int) -> Callable[[int, int | None], None]:
        last = 0.0

        def report(done: int, total: int | None) -> None:
            nonlocal last
            now = time.monotonic()
            finished = total is not None and done >= total
            if finished or now - last >= self._progress_interval:
                last = now
                self._publish(MediaProgress(message_id=message_id, done=done, total=total))

        return report
