"""The flow editor: building a flow with simulated mouse gestures (palette drop, handle drag to
connect, move, rubber band), undo/redo restoring the model exactly, delete with edge clean-up,
copy/paste (also into another flow), the inspector's generated forms, the Tab popup, auto-layout,
publish blocked by validation errors, dirty state, and a screenshot of the salon flow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.gui.flow_helpers import drag, drop_type
from tests.gui.flow_samples import salon_flow
from wadesk.flow import Flow, Node, to_json
from wadesk.ui.flows.editor import FlowEditor
from wadesk.ui.flows.items import HEADER_H, NodeItem


@pytest.fixture
def editor(app: QApplication, qtbot: Any) -> Any:
    ed = FlowEditor(salon_flow(), lang="en")
    qtbot.addWidget(ed)
    ed.resize(1500, 860)
    ed.show()
    qtbot.waitExposed(ed)
    ed.view.resetTransform()
    ed.view.centerOn(QPointF(600, 0))
    yield ed
    ed.shutdown()


def header_point(item: NodeItem) -> QPointF:
    return item.mapToScene(QPointF(120, HEADER_H / 2))


def test_build_a_flow_with_the_mouse_and_undo_it_all(editor: FlowEditor) -> None:
    view, scene, flow = editor.view, editor.scene, Flow("blank", "Blank")
    editor.set_flow(flow)
    view.resetTransform()
    view.centerOn(QPointF(300, 100))
    empty = to_json(flow)
    assert not editor.dirty
    # palette drops
    drop_type(view, "trigger", QPointF(0, 0))
    drop_type(view, "send_text", QPointF(320, 0))
    drop_type(view, "handoff", QPointF(320, 220))
    scene = editor.scene
    assert [n.type for n in flow.nodes] == ["trigger", "send_text", "handoff"]
    trigger, text, handoff = flow.nodes
    assert trigger.position == (0.0, 0.0) and editor.dirty
    # drag from the trigger's "next" handle onto the text node → connected
    t_item, x_item = scene.node_item(trigger.id), scene.node_item(text.id)
    assert t_item is not None and x_item is not None
    start = t_item.handles["next"].scenePos()
    drag(view, start, header_point(x_item))
    assert flow.target(trigger.id, "next") == text.id
    assert scene.edge_item(trigger.id, "next") is not None
    assert scene.interaction is None
    # text → hand-off
    h_item = scene.node_item(handoff.id)
    assert h_item is not None
    drag(view, x_item.handles["next"].scenePos(), header_point(h_item))
    assert flow.target(text.id, "next") == handoff.id
    # a wire dropped on empty canvas connects nothing
    drag(view, x_item.handles["next"].scenePos(), QPointF(900, 600))
    assert flow.target(text.id, "next") == handoff.id
    # move the hand-off by dragging its header: one command, recorded on release
    count = editor.stack.count()
    scene.clearSelection()
    drag(view, header_point(h_item), header_point(h_item) + QPointF(100, 60))
    assert editor.stack.count() == count + 1
    assert flow.node(handoff.id).position == (420.0, 280.0)
    edge = scene.edge_item(text.id, "next")
    assert edge is not None and edge.path().pointAtPercent(1).y() == pytest.approx(
        280 + HEADER_H / 2
    )
    # rubber band over the two upper nodes
    scene.clearSelection()
    drag(view, QPointF(-60, -60), QPointF(600, 160))
    assert scene.selected_node_ids() == [trigger.id, text.id]
    built = to_json(flow)
    # undo everything → blank again; redo everything → the same flow
    while editor.stack.canUndo():
        editor.stack.undo()
    assert to_json(flow) == empty and not editor.dirty
    assert scene.node_items() == [] and scene.edge_items() == []
    while editor.stack.canRedo():
        editor.stack.redo()
    assert to_json(flow) == built
    assert len(scene.node_items()) == 3 and len(scene.edge_items()) == 2


def test_snap_to_grid_moves_to_grid_points(editor: FlowEditor) -> None:
    editor.snap_action.setChecked(True)
    item = editor.scene.node_item("greet")
    assert item is not None
    drag(editor.view, header_point(item), header_point(item) + QPointF(37, 13))
    x, y = editor.flow.node("greet").position
    assert x % 24 == 0 and y % 24 == 0


def test_delete_with_edges_and_undo(editor: FlowEditor) -> None:
    flow = editor.flow
    before = to_json(flow)
    editor.scene.select_nodes(["menu"])
    editor.delete_action.trigger()
    assert not flow.has_node("menu")
    assert all("menu" not in (e.source, e.target) for e in flow.edges)
    assert editor.scene.node_item("menu") is None
    editor.stack.undo()
    assert to_json(flow) == before
    # deleting a selected edge only
    edge = editor.scene.edge_item("menu", "prices")
    assert edge is not None
    editor.scene.clearSelection()
    edge.setSelected(True)
    editor.delete_action.trigger()
    assert flow.target("menu", "prices") is None and flow.has_node("prices")
    editor.stack.undo()
    assert to_json(flow) == before


def test_copy_paste_and_duplicate_also_between_flows(editor: FlowEditor, qtbot: Any) -> None:
    flow = editor.flow
    editor.scene.select_nodes(["menu", "prices"])
    assert editor.copy()
    new_ids = editor.paste()
    assert len(new_ids) == 2 and not set(new_ids) & {"menu", "prices"}
    a, b = (flow.node(i) for i in new_ids)
    assert a.type == "buttons" and a.position == (680.0, 40.0)
    assert flow.target(a.id, "prices") == b.id  # the internal edge came along
    assert flow.target(a.id, "book") is None  # edges leaving the selection did not
    assert editor.scene.selected_node_ids() == new_ids
    editor.stack.undo()
    assert not flow.has_node(new_ids[0])
    editor.scene.select_nodes(["menu", "prices"])
    dup = editor.duplicate()
    assert len(dup) == 2
    # paste into another flow (another editor)
    other = FlowEditor(Flow("other", "Other"), lang="en")
    qtbot.addWidget(other)
    pasted = other.paste()
    assert [other.flow.node(i).type for i in pasted] == ["buttons", "send_text"]
    other.shutdown()


def test_inspector_edits_go_through_undo(editor: FlowEditor) -> None:
    flow = editor.flow
    before = to_json(flow)
    editor.select_node("greet")
    assert editor.inspector.node_id == "greet"
    field = editor.inspector.fields["text"]
    editor.inspector.set_field("text", "Hello there")
    assert flow.node("greet").config["text"] == "Hello there"
    editor.stack.undo()
    assert to_json(flow) == before
    assert editor.inspector.fields["text"] is not field  # rebuilt from the model after undo
    # button table: adding a 4th button is impossible (WhatsApp allows 3)
    editor.select_node("menu")
    table = editor.inspector.fields["buttons"]
    assert not table.add_button.isEnabled()  # type: ignore[attr-defined]
    table.remove_row()  # type: ignore[attr-defined]
    assert [b["id"] for b in flow.node("menu").config["buttons"]] == ["book", "prices"]
    item = editor.scene.node_item("menu")
    assert item is not None and list(item.handles) == ["book", "prices"]
    # a choice that changes which fields apply rebuilds the form
    editor.select_node("ask_date")
    assert "pattern" not in editor.inspector.fields
    editor.inspector.set_field("validate", "regex")
    assert "pattern" in editor.inspector.fields
    assert isinstance(editor.inspector.fields["pattern"], QLineEdit)


def test_tab_popup_adds_a_node(editor: FlowEditor) -> None:
    view = editor.view
    view.setFocus()
    QApplication.sendEvent(
        view, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
    )
    popup = editor.popup
    assert popup is not None and popup.isVisible()
    popup.search.setText("hand off")
    popup.accept_current()
    added = editor.flow.nodes[-1]
    assert added.type == "handoff" and added.id == "handoff1"
    assert editor.scene.selected_node_ids() == ["handoff1"]


def test_auto_layout_is_one_undoable_step(editor: FlowEditor) -> None:
    flow = editor.flow
    before = to_json(flow)
    editor.auto_layout()
    xs = {n.id: n.position[0] for n in flow.nodes}
    assert xs["start"] < xs["greet"] < xs["menu"] < xs["ask_date"] < xs["confirm"]
    editor.stack.undo()
    assert to_json(flow) == before


def test_publish_is_blocked_by_validation_errors(editor: FlowEditor, qtbot: Any) -> None:
    flow = editor.flow
    flow.add_node(Node("broken", "send_text", {"text": ""}, (320, 300)))
    flow.connect("prices", "next", "broken")
    requested: list[bool] = []
    editor.publish_requested.connect(lambda: requested.append(True))
    assert editor.publish() is False
    assert requested == []
    assert editor.message.isVisible() and "Publishing is blocked" in editor.message.text()
    assert editor.scene.selected_node_ids() == ["broken"]
    assert editor.inspector.node_id == "broken"
    item = editor.scene.node_item("broken")
    assert item is not None and any(p.severity == "error" for p in item.problems)
    texts = [editor.problems_list.item(i).text() for i in range(editor.problems_list.count())]
    assert any("broken" in t and "required" in t for t in texts)
    # clicking a problem selects its node
    editor.scene.clearSelection()
    editor.problems_list.itemClicked.emit(editor.problems_list.item(0))
    assert editor.scene.selected_node_ids() == ["broken"]
    # fix it → publishing is requested
    editor.inspector.set_field("text", "See you soon!")
    assert editor.publish() is True and requested == [True]


def test_live_badges_and_dirty_state(editor: FlowEditor, qtbot: Any) -> None:
    states: list[bool] = []
    editor.dirty_changed.connect(states.append)
    editor.scene.select_nodes(["confirm"])
    editor.delete_action.trigger()
    assert states == [True] and "Unsaved" in editor.state_label.text()
    qtbot.waitUntil(lambda: bool(editor.scene.node_item("ask_date").problems))  # type: ignore[union-attr]
    editor.stack.undo()
    assert states == [True, False]
    editor.mark_saved()
    assert not editor.dirty


def test_screenshot_of_the_salon_flow(editor: FlowEditor, artifacts_dir: Path) -> None:
    editor.view.fit_to_view()
    editor.select_node("menu")
    editor.view.fit_to_view()
    QApplication.processEvents()
    assert editor.grab().save(str(artifacts_dir / "flow-editor.png"))
    editor.view.set_zoom(1.0)
    editor.view.centerOn(QPointF(800, 0))
    QApplication.processEvents()
    assert editor.view.grab().save(str(artifacts_dir / "flow-editor-zoom.png"))
