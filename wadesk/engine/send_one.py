"""`wadesk send`: one message through the outbox, from a process that is not the running engine.

The message is always a QUEUED row first, so the outbox's rules apply (24-hour window checked
before anything is stored, throughput and pair limits, retries, exactly-once claiming):

- an engine runs on the data dir (`wadesk serve`, the GUI, `wadesk demo`; it holds the
  `InstanceLock`): the row is stored and that engine's outbox picks it up (its watcher looks
  every `OutboxConfig.poll_interval`); this process only waits for the row's outcome;
- no engine runs: this process takes the lock and starts the engine's outbox itself (no webhook
  server, no tunnel) with `resume=False, watch=False` — it sends only its own message — and
  gives the lock back when the message is out.

Either way `send_one` waits (≤ `wait_seconds`) until the row is sent, failed or unknown.

    outcome = await send_one(engine, SendRequest(number="Salon", to="79161234567", text="Hi"))
    print(outcome.message.wamid)
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from wadesk.core import outgoing
from wadesk.core.enums import MessageStatus, MessageType
from wadesk.core.errors import GraphError, WadeskError, explain_code
from wadesk.core.models import Message, Number
from wadesk.engine.instance import read_instance
from wadesk.engine.outbox import OutboxError
from wadesk.engine.service import Engine, EngineError
from wadesk.engine.store import repo
from wadesk.engine.store.columns import MessageOrigin

log = logging.getLogger("wadesk.send")
POLL_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class SendRequest:
    """One message as `wadesk send` describes it: exactly one of text, template and image."""

    number: str
    to: str
    text: str | None = None
    template: str | None = None
    params: Sequence[str] = ()
    language: str = "en_US"
    image: Path | None = None
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """The row as it ended (SENT/DELIVERED/READ), and who sent it: the pid of the running
    engine it was handed to, or None when this process sent it."""

    message: Message
    handed_to: int | None


class SendFailed(Exception):
    """Not sent: refused locally, failed, or outcome unknown. `explain(lang)` says why in the
    catalogue's words; `message` is the stored row when there is one."""

    def __init__(self, error: WadeskError | None, message: Message | None = None) -> None:
        super().__init__(str(error) if error is not None else "not sent")
        self.error = error
        self.message = message

    def explain(self, lang: str = "en") -> str:
        if self.error is not None:
            return self.error.explain(lang)
        assert self.message is not None
        return explain_row(self.message, lang)


class SendTimeout(Exception):
    """Still queued when the wait ended; it stays queued (the running engine, or the next one
    to start, sends it). `handed_to` is the running engine's pid, if there is one."""

    def __init__(self, message: Message, handed_to: int | None) -> None:
        super().__init__(f"message {message.id} is still queued")
        self.message = message
        self.handed_to = handed_to


def explain_row(message: Message, lang: str = "en") -> str:
    """The catalogue's explanation of a FAILED or UNKNOWN row (Graph code, or local code)."""
    if message.error_code is not None:
        return GraphError(code=message.error_code, message=message.error_title).explain(lang)
    return explain_code(message.error_title or "", lang)


async def find_number(engine: Engine, number: str) -> Number:
    """A number by label or Phone Number ID; EngineError naming the known ones otherwise."""
    numbers = await engine.list_numbers()
    for candidate in numbers:
        if number in (candidate.label, candidate.phone_number_id):
            return candidate
    known = ", ".join(n.label for n in numbers) or "none yet"
    raise EngineError(f"No number '{number}' (known: {known}).")


async def send_one(
    engine: Engine,
    request: SendRequest,
    *,
    wait_seconds: float = 30.0,
    origin: MessageOrigin = MessageOrigin.CLI,
) -> SendOutcome:
    """Queue the message, have it sent by the running engine or by this process's outbox,
    wait for the outcome. `engine` is started without components (`start(serve=False,
    ingest=False)`). Raises SendFailed, SendTimeout, EngineError (unknown number) or OSError
    (unreadable image)."""
    if sum(x is not None for x in (request.text, request.template, request.image)) != 1:
        raise ValueError("give exactly one of text, template and image")
    found = await find_number(engine, request.number)
    wa_id = "".join(request.to.split()).lstrip("+")
    outbox = engine.outbox
    owner = await outbox.claim_instance()
    handed_to: int | None = None
    try:
        if owner:
            await outbox.start(resume=False, watch=False)
        else:
            info = await asyncio.to_thread(read_instance, engine.settings.paths.data_dir)
            handed_to = info.pid if info is not None else 0
            log.info("Handing the message to the running wadesk (pid %s)", handed_to)
        try:
            body, kind, shown = await _build(engine, found, wa_id, request)
            queued = await engine.send(
                number_id=found.id, to=wa_id, body=body, text=shown, type=kind, origin=origin
            )
        except WadeskError as exc:
            raise SendFailed(exc) from None
        except OutboxError as exc:
            raise EngineError(str(exc)) from None
        final = await _wait(engine, queued.id, wait_seconds)
    finally:
        if owner:
            await outbox.stop()
    if final is None:
        current = await engine.store.read(partial(repo.get_message, message_id=queued.id))
        raise SendTimeout(current or queued, handed_to)
    if final.status in (MessageStatus.FAILED, MessageStatus.UNKNOWN):
        raise SendFailed(None, final)
    return SendOutcome(final, handed_to)


async def _wait(engine: Engine, message_id: int, wait_seconds: float) -> Message | None:
    """The row once it is no longer QUEUED; None after `wait_seconds`."""
    deadline = time.monotonic() + wait_seconds
    while True:
        message = await engine.store.read(partial(repo.get_message, message_id=message_id))
        if message is not None and message.status is not MessageStatus.QUEUED:
            return message
        if time.monotonic() >= deadline:
            return None
        await asyncio.sleep(POLL_SECONDS)


async def _build(
    engine: Engine, number: Number, to: str, request: SendRequest
) -> tuple[dict[str, Any], MessageType, str | None]:
    if request.text is not None:
        return outgoing.text(to, request.text), MessageType.TEXT, request.text
    if request.template is not None:
        params = list(request.params)
        body = outgoing.template(to, request.template, request.language, body_params=params)
        return body, MessageType.TEMPLATE, f"[{request.template}] " + " · ".join(params)
    image = request.image
    assert image is not None
    mime = mimetypes.guess_type(image.name)[0] or "image/jpeg"
    outgoing.check_media("image", mime, (await asyncio.to_thread(image.stat)).st_size)
    client = await engine.clients.get(number.phone_number_id, number.waba_id)
    media_id = await client.upload_media(image, mime)
    body = outgoing.media(to, "image", media_id, None, request.caption)
    return body, MessageType.IMAGE, request.caption
