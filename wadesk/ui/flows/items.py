"""Graphics items of the flow canvas: `NodeItem` (rounded card coloured by category, title, a
one-line summary, labelled output handles, an input port, a validation badge, a "current node"
glow for the simulator), `HandleItem` (an output, where a connection drag starts) and `EdgeItem`
(a bezier curve from an output to a node). Items only draw; the scene creates and updates them
from the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from wadesk.flow import Handle, Node, NodeType, Problem
from wadesk.ui.flows.summary import summary_of
from wadesk.ui.theme import LIGHT_CANVAS, CanvasColors

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
HIGHLIGHT_COLOR = LIGHT_CANVAS.highlight
SELECT_COLOR = LIGHT_CANVAS.select


def category_color(category: str) -> QColor:
    return QColor(CATEGORY_COLORS.get(category, DEFAULT_COLOR))


LOW_DETAIL = 0.35  # below this scale nodes are drawn without text


def _label_color(color: QColor, dark: bool) -> QColor:
    """The category colour for handle labels on the card: darker on white, lighter on dark."""
    return color.lighter(140) if dark else color.darker(115)


class HandleItem(QGraphicsEllipseItem):
    """An output handle: a dot on the right edge of its node's row; drags start here. The dot
    is painted by its node (into the node's cached picture), so the handle itself draws nothing
    (`ItemHasNoContents`); its hit area is larger than the dot."""

    def __init__(self, parent: NodeItem, handle: Handle, y: float) -> None:
        super().__init__(parent)
        self.node_item = parent
        self.handle = handle
        self.setPos(NODE_WIDTH, y)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents)
        self._hover = False
        self._hit = QPainterPath()
        self._hit.addEllipse(QPointF(0, 0), HANDLE_R + 4, HANDLE_R + 4)
        self.refresh()

    @property
    def name(self) -> str:
        return self.handle.name

    def refresh(self) -> None:
        """Follow the hover and connected state (filled when an edge leaves here)."""
        color = self.node_item.color
        r = HANDLE_R + (2 if self._hover else 0)
        self.setRect(QRectF(-r, -r, 2 * r, 2 * r))
        self.setPen(QPen(color, 2))
        empty = QColor(self.node_item.colors.card)
        self.setBrush(QBrush(color if self.node_item.is_connected(self.name) else empty))
        self.node_item.update()

    @property
    def hovered(self) -> bool:
        return self._hover

    def shape(self) -> QPainterPath:
        hit: QPainterPath | None = getattr(self, "_hit", None)  # None while being constructed
        return hit if hit is not None else super().shape()

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = True
        self.refresh()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = False
        self.refresh()


class NodeItem(QGraphicsRectItem):
    """A node card. `update_node()` refreshes it from a new model node (config changes).

    A rect item whose rect is the card's bounds (with room for the shadow, the badge and the
    handles) and no pen: Qt answers `boundingRect()` itself, without calling into Python — the
    view asks for it for every visible item on every frame. The card is painted into a device
    cache, so panning only blits it; `set_colors()` (a theme switch) drops that cache."""

    def __init__(
        self,
        node: Node,
        node_type: NodeType | None,
        handles: Sequence[Handle],
        lang: str,
        colors: CanvasColors = LIGHT_CANVAS,
    ) -> None:
        super().__init__()
        self.colors = colors
        self.node = node
        self.node_type = node_type
        self.lang = lang
        self.handles: dict[str, HandleItem] = {}
        self.problems: list[Problem] = []
        self.highlighted = False
        self._connected: set[str] = set()
        self._height = HEADER_H
        self._card = QRectF(0, 0, NODE_WIDTH, HEADER_H)
        self._bounds = self._card.adjusted(-8, -12, 12, 8)
        self._shape: QPainterPath | None = None
        self._summary: str | None = None  # the summary text, computed once per config
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setPen(QPen(Qt.PenStyle.NoPen))
        self.setRect(self._bounds)
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
        self._summary = None
        if [h.name for h in handles] != list(self.handles) or [
            h.handle for h in self.handles.values()
        ] != list(handles):
            self._set_handles(handles)
        self.update()

    def _set_handles(self, handles: Sequence[Handle]) -> None:
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
        self._card = QRectF(0, 0, NODE_WIDTH, self._height)
        self._bounds = self._card.adjusted(-8, -12, 12, 8)
        self._shape = None
        self.setRect(self._bounds)

    def set_colors(self, colors: CanvasColors) -> None:
        """Repaint in the colours of another look (the cached picture is thrown away)."""
        if colors == self.colors:
            return
        self.colors = colors
        for item in self.handles.values():
            item.refresh()
        self.update()  # also invalidates the device cache: the card is painted anew

    def set_connected(self, names: set[str]) -> None:
        if names != self._connected:
            self._connected = set(names)
            for item in self.handles.values():
                item.refresh()

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
        return QRectF(self._card)

    @property
    def summary(self) -> str:
        if self._summary is None:
            self._summary = " ".join(summary_of(self.node, self.node_type).split())
        return self._summary

    def shape(self) -> QPainterPath:
        if self._shape is None:
            self._shape = QPainterPath()
            self._shape.addRoundedRect(self._card, RADIUS, RADIUS)
        return self._shape

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
        rect = self._card
        color = self.color
        colors = self.colors
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < LOW_DETAIL:  # zoomed far out: a plain card with its colour band
            self._paint_low_detail(painter, rect, color)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        # soft shadow
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colors.shadow))
        painter.drawRoundedRect(rect.translated(0, 3), RADIUS, RADIUS)
        # card
        border = QColor(colors.card_border)
        width = 1.0
        if self.isSelected():
            border, width = QColor(colors.select), 2.5
        painter.setPen(QPen(border, width))
        painter.setBrush(QColor(colors.card))
        painter.drawRoundedRect(rect, RADIUS, RADIUS)
        if self.highlighted:
            glow = QColor(colors.highlight)
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
        painter.setPen(QColor(colors.summary))
        summary = self.summary
        bfm = QFontMetricsF(body)
        lines = _wrap(summary, bfm, NODE_WIDTH - 24, 2)
        painter.drawText(
            QRectF(12, HEADER_H + 4, NODE_WIDTH - 24, SUMMARY_H - 6),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            "\n".join(lines),
        )
        # output rows
        if self.handles:
            painter.setPen(QPen(QColor(colors.divider), 1))
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
                painter.setPen(_label_color(color, colors.dark))
                painter.drawText(
                    QRectF(12, y - ROW_H / 2, NODE_WIDTH - 28, ROW_H),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                    text,
                )
        self._paint_handles(painter)
        # input port
        if self.node.type != "trigger":
            painter.setPen(QPen(QColor(colors.port), 2))
            painter.setBrush(QColor(colors.card))
            painter.drawEllipse(QPointF(0, HEADER_H / 2), 5, 5)
        # validation badge
        if self.problems:
            errors = any(p.severity == "error" for p in self.problems)
            badge = QColor(ERROR_COLOR if errors else WARNING_COLOR)
            center = QPointF(NODE_WIDTH - 2, -2)
            painter.setPen(QPen(QColor(colors.card), 2))
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

    def _paint_handles(self, painter: QPainter) -> None:
        for item in self.handles.values():
            painter.setPen(item.pen())
            painter.setBrush(item.brush())
            painter.drawEllipse(item.rect().translated(item.pos()))

    def _paint_low_detail(self, painter: QPainter, rect: QRectF, color: QColor) -> None:
        selected = self.isSelected()
        colors = self.colors
        painter.setPen(QPen(QColor(colors.select), 4) if selected else Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colors.card))
        painter.drawRect(rect)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRect(QRectF(0, 0, NODE_WIDTH, HEADER_H))
        if self.highlighted:
            painter.setBrush(QColor(colors.highlight))
            painter.drawRect(QRectF(0, HEADER_H, 10, rect.height() - HEADER_H))
        if self.problems:
            errors = any(p.severity == "error" for p in self.problems)
            painter.setBrush(QColor(ERROR_COLOR if errors else WARNING_COLOR))
            painter.drawEllipse(QPointF(NODE_WIDTH - 2, -2), 14, 14)
        self._paint_handles(painter)


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
    """A connection from an output handle to a node, drawn as a horizontal bezier curve ending in
    an arrow head (part of the same path). Qt paints it (a cosmetic pen, no Python per frame);
    the path and its hit shape are recomputed only when an end moves (`set_ends`)."""

    def __init__(
        self, source: str, handle: str, target: str, colors: CanvasColors = LIGHT_CANVAS
    ) -> None:
        super().__init__()
        self.colors = colors
        self.source = source
        self.handle = handle
        self.target = target
        self.broken = False
        self._hover = False
        self._shape: QPainterPath | None = None
        self.setZValue(0)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self._restyle()

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.handle)

    def set_ends(self, start: QPointF, end: QPointF, broken: bool = False) -> None:
        if broken != self.broken:
            self.broken = broken
            self._restyle()
        self._shape = None
        path = QPainterPath(QPointF(end.x() - 8, end.y() - 5))  # the arrow head first, so
        path.lineTo(end)  # the path still ends where the curve ends (pointAtPercent(1))
        path.lineTo(end.x() - 8, end.y() + 5)
        path.addPath(bezier(start, end))
        self.setPath(path)  # asks for the old shape (geometry change): drop it afterwards too
        self._shape = None

    def set_colors(self, colors: CanvasColors) -> None:
        if colors != self.colors:
            self.colors = colors
            self._restyle()

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(12)
            self._shape = stroker.createStroke(self.path())
        return self._shape

    def _restyle(self) -> None:
        color = QColor(self.colors.edge)
        if self.broken:
            color = QColor(ERROR_COLOR)
        if self.isSelected() or self._hover:
            color = QColor(self.colors.select)
        pen = QPen(color, 3 if self.isSelected() else 2)
        pen.setCosmetic(True)  # the raster engine's fast stroker; the same look at 1:1
        if self.broken:
            pen.setStyle(Qt.PenStyle.DashLine)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self.setPen(pen)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._restyle()
        return super().itemChange(change, value)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = True
        self._restyle()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        self._hover = False
        self._restyle()


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
