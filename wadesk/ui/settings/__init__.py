"""The Settings page, one module per section (see `page.py`)."""

from wadesk.ui.settings.page import SettingsPage
from wadesk.ui.settings.prefs import Preferences

__all__ = ["Preferences", "SettingsPage"]
