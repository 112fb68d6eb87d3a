"""Inbox polish: the number chip of each row in "All numbers" with several numbers (hidden with
one number or a chosen number); sizes in the UI language ("244,1 КБ"); disabled buttons that
look disabled in both themes; the message delegate's bubble colours derived once per palette
(and following a live theme switch)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QRect, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QListView,
    QPushButton,
    QStyleOptionViewItem,
    QWidget,
)
from sqlalchemy import Connection, insert

from tests.integration.conftest import make_engine
from wadesk.engine.service import Engine
from wadesk.engine.store import repo
from wadesk.engine.store.tables import contact_t, conversation_t
from wadesk.ui.activity.detail import human_size
from wadesk.ui.bridge import EngineBridge
from wadesk.ui.i18n import Translator
from wadesk.ui.inbox.conversation import delegate as delegate_module
from wadesk.ui.inbox.conversation.content import MediaInfo
from wadesk.ui.inbox.conversation.delegate import MessageDelegate
from wadesk.ui.inbox.conversation.painting import colors_for
from wadesk.ui.inbox.list_model import Role
from wadesk.ui.inbox.page import InboxPage
from wadesk.ui.sizes import format_size
from wadesk.ui.theme import DARK, LIGHT, ThemeManager, build_palette


async def until(cond: Callable[[], Any], limit: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while not cond():
        if loop.time() > end:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


class FakeView(QWidget):
    def set_conversation(self, conversation_id: int | None) -> None:
        pass


def add_conversation(conn: Connection, number_id: int, wa_id: str, name: str, minutes: int) -> int:
    now = datetime.now(UTC)
    contact = conn.execute(
        insert(contact_t).values(wa_id=wa_id, profile_name=name, created_at=now, updated_at=now)
    ).lastrowid
    conv = conn.execute(
        insert(conversation_t).values(
            number_id=number_id,
            contact_id=contact,
            created_at=now,
            last_inbound_at=now,
            last_message_at=now - timedelta(minutes=minutes),
            last_message_preview=f"Hi from {name}",
        )
    ).lastrowid
    return int(conv)


@asynccontextmanager
async def page_for(tmp_path: Path, numbers: list[str]) -> AsyncIterator[tuple[Engine, InboxPage]]:
    engine = make_engine(tmp_path / "data")
    await engine.start(serve=False, ingest=False)
    try:

        def seed(c: Connection) -> None:
            ids = [
                repo.add_number(c, label, f"+1555078388{n}", f"10654{n}", "1022901").id
                for n, label in enumerate(numbers)
            ]
            for n, (wa_id, name) in enumerate(
                [("15551230001", "Ann"), ("79161234567", "Борис"), ("34600111222", "Carla")]
            ):
                add_conversation(c, ids[n % len(ids)], wa_id, name, 5 - n)

        await engine.store.write(seed)
        bridge = EngineBridge(engine.subscribe, interval_ms=5)
        page = InboxPage(engine, bridge, None, conversation_view=FakeView())
        page.resize(1180, 600)
        page.show()
        await page.start()
        try:
            yield engine, page
        finally:
            page.shutdown()
            bridge.close()
            page.close()
            page.deleteLater()
            bridge.deleteLater()
            await asyncio.sleep(0)
    finally:
        await engine.stop()


def render_row(page: InboxPage, row: int) -> QImage:
    """The delegate's painting of one row, alone."""
    option = QStyleOptionViewItem()
    page.list_view.initViewItemOption(option)
    option.rect = QRect(0, 0, 340, 78)
    image = QImage(340, 78, QImage.Format.Format_ARGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    page.delegate.paint(painter, option, page.model.index(row))
    painter.end()
    return image


@pytest.mark.qasync
async def test_rows_name_their_number_with_several_numbers(
    app: QApplication, tmp_path: Path, artifacts_dir: Path
) -> None:
    async with page_for(tmp_path, ["Salon", "Shop"]) as (_engine, page):
        await until(lambda: page.model.rowCount() == 3 and not page.model.is_busy())
        await until(lambda: all(page.model.index(r).data(Role.LOADED) for r in range(3)))
        labels = {page.model.index(r).data(Role.NUMBER) for r in range(3)}
        assert labels == {"Salon", "Shop"}
        assert page.delegate.show_number
        with_chip = render_row(page, 0)
        await asyncio.sleep(0.05)
        assert page.grab().save(str(artifacts_dir / "inbox-number-chips-en-light.png"))

        # one number chosen: every row is of that number, no chip
        combo = page.number_combo
        combo.setCurrentIndex(1)
        combo.activated.emit(1)
        await until(lambda: page.model.rowCount() == 2 and not page.model.is_busy())
        assert not page.delegate.show_number
        page.set_filter("all")
        await until(lambda: page.model.rowCount() == 3 and not page.model.is_busy())
        assert page.delegate.show_number
        page.delegate.show_number = False
        without = render_row(page, 0)
        assert with_chip != without  # the chip was painted


@pytest.mark.qasync
async def test_no_number_chip_with_one_number(app: QApplication, tmp_path: Path) -> None:
    async with page_for(tmp_path, ["Salon"]) as (_engine, page):
        await until(lambda: page.model.rowCount() == 3 and not page.model.is_busy())
        assert page.model.index(0).data(Role.NUMBER) == "Salon"
        assert not page.delegate.show_number and page.number_combo.isHidden()


def test_sizes_are_shown_in_the_ui_language(app: QApplication) -> None:
    translator = Translator(app)
    try:
        translator.set_language("en")
        assert format_size(250_000) == "244.1 KB"
        assert format_size(512) == "512 B"
        assert format_size(5 * 1024 * 1024) == "5.0 MB"
        assert format_size(None) == "" and format_size(-1) == ""
        translator.set_language("ru")
        assert format_size(250_000) == "244,1 КБ"
        assert format_size(3 * 1024**3) == "3,0 ГБ"
        assert human_size(2_000_000) == "1,9 МБ"  # the activity page's event sizes
        # the message view's document card
        card = MessageDelegate()._card_line(MediaInfo("document", size=250_000, path="/x.pdf"))
        assert card == "244,1 КБ"
    finally:
        translator.set_language("en")
        translator.deleteLater()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_disabled_buttons_look_disabled(
    app: QApplication, artifacts_dir: Path, qtbot: Any, theme: str
) -> None:
    themes = ThemeManager(app)
    themes.apply(theme)
    try:
        row = QWidget()
        qtbot.addWidget(row)
        line = QHBoxLayout(row)
        buttons = []
        for primary in (False, True):
            for enabled in (True, False):
                button = QPushButton("Send")
                if primary:
                    button.setObjectName("primaryButton")
                button.setEnabled(enabled)
                button.setFixedSize(QSize(90, 32))
                line.addWidget(button)
                buttons.append(button)
        row.show()
        app.processEvents()
        assert row.grab().save(str(artifacts_dir / f"buttons-enabled-disabled-{theme}.png"))
        shots = [b.grab().toImage() for b in buttons]
        for enabled, disabled in ((shots[0], shots[1]), (shots[2], shots[3])):
            assert enabled != disabled
            # the text of the disabled one is the muted colour, not the normal text colour
            assert _has_colour(disabled, themes.colors.muted)
            # and it stands out less from its background than the enabled one
            assert _contrast(disabled) < _contrast(enabled) * 0.8
    finally:
        themes.apply("light")
        themes.deleteLater()


def _contrast(image: QImage) -> int:
    """The largest lightness difference from the button's centre-left background pixel."""
    background = image.pixelColor(6, image.height() // 2).lightness()
    return max(
        abs(image.pixelColor(x, y).lightness() - background)
        for y in range(4, image.height() - 4)
        for x in range(6, image.width() - 6)
    )


def _has_colour(image: QImage, colour: str, tolerance: int = 24) -> bool:
    want = QColor(colour)
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            if (
                abs(c.red() - want.red()) <= tolerance
                and abs(c.green() - want.green()) <= tolerance
                and abs(c.blue() - want.blue()) <= tolerance
            ):
                return True
    return False


def test_bubble_colours_are_derived_once_per_palette(
    app: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def counting(palette: Any) -> Any:
        calls.append(1)
        return colors_for(palette)

    monkeypatch.setattr(delegate_module, "colors_for", counting)
    delegate = MessageDelegate()
    option = QStyleOptionViewItem()
    option.palette = build_palette(LIGHT)
    for _ in range(50):
        delegate.sizeHint(option, QModelIndex())
    assert len(calls) == 1 and delegate.colors_computed == 1
    assert not delegate.colors(option.palette).dark
    option.palette = build_palette(DARK)  # the theme changed
    for _ in range(50):
        delegate.sizeHint(option, QModelIndex())
    assert len(calls) == 2 and delegate.colors(option.palette).dark and delegate._dark


def test_message_list_follows_a_live_theme_switch(app: QApplication, qtbot: Any) -> None:
    """The list's own wallpaper style sheet pins its palette's window colour; the bubble
    colours must still turn dark when the theme does."""
    themes = ThemeManager(app)
    themes.apply("light")
    try:
        view = QListView()
        qtbot.addWidget(view)
        view.setStyleSheet(f"QListView {{ background: {colors_for(view.palette()).background}; }}")
        view.show()
        app.processEvents()
        assert not colors_for(view.palette()).dark
        themes.apply("dark")
        app.processEvents()
        assert colors_for(view.palette()).dark
    finally:
        themes.apply("light")
        themes.deleteLater()
