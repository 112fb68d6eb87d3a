"""The flow list's own controls on a real Engine (tmp SQLite): New, inline rename, Duplicate,
Delete (after a confirmation that Cancel declines), Import…/Export… through their file dialogs, the published revisions listed with their
time, and "Roll back" on a chosen revision — each click reaches `engine.bots` and the list
follows."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog

from tests import factories as f
from tests.gui.flow_samples import salon_flow
from tests.integration.conftest import make_engine
from wadesk.engine.secrets import SecretKind
from wadesk.engine.service import Engine
from wadesk.flow import Node, to_json
from wadesk.ui.flows.bots_page import BotsPage


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    eng = make_engine(tmp_path / "data")
    eng.secrets.set(SecretKind.VERIFY_TOKEN, "", f.VERIFY_TOKEN)
    await eng.start()
    yield eng
    await eng.stop()


def names(page: BotsPage) -> list[str]:
    lst = page.flow_list.list
    return [lst.item(i).text() for i in range(lst.count())]


@pytest.mark.qasync
async def test_flow_list_buttons(
    app: QApplication, engine: Engine, tmp_path: Path, artifacts_dir: Path
) -> None:
    page = BotsPage(engine)
    page.resize(1400, 800)
    page.show()
    fl = page.flow_list
    try:
        await page.tasks.wait()
        page.tabs.setCurrentIndex(1)
        assert not fl.rename_button.isEnabled() and not fl.export_button.isEnabled()
        # New (twice: the second gets a free name)
        fl.new_button.click()
        await page.tasks.wait()
        fl.new_button.click()
        await page.tasks.wait()
        flows = await engine.bots.flows()
        assert sorted(i.name for i in flows) == ["New flow", "New flow 2"]
        assert sorted(names(page)) == ["New flow", "New flow 2"]
        assert fl.rename_button.isEnabled()
        # inline rename: the edited item text is committed
        current = fl.current_id()
        assert current is not None and page.flow_id == current
        item = fl.list.currentItem()
        fl.rename_button.click()
        item.setText("Greeting")
        await page.tasks.wait()
        assert (await engine.bots.flow_info(current)).name == "Greeting"
        # duplicate, then delete the copy
        fl.duplicate_button.click()
        await page.tasks.wait()
        assert "Greeting (copy)" in names(page) and page.flow_names[page.flow_id] == (
            "Greeting (copy)"
        )
        copy_id = page.flow_id
        assert fl.current_id() == copy_id
        fl.delete_button.click()  # asks first; Cancel keeps the flow
        box = fl.confirm
        assert box is not None and box.isVisible() and "Greeting (copy)" in box.text()
        cancel, delete = (
            next(b for b in box.buttons() if b.text() == t) for t in ("Cancel", "Delete")
        )
        assert box.defaultButton() is cancel
        assert box.grab().save(str(artifacts_dir / "flow-list-delete-confirm.png"))
        cancel.click()
        await page.tasks.wait()
        assert copy_id in {i.id for i in await engine.bots.flows()}
        fl.delete_button.click()
        box = fl.confirm
        delete = next(b for b in box.buttons() if b.text() == "Delete")
        delete.click()
        await page.tasks.wait()
        assert copy_id not in {i.id for i in await engine.bots.flows()}
        assert "Greeting (copy)" not in names(page)

        # revisions with their time, and roll back to the first one
        salon = await engine.bots.create_flow("Salon", salon_flow())
        await engine.bots.publish(salon.id)
        draft = await engine.bots.draft(salon.id)
        first = to_json(draft)
        draft.add_node(Node("extra", "end", {}, (0, 400)))
        draft.connect("prices", "next", "extra")
        await engine.bots.save_draft(salon.id, draft)
        await engine.bots.publish(salon.id)
        await page.refresh()
        await page.open_flow(salon.id)
        revs = [fl.revisions.item(i).text() for i in range(fl.revisions.count())]
        assert len(revs) == 2
        assert all(re.fullmatch(r"Rev\. [12] · \d{4}-\d\d-\d\d \d\d:\d\d", r) for r in revs)
        assert revs[0].startswith("Rev. 2")
        assert not fl.rollback_button.isEnabled()
        fl.revisions.setCurrentRow(1)  # rev. 1
        assert fl.rollback_button.isEnabled()
        fl.rollback_button.click()
        await page.tasks.wait()
        assert not page.editor.flow.has_node("extra")
        assert to_json(page.editor.flow)["nodes"] == first["nodes"]
        assert "matches the chosen revision" in page.editor.message.text()
        assert fl.grab().save(str(artifacts_dir / "flow-list-revisions.png"))

        # Export… and Import… through their dialogs
        fl.list.setCurrentRow(names(page).index("Salon"))
        await page.tasks.wait()
        fl.export_button.click()
        dialog = fl.dialog
        assert isinstance(dialog, QFileDialog) and dialog.isVisible()
        assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
        out = tmp_path / "salon.json"
        dialog.fileSelected.emit(str(out))
        dialog.close()
        await page.tasks.wait()
        assert json.loads(out.read_text(encoding="utf-8"))["nodes"]
        fl.import_button.click()
        dialog = fl.dialog
        assert isinstance(dialog, QFileDialog) and dialog.isVisible()
        assert dialog.fileMode() == QFileDialog.FileMode.ExistingFile
        dialog.fileSelected.emit(str(out))
        dialog.close()
        await page.tasks.wait()
        assert names(page).count("Salon") == 2
        assert page.editor.flow.has_node("menu") and page.flow_id != salon.id
    finally:
        page.shutdown()
        page.close()
        page.deleteLater()
