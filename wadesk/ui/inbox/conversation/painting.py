"""Colours and small drawn glyphs of the message view: bubble colours for light and dark,
delivery ticks (clock, ✓, ✓✓, blue ✓✓, warning), the icons of media cards and the download
progress bar. Drawn with paths so they look the same whatever fonts the machine has."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPalette, QPen

from wadesk.core.enums import MessageStatus

READ_BLUE = "#53BDEB"


@dataclass(frozen=True, slots=True)
class BubbleColors:
    dark: bool
    background: str
    inbound: str
    outbound: str
    note: str
    note_text: str
    text: str
    muted: str
    border: str
    selected_border: str
    quote_bg: str
    day_bg: str
    accent: str
    link: str
    error: str

    @classmethod
    def make(cls, dark: bool) -> BubbleColors:
        if dark:
            return cls(
                dark=True,
                background="#0B141A",
                inbound="#202C33",
                outbound="#005C4B",
                note="#3D3514",
                note_text="#F5D76E",
                text="#E9EDEF",
                muted="#8696A0",
                border="#26343C",
                selected_border="#25D366",
                quote_bg="#1A252B",
                day_bg="#182229",
                accent="#25D366",
                link="#53BDEB",
                error="#FFB4AB",
            )
        return cls(
            dark=False,
            background="#EFEAE2",
            inbound="#FFFFFF",
            outbound="#D9FDD3",
            note="#FFF4C2",
            note_text="#7A5B00",
            text="#111B21",
            muted="#667781",
            border="#E2DDD5",
            selected_border="#128C7E",
            quote_bg="#F0F2F5",
            day_bg="#FFFFFF",
            accent="#128C7E",
            link="#027EB5",
            error="#B42318",
        )


def colors_for(palette: QPalette) -> BubbleColors:
    """Dark bubbles when the palette's text is light (a dark theme).

    The text colour, not the window colour: the message list paints its own wallpaper with a
    style sheet, which pins its palette's window colour to the wallpaper of the theme it was
    set in, so that colour cannot tell when the theme changes.
    """
    return BubbleColors.make(palette.color(QPalette.ColorRole.Text).lightness() >= 128)


def _tick(path: QPainterPath, x: float, y: float, s: float) -> None:
    path.moveTo(x, y + s * 0.55)
    path.lineTo(x + s * 0.32, y + s * 0.85)
    path.lineTo(x + s * 0.9, y + s * 0.2)


def draw_status(p: QPainter, rect: QRectF, status: MessageStatus, c: BubbleColors) -> None:
    """The delivery glyph of an outbound message inside `rect` (about 16×14)."""
    p.save()
    muted = QColor(c.muted)
    s = min(rect.width(), rect.height())
    if status is MessageStatus.QUEUED:
        pen = QPen(muted, 1.3)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        center = rect.center()
        r = s * 0.42
        p.drawEllipse(center, r, r)
        p.drawLine(center, QPointF(center.x(), center.y() - r * 0.65))
        p.drawLine(center, QPointF(center.x() + r * 0.5, center.y()))
    elif status in (MessageStatus.FAILED, MessageStatus.UNKNOWN):
        color = QColor(c.error)
        path = QPainterPath()
        path.moveTo(rect.center().x(), rect.top())
        path.lineTo(rect.right(), rect.bottom())
        path.lineTo(rect.left(), rect.bottom())
        path.closeSubpath()
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawPath(path)
        p.setPen(QPen(QColor("#FFFFFF"), 1.6))
        cx = rect.center().x()
        p.drawLine(QPointF(cx, rect.top() + s * 0.35), QPointF(cx, rect.bottom() - s * 0.35))
        p.drawPoint(QPointF(cx, rect.bottom() - s * 0.17))
    elif status in (
        MessageStatus.SENT,
        MessageStatus.DELIVERED,
        MessageStatus.READ,
        MessageStatus.PLAYED,
    ):
        blue = status in (MessageStatus.READ, MessageStatus.PLAYED)
        pen = QPen(QColor(READ_BLUE) if blue else muted, 1.5)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath()
        size = s * 0.95
        if status is MessageStatus.SENT:
            _tick(path, rect.left() + 3, rect.top() + 1, size)
        else:
            _tick(path, rect.left(), rect.top() + 1, size)
            _tick(path, rect.left() + 5, rect.top() + 1, size)
        p.drawPath(path)
    p.restore()


def draw_card_icon(p: QPainter, rect: QRectF, kind: str, c: BubbleColors) -> None:
    """A round badge with a simple glyph for a media card."""
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(c.accent if kind != "unsupported" else c.muted))
    p.drawEllipse(rect)
    white = QColor("#FFFFFF")
    p.setPen(QPen(white, 2.0))
    p.setBrush(Qt.BrushStyle.NoBrush)
    inner = rect.adjusted(10, 10, -10, -10)
    if kind in ("video", "audio", "voice"):
        path = QPainterPath()
        path.moveTo(inner.left() + 2, inner.top())
        path.lineTo(inner.right(), inner.center().y())
        path.lineTo(inner.left() + 2, inner.bottom())
        path.closeSubpath()
        p.setBrush(white)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPath(path)
    elif kind == "location":
        p.drawEllipse(QPointF(inner.center().x(), inner.top() + 5), 4.5, 4.5)
        p.drawLine(
            QPointF(inner.center().x(), inner.top() + 10),
            QPointF(inner.center().x(), inner.bottom()),
        )
    elif kind == "contacts":
        p.drawEllipse(QPointF(inner.center().x(), inner.top() + 4), 4, 4)
        p.drawArc(inner.adjusted(0, 9, 0, 8), 0, 180 * 16)
    elif kind == "unsupported":
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, "?")
    else:  # document, image, sticker
        p.drawRect(inner.adjusted(2, 0, -2, 0))
        p.drawLine(
            QPointF(inner.left() + 5, inner.center().y()),
            QPointF(inner.right() - 5, inner.center().y()),
        )
    p.restore()


def draw_progress(p: QPainter, rect: QRectF, fraction: float | None, c: BubbleColors) -> None:
    """A thin rounded progress bar; `fraction` 0–1, or None (total unknown) for a short
    segment that says "working"."""
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    track = QColor(c.muted)
    track.setAlpha(70)
    p.setBrush(track)
    radius = rect.height() / 2
    p.drawRoundedRect(rect, radius, radius)
    if fraction is None:
        filled = QRectF(rect.left(), rect.top(), rect.width() * 0.3, rect.height())
    else:
        share = max(0.0, min(1.0, fraction))
        filled = QRectF(
            rect.left(), rect.top(), max(rect.height(), rect.width() * share), rect.height()
        )
    p.setBrush(QColor(c.accent))
    p.drawRoundedRect(filled, radius, radius)
    p.restore()
