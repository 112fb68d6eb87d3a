"""The Bots page on a real Engine (tmp SQLite, loopback server): flows created, opened, edited,
saved and published through `engine.bots`; publish refused with the problems shown in the editor;
revisions and roll back; rename, duplicate, delete, export and import; bots created on a number,
switched on, refused with the list of problems of a broken published revision; the table model
checked with qtmodeltester; screenshots of both tabs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests import factories as f
from tests.gui.flow_samples import salon_flow
from tests.integration.conftest import salon_engine
from wadesk.engine.bots import store as bs
from wadesk.engine.bots.models import Bot, BotError, BotStats
from wadesk.engine.service import Engine
from wadesk.flow import Flow, Node, to_json
from wadesk.ui.flows.bots_model import COLUMNS, BotRow, BotsModel
from wadesk.ui.flows.bots_page import BotsPage
from wadesk.ui.flows.commands import AddNode, Connect


def test_bots_model(qtmodeltester: Any) -> None:
    model = BotsModel()
    bot = Bot(1, "Salon bot", 2, 3, True, 0, 5, 2)
    model.set_rows(
        [
            BotRow(bot, "Salon", "Salon flow", "“hi”", BotStats(2, 5, 1, 3)),
            BotRow(Bot(2, "Off bot", 2, 3, False, 0, None, None)),
        ]
    )
    qtmodeltester.check(model)
    assert model.index(0, COLUMNS.index("active")).data() == "● Active"
    assert model.index(1, COLUMNS.index("active")).data() == "● Off"
    assert model.index(0, COLUMNS.index("revision")).data() == "rev. 2"
    assert model.index(1, COLUMNS.index("revision")).data() == "—"
    assert model.index(0, COLUMNS.index("errors_today")).data() == "3"
    assert model.row_of(2) == 1


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    async with salon_engine(tmp_path / "data") as eng:
        yield eng


@pytest.mark.qasync
async def test_flows_publish_bots_and_screenshots(
    app: QApplication, engine: Engine, tmp_path: Path, artifacts_dir: Path
) -> None:
    page = BotsPage(engine)
    page.resize(1500, 860)
    page.show()
    try:
        await page.tasks.wait()
        assert page.model.rowCount() == 0 and page.flow_list.list.count() == 0
        info = await engine.bots.create_flow("Salon assistant", salon_flow())
        await page.refresh()
        page.tabs.setCurrentIndex(1)
        await page.open_flow(info.id)
        assert page.editor.isEnabled() and page.editor.flow.has_node("menu")
        assert page.flow_list.current_id() == info.id
        # an edit with a validation error: publish is refused, the node is selected
        flow = page.editor.flow
        page.editor.stack.push(AddNode(flow, Node("oops", "send_text", {"text": ""}, (980, 260))))
        page.editor.stack.push(Connect(flow, "prices", "next", "oops"))
        assert page.editor.dirty
        assert await page.publish() is False
        assert not page.editor.dirty  # saved before publishing
        assert "Publishing is blocked" in page.editor.message.text()
        assert page.editor.scene.selected_node_ids() == ["oops"]
        saved = await engine.bots.draft(info.id)
        assert saved.has_node("oops")
        assert await engine.bots.revisions(info.id) == []
        # fix it in the inspector and publish
        page.editor.inspector.set_field("text", "Prices are on our website.")
        assert await page.publish() is True
        assert "Published as revision 1" in page.editor.message.text()
        assert page.flow_list.revisions.count() == 1
        published = (await engine.bots.draft(info.id)).node("oops").config["text"]
        assert published == "Prices are on our website."
        page.editor.simulator_action.setChecked(True)
        page.editor.simulator.send_text("hi")
        QApplication.processEvents()
        assert page.flow_list.grab().save(str(artifacts_dir / "bots-flow-list.png"))
        assert page.grab().save(str(artifacts_dir / "bots-page-flows.png"))
        page.editor.simulator_action.setChecked(False)

        # a bot on the number
        number = (await engine.list_numbers())[0]
        assert number.id is not None
        page.tabs.setCurrentIndex(0)
        page.show_new_bot()
        assert page.bot_number.count() == 1 and page.bot_flow.count() == 1
        bot = await page.create_bot("Salon bot", number.id, info.id)
        assert bot is not None
        assert page.model.rowCount() == 1
        row = page.model.row_at(0)
        assert row is not None and row.number == "Salon" and row.flow == "Salon assistant"
        assert row.triggers == "“hi, hello, book”"
        assert page.model.index(0, COLUMNS.index("revision")).data() == "rev. 1"
        page.select_bot(bot.id)
        assert page.active_button.text() == "Switch on"
        assert await page.set_active(bot.id, True)
        assert (await engine.bots.bot(bot.id)).active
        assert page.model.index(0, COLUMNS.index("active")).data() == "● Active"
        assert page.active_button.text() == "Switch off"

        # a second bot on a flow never published: refused with a reason
        other = await engine.bots.create_flow("Empty")
        bot2 = await page.create_bot("Second", number.id, other.id)
        assert bot2 is not None
        assert await page.set_active(bot2.id, True) is False
        assert "publish its flow first" in page.message.text()
        # a published revision with problems (stored directly, as an older wadesk might have)
        broken = Flow("x", "Broken")
        broken.add_node(Node("only", "send_text", {"text": ""}))
        now = datetime.now(UTC)
        await engine.store.write(
            partial(bs.insert_revision, flow_id=other.id, flow=broken, note=None, now=now)
        )
        assert await page.set_active(bot2.id, True) is False
        text = page.message.text()
        assert "cannot be switched on" in text and "no trigger" in text and "only:" in text
        assert not (await engine.bots.bot(bot2.id)).active
        page.select_bot(bot.id)
        assert page.grab().save(str(artifacts_dir / "bots-page.png"))
        await page.delete_bot(bot2.id)
        assert page.model.rowCount() == 1

        # revisions and roll back
        page.tabs.setCurrentIndex(1)
        await page.open_flow(info.id)
        before = to_json(page.editor.flow)
        page.editor.stack.push(AddNode(page.editor.flow, Node("extra", "end", {}, (0, 300))))
        await page.save()
        revisions = await engine.bots.revisions(info.id)
        await page.rollback(revisions[0].id)
        assert to_json(page.editor.flow)["nodes"] == before["nodes"]
        assert not page.editor.dirty

        # rename, duplicate, export, import, delete
        await page.rename_flow(info.id, "Salon main")
        assert page.flow_names[info.id] == "Salon main"
        copy_id = await page.duplicate_flow(info.id)
        assert page.flow_id == copy_id and page.flow_names[copy_id] == "Salon main (copy)"
        path = tmp_path / "salon.json"
        await page.export_flow(info.id, path)
        assert path.exists()
        imported = await page.import_flow(path)
        assert imported is not None and page.flow_id == imported
        assert page.editor.flow.has_node("menu")
        bad = tmp_path / "bad.json"
        bad.write_text("{not json", encoding="utf-8")
        assert await page.import_flow(bad) is None
        assert "not a wadesk flow" in page.editor.message.text()
        assert await page.delete_flow(copy_id)
        assert copy_id not in page.flow_names
    finally:
        page.shutdown()
        page.close()
        page.deleteLater()


@pytest.mark.qasync
async def test_edit_a_bot_after_creation(
    app: QApplication, engine: Engine, artifacts_dir: Path
) -> None:
    """ "Edit bot…" changes name, number, flow and priority through `engine.bots.update_bot`;
    the table follows; the engine's refusals (empty name, moving an active bot to an unpublished
    flow) are shown in the form, which stays open; "Edit triggers…" opens the flow's trigger."""
    page = BotsPage(engine)
    page.resize(1300, 700)
    page.show()
    try:
        await page.tasks.wait()
        second = await engine.add_number(
            label="Shop",
            phone="+1 555 078 3882",
            phone_number_id="106540352242923",
            waba_id=f.WABA,
            access_token=f.ACCESS_TOKEN,
            app_secret=f.APP_SECRET,
        )
        salon = await engine.bots.create_flow("Salon assistant", salon_flow())
        await engine.bots.publish(salon.id)
        spare = await engine.bots.create_flow("Spare")  # never published
        number = next(n for n in await engine.list_numbers() if n.label == "Salon")
        assert number.label == "Salon" and number.id is not None and second.id is not None
        bot = await engine.bots.create_bot("Salon bot", number_id=number.id, flow_id=salon.id)
        await page.refresh()
        assert not page.edit_bot_button.isEnabled()  # nothing selected
        page.select_bot(bot.id)
        assert page.edit_bot_button.isEnabled()

        page.edit_bot_button.click()
        form = page.bot_form
        assert form.isVisible() and form.bot_id == bot.id
        assert form.heading.text() == "Edit bot" and form.save_button.text() == "Save"
        assert form.name.text() == "Salon bot" and form.number.currentData() == number.id
        assert form.flow.currentData() == salon.id and form.priority.value() == 0
        assert form.triggers_label.text() == "Triggers: “hi, hello, book”"
        form.flow.setCurrentIndex(form.flow.findData(spare.id))
        assert form.triggers_label.text() == "Triggers: none published yet"
        form.flow.setCurrentIndex(form.flow.findData(salon.id))

        # refused by the engine: an empty name
        form.name.setText("   ")
        form.save_button.click()
        assert "Give the bot a name" in form.error.text()  # the form's own check
        assert (
            await page.edit_bot(bot.id, name=" ", number_id=number.id, flow_id=salon.id, priority=0)
            is None
        )
        assert "could not be saved: Give the bot a name." in form.error.text()
        assert form.isVisible()

        # a real edit: name, number, priority
        form.name.setText("Shop bot")
        form.number.setCurrentIndex(form.number.findData(second.id))
        form.priority.setValue(7)
        form.save_button.click()
        await page.tasks.wait()
        saved = await engine.bots.bot(bot.id)
        assert (saved.name, saved.number_id, saved.flow_id, saved.priority) == (
            "Shop bot",
            second.id,
            salon.id,
            7,
        )
        assert not form.isVisible() and "“Shop bot” saved." in page.message.text()
        row = page.model.row_at(page.model.row_of(bot.id))
        assert row is not None and row.bot.name == "Shop bot" and row.number == "Shop"
        assert page.selected_bot() is not None and page.selected_bot().id == bot.id  # type: ignore[union-attr]

        # an active bot cannot be moved to a flow that was never published
        assert await page.set_active(bot.id, True)
        page.show_edit_bot()
        form.flow.setCurrentIndex(form.flow.findData(spare.id))
        assert form.priority.value() == 7
        form.save_button.click()
        await page.tasks.wait()
        assert "publish the new flow" in form.error.text() and form.isVisible()
        assert (await engine.bots.bot(bot.id)).flow_id == salon.id
        assert form.grab().save(str(artifacts_dir / "bots-edit-form.png"))
        assert page.grab().save(str(artifacts_dir / "bots-page-edit.png"))
        # switched off, it may move; the table shows the new flow with no revision
        assert await page.set_active(bot.id, False)
        moved = await page.edit_bot(
            bot.id, name="Shop bot", number_id=second.id, flow_id=spare.id, priority=7
        )
        assert moved is not None and moved.flow_id == spare.id and moved.revision is None
        row = page.model.row_at(page.model.row_of(bot.id))
        assert row is not None and row.flow == "Spare" and row.triggers == ""

        # "Edit triggers…" opens the flow with its trigger selected
        page.show_edit_bot()
        form.flow.setCurrentIndex(form.flow.findData(salon.id))
        form.triggers_button.click()
        await page.tasks.wait()
        assert page.tabs.currentIndex() == 1 and page.flow_id == salon.id
        trigger = page.editor.flow.triggers[0].id
        assert page.editor.scene.selected_node_ids() == [trigger]
        assert page.editor.inspector.node_id == trigger
    finally:
        page.shutdown()
        page.close()
        page.deleteLater()


