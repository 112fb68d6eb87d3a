"""Languages of the GUI: English (the source texts) and Russian (Qt Linguist translations).

`Translator` loads `resources/translations/wadesk_ru.qm` (and Qt's own `qtbase_ru.qm` for the
standard buttons) into `QTranslator`s and installs or removes them live; Qt then sends every
widget a `LanguageChange` event and the widgets call their `retranslate()`. By default the
language follows the system locale. Texts of the error catalogue are not in the `.ts` files:
they carry both languages, and `tr_catalog()` picks the one in effect.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from wadesk.core.error_catalogue import Explanation, is_russian
from wadesk.ui.resources import resource_path

log = logging.getLogger("wadesk.ui.i18n")

SYSTEM = "system"
ENGLISH = "en"
RUSSIAN = "ru"
LANGUAGES: tuple[str, ...] = (ENGLISH, RUSSIAN)
# Language names are shown in their own language, never translated.
LANGUAGE_NAMES: dict[str, str] = {ENGLISH: "English", RUSSIAN: "Русский"}


def system_language(locale: QLocale | None = None) -> str:
    """`ru` when the system locale is Russian, else `en`."""
    name = (locale or QLocale.system()).name()
    return RUSSIAN if is_russian(name) else ENGLISH


def resolve_language(choice: str | None, locale: QLocale | None = None) -> str:
    """The language to use for a Settings choice (`system`, `en`, `ru`, or junk → system)."""
    if choice in LANGUAGES:
        return str(choice)
    return system_language(locale)


class Translator(QObject):
    """Installs the translations of the chosen language into the application.

    Attributes:
        choice: what the user picked (`system`, `en` or `ru`).
        language: the language in effect (`en` or `ru`).

    Signals:
        language_changed(str): the language in effect changed (after the translators switched).
    """

    language_changed = Signal(str)

    def __init__(self, app: QApplication, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._installed: list[QTranslator] = []
        self.choice = SYSTEM
        self.language = ENGLISH

    def set_language(self, choice: str | None) -> str:
        """Switch to `choice` (`system`, `en`, `ru`); returns the language now in effect."""
        self.choice = choice if choice in LANGUAGES else SYSTEM
        language = resolve_language(self.choice)
        if language == self.language and (language == ENGLISH or self._installed):
            return language
        self._remove()
        if language != ENGLISH:
            self._install(language)
        self.language = language
        QLocale.setDefault(
            QLocale(QLocale.Language.Russian if language == RUSSIAN else QLocale.Language.English)
        )
        self.language_changed.emit(language)
        return language

    def _install(self, language: str) -> None:
        own = QTranslator(self)
        qm = resource_path("translations", f"wadesk_{language}.qm")
        if own.load(str(qm)):
            self._app.installTranslator(own)
            self._installed.append(own)
        else:
            log.warning("Translation file %s could not be loaded", qm)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt = QTranslator(self)
        if qt.load(f"qtbase_{language}", qt_dir):
            self._app.installTranslator(qt)
            self._installed.append(qt)

    def _remove(self) -> None:
        for translator in self._installed:
            self._app.removeTranslator(translator)
            translator.deleteLater()
        self._installed.clear()

    def tr_catalog(self, explanation: Explanation) -> str:
        """An error catalogue entry as one line ("Title. What to do") in the current language."""
        return explanation.render(self.language)

    def tr_catalog_title(self, explanation: Explanation) -> str:
        return explanation.title(self.language)
