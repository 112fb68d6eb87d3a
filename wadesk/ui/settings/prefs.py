"""`Preferences`: a typed view of the GUI's own settings in `QSettings` (never secrets).

Language, theme, keep running in the tray, and whether opening a conversation tells WhatsApp
its messages were read (`inbox/mark_read_on_open`, the key the conversation view reads).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from wadesk.ui.i18n import LANGUAGES, SYSTEM
from wadesk.ui.theme import ThemeMode

MARK_READ_KEY = "inbox/mark_read_on_open"
"""Same key as `wadesk.ui.inbox.conversation.view.MARK_READ_KEY` (a test keeps them equal)."""


def _as_bool(value: object, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


class Preferences:
    """The GUI's own settings, stored in `QSettings` (never secrets).

    Attributes:
        store: the underlying QSettings (the window also keeps its geometry there).
    """

    def __init__(self, store: QSettings) -> None:
        self.store = store

    @property
    def language(self) -> str:
        value = str(self.store.value("ui/language", SYSTEM))
        return value if value in (SYSTEM, *LANGUAGES) else SYSTEM

    @language.setter
    def language(self, value: str) -> None:
        self.store.setValue("ui/language", value if value in LANGUAGES else SYSTEM)

    @property
    def theme(self) -> ThemeMode:
        return ThemeMode.parse(self.store.value("ui/theme", ThemeMode.SYSTEM.value))

    @theme.setter
    def theme(self, value: ThemeMode | str) -> None:
        self.store.setValue("ui/theme", ThemeMode.parse(value).value)

    @property
    def keep_in_tray(self) -> bool:
        return _as_bool(self.store.value("ui/keep_in_tray"), False)

    @keep_in_tray.setter
    def keep_in_tray(self, value: bool) -> None:
        self.store.setValue("ui/keep_in_tray", bool(value))

    @property
    def mark_read_on_open(self) -> bool:
        """Tell WhatsApp "read" when a conversation is opened (default on)."""
        return _as_bool(self.store.value(MARK_READ_KEY), True)

    @mark_read_on_open.setter
    def mark_read_on_open(self, value: bool) -> None:
        self.store.setValue(MARK_READ_KEY, bool(value))

    def sync(self) -> None:
        self.store.sync()
