"""Graphics items of the flow canvas: `NodeItem` (rounded card coloured by category, title, a
one-line summary, labelled output handles, an input port, a validation badge, a "current node"
glow for the simulator), `HandleItem` (an output, where a connection drag starts) and `EdgeItem`
(a bezier curve from an output to a node). Items only draw; the scene creates and updates them
from the model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsPathItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from wadesk.flow import Handle, Node, NodeType, Problem

if TYPE_CHECKING:
    pass

NODE_WIDTH = 236.0
HEADER_H = 34.0
SUMMARY_H = 40.0
ROW_H = 24.0
RADIUS = 10.0
HANDLE_R = 6.0
GRID = 24.0

CATEGORY_COLORS: dict[str, str] = {
    "start": "#1DAA61",
    "messages": "#2F80ED",
    "logic": "#8E57D6",
    "integrations": "#E8871E",
    "people": "#D9486F",
}
DEFAULT_COLOR = "#667781"
TYPE_GLYPHS: dict[str, str] = {
    "trigger": "⚡",
    "send_text": "✉",
    "send_media": "▣",
    "buttons": "☰",
    "list": "≡",
    "question": "?",
    "condition": "◆",
    "set_variable": "=",
    "set_contact_field": "@",
    "label": "#",
    "delay": "◷",
    "http_request": "⇄",
    "send_template": "▤",
    "handoff": "☺",
    "jump": "↪",
    "end": "■",
}
ERROR_COLOR = "#D92D20"
WARNING_COLOR = "#E8A317"
HIGHLIGHT_COLOR = "#25D366"
SELECT_COLOR = "#00A884"


def category_color(category: str) -> QColor:
    return QColor(CATEGORY_COLORS.get(category, DEFAULT_COLOR))


def summary_of(node: Node, node_type: NodeType | None) -> str:  # noqa: C901
    """One line describing what the node does (shown under its title)."""
    c: Mapping[str, Any] = {**(node_type.defaults() if node_type else {}), **node.config}

    def s(key: str) -> str:
        v = c.get(key)
        return v if isinstance(v, str) else ("" if v is None else str(v))

    t = node.type
    if t == "trigger":
        kind = s("kind")
        if kind == "keyword":
            words = c.get("keywords")
            joined = ", ".join(str(w) for w in words) if isinstance(words, list) else ""
            return f"“{joined}”" if joined else "keyword"
        if kind == "regex":
            return f"/{s('pattern')}/"
        if kind == "button_payload":
            return f"payload {s('payload')}"
        return kind.replace("_", " ")
    if t == "send_text":
        return s("text")
    if t == "send_media":
        return f"{s('media_kind')}: {s('caption') or s('media')}"
    if t in ("buttons", "list"):
        return s("body")
    if t == "question":
        return s("prompt")
    if t == "condition":
        mode = s("mode")
        if mode == "if":
            rules = c.get("rules")
            if isinstance(rules, list) and rules and isinstance(rules[0], Mapping):
                r = rules[0]
                return f"{r.get('variable', '')} {r.get('op', '')} {r.get('value', '')}".strip()
        return mode.replace("_", " ")
    if t == "set_variable":
        return f"{s('variable')} = {s('value')}"
    if t == "set_contact_field":
        return f"{s('field')} = {s('value')}"
    if t == "label":
        return f"{s('action')} {s('label')}"
    if t == "delay":
        return f"{s('seconds')} s"
    if t == "http_request":
        return f"{s('method')} {s('url')}"
    if t == "send_template":
        return s("name")
    if t == "handoff":
        return s("reason")
    if t == "jump":
        return s("node") or s("flow")
    return s("reason")


class HandleItem(QGraphicsItem):
    """An output handle: a dot on the right edge of its node's row; drags start here."""

    def __init__(self, parent: NodeItem, handle: Handle, y: float) -> None:
        super().__init__(parent)
        self.node_item = parent
        self.handle = handle
        self.setPos(NODE_WIDTH, y)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self._hover = False

    @property
    def name(self) -> str:
        return self.handle.name

    def boundingRect(self) -> QRectF:
        r = HANDLE_R + 4
        return QRectF(-r, -r, 2 * r, 2 * r)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = False
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        color = self.node_item.color
        connected = self.node_item.is_connected(self.name)
        r = HANDLE_R + (2 if self._hover else 0)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(color, 2))
        painter.setBrush(QBrush(color if connected else QColor("#FFFFFF")))
        painter.drawEllipse(QPointF(0, 0), r, r)


