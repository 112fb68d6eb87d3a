"""Settings → Backup through the GUI on real data (a demo engine on the sandbox with two
conversations, a photo, a reply, flows; secrets in the keyring, the environment, ngrok.yml and
the log): "Export backup…" writes an archive with the conversations and no secret; "Restore
from backup…" into a fresh install asks first, stops that engine, swaps the data in and says
that secrets must be entered again and wadesk restarted — after which the data dir shows the
same conversations, messages and media. Screenshots in English and Russian."""

from __future__ import annotations

import asyncio
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from tests.integration.test_backup import make_data, media_paths, open_engine, snapshot
from wadesk.engine.backup import DB_MEMBER, MANIFEST
from wadesk.ui.i18n import Translator
from wadesk.ui.settings import Preferences, SettingsPage
from wadesk.ui.theme import ThemeManager, ThemeMode

pytestmark = pytest.mark.qasync


async def until(check: Callable[[], Any], seconds: float = 10.0) -> Any:
    async with asyncio.timeout(seconds):
        while True:
            value = check()
            if value:
                return value
            await asyncio.sleep(0.01)


def make_page(engine: Any, tmp_path: Path, language: str = "en", **kwargs: Any) -> SettingsPage:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    prefs = Preferences(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    theme = ThemeManager(app)
    theme.apply(ThemeMode.LIGHT)
    translator = Translator(app)
    translator.set_language(language)
    page = SettingsPage(prefs, translator, theme, engine=engine, **kwargs)
    page.translator = translator  # type: ignore[attr-defined]  # tests switch it back
    page.resize(1000, 680)
    page.show()
    return page


def shot(widget: QWidget, artifacts_dir: Path, name: str) -> None:
    QApplication.processEvents()
    assert widget.grab().save(str(artifacts_dir / name))


def media_in_place(paths: list[str], data_dir: Path) -> bool:
    """Every media path points into `data_dir` at an existing file; no staging left over."""
    root = str(data_dir.resolve())
    leftovers = [p for p in data_dir.iterdir() if p.name.startswith(".restore")]
    return not leftovers and all(p.startswith(root) and Path(p).is_file() for p in paths)


async def choose_file(section: Any, path: Path) -> None:
    dialog = await until(lambda: section.file_dialog if section.file_dialog.isVisible() else None)
    dialog.selectFile(str(path))
    dialog.accept()


async def test_export_then_restore_into_a_fresh_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, artifacts_dir: Path
) -> None:
    rt, secrets = await make_data(tmp_path, monkeypatch)
    engine = rt.engine
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    archive = out_dir / "wadesk-backup.zip"
    try:
        before = await engine.store.read(snapshot)
        page = make_page(engine, tmp_path)
        section = page.show_section("backup")
        assert section.available
        section.export_button.click()
        await choose_file(section, archive)
        await until(lambda: section.last_archive is not None)
        assert not section.progress.isVisible() and section.export_button.isEnabled()
        text = section.status.text()
        assert str(archive) in text and "2 conversations" in text and "2 flows" in text
        assert "not in the backup" in text
        shot(page, artifacts_dir, "settings-backup-light.png")
        page.close()
    finally:
        await rt.stop()

    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        contents = [zf.read(n) for n in names]
    assert MANIFEST in names and DB_MEMBER in names
    assert any(n.startswith("files/media/") for n in names)
    for secret in secrets:
        assert all(secret.encode() not in c for c in contents), "a secret is in the archive"

    # a fresh install (its own, empty data dir) restores the archive from the GUI
    fresh = open_engine(tmp_path / "fresh")
    await fresh.start(serve=False, ingest=False)
    released: list[bool] = []
    quits: list[bool] = []

    async def release() -> None:
        released.append(True)
        await fresh.stop()

    page = make_page(
        fresh, tmp_path, release_engine=release, request_quit=lambda: quits.append(True)
    )
    section = page.show_section("backup")
    section.restore_button.click()
    await choose_file(section, archive)
    box = await until(lambda: section.confirm)
    assert "2 conversations" in box.informativeText()
    assert "access tokens" in box.informativeText()
    shot(box, artifacts_dir, "settings-backup-restore-question.png")
    box.button(QMessageBox.StandardButton.Yes).click()
    done = await until(lambda: section.result_box)
    assert released == [True]
    assert "access token" in done.informativeText() and "start it again" in done.informativeText()
    assert quits == []
    shot(done, artifacts_dir, "settings-backup-restored.png")
    done.button(QMessageBox.StandardButton.Ok).click()
    await until(lambda: quits)
    page.close()

    again = open_engine(tmp_path / "fresh")
    await again.start(serve=False, ingest=False)
    try:
        after = await again.store.read(snapshot)
        paths = await again.store.read(media_paths)
    finally:
        await again.stop()
    assert after == before
    assert paths and media_in_place(paths, tmp_path / "fresh")


async def test_restore_refuses_a_file_that_is_not_a_backup_and_cancel_changes_nothing(
    tmp_path: Path, artifacts_dir: Path
) -> None:
    engine = open_engine(tmp_path / "data")
    await engine.start(serve=False, ingest=False)
    released: list[bool] = []

    async def release() -> None:
        released.append(True)

    page = make_page(engine, tmp_path, language="ru", release_engine=release)
    try:
        section = page.show_section("backup")
        junk = tmp_path / "notes.zip"
        with zipfile.ZipFile(junk, "w") as zf:
            zf.writestr("hello.txt", "hi")
        assert not await section.restore_from(junk)
        assert (
            section.status.text()
            == "Этот файл нельзя восстановить: этот файл — не резервная копия wadesk"
        )
        assert section.restore_button.isEnabled() and released == []
        shot(page, artifacts_dir, "settings-backup-ru.png")

        # a real (empty) backup, but the user cancels: nothing happens
        archive = tmp_path / "empty.zip"
        await engine.backup(archive)
        task = asyncio.ensure_future(section.restore_from(archive))
        box = await until(lambda: section.confirm)
        box.button(QMessageBox.StandardButton.Cancel).click()
        assert await task is False
        assert released == [] and engine.store.is_open
        page.close()
    finally:
        page.translator.set_language("en")  # QLocale's default and the installed .qm
        await engine.stop()
