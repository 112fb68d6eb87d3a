"""Settings page: General (the read-receipt toggle persisted and followed by the conversation
view), Quick replies (qtmodeltester, add/edit/delete/undo through the real dialogs, validation
messages, attachment limits, the composer's `/` popup sees saved changes), Labels (qtmodeltester,
add/rename/recolour/delete with the usage count in the question, the inbox list and contact panel
show the new colour) and Connection (ngrok path validated, saved in connection.json). Runs on a
real Engine over SQLite in tmp_path; screenshots of every section go to build/test-artifacts."""

from __future__ import annotations

import asyncio
import json
import os
import stat
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy import insert

from tests.gui.conftest import FakeEngine
from wadesk.engine.config import Paths, Settings
from wadesk.engine.logs import SecretRedactor
from wadesk.engine.quick_replies import QuickReply, QuickReplyStore
from wadesk.engine.secrets import SecretStore
from wadesk.engine.service import Engine
from wadesk.engine.store import repo
from wadesk.engine.store.tables import contact_t, conversation_t
from wadesk.ui.bridge import EngineBridge
from wadesk.ui.i18n import Translator
from wadesk.ui.inbox.conversation.view import MARK_READ_KEY
from wadesk.ui.inbox.list_model import Role
from wadesk.ui.inbox.page import InboxPage
from wadesk.ui.settings import Preferences, SettingsPage
from wadesk.ui.settings.labels import COLOUR_ROLE, COUNT_ROLE, LabelsModel
from wadesk.ui.settings.links import connect_inbox
from wadesk.ui.settings.prefs import MARK_READ_KEY as PREFS_MARK_READ_KEY
from wadesk.ui.settings.quick_replies import QuickRepliesModel
from wadesk.ui.theme import ThemeManager, ThemeMode

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


async def until(check: Callable[[], Any], seconds: float = 5.0) -> Any:
    async with asyncio.timeout(seconds):
        while True:
            value = check()
            if value:
                return value
            await asyncio.sleep(0.01)


def _seed(conn: Any) -> list[int]:
    number = repo.add_number(conn, "Salon", "+15550783881", "106540352242922", "102290129340398")
    now = datetime.now(UTC)
    ids = []
    for wa_id, name in (("16505551234", "Sheena Nelson"), ("79161234567", "Анна Петрова")):
        contact = conn.execute(
            insert(contact_t).values(wa_id=wa_id, profile_name=name, created_at=now, updated_at=now)
        ).lastrowid
        ids.append(
            conn.execute(
                insert(conversation_t).values(
                    number_id=number.id, contact_id=contact, created_at=now, last_message_at=now
                )
            ).lastrowid
        )
    return ids


@asynccontextmanager
async def real_engine(tmp_path: Path) -> AsyncIterator[tuple[Engine, list[int]]]:
    redactor = SecretRedactor()
    data = tmp_path / "data"
    engine = Engine(
        Settings(paths=Paths(data, data / "logs"), port=0),
        secrets=SecretStore(redactor),
        redactor=redactor,
    )
    await engine.start(serve=False, ingest=False)
    try:
        ids = await engine.store.write(_seed)
        yield engine, ids
    finally:
        await engine.stop()


