"""Undo commands of the flow editor change the model only; the scene follows the model.
Every command undoes to exactly the model before (compared as `to_json`) and redoes to the
model after; the scene also follows changes made to the model outside any command."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoStack

from tests.gui.flow_samples import salon_flow
from wadesk.flow import Edge, Flow, Node, default_registry, to_json
from wadesk.ui.flows.commands import (
    AddNode,
    Connect,
    Disconnect,
    EditConfig,
    MoveNodes,
    Paste,
    RemoveNodes,
)
from wadesk.ui.flows.scene import FlowScene


def scene_state(scene: FlowScene) -> tuple[Any, ...]:
    nodes = sorted(
        (i.node_id, i.pos().x(), i.pos().y(), tuple(i.handles)) for i in scene.node_items()
    )
    edges = sorted((e.source, e.handle, e.target) for e in scene.edge_items())
    return tuple(nodes), tuple(edges)


def model_state(flow: Flow) -> tuple[Any, ...]:
    nodes = sorted(
        (n.id, n.position[0], n.position[1], tuple(h.name for h in _handles(n))) for n in flow.nodes
    )
    edges = sorted((e.source, e.handle, e.target) for e in flow.edges)
    return tuple(nodes), tuple(edges)


def _handles(node: Node) -> list[Any]:
    reg = default_registry()
    t = reg.get(node.type)
    return reg.outputs(node.type, {**t.defaults(), **node.config})


def check_undo_redo(stack: QUndoStack, flow: Flow, scene: FlowScene, push: Any) -> None:
    before = to_json(flow)
    push()
    after = to_json(flow)
    assert after != before
    assert scene_state(scene) == model_state(flow)
    stack.undo()
    assert to_json(flow) == before
    assert scene_state(scene) == model_state(flow)
    stack.redo()
    assert to_json(flow) == after
    assert scene_state(scene) == model_state(flow)
    stack.undo()


def test_every_command_undoes_exactly(app: Any) -> None:
    flow = salon_flow()
    stack = QUndoStack()
    scene = FlowScene(flow, default_registry(), stack)
    assert scene_state(scene) == model_state(flow)
    cases = [
        lambda: stack.push(AddNode(flow, Node("x1", "end", {}, (5, 5)), 2)),
        lambda: stack.push(RemoveNodes(flow, ["menu", "greet", "agent"])),
        lambda: stack.push(MoveNodes(flow, {"menu": (640, 0)}, {"menu": (700, 120)})),
        lambda: stack.push(Connect(flow, "prices", "next", "agent")),  # replaces an edge
        lambda: stack.push(Connect(flow, "ask_date", "invalid", "menu")),
        lambda: stack.push(Disconnect(flow, "menu", "book")),
        lambda: stack.push(
            EditConfig(
                flow,
                "menu",
                {**flow.node("menu").config, "buttons": [{"id": "only", "title": "Only"}]},
            )
        ),
        lambda: stack.push(
            Paste(
                flow,
                [Node("p1", "send_text", {"text": "a"}), Node("p2", "end")],
                [Edge("p1", "next", "p2")],
            )
        ),
    ]
    original = to_json(flow)
    for push in cases:
        check_undo_redo(stack, flow, scene, push)
        assert to_json(flow) == original


def test_macro_and_undo_all_restores_the_original(app: Any) -> None:
    flow = salon_flow()
    stack = QUndoStack()
    scene = FlowScene(flow, default_registry(), stack)
    original = to_json(flow)
    stack.beginMacro("many")
    stack.push(RemoveNodes(flow, ["prices"]))
    stack.push(AddNode(flow, Node("e", "end")))
    stack.push(Connect(flow, "menu", "prices", "e"))
    stack.endMacro()
    stack.push(MoveNodes(flow, {"e": (0, 0)}, {"e": (10, 10)}))
    assert stack.count() == 2
    stack.undo()
    stack.undo()
    assert to_json(flow) == original
    assert scene_state(scene) == model_state(flow)
    stack.redo()
    stack.redo()
    assert flow.target("menu", "prices") == "e" and flow.node("e").position == (10, 10)


def test_config_edits_of_one_field_merge(app: Any) -> None:
    flow = salon_flow()
    stack = QUndoStack()
    original = to_json(flow)
    for text in ("H", "Hi", "Hi!"):
        stack.push(EditConfig(flow, "greet", {"text": text}, field="text"))
    assert stack.count() == 1
    assert flow.node("greet").config == {"text": "Hi!"}
    stack.undo()
    assert to_json(flow) == original


def test_scene_observes_changes_made_outside_commands(app: Any) -> None:
    flow = salon_flow()
    scene = FlowScene(flow, default_registry(), QUndoStack())
    flow.add_node(Node("late", "send_text", {"text": "late"}, (50, 600)))
    flow.connect("prices", "next", "late")
    flow.move_node("agent", (1500, 400))
    flow.set_config(
        "menu",
        {
            **flow.node("menu").config,
            "buttons": [{"id": "book", "title": "Book"}, {"id": "x", "title": "X"}],
        },
    )
    flow.remove_node("confirm")
    assert scene_state(scene) == model_state(flow)
    item = scene.node_item("menu")
    assert item is not None and list(item.handles) == ["book", "x"]
    # the edge of the removed "human" button is kept and drawn as broken
    broken = scene.edge_item("menu", "human")
    assert broken is not None and broken.broken
    late = scene.edge_item("prices", "next")
    assert late is not None and late.target == "late"
    agent = scene.node_item("agent")
    assert agent is not None and (agent.pos().x(), agent.pos().y()) == (1500, 400)
    scene.detach()
    flow.remove_node("late")
    assert scene.node_item("late") is not None  # detached: no longer follows
