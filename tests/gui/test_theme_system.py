"""The look follows the OS light/dark scheme while the user keeps "System" (the default), live
when the OS switches; an explicit light or dark choice is kept whatever the OS does.

The offscreen platform cannot switch its colour scheme, so the OS side is stood in for: the
scheme it reports (`system_is_dark`) is patched and Qt's real `colorSchemeChanged` signal of the
application's style hints is emitted, as the platform does when the user flips the OS setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from wadesk.ui.pages.settings_page import Preferences
from wadesk.ui.theme import DARK, LIGHT, ThemeManager, ThemeMode


def window_color(app: QApplication) -> str:
    return app.palette().window().color().name().upper()


def test_system_mode_follows_the_os_scheme_live(
    app: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    os_dark = {"value": False}
    monkeypatch.setattr(ThemeManager, "system_is_dark", lambda _self: os_dark["value"])
    hints = QGuiApplication.styleHints()
    theme = ThemeManager(app)
    changes: list[bool] = []
    theme.changed.connect(changes.append)
    try:
        # "System" is what a new user has
        prefs = Preferences(QSettings(f"{tmp_path}/ui.ini", QSettings.Format.IniFormat))
        assert prefs.theme is ThemeMode.SYSTEM
        theme.apply(prefs.theme)
        assert theme.colors is LIGHT and window_color(app) == LIGHT.window.upper()

        # the OS turns dark: the whole app follows without a restart
        os_dark["value"] = True
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert theme.colors is DARK and theme.is_dark
        assert window_color(app) == DARK.window.upper()
        assert changes[-1] is True

        # and back to light
        os_dark["value"] = False
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert theme.colors is LIGHT and window_color(app) == LIGHT.window.upper()
        assert changes[-1] is False

        # an explicit choice wins over the OS
        theme.apply(ThemeMode.DARK)
        count = len(changes)
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert theme.colors is DARK and len(changes) == count
        theme.apply(ThemeMode.LIGHT)
        os_dark["value"] = True
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert theme.colors is LIGHT and window_color(app) == LIGHT.window.upper()
    finally:
        # leave every "System" manager of earlier tests in the light look
        os_dark["value"] = False
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        theme.apply(ThemeMode.LIGHT)
        theme.deleteLater()
