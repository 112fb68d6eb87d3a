"""The inbox layout holds at 1024-1280 px with the demo "Customer simulator" dock open: the
list, the message view (and its composer's buttons), the contact panel and the dock never
overlap and none is squeezed below its minimum; narrow, the contact panel hides itself and its
toggle brings it back in the list's place. Screenshots at 1180 and 1440, light and dark (the
real `wadesk demo` app on the real sandbox)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings
from PySide6.QtWidgets import QApplication, QScrollArea, QSizePolicy, QWidget

from tests.gui.conftest import teardown_shell
from tests.integration.sandbox_helpers import fast_config
from wadesk.engine.config import Paths
from wadesk.engine.demo import DEMO_PHONE_NUMBER_ID, DEMO_WABA_ID, DemoEngine
from wadesk.ui.app import WadeskApp
from wadesk.ui.demo_panel import DOCK_WIDTH, DemoDock
from wadesk.ui.inbox.page import InboxPage


async def until(predicate: Callable[[], Any], limit: float = 10.0) -> Any:
    async with asyncio.timeout(limit):
        while True:
            value = predicate()
            if value:
                return value
            await asyncio.sleep(0.02)


def in_window(widget: QWidget) -> QRect:
    """The widget's rectangle in its window's coordinates."""
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def assert_no_overlap(widgets: dict[str, QWidget]) -> None:
    shown = {name: w for name, w in widgets.items() if w.isVisible()}
    rects = {name: in_window(w) for name, w in shown.items()}
    names = list(rects)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not rects[a].intersects(rects[b]), (a, rects[a], b, rects[b])
    for name, w in shown.items():
        need = max(w.minimumWidth(), w.minimumSizeHint().width())
        assert w.width() >= need, (name, w.width(), need)


def check_layout(page: InboxPage, dock: DemoDock) -> None:
    columns: dict[str, QWidget] = {
        "list": page.list_column,
        "view": page.conversation_view,
        "panel": page.contact_panel,
        "dock": dock,
    }
    assert_no_overlap(columns)
    assert page.conversation_view.isVisible()
    composer = page.conversation_view.composer  # type: ignore[attr-defined]
    parts: dict[str, QWidget] = {
        "emoji": composer.emoji_button,
        "attach": composer.attach_button,
        "edit": composer.edit,
        "note": composer.note_button,
        "send": composer.send_button,
    }
    assert_no_overlap(parts)
    box = in_window(page.conversation_view)
    for name, part in parts.items():
        assert box.contains(in_window(part)), name
    if page.contact_panel.isVisible():  # its content fits (the scroll area never clips it)
        scroll = page.contact_panel.findChild(QScrollArea)
        assert scroll is not None and scroll.widget() is not None
        assert scroll.widget().minimumSizeHint().width() <= scroll.viewport().width()


@pytest.mark.qasync
async def test_inbox_layout_with_the_simulator_dock(
    app: QApplication, qsettings: QSettings, tmp_path: Path, artifacts_dir: Path
) -> None:
    data = tmp_path / "demo"
    config = fast_config(phone_number_id=DEMO_PHONE_NUMBER_ID, waba_id=DEMO_WABA_ID)
    engine = DemoEngine(Paths(data, data / "logs"), port=0, sandbox_port=0, config=config)
    root = WadeskApp(app, lambda: engine, settings=qsettings, demo=True, tray_available=False)
    task = asyncio.ensure_future(root.run())
    try:
        await until(lambda: root.engine_started or task.done())
        assert root.engine_started
        dock = root.demo_dock
        assert isinstance(dock, DemoDock)
        window = root.window
        window.show_page("inbox")
        page = window.page("inbox")
        assert isinstance(page, InboxPage)
        await until(lambda: page.model.rowCount() >= 2)
        page.select(page.model.ids()[0])
        await until(lambda: page.contact_panel.details is not None)

        window.resize(1180, 760)
        await asyncio.sleep(0.2)
        # the dock keeps its sensible default width; the inbox is narrow: no contact panel
        assert abs(dock.width() - DOCK_WIDTH) <= 40, dock.width()
        assert page.narrow and not page.contact_panel.isVisible()
        assert page.list_column.isVisible() and not page.panel_button.isChecked()
        check_layout(page, dock)
        for theme in ("light", "dark"):
            root.theme.apply(theme)
            await asyncio.sleep(0.15)
            check_layout(page, dock)
            assert window.grab().save(str(artifacts_dir / f"inbox-layout-1180-{theme}.png"))

        # Russian texts are longer: still no overlap
        root.translator.set_language("ru")
        await asyncio.sleep(0.15)
        check_layout(page, dock)
        assert window.grab().save(str(artifacts_dir / "inbox-layout-1180-dark-ru.png"))
        window.resize(1024, 700)
        await asyncio.sleep(0.15)
        check_layout(page, dock)
        assert window.grab().save(str(artifacts_dir / "inbox-layout-1024-dark-ru.png"))
        page.panel_button.click()
        await asyncio.sleep(0.15)
        assert page.contact_panel.isVisible()
        check_layout(page, dock)
        assert window.grab().save(str(artifacts_dir / "inbox-layout-1024-dark-ru-panel.png"))
        page.panel_button.click()
        root.translator.set_language("en")
        window.resize(1180, 760)
        await asyncio.sleep(0.15)

        # asked for, the panel takes the list's place (the messages keep their room)
        page.panel_button.click()
        await asyncio.sleep(0.1)
        assert page.contact_panel.isVisible() and not page.list_column.isVisible()
        check_layout(page, dock)
        assert window.grab().save(str(artifacts_dir / "inbox-layout-1180-panel.png"))
        page.panel_button.click()
        await asyncio.sleep(0.1)
        assert page.list_column.isVisible() and not page.contact_panel.isVisible()

        for width, height in ((1024, 700), (1280, 800)):
            window.resize(width, height)
            await asyncio.sleep(0.15)
            check_layout(page, dock)

        # 1440 with the dock: list and messages; 1680: all three columns side by side
        window.resize(1440, 900)
        await asyncio.sleep(0.2)
        for theme in ("light", "dark"):
            root.theme.apply(theme)
            await asyncio.sleep(0.15)
            check_layout(page, dock)
            assert page.conversation_view.width() >= 560
            assert window.grab().save(str(artifacts_dir / f"inbox-layout-1440-{theme}.png"))
        window.resize(1680, 900)
        await asyncio.sleep(0.2)
        assert not page.narrow and page.contact_panel.isVisible() and page.list_column.isVisible()
        assert page.panel_button.isChecked()
        check_layout(page, dock)
        assert window.grab().save(str(artifacts_dir / "inbox-layout-1680-dark.png"))
        # hidden by the owner, it stays hidden when the window gets narrow and wide again
        page.panel_button.click()
        window.resize(1180, 760)
        await asyncio.sleep(0.15)
        window.resize(1680, 900)
        await asyncio.sleep(0.15)
        assert not page.contact_panel.isVisible() and page.list_column.isVisible()
        check_layout(page, dock)
        root.theme.apply("light")

        # only the page shown sets the window's minimum width; a page gets its policy back
        own = page.sizePolicy().horizontalPolicy()
        window.show_page("settings")
        assert page.sizePolicy().horizontalPolicy() is QSizePolicy.Policy.Ignored
        window.show_page("inbox")
        assert page.sizePolicy().horizontalPolicy() is own
        others = [window.page(k) for k in window.page_keys() if k != "inbox"]
        assert all(
            w is not None and w.sizePolicy().horizontalPolicy() is QSizePolicy.Policy.Ignored
            for w in others
        )

        window.close()
        assert await asyncio.wait_for(task, 15) == 0
    finally:
        if not task.done():
            root.request_quit()
            await task
        teardown_shell(root)
