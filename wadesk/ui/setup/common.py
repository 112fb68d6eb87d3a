"""Small helpers shared by the setup wizard and the Numbers page: the UI language for the error
catalogue and the human names of checks and tunnel states."""

from __future__ import annotations

import logging

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
