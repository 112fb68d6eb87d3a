"""`BotTraceModel`: the Activity page's table of bot steps (`BotTraceEntry`), newest first.

Rows come from two places: the history (`engine.bots.traces()`, handed to `reset_entries`) and
live `BotTraced` events from the bridge (`add_entries`); an entry id is shown once. The filter
(`set_filter`) shows every step, only errors, or only hand-offs; `set_search` matches the node,
its type, the step, the output, the error and the conversation/bot. Texts follow the UI language
(`retranslate`); the model keeps data, never rendered strings.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from wadesk.core.events import BotTraceEntry
from wadesk.ui.activity.model import ActivityTableModel, status_icon
from wadesk.ui.main_window import format_time

ModelIndex = QModelIndex | QPersistentModelIndex

COL_TIME, COL_CONVERSATION, COL_BOT, COL_NODE, COL_STEP, COL_RESULT = range(6)
COLUMNS = 6
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_ROWS = 2_000


class BotFilter(StrEnum):
    ALL = "all"
    ERRORS = "errors"
    HANDOFFS = "handoffs"


def is_error(entry: BotTraceEntry) -> bool:
    return bool(entry.error) or entry.type in (
        "error",
        "runtime_error",
        "jump_failed",
        "session_failed",
    )


def is_handoff(entry: BotTraceEntry) -> bool:
    return entry.node_type == "handoff" or entry.type == "session_handed_off"


def compact(value: Any, limit: int = 160) -> str:
    """A short one-line JSON-ish text of a value (strings as they are)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_TEXT_KEYS = ("text", "body", "caption", "prompt", "reason", "template", "url", "name")


def action_text(action: Mapping[str, Any]) -> str:
    """What one traced action did, in a line: its kind and its main text (e.g. the message)."""
    kind = str(action.get("action") or "?")
    main = next((action[k] for k in _TEXT_KEYS if action.get(k)), None)
    extra: list[str] = []
    buttons = action.get("buttons")
    if isinstance(buttons, list) and buttons:
        titles = [str(b.get("title", b)) if isinstance(b, Mapping) else str(b) for b in buttons]
        extra.append("[" + " | ".join(titles) + "]")
    rows = action.get("rows")
    if isinstance(rows, list) and rows:
        extra.append(f"[{len(rows)} rows]")
    parts = [kind] + ([compact(main)] if main is not None else []) + extra
    return ": ".join(parts[:2]) + ("  " + " ".join(extra) if extra else "")


