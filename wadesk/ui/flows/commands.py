"""Undo commands of the flow editor. They change the `wadesk.flow.Flow` model only; the scene
observes the model and follows. Removals remember their index and edges, moves are recorded on
mouse release as one command, multi-edits are macros (`QUndoStack.beginMacro`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtGui import QUndoCommand

from wadesk.flow import Edge, Flow, Node, Variable
from wadesk.flow.refs import renamed_configs


class AddNode(QUndoCommand):
    """Insert `node` at `index` (default: last)."""

    def __init__(
        self,
        flow: Flow,
        node: Node,
        index: int | None = None,
        text: str = "Add node",
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.flow = flow
        self.node = node
        self.index = index

    def redo(self) -> None:
        self.flow.add_node(self.node, self.index)

    def undo(self) -> None:
        self.flow.remove_node(self.node.id)


class RemoveNodes(QUndoCommand):
    """Remove nodes with every edge touching them; undo puts them back at their indexes."""

    def __init__(
        self,
        flow: Flow,
        node_ids: Iterable[str],
        text: str = "Delete",
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.flow = flow
        self.node_ids = [n for n in node_ids if flow.has_node(n)]
        self._removed: list[tuple[Node, int, list[Edge]]] = []

    def redo(self) -> None:
        ids = sorted(self.node_ids, key=self.flow.index_of, reverse=True)
        self._removed = [self.flow.remove_node(node_id) for node_id in ids]

    def undo(self) -> None:
        for node, index, _edges in reversed(self._removed):
            self.flow.add_node(node, index)
        seen: set[tuple[str, str]] = set()
        for _node, _index, edges in reversed(self._removed):
            for e in edges:
                if (e.source, e.handle) not in seen:
                    seen.add((e.source, e.handle))
                    self.flow.connect(e.source, e.handle, e.target)
        self._removed = []


class MoveNodes(QUndoCommand):
    """Move nodes from `old` to `new` positions (recorded once, on mouse release)."""

    def __init__(
        self,
        flow: Flow,
        old: Mapping[str, tuple[float, float]],
        new: Mapping[str, tuple[float, float]],
        text: str = "Move",
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.flow = flow
        self.old = dict(old)
        self.new = dict(new)

    def redo(self) -> None:
        for node_id, pos in self.new.items():
            self.flow.move_node(node_id, pos)

    def undo(self) -> None:
        for node_id, pos in self.old.items():
            self.flow.move_node(node_id, pos)


class Connect(QUndoCommand):
    """Wire (source, handle) → target; undo restores the edge it replaced (if any)."""

    def __init__(
        self,
        flow: Flow,
        source: str,
        handle: str,
        target: str,
        text: str = "Connect",
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.flow = flow
        self.edge = Edge(source, handle, target)
        self._previous: Edge | None = flow.edge(source, handle)

    def redo(self) -> None:
        self._previous = self.flow.edge(self.edge.source, self.edge.handle)
        self.flow.connect(self.edge.source, self.edge.handle, self.edge.target)

    def undo(self) -> None:
        prev = self._previous
        if prev is not None:
            self.flow.connect(prev.source, prev.handle, prev.target)
        else:
            self.flow.disconnect(self.edge.source, self.edge.handle)


class Disconnect(QUndoCommand):
    def __init__(
        self,
        flow: Flow,
        source: str,
        handle: str,
        text: str = "Disconnect",
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.flow = flow
        self.source = source
        self.handle = handle
        self._old: Edge | None = None

    def redo(self) -> None:
        self._old = self.flow.disconnect(self.source, self.handle)

    def undo(self) -> None:
        if self._old is not None:
            self.flow.connect(self._old.source, self._old.handle, self._old.target)


class EditConfig(QUndoCommand):
    """Replace a node's config. Consecutive edits of the same node and field merge (typing)."""

    MERGE_ID = 0x57AD

    def __init__(
        self,
        flow: Flow,
        node_id: str,
        config: Mapping[str, Any],
        *,
        field: str | None = None,
        text: str = "Edit",
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.flow = flow
        self.node_id = node_id
        self.old = dict(flow.node(node_id).config)
        self.new = dict(config)
        self.field = field

    def id(self) -> int:
        return self.MERGE_ID if self.field else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditConfig):
            return False
        if other.node_id != self.node_id or other.field != self.field or not self.field:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.flow.set_config(self.node_id, self.new)

    def undo(self) -> None:
        self.flow.set_config(self.node_id, self.old)


class Paste(QUndoCommand):
    """Add several nodes and the edges between them (paste, duplicate, drop of a fragment)."""

    def __init__(
        self,
        flow: Flow,
        nodes: Iterable[Node],
        edges: Iterable[Edge],
        text: str = "Paste",
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.flow = flow
        self.nodes = list(nodes)
        self.edges = list(edges)

    def redo(self) -> None:
        for node in self.nodes:
            self.flow.add_node(node)
        for e in self.edges:
            self.flow.connect(e.source, e.handle, e.target)

    def undo(self) -> None:
        for node in reversed(self.nodes):
            self.flow.remove_node(node.id)


class SetVariable(QUndoCommand):
    """Declare a flow variable or change its default / description (`remove=True`: remove it,
    like `RemoveVariable`). Undo restores the previous declaration at its position."""

    def __init__(
        self,
        flow: Flow,
        name: str,
        default: Any = "",
        *,
        description: str | None = None,
        remove: bool = False,
        text: str = "Variable",
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.flow = flow
        self.name = name
        self.remove = remove
        self._old: Variable | None = flow.variable(name)
        self._index = flow.variable_index(name)
        if description is None:
            description = self._old.description if self._old is not None else ""
        self.default = default
        self.description = description

    def redo(self) -> None:
        self._old = self.flow.variable(self.name)
        self._index = self.flow.variable_index(self.name)
        if self.remove:
            self.flow.remove_variable(self.name)
        else:
            self.flow.set_variable(self.name, self.default, self.description)

    def undo(self) -> None:
        old = self._old
        if old is None:
            self.flow.remove_variable(self.name)
        elif self.remove:
            self.flow.set_variable(old.name, old.default, old.description, index=self._index)
        else:
            self.flow.set_variable(old.name, old.default, old.description)


class RemoveVariable(SetVariable):
    """Remove a declared variable (the nodes that use it are left alone: validation flags them);
    undo puts it back at its position."""

    def __init__(
        self,
        flow: Flow,
        name: str,
        text: str = "Delete variable",
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(flow, name, remove=True, text=text, parent=parent)


class RenameVariable(QUndoCommand):
    """Rename a declared variable in place and, with `update_uses`, every use of it in the nodes
    ({{name}} in texts, the variables nodes save to, condition rules…) in the same step."""

    def __init__(
        self,
        flow: Flow,
        old: str,
        new: str,
        *,
        update_uses: bool = True,
        text: str = "Rename variable",
        parent: QUndoCommand | None = None,
    ) -> None:
        super().__init__(text, parent)
        self.flow = flow
        self.old = old
        self.new = new
        self.update_uses = update_uses
        self._configs: dict[str, dict[str, Any]] = {}

    def redo(self) -> None:
        self.flow.rename_variable(self.old, self.new)
        self._configs = {}
        if self.update_uses:
            for node_id, config in renamed_configs(self.flow, self.old, self.new).items():
                self._configs[node_id] = dict(self.flow.node(node_id).config)
                self.flow.set_config(node_id, config)

    def undo(self) -> None:
        for node_id, config in self._configs.items():
            self.flow.set_config(node_id, config)
        self._configs = {}
        self.flow.rename_variable(self.new, self.old)