def make_page(engine: Any, tmp_path: Path, **kwargs: Any) -> tuple[SettingsPage, Preferences]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    prefs = Preferences(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    theme = ThemeManager(app)
    theme.apply(ThemeMode.LIGHT)
    page = SettingsPage(
        prefs,
        Translator(app),
        theme,
        data_dir=str(engine.settings.paths.data_dir),
        engine=engine,
        **kwargs,
    )
    page.resize(1000, 680)
    page.show()
    return page, prefs


def shot(widget: QWidget, artifacts_dir: Path, name: str) -> None:
    QApplication.processEvents()
    assert widget.grab().save(str(artifacts_dir / name))


# -- General ----------------------------------------------------------------------------------


def test_mark_read_toggle_is_persisted_and_reaches_the_conversation_view(
    qtbot: Any, tmp_path: Path, artifacts_dir: Path
) -> None:
    assert PREFS_MARK_READ_KEY == MARK_READ_KEY
    page, prefs = make_page(FakeEngine(tmp_path / "data"), tmp_path)
    qtbot.addWidget(page)
    assert prefs.mark_read_on_open is True
    assert page.mark_read_check.isChecked()

    class View:
        mark_read_on_open = True
        composer = type("Composer", (), {"quick_replies": []})()

    inbox = type("Inbox", (), {"conversation_view": View()})()
    connect_inbox(page, inbox)
    page.mark_read_check.setChecked(False)
    assert inbox.conversation_view.mark_read_on_open is False
    prefs.sync()
    again = Preferences(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    assert again.mark_read_on_open is False
    assert again.store.value(MARK_READ_KEY, True, type=bool) is False
    page.load()
    assert not page.mark_read_check.isChecked()
    shot(page, artifacts_dir, "settings-general-light.png")
    # keyboard: the checkbox has a mnemonic and the combos have buddies
    assert "&" in page.mark_read_check.text()
    assert page.general._language_label.buddy() is page.language_combo


def test_sections_without_an_engine_are_disabled_not_broken(qtbot: Any, tmp_path: Path) -> None:
    page, _prefs = make_page(FakeEngine(tmp_path / "data"), tmp_path)
    qtbot.addWidget(page)
    assert page.labels.service is None and not page.labels.new_button.isEnabled()
    assert page.connection.connection is None and not page.connection.save_button.isEnabled()
    assert page.backup.available is False and not page.backup.export_button.isEnabled()
    assert page.quick_replies.add_button.isEnabled()  # quick replies only need the data dir
    assert [page.nav.item(i).text() for i in range(page.nav.count())] == [
        "General",
        "Quick replies",
        "Labels",
        "Connection",
        "Backup",
    ]


# -- Quick replies ----------------------------------------------------------------------------


def test_quick_replies_model(qtmodeltester: Any) -> None:
    model = QuickRepliesModel()
    model.set_replies([QuickReply("hours", "We are open 9–18"), QuickReply("pdf", "", "/x/a.pdf")])
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "/hours"
    assert model.index(1, 2).data() == "a.pdf"
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Text"


@pytest.mark.qasync
async def test_quick_replies_editor_saves_validates_undoes_and_feeds_the_composer(
    tmp_path: Path, artifacts_dir: Path
) -> None:
    async with real_engine(tmp_path) as (engine, _ids):
        page, _prefs = make_page(engine, tmp_path)
        bridge = EngineBridge()
        bridge.attach(engine.subscribe)
        inbox = InboxPage(engine, bridge, Translator(QApplication.instance()))  # type: ignore[arg-type]
        await inbox.start()
        connect_inbox(page, inbox)
        section = page.show_section("quick_replies")
        await until(lambda: section.loaded)
        assert section.model.rowCount() == 0

        async def add(shortcut: str, text: str, media: str = "") -> Any:
            section.add_button.click()
            dialog = await until(lambda: section.dialog)
            dialog.shortcut_edit.setText(shortcut)
            dialog.text_edit.setPlainText(text)
            dialog.media_edit.setText(media)
            dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
            return dialog

        dialog = await add("/Hours", "Hello {{name}}, we are open 9:00–18:00.")
        await until(lambda: section.dialog is None and section.model.rowCount() == 1)
        store = QuickReplyStore(engine.settings.paths.data_dir)
        assert [r.shortcut for r in store.load()] == ["hours"]

        # validation: a duplicate shortcut, a bad one, no text, a file WhatsApp refuses
        dialog = await add("hours", "again")
        await until(lambda: dialog.error.isVisible())
        assert "/hours is already used" in dialog.error.text()
        dialog.shortcut_edit.setText("two words")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        await until(lambda: "letters, digits" in dialog.error.text())
        dialog.shortcut_edit.setText("price")
        dialog.text_edit.setPlainText("  ")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        await until(lambda: "Type the text" in dialog.error.text())
        big = tmp_path / "huge.png"
        big.write_bytes(PNG + b"\0" * (5 * 1024 * 1024 + 1))
        dialog.media_edit.setText(str(big))
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        await until(lambda: "over the limit" in dialog.error.text())
        shot(dialog, artifacts_dir, "settings-quick-reply-dialog-error.png")
        exe = tmp_path / "tool.exe"
        exe.write_bytes(b"MZ")
        dialog.media_edit.setText(str(exe))
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        await until(lambda: "does not accept" in dialog.error.text())
        assert dialog.isVisible()
        photo = tmp_path / "price.png"
        photo.write_bytes(PNG)
        dialog.media_edit.setText(str(photo))
        dialog.text_edit.setPlainText("Our prices")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        await until(lambda: section.dialog is None and section.model.rowCount() == 2)
        assert store.load()[1] == QuickReply("price", "Our prices", str(photo))

        # the composer sees the saved list without a restart
        view = inbox.conversation_view
        composer = view.composer  # type: ignore[attr-defined]
        # and the real conversation view follows the read-receipt toggle
        assert view.mark_read_on_open is True  # type: ignore[attr-defined]
        page.mark_read_check.setChecked(False)
        assert view.mark_read_on_open is False  # type: ignore[attr-defined]
        assert [r.shortcut for r in composer.quick_replies] == ["hours", "price"]

        # edit
        section.view.selectRow(0)
        section.edit_button.click()
        dialog = await until(lambda: section.dialog)
        assert dialog.shortcut_edit.text() == "hours"
        dialog.text_edit.setPlainText("Open 10:00–20:00")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        await until(lambda: section.dialog is None and store.load()[0].text == "Open 10:00–20:00")
        await until(lambda: composer.quick_replies[0].text == "Open 10:00–20:00")
        shot(page, artifacts_dir, "settings-quick-replies-light.png")

        # delete, then undo puts it back in place
        section.view.selectRow(0)
        section.delete_button.click()
        await until(lambda: section.undo_bar.isVisible())
        assert section.undo_bar.isVisible()
        assert [r.shortcut for r in store.load()] == ["price"]
        assert [r.shortcut for r in composer.quick_replies] == ["price"]
        assert "/hours" in section.undo_label.text()
        shot(page, artifacts_dir, "settings-quick-replies-undo-light.png")
        section.undo_button.click()
        await until(lambda: not section.undo_bar.isVisible())
        assert [r.shortcut for r in store.load()] == ["hours", "price"]
        assert [r.shortcut for r in composer.quick_replies] == ["hours", "price"]

        # keyboard: Enter on a row edits it, Delete deletes it
        page.activateWindow()
        section.view.setFocus()
        section.view.selectRow(1)
        QTest.keyClick(section.view, Qt.Key.Key_Return)
        dialog = await until(lambda: section.dialog)
        assert dialog.shortcut_edit.text() == "price"
        dialog.reject()
        await until(lambda: section.dialog is None)
        section.view.setFocus()
        QTest.keyClick(section.view, Qt.Key.Key_Delete)
        await until(lambda: section.undo_bar.isVisible())
        assert [r.shortcut for r in store.load()] == ["hours"]
        inbox.shutdown()
        bridge.close()
        page.close()


# -- Labels -----------------------------------------------------------------------------------


def test_labels_model(qtmodeltester: Any) -> None:
    from wadesk.engine.inbox import Label
    from wadesk.engine.labels import LabelUsage

    model = LabelsModel()
    model.set_items(
        [LabelUsage(Label(1, "VIP", "#FF9800"), 2), LabelUsage(Label(2, "New", "#2196F3"), 0)]
    )
    qtmodeltester.check(model)
    assert model.index(0).data().startswith("VIP")
    assert model.index(0).data(COUNT_ROLE) == 2
    assert model.index(1).data(COLOUR_ROLE) == "#2196F3"


@pytest.mark.qasync
async def test_labels_add_rename_recolour_delete_reach_the_inbox(
    tmp_path: Path, artifacts_dir: Path
) -> None:
    async with real_engine(tmp_path) as (engine, ids):
        page, _prefs = make_page(engine, tmp_path)
        bridge = EngineBridge(interval_ms=10)
        bridge.attach(engine.subscribe)
        inbox = InboxPage(engine, bridge, Translator(QApplication.instance()))  # type: ignore[arg-type]
        await inbox.start()
        connect_inbox(page, inbox)
        section = page.show_section("labels")
        await until(lambda: section.loaded)

        section.new_button.click()
        dialog = await until(lambda: section.name_dialog)
        dialog.name_edit.setText("  VIP   client ")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        await until(lambda: section.model.rowCount() == 1)
        label = section.model.items()[0].label
        assert label.name == "VIP client" and label.colour.startswith("#")

        # duplicate name is refused in the dialog (any case)
        section.new_button.click()
        dialog = await until(lambda: section.name_dialog)
        dialog.name_edit.setText("vip CLIENT")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        assert dialog.isVisible() and "already exists" in dialog.error.text()
        dialog.reject()
        await until(lambda: section.name_dialog is None)

        # put it on both conversations, as the contact panel does
        for conv in ids:
            await engine.inbox.set_labels(conv, [label.id])
        await section.refresh()
        assert section.model.items()[0].conversations == 2
        await until(lambda: inbox.model.rowCount() == 2)
        await until(lambda: inbox.select(ids[0]))
        await until(lambda: inbox.contact_panel.row is not None and inbox.contact_panel.all_labels)

        # recolour through the colour dialog
        section.select(label.id)
        section.colour_button.click()
        colour_dialog = await until(lambda: section.colour_dialog)
        colour_dialog.setCurrentColor(QColor("#E91E63"))
        colour_dialog.accept()
        await until(lambda: section.model.items()[0].label.colour == "#E91E63")
        index = inbox.model.index_of(ids[1])
        await until(
            lambda: inbox.model.index_of(ids[1]).data(Role.LABELS) == [("VIP client", "#E91E63")]
        )
        assert index.isValid()
        await until(
            lambda: (
                [(x.name, x.colour) for x in inbox.contact_panel.all_labels]
                == [("VIP client", "#E91E63")]
            )
        )

        # rename
        section.select(label.id)
        section.rename_button.click()
        dialog = await until(lambda: section.name_dialog)
        assert dialog.name_edit.text() == "VIP client"
        dialog.name_edit.setText("Regular")
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
        await until(lambda: section.model.items()[0].label.name == "Regular")
        await until(
            lambda: inbox.model.index_of(ids[0]).data(Role.LABELS) == [("Regular", "#E91E63")]
        )
        await until(lambda: inbox.label_combo.findText("Regular") > 0)
        shot(page, artifacts_dir, "settings-labels-light.png")

        # delete asks, says how many conversations carry it; Cancel keeps it
        section.select(label.id)
        section.delete_button.click()
        box = await until(lambda: section.confirm)
        assert "2 conversations" in box.text()
        shot(box, artifacts_dir, "settings-labels-delete-question.png")
        box.button(QMessageBox.StandardButton.Cancel).click()
        await until(lambda: section.confirm is None)
        assert section.model.rowCount() == 1
        section.select(label.id)
        section.delete_button.click()
        box = await until(lambda: section.confirm)
        box.button(QMessageBox.StandardButton.Yes).click()
        await until(lambda: section.model.rowCount() == 0)
        assert await engine.labels.usage() == []
        await until(lambda: inbox.model.index_of(ids[0]).data(Role.LABELS) == [])
        await until(lambda: inbox.label_combo.count() == 1)
        inbox.shutdown()
        bridge.close()
        page.close()


# -- Connection -------------------------------------------------------------------------------


@pytest.mark.qasync
async def test_ngrok_path_is_validated_and_saved(tmp_path: Path, artifacts_dir: Path) -> None:
    async with real_engine(tmp_path) as (engine, _ids):
        page, _prefs = make_page(engine, tmp_path)
        section = page.show_section("connection")
        await until(lambda: section.loaded)
        assert section.path_edit.text() == ""
        settings_file = engine.settings.paths.data_dir / "connection.json"

        assert not await section.save(str(tmp_path / "nope" / "ngrok"))
        assert "no file" in section.status.text()
        assert not await section.save(str(tmp_path))
        assert "folder" in section.status.text()
        plain = tmp_path / "ngrok.txt"
        plain.write_text("not a program")
        if os.name != "nt":
            assert not await section.save(str(plain))
            assert "not a program" in section.status.text()
        assert not settings_file.exists()

        binary = tmp_path / "bin" / "ngrok"
        binary.parent.mkdir()
        binary.write_text("#!/bin/sh\nexit 0\n")
        binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
        section.path_edit.setText(str(binary))
        section.save_button.click()
        await until(lambda: settings_file.exists())
        await until(lambda: "Saved" in section.status.text())
        assert json.loads(settings_file.read_text())["ngrok_path"] == str(binary)
        assert engine.connection.settings.ngrok_path == str(binary)
        shot(page, artifacts_dir, "settings-connection-light.png")

        section.default_button.click()
        await until(lambda: json.loads(settings_file.read_text())["ngrok_path"] is None)
        assert section.path_edit.text() == ""
        page.close()


@pytest.mark.qasync
async def test_sections_in_russian(tmp_path: Path, artifacts_dir: Path) -> None:
    async with real_engine(tmp_path) as (engine, ids):
        QuickReplyStore(engine.settings.paths.data_dir).save(
            [QuickReply("часы", "Здравствуйте, {{name}}! Мы работаем с 9:00 до 18:00."),
             QuickReply("адрес", "Москва, ул. Тверская, 1")]
        )  # fmt: skip
        vip = await engine.labels.create("Постоянный клиент", "#FF9800")
        await engine.inbox.set_labels(ids[0], [vip.id])
        page, _prefs = make_page(engine, tmp_path)
        translator = Translator(QApplication.instance())  # type: ignore[arg-type]
        try:
            translator.set_language("ru")
            QApplication.processEvents()
            assert page.nav.item(1).text() == "Быстрые ответы"
            section = page.show_section("quick_replies")
            await until(lambda: section.loaded)
            assert section.add_button.text() == "&Добавить…"
            assert section.model.headerData(0, Qt.Orientation.Horizontal) == "Сокращение"
            shot(page, artifacts_dir, "settings-quick-replies-ru.png")
            labels = page.show_section("labels")
            await until(lambda: labels.loaded)
            assert labels.model.index(0).data() == "Постоянный клиент  —  1 диалог"
            shot(page, artifacts_dir, "settings-labels-ru.png")
            page.show_section("general")
            assert page.mark_read_check.text().startswith("&Отмечать")
            shot(page, artifacts_dir, "settings-general-ru.png")
        finally:
            translator.set_language("en")
        QApplication.processEvents()
        assert page.nav.item(1).text() == "Quick replies"
        page.close()


def test_the_app_wires_settings_to_the_inbox_and_can_release_its_engine(
    shell: Any, fake_engine: FakeEngine
) -> None:
    settings = shell.window.page("settings")
    assert isinstance(settings, SettingsPage)
    assert settings.backup.available is False  # the fake engine has no backup command
    # the fake engine's inbox shows a placeholder view: toggling must leave it alone
    settings.mark_read_check.setChecked(False)
    assert shell.prefs.mark_read_on_open is False
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(shell.release_engine())
        assert fake_engine.stopped and shell.engine is None and not shell.engine_started
        loop.run_until_complete(shell._cleanup(None))  # quitting does not stop it twice
    finally:
        loop.close()
    assert shell.stopped.is_set()
