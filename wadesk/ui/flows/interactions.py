"""Gestures of the canvas as small objects (the orange-canvas-core pattern): the scene hands
mouse events to the current `Interaction` until it is done. `ConnectInteraction` drags a wire
from an output handle and connects it to the node it is dropped on; `add_node_at` creates a
node of a type at a position (palette drop, Tab popup); `AddNodePopup` is the searchable
"add node" popup opened with Tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPathItem,
    QGraphicsSceneMouseEvent,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wadesk.flow import Node, Registry
from wadesk.ui.flows.commands import AddNode, Connect
from wadesk.ui.flows.items import SELECT_COLOR, HandleItem, bezier

if TYPE_CHECKING:
    from wadesk.ui.flows.scene import FlowScene

NODE_TYPE_MIME = "application/x-wadesk-node-type"


class Interaction:
    """Base gesture: gets press/move/release until `done`."""

    def __init__(self, scene: FlowScene) -> None:
        self.scene = scene
        self.done = False

    def press(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    def move(self, event: QGraphicsSceneMouseEvent) -> None:
        event.accept()

    def release(self, event: QGraphicsSceneMouseEvent) -> None:
        self.done = True

    def cancel(self) -> None:
        self.done = True


class ConnectInteraction(Interaction):
    """Drag from an output handle; released over a node → `Connect` command (undoable)."""

    def __init__(self, scene: FlowScene, handle: HandleItem) -> None:
        super().__init__(scene)
        self.source = handle.node_item.node_id
        self.handle = handle.name
        self._start = handle.scenePos()
        self.wire = QGraphicsPathItem()
        pen = QPen(QColor(SELECT_COLOR), 2, Qt.PenStyle.DashLine)
        self.wire.setPen(pen)
        self.wire.setZValue(5)
        scene.addItem(self.wire)
        self.connected_to: str | None = None

    def move(self, event: QGraphicsSceneMouseEvent) -> None:
        self._draw(event.scenePos())
        event.accept()

    def _draw(self, pos: QPointF) -> None:
        target = self.scene.node_at(pos)
        end = target.input_pos() if target is not None else pos
        self.wire.setPath(bezier(self._start, end))

    def release(self, event: QGraphicsSceneMouseEvent) -> None:
        target = self.scene.node_at(event.scenePos())
        self._remove_wire()
        self.done = True
        if target is None or target.node.type == "trigger":
            return
        flow = self.scene.flow
        if flow.target(self.source, self.handle) == target.node_id:
            return
        self.scene.stack.push(Connect(flow, self.source, self.handle, target.node_id))
        self.connected_to = target.node_id

    def cancel(self) -> None:
        self._remove_wire()
        self.done = True

    def _remove_wire(self) -> None:
        if self.wire.scene() is not None:
            self.scene.removeItem(self.wire)


def new_node(registry: Registry, flow_ids: set[str], type_name: str, pos: QPointF) -> Node:
    """A node of `type_name` with default config and a fresh id, at `pos`."""
    node_type = registry.get(type_name)
    prefix = {"trigger": "start", "send_text": "msg", "http_request": "http"}.get(
        type_name, type_name.split("_")[0]
    )
    i = 1
    while f"{prefix}{i}" in flow_ids:
        i += 1
    return Node(f"{prefix}{i}", type_name, node_type.defaults(), (pos.x(), pos.y()))


def add_node_at(scene: FlowScene, type_name: str, pos: QPointF) -> Node:
    """Add a node of `type_name` (defaults) with its top-left near `pos`, through the stack."""
    flow = scene.flow
    node = new_node(scene.registry, {n.id for n in flow.nodes}, type_name, pos)
    if scene.snap_to_grid:
        from wadesk.ui.flows.items import GRID

        x, y = node.position
        node = Node(
            node.id, node.type, node.config, (round(x / GRID) * GRID, round(y / GRID) * GRID)
        )
    scene.stack.push(AddNode(flow, node, text=f"Add {type_name}"))
    scene.update_scene_rect()
    return node


class AddNodePopup(QFrame):
    """A searchable list of node types; `chosen(type_name)` when one is picked."""

    chosen = Signal(str)

    def __init__(self, registry: Registry, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("AddNodePopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search node types…"))
        self.list = QListWidget(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        for t in registry:
            title = t.title_ru if lang == "ru" else t.title_en
            item = QListWidgetItem(title, self.list)
            item.setData(Qt.ItemDataRole.UserRole, t.name)
            item.setData(Qt.ItemDataRole.UserRole + 1, f"{title} {t.name} {t.category}".lower())
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self.accept_current)
        self.list.itemActivated.connect(lambda _i: self.accept_current())
        self.list.itemClicked.connect(lambda _i: self.accept_current())
        self.resize(260, 320)
        self.filter("")

    def filter(self, text: str) -> None:
        needle = text.strip().lower()
        first: QListWidgetItem | None = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hay = str(item.data(Qt.ItemDataRole.UserRole + 1))
            hidden = bool(needle) and needle not in hay
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        if first is not None:
            self.list.setCurrentItem(first)

    def accept_current(self) -> None:
        item = self.list.currentItem()
        if item is not None and not item.isHidden():
            self.chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)))
        self.close()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.list.keyPressEvent(event)
            return
        super().keyPressEvent(event)
