"""Settings → General: language, theme, the tray, reading receipts, and About.

Changes apply at once: a new language is installed (every visible text switches), a new theme
restyles the app, the tray choice applies to the next window close, and the read-receipt
choice reaches the open inbox through `mark_read_changed` (and is read again at start).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QWidget

from wadesk import __version__
from wadesk.ui.i18n import LANGUAGE_NAMES, LANGUAGES, SYSTEM, Translator
from wadesk.ui.settings.common import Section, card, hint
from wadesk.ui.settings.prefs import Preferences
from wadesk.ui.theme import ThemeManager, ThemeMode


class GeneralSection(Section):
    """Language, theme, tray, "mark as read when opened", About."""

    mark_read_changed = Signal(bool)

    def __init__(
        self,
        prefs: Preferences,
        translator: Translator,
        theme: ThemeManager,
        *,
        tray_available: bool = True,
        data_dir: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("GeneralSection")
        self._prefs = prefs
        self._translator = translator
        self._theme = theme
        self._tray_available = tray_available
        self._data_dir = data_dir

        self.language_combo = QComboBox()
        self.language_combo.addItem("", SYSTEM)
        for code in LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.theme_combo = QComboBox()
        for mode in ThemeMode:
            self.theme_combo.addItem("", mode.value)
        appearance, self._appearance_title, form = card()
        self._language_label = QLabel()
        self._theme_label = QLabel()
        for label, combo in (
            (self._language_label, self.language_combo),
            (self._theme_label, self.theme_combo),
        ):
            combo.setMinimumWidth(240)
            label.setBuddy(combo)
            label.setMinimumHeight(combo.sizeHint().height())
            form.addRow(label, combo)
        self.add(appearance)

        self.mark_read_check = QCheckBox()
        self._mark_read_hint = hint()
        inbox, self._inbox_title, form = card()
        form.addRow(self.mark_read_check)
        form.addRow(self._mark_read_hint)
        self.add(inbox)

        self.keep_in_tray_check = QCheckBox()
        self._tray_hint = hint()
        background, self._background_title, form = card()
        form.addRow(self.keep_in_tray_check)
        form.addRow(self._tray_hint)
        self.add(background)

        self._about_text = QLabel()
        self._about_text.setWordWrap(True)
        self._about_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        about, self._about_title, form = card()
        form.addRow(self._about_text)
        self.add(about)
        self.finish()

        self.load()
        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        self.theme_combo.currentIndexChanged.connect(self._on_theme_combo_changed)
        self.keep_in_tray_check.toggled.connect(self._on_keep_in_tray_toggled)
        self.mark_read_check.toggled.connect(self._on_mark_read_toggled)
        self.retranslate()

    def load(self) -> None:
        """Show the stored preferences (without applying anything)."""
        for combo, value in (
            (self.language_combo, self._prefs.language),
            (self.theme_combo, self._prefs.theme.value),
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        for check, on in (
            (self.keep_in_tray_check, self._prefs.keep_in_tray),
            (self.mark_read_check, self._prefs.mark_read_on_open),
        ):
            check.blockSignals(True)
            check.setChecked(on)
            check.blockSignals(False)

    def set_tray_available(self, available: bool) -> None:
        self._tray_available = available
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("General"))
        self.subtitle.setText(self.tr("Changes apply immediately."))
        self._appearance_title.setText(self.tr("Appearance"))
        self._inbox_title.setText(self.tr("Inbox"))
        self._background_title.setText(self.tr("When the window is closed"))
        self._about_title.setText(self.tr("About"))
        self._language_label.setText(self.tr("&Language"))
        self._theme_label.setText(self.tr("&Theme"))
        self.language_combo.setItemText(0, self.tr("System default"))
        self.theme_combo.setItemText(0, self.tr("System default"))
        self.theme_combo.setItemText(1, self.tr("Light"))
        self.theme_combo.setItemText(2, self.tr("Dark"))
        self.mark_read_check.setText(self.tr("&Mark messages as read when I open a conversation"))
        self._mark_read_hint.setText(
            self.tr(
                "The customer then sees blue ticks. Turn it off to read messages without "
                "telling the customer."
            )
        )
        self.keep_in_tray_check.setText(
            self.tr("&Keep running in the tray when the window is closed")
        )
        if self._tray_available:
            text = self.tr(
                "wadesk keeps receiving webhooks and shows a notification for each new "
                "customer message. Use File → Quit to stop it."
            )
        else:
            text = self.tr("This desktop has no system tray, so closing the window quits wadesk.")
        self._tray_hint.setText(text)
        about = self.tr("wadesk %1 — a WhatsApp Business desk on your computer.").replace(
            "%1", __version__
        )
        if self._data_dir:
            about += "\n" + self.tr("Data folder: %1").replace("%1", self._data_dir)
        self._about_text.setText(about)

    def _on_language_combo_changed(self, index: int) -> None:
        choice = str(self.language_combo.itemData(index))
        self._prefs.language = choice
        self._translator.set_language(choice)

    def _on_theme_combo_changed(self, index: int) -> None:
        mode = ThemeMode.parse(self.theme_combo.itemData(index))
        self._prefs.theme = mode
        self._theme.apply(mode)

    def _on_keep_in_tray_toggled(self, checked: bool) -> None:
        self._prefs.keep_in_tray = checked

    def _on_mark_read_toggled(self, checked: bool) -> None:
        self._prefs.mark_read_on_open = checked
        self.mark_read_changed.emit(checked)
