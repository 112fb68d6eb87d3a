"""Inbound media over loopback: a sandbox customer sends an image → the engine downloads it
into the content-addressed media store and updates the message; a wrong type or a too big file
→ the failure (131052 with the cause) is recorded, nothing crashes; retry works."""

from __future__ import annotations

import asyncio
import hashlib
import struct
import zlib
from collections.abc import AsyncIterator
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.integration.conftest import Recorder
from tests.integration.demo_helpers import demo, until
from wadesk.core.events import MediaProgress, MessageUpdated
from wadesk.core.models import Message
from wadesk.engine.demo import DemoRuntime
from wadesk.engine.store import repo
from wadesk.engine.store.tables import message_t

ANNA = "79161234567"


def png(width: int = 64, height: int = 48) -> bytes:
    """A real (tiny) PNG file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes([200, 80, 40]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[DemoRuntime]:
    rt = await demo(tmp_path)
    yield rt
    await rt.stop()


async def _message(runtime: DemoRuntime, wamid: str) -> Message | None:
    return await runtime.engine.store.read(partial(repo.get_message_by_wamid, wamid=wamid))


async def _row(runtime: DemoRuntime, message_id: int) -> dict[str, object]:
    def query(conn: object) -> dict[str, object]:
        row = conn.execute(select(message_t).where(message_t.c.id == message_id)).mappings().one()  # type: ignore[attr-defined]
        return dict(row)

    return await runtime.engine.store.read(query)


async def test_an_inbound_image_is_downloaded_and_stored_by_content(
    runtime: DemoRuntime,
) -> None:
    engine = runtime.engine
    recorder = Recorder()
    engine.subscribe(recorder)
    data = png()
    wamid = await runtime.sandbox.customer(ANNA).image(data, "Вот так хочу", mime_type="image/png")

    async def stored() -> Message | None:
        message = await _message(runtime, wamid)
        return message if message is not None and message.media_path else None

    message = await until(stored)
    digest = hashlib.sha256(data).hexdigest()
    path = Path(message.media_path)
    assert path == engine.settings.paths.media_dir / digest[:2] / digest[2:]
    assert await asyncio.to_thread(path.read_bytes) == data
    assert message.text == "Вот так хочу"
    row = await _row(runtime, message.id)
    assert (row["media_size"], row["media_mime"], row["error_code"]) == (
        len(data),
        "image/png",
        None,
    )
    updates = [e for e in recorder.of(MessageUpdated) if e.message.id == message.id]
    assert updates and updates[-1].message.media_path == str(path)
    progress = [e for e in recorder.of(MediaProgress) if e.message_id == message.id]
    assert progress and progress[-1].done == len(data)

    # the same picture again is stored once
    again = await runtime.sandbox.customer(ANNA).image(data, mime_type="image/png")
    second = await until(partial(stored_by, runtime, again))
    assert second.media_path == message.media_path
    assert sum(1 for p in engine.settings.paths.media_dir.rglob("*") if p.is_file()) == 1


async def stored_by(runtime: DemoRuntime, wamid: str) -> Message | None:
    message = await _message(runtime, wamid)
    return message if message is not None and message.media_path else None


async def failed_by(runtime: DemoRuntime, wamid: str) -> Message | None:
    message = await _message(runtime, wamid)
    return message if message is not None and message.error_code else None


async def test_a_wrong_type_is_recorded_as_a_failure(runtime: DemoRuntime) -> None:
    wamid = await runtime.sandbox.customer(ANNA).image(b"GIF89a....", mime_type="image/gif")
    message = await until(partial(failed_by, runtime, wamid))
    assert message.error_code == 131052 and message.media_path is None
    row = await _row(runtime, message.id)
    assert "file type is not allowed" in str(row["error_details"])
    assert "media" in str(row["error_title"]).lower()


async def test_a_too_big_image_is_refused_before_downloading(runtime: DemoRuntime) -> None:
    big = b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024 + 10)
    wamid = await runtime.sandbox.customer(ANNA).image(big, mime_type="image/jpeg")
    message = await until(partial(failed_by, runtime, wamid))
    row = await _row(runtime, message.id)
    assert "too large" in str(row["error_details"])
    media_dir = runtime.engine.settings.paths.media_dir
    assert not [p for p in media_dir.rglob("*") if p.is_file()]


async def test_retry_after_a_failure_stores_the_file_and_clears_the_error(
    runtime: DemoRuntime,
) -> None:
    data = png(8, 8)
    runtime.sandbox.fail_next(131052, "media temporarily unavailable")
    wamid = await runtime.sandbox.customer(ANNA).image(data, mime_type="image/png")
    message = await until(partial(failed_by, runtime, wamid))
    assert message.error_code == 131052
    assert "download" in str((await _row(runtime, message.id))["error_details"])
    retried = await runtime.engine.download_media(message.id)
    assert retried is not None and retried.media_path and retried.error_code is None
    assert await asyncio.to_thread(Path(retried.media_path).read_bytes) == data