class NodeItem(QGraphicsObject):
    """A node card. `update_node()` refreshes it from a new model node (config changes)."""

    def __init__(
        self, node: Node, node_type: NodeType | None, handles: Sequence[Handle], lang: str
    ) -> None:
        super().__init__()
        self.node = node
        self.node_type = node_type
        self.lang = lang
        self.handles: dict[str, HandleItem] = {}
        self.problems: list[Problem] = []
        self.highlighted = False
        self._connected: set[str] = set()
        self._height = HEADER_H
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self.setPos(QPointF(*node.position))
        self._set_handles(handles)

    # -- data ----------------------------------------------------------------------------------

    @property
    def node_id(self) -> str:
        return self.node.id

    @property
    def color(self) -> QColor:
        return category_color(self.node_type.category if self.node_type else "")

    @property
    def title(self) -> str:
        if self.node_type is None:
            return self.node.type
        return self.node_type.title_ru if self.lang == "ru" else self.node_type.title_en

    def handle_title(self, handle: Handle) -> str:
        return handle.title_ru if self.lang == "ru" else handle.title_en

    def update_node(self, node: Node, handles: Sequence[Handle]) -> None:
        self.node = node
        if [h.name for h in handles] != list(self.handles) or [
            h.handle for h in self.handles.values()
        ] != list(handles):
            self._set_handles(handles)
        self.update()

    def _set_handles(self, handles: Sequence[Handle]) -> None:
        self.prepareGeometryChange()
        for item in self.handles.values():
            item.setParentItem(None)
            if item.scene() is not None:
                item.scene().removeItem(item)
        self.handles = {}
        y = HEADER_H + SUMMARY_H
        for h in handles:
            self.handles[h.name] = HandleItem(self, h, y + ROW_H / 2)
            y += ROW_H
        self._height = y + (6 if handles else 4)

    def set_connected(self, names: set[str]) -> None:
        if names != self._connected:
            self._connected = set(names)
            for item in self.handles.values():
                item.update()

    def is_connected(self, handle: str) -> bool:
        return handle in self._connected

    def set_problems(self, problems: list[Problem]) -> None:
        if problems != self.problems:
            self.problems = list(problems)
            text = "\n".join(p.message_ru if self.lang == "ru" else p.message_en for p in problems)
            self.setToolTip(text)
            self.update()

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    # -- geometry ------------------------------------------------------------------------------

    @property
    def height(self) -> float:
        return self._height

    def card_rect(self) -> QRectF:
        return QRectF(0, 0, NODE_WIDTH, self._height)

    def boundingRect(self) -> QRectF:
        return self.card_rect().adjusted(-8, -12, 12, 8)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.card_rect(), RADIUS, RADIUS)
        return path

    def input_pos(self) -> QPointF:
        """Scene position where incoming edges end."""
        return self.mapToScene(QPointF(0, HEADER_H / 2))

    def output_pos(self, handle: str) -> QPointF | None:
        item = self.handles.get(handle)
        return item.scenePos() if item is not None else None

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        scene = self.scene()
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and scene is not None:
            snap = getattr(scene, "snap_to_grid", False)
            if snap and isinstance(value, QPointF):
                return QPointF(round(value.x() / GRID) * GRID, round(value.y() / GRID) * GRID)
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged and scene is not None:
            moved = getattr(scene, "node_item_moved", None)
            if moved is not None:
                moved(self)
        return super().itemChange(change, value)

    # -- painting ------------------------------------------------------------------------------

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        rect = self.card_rect()
        color = self.color
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        # soft shadow
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 22))
        painter.drawRoundedRect(rect.translated(0, 3), RADIUS, RADIUS)
        # card
        border = QColor("#D0D5DA")
        width = 1.0
        if self.isSelected():
            border, width = QColor(SELECT_COLOR), 2.5
        painter.setPen(QPen(border, width))
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawRoundedRect(rect, RADIUS, RADIUS)
        if self.highlighted:
            glow = QColor(HIGHLIGHT_COLOR)
            glow.setAlpha(110)
            painter.setPen(QPen(glow, 7))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), RADIUS + 3, RADIUS + 3)
        # header
        header = QPainterPath()
        header.addRoundedRect(QRectF(0, 0, NODE_WIDTH, HEADER_H), RADIUS, RADIUS)
        square = QPainterPath()
        square.addRect(QRectF(0, HEADER_H / 2, NODE_WIDTH, HEADER_H / 2))
        header = header.united(square)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPath(header)
        if lod < 0.35:
            return
        # icon bubble + title
        painter.setBrush(QColor(255, 255, 255, 60))
        painter.drawEllipse(QPointF(18, HEADER_H / 2), 11, 11)
        font = QFont(painter.font())
        font.setPointSizeF(10)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#FFFFFF"))
        glyph = TYPE_GLYPHS.get(self.node.type, "•")
        painter.drawText(QRectF(7, 0, 22, HEADER_H), Qt.AlignmentFlag.AlignCenter, glyph)
        fm = QFontMetricsF(font)
        title = fm.elidedText(self.title, Qt.TextElideMode.ElideRight, NODE_WIDTH - 76)
        painter.drawText(
            QRectF(36, 0, NODE_WIDTH - 76, HEADER_H),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            title,
        )
        small = QFont(painter.font())
        small.setPointSizeF(7.5)
        small.setBold(False)
        painter.setFont(small)
        painter.setPen(QColor(255, 255, 255, 190))
        painter.drawText(
            QRectF(NODE_WIDTH - 44, 0, 36, HEADER_H),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            self.node.id if len(self.node.id) <= 5 else "",
        )
        # summary
        body = QFont(painter.font())
        body.setPointSizeF(9)
        painter.setFont(body)
        painter.setPen(QColor("#3B4A54"))
        summary = " ".join(summary_of(self.node, self.node_type).split())
        bfm = QFontMetricsF(body)
        lines = _wrap(summary, bfm, NODE_WIDTH - 24, 2)
        painter.drawText(
            QRectF(12, HEADER_H + 4, NODE_WIDTH - 24, SUMMARY_H - 6),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            "\n".join(lines),
        )
        # output rows
        if self.handles:
            painter.setPen(QPen(QColor("#EEF0F2"), 1))
            top = HEADER_H + SUMMARY_H
            painter.drawLine(QPointF(10, top), QPointF(NODE_WIDTH - 10, top))
            label = QFont(painter.font())
            label.setPointSizeF(8.5)
            label.setBold(True)
            painter.setFont(label)
            lfm = QFontMetricsF(label)
            for item in self.handles.values():
                y = item.pos().y()
                text = lfm.elidedText(
                    self.handle_title(item.handle), Qt.TextElideMode.ElideRight, NODE_WIDTH - 40
                )
                painter.setPen(color.darker(115))
                painter.drawText(
                    QRectF(12, y - ROW_H / 2, NODE_WIDTH - 28, ROW_H),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                    text,
                )
        # input port
        if self.node.type != "trigger":
            painter.setPen(QPen(QColor("#8696A0"), 2))
            painter.setBrush(QColor("#FFFFFF"))
            painter.drawEllipse(QPointF(0, HEADER_H / 2), 5, 5)
        # validation badge
        if self.problems:
            errors = any(p.severity == "error" for p in self.problems)
            badge = QColor(ERROR_COLOR if errors else WARNING_COLOR)
            center = QPointF(NODE_WIDTH - 2, -2)
            painter.setPen(QPen(QColor("#FFFFFF"), 2))
            painter.setBrush(badge)
            painter.drawEllipse(center, 10, 10)
            bold = QFont(painter.font())
            bold.setBold(True)
            bold.setPointSizeF(8.5)
            painter.setFont(bold)
            painter.setPen(QColor("#FFFFFF"))
            n = len(self.problems)
            painter.drawText(
                QRectF(center.x() - 10, center.y() - 10, 20, 20),
                Qt.AlignmentFlag.AlignCenter,
                str(n) if n < 10 else "!",
            )


