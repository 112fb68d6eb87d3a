"""The roles of `MessageListModel` (presentation facts computed per row) and the reply quote."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import Qt


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
