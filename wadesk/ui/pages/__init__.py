"""Pages of the main window that belong to the shell: placeholders and Settings.

Feature pages (inbox, bots, templates, numbers, activity) live in their own packages and are
registered with `MainWindow.add_page()`; until then a `PlaceholderPage` says what will be there.
"""

from wadesk.ui.pages.placeholder import PLACEHOLDER_KEYS, PlaceholderPage
from wadesk.ui.pages.settings_page import Preferences, SettingsPage

__all__ = ["PLACEHOLDER_KEYS", "PlaceholderPage", "Preferences", "SettingsPage"]
