"""Languages: system default, live switching of visible texts, the .ts file, catalogue texts."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale

from wadesk.core.error_catalogue import Explanation
from wadesk.ui.app import WadeskApp
from wadesk.ui.i18n import resolve_language, system_language
from wadesk.ui.inbox.page import InboxPage
from wadesk.ui.pages.settings_page import SettingsPage
from wadesk.ui.resources import resource_path

REPO = Path(__file__).resolve().parents[2]


def visible_texts(root: WadeskApp) -> dict[str, Any]:
    w = root.window
    inbox = w.page("inbox")
    settings = w.page("settings")
    assert isinstance(inbox, InboxPage) and isinstance(settings, SettingsPage)
    return {
        "nav": [w.nav.item(i).text() for i in range(w.nav.count())],
        "menus": [a.text() for a in w.menuBar().actions()],
        "quit": w.quit_action.text(),
        "status": w.status.plain_text(),
        "inbox": inbox.filter_buttons["unread"].text(),
        "tray": root.tray.menu().actions()[0].text(),
        "theme_items": [settings.theme_combo.itemText(i) for i in range(3)],
    }


def test_system_language_follows_the_locale() -> None:
    assert system_language(QLocale("ru_RU")) == "ru"
    assert system_language(QLocale("de_DE")) == "en"
    assert resolve_language("system", QLocale("ru_RU")) == "ru"
    assert resolve_language("ru", QLocale("en_US")) == "ru"
    assert resolve_language("xx", QLocale("en_GB")) == "en"


def test_switching_language_in_settings_changes_visible_texts(shell: WadeskApp, qtbot: Any) -> None:
    shell.translator.set_language("en")
    english = visible_texts(shell)
    assert english["nav"][0] == "Inbox"
    settings = shell.window.page("settings")
    assert isinstance(settings, SettingsPage)
    settings.language_combo.setCurrentIndex(settings.language_combo.findData("ru"))
    assert shell.prefs.language == "ru"
    qtbot.waitUntil(lambda: shell.window.nav.item(0).text() == "Входящие", timeout=2000)
    russian = visible_texts(shell)
    assert russian["nav"] == ["Входящие", "Боты", "Шаблоны", "Номера", "Журнал", "Настройки"]
    assert russian["menus"] == ["&Файл", "&Вид", "&Справка"]
    assert russian["quit"] == "В&ыход"
    assert "Туннель: не запущен" in russian["status"]
    assert russian["inbox"] == "Непрочитанные"
    assert russian["tray"] == "Показать wadesk"
    assert russian["theme_items"] == ["Как в системе", "Светлая", "Тёмная"]
    settings.language_combo.setCurrentIndex(settings.language_combo.findData("en"))
    qtbot.waitUntil(lambda: shell.window.nav.item(0).text() == "Inbox", timeout=2000)
    assert visible_texts(shell) == english


def test_catalogue_texts_follow_the_language(shell: WadeskApp) -> None:
    explanation = Explanation("Token expired", "Токен истёк", "Paste a new one.", "Вставьте новый.")
    shell.translator.set_language("ru")
    assert shell.translator.tr_catalog(explanation) == "Токен истёк. Вставьте новый."
    shell.translator.set_language("en")
    assert shell.translator.tr_catalog(explanation) == "Token expired. Paste a new one."
    assert QCoreApplication.translate("Navigation", "Inbox") == "Inbox"


def test_every_source_text_has_a_russian_translation() -> None:
    ts = ET.parse(resource_path("translations", "wadesk_ru.ts"))
    messages = list(ts.iter("message"))
    assert len(messages) > 50
    for message in messages:
        translation = message.find("translation")
        source = message.findtext("source")
        assert translation is not None and translation.text, f"untranslated: {source!r}"
        assert translation.get("type") not in ("unfinished", "obsolete"), source
    assert resource_path("translations", "wadesk_ru.qm").stat().st_size > 1000


def test_the_ts_file_is_up_to_date_with_the_sources(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    if not lupdate.exists() and shutil.which("pyside6-lupdate") is None:
        pytest.skip("pyside6-lupdate is not installed")
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (REPO / "wadesk" / "ui").rglob("*.py"))
    subprocess.run(
        [str(lupdate), "-no-obsolete", "-locations", "none", *sources, "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )

    def keys(path: Path) -> set[tuple[str, str]]:
        root = ET.parse(path)
        return {
            (ctx.findtext("name") or "", m.findtext("source") or "")
            for ctx in root.iter("context")
            for m in ctx.iter("message")
        }

    missing = keys(fresh) - keys(resource_path("translations", "wadesk_ru.ts"))
    assert not missing, f"run scripts/update_translations.sh and translate: {sorted(missing)}"
