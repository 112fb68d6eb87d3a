"""The Settings page: a list of sections on the left, the chosen section on the right.

Sections: General (`general.py`), Quick replies, Labels, Connection, Backup. A section with
engine data loads it when it is first shown (`Section.refresh()`), and again each time it is
shown. The page re-emits what other parts of the app follow: `mark_read_changed(bool)`,
`quick_replies_changed(list)` and `labels_changed()` (`wadesk.ui.settings.links` connects
them to the inbox).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QWidget,
)

from wadesk.ui.i18n import Translator
from wadesk.ui.settings.backup import BackupSection
from wadesk.ui.settings.common import Section
from wadesk.ui.settings.connection import ConnectionSection
from wadesk.ui.settings.general import GeneralSection
from wadesk.ui.settings.labels import LabelsSection
from wadesk.ui.settings.prefs import Preferences
from wadesk.ui.settings.quick_replies import QuickRepliesSection
from wadesk.ui.tasks import Tasks
from wadesk.ui.theme import ThemeManager

SECTIONS = ("general", "quick_replies", "labels", "connection", "backup")


class SettingsPage(QWidget):
    """All settings, one section at a time.

    Attributes:
        nav: the section list; stack: the sections; general, quick_replies, labels,
        connection, backup: the sections. `language_combo`, `theme_combo` and
        `keep_in_tray_check` are General's controls (kept here for callers and tests).
    """

    mark_read_changed = Signal(bool)
    quick_replies_changed = Signal(list)
    labels_changed = Signal()

    def __init__(
        self,
        prefs: Preferences,
        translator: Translator,
        theme: ThemeManager,
        *,
        tray_available: bool = True,
        data_dir: str | None = None,
        engine: Any = None,
        release_engine: Callable[[], Awaitable[None]] | None = None,
        request_quit: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsPage")
        self._tasks = Tasks("SettingsPage")
        self.general = GeneralSection(
            prefs, translator, theme, tray_available=tray_available, data_dir=data_dir
        )
        self.quick_replies = QuickRepliesSection(engine, lambda: translator.language)
        self.labels = LabelsSection(engine)
        self.connection = ConnectionSection(engine)
        self.backup = BackupSection(
            engine, release_engine=release_engine, request_quit=request_quit
        )
        self.language_combo = self.general.language_combo
        self.theme_combo = self.general.theme_combo
        self.keep_in_tray_check = self.general.keep_in_tray_check
        self.mark_read_check = self.general.mark_read_check

        self.nav = QListWidget()
        self.nav.setObjectName("SettingsNav")
        self.nav.setFixedWidth(200)
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        self.nav.setStyleSheet(
            "QListWidget#SettingsNav { background: transparent; border: none; outline: none; }"
            "QListWidget#SettingsNav::item { padding: 4px 10px; margin: 1px 0px;"
            " border-radius: 8px; }"
            "QListWidget#SettingsNav::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )
        self.stack = QStackedWidget()
        for key in SECTIONS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(0, 36))
            self.nav.addItem(item)
            self.stack.addWidget(self.section(key))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 16, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)

        self.general.mark_read_changed.connect(self.mark_read_changed)
        self.quick_replies.changed.connect(self.quick_replies_changed)
        self.labels.changed.connect(self.labels_changed)
        self.nav.currentRowChanged.connect(self._on_nav_row_changed)
        self.nav.setCurrentRow(0)
        self.retranslate()

    def section(self, key: str) -> Section:
        sections: dict[str, Section] = {
            "general": self.general,
            "quick_replies": self.quick_replies,
            "labels": self.labels,
            "connection": self.connection,
            "backup": self.backup,
        }
        return sections[key]

    def show_section(self, key: str) -> Section:
        """Select a section (as if clicked in the list); returns it."""
        self.nav.setCurrentRow(SECTIONS.index(key))
        return self.section(key)

    def current_key(self) -> str:
        return SECTIONS[max(0, self.nav.currentRow())]

    def _on_nav_row_changed(self, row: int) -> None:
        if not 0 <= row < len(SECTIONS):
            return
        section = self.section(SECTIONS[row])
        self.stack.setCurrentWidget(section)
        if section is not self.general:
            self._tasks.spawn(section.refresh())

    def load(self) -> None:
        """Show the stored preferences (without applying anything)."""
        self.general.load()

    def set_tray_available(self, available: bool) -> None:
        self.general.set_tray_available(available)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        titles = {
            "general": self.tr("General"),
            "quick_replies": self.tr("Quick replies"),
            "labels": self.tr("Labels"),
            "connection": self.tr("Connection"),
            "backup": self.tr("Backup"),
        }
        for row, key in enumerate(SECTIONS):
            item = self.nav.item(row)
            if item is not None:
                item.setText(titles[key])
        for key in SECTIONS:
            self.section(key).retranslate()

    def shutdown(self) -> None:
        self._tasks.cancel_all()
        for key in SECTIONS:
            self.section(key).shutdown()
