"""`FlowScene`: the canvas scene. It observes a `wadesk.flow.Flow` (node→item and edge→item
maps built and updated from the model's signals, never from commands), shows validation badges
and the simulator's current node, and turns gestures into undo commands: moves are recorded on
mouse release, drags from an output handle connect (see `interactions`), palette drops add.

Colours follow the application's palette (`wadesk.ui.theme.canvas_colors`): when the theme
switches, the scene gets a palette change and repaints its background, nodes, wires and handles.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QKeyEvent, QUndoStack
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSceneDragDropEvent,
    QGraphicsSceneMouseEvent,
)

from wadesk.flow import Edge, Flow, Node, Problem, Registry
from wadesk.ui.flows.commands import MoveNodes
from wadesk.ui.flows.interactions import (
    NODE_TYPE_MIME,
    ConnectInteraction,
    Interaction,
    add_node_at,
)
from wadesk.ui.flows.items import EdgeItem, HandleItem, NodeItem
from wadesk.ui.theme import CanvasColors, canvas_colors


class FlowScene(QGraphicsScene):
    """Signals: `node_selected(str)` ("" when not exactly one node is selected),
    `colors_changed()` (a theme switch repainted the canvas; the view redraws its background)."""

    node_selected = Signal(str)
    colors_changed = Signal()

    def __init__(self, flow: Flow, registry: Registry, stack: QUndoStack, lang: str = "en") -> None:
        super().__init__()
        self.flow = flow
        self.registry = registry
        self._stack = weakref.ref(stack)  # no cycle through the stack's commands (PySide GC)
        self.lang = lang
        self.colors: CanvasColors = canvas_colors(QGuiApplication.palette())
        self.setBackgroundBrush(QColor(self.colors.background))
        self.snap_to_grid = False
        self.interaction: Interaction | None = None
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[tuple[str, str], EdgeItem] = {}
        self._press_positions: dict[str, tuple[float, float]] = {}
        self._highlight: str | None = None
        self._bounds: QRectF | None = None  # items_bounding(), until a node is added/moved…
        self._unsubscribe: list[Callable[[], None]] = [
            flow.node_added.connect(self._on_node_added),
            flow.node_removed.connect(self._on_node_removed),
            flow.node_moved.connect(self._on_node_moved),
            flow.node_config_changed.connect(self._on_config_changed),
            flow.edge_added.connect(self._on_edge_added),
            flow.edge_removed.connect(self._on_edge_removed),
        ]
        for node in flow.nodes:
            self._on_node_added(node, -1)
        for edge in flow.edges:
            self._on_edge_added(edge)
        self.selectionChanged.connect(self._on_selection_changed)
        self.update_scene_rect()

    @property
    def stack(self) -> QUndoStack:
        stack = self._stack()
        assert stack is not None, "the undo stack of this scene is gone"
        return stack

    def detach(self) -> None:
        """Stop observing the model (before the scene is dropped)."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []

    # -- colours -----------------------------------------------------------------------------------

    def set_colors(self, colors: CanvasColors) -> None:
        """Repaint everything in `colors` (node pictures are re-rendered, not blitted)."""
        if colors == self.colors:
            return
        self.colors = colors
        self.setBackgroundBrush(QColor(colors.background))
        for node in self._nodes.values():
            node.set_colors(colors)
        for edge in self._edges.values():
            edge.set_colors(colors)
        self.update()
        self.colors_changed.emit()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.set_colors(canvas_colors(QGuiApplication.palette()))
        return handled

    # -- lookup ------------------------------------------------------------------------------------

    def node_item(self, node_id: str) -> NodeItem | None:
        return self._nodes.get(node_id)

    def node_items(self) -> list[NodeItem]:
        return list(self._nodes.values())

    def edge_item(self, source: str, handle: str) -> EdgeItem | None:
        return self._edges.get((source, handle))

    def edge_items(self) -> list[EdgeItem]:
        return list(self._edges.values())

    def selected_node_ids(self) -> list[str]:
        """Selected nodes in model order."""
        selected = {i.node_id for i in self.selectedItems() if isinstance(i, NodeItem)}
        return [n.id for n in self.flow.nodes if n.id in selected]

    def selected_edges(self) -> list[EdgeItem]:
        return [i for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def select_nodes(self, node_ids: Iterable[str]) -> None:
        wanted = set(node_ids)
        self.clearSelection()
        for node_id in wanted:
            item = self._nodes.get(node_id)
            if item is not None:
                item.setSelected(True)

    def node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
            parent = item.parentItem()
            if isinstance(parent, NodeItem):
                return parent
        return None

    def handle_at(self, pos: QPointF) -> HandleItem | None:
        for item in self.items(pos):
            if isinstance(item, HandleItem):
                return item
        return None

    def update_scene_rect(self) -> None:
        rect = self.itemsBoundingRect()
        if rect.isNull():
            rect = QRectF(0, 0, 800, 600)
        self.setSceneRect(rect.adjusted(-1500, -1500, 1500, 1500))

    # -- model observation -------------------------------------------------------------------------

    def _handles(self, node: Node) -> list[Any]:
        node_type = self.registry.find(node.type)
        config = {**(node_type.defaults() if node_type else {}), **node.config}
        return self.registry.outputs(node.type, config)

    def _on_node_added(self, node: Node, _index: int) -> None:
        self._bounds = None
        node_type = self.registry.find(node.type)
        item = NodeItem(node, node_type, self._handles(node), self.lang, self.colors)
        self._nodes[node.id] = item
        self.addItem(item)
        item.set_highlighted(node.id == self._highlight)

    def _on_node_removed(self, node: Node, _index: int) -> None:
        self._bounds = None
        item = self._nodes.pop(node.id, None)
        if item is not None:
            self.removeItem(item)

    def _on_node_moved(self, node: Node, _old: tuple[float, float]) -> None:
        self._bounds = None
        item = self._nodes.get(node.id)
        if item is None:
            return
        item.node = node
        if (item.pos().x(), item.pos().y()) != node.position:
            item.setPos(QPointF(*node.position))
        self._update_edges_of(node.id)

    def _on_config_changed(self, node: Node, _old: dict[str, Any]) -> None:
        self._bounds = None
        item = self._nodes.get(node.id)
        if item is None:
            return
        item.update_node(node, self._handles(node))
        self._update_edges_of(node.id)
        self._refresh_connected(node.id)

    def _on_edge_added(self, edge: Edge) -> None:
        item = EdgeItem(edge.source, edge.handle, edge.target, self.colors)
        self._edges[(edge.source, edge.handle)] = item
        self.addItem(item)
        self._place_edge(item)
        self._refresh_connected(edge.source)

    def _on_edge_removed(self, edge: Edge) -> None:
        item = self._edges.pop((edge.source, edge.handle), None)
        if item is not None:
            self.removeItem(item)
        self._refresh_connected(edge.source)

    def _refresh_connected(self, node_id: str) -> None:
        item = self._nodes.get(node_id)
        if item is not None:
            item.set_connected({h for (s, h) in self._edges if s == node_id})

    def _place_edge(self, edge: EdgeItem) -> None:
        src = self._nodes.get(edge.source)
        dst = self._nodes.get(edge.target)
        if src is None or dst is None:
            return
        start = src.output_pos(edge.handle)
        broken = start is None
        if start is None:
            start = src.mapToScene(QPointF(src.card_rect().width(), src.height - 8))
        end = dst.input_pos()
        edge.set_ends(start, QPointF(end.x() - 5, end.y()), broken)

    def _update_edges_of(self, node_id: str) -> None:
        for (source, _h), edge in self._edges.items():
            if source == node_id or edge.target == node_id:
                self._place_edge(edge)

    def node_item_moved(self, item: NodeItem) -> None:
        """Called by a node item while it moves (before the model knows): edges follow."""
        self._bounds = None
        self._update_edges_of(item.node_id)

    # -- problems and highlight --------------------------------------------------------------------

    def set_problems(self, problems: Iterable[Problem]) -> None:
        by_node: dict[str, list[Problem]] = {}
        for p in problems:
            if p.node_id is not None:
                by_node.setdefault(p.node_id, []).append(p)
        for node_id, item in self._nodes.items():
            item.set_problems(by_node.get(node_id, []))

    def highlight(self, node_id: str | None) -> None:
        """Mark the simulator's current node (None clears)."""
        old = self._nodes.get(self._highlight or "")
        if old is not None:
            old.set_highlighted(False)
        self._highlight = node_id
        new = self._nodes.get(node_id or "")
        if new is not None:
            new.set_highlighted(True)

    @property
    def highlighted(self) -> str | None:
        return self._highlight

    # -- gestures ----------------------------------------------------------------------------------

    def _on_selection_changed(self) -> None:
        ids = self.selected_node_ids()
        self.node_selected.emit(ids[0] if len(ids) == 1 else "")

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None:
            self.interaction.press(event)
            return
        if event.button() == Qt.MouseButton.LeftButton:
            handle = self.handle_at(event.scenePos())
            if handle is not None:
                self.interaction = ConnectInteraction(self, handle)
                self.interaction.press(event)
                event.accept()
                return
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press_positions = {
                i.node_id: (i.pos().x(), i.pos().y())
                for i in self.selectedItems()
                if isinstance(i, NodeItem)
            }

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None:
            self.interaction.move(event)
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self.interaction is not None:
            interaction = self.interaction
            interaction.release(event)
            if interaction.done:
                self.interaction = None
            return
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self._press_positions:
            self.record_moves(self._press_positions)
            self._press_positions = {}

    def record_moves(self, old: dict[str, tuple[float, float]]) -> bool:
        """Push one MoveNodes for items whose position differs from the model."""
        before: dict[str, tuple[float, float]] = {}
        after: dict[str, tuple[float, float]] = {}
        for node_id in old:
            item = self._nodes.get(node_id)
            if item is None or not self.flow.has_node(node_id):
                continue
            pos = (item.pos().x(), item.pos().y())
            model_pos = self.flow.node(node_id).position
            if pos != model_pos:
                before[node_id] = model_pos
                after[node_id] = pos
        if not after:
            return False
        self.stack.push(MoveNodes(self.flow, before, after))
        self.update_scene_rect()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.interaction is not None:
            self.interaction.cancel()
            self.interaction = None
            return
        super().keyPressEvent(event)

    # -- palette drops -----------------------------------------------------------------------------

    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        if event.mimeData().hasFormat(NODE_TYPE_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        if event.mimeData().hasFormat(NODE_TYPE_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:
        data = event.mimeData()
        if data.hasFormat(NODE_TYPE_MIME):
            type_name = bytes(data.data(NODE_TYPE_MIME).data()).decode("utf-8")
            if type_name in self.registry:
                node = add_node_at(self, type_name, event.scenePos())
                self.select_nodes([node.id])
            event.acceptProposedAction()
            return
        super().dropEvent(event)

    def items_bounding(self) -> QRectF:
        """The scene rect of all node cards (cached until a node is added, removed, moved or
        resized; the minimap asks on every paint)."""
        if self._bounds is None:
            rect = QRectF()
            for item in self._nodes.values():
                rect = rect.united(item.sceneBoundingRect())
            self._bounds = rect
        return QRectF(self._bounds)

    def center_on_hint(self) -> QGraphicsItem | None:
        return next(iter(self._nodes.values()), None)