@pytest.mark.qasync
async def test_jump_offers_the_other_flows_and_a_deleted_one_blocks_publishing(
    app: QApplication, engine: Engine
) -> None:
    page = BotsPage(engine)
    page.show()
    try:
        await page.tasks.wait()
        main = await engine.bots.create_flow("Main", salon_flow())
        returns = await engine.bots.create_flow("Returns")
        await page.refresh()
        await page.open_flow(main.id)
        editor = page.editor
        assert editor.inspector.flow_choices == {str(returns.id): "Returns"}  # not itself
        assert editor.known_flows == {str(main.id), str(returns.id)}
        flow = editor.flow
        editor.stack.push(AddNode(flow, Node("jmp", "jump", {}, (980, 260))))
        editor.stack.push(Connect(flow, "prices", "next", "jmp"))
        editor.select_node("jmp")
        editor.inspector.set_field("flow", str(returns.id))
        assert flow.node("jmp").config == {"flow": str(returns.id)}
        assert await page.publish() is True
        # the target flow is deleted: the editor flags it, publishing is refused
        await engine.bots.delete_flow(returns.id)
        await page.refresh()
        problems = [p for p in editor.problems if p.code == "missing_flow"]
        assert [p.node_id for p in problems] == ["jmp"]
        combo = editor.inspector.fields["flow"]
        assert combo.property("missing")
        assert await page.publish() is False
        assert "Publishing is blocked" in editor.message.text()
        with pytest.raises(BotError) as refused:
            await engine.bots.publish(main.id)
        assert [p.code for p in refused.value.problems] == ["missing_flow"]
    finally:
        page.shutdown()
        page.close()
        page.deleteLater()


