"""Connects the Settings page to the inbox, so changes show without a restart.

- "mark as read when opened" → the conversation view's `mark_read_on_open`;
- saved quick replies → the composer's list (what the `/` popup offers);
- labels changed → the inbox's label filter and the contact panel's label list (the
  conversation rows themselves are republished by the engine).

The inbox is reached through its public attributes; a page without them (a placeholder when the
engine could not be built) is left alone.
"""

from __future__ import annotations

from typing import Any

from wadesk.ui.settings.page import SettingsPage
from wadesk.ui.tasks import Tasks


def _conversation_view(inbox: Any) -> Any:
    return getattr(inbox, "conversation_view", None)


def set_mark_read(inbox: Any, on: bool) -> None:
    view = _conversation_view(inbox)
    if view is not None and hasattr(view, "mark_read_on_open"):
        view.mark_read_on_open = on


def set_quick_replies(inbox: Any, replies: list[Any]) -> None:
    composer = getattr(_conversation_view(inbox), "composer", None)
    if composer is not None and hasattr(composer, "quick_replies"):
        composer.quick_replies = list(replies)


def reload_labels(inbox: Any, tasks: Tasks) -> None:
    reload = getattr(inbox, "reload_labels", None)
    if callable(reload):
        tasks.spawn(reload())
    panel = getattr(inbox, "contact_panel", None)
    row = getattr(panel, "row", None)
    if panel is not None and row is not None and callable(getattr(panel, "show_row", None)):
        panel.show_row(row)


def connect_inbox(settings: SettingsPage, inbox: Any) -> None:
    """Make the inbox follow the Settings page (see the module doc)."""
    settings.mark_read_changed.connect(lambda on: set_mark_read(inbox, on))
    settings.quick_replies_changed.connect(lambda replies: set_quick_replies(inbox, replies))
    tasks = Tasks("Settings→Inbox")
    settings.labels_changed.connect(lambda: reload_labels(inbox, tasks))
