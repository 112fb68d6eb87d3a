"""`RawEventModel`: the inspector's table of webhook events, newest first.

The model is a synchronous view over `RawEventSummary` rows; the page does the awaiting:

- lazy paging: `canFetchMore()` is true while older rows may exist and no page is loading;
  `fetchMore()` only emits `more_requested(before_id)`; the page loads that page and hands it
  to `append_page(rows, exhausted)`.
- live events: the page fetches new and changed rows and calls `upsert(rows)` (new rows are
  inserted at their sorted place, so rows prepended at the top keep the view's selection and
  scroll position) and `remove_ids(ids)` (rows that no longer match the filter).
- `reset_rows(rows, exhausted)` replaces everything (filter or search changed).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon

from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.engine.activity import RawEventSummary
from wadesk.ui.main_window import format_time
from wadesk.ui.resources import resource_path

ModelIndex = QModelIndex | QPersistentModelIndex

COL_ID, COL_TIME, COL_NUMBER, COL_FIELD, COL_VERDICT, COL_RESULT, COL_DETAIL = range(7)
COLUMNS = 7
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2

_OK_RESULTS = (ProcessingResult.APPLIED,)
_WARN_RESULTS = (ProcessingResult.PENDING, ProcessingResult.UNKNOWN_NUMBER)


def status_icon(kind: str) -> QIcon:
    """One of the coloured status dots in resources/icons (ok, warn, error, off)."""
    return QIcon(str(resource_path("icons", f"status-{kind}.svg")))


def verdict_kind(verdict: SignatureVerdict) -> str:
    return "ok" if verdict is SignatureVerdict.VALID else "error"


def result_kind(result: ProcessingResult) -> str:
    if result in _OK_RESULTS:
        return "ok"
    if result in _WARN_RESULTS:
        return "warn"
    return "error"


class ActivityTableModel(QAbstractTableModel):
    """What the Activity page's tables share: `_rows` shown, `COLUMNS` columns titled by
    `column_titles()` (translated at call time, so a language switch needs no reset)."""

    COLUMNS = 0
    _rows: list[Any]

    def column_titles(self) -> list[str]:
        raise NotImplementedError

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMNS:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_titles()[section]
        return None


class RawEventModel(ActivityTableModel):
    """Webhook events, newest first (see the module docstring).

    Signals:
        more_requested(int): load the page of rows older than this id (0: from the newest).
    """

    COLUMNS = COLUMNS

    more_requested = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RawEventSummary] = []
        self._neg_ids: list[int] = []  # -id of each row: ascending, for bisect
        self._exhausted = True
        self._loading = False
        self._labels: dict[str, str] = {}
        self._icons = {kind: status_icon(kind) for kind in ("ok", "warn", "error")}

    # -- Qt model API ------------------------------------------------------------------------

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_DETAIL and row.detail:
                return row.detail
            if col == COL_NUMBER and row.phone_number_ids:
                return ", ".join(row.phone_number_ids)
            if col == COL_TIME:
                return row.received_at.astimezone().isoformat(sep=" ", timespec="seconds")
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            if col == COL_VERDICT:
                return self._icons[verdict_kind(row.verdict)]
            if col == COL_RESULT:
                return self._icons[result_kind(row.result)]
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_ID:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return row.id
        if role == SUMMARY_ROLE:
            return row
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def canFetchMore(self, parent: ModelIndex) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: ModelIndex) -> None:
        if not self.canFetchMore(parent):
            return
        self._loading = True
        self.more_requested.emit(self._rows[-1].id if self._rows else 0)

    # -- texts ---------------------------------------------------------------------------------

    def column_titles(self) -> list[str]:
        return [
            self.tr("#"),
            self.tr("Time"),
            self.tr("Number"),
            self.tr("Type"),
            self.tr("Signature"),
            self.tr("Result"),
            self.tr("Detail"),
        ]

    def verdict_text(self, verdict: SignatureVerdict) -> str:
        return {
            SignatureVerdict.VALID: self.tr("signed"),
            SignatureVerdict.MISSING: self.tr("no signature"),
            SignatureVerdict.INVALID: self.tr("bad signature"),
            SignatureVerdict.NO_SECRET: self.tr("no app secret"),
        }[verdict]

    def result_text(self, result: ProcessingResult) -> str:
        return {
            ProcessingResult.PENDING: self.tr("pending"),
            ProcessingResult.APPLIED: self.tr("applied"),
            ProcessingResult.REJECTED: self.tr("rejected"),
            ProcessingResult.UNKNOWN_NUMBER: self.tr("unknown number"),
            ProcessingResult.ERROR: self.tr("error"),
        }[result]

    def number_text(self, row: RawEventSummary) -> str:
        if not row.phone_number_ids:
            return "—"
        return ", ".join(self._labels.get(pnid, pnid) for pnid in row.phone_number_ids)

    def _display(self, row: RawEventSummary, col: int) -> str:
        if col == COL_ID:
            return str(row.id)
        if col == COL_TIME:
            return format_time(row.received_at)
        if col == COL_NUMBER:
            return self.number_text(row)
        if col == COL_FIELD:
            return row.field or "—"
        if col == COL_VERDICT:
            return self.verdict_text(row.verdict)
        if col == COL_RESULT:
            return self.result_text(row.result)
        return (row.detail or "").replace("\n", " ")[:200]

    def retranslate(self) -> None:
        """Re-read every text (after a language change)."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMNS - 1)
        self._all_changed()

    def set_number_labels(self, labels: Mapping[str, str]) -> None:
        """Show these labels instead of Phone Number IDs in the Number column."""
        self._labels = dict(labels)
        self._all_changed()

    def _all_changed(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, COLUMNS - 1))

    # -- rows -----------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def rows(self) -> list[RawEventSummary]:
        return list(self._rows)

    def ids(self) -> list[int]:
        return [row.id for row in self._rows]

    def top_id(self) -> int:
        """The newest id shown (0 when empty)."""
        return self._rows[0].id if self._rows else 0

    def summary(self, row: int) -> RawEventSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, raw_event_id: int) -> int:
        """The row of an id, or -1."""
        pos = bisect.bisect_left(self._neg_ids, -raw_event_id)
        if pos < len(self._neg_ids) and self._neg_ids[pos] == -raw_event_id:
            return pos
        return -1

    def reset_rows(self, rows: Iterable[RawEventSummary], exhausted: bool) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda r: -r.id)
        self._neg_ids = [-r.id for r in self._rows]
        self._exhausted = exhausted
        self._loading = False
        self.endResetModel()

    def begin_loading(self) -> None:
        """Mark a page load in flight (no fetchMore meanwhile)."""
        self._loading = True

    def append_page(self, rows: Iterable[RawEventSummary], exhausted: bool) -> None:
        """Add a page of older rows at the end (rows already shown are skipped)."""
        bottom = self._rows[-1].id if self._rows else None
        older = sorted((r for r in rows if bottom is None or r.id < bottom), key=lambda r: -r.id)
        self._loading = False
        self._exhausted = exhausted
        if not older:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(older) - 1)
        self._rows.extend(older)
        self._neg_ids.extend(-r.id for r in older)
        self.endInsertRows()

    def upsert(self, rows: Iterable[RawEventSummary]) -> None:
        """Update rows already shown; insert new ones in id order (runs of adjacent new rows
        in one insert)."""
        bottom = self._rows[-1].id if self._rows else None
        fresh: list[RawEventSummary] = []
        for row in rows:
            at = self.row_of(row.id)
            if at >= 0:
                if self._rows[at] != row:
                    self._rows[at] = row
                    self.dataChanged.emit(self.index(at, 0), self.index(at, COLUMNS - 1))
            elif bottom is None or row.id > bottom or self._exhausted:
                fresh.append(row)
        fresh.sort(key=lambda r: -r.id)
        i = 0
        while i < len(fresh):
            pos = bisect.bisect_left(self._neg_ids, -fresh[i].id)
            run = [fresh[i]]
            i += 1
            while i < len(fresh) and (
                pos >= len(self._neg_ids) or -fresh[i].id < self._neg_ids[pos]
            ):
                run.append(fresh[i])
                i += 1
            self.beginInsertRows(QModelIndex(), pos, pos + len(run) - 1)
            self._rows[pos:pos] = run
            self._neg_ids[pos:pos] = [-r.id for r in run]
            self.endInsertRows()

    def remove_ids(self, ids: Iterable[int]) -> None:
        """Drop rows (e.g. that no longer match the filter after being processed)."""
        for raw_event_id in sorted(set(ids)):
            at = self.row_of(raw_event_id)
            if at < 0:
                continue
            self.beginRemoveRows(QModelIndex(), at, at)
            del self._rows[at]
            del self._neg_ids[at]
            self.endRemoveRows()
