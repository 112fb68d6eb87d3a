"""`FlowView`: the canvas view. Pan with the middle button or Space+drag, zoom to the cursor
with the wheel, fit to view, rubber-band selection, a dotted grid, a minimap in the corner, and
Tab opens the "add node" popup (`add_node_requested(scene_pos)`).

Panning stays cheap on big flows: the viewport is scrolled by Qt (only the exposed strip is
painted) — which is why the minimap is a child of the viewport, not an overlapping sibling (an
overlapping sibling turns every scroll into a full repaint); the dotted background is cached by
the view; the minimap keeps its miniature in a pixmap and repaints its visible-area frame at
most every `MINIMAP_INTERVAL_MS`; zoomed far out (below `LOW_DETAIL`) the view draws without
antialiasing and nodes without text.

Colours come from the scene's `colors` (the theme's `CanvasColors`): when they change
(`FlowScene.colors_changed`) the cached background, dot tile and miniature are redrawn.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from wadesk.ui.flows.items import GRID, LOW_DETAIL, NodeItem, category_color
from wadesk.ui.theme import LIGHT_CANVAS, CanvasColors

MIN_SCALE = 0.15
MAX_SCALE = 2.5
MINIMAP_INTERVAL_MS = 50
DOT_TILE = 10


class FlowView(QGraphicsView):
    add_node_requested = Signal(QPointF)
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FlowView")
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._pan_from: QPoint | None = None
        self._space = False
        self._dots: QPixmap | None = None
        self._dots_colors: CanvasColors | None = None  # the colours the dot tile was drawn in
        self.minimap = Minimap(self)
        self.minimap.show()
        self._update_hints()

    # -- colours ----------------------------------------------------------------------------------

    @property
    def colors(self) -> CanvasColors:
        colors = getattr(self.scene(), "colors", None)
        return colors if isinstance(colors, CanvasColors) else LIGHT_CANVAS

    def setScene(self, scene: QGraphicsScene | None) -> None:
        super().setScene(scene)
        signal = getattr(scene, "colors_changed", None)
        if signal is not None:
            signal.connect(self.restyle)
        self.restyle()

    def restyle(self) -> None:
        """Redraw the background and the minimap in the scene's current colours."""
        self._dots = None
        self.resetCachedContent()
        self.viewport().update()
        self.minimap.invalidate()

    # -- zoom --------------------------------------------------------------------------------------

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, scale: float) -> None:
        scale = max(MIN_SCALE, min(MAX_SCALE, scale))
        factor = scale / self.zoom
        if abs(factor - 1) > 1e-6:
            self.scale(factor, factor)
            self._update_hints()
            self.resetCachedContent()  # the dots depend on the zoom
            self.zoom_changed.emit(self.zoom)
            self.minimap.update()

    def _update_hints(self) -> None:
        self.setRenderHint(QPainter.RenderHint.Antialiasing, self.zoom >= LOW_DETAIL)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom_at(self.zoom * (1.15**steps), event.position())
        event.accept()

    def zoom_at(self, scale: float, pos: QPointF) -> None:
        """Zoom keeping the scene point under viewport position `pos` where it is (the
        transformation anchor alone relies on Qt's idea of where the cursor is)."""
        before = self.mapToScene(pos.toPoint())
        self.set_zoom(scale)
        after = QPointF(self.mapFromScene(before))
        self.pan_by(pos.x() - after.x(), pos.y() - after.y())

    def fit_to_view(self) -> None:
        scene = self.scene()
        if scene is None:
            return
        rect = scene.items_bounding() if hasattr(scene, "items_bounding") else QRectF()
        if rect.isNull():
            return
        self.fitInView(rect.adjusted(-40, -40, 40, 40), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom > 1.0:
            self.set_zoom(1.0)
            self.centerOn(rect.center())
        elif self.zoom < MIN_SCALE:
            self.set_zoom(MIN_SCALE)
        self._update_hints()
        self.resetCachedContent()
        self.zoom_changed.emit(self.zoom)
        self.minimap.update()

    # -- pan -----------------------------------------------------------------------------------------

    def pan_by(self, dx: float, dy: float) -> None:
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(int(h.value() - dx))
        v.setValue(int(v.value() - dy))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        middle = event.button() == Qt.MouseButton.MiddleButton
        space = event.button() == Qt.MouseButton.LeftButton and self._space
        if middle or space:
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            pos = event.position().toPoint()
            delta = pos - self._pan_from
            self._pan_from = pos
            self.pan_by(delta.x(), delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(
                Qt.CursorShape.OpenHandCursor if self._space else Qt.CursorShape.ArrowCursor
            )
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
            event.accept()
            return
        super().keyReleaseEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Tab:
                cursor = self.mapFromGlobal(self.cursor().pos())
                if not self.viewport().rect().contains(cursor):
                    cursor = self.viewport().rect().center()
                self.add_node_requested.emit(self.mapToScene(cursor))
                return True
        return super().event(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)  # scrolls the viewport's children too: put it back
        self.minimap.place()
        self.minimap.schedule()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.minimap.place()

    # -- background --------------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        colors = self.colors
        painter.fillRect(rect, QColor(colors.background))
        if self.zoom < 0.45:
            return
        if self._dots is None or self._dots_colors != colors:
            # a tile of DOT_TILE × DOT_TILE grid cells: few blits per paint
            side = int(GRID) * DOT_TILE
            self._dots = QPixmap(side, side)
            self._dots.fill(QColor(colors.background))
            self._dots_colors = colors
            p = QPainter(self._dots)
            p.setPen(QPen(QColor(colors.grid), 2))
            for i in range(DOT_TILE):
                for j in range(DOT_TILE):
                    p.drawPoint(int(i * GRID), int(j * GRID))
            p.end()
        tile = GRID * DOT_TILE
        offset = QPointF(rect.left() % tile, rect.top() % tile)
        painter.drawTiledPixmap(rect, self._dots, offset)


class Minimap(QWidget):
    """The whole flow in miniature with the visible area; click or drag to move there."""

    SIZE = (180, 120)

    def __init__(self, view: FlowView) -> None:
        super().__init__(view.viewport())
        self.view = view
        self.setObjectName("FlowMinimap")
        self.resize(*self.SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._cache: QPixmap | None = None
        self._timer = QTimer(self)  # throttles repaints while the view pans
        self._timer.setSingleShot(True)
        self._timer.setInterval(MINIMAP_INTERVAL_MS)
        self._timer.timeout.connect(self.update)
        self.paints = 0  # paintEvent count (the bench and tests read it)

    def schedule(self) -> None:
        """Repaint soon (at most once per interval however often the view moves)."""
        if not self._timer.isActive():
            self._timer.start()

    def place(self) -> None:
        vp = self.view.viewport().rect()
        self.move(vp.right() - self.width() - 12, vp.bottom() - self.height() - 12)

    def _mapping(self) -> tuple[QRectF, float, QPointF] | None:
        scene = self.view.scene()
        if scene is None or not hasattr(scene, "items_bounding"):
            return None
        world = scene.items_bounding()
        if world.isNull():
            world = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        world = world.adjusted(-40, -40, 40, 40)
        inner = QRectF(self.rect()).adjusted(6, 6, -6, -6)
        scale = min(inner.width() / world.width(), inner.height() / world.height())
        offset = QPointF(
            inner.left() + (inner.width() - world.width() * scale) / 2,
            inner.top() + (inner.height() - world.height() * scale) / 2,
        )
        return world, scale, offset

    def invalidate(self) -> None:
        """The nodes changed: redraw the miniature on the next paint."""
        self._cache = None
        self.update()

    def _nodes_pixmap(self, world: QRectF, scale: float, offset: QPointF) -> QPixmap:
        if self._cache is not None:
            return self._cache
        pix = QPixmap(self.size())
        pix.fill(QColor(0, 0, 0, 0))
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colors = self.view.colors
        p.setPen(QPen(QColor(colors.minimap_border), 1))
        p.setBrush(QColor(colors.minimap))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        p.setPen(Qt.PenStyle.NoPen)
        for item in self.view.scene().node_items():  # type: ignore[attr-defined]
            assert isinstance(item, NodeItem)
            category = item.node_type.category if item.node_type else ""
            p.setBrush(category_color(category))
            p.drawRect(_to_mini(item.sceneBoundingRect(), world, scale, offset))
        p.end()
        self._cache = pix
        return pix

    def paintEvent(self, event: QPaintEvent) -> None:
        self.paints += 1
        m = self._mapping()
        p = QPainter(self)
        if m is None:
            return
        world, scale, offset = m
        p.drawPixmap(0, 0, self._nodes_pixmap(world, scale, offset))
        visible = self.view.mapToScene(self.view.viewport().rect()).boundingRect()
        p.setClipRect(QRectF(self.rect()).adjusted(2, 2, -2, -2))
        frame = QColor(self.view.colors.select)
        p.setPen(QPen(frame, 1.5))
        frame.setAlpha(30)
        p.setBrush(frame)
        p.drawRect(_to_mini(visible, world, scale, offset))

    def _go(self, pos: QPointF) -> None:
        m = self._mapping()
        if m is None:
            return
        world, scale, offset = m
        target = QPointF(
            world.left() + (pos.x() - offset.x()) / scale,
            world.top() + (pos.y() - offset.y()) / scale,
        )
        self.view.centerOn(target)
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._go(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._go(event.position())


def _to_mini(r: QRectF, world: QRectF, scale: float, offset: QPointF) -> QRectF:
    return QRectF(
        offset.x() + (r.left() - world.left()) * scale,
        offset.y() + (r.top() - world.top()) * scale,
        max(2.0, r.width() * scale),
        max(2.0, r.height() * scale),
    )
