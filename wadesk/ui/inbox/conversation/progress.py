"""Download progress of inbound media, for the bubbles: `MediaProgressTracker` keeps the last
`MediaProgress(message_id, done, total)` the engine published per message (from the bridge's
`events_batch`), until the message's `MessageUpdated` says the file is stored (the thumbnail or
card then replaces the bar) or the download failed (the bubble then shows the explanation and
Retry). It gives the delegate `progress(message_id)` and repaints just the rows that moved —
the layout does not change while a bar fills, so no size hint is recomputed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QListView

from wadesk.core.events import MediaProgress, MessageUpdated

Progress = tuple[int, int | None]


def percent(progress: Progress | None) -> int | None:
    """0–100 when the total is known, else None."""
    if progress is None:
        return None
    done, total = progress
    if not total:
        return None
    return max(0, min(100, int(done * 100 / total)))


class MediaProgressTracker(QObject):
    """Downloads in flight, per message id.

    Signals:
        changed(list): the ids whose progress changed (started, advanced or finished).
    """

    changed = Signal(list)

    def __init__(
        self, bridge: Any = None, view: QListView | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._progress: dict[int, Progress] = {}
        self._view = view
        if bridge is not None:
            bridge.events_batch.connect(self.on_events)
        if view is not None:
            delegate = getattr(view, "delegate", None)
            if delegate is not None:
                delegate.progress = self.progress
            self.changed.connect(self._repaint)

    def progress(self, message_id: int) -> Progress | None:
        """(bytes done, total or None) of a download in flight; None when there is none."""
        return self._progress.get(message_id)

    def __len__(self) -> int:
        return len(self._progress)

    def on_events(self, events: Iterable[Any]) -> None:
        """Take the `MediaProgress` and finishing `MessageUpdated` events of a batch."""
        changed: list[int] = []
        for event in events:
            if isinstance(event, MediaProgress):
                self._progress[event.message_id] = (event.done, event.total)
                changed.append(event.message_id)
            elif isinstance(event, MessageUpdated):
                message = event.message
                finished = bool(message.media_path) or message.error_code is not None
                if finished and self._progress.pop(message.id, None) is not None:
                    changed.append(message.id)
        if changed:
            self.changed.emit(list(dict.fromkeys(changed)))

    def clear(self) -> None:
        ids = list(self._progress)
        self._progress.clear()
        if ids:
            self.changed.emit(ids)

    def _repaint(self, ids: list[int]) -> None:
        view = self._view
        if view is None:
            return
        model = view.model()
        row_of = getattr(model, "row_of", None)
        if not callable(row_of):
            view.viewport().update()
            return
        for message_id in ids:
            row = row_of(message_id)
            if row is not None and row >= 0:
                view.update(model.index(row, 0))
