"""The flow model: mutations and the order of change signals."""

from __future__ import annotations

import pytest

from wadesk.flow import Edge, Flow, FlowError, Node


def recorder(flow: Flow) -> list[tuple[object, ...]]:
    log: list[tuple[object, ...]] = []
    flow.node_added.connect(lambda n, i: log.append(("node_added", n.id, i)))
    flow.node_removed.connect(lambda n, i: log.append(("node_removed", n.id, i)))
    flow.node_moved.connect(lambda n, old: log.append(("node_moved", n.id, old, n.position)))
    flow.node_config_changed.connect(lambda n, old: log.append(("config", n.id, old, n.config)))
    flow.edge_added.connect(lambda e: log.append(("edge_added", e.source, e.handle, e.target)))
    flow.edge_removed.connect(lambda e: log.append(("edge_removed", e.source, e.handle)))
    flow.flow_changed.connect(lambda: log.append(("changed",)))
    return log


def test_add_connect_remove_emits_in_order() -> None:
    flow = Flow("f")
    log = recorder(flow)
    flow.add_node(Node("a", "trigger"))
    flow.add_node(Node("b", "send_text"))
    flow.add_node(Node("c", "end"), index=1)
    assert [n.id for n in flow.nodes] == ["a", "c", "b"]
    flow.connect("a", "next", "b")
    flow.connect("b", "next", "c")
    log.clear()
    node, index, removed = flow.remove_node("b")
    assert (node.id, index) == ("b", 2)
    assert set(removed) == {Edge("a", "next", "b"), Edge("b", "next", "c")}
    assert log == [
        ("edge_removed", "a", "next"),
        ("edge_removed", "b", "next"),
        ("node_removed", "b", 2),
        ("changed",),
    ]
    assert flow.edges == ()


def test_connect_replaces_edge_of_same_handle() -> None:
    flow = Flow("f")
    for n in "abc":
        flow.add_node(Node(n, "send_text"))
    log = recorder(flow)
    assert flow.connect("a", "next", "b") is None
    old = flow.connect("a", "next", "c")
    assert old == Edge("a", "next", "b")
    assert flow.target("a", "next") == "c"
    assert log == [
        ("edge_added", "a", "next", "b"),
        ("changed",),
        ("edge_removed", "a", "next"),
        ("edge_added", "a", "next", "c"),
        ("changed",),
    ]
    assert flow.disconnect("a", "next") == Edge("a", "next", "c")
    assert flow.disconnect("a", "next") is None


def test_move_config_rename_variables() -> None:
    flow = Flow("f", "Old")
    flow.add_node(Node("a", "send_text", {"text": "x"}))
    log = recorder(flow)
    flow.move_node("a", (10, 20))
    flow.move_node("a", (10, 20))  # no change, no signal
    flow.set_config("a", {"text": "y"})
    flow.rename("New")
    assert log == [
        ("node_moved", "a", (0.0, 0.0), (10.0, 20.0)),
        ("changed",),
        ("config", "a", {"text": "x"}, {"text": "y"}),
        ("changed",),
        ("changed",),
    ]
    assert flow.name == "New" and flow.node("a").config == {"text": "y"}
    flow.set_variable("email", "")
    assert [v.name for v in flow.variables] == ["email"]
    with pytest.raises(FlowError):
        flow.set_variable("bad name")


def test_invalid_mutations_raise_clear_errors() -> None:
    flow = Flow("f")
    flow.add_node(Node("a", "end"))
    with pytest.raises(FlowError, match="duplicate"):
        flow.add_node(Node("a", "end"))
    with pytest.raises(FlowError, match="invalid node id"):
        flow.add_node(Node("a:b", "end"))
    with pytest.raises(FlowError, match="no node 'zz'"):
        flow.connect("a", "next", "zz")
    with pytest.raises(FlowError):
        flow.remove_node("zz")


def test_unsubscribe_and_config_isolation() -> None:
    flow = Flow("f")
    seen: list[str] = []
    off = flow.node_added.connect(lambda n, i: seen.append(n.id))
    config = {"text": "x"}
    flow.add_node(Node("a", "send_text", config))
    config["text"] = "mutated"
    assert flow.node("a").config == {"text": "x"}
    off()
    flow.add_node(Node("b", "end"))
    assert seen == ["a"]
    assert flow.next_node_id() == "n3"
