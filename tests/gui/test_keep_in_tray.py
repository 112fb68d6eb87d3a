""" "Keep running in the tray": with the option on, closing the window hides it and the real
engine keeps receiving webhooks; the tray notifies about the new customer message, a click on
the notification opens that conversation, and the tray's Quit ends the app cleanly."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from tests import factories as f
from tests.gui.conftest import teardown_shell
from wadesk.engine.cloudapi.signature import sign
from wadesk.engine.config import Paths, Settings
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.secrets import SecretStore
from wadesk.engine.service import Engine
from wadesk.ui.app import WadeskApp
from wadesk.ui.inbox.page import InboxPage
from wadesk.ui.pages.settings_page import Preferences


async def until(check: Callable[[], Any], what: str, seconds: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not check():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for: {what}")
        await asyncio.sleep(0.02)


@pytest.mark.qasync
async def test_closed_window_keeps_receiving_and_the_tray_opens_the_conversation(
    app: QApplication, qsettings: QSettings, tmp_path: Path
) -> None:
    Preferences(qsettings).keep_in_tray = True
    data = tmp_path / "data"
    redactor = SecretRedactor()
    engine = Engine(
        Settings(paths=Paths(data, data / "logs"), port=0),
        secrets=SecretStore(redactor),
        redactor=redactor,
    )
    root = WadeskApp(
        app, lambda: engine, settings=qsettings, tray_available=True, bridge_interval_ms=10
    )
    task = asyncio.ensure_future(root.run())
    try:
        await until(lambda: root.engine_started, "engine started")
        await f.add_salon_number(engine)
        root.window.show_page("settings")
        root.window.close()  # the user closes the window
        await asyncio.sleep(0.1)
        assert not root.window.isVisible()
        assert not task.done() and engine.server is not None  # still running

        body = f.encode(f.text_message("Are you open tomorrow?", wa_id="34600111222"))
        assert engine.server is not None
        async with httpx.AsyncClient() as client:
            response = await client.post(
                engine.server.url,
                content=body,
                headers={
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": sign(body, f.APP_SECRET),
                },
            )
        assert response.status_code == 200
        await until(lambda: root.tray.last_notification is not None, "a tray notification")
        assert root.tray.last_notification is not None
        _title, text, conversation_id = root.tray.last_notification
        assert text == "Are you open tomorrow?"
        assert not root.window.isVisible()

        root.tray.click_last_notification()
        assert root.window.isVisible()
        assert root.window.current_page() == "inbox"
        inbox = root.window.page("inbox")
        assert isinstance(inbox, InboxPage)
        await until(lambda: inbox.current_id == conversation_id, "chat opened")

        root.tray.quit_requested.emit()  # the tray menu's Quit
        assert await asyncio.wait_for(task, 10) == 0
        assert engine.server is None
    finally:
        if not task.done():
            root.request_quit()
            await task
        teardown_shell(root)
