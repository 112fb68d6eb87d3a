"""The Templates page's table: `TemplateTableModel` (one row per synced template: name,
language, category, status with the rejection reason, quality) and `TemplateFilter`, the proxy
behind the search box and the status filter.

Statuses and categories are Meta's upper-case words (APPROVED, PENDING, REJECTED, PAUSED,
DISABLED…; MARKETING, UTILITY, AUTHENTICATION); they are shown translated, unknown ones as
they came. The template itself is `TEMPLATE_ROLE` of every cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

AnyIndex = QModelIndex | QPersistentModelIndex
TEMPLATE_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("name", "language", "category", "status", "quality")
STATUS_COLOURS = {
    "APPROVED": "#1F9D55",
    "PENDING": "#B7791F",
    "IN_APPEAL": "#B7791F",
    "REJECTED": "#D64545",
    "PAUSED": "#D97706",
    "DISABLED": "#8696A0",
}


def status_text(status: str) -> str:
    names = {
        "APPROVED": QCoreApplication.translate("TemplateTableModel", "Approved"),
        "PENDING": QCoreApplication.translate("TemplateTableModel", "Pending review"),
        "IN_APPEAL": QCoreApplication.translate("TemplateTableModel", "In appeal"),
        "REJECTED": QCoreApplication.translate("TemplateTableModel", "Rejected"),
        "PAUSED": QCoreApplication.translate("TemplateTableModel", "Paused"),
        "DISABLED": QCoreApplication.translate("TemplateTableModel", "Disabled"),
        "PENDING_DELETION": QCoreApplication.translate("TemplateTableModel", "Being deleted"),
    }
    return names.get(status.upper(), status.title())


def category_text(category: str | None) -> str:
    names = {
        "MARKETING": QCoreApplication.translate("TemplateTableModel", "Marketing"),
        "UTILITY": QCoreApplication.translate("TemplateTableModel", "Utility"),
        "AUTHENTICATION": QCoreApplication.translate("TemplateTableModel", "Authentication"),
    }
    if not category:
        return "—"
    return names.get(category.upper(), category.title())


def quality_text(quality: str | None) -> str:
    names = {
        "GREEN": QCoreApplication.translate("TemplateTableModel", "High"),
        "HIGH": QCoreApplication.translate("TemplateTableModel", "High"),
        "YELLOW": QCoreApplication.translate("TemplateTableModel", "Medium"),
        "MEDIUM": QCoreApplication.translate("TemplateTableModel", "Medium"),
        "RED": QCoreApplication.translate("TemplateTableModel", "Low"),
        "LOW": QCoreApplication.translate("TemplateTableModel", "Low"),
        "UNKNOWN": QCoreApplication.translate("TemplateTableModel", "Not rated yet"),
    }
    if not quality:
        return QCoreApplication.translate("TemplateTableModel", "Not rated yet")
    return names.get(quality.upper(), quality.title())


def reason_text(reason: str | None) -> str:
    """Meta's rejection reason in words (`INVALID_FORMAT`, `PROMOTIONAL`, `TAG_CONTENT_MISMATCH`
    …); unknown ones as they came."""
    names = {
        "ABUSIVE_CONTENT": QCoreApplication.translate("TemplateTableModel", "abusive content"),
        "INVALID_FORMAT": QCoreApplication.translate(
            "TemplateTableModel", "invalid format (variables, length or characters)"
        ),
        "PROMOTIONAL": QCoreApplication.translate(
            "TemplateTableModel", "promotional content in a non-marketing category"
        ),
        "TAG_CONTENT_MISMATCH": QCoreApplication.translate(
            "TemplateTableModel", "the content does not match the category"
        ),
        "SCAM": QCoreApplication.translate("TemplateTableModel", "looks like a scam"),
        "INCORRECT_CATEGORY": QCoreApplication.translate("TemplateTableModel", "wrong category"),
    }
    if not reason or reason.upper() == "NONE":
        return ""
    return names.get(reason.upper(), reason.replace("_", " ").lower())


def status_line(template: Any) -> str:
    """Status, with the rejection reason when there is one."""
    text = status_text(str(template.status))
    reason = reason_text(getattr(template, "rejected_reason", None))
    return f"{text}: {reason}" if reason else text


class TemplateTableModel(QAbstractTableModel):
    """Synced templates of one number (set with `set_templates`)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_templates(self, templates: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(templates)
        self.endResetModel()

    def template(self, row: int) -> Any | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(COLUMNS):
            return None
        titles = {
            "name": QCoreApplication.translate("TemplateTableModel", "Name"),
            "language": QCoreApplication.translate("TemplateTableModel", "Language"),
            "category": QCoreApplication.translate("TemplateTableModel", "Category"),
            "status": QCoreApplication.translate("TemplateTableModel", "Status"),
            "quality": QCoreApplication.translate("TemplateTableModel", "Quality"),
        }
        return titles[COLUMNS[section]]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        template = self._rows[index.row()]
        column = COLUMNS[index.column()]
        if role == TEMPLATE_ROLE:
            return template
        if role == STATUS_ROLE:
            return str(template.status).upper()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "name":
                return str(template.name)
            if column == "language":
                return str(template.language or "")
            if column == "category":
                return category_text(template.category)
            if column == "status":
                return status_line(template)
            return quality_text(template.quality)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status":
            colour = STATUS_COLOURS.get(str(template.status).upper())
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole and column == "status":
            return status_line(template)
        return None


class TemplateFilter(QSortFilterProxyModel):
    """Rows whose name, language or category contain the search text and, unless `status` is
    empty, whose status is `status` (PENDING includes IN_APPEAL)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.search = ""
        self.status = ""

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self.search = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status(self, status: str) -> None:
        self.beginFilterChange()
        self.status = status.upper()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        template = index.data(TEMPLATE_ROLE)
        if template is None:
            return False
        if self.status:
            status = str(template.status).upper()
            wanted = {self.status, "IN_APPEAL"} if self.status == "PENDING" else {self.status}
            if status not in wanted:
                return False
        if self.search:
            haystack = " ".join(
                str(x or "") for x in (template.name, template.language, template.category)
            ).casefold()
            return self.search in haystack
        return True