class BotTraceModel(ActivityTableModel):
    """Bot steps, newest first (see the module docstring)."""

    COLUMNS = COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[BotTraceEntry] = []  # newest first
        self._ids: set[int] = set()
        self._rows: list[BotTraceEntry] = []
        self._filter = BotFilter.ALL
        self._search = ""
        self._bot_names: dict[int, str] = {}
        self._chat_names: dict[int, str] = {}
        self._icons = {kind: status_icon(kind) for kind in ("ok", "warn", "error")}

    # -- Qt model API ------------------------------------------------------------------------

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(entry, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_RESULT:
            return entry.error or self.result_text(entry) or None
        if role == Qt.ItemDataRole.DecorationRole and col == COL_STEP:
            if is_error(entry):
                return self._icons["error"]
            return self._icons["warn" if is_handoff(entry) else "ok"]
        if role == ENTRY_ROLE:
            return entry
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- rows ----------------------------------------------------------------------------------

    def entry(self, row: int) -> BotTraceEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, entry_id: int) -> int:
        return next((i for i, e in enumerate(self._rows) if e.id == entry_id), -1)

    def total(self) -> int:
        return len(self._all)

    def reset_entries(self, entries: Iterable[BotTraceEntry]) -> None:
        """Replace everything (the history, newest first or in any order)."""
        unique = {e.id: e for e in entries}
        self._all = sorted(unique.values(), key=lambda e: e.id, reverse=True)[:MAX_ROWS]
        self._ids = {e.id for e in self._all}
        self._refilter()

    def add_entries(self, entries: Iterable[BotTraceEntry]) -> int:
        """Add live entries (ids already shown are skipped); returns how many were new."""
        fresh = [e for e in entries if e.id not in self._ids]
        if not fresh:
            return 0
        self._ids.update(e.id for e in fresh)
        self._all = sorted(self._all + fresh, key=lambda e: e.id, reverse=True)
        for dropped in self._all[MAX_ROWS:]:
            self._ids.discard(dropped.id)
        self._all = self._all[:MAX_ROWS]
        top = self._rows[0].id if self._rows else -1
        shown = [e for e in fresh if self._matches(e)]
        if len(self._all) < MAX_ROWS and all(e.id > top for e in shown):
            # the usual live case: new steps go on top (the view keeps its selection)
            shown.sort(key=lambda e: e.id, reverse=True)
            if shown:
                self.beginInsertRows(QModelIndex(), 0, len(shown) - 1)
                self._rows[0:0] = shown
                self.endInsertRows()
        else:
            self._refilter()
        return len(fresh)

    def set_filter(self, choice: BotFilter | str) -> None:
        self._filter = BotFilter(choice)
        self._refilter()

    def set_search(self, text: str) -> None:
        self._search = text.strip().lower()
        self._refilter()

    def chat_names(self) -> dict[int, str]:
        return dict(self._chat_names)

    def set_chat_names(self, names: Mapping[int, str]) -> None:
        """Contact names by conversation id (shown instead of "#id")."""
        self._chat_names.update(names)
        self._changed_all()

    def chat_ids(self) -> set[int]:
        return {e.conversation_id for e in self._all}

    def bot_names(self) -> dict[int, str]:
        return dict(self._bot_names)

    def set_bot_names(self, names: Mapping[int, str]) -> None:
        self._bot_names = dict(names)
        self._changed_all()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = [e for e in self._all if self._matches(e)]
        self.endResetModel()

    def _matches(self, entry: BotTraceEntry) -> bool:
        if self._filter is BotFilter.ERRORS and not is_error(entry):
            return False
        if self._filter is BotFilter.HANDOFFS and not is_handoff(entry):
            return False
        if not self._search:
            return True
        haystack = " ".join(
            str(x)
            for x in (
                entry.node_id,
                entry.node_type,
                entry.type,
                entry.output,
                entry.error,
                self.chat_text(entry),
                self.bot_text(entry),
                compact(entry.inputs, 400),
                compact(list(entry.actions), 400),
            )
            if x
        )
        return self._search in haystack.lower()

    def _changed_all(self) -> None:
        if self._rows:
            last = self.index(len(self._rows) - 1, COLUMNS - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    # -- texts -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMNS - 1)
        self._changed_all()

    def column_titles(self) -> list[str]:
        return [
            self.tr("Time"),
            self.tr("Chat"),
            self.tr("Bot"),
            self.tr("Node"),
            self.tr("Step"),
            self.tr("Result"),
        ]

    def chat_text(self, entry: BotTraceEntry) -> str:
        name = self._chat_names.get(entry.conversation_id)
        return f"{name} (#{entry.conversation_id})" if name else f"#{entry.conversation_id}"

    def bot_text(self, entry: BotTraceEntry) -> str:
        if entry.bot_id is None:
            return "—"
        return self._bot_names.get(entry.bot_id) or f"#{entry.bot_id}"

    def step_text(self, step: str) -> str:
        names = {
            "start": self.tr("started"),
            "run": self.tr("ran"),
            "output": self.tr("took a branch"),
            "sent": self.tr("sent"),
            "wait": self.tr("waits for the customer"),
            "answer": self.tr("got an answer"),
            "choice": self.tr("button or row chosen"),
            "invalid": self.tr("answer not valid"),
            "error": self.tr("error"),
            "runtime_error": self.tr("error"),
            "jump_failed": self.tr("jump failed"),
            "expired": self.tr("session expired"),
            "paused": self.tr("paused (a person handles the chat)"),
            "paused_by_owner": self.tr("paused: the owner wrote"),
            "revived": self.tr("resumed"),
            "busy": self.tr("busy, retried"),
            "stale_choice": self.tr("old button tapped"),
            "old_choice": self.tr("old button tapped"),
            "stale_ignored": self.tr("old message ignored"),
            "stale_resume": self.tr("resumed after a delay"),
            "ignored": self.tr("ignored"),
            "session_started": self.tr("session started"),
            "session_completed": self.tr("session completed"),
            "session_failed": self.tr("session failed"),
            "session_handed_off": self.tr("handed to a person"),
        }
        return names.get(step, step)

    def result_text(self, entry: BotTraceEntry) -> str:
        if entry.error:
            return entry.error
        parts = []
        if entry.output:
            parts.append("→ " + entry.output)
        if entry.actions:
            parts.append(action_text(entry.actions[0]))
            if len(entry.actions) > 1:
                parts.append(self.tr("(+%1 more)").replace("%1", str(len(entry.actions) - 1)))
        return "  ".join(parts)

    def _display(self, entry: BotTraceEntry, col: int) -> str:
        if col == COL_TIME:
            return format_time(entry.at)
        if col == COL_CONVERSATION:
            return self._chat_names.get(entry.conversation_id) or f"#{entry.conversation_id}"
        if col == COL_BOT:
            return self.bot_text(entry)
        if col == COL_NODE:
            node = entry.node_id or "·"
            return f"{node} ({entry.node_type})" if entry.node_type else node
        if col == COL_STEP:
            return self.step_text(entry.type)
        return self.result_text(entry)
