"""The bot flow model: `Flow` (nodes, edges, declared variables) with change signals.

A node has an id, a type name (see `registry`), a config dict and a canvas position. An edge
leaves a node through one output handle and goes to a target node; there is at most one edge per
(source, handle). Every mutation goes through a method of `Flow` and emits signals that plain
callbacks subscribe to (the Qt scene will observe the model this way; undo commands call these
methods only). After every mutation `flow_changed` fires once more, last.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Generic, ParamSpec

P = ParamSpec("P")

NODE_ID_RE = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
VARIABLE_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
DEFAULT_SESSION_TTL = 4 * 3600


class FlowError(ValueError):
    """A mutation or query of the flow model was given something invalid."""


class Signal(Generic[P]):
    """A tiny synchronous signal: callbacks connected to it are called in connection order."""

    __slots__ = ("_slots",)

    def __init__(self) -> None:
        self._slots: list[Callable[P, None]] = []

    def connect(self, callback: Callable[P, None]) -> Callable[[], None]:
        """Subscribe; returns a function that unsubscribes."""
        self._slots.append(callback)
        return lambda: self.disconnect(callback)

    def disconnect(self, callback: Callable[P, None]) -> None:
        if callback in self._slots:
            self._slots.remove(callback)

    def emit(self, *args: P.args, **kwargs: P.kwargs) -> None:
        for slot in list(self._slots):
            slot(*args, **kwargs)


@dataclass(frozen=True, slots=True)
class Node:
    """A node instance; its `config` is owned by the flow and replaced, never edited in place."""

    id: str
    type: str
    config: dict[str, Any] = field(default_factory=dict)
    position: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    handle: str
    target: str


@dataclass(frozen=True, slots=True)
class Variable:
    """A declared flow variable with its initial value and a note for the flow's authors."""

    name: str
    default: Any = ""
    description: str = ""