def test_bot_form_and_variables_in_russian(app: QApplication, artifacts_dir: Path) -> None:
    from wadesk.ui.flows.bot_form import BotForm
    from wadesk.ui.flows.editor import FlowEditor
    from wadesk.ui.i18n import Translator

    translator = Translator(app)
    translator.set_language("ru")
    form = BotForm()
    editor = FlowEditor(salon_flow(), lang="ru")
    try:
        form.set_choices({1: "Салон"}, {2: "Запись"}, {2: "“привет”"})
        form.start_edit(Bot(5, "Бот салона", 2, 1, False, 3, None, None))
        form.resize(900, 150)
        assert form.heading.text() == "Изменить бота" and form.save_button.text() == "Сохранить"
        assert form.triggers_label.text() == "Запуски: “привет”"
        assert form.grab().save(str(artifacts_dir / "bots-edit-form-ru.png"))
        editor.retranslate()
        editor.variables.retranslate()
        editor.resize(1400, 800)
        editor.show()
        editor.show_variables("nick")
        QApplication.processEvents()
        assert editor.side_tabs.tabText(1) == "Переменные"
        assert editor.variables.offer_button.text() == "Объявить «nick»"
        assert editor.variables.model.headerData(1, Qt.Orientation.Horizontal) == "По умолчанию"
        assert editor.grab().save(str(artifacts_dir / "flow-editor-variables-ru.png"))
    finally:
        translator.set_language("en")
        editor.shutdown()
        editor.close()
        form.close()


@pytest.mark.qasync
async def test_an_older_refresh_finishing_last_does_not_bring_back_a_deleted_flow(
    app: QApplication, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    page = BotsPage(engine)
    page.show()
    try:
        await page.tasks.wait()
        keep = await engine.bots.create_flow("Keep")
        gone = await engine.bots.create_flow("Gone")
        real_flows = engine.bots.flows
        release = asyncio.Event()
        calls: list[int] = []

        async def first_one_slow() -> Any:
            calls.append(1)
            snapshot = await real_flows()
            if len(calls) == 1:
                await release.wait()  # read before the delete, finishes after the next refresh
            return snapshot

        monkeypatch.setattr(engine.bots, "flows", first_one_slow)
        older = asyncio.ensure_future(page.refresh())
        for _ in range(200):
            if calls:
                break
            await asyncio.sleep(0.01)
        await engine.bots.delete_flow(gone.id)
        await page.refresh()
        assert set(page.flow_names) == {keep.id}
        release.set()
        await older
        assert set(page.flow_names) == {keep.id}  # the older snapshot was dropped
        assert page.flow_list.list.count() == 1
    finally:
        page.close()
        await page.tasks.wait()
