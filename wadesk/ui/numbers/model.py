"""`NumbersModel`: a table over `engine.number_overview()` rows (one per configured number).

Columns: label, phone, active, checks, quality rating, messaging tier, business-initiated
conversations in the last 24 hours against the tier's limit, last webhook, callback
registration. The model is replaced wholesale by `set_rows` (a handful of numbers).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from wadesk.core.validation import format_phone
from wadesk.engine.connection import Registration
from wadesk.engine.number_admin import NumberOverview
from wadesk.ui.main_window import format_time
from wadesk.ui.setup.common import ui_language

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (
    "label",
    "phone",
    "active",
    "checks",
    "quality",
    "tier",
    "business_initiated",
    "last_webhook",
    "registration",
)
_QUALITY_COLORS = {"GREEN": "#1a7f37", "YELLOW": "#b35900", "RED": "#c62828"}
_CHECK_COLORS = {"ok": "#1a7f37", "warning": "#b35900", "failed": "#c62828"}


class NumbersModel(QAbstractTableModel):
    LabelRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[NumberOverview] = []
        self._registrations: dict[str, Registration] = {}

    # -- data -----------------------------------------------------------------------------

    def set_rows(self, rows: list[NumberOverview]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def set_registrations(self, registrations: tuple[Registration, ...]) -> None:
        self._registrations = {r.label: r for r in registrations}
        if self._rows:
            column = COLUMNS.index("registration")
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def row_at(self, row: int) -> NumberOverview | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, label: str) -> int:
        for i, item in enumerate(self._rows):
            if item.number.label == label:
                return i
        return -1

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(COLUMNS):
            return None
        titles = {
            "label": self.tr("Label"),
            "phone": self.tr("Phone"),
            "active": self.tr("Active"),
            "checks": self.tr("Checks"),
            "quality": self.tr("Quality"),
            "tier": self.tr("Messaging tier"),
            "business_initiated": self.tr("Business-initiated, 24 h"),
            "last_webhook": self.tr("Last webhook"),
            "registration": self.tr("Callback"),
        }
        return titles[COLUMNS[section]]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        item = self.row_at(index.row())
        if item is None or not 0 <= index.column() < len(COLUMNS):
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._color(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == self.LabelRole:
            return item.number.label
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- presentation ---------------------------------------------------------------------

    def _display(self, item: NumberOverview, column: str) -> str:
        number = item.number
        if column == "label":
            return number.label
        if column == "phone":
            return format_phone(number.phone)
        if column == "active":
            return self.tr("active") if number.active else self.tr("inactive")
        if column == "checks":
            return self._checks_text(item)
        if column == "quality":
            return item.quality_rating or "—"
        if column == "tier":
            tier = item.messaging_tier or "—"
            if item.facts.get("test_number") == "yes":
                return self.tr("%1 (test number)").replace("%1", tier)
            return tier
        if column == "business_initiated":
            limit = item.tier_limit
            used = str(item.business_initiated_24h)
            return f"{used} / {limit}" if limit is not None else used
        if column == "last_webhook":
            return _when(item.last_webhook_at) or self.tr("none yet")
        if column == "registration":
            reg = self._registrations.get(number.label)
            if reg is None:
                return "—"
            return self.tr("registered") if reg.ok else self.tr("failed")
        return ""

    def _checks_text(self, item: NumberOverview) -> str:
        state = item.checks_state
        texts = {
            "ok": self.tr("✓ passing"),
            "warning": self.tr("⚠ warnings"),
            "failed": self.tr("✗ failing"),
            "not_checked": self.tr("– not yet checked"),
            "": self.tr("never checked"),
        }
        return texts.get(state, state)

    def _color(self, item: NumberOverview, column: str) -> QColor | None:
        if column == "quality" and item.quality_rating in _QUALITY_COLORS:
            return QColor(_QUALITY_COLORS[item.quality_rating])
        if column == "checks" and item.checks_state in _CHECK_COLORS:
            return QColor(_CHECK_COLORS[item.checks_state])
        if column == "active" and not item.number.active:
            return QColor("#808080")
        if column == "registration":
            reg = self._registrations.get(item.number.label)
            if reg is not None:
                return QColor("#1a7f37" if reg.ok else "#c62828")
        return None

    def _tooltip(self, item: NumberOverview, column: str) -> str | None:
        if column == "registration":
            reg = self._registrations.get(item.number.label)
            if reg is not None and reg.error is not None:
                return reg.explain(ui_language())
        if column == "business_initiated":
            return self.tr(
                "Conversations you started (templates to distinct customers) in the last 24 "
                "hours, against the number's messaging limit."
            )
        if column == "checks" and item.checked_at is not None:
            return self.tr("Last checked: %1").replace("%1", _when(item.checked_at))
        return None


def _when(moment: datetime | None) -> str:
    return format_time(moment) if moment is not None else ""
