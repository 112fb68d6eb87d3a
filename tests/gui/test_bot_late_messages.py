"""The bot form's late-message setting on a real Engine (tmp SQLite): the age above which a late
message (wadesk was offline) neither starts nor advances the bot, and "answer late messages
too" — created and edited through the form, stored as the bot's `BotSettings` (the bubble delay
set elsewhere is kept); the form in Russian, screenshot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.gui.flow_samples import salon_flow
from tests.integration.conftest import salon_engine
from wadesk.engine.bots.models import Bot, BotSettings
from wadesk.engine.service import Engine
from wadesk.ui.flows.bot_form import BotForm
from wadesk.ui.flows.bots_page import BotsPage


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    async with salon_engine(tmp_path / "data") as eng:
        yield eng


@pytest.mark.qasync
async def test_late_message_setting_is_created_and_edited(
    app: QApplication, engine: Engine
) -> None:
    page = BotsPage(engine)
    page.resize(1300, 700)
    page.show()
    try:
        await page.tasks.wait()
        flow = await engine.bots.create_flow("Salon", salon_flow())
        await page.refresh()
        page.show_new_bot()
        form = page.bot_form
        assert form.stale_minutes.value() == 10 and not form.process_stale.isChecked()
        form.name.setText("Salon bot")
        form.flow.setCurrentIndex(form.flow.findData(flow.id))
        form.stale_minutes.setValue(45)
        form.save_button.click()
        await page.tasks.wait()
        (bot,) = await engine.bots.bots()
        assert bot.settings.stale_after == 45 * 60 and not bot.settings.process_stale

        # a bubble delay set elsewhere survives an edit through the form
        await engine.bots.update_bot(
            bot.id, settings=BotSettings(stale_after=45 * 60, bubble_delay=0.5)
        )
        await page.refresh()
        page.select_bot(bot.id)
        page.show_edit_bot()
        assert form.stale_minutes.value() == 45 and form.stale_minutes.isEnabled()
        form.process_stale.setChecked(True)
        assert not form.stale_minutes.isEnabled()
        form.save_button.click()
        await page.tasks.wait()
        saved = await engine.bots.bot(bot.id)
        assert saved.settings == BotSettings(
            stale_after=45 * 60, process_stale=True, bubble_delay=0.5
        )
        page.show_edit_bot()
        assert form.process_stale.isChecked() and not form.stale_minutes.isEnabled()
    finally:
        page.shutdown()
        page.close()
        page.deleteLater()


def test_the_form_in_russian(app: QApplication, artifacts_dir: Path) -> None:
    from wadesk.ui.i18n import Translator

    translator = Translator(app)
    translator.set_language("ru")
    form = BotForm()
    try:
        form.set_choices({1: "Салон"}, {2: "Запись"}, {2: "“привет”"})
        form.start_edit(
            Bot(5, "Бот салона", 2, 1, False, 0, None, None, BotSettings(stale_after=1800))
        )
        form.resize(900, 190)
        assert form.stale_minutes.value() == 30 and form.stale_minutes.suffix() == " мин"
        assert form.process_stale.text() == "Отвечать и на опоздавшие"
        assert form.stale_label.text().startswith("Не обрабатывать сообщения")
        QApplication.processEvents()
        assert form.grab().save(str(artifacts_dir / "bots-form-late-ru.png"))
    finally:
        translator.set_language("en")
        form.close()
