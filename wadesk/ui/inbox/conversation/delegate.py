"""`MessageDelegate`: paints message bubbles and answers where a click landed.

Each row is laid out once per (message id, width, revision) — the model's `RevisionRole`
changes whenever something that affects the size changes — and the `BubbleLayout` (rectangles
plus the `QTextDocument` of the text) is kept in a bounded LRU cache, so scrolling through long
conversations never re-lays text out (qutebrowser's FIXME #121). Text uses WhatsApp's
formatting (`formatting.to_html`); links are real anchors. Ticks, the clock, the warning sign
and card icons are drawn with paths, so they look the same with any font.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPalette,
    QPen,
    QTextDocument,
)
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem, QWidget

from wadesk.core.enums import Direction, MessageStatus, MessageType
from wadesk.core.models import Message
from wadesk.ui.inbox.conversation.content import MediaInfo
from wadesk.ui.inbox.conversation.formatting import local_time, to_html
from wadesk.ui.inbox.conversation.painting import (
    BubbleColors,
    colors_for,
    draw_card_icon,
    draw_progress,
    draw_status,
)
from wadesk.ui.inbox.conversation.roles import Quote, Role
from wadesk.ui.sizes import format_size

PAD = 8
MARGIN = 12
DAY_H = 30
QUOTE_H = 42
CARD_H = 58
META_H = 16
REACTION_H = 22
CACHE_SIZE = 3000
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(slots=True)
class BubbleLayout:
    """Where everything of one row goes, relative to the row's top-left corner."""

    size: QSize
    bubble: QRectF
    day: QRectF | None = None
    day_text: str = ""
    header: QRectF | None = None
    quote: QRectF | None = None
    card: QRectF | None = None
    thumb: QRectF | None = None
    doc: QTextDocument | None = None
    doc_pos: QPointF = field(default_factory=QPointF)
    meta: QRectF = field(default_factory=QRectF)
    error_doc: QTextDocument | None = None
    error_pos: QPointF = field(default_factory=QPointF)
    actions: dict[str, QRectF] = field(default_factory=dict)
    reaction: QRectF | None = None


