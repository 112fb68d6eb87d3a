"""Small helpers shared by the setup wizard and the Numbers page: the UI language for the error
catalogue, coroutines started from slots, and the human names of checks and tunnel states."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale

from wadesk.engine.checks import CheckKey, CheckState
from wadesk.engine.tunnel import TunnelState

log = logging.getLogger("wadesk.ui.setup")

GLYPHS = {
    CheckState.PENDING: "…",
    CheckState.RUNNING: "…",
    CheckState.OK: "✓",
    CheckState.WARNING: "⚠",
    CheckState.FAILED: "✗",
    CheckState.NOT_CHECKED: "–",
}


def ui_language() -> str:
    """ "ru" or "en": the language the Translator set as the default locale."""
    return "ru" if QLocale().language() == QLocale.Language.Russian else "en"


class Tasks:
    """Coroutines spawned from Qt slots: referenced until done, cancellable, errors logged."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any] | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            coro.close()
            return None
        task = loop.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("A setup task failed: %r", task.exception())

    async def wait(self) -> None:
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def cancel_all(self) -> None:
        """Cancel every task except the one calling (a task may close its own dialog)."""
        try:
            current = asyncio.current_task()
        except RuntimeError:
            current = None
        for task in list(self._tasks):
            if task is not current:
                task.cancel()


def check_title(key: CheckKey) -> str:
    titles = {
        CheckKey.TOKEN: QCoreApplication.translate(
            "Checks", "Access token: valid, type, expiry, permissions"
        ),
        CheckKey.PHONE_NUMBER: QCoreApplication.translate(
            "Checks", "Phone Number ID: display number and quality"
        ),
        CheckKey.WABA: QCoreApplication.translate("Checks", "WhatsApp Business Account"),
        CheckKey.SUBSCRIPTION: QCoreApplication.translate(
            "Checks", "App subscribed to the account"
        ),
        CheckKey.WEBHOOK: QCoreApplication.translate(
            "Checks", "Webhook round trip (Meta → tunnel → wadesk)"
        ),
        CheckKey.TEST_MESSAGE: QCoreApplication.translate(
            "Checks", "Test message to your WhatsApp"
        ),
    }
    return titles[key]


def state_text(state: CheckState) -> str:
    texts = {
        CheckState.PENDING: QCoreApplication.translate("Checks", "waiting"),
        CheckState.RUNNING: QCoreApplication.translate("Checks", "checking…"),
        CheckState.OK: QCoreApplication.translate("Checks", "passed"),
        CheckState.WARNING: QCoreApplication.translate("Checks", "warning"),
        CheckState.FAILED: QCoreApplication.translate("Checks", "failed"),
        CheckState.NOT_CHECKED: QCoreApplication.translate("Checks", "not yet checked"),
    }
    return texts[state]


def tunnel_text(state: TunnelState) -> str:
    texts = {
        TunnelState.STOPPED: QCoreApplication.translate("Tunnel", "not started"),
        TunnelState.STARTING: QCoreApplication.translate("Tunnel", "starting…"),
        TunnelState.UP: QCoreApplication.translate("Tunnel", "up"),
        TunnelState.DOWN: QCoreApplication.translate("Tunnel", "down"),
        TunnelState.MANUAL: QCoreApplication.translate("Tunnel", "own public URL"),
    }
    return texts[state]


def status_bar_state(state: TunnelState) -> str:
    """The StatusPanel's tunnel state names."""
    return {
        TunnelState.STOPPED: "not_started",
        TunnelState.STARTING: "connecting",
        TunnelState.UP: "connected",
        TunnelState.MANUAL: "connected",
        TunnelState.DOWN: "failed",
    }[state]