def _wrap(text: str, fm: QFontMetricsF, width: float, max_lines: int) -> list[str]:
    words = text.split(" ")
    lines: list[str] = []
    current = ""
    for i, w in enumerate(words):
        probe = f"{current} {w}".strip()
        if fm.horizontalAdvance(probe) <= width or not current:
            current = probe
            continue
        lines.append(current)
        current = w
        if len(lines) == max_lines - 1:
            current = " ".join([w, *words[i + 1 :]])
            break
    if current:
        lines.append(current)
    lines = lines[:max_lines]
    if lines:
        lines[-1] = fm.elidedText(lines[-1], Qt.TextElideMode.ElideRight, width)
    return lines


class EdgeItem(QGraphicsPathItem):
    """A connection from an output handle to a node, drawn as a horizontal bezier curve."""

    def __init__(self, source: str, handle: str, target: str) -> None:
        super().__init__()
        self.source = source
        self.handle = handle
        self.target = target
        self.broken = False
        self._hover = False
        self.setZValue(0)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.handle)

    def set_ends(self, start: QPointF, end: QPointF, broken: bool = False) -> None:
        self.broken = broken
        self.setPath(bezier(start, end))

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(12)
        return stroker.createStroke(self.path())

    def boundingRect(self) -> QRectF:
        return super().boundingRect().adjusted(-10, -10, 10, 10)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = True
        self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = False
        self.update()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = QColor("#9AA5AE")
        if self.broken:
            color = QColor(ERROR_COLOR)
        if self.isSelected() or self._hover:
            color = QColor(SELECT_COLOR)
        pen = QPen(color, 3 if self.isSelected() else 2)
        if self.broken:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = self.path()
        painter.drawPath(path)
        end = path.pointAtPercent(1.0)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPolygon(
            QPolygonF(
                [end, QPointF(end.x() - 9, end.y() - 5), QPointF(end.x() - 9, end.y() + 5), end]
            )
        )


def bezier(start: QPointF, end: QPointF) -> QPainterPath:
    """A left-to-right curve; a wire going back (to a node on the left) loops below both ends."""
    if end.x() >= start.x() + 30:
        dx = max(60.0, abs(end.x() - start.x()) / 2)
        path = QPainterPath(start)
        path.cubicTo(
            QPointF(start.x() + dx, start.y()),
            QPointF(end.x() - dx, end.y()),
            QPointF(end.x(), end.y()),
        )
        return path
    low = max(start.y(), end.y()) + 110
    mid = QPointF((start.x() + end.x()) / 2, low)
    path = QPainterPath(start)
    path.cubicTo(QPointF(start.x() + 90, start.y()), QPointF(start.x() + 90, low), mid)
    path.cubicTo(QPointF(end.x() - 90, low), QPointF(end.x() - 90, end.y()), end)
    return path
