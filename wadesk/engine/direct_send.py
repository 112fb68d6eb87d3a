"""Send one message right now, without the outbox (what `wadesk send` uses until the outbox
lands): the number by label or Phone Number ID, the 24-hour window checked locally for
free-form content, the message row queued, the Graph call made, and the row moved to `sent`
with its wamid or `failed` with the catalogue's reason.

    message = await send_now(engine, number="Salon", to="79161234567", text="Hello")
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from wadesk.core import outgoing
from wadesk.core.enums import MessageStatus, MessageType
from wadesk.core.errors import WINDOW_CLOSED, GraphError, LocalError, WadeskError
from wadesk.core.models import Message, Number
from wadesk.core.window import window_open
from wadesk.engine.service import Engine, EngineError
from wadesk.engine.store import repo
from wadesk.engine.store.columns import MessageOrigin
from wadesk.engine.store.tables import contact_t, conversation_t

log = logging.getLogger("wadesk.send")


class SendFailed(Exception):
    """The message was not sent; `error` explains why (`error.explain(lang)`)."""

    def __init__(self, error: WadeskError, message: Message | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.message = message


async def find_number(engine: Engine, number: str) -> Number:
    """A number by label or Phone Number ID; EngineError naming the known ones otherwise."""
    numbers = await engine.list_numbers()
    for candidate in numbers:
        if number in (candidate.label, candidate.phone_number_id):
            return candidate
    known = ", ".join(n.label for n in numbers) or "none yet"
    raise EngineError(f"No number '{number}' (known: {known}).")


def _last_inbound(conn: Connection, number_id: int, wa_id: str) -> datetime | None:
    query = (
        select(conversation_t.c.last_inbound_at)
        .join(contact_t, contact_t.c.id == conversation_t.c.contact_id)
        .where(conversation_t.c.number_id == number_id, contact_t.c.wa_id == wa_id)
    )
    row = conn.execute(query).first()
    return row[0] if row is not None else None


async def send_now(
    engine: Engine,
    *,
    number: str,
    to: str,
    text: str | None = None,
    template: str | None = None,
    params: Sequence[str] = (),
    language: str = "en_US",
    image: Path | None = None,
    caption: str | None = None,
    origin: MessageOrigin = MessageOrigin.CLI,
) -> Message:
    """Send one text, template or image; returns the stored message (status `sent`).

    Raises `SendFailed` (with the catalogue's error, and the failed row when one was stored),
    or `EngineError` for an unknown number.
    """
    if sum(x is not None for x in (text, template, image)) != 1:
        raise ValueError("give exactly one of text, template and image")
    found = await find_number(engine, number)
    wa_id = to.strip().lstrip("+").replace(" ", "")
    if template is None:
        last = await engine.store.read(partial(_last_inbound, number_id=found.id, wa_id=wa_id))
        if not window_open(last):
            raise SendFailed(LocalError(WINDOW_CLOSED, f"to {wa_id}"))
    try:
        client = await engine.clients.get(found.phone_number_id, found.waba_id)
        body, kind, shown = await _build(
            client, wa_id, text, template, params, language, image, caption
        )
    except WadeskError as exc:
        raise SendFailed(exc) from None
    queued, _conversation, _contact = await engine.store.write(
        partial(
            repo.insert_outbound,
            number_id=found.id,
            type=kind,
            origin=origin,
            to_wa_id=wa_id,
            text=shown,
            payload=body,
        )
    )
    try:
        result = await client.send(body)
    except WadeskError as exc:
        failed = await _record_failure(engine, queued.id, exc)
        raise SendFailed(exc, failed) from None
    await engine.store.write(
        partial(repo.set_sent, message_id=queued.id, wamid=result.wamid, at=datetime.now(UTC))
    )
    sent = await engine.store.read(partial(repo.get_message, message_id=queued.id))
    assert sent is not None
    log.info("Message %d sent from %s: %s", sent.id, found.label, result.wamid)
    return sent


async def _build(
    client: Any,
    to: str,
    text: str | None,
    template: str | None,
    params: Sequence[str],
    language: str,
    image: Path | None,
    caption: str | None,
) -> tuple[dict[str, Any], MessageType, str | None]:
    if text is not None:
        return outgoing.text(to, text), MessageType.TEXT, text
    if template is not None:
        body = outgoing.template(to, template, language, body_params=list(params))
        return body, MessageType.TEMPLATE, f"[{template}] " + " · ".join(params)
    assert image is not None
    mime = mimetypes.guess_type(image.name)[0] or "image/jpeg"
    outgoing.check_media("image", mime, (await asyncio.to_thread(image.stat)).st_size)
    media_id = await client.upload_media(image, mime)
    body = outgoing.media(to, "image", media_id, None, caption)
    return body, MessageType.IMAGE, caption


async def _record_failure(engine: Engine, message_id: int, exc: WadeskError) -> Message | None:
    code = exc.code if isinstance(exc, GraphError) else None
    await engine.store.write(
        partial(
            repo.set_status,
            message_id=message_id,
            status=MessageStatus.FAILED,
            error_code=code,
            error_title=exc.explain("en")[:300],
            error_details=str(exc)[:500],
        )
    )
    return await engine.store.read(partial(repo.get_message, message_id=message_id))
