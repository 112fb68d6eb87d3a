"""`BotsModel`: the table of the Bots page — each bot with its number, flow, triggers,
active switch, published revision and today's counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from wadesk.engine.bots.models import Bot, BotStats

COLUMNS = (
    "name",
    "number",
    "flow",
    "triggers",
    "active",
    "revision",
    "running",
    "completed",
    "handed_off",
    "errors_today",
)
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class BotRow:
    bot: Bot
    number: str = ""
    flow: str = ""
    triggers: str = ""
    stats: BotStats = field(default_factory=BotStats)


def header_title(column: str) -> str:
    titles = {
        "name": QCoreApplication.translate("BotsModel", "Bot"),
        "number": QCoreApplication.translate("BotsModel", "Number"),
        "flow": QCoreApplication.translate("BotsModel", "Flow"),
        "triggers": QCoreApplication.translate("BotsModel", "Triggers"),
        "active": QCoreApplication.translate("BotsModel", "Status"),
        "revision": QCoreApplication.translate("BotsModel", "Published"),
        "running": QCoreApplication.translate("BotsModel", "Running"),
        "completed": QCoreApplication.translate("BotsModel", "Completed"),
        "handed_off": QCoreApplication.translate("BotsModel", "Handed off"),
        "errors_today": QCoreApplication.translate("BotsModel", "Errors today"),
    }
    return titles[column]


class BotsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[BotRow] = []

    def set_rows(self, rows: Sequence[BotRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> BotRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, bot_id: int) -> int:
        for i, r in enumerate(self._rows):
            if r.bot.id == bot_id:
                return i
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return header_title(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None or not 0 <= index.column() < len(COLUMNS):
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == "active":
                return QColor("#008069" if row.bot.active else "#667781")
            if column == "errors_today" and row.stats.errors_today:
                return QColor("#B42318")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            "running",
            "completed",
            "handed_off",
            "errors_today",
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.bot.id
        return None

    def _display(self, row: BotRow, column: str) -> str:
        bot, stats = row.bot, row.stats
        if column == "name":
            return bot.name
        if column == "number":
            return row.number
        if column == "flow":
            return row.flow
        if column == "triggers":
            return row.triggers
        if column == "active":
            return "● " + (
                QCoreApplication.translate("BotsModel", "Active")
                if bot.active
                else QCoreApplication.translate("BotsModel", "Off")
            )
        if column == "revision":
            return (
                QCoreApplication.translate("BotsModel", "rev. %1").replace("%1", str(bot.revision))
                if bot.revision
                else "—"
            )
        return str(getattr(stats, column))
