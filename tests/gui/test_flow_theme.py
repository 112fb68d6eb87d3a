"""The bot-flow editor follows the theme: switching light ↔ dark (through the app's
ThemeManager) changes the canvas background brush, repaints node cards (their cached pictures
are dropped, not blitted), recolours wires, empty handles, the dotted background and the
minimap, and restyles the simulator's chat (bubbles already shown included). A flow opened while
dark starts dark. Screenshots of the editor with the simulator in light and dark."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from tests.gui.flow_samples import salon_flow
from wadesk.flow import Flow, Node
from wadesk.ui.flows.editor import FlowEditor
from wadesk.ui.flows.interactions import add_node_at
from wadesk.ui.flows.items import HEADER_H, NODE_WIDTH, NodeItem
from wadesk.ui.inbox.conversation.painting import BubbleColors
from wadesk.ui.theme import (
    DARK,
    DARK_CANVAS,
    LIGHT,
    LIGHT_CANVAS,
    ThemeManager,
    build_palette,
    canvas_colors,
)


@pytest.fixture
def themes(app: QApplication) -> Iterator[ThemeManager]:
    manager = ThemeManager(app)
    manager.apply("light")
    yield manager
    manager.apply("light")  # the other GUI tests expect the light look


@pytest.fixture
def editor(app: QApplication, qtbot: Any, themes: ThemeManager) -> Iterator[FlowEditor]:
    ed = FlowEditor(salon_flow(), lang="en")
    qtbot.addWidget(ed)
    ed.resize(1500, 860)
    ed.show()
    ed.show_simulator(True)
    qtbot.waitExposed(ed)
    yield ed
    ed.shutdown()


def settle(editor: FlowEditor) -> None:
    editor.view.set_zoom(1.0)
    node = editor.scene.node_item("greet")
    assert node is not None
    editor.view.centerOn(node)
    for _ in range(3):
        QApplication.processEvents()


def card_pixel(editor: FlowEditor, item: NodeItem, image: QImage) -> QColor:
    """A pixel of the card body right of the summary text (no text, no header)."""
    at = editor.view.mapFromScene(item.mapToScene(QPointF(NODE_WIDTH - 6, HEADER_H + 6)))
    return QColor(image.pixel(at))


def background_pixel(editor: FlowEditor, image: QImage) -> QColor:
    """A pixel of the canvas background, away from nodes, wires and grid dots."""
    view = editor.view
    for x in range(20, view.viewport().width() - 200, 37):
        for y in range(20, view.viewport().height() - 150, 29):
            scene_pos = view.mapToScene(QPoint(x, y))
            if not editor.scene.items(scene_pos) and round(scene_pos.x()) % 24 not in (0, 1, 23):
                return QColor(image.pixel(x, y))
    raise AssertionError("no free background pixel")


def test_canvas_colours_follow_the_palette() -> None:
    assert canvas_colors(build_palette(LIGHT)) is LIGHT_CANVAS
    assert canvas_colors(build_palette(DARK)) is DARK_CANVAS
    assert QColor(DARK_CANVAS.card).lightness() < 60 < QColor(LIGHT_CANVAS.card).lightness()


def test_a_theme_switch_repaints_the_canvas(
    editor: FlowEditor, themes: ThemeManager, artifacts_dir: Path
) -> None:
    scene, view = editor.scene, editor.view
    item = scene.node_item("greet")
    assert item is not None
    loose = add_node_at(scene, "send_text", QPointF(-600, -600))  # an unconnected handle
    # no handles: nothing but the theme switch itself asks this card to repaint
    end = add_node_at(scene, "end", item.pos() + QPointF(0, -170))
    end_item = scene.node_item(end.id)
    assert end_item is not None and not end_item.handles
    settle(editor)
    light = view.viewport().grab().toImage()
    assert scene.backgroundBrush().color() == QColor(LIGHT_CANVAS.background)
    assert card_pixel(editor, item, light).lightness() > 230
    assert card_pixel(editor, end_item, light).lightness() > 230
    assert background_pixel(editor, light).lightness() > 220
    mini_light = view.minimap.grab().toImage().pixelColor(view.minimap.width() // 2, 3)

    themes.apply("dark")
    settle(editor)
    dark = view.viewport().grab().toImage()
    assert scene.colors is DARK_CANVAS
    assert scene.backgroundBrush().color() == QColor(DARK_CANVAS.background)
    card = card_pixel(editor, item, dark)
    assert card.lightness() < 60, card.name()  # the cached light card was not blitted
    assert card_pixel(editor, end_item, dark).lightness() < 60
    assert background_pixel(editor, dark).lightness() < 40
    edge = scene.edge_item("greet", "next")
    assert edge is not None and edge.pen().color() == QColor(DARK_CANVAS.edge)
    loose_item = scene.node_item(loose.id)
    assert loose_item is not None and loose_item.handles
    for handle in loose_item.handles.values():
        assert handle.brush().color() == QColor(DARK_CANVAS.card)
    mini_dark = view.minimap.grab().toImage().pixelColor(view.minimap.width() // 2, 3)
    assert mini_dark.lightness() < 60 < mini_light.lightness()

    themes.apply("light")  # and back: the dark pictures are dropped in turn
    settle(editor)
    again = view.viewport().grab().toImage()
    assert scene.backgroundBrush().color() == QColor(LIGHT_CANVAS.background)
    assert card_pixel(editor, item, again).lightness() > 230
    assert card_pixel(editor, end_item, again).lightness() > 230


def test_a_flow_opened_while_dark_starts_dark(editor: FlowEditor, themes: ThemeManager) -> None:
    themes.apply("dark")
    editor.set_flow(salon_flow())
    settle(editor)
    item = editor.scene.node_item("greet")
    assert item is not None and item.colors is DARK_CANVAS
    image = editor.view.viewport().grab().toImage()
    assert card_pixel(editor, item, image).lightness() < 60


def test_the_simulator_follows_the_theme(
    editor: FlowEditor, themes: ThemeManager, artifacts_dir: Path
) -> None:
    sim = editor.simulator
    sim.send_text("Hi")  # bot bubbles and reply buttons
    assert sim.choice_buttons
    settle(editor)
    shots = {}
    for mode in ("light", "dark"):
        themes.apply(mode)
        settle(editor)
        colours = BubbleColors.make(mode == "dark")
        assert sim.colors == colours
        bubbles = [w for w, part in sim._styled if part == "bot"]
        assert bubbles and all(colours.inbound in w.styleSheet() for w in bubbles)
        assert all(colours.inbound in b.styleSheet() for b in sim.choice_buttons)
        chat = sim.scroll.viewport().grab().toImage()
        corner = chat.pixelColor(chat.width() - 4, chat.height() - 4)  # wallpaper, no bubble
        assert corner == QColor(colours.background), corner.name()
        shots[mode] = editor.grab()
        assert shots[mode].save(str(artifacts_dir / f"flow-editor-{mode}.png"))
    assert shots["light"].toImage() != shots["dark"].toImage()


def test_dark_details_zoomed_out_and_the_http_panel(
    editor: FlowEditor, themes: ThemeManager, artifacts_dir: Path
) -> None:
    """Selection, a validation badge, the simulator's HTTP panel and the zoomed-out drawing, all
    dark (screenshots)."""
    flow = Flow("t", "T")
    flow.add_nodes(
        [
            Node("s", "trigger", {"kind": "any"}, (0, 0)),
            Node(
                "http", "http_request", {"method": "GET", "url": "http://127.0.0.1:9/x"}, (300, 0)
            ),
            Node("ok", "send_text", {"text": "ok"}, (620, -60)),
            Node("bad", "send_text", {"text": ""}, (620, 160)),
        ]
    )
    flow.connect("s", "next", "http")
    flow.connect("http", "ok", "ok")
    themes.apply("dark")
    editor.set_flow(flow)
    editor.validate()
    sim = editor.simulator
    sim.send_text("anything")
    assert not sim.http_panel.isHidden()
    assert DARK_CANVAS.card not in sim.http_panel.styleSheet()  # the chat's note colour
    assert BubbleColors.make(True).note in sim.http_panel.styleSheet()
    scene, view = editor.scene, editor.view
    ok = scene.node_item("ok")
    bad = scene.node_item("bad")
    assert ok is not None and bad is not None and bad.problems
    ok.setSelected(True)
    view.fit_to_view()
    QApplication.processEvents()
    assert editor.grab().save(str(artifacts_dir / "flow-editor-dark-details.png"))
    view.set_zoom(0.2)
    view.centerOn(ok)
    QApplication.processEvents()
    image = view.viewport().grab().toImage()
    assert image.save(str(artifacts_dir / "flow-editor-dark-zoomed-out.png"))
    at = view.mapFromScene(bad.mapToScene(QPointF(NODE_WIDTH / 2, HEADER_H + 30)))
    assert image.pixelColor(at).lightness() < 60  # low-detail cards are dark too


def test_messages_and_the_bot_form_follow_the_theme(
    editor: FlowEditor, themes: ThemeManager, artifacts_dir: Path
) -> None:
    """The editor's (and the bots page's) message line and the bot form take their colours
    from the theme's style sheet, not from hard-coded light ones."""
    from wadesk.ui.flows.bot_form import BotForm
    from wadesk.ui.theme import DARK, LIGHT

    form = BotForm()
    form.resize(900, 260)
    form.show()
    try:
        for mode, colours in (("light", LIGHT), ("dark", DARK)):
            themes.apply(mode)
            for kind, bg in (("error", colours.error_bg), ("info", colours.info_bg)):
                editor.show_message("Publishing is blocked", kind)
                for _ in range(2):
                    QApplication.processEvents()
                image = editor.message.grab().toImage()
                corner = QColor(image.pixel(image.width() - 4, image.height() // 2))
                assert corner.name().upper() == bg.upper(), (mode, kind)
            inside = QColor(form.grab().toImage().pixel(form.width() // 2, 4))
            assert inside.name().upper() == colours.surface_alt.upper(), mode
            assert form.grab().save(str(artifacts_dir / f"bots-edit-form-{mode}.png"))
        editor.show_message("")
        assert not editor.message.isVisible()
    finally:
        form.close()
