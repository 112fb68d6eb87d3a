"""How one conversation looks in the list (`ConversationDelegate`).

Three lines beside a round avatar with the contact's initials (colour chosen from the contact
id): the name, the number's label when `show_number` is set (the page sets it while "All
numbers" shows conversations of several numbers) and the time of the last message (HH:MM today,
else the date); the preview with
a type symbol and, for our own last message, its ticks; then the 24-hour window (time left or
closed), the bot/human badge and the label chips. An unread badge sits on the right. Every row
has the same height (the view uses uniform item sizes), so the size hint is computed once per
font and cached.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import (
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from wadesk.ui.inbox.list_model import Role

ROW_HEIGHT = 78
AVATAR = 46
PAD = 12
ACCENT = QColor("#25D366")
READ_BLUE = QColor("#34B7F1")
AVATAR_COLOURS = (
    "#00A884",
    "#53BDEB",
    "#FF7F66",
    "#A5B337",
    "#7F66FF",
    "#E3A72F",
    "#06CF9C",
    "#FA6533",
    "#C4532D",
    "#DC62AC",
)
TYPE_SYMBOLS: dict[str, str] = {
    "image": "◫",
    "video": "▶",
    "audio": "♪",
    "document": "▤",
    "sticker": "☺",
    "location": "⌖",
    "contacts": "☎",
    "interactive": "☰",
    "button": "☰",
    "order": "⊞",
    "reaction": "♥",
    "template": "☰",
}
TICKS: dict[str, str] = {
    "queued": "◷",
    "sent": "✓",
    "delivered": "✓✓",
    "read": "✓✓",
    "failed": "⚠",
    "unknown": "?",
}

_Index = QModelIndex | QPersistentModelIndex


def initials(name: str) -> str:
    """Up to two letters for the avatar ("Anna Karenina" → "AK", "+1 555…" → "#")."""
    words = [w for w in name.replace("(", " ").split() if w[:1].isalpha()]
    if not words:
        return "#"
    letters = words[0][0] + (words[1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_colour(contact_id: int) -> QColor:
    return QColor(AVATAR_COLOURS[contact_id % len(AVATAR_COLOURS)])


def format_list_time(value: datetime | None, today: date | None = None) -> str:
    """HH:MM for today (local time), else the short date of the current locale."""
    if value is None:
        return ""
    local = value.astimezone() if value.tzinfo else value.replace(tzinfo=UTC).astimezone()
    locale = QLocale()
    if local.date() == (today or datetime.now().astimezone().date()):
        return local.strftime("%H:%M")
    day = QDate(local.year, local.month, local.day)
    return str(locale.toString(day, QLocale.FormatType.ShortFormat))


class ConversationDelegate(QStyledItemDelegate):
    """Paints conversation rows; `size_hint_computations` counts cache misses (tests).

    Attributes:
        show_number: also show which number (its label) each conversation belongs to.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.show_number = False
        self._size_cache: dict[str, QSize] = {}
        self.size_hint_computations = 0

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        key = option.font.key()
        size = self._size_cache.get(key)
        if size is None:
            self.size_hint_computations += 1
            line = QFontMetrics(option.font).height()
            size = QSize(280, max(ROW_HEIGHT, 3 * line + 2 * PAD))
            self._size_cache[key] = size
        return size

    # -- texts (translated) ---------------------------------------------------------------------

    def window_text(self, seconds_left: int) -> str:
        if seconds_left <= 0:
            return self.tr("24h window closed")
        hours, rest = divmod(seconds_left, 3600)
        if hours:
            return self.tr("%1 h left").replace("%1", str(hours))
        return self.tr("%1 min left").replace("%1", str(max(1, rest // 60)))

    def type_text(self, kind: str) -> str:
        """What a message without text is, for the preview ("Photo", "Location", …)."""
        names = {
            "image": self.tr("Photo"),
            "video": self.tr("Video"),
            "audio": self.tr("Audio"),
            "document": self.tr("Document"),
            "sticker": self.tr("Sticker"),
            "location": self.tr("Location"),
            "contacts": self.tr("Contact card"),
            "reaction": self.tr("Reaction"),
            "order": self.tr("Order"),
            "template": self.tr("Template"),
        }
        return names.get(kind, self.tr("Message"))

    def mode_text(self, mode: str) -> str:
        return self.tr("Bot") if mode == "bot" else self.tr("Human")

    # -- painting -------------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        painter.save()
        try:
            self._paint(painter, option, index)
        finally:
            painter.restore()

    def _paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        pal = option.palette
        rect = QRect(option.rect)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        text_colour = pal.color(QPalette.ColorRole.Text)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        if selected:
            bg = QColor(pal.color(QPalette.ColorRole.Highlight))
            bg.setAlpha(60)
            painter.fillRect(rect, bg)
        elif hovered:
            painter.fillRect(rect, pal.color(QPalette.ColorRole.AlternateBase))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = pal.color(QPalette.ColorRole.Mid)
        painter.setPen(border)
        left = rect.left() + PAD + AVATAR + PAD
        painter.drawLine(left, rect.bottom(), rect.right(), rect.bottom())

        if not index.data(Role.LOADED):
            painter.setPen(muted)
            painter.drawText(
                rect.adjusted(left - rect.left(), 0, 0, 0),
                Qt.AlignmentFlag.AlignVCenter,
                self.tr("Loading…"),
            )
            return

        name = str(index.data(Role.NAME) or "")
        contact_id = int(index.data(Role.CONTACT_ID) or 0)
        top = rect.top() + (rect.height() - AVATAR) // 2
        circle = QRect(rect.left() + PAD, top, AVATAR, AVATAR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(avatar_colour(contact_id))
        painter.drawEllipse(circle)
        base = QFont(option.font)
        bold = QFont(base)
        bold.setBold(True)
        big = QFont(bold)
        big.setPointSizeF(base.pointSizeF() * 1.15)
        painter.setFont(big)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, initials(name))

        right = rect.right() - PAD
        width = right - left
        lh = QFontMetrics(base).height()
        y1 = rect.top() + PAD - 2
        y2 = y1 + lh + 3
        y3 = y2 + lh + 3
        unread = int(index.data(Role.UNREAD) or 0)

        # line 1: name, time
        time_text = format_list_time(index.data(Role.TIME))
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.88)
        fm_small = QFontMetrics(small)
        time_w = fm_small.horizontalAdvance(time_text)
        painter.setFont(small)
        painter.setPen(ACCENT if unread else muted)
        painter.drawText(
            QRect(right - time_w, y1, time_w, lh), Qt.AlignmentFlag.AlignRight, time_text
        )
        name_w = width - time_w - 8
        number = str(index.data(Role.NUMBER) or "") if self.show_number else ""
        if number:  # which of the owner's numbers: secondary text left of the time
            number_w = min(fm_small.horizontalAdvance(number) + 12, max(0, width * 2 // 5))
            chip = QRect(right - time_w - 8 - number_w, y1 + 1, number_w, fm_small.height())
            painter.setPen(muted)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            radius = chip.height() / 2
            painter.drawRoundedRect(chip.adjusted(0, 0, -1, -1), radius, radius)
            painter.drawText(
                chip,
                Qt.AlignmentFlag.AlignCenter,
                fm_small.elidedText(number, Qt.TextElideMode.ElideRight, number_w - 10),
            )
            name_w -= number_w + 6
        painter.setFont(bold)
        painter.setPen(text_colour)
        fm_bold = QFontMetrics(bold)
        painter.drawText(
            QRect(left, y1, name_w, lh),
            Qt.AlignmentFlag.AlignLeft,
            fm_bold.elidedText(name, Qt.TextElideMode.ElideRight, max(0, name_w)),
        )

        # line 2: ticks + type symbol + preview, unread badge
        x = left
        painter.setFont(base)
        fm = QFontMetrics(base)
        badge_w = 0
        if unread:
            label = str(unread) if unread < 1000 else "999+"
            badge_w = max(lh + 2, fm_small.horizontalAdvance(label) + 12)
            badge = QRect(right - badge_w, y2, badge_w, lh + 2)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(ACCENT)
            painter.drawRoundedRect(badge, (lh + 2) / 2, (lh + 2) / 2)
            painter.setFont(small)
            painter.setPen(QColor("#FFFFFF") if unread else text_colour)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, label)
            painter.setFont(base)
        if index.data(Role.LAST_DIRECTION) == "outbound":
            status = str(index.data(Role.LAST_STATUS) or "")
            tick = TICKS.get(status, "")
            if tick:
                painter.setPen(READ_BLUE if status == "read" else muted)
                if status == "failed":
                    painter.setPen(QColor("#E5484D"))
                painter.drawText(QRect(x, y2, 40, lh), Qt.AlignmentFlag.AlignLeft, tick)
                x += fm.horizontalAdvance(tick) + 4
        symbol = TYPE_SYMBOLS.get(str(index.data(Role.TYPE) or ""), "")
        painter.setPen(muted)
        if symbol:
            painter.drawText(QRect(x, y2, 30, lh), Qt.AlignmentFlag.AlignLeft, symbol)
            x += fm.horizontalAdvance(symbol) + 5
        preview = str(index.data(Role.PREVIEW) or "")
        kind = str(index.data(Role.TYPE) or "")
        if preview == f"[{kind}]":
            preview = self.type_text(kind)
        avail = right - x - (badge_w + 8 if badge_w else 0)
        painter.setPen(text_colour if unread else muted)
        painter.drawText(
            QRect(x, y2, max(0, avail), lh),
            Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(preview, Qt.TextElideMode.ElideRight, max(0, avail)),
        )

        # line 3: window, mode, labels (chips)
        painter.setFont(small)
        x = left
        left_s = int(index.data(Role.WINDOW_LEFT) or 0)
        x = self._chip(
            painter,
            x,
            y3,
            self.window_text(left_s),
            ACCENT if left_s > 0 else muted,
            fm_small,
            outline=True,
        )
        mode = str(index.data(Role.MODE) or "bot")
        x = self._chip(
            painter,
            x,
            y3,
            self.mode_text(mode),
            QColor("#7F66FF") if mode == "bot" else QColor("#E3A72F"),
            fm_small,
            outline=True,
        )
        if index.data(Role.STATE) == "resolved":
            x = self._chip(painter, x, y3, self.tr("Resolved"), muted, fm_small, outline=True)
        labels = list(index.data(Role.LABELS) or [])
        self._paint_labels(painter, x, y3, right, labels, muted, fm_small)

    def _paint_labels(
        self,
        painter: QPainter,
        x: int,
        y: int,
        right: int,
        labels: list[tuple[str, str]],
        muted: QColor,
        fm: QFontMetrics,
    ) -> None:
        """Label chips from `x`; those that do not fit become "+N" (never past `right`)."""
        for n, (label_name, colour) in enumerate(labels):
            more = f"+{len(labels) - n}"
            room = right - x - (fm.horizontalAdvance(more) + 17 if n < len(labels) - 1 else 0)
            if fm.horizontalAdvance(str(label_name)) + 12 > room:
                if x + fm.horizontalAdvance(more) + 12 <= right:
                    self._chip(painter, x, y, more, muted, fm, outline=True)
                break
            x = self._chip(painter, x, y, str(label_name), QColor(str(colour)), fm)

    def _chip(
        self,
        painter: QPainter,
        x: int,
        y: int,
        text: str,
        colour: QColor,
        fm: QFontMetrics,
        *,
        outline: bool = False,
    ) -> int:
        w = fm.horizontalAdvance(text) + 12
        h = fm.height() + 2
        chip = QRect(x, y, w, h)
        if outline:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(colour)
            painter.drawRoundedRect(chip.adjusted(0, 0, -1, -1), h / 2, h / 2)
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(chip, h / 2, h / 2)
            painter.setPen(QColor("#FFFFFF") if colour.lightness() < 170 else QColor("#111B21"))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        return x + w + 5
