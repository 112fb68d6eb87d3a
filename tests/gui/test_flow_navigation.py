"""Finding your way around the flow canvas, with synthetic input: pan with the middle button and
with Space+drag, wheel zoom keeps the scene point under the cursor in place, fit to view
(Ctrl+0) shows every node, the minimap moves the view where it is clicked; and the editor's
keyboard shortcuts: cut (Ctrl+X) then paste (Ctrl+V), undo (Ctrl+Z) and redo (Ctrl+Shift+Z /
Ctrl+Y) restore the model exactly, Delete removes the selection."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.flow_helpers import mouse
from tests.gui.flow_samples import salon_flow
from wadesk.flow import to_json
from wadesk.ui.flows.editor import FlowEditor
from wadesk.ui.flows.view import FlowView

MID = Qt.MouseButton.MiddleButton
LEFT = Qt.MouseButton.LeftButton
NONE = Qt.MouseButton.NoButton
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def editor(app: QApplication, qtbot: Any) -> Any:
    ed = FlowEditor(salon_flow(), lang="en")
    qtbot.addWidget(ed)
    ed.resize(1500, 860)
    ed.show()
    qtbot.waitExposed(ed)
    ed.activateWindow()
    ed.view.resetTransform()
    ed.view.centerOn(QPointF(600, 0))
    yield ed
    ed.shutdown()


def center(view: FlowView) -> QPointF:
    return view.mapToScene(view.viewport().rect().center())


def pan_drag(view: FlowView, button: Qt.MouseButton, dx: float, dy: float) -> None:
    start = view.mapToScene(view.viewport().rect().center())
    zoom = view.zoom
    end = start + QPointF(dx / zoom, dy / zoom)
    mouse(view, QEvent.Type.MouseButtonPress, start, button, button)
    mouse(view, QEvent.Type.MouseMove, end, NONE, button)
    mouse(view, QEvent.Type.MouseButtonRelease, end, button, NONE)


def key(widget: Any, k: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        release: bool = False) -> None:  # fmt: skip
    kind = QEvent.Type.KeyRelease if release else QEvent.Type.KeyPress
    QApplication.sendEvent(widget, QKeyEvent(kind, k, modifiers))


def test_middle_button_and_space_drag_pan(editor: FlowEditor) -> None:
    view, flow = editor.view, editor.flow
    before_model = to_json(flow)
    z = view.zoom
    c0 = center(view)
    pan_drag(view, MID, 120, 80)
    c1 = center(view)
    # the content follows the mouse: the view centre moved the other way
    assert c1.x() == pytest.approx(c0.x() - 120 / z, abs=3)
    assert c1.y() == pytest.approx(c0.y() - 80 / z, abs=3)
    # Space held: a left drag pans instead of starting a rubber band
    key(view, Qt.Key.Key_Space)
    assert view.viewport().cursor().shape() == Qt.CursorShape.OpenHandCursor
    pan_drag(view, LEFT, -200, 0)
    key(view, Qt.Key.Key_Space, release=True)
    c2 = center(view)
    assert c2.x() == pytest.approx(c1.x() + 200 / z, abs=3)
    assert c2.y() == pytest.approx(c1.y(), abs=3)
    assert view.viewport().cursor().shape() == Qt.CursorShape.ArrowCursor
    assert editor.scene.selected_node_ids() == []  # no rubber band selected anything
    assert to_json(flow) == before_model and editor.stack.count() == 0  # panning edits nothing


def wheel(view: FlowView, at: QPoint, steps: int) -> None:
    event = QWheelEvent(
        QPointF(at),
        QPointF(view.viewport().mapToGlobal(at)),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        NONE,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def test_wheel_zooms_to_the_cursor(editor: FlowEditor) -> None:
    view = editor.view
    vp = view.viewport().rect()
    at = QPoint(vp.width() // 5, vp.height() // 4)  # far from the centre
    view.set_zoom(1.0)
    under = view.mapToScene(at)
    wheel(view, at, 2)
    assert view.zoom == pytest.approx(1.15**2, rel=1e-3)
    after = view.mapToScene(at)
    assert after.x() == pytest.approx(under.x(), abs=3)
    assert after.y() == pytest.approx(under.y(), abs=3)
    wheel(view, at, -4)
    assert view.zoom == pytest.approx(1.15**-2, rel=1e-3)
    after = view.mapToScene(at)
    assert after.x() == pytest.approx(under.x(), abs=6)
    assert after.y() == pytest.approx(under.y(), abs=6)
    for _ in range(30):  # clamped
        wheel(view, at, -3)
    assert view.zoom == pytest.approx(0.15)


def test_fit_to_view_shows_every_node_and_the_minimap_navigates(
    editor: FlowEditor, qtbot: Any
) -> None:
    view = editor.view
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor, timeout=2000)
    view.set_zoom(2.0)
    view.centerOn(QPointF(5000, 5000))
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert not any(visible.contains(i.sceneBoundingRect()) for i in editor.scene.node_items())
    view.setFocus()
    shortcut(editor, Qt.Key.Key_0, CTRL)  # the fit action's shortcut
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    items = editor.scene.node_items()
    assert items and all(visible.contains(i.sceneBoundingRect()) for i in items)
    assert view.zoom <= 1.0
    # a click in the minimap centres the view on that part of the flow
    minimap = view.minimap
    world = editor.scene.items_bounding()
    view.set_zoom(1.0)
    view.centerOn(world.topLeft())
    target = minimap.rect().bottomRight() - QPoint(10, 10)
    mouse_at = QPointF(target)
    press = QMouseEvent(
        QEvent.Type.MouseButtonPress,
        mouse_at,
        QPointF(minimap.mapToGlobal(target)),
        LEFT,
        LEFT,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(minimap, press)
    c = center(view)
    assert c.x() > world.center().x() and c.y() > world.center().y()


def shortcut(editor: FlowEditor, k: Qt.Key, modifiers: Qt.KeyboardModifier) -> None:
    """A key press as the user types it: the editor's actions answer their shortcuts."""
    QTest.keyClick(editor.view, k, modifiers)
    QApplication.processEvents()


def test_keyboard_cut_paste_undo_redo_delete(editor: FlowEditor, qtbot: Any) -> None:
    flow = editor.flow
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor, timeout=2000)
    editor.view.setFocus()
    original = to_json(flow)
    editor.scene.select_nodes(["prices"])
    shortcut(editor, Qt.Key.Key_X, CTRL)  # cut
    assert not flow.has_node("prices")
    assert flow.target("menu", "prices") is None
    cut_state = to_json(flow)
    shortcut(editor, Qt.Key.Key_V, CTRL)  # paste: a new node of the same kind
    pasted = editor.scene.selected_node_ids()
    assert len(pasted) == 1 and flow.node(pasted[0]).type == "send_text"
    assert flow.node(pasted[0]).config["text"].startswith("Haircut")
    shortcut(editor, Qt.Key.Key_Z, CTRL)  # undo the paste
    assert to_json(flow) == cut_state
    shortcut(editor, Qt.Key.Key_Z, CTRL)  # undo the cut
    assert to_json(flow) == original and not editor.dirty
    shortcut(editor, Qt.Key.Key_Z, CTRL | SHIFT)  # redo the cut
    assert to_json(flow) == cut_state
    shortcut(editor, Qt.Key.Key_Y, CTRL)  # redo the paste
    assert flow.has_node(pasted[0])
    editor.scene.select_nodes(["greet"])
    shortcut(editor, Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier)
    assert not flow.has_node("greet") and editor.dirty
    while editor.stack.canUndo():
        editor.stack.undo()
    assert to_json(flow) == original
