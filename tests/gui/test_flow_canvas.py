"""The canvas stays correct after the panning optimisations: edges report bounds that contain
their curve (and are really drawn at 1:1), the arrow head is part of the edge path which still
ends at the target's input, handle dots are painted by their node and follow hover/connected
state, the scene's bounds are cached and follow moves, the minimap lives in the viewport and
stays in its corner while the view scrolls (its repaints are throttled), and zoomed far out the
view drops antialiasing. Screenshots at 1:1 and zoomed out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QGraphicsItem

from tests.gui.flow_samples import big_flow, salon_flow
from wadesk.ui.flows.commands import MoveNodes
from wadesk.ui.flows.editor import FlowEditor
from wadesk.ui.flows.items import HEADER_H, LOW_DETAIL


@pytest.fixture
def editor(app: QApplication, qtbot: Any) -> Any:
    ed = FlowEditor(salon_flow(), lang="en")
    qtbot.addWidget(ed)
    ed.resize(1500, 860)
    ed.show()
    qtbot.waitExposed(ed)
    yield ed
    ed.shutdown()


def test_edges_have_true_bounds_and_are_drawn(editor: FlowEditor, artifacts_dir: Path) -> None:
    scene = editor.scene
    for edge in scene.edge_items():
        curve = edge.path().boundingRect()
        assert not curve.isEmpty()
        assert edge.boundingRect().contains(curve)
        target = scene.node_item(edge.target)
        assert target is not None
        assert edge.path().pointAtPercent(1).y() == pytest.approx(target.input_pos().y())
    # after a move the bounds follow the new curve
    old = editor.flow.node("menu").position
    editor.stack.push(MoveNodes(editor.flow, {"menu": old}, {"menu": (700, 400)}))
    edge = scene.edge_item("greet", "next")
    assert edge is not None and edge.boundingRect().contains(edge.path().boundingRect())
    # drawn at 1:1: a pixel in the middle of the greet → menu wire has the wire's colour
    view = editor.view
    view.set_zoom(1.0)
    view.centerOn(edge.path().pointAtPercent(0.5))
    QApplication.processEvents()
    image = view.viewport().grab().toImage()
    mid = view.mapFromScene(edge.path().pointAtPercent(0.5))
    dark = 0
    for dx in range(-2, 3):
        for dy in range(-2, 3):
            c = QColor(image.pixel(mid.x() + dx, mid.y() + dy))
            dark += c.lightness() < 200
    assert dark >= 2  # the light-grey canvas alone would give 0
    assert view.grab().save(str(artifacts_dir / "flow-canvas-1to1.png"))


def test_handles_are_painted_by_their_node(editor: FlowEditor) -> None:
    item = editor.scene.node_item("menu")
    assert item is not None
    handle = item.handles["book"]
    assert handle.flags() & QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
    assert item.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache
    assert handle.brush().color() == item.color  # connected: filled
    editor.flow.disconnect("menu", "book")
    assert handle.brush().color() == QColor("#FFFFFF")
    small = handle.rect().width()
    handle.hoverEnterEvent(None)  # type: ignore[arg-type]
    assert handle.hovered and handle.rect().width() > small
    handle.hoverLeaveEvent(None)  # type: ignore[arg-type]
    assert handle.rect().width() == small
    # the hit area is larger than the dot: a press next to it still finds the handle
    near = handle.scenePos() + QPointF(HEADER_H / 4, 0)
    assert editor.scene.handle_at(near) is handle


def test_scene_bounds_are_cached_and_follow_moves(editor: FlowEditor) -> None:
    scene = editor.scene
    before = scene.items_bounding()
    assert scene.items_bounding() == before
    old = editor.flow.node("agent").position
    editor.stack.push(MoveNodes(editor.flow, {"agent": old}, {"agent": (3000, 2000)}))
    after = scene.items_bounding()
    assert after.right() > 3000 and after.bottom() > 2000 and after != before
    editor.stack.undo()
    assert scene.items_bounding() == before


def test_minimap_stays_in_its_corner_while_panning(editor: FlowEditor) -> None:
    view = editor.view
    minimap = view.minimap
    assert minimap.parentWidget() is view.viewport()
    corner = minimap.pos()
    assert minimap.geometry().bottomRight().x() <= view.viewport().width()
    for _ in range(10):
        view.pan_by(-30.0, 10.0)
    assert minimap.pos() == corner
    assert minimap._timer.isActive()  # a repaint is scheduled, once
    minimap.schedule()
    assert minimap._timer.remainingTime() <= minimap._timer.interval()


def test_zoomed_out_drops_antialiasing_and_text(
    app: QApplication, qtbot: Any, artifacts_dir: Path
) -> None:
    ed = FlowEditor(big_flow(120), lang="en")
    qtbot.addWidget(ed)
    ed.resize(1500, 860)
    ed.show()
    qtbot.waitExposed(ed)
    try:
        view = ed.view
        view.set_zoom(1.0)
        assert view.renderHints() & ed.view.renderHints().Antialiasing
        view.set_zoom(LOW_DETAIL - 0.1)
        assert not view.renderHints() & ed.view.renderHints().Antialiasing
        view.centerOn(ed.scene.items_bounding().center())
        QApplication.processEvents()
        assert view.grab().save(str(artifacts_dir / "flow-canvas-zoomed-out.png"))
        view.fit_to_view()
        assert bool(view.renderHints() & ed.view.renderHints().Antialiasing) == (
            view.zoom >= LOW_DETAIL
        )
    finally:
        ed.shutdown()


def test_big_flow_builds(app: QApplication) -> None:
    flow = big_flow(60)
    assert len(flow.nodes) == 60 and Qt  # the sample used by the bench stays valid
