"""Inbound media download progress in the bubble: `MediaProgressTracker` (events in, rows
repainted), the card's bar and percentage while `MediaProgress` events arrive, the thumbnail
replacing the card once the sandbox's file is stored, and a failed download (error 131052)
explained by the catalogue with "Download again" re-downloading it from the sandbox.
Screenshots of a bubble mid-download are saved to build/test-artifacts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from sqlalchemy import Connection, insert

from tests.integration.sandbox_engine import SandboxEngine, sandbox_engine
from wadesk.core.enums import Direction, MessageStatus, MessageType
from wadesk.core.errors import GraphError
from wadesk.core.events import MediaProgress, MessageUpdated
from wadesk.core.models import Message
from wadesk.engine.store.columns import dumps_json
from wadesk.engine.store.tables import message_t
from wadesk.ui.bridge import EngineBridge
from wadesk.ui.i18n import Translator
from wadesk.ui.inbox.conversation import ConversationView
from wadesk.ui.inbox.conversation.progress import MediaProgressTracker, percent
from wadesk.ui.inbox.conversation.roles import Role
from wadesk.ui.theme import ThemeManager

pytestmark = pytest.mark.qasync


async def until(check: Callable[[], Any], seconds: float = 5.0) -> Any:
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while True:
        value = check()
        if value:
            return value
        if loop.time() > end:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


def png(width: int = 240, height: int = 160, colour: str = "#7FB77E") -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert image.save(buffer, "PNG")
    return bytes(data.data())


def inbound(message_id: int, conv: int, *, done: str | None = None) -> Message:
    return Message(
        id=message_id,
        conversation_id=conv,
        wamid=f"w{message_id}",
        direction=Direction.INBOUND,
        type=MessageType.IMAGE,
        status=MessageStatus.RECEIVED,
        timestamp=datetime.now(UTC),
        media_path=done,
    )


def test_tracker_keeps_progress_until_the_message_is_stored_or_failed(app: Any) -> None:
    tracker = MediaProgressTracker()
    seen: list[list[int]] = []
    tracker.changed.connect(seen.append)
    tracker.on_events([MediaProgress(5, 10, 100), MediaProgress(6, 1, None)])
    tracker.on_events([MediaProgress(5, 40, 100)])
    assert tracker.progress(5) == (40, 100) and percent(tracker.progress(5)) == 40
    assert tracker.progress(6) == (1, None) and percent(tracker.progress(6)) is None
    assert seen == [[5, 6], [5]]
    # an unrelated update (no file, no error) keeps the bar; the stored file ends it
    tracker.on_events([MessageUpdated(inbound(5, 1))])
    assert tracker.progress(5) == (40, 100) and len(seen) == 2
    tracker.on_events([MessageUpdated(inbound(5, 1, done="/tmp/x.png"))])
    assert tracker.progress(5) is None and seen[-1] == [5]
    tracker.on_events([MessageUpdated(replace(inbound(6, 1), error_code=131052))])
    assert len(tracker) == 0


@dataclass
class Env:
    env: SandboxEngine
    view: ConversationView
    bridge: EngineBridge
    conv: int
    slow: int  # an image whose download the test reports progress for
    failed: int  # an image whose download failed (error 131052)

    def row(self, message_id: int) -> int:
        row = self.view.model.row_of(message_id)
        assert row is not None and row >= 0
        return row

    def data(self, message_id: int, role: Role) -> Any:
        return self.view.model.index(self.row(message_id)).data(role)


def _insert_image(conn: Connection, conv: int, media_id: str, size: int, **extra: Any) -> int:
    now = datetime.now(UTC)
    return int(
        conn.execute(
            insert(message_t).values(
                conversation_id=conv,
                wamid=f"wamid.img{media_id}",
                direction="inbound",
                type="image",
                status="received",
                media_id=media_id,
                payload_json=dumps_json(
                    {"image": {"id": media_id, "mime_type": "image/png", "file_size": size}}
                ),
                timestamp=now,
                created_at=now,
                updated_at=now,
                **extra,
            )
        ).lastrowid
    )


@asynccontextmanager
async def media_ui(
    tmp_path: Path, qtbot: Any, app: QApplication, translator: Translator | None = None
) -> AsyncIterator[Env]:
    async with sandbox_engine(tmp_path) as env:
        bridge = EngineBridge(env.engine.subscribe, interval_ms=5)
        view = ConversationView(env.engine, bridge, translator or Translator(app))
        view.mark_read_on_open = False
        qtbot.addWidget(view)
        view.resize(640, 560)
        view.show()
        await env.customer(0).say("Here are the photos")
        conv = await env.wait_for(lambda: env.conversation_of(0))
        pnid = env.number.phone_number_id
        data = png()
        slow_media = env.sandbox.state.add_media(data, "image/png", None, pnid)
        failed_media = env.sandbox.state.add_media(png(colour="#E9A23B"), "image/png", None, pnid)

        def seed(conn: Connection) -> tuple[int, int]:
            failed = _insert_image(
                conn,
                conv.id,
                failed_media.id,
                len(data),
                error_code=131052,
                error_title="Media download error",
                error_details="Network error (connection reset)",
            )
            return _insert_image(conn, conv.id, slow_media.id, len(data)), failed

        slow, failed = await env.engine.store.write(seed)
        view.set_conversation(conv.id)
        await view.settle()
        try:
            yield Env(env, view, bridge, conv.id, slow, failed)
        finally:
            bridge.close()
            view.set_conversation(None)
            await view.settle()


async def test_progress_in_the_bubble_then_the_thumbnail(
    tmp_path: Path, qtbot: Any, app: QApplication, artifacts_dir: Path
) -> None:
    async with media_ui(tmp_path, qtbot, app) as ui:
        delegate = ui.view.list.delegate
        message = ui.data(ui.slow, Role.MESSAGE)
        media = ui.data(ui.slow, Role.MEDIA)
        assert media.kind == "image" and not media.downloaded
        assert delegate.download_progress(message, media) is None
        assert "not downloaded yet" in delegate._card_line(media)
        total = 250_000  # what the engine reports (Graph's file size), not the tiny test PNG
        ui.bridge.post(MediaProgress(ui.slow, total * 2 // 5, total))
        await until(lambda: ui.view.media_progress.progress(ui.slow))
        progress = delegate.download_progress(message, media)
        assert progress == (total * 2 // 5, total)
        assert delegate._card_line(media, progress).endswith("downloading… 40%")
        ui.view.list.scroll_to_end()
        await asyncio.sleep(0.05)
        assert ui.view.grab().save(str(artifacts_dir / "bubble-downloading-en-light.png"))
        # the bar is painted: an accent pixel on the card's bar line
        layout = delegate.layout_for(ui.view.model.index(ui.row(ui.slow)))
        assert layout is not None and layout.card is not None and layout.thumb is None
        ui.bridge.post(MediaProgress(ui.slow, total * 7 // 10, total))
        await until(lambda: ui.view.media_progress.progress(ui.slow) == (total * 7 // 10, total))
        assert "70%" in delegate._card_line(media, ui.view.media_progress.progress(ui.slow))

        # the real download from the sandbox finishes: the thumbnail replaces the card
        stored = await ui.env.engine.download_media(ui.slow)
        assert stored is not None and stored.media_path
        await until(lambda: ui.data(ui.slow, Role.THUMBNAIL) is not None)
        await until(lambda: ui.view.media_progress.progress(ui.slow) is None)
        layout = delegate.layout_for(ui.view.model.index(ui.row(ui.slow)))
        assert layout is not None and layout.thumb is not None and layout.card is None
        ui.view.list.scroll_to_end()
        await asyncio.sleep(0.05)
        assert ui.view.grab().save(str(artifacts_dir / "bubble-downloaded-en-light.png"))


async def test_failed_download_is_explained_and_download_again_works(
    tmp_path: Path, qtbot: Any, app: QApplication
) -> None:
    async with media_ui(tmp_path, qtbot, app) as ui:
        error = ui.data(ui.failed, Role.ERROR)
        assert error == GraphError(code=131052).explain("en")
        delegate = ui.view.list.delegate
        index = ui.view.model.index(ui.row(ui.failed))
        layout = delegate.layout_for(index)
        assert layout is not None and "retry" in layout.actions
        assert delegate._retry_label(ui.data(ui.failed, Role.MESSAGE)) == "Download again"
        media = ui.data(ui.failed, Role.MEDIA)
        assert delegate._card_line(media, None, True).endswith("download failed")
        rect = layout.actions["retry"]
        assert delegate.hit(index, QPointF(rect.center())) == ("retry", "")
        ui.view._on_list_activated("retry", ui.row(ui.failed), "")
        await until(lambda: ui.data(ui.failed, Role.THUMBNAIL) is not None)
        assert ui.data(ui.failed, Role.ERROR) is None
        assert ui.data(ui.failed, Role.MESSAGE).error_code is None


@pytest.mark.parametrize(("language", "theme"), [("ru", "dark"), ("en", "dark")])
async def test_screenshot_mid_download(
    tmp_path: Path,
    qtbot: Any,
    app: QApplication,
    artifacts_dir: Path,
    language: str,
    theme: str,
) -> None:
    themes = ThemeManager(app)
    translator = Translator(app)
    try:
        themes.apply(theme)
        translator.set_language(language)
        async with media_ui(tmp_path, qtbot, app, translator) as ui:
            total = 250_000
            ui.bridge.post(MediaProgress(ui.slow, total * 2 // 5, total))
            await until(lambda: ui.view.media_progress.progress(ui.slow))
            ui.view.list.scroll_to_end()
            await asyncio.sleep(0.05)
            path = artifacts_dir / f"bubble-downloading-{language}-{theme}.png"
            assert ui.view.grab().save(str(path))
            assert path.stat().st_size > 5_000
    finally:
        translator.set_language("en")
        themes.apply("light")
