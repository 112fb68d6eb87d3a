"""The roles of `MessageListModel` (presentation facts computed per row), how each is computed
(`GETTERS`), and the reply quote."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QLocale, Qt

from wadesk.ui.inbox.conversation.content import body_text, explain_failure, media_info
from wadesk.ui.inbox.conversation.formatting import local_time


class Role(IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    MESSAGE = Qt.ItemDataRole.UserRole + 2
    TEXT = Qt.ItemDataRole.UserRole + 3
    DIRECTION = Qt.ItemDataRole.UserRole + 4
    TIME = Qt.ItemDataRole.UserRole + 5
    STATUS = Qt.ItemDataRole.UserRole + 6
    DAY_SEPARATOR = Qt.ItemDataRole.UserRole + 7
    GROUP_START = Qt.ItemDataRole.UserRole + 8
    REPLY_QUOTE = Qt.ItemDataRole.UserRole + 9
    REACTION = Qt.ItemDataRole.UserRole + 10
    MEDIA = Qt.ItemDataRole.UserRole + 11
    ERROR = Qt.ItemDataRole.UserRole + 12
    TYPE = Qt.ItemDataRole.UserRole + 13
    THUMBNAIL = Qt.ItemDataRole.UserRole + 14
    REVISION = Qt.ItemDataRole.UserRole + 15
    LOADED = Qt.ItemDataRole.UserRole + 16


@dataclass(frozen=True, slots=True)
class Quote:
    """What a reply quotes: the original's author, a one-line text, and its id when known."""

    author: str
    text: str
    message_id: int | None


Getter = Callable[[Any, Any, int], Any]
"""(model, its cached `Item` of the row, row) -> the role's value."""

GETTERS: dict[int, Getter] = {
    Qt.ItemDataRole.DisplayRole: lambda _s, i, _r: body_text(i.message),
    Role.TEXT: lambda _s, i, _r: body_text(i.message),
    Role.MESSAGE: lambda _s, i, _r: i.message,
    Role.DIRECTION: lambda _s, i, _r: i.message.direction,
    Role.TIME: lambda _s, i, _r: i.message.timestamp,
    Role.STATUS: lambda _s, i, _r: i.message.status,
    Role.TYPE: lambda _s, i, _r: i.message.type,
    Role.DAY_SEPARATOR: lambda s, i, r: s._day_separator(i, r),
    Role.GROUP_START: lambda s, i, r: s._group_start(i, r),
    Role.REPLY_QUOTE: lambda s, i, _r: s._quote(i.message),
    Role.REACTION: lambda s, i, _r: s._reactions(i.message),
    Role.MEDIA: lambda _s, i, _r: media_info(i.message, i.media_mime, i.media_size),
    Role.ERROR: lambda s, i, _r: explain_failure(i.message, s._language()),
    Role.THUMBNAIL: lambda s, i, _r: s._thumbnail(i),
    Role.REVISION: lambda s, i, r: s._revision(i, r),
    Qt.ItemDataRole.ToolTipRole: lambda _s, i, _r: QLocale().toString(
        local_time(i.message.timestamp), QLocale.FormatType.LongFormat
    ),
}
