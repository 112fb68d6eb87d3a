"""The Settings page and the GUI preferences it edits.

`Preferences` is a typed view of the app's `QSettings` (language, theme, keep running in the
tray). `SettingsPage` changes them live: a new language is installed at once (every visible text
switches), a new theme restyles the app, and the tray choice applies to the next window close.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wadesk import __version__
from wadesk.ui.i18n import LANGUAGE_NAMES, LANGUAGES, SYSTEM, Translator
from wadesk.ui.theme import ThemeManager, ThemeMode


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

    def sync(self) -> None:
        self.store.sync()


class SettingsPage(QWidget):
    """Language, theme and background behaviour, applied as soon as they change."""

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
        self.setObjectName("SettingsPage")
        self._prefs = prefs
        self._translator = translator
        self._theme = theme
        self._tray_available = tray_available
        self._data_dir = data_dir

        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        body.setObjectName("ContentArea")
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        layout = QVBoxLayout(body)
        layout.setContentsMargins(40, 32, 40, 32)
        layout.setSpacing(16)
        self._title = QLabel()
        self._title.setObjectName("PageTitle")
        self._subtitle = QLabel()
        self._subtitle.setObjectName("PageSubtitle")
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addSpacing(8)

        self.language_combo = QComboBox()
        self.language_combo.addItem("", SYSTEM)
        for code in LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.theme_combo = QComboBox()
        for mode in ThemeMode:
            self.theme_combo.addItem("", mode.value)
        for combo in (self.language_combo, self.theme_combo):
            combo.setMinimumWidth(240)
        appearance, form = self._card()
        self._appearance_title = appearance.findChild(QLabel, "CardTitle")
        self._language_label = QLabel()
        self._theme_label = QLabel()
        for label, combo in (
            (self._language_label, self.language_combo),
            (self._theme_label, self.theme_combo),
        ):
            label.setMinimumHeight(combo.sizeHint().height())
            form.addRow(label, combo)
        layout.addWidget(appearance)

        self.keep_in_tray_check = QCheckBox()
        self._tray_hint = QLabel()
        self._tray_hint.setObjectName("Hint")
        self._tray_hint.setWordWrap(True)
        background, form = self._card()
        self._background_title = background.findChild(QLabel, "CardTitle")
        form.addRow(self.keep_in_tray_check)
        form.addRow(self._tray_hint)
        layout.addWidget(background)

        self._about_text = QLabel()
        self._about_text.setWordWrap(True)
        self._about_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        about, form = self._card()
        self._about_title = about.findChild(QLabel, "CardTitle")
        form.addRow(self._about_text)
        layout.addWidget(about)
        layout.addStretch(1)

        self.load()
        self.language_combo.currentIndexChanged.connect(self._on_language_combo_changed)
        self.theme_combo.currentIndexChanged.connect(self._on_theme_combo_changed)
        self.keep_in_tray_check.toggled.connect(self._on_keep_in_tray_toggled)
        self.retranslate()

    def _card(self) -> tuple[QFrame, QFormLayout]:
        card = QFrame()
        card.setObjectName("Card")
        card.setMaximumWidth(720)
        box = QVBoxLayout(card)
        box.setContentsMargins(20, 16, 20, 18)
        box.setSpacing(12)
        title = QLabel()
        title.setObjectName("CardTitle")
        box.addWidget(title)
        form = QFormLayout()
        form.setHorizontalSpacing(24)
        form.setVerticalSpacing(12)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        box.addLayout(form)
        return card, form

    def load(self) -> None:
        """Show the stored preferences (without applying anything)."""
        for combo, value in (
            (self.language_combo, self._prefs.language),
            (self.theme_combo, self._prefs.theme.value),
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            combo.blockSignals(False)
        self.keep_in_tray_check.blockSignals(True)
        self.keep_in_tray_check.setChecked(self._prefs.keep_in_tray)
        self.keep_in_tray_check.blockSignals(False)

    def set_tray_available(self, available: bool) -> None:
        self._tray_available = available
        self.retranslate()

    def retranslate(self) -> None:
        self._title.setText(self.tr("Settings"))
        self._subtitle.setText(self.tr("Changes apply immediately."))
        if self._appearance_title is not None:
            self._appearance_title.setText(self.tr("Appearance"))
        if self._background_title is not None:
            self._background_title.setText(self.tr("When the window is closed"))
        if self._about_title is not None:
            self._about_title.setText(self.tr("About"))
        self._language_label.setText(self.tr("Language"))
        self._theme_label.setText(self.tr("Theme"))
        self.language_combo.setItemText(0, self.tr("System default"))
        self.theme_combo.setItemText(0, self.tr("System default"))
        self.theme_combo.setItemText(1, self.tr("Light"))
        self.theme_combo.setItemText(2, self.tr("Dark"))
        self.keep_in_tray_check.setText(
            self.tr("Keep running in the tray when the window is closed")
        )
        if self._tray_available:
            hint = self.tr(
                "wadesk keeps receiving webhooks and shows a notification for each new "
                "customer message. Use File → Quit to stop it."
            )
        else:
            hint = self.tr("This desktop has no system tray, so closing the window quits wadesk.")
        self._tray_hint.setText(hint)
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