class MessageDelegate(QStyledItemDelegate):
    """Draws one message per row of a `MessageListModel`.

    Attributes:
        width: the width rows are laid out for (the view sets it on resize).
        layouts_built: how many layouts were computed (cache misses; for tests).
        colors_computed: how many times the bubble colours were derived from a palette
            (once per palette change, not per size hint; for tests).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.width = 600
        self.layouts_built = 0
        self._cache: OrderedDict[tuple[Any, ...], BubbleLayout] = OrderedDict()
        self._sizes: dict[tuple[int, int], QSize] = {}
        self._dark = False
        self._colors: BubbleColors | None = None
        self._palette_key: int | None = None
        self.colors_computed = 0
        # (done, total) of an inbound media download in flight, by message id (the view's
        # MediaProgressTracker); painted over the card, never part of the layout
        self.progress: Callable[[int], tuple[int, int | None] | None] | None = None

    # -- Qt API -------------------------------------------------------------------------------

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        key = self.cache_key(index, option)
        if key is None:  # loading: an evicted row keeps the height it had
            return self._sizes.get((index.data(Role.ID), self.width), QSize(self.width, 40))
        size = self._layout(index, key, option.font).size
        self._sizes[key[:2]] = size  # (message id, width)
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        layout = self.layout_for(index, option)
        message = index.data(Role.MESSAGE)
        if layout is None or not isinstance(message, Message):
            return
        colors = self.colors(option.palette)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(QPointF(option.rect.topLeft()))
        self._paint_row(painter, option, index, message, layout, colors)
        painter.restore()

    # -- layout -------------------------------------------------------------------------------

    def colors(self, palette: QPalette) -> BubbleColors:
        """The bubble colours of `palette`, derived again only when the palette changed."""
        key = int(palette.cacheKey())
        if self._colors is None or key != self._palette_key:
            self._colors = colors_for(palette)
            self._palette_key = key
            self.colors_computed += 1
        return self._colors

    def clear_cache(self) -> None:
        self._cache.clear()
        self._sizes.clear()

    def cache_key(
        self, index: AnyIndex, option: QStyleOptionViewItem | None = None
    ) -> tuple[Any, ...] | None:
        """(message id, width, revision, dark) of a row; None while it loads."""
        if option is not None:
            self._dark = self.colors(option.palette).dark
        token = getattr(index.model(), "layout_token", None)
        if token is not None:  # a MessageListModel: one call instead of three data() calls
            found = token(index.row())
            return None if found is None else (found[0], self.width, found[1], self._dark)
        if not index.data(Role.LOADED):
            return None
        return (index.data(Role.ID), self.width, index.data(Role.REVISION), self._dark)

    def layout_for(
        self, index: AnyIndex, option: QStyleOptionViewItem | None = None
    ) -> BubbleLayout | None:
        """The cached layout of a row (built on a miss); None while the row is loading."""
        key = self.cache_key(index, option)
        font = option.font if option is not None else QFont()
        return None if key is None else self._layout(index, key, font)

    def _layout(self, index: AnyIndex, key: tuple[Any, ...], font: QFont) -> BubbleLayout:
        found = self._cache.get(key)
        if found is not None:
            self._cache.move_to_end(key)
            return found
        layout = self._build(index, font)
        self.layouts_built += 1
        self._cache[key] = layout
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return layout

    def _small(self, font: QFont) -> QFont:
        small = QFont(font)
        small.setPointSizeF(max(7.0, font.pointSizeF() * 0.82))
        return small

    def _build(self, index: AnyIndex, font: QFont) -> BubbleLayout:
        message: Message = index.data(Role.MESSAGE)
        colors = self._colors
        if colors is None or colors.dark != self._dark:
            colors = BubbleColors.make(self._dark)
        small = self._small(font)
        fm, sfm = QFontMetrics(font), QFontMetrics(small)
        max_w = max(160, min(int(self.width * 0.75), 540))
        inner_max = max_w - 2 * PAD
        y = 0.0
        day_text = index.data(Role.DAY_SEPARATOR) or ""
        day = None
        if day_text:
            tw = sfm.horizontalAdvance(day_text) + 24
            day = QRectF((self.width - tw) / 2, 6, tw, DAY_H - 10)
            y += DAY_H
        y += 8 if index.data(Role.GROUP_START) else 2
        is_note = message.type is MessageType.NOTE
        parts_w: list[float] = []
        cy = float(PAD)
        header = None
        if is_note:
            header = QRectF(PAD, cy, inner_max, sfm.height())
            parts_w.append(sfm.horizontalAdvance(self.tr("Private note · not sent")))
            cy += sfm.height() + 4
        quote: Quote | None = index.data(Role.REPLY_QUOTE)
        quote_rect = None
        if quote is not None:
            quote_rect = QRectF(PAD, cy, inner_max, QUOTE_H)
            parts_w.append(min(inner_max, max(140, sfm.horizontalAdvance(quote.text) + 20)))
            cy += QUOTE_H + 6
        card, thumb_rect, actions, media_h = self._media_block(index, cy, inner_max, sfm)
        if media_h:
            parts_w.append((card or thumb_rect or QRectF()).width())
            cy += media_h
        text = index.data(Role.TEXT) or ""
        if message.type is MessageType.REVOKE:
            text = self.tr("This message was deleted")
        doc = None
        doc_pos = QPointF(PAD, cy)
        if text:
            doc = self._doc(to_html(text, colors.link), font, inner_max)
            parts_w.append(doc.idealWidth())
            cy += doc.size().height()
        meta_w = sfm.horizontalAdvance("00:00") + (
            22 if message.direction is Direction.OUTBOUND else 4
        )
        parts_w.append(meta_w)
        error_text = index.data(Role.ERROR)
        error_doc = None
        error_pos = QPointF()
        if error_text:
            error_doc = self._doc(_escape(error_text), small, inner_max, colors.error)
            error_pos = QPointF(PAD, cy + 2)
            parts_w.append(error_doc.idealWidth())
            cy += error_doc.size().height() + 2
        content_w = min(inner_max, max([*parts_w, 60.0]))
        if quote_rect is not None:
            quote_rect.setWidth(content_w)
        if doc is not None:
            doc.setTextWidth(content_w + 1)
        meta = QRectF(PAD + content_w - meta_w, cy, meta_w, META_H)
        cy += META_H
        if error_text:
            label = self._retry_label(message)
            rw = sfm.horizontalAdvance(label) + 16
            actions["retry"] = QRectF(PAD, cy - META_H, rw, META_H + 2)
        bubble_w = content_w + 2 * PAD
        bubble_h = cy + PAD
        if message.direction is Direction.OUTBOUND:
            x = self.width - MARGIN - bubble_w
        else:
            x = MARGIN
        bubble = QRectF(x, y, bubble_w, bubble_h)
        total_h = y + bubble_h
        reaction = self._reaction_rect(index.data(Role.REACTION), bubble, message, fm)
        if reaction is not None:
            total_h += REACTION_H - 2
        shift = QPointF(x, y)
        return BubbleLayout(
            size=QSize(self.width, int(total_h + 2)),
            bubble=bubble,
            day=day,
            day_text=day_text,
            header=header.translated(shift) if header else None,
            quote=quote_rect.translated(shift) if quote_rect else None,
            card=card.translated(shift) if card else None,
            thumb=thumb_rect.translated(shift) if thumb_rect else None,
            doc=doc,
            doc_pos=doc_pos + shift,
            meta=meta.translated(shift),
            error_doc=error_doc,
            error_pos=error_pos + shift,
            actions={k: r.translated(shift) for k, r in actions.items()},
            reaction=reaction,
        )

    def _media_block(
        self, index: AnyIndex, cy: float, inner_max: int, sfm: QFontMetrics
    ) -> tuple[QRectF | None, QRectF | None, dict[str, QRectF], float]:
        """(card, thumbnail rect, clickable parts, height taken) of a message's media."""
        media: MediaInfo = index.data(Role.MEDIA)
        thumb: QImage | None = index.data(Role.THUMBNAIL)
        if media is None or not media.kind:
            return None, None, {}, 0.0
        if thumb is not None and not thumb.isNull():
            rect = QRectF(PAD, cy, thumb.width(), thumb.height())
            return None, rect, {"open": QRectF(rect)}, thumb.height() + 6.0
        card = QRectF(PAD, cy, min(inner_max, 300), CARD_H)
        links = self._card_actions(media, card, sfm)
        lines = 2 + len(media.details) + (1 if links else 0)
        card.setHeight(max(CARD_H, 12 + lines * sfm.height()))
        return card, None, self._card_actions(media, card, sfm), card.height() + 6.0

    def _reaction_rect(
        self, reactions: str | None, bubble: QRectF, message: Message, fm: QFontMetrics
    ) -> QRectF | None:
        if not reactions:
            return None
        rw = fm.horizontalAdvance(reactions) + 16
        outbound = message.direction is Direction.OUTBOUND
        rx = bubble.right() - rw - 8 if outbound else bubble.left() + 8
        return QRectF(rx, bubble.bottom() - 4, rw, REACTION_H)

    def _card_actions(self, media: MediaInfo, card: QRectF, sfm: QFontMetrics) -> dict[str, QRectF]:
        y = card.bottom() - sfm.height() - 6
        x = card.left() + 52
        result: dict[str, QRectF] = {}
        names: list[tuple[str, str]] = []
        if media.kind == "location" and media.latitude is not None and media.longitude is not None:
            names.append(("map", self.tr("Open in map")))
        elif media.downloaded and media.kind not in ("contacts", "unsupported"):
            names += [("open", self.tr("Open")), ("save", self.tr("Save…"))]
        for name, label in names:
            w = sfm.horizontalAdvance(label) + 4
            result[name] = QRectF(x, y, w, sfm.height() + 2)
            x += w + 14
        return result

    def _doc(self, html: str, font: QFont, width: float, color: str | None = None) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(0)
        if color:
            doc.setDefaultStyleSheet(f"body {{ color: {color}; }}")
            html = f"<body>{html}</body>"
        doc.setHtml(html)
        doc.setTextWidth(width)
        ideal = doc.idealWidth()
        doc.setTextWidth(min(width, ideal + 1))
        return doc

    # -- hit testing --------------------------------------------------------------------------

    def hit(self, index: AnyIndex, pos: QPointF) -> tuple[str, str] | None:
        """What is under `pos` (relative to the row's top-left): ("link", url), ("quote", ""),
        ("retry", ""), ("open", ""), ("save", ""), ("map", ""), ("bubble", "") or None."""
        layout = self.layout_for(index)
        if layout is None:
            return None
        for name, rect in layout.actions.items():
            if rect.contains(pos):
                return name, ""
        if layout.quote is not None and layout.quote.contains(pos):
            return "quote", ""
        if layout.doc is not None:
            local = pos - layout.doc_pos
            anchor = layout.doc.documentLayout().anchorAt(local)
            if anchor:
                return "link", anchor
        if layout.bubble.contains(pos):
            return "bubble", ""
        return None

    # -- painting -----------------------------------------------------------------------------

    def _paint_row(
        self,
        p: QPainter,
        option: QStyleOptionViewItem,
        index: AnyIndex,
        message: Message,
        layout: BubbleLayout,
        colors: BubbleColors,
    ) -> None:
        small = self._small(option.font)
        if layout.day is not None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(colors.day_bg))
            p.drawRoundedRect(layout.day, 8, 8)
            p.setFont(small)
            p.setPen(QColor(colors.muted))
            p.drawText(layout.day, Qt.AlignmentFlag.AlignCenter, layout.day_text)
        is_note = message.type is MessageType.NOTE
        if is_note:
            fill = colors.note
        elif message.direction is Direction.OUTBOUND:
            fill = colors.outbound
        else:
            fill = colors.inbound
        selected = bool(option.state & option.state.State_Selected)  # type: ignore[attr-defined]
        p.setBrush(QColor(fill))
        pen = QPen(QColor(colors.selected_border if selected else colors.border))
        pen.setWidthF(2.0 if selected else 1.0)
        if is_note:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawRoundedRect(layout.bubble, 9, 9)
        text_color = QColor(colors.text)
        if layout.header is not None:
            p.setFont(small)
            p.setPen(QColor(colors.note_text))
            p.drawText(
                layout.header, Qt.AlignmentFlag.AlignLeft, self.tr("Private note · not sent")
            )
        quote: Quote | None = index.data(Role.REPLY_QUOTE)
        if layout.quote is not None and quote is not None:
            self._paint_quote(p, layout.quote, quote, small, colors)
        if layout.thumb is not None:
            thumb: QImage | None = index.data(Role.THUMBNAIL)
            if thumb is not None:
                p.drawImage(layout.thumb, thumb)
        if layout.card is not None:
            self._paint_card(p, layout, index.data(Role.MEDIA), small, colors, message)
        if layout.doc is not None:
            p.save()
            p.translate(layout.doc_pos)
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.palette.setColor(QPalette.ColorRole.Text, text_color)
            layout.doc.documentLayout().draw(p, ctx)
            p.restore()
        if layout.error_doc is not None:
            p.save()
            p.translate(layout.error_pos)
            ctx = QAbstractTextDocumentLayout.PaintContext()
            ctx.palette.setColor(QPalette.ColorRole.Text, QColor(colors.error))
            layout.error_doc.documentLayout().draw(p, ctx)
            p.restore()
        retry = layout.actions.get("retry")
        if retry is not None:
            p.setFont(small)
            p.setPen(QColor(colors.link))
            label = self._retry_label(message)
            f = QFont(small)
            f.setBold(True)
            p.setFont(f)
            p.drawText(retry, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        self._paint_meta(p, layout.meta, message, small, colors)
        if layout.reaction is not None:
            p.setPen(QPen(QColor(colors.border)))
            p.setBrush(QColor(colors.inbound))
            p.drawRoundedRect(layout.reaction, 10, 10)
            p.setFont(option.font)
            p.setPen(text_color)
            p.drawText(layout.reaction, Qt.AlignmentFlag.AlignCenter, index.data(Role.REACTION))

    def _paint_quote(
        self, p: QPainter, rect: QRectF, quote: Quote, font: QFont, colors: BubbleColors
    ) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(colors.quote_bg))
        p.drawRoundedRect(rect, 6, 6)
        p.setBrush(QColor(colors.accent))
        p.drawRoundedRect(QRectF(rect.left(), rect.top(), 4, rect.height()), 2, 2)
        bold = QFont(font)
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor(colors.accent))
        inner = rect.adjusted(10, 4, -6, -4)
        p.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, quote.author)
        p.setFont(font)
        p.setPen(QColor(colors.muted))
        fm = QFontMetrics(font)
        text = fm.elidedText(quote.text, Qt.TextElideMode.ElideRight, int(inner.width()))
        p.drawText(inner, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, text)

    def _card_title(self, media: MediaInfo) -> str:
        names = {
            "image": self.tr("Photo"),
            "video": self.tr("Video"),
            "audio": self.tr("Audio"),
            "voice": self.tr("Voice message"),
            "document": self.tr("Document"),
            "sticker": self.tr("Sticker"),
            "location": self.tr("Location"),
            "contacts": self.tr("Contact card"),
        }
        if media.kind == "unsupported":
            return self.tr("Unsupported message (%1)").replace("%1", media.title)
        return media.title or names.get(media.kind, media.kind)

    def _retry_label(self, message: Message) -> str:
        if message.direction is Direction.INBOUND:
            return self.tr("Download again")
        if message.status is MessageStatus.UNKNOWN:
            return self.tr("Resend")
        return self.tr("Retry")

    def download_progress(
        self, message: Message | None, media: MediaInfo
    ) -> tuple[int, int | None] | None:
        """(done, total) while this inbound message's media downloads; None otherwise."""
        if message is None or self.progress is None or media.downloaded:
            return None
        if message.direction is not Direction.INBOUND:
            return None
        return self.progress(message.id)

    def _card_line(
        self,
        media: MediaInfo,
        progress: tuple[int, int | None] | None = None,
        failed: bool = False,
    ) -> str:
        if media.kind == "location":
            if media.latitude is None or media.longitude is None:
                return ""
            return f"{media.latitude:.5f}, {media.longitude:.5f}"
        if media.kind == "unsupported":
            return self.tr("WhatsApp did not send its content to wadesk.")
        if media.kind == "contacts":
            return ""
        facts = [format_size(media.size)] if media.size else []
        if progress is not None:
            done, total = progress
            if total:
                shown = f"{min(100, int(done * 100 / total))}%"
                facts = [format_size(total)]
            else:
                shown = format_size(done)
            facts.append(self.tr("downloading… %1").replace("%1", shown))
        elif failed and not media.downloaded:
            facts.append(self.tr("download failed"))
        elif not media.downloaded:
            facts.append(self.tr("not downloaded yet"))
        return " · ".join(facts)

    def _paint_card(
        self,
        p: QPainter,
        layout: BubbleLayout,
        media: MediaInfo,
        font: QFont,
        c: BubbleColors,
        message: Message | None = None,
    ) -> None:
        card = layout.card
        assert card is not None
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(c.quote_bg))
        p.drawRoundedRect(card, 6, 6)
        draw_card_icon(p, QRectF(card.left() + 8, card.top() + 9, 36, 36), media.kind, c)
        fm = QFontMetrics(font)
        x = card.left() + 52
        width = int(card.right() - x - 6)
        bold = QFont(font)
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(QColor(c.text))
        y = card.top() + 6
        title = QFontMetrics(bold).elidedText(
            self._card_title(media), Qt.TextElideMode.ElideMiddle, width
        )
        p.drawText(QRectF(x, y, width, fm.height()), Qt.AlignmentFlag.AlignLeft, title)
        p.setFont(font)
        p.setPen(QColor(c.muted))
        progress = self.download_progress(message, media)
        if progress is not None:
            bar = QRectF(x, card.bottom() - 12, width, 4)
            done, total = progress
            draw_progress(p, bar, done / total if total else None, c)
        failed = (
            message is not None
            and message.direction is Direction.INBOUND
            and message.error_code is not None
        )
        lines = [self._card_line(media, progress, failed), *media.details]
        for line in lines:
            if not line:
                continue
            y += fm.height()
            shown = fm.elidedText(line, Qt.TextElideMode.ElideRight, width)
            p.drawText(QRectF(x, y, width, fm.height()), Qt.AlignmentFlag.AlignLeft, shown)
        labels = {"map": self.tr("Open in map"), "open": self.tr("Open"), "save": self.tr("Save…")}
        p.setPen(QColor(c.link))
        for name, rect in layout.actions.items():
            if name in labels:
                p.drawText(rect, Qt.AlignmentFlag.AlignLeft, labels[name])

    def _paint_meta(
        self, p: QPainter, rect: QRectF, message: Message, font: QFont, c: BubbleColors
    ) -> None:
        p.setFont(font)
        p.setPen(QColor(c.muted))
        when = local_time(message.timestamp).strftime("%H:%M")
        right = rect.right()
        if message.direction is Direction.OUTBOUND and message.type is not MessageType.NOTE:
            draw_status(p, QRectF(right - 18, rect.top() + 1, 16, 14), message.status, c)
            right -= 20
        p.drawText(
            QRectF(rect.left(), rect.top(), right - rect.left(), rect.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            when,
        )


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False).replace("\n", "<br>")


def status_glyph_name(status: MessageStatus) -> str:
    """What the tick of a status is called (for tests and accessibility)."""
    return {
        MessageStatus.QUEUED: "clock",
        MessageStatus.UNKNOWN: "warning",
        MessageStatus.SENT: "tick",
        MessageStatus.DELIVERED: "double-tick",
        MessageStatus.READ: "double-tick-blue",
        MessageStatus.PLAYED: "double-tick-blue",
        MessageStatus.FAILED: "warning",
    }.get(status, "")