class Flow:
    """A bot flow. Use the methods to change it; read `nodes`, `edges`, `variables`."""

    def __init__(
        self,
        id: str,
        name: str = "",
        *,
        revision: int = 0,
        settings: Mapping[str, Any] | None = None,
    ) -> None:
        self.id = id
        self.name = name
        self.revision = revision
        self.settings: dict[str, Any] = dict(settings or {})
        self._nodes: list[Node] = []
        self._by_id: dict[str, Node] = {}
        self._edges: dict[tuple[str, str], Edge] = {}
        self._variables: dict[str, Variable] = {}
        self.node_added: Signal[[Node, int]] = Signal()
        self.node_removed: Signal[[Node, int]] = Signal()
        self.node_moved: Signal[[Node, tuple[float, float]]] = Signal()  # (node, old position)
        self.node_config_changed: Signal[[Node, dict[str, Any]]] = Signal()  # (node, old config)
        self.edge_added: Signal[[Edge]] = Signal()
        self.edge_removed: Signal[[Edge]] = Signal()
        self.variables_changed: Signal[[]] = Signal()
        self.flow_changed: Signal[[]] = Signal()

    # -- queries -------------------------------------------------------------------------------

    @property
    def nodes(self) -> tuple[Node, ...]:
        return tuple(self._nodes)

    @property
    def edges(self) -> tuple[Edge, ...]:
        return tuple(self._edges.values())

    @property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(self._variables.values())

    @property
    def triggers(self) -> tuple[Node, ...]:
        """The trigger nodes: every entry point of the flow, in node order."""
        return tuple(n for n in self._nodes if n.type == "trigger")

    @property
    def session_ttl(self) -> int:
        """Seconds a waiting session stays alive without activity."""
        ttl = self.settings.get("session_ttl_seconds", DEFAULT_SESSION_TTL)
        return ttl if isinstance(ttl, int) and not isinstance(ttl, bool) and ttl > 0 else 0

    def has_node(self, node_id: str) -> bool:
        return node_id in self._by_id

    def node(self, node_id: str) -> Node:
        try:
            return self._by_id[node_id]
        except KeyError:
            raise FlowError(f"no node {node_id!r} in flow {self.id!r}") from None

    def get(self, node_id: str) -> Node | None:
        return self._by_id.get(node_id)

    def index_of(self, node_id: str) -> int:
        return self._nodes.index(self.node(node_id))

    def edge(self, source: str, handle: str) -> Edge | None:
        return self._edges.get((source, handle))

    def target(self, source: str, handle: str) -> str | None:
        e = self._edges.get((source, handle))
        return e.target if e is not None else None

    def outgoing(self, node_id: str) -> list[Edge]:
        return [e for e in self._edges.values() if e.source == node_id]

    def incoming(self, node_id: str) -> list[Edge]:
        return [e for e in self._edges.values() if e.target == node_id]

    def variable(self, name: str) -> Variable | None:
        return self._variables.get(name)

    def variable_index(self, name: str) -> int:
        """The position of a declared variable in `variables` (-1 if not declared)."""
        for i, key in enumerate(self._variables):
            if key == name:
                return i
        return -1

    # -- node mutations ------------------------------------------------------------------------

    def add_node(self, node: Node, index: int | None = None) -> Node:
        """Insert a node (at `index`, default last); emits node_added(node, index)."""
        if not NODE_ID_RE.match(node.id):
            raise FlowError(f"invalid node id {node.id!r} (letters, digits, '_', '-', '.')")
        if node.id in self._by_id:
            raise FlowError(f"duplicate node id {node.id!r}")
        node = replace(node, config=dict(node.config), position=_pos(node.position))
        pos = len(self._nodes) if index is None else max(0, min(index, len(self._nodes)))
        self._nodes.insert(pos, node)
        self._by_id[node.id] = node
        self.node_added.emit(node, pos)
        self.flow_changed.emit()
        return node

    def remove_node(self, node_id: str) -> tuple[Node, int, list[Edge]]:
        """Remove a node and every edge touching it (edge_removed for each, then node_removed).

        Returns what an undo command needs: the node, its index and the removed edges.
        """
        node = self.node(node_id)
        index = self._nodes.index(node)
        removed = [e for e in self._edges.values() if node_id in (e.source, e.target)]
        for e in removed:
            del self._edges[(e.source, e.handle)]
            self.edge_removed.emit(e)
        del self._nodes[index]
        del self._by_id[node_id]
        self.node_removed.emit(node, index)
        self.flow_changed.emit()
        return node, index, removed

    def move_node(self, node_id: str, position: tuple[float, float]) -> None:
        old = self.node(node_id)
        new_pos = _pos(position)
        if new_pos == old.position:
            return
        node = self._replace(old, replace(old, position=new_pos))
        self.node_moved.emit(node, old.position)
        self.flow_changed.emit()

    def set_config(self, node_id: str, config: Mapping[str, Any]) -> None:
        """Replace a node's config; edges of handles that disappear are kept (validation flags
        them) so an undo restores the config without losing wires."""
        old = self.node(node_id)
        node = self._replace(old, replace(old, config=dict(config)))
        self.node_config_changed.emit(node, old.config)
        self.flow_changed.emit()

    def _replace(self, old: Node, new: Node) -> Node:
        self._nodes[self._nodes.index(old)] = new
        self._by_id[new.id] = new
        return new

    # -- edge mutations ------------------------------------------------------------------------

    def connect(self, source: str, handle: str, target: str) -> Edge | None:
        """Wire (source, handle) to target, replacing (and returning) any previous edge there."""
        self.node(source)
        self.node(target)
        if not handle:
            raise FlowError("an edge needs an output handle")
        old = self._edges.pop((source, handle), None)
        if old is not None:
            if old.target == target:
                self._edges[(source, handle)] = old
                return None
            self.edge_removed.emit(old)
        edge = Edge(source, handle, target)
        self._edges[(source, handle)] = edge
        self.edge_added.emit(edge)
        self.flow_changed.emit()
        return old

    def disconnect(self, source: str, handle: str) -> Edge | None:
        old = self._edges.pop((source, handle), None)
        if old is not None:
            self.edge_removed.emit(old)
            self.flow_changed.emit()
        return old

    # -- flow-level mutations ------------------------------------------------------------------

    def rename(self, name: str) -> None:
        if name != self.name:
            self.name = name
            self.flow_changed.emit()

    def set_variable(
        self, name: str, default: Any = "", description: str = "", *, index: int | None = None
    ) -> None:
        """Declare a variable (at `index`, default last) or change its default / description
        (it keeps its position)."""
        if not VARIABLE_RE.match(name):
            raise FlowError(f"invalid variable name {name!r} (letters, digits and '_')")
        var = Variable(name, default, description)
        if name in self._variables or index is None or index >= len(self._variables):
            self._variables[name] = var
        else:
            items = list(self._variables.values())
            items.insert(max(0, index), var)
            self._variables = {v.name: v for v in items}
        self.variables_changed.emit()
        self.flow_changed.emit()

    def rename_variable(self, old: str, new: str) -> Variable:
        """Rename a declared variable in place (same position, default and description); the
        nodes that use it are not changed (see `wadesk.flow.refs.rename_in_config`)."""
        var = self._variables.get(old)
        if var is None:
            raise FlowError(f"no variable {old!r} in flow {self.id!r}")
        if not VARIABLE_RE.match(new):
            raise FlowError(f"invalid variable name {new!r} (letters, digits and '_')")
        if new != old and new in self._variables:
            raise FlowError(f"variable {new!r} already exists")
        renamed = replace(var, name=new)
        self._variables = {
            (new if k == old else k): (renamed if k == old else v)
            for k, v in self._variables.items()
        }
        self.variables_changed.emit()
        self.flow_changed.emit()
        return renamed

    def remove_variable(self, name: str) -> Variable | None:
        var = self._variables.pop(name, None)
        if var is not None:
            self.variables_changed.emit()
            self.flow_changed.emit()
        return var

    def set_setting(self, key: str, value: Any) -> None:
        self.settings[key] = value
        self.flow_changed.emit()

    # -- helpers -------------------------------------------------------------------------------

    def add_nodes(self, nodes: Iterable[Node]) -> None:
        for n in nodes:
            self.add_node(n)

    def next_node_id(self, prefix: str = "n") -> str:
        """A node id not yet used in this flow (`n1`, `n2`, …)."""
        i = len(self._nodes) + 1
        while f"{prefix}{i}" in self._by_id:
            i += 1
        return f"{prefix}{i}"


def _pos(position: tuple[float, float] | Iterable[float]) -> tuple[float, float]:
    x, y = tuple(position)
    return (float(x), float(y))
