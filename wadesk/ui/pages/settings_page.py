"""Kept for imports: the Settings page now lives in the `wadesk.ui.settings` package."""

from wadesk.ui.settings.page import SettingsPage
from wadesk.ui.settings.prefs import Preferences

__all__ = ["Preferences", "SettingsPage"]
