"""Helpers for the flow editor GUI tests: synthetic mouse and drag-and-drop events sent to a
`FlowView`'s viewport at scene positions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from wadesk.ui.flows.palette import Palette
from wadesk.ui.flows.view import FlowView

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.MouseButton.NoButton


def mouse(
    view: FlowView,
    kind: QEvent.Type,
    scene_pos: QPointF,
    button: Qt.MouseButton = LEFT,
    buttons: Qt.MouseButton = LEFT,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    local = QPointF(view.mapFromScene(scene_pos))
    global_pos = QPointF(view.viewport().mapToGlobal(local.toPoint()))
    event = QMouseEvent(kind, local, global_pos, button, buttons, modifiers)
    QApplication.sendEvent(view.viewport(), event)


def drag(view: FlowView, start: QPointF, end: QPointF, steps: int = 6) -> None:
    """Press at `start`, move in steps with the left button held, release at `end`."""
    mouse(view, QEvent.Type.MouseButtonPress, start)
    for i in range(1, steps + 1):
        t = i / steps
        p = QPointF(start.x() + (end.x() - start.x()) * t, start.y() + (end.y() - start.y()) * t)
        mouse(view, QEvent.Type.MouseMove, p, NONE, LEFT)
    mouse(view, QEvent.Type.MouseButtonRelease, end, LEFT, NONE)


def drop_type(view: FlowView, type_name: str, scene_pos: QPointF) -> None:
    """A palette drag of `type_name` dropped on the canvas at `scene_pos`."""
    data = Palette.mime_for(type_name)
    local = view.mapFromScene(scene_pos)
    action = Qt.DropAction.CopyAction
    for cls in (QDragEnterEvent, QDragMoveEvent):
        ev = cls(local, action, data, LEFT, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(view.viewport(), ev)
    drop = QDropEvent(QPointF(local), action, data, LEFT, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view.viewport(), drop)
