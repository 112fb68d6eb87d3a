"""`PaintPacer` (issue 5, live latency): a lone batch paints at once; batches streaming in
faster than a frame are held (updates off) and shown together when the frame is due; the
inbox page paces both of its lists."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QListView, QWidget

from wadesk.ui.paint_pacer import PaintPacer


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_lone_batch_paints_at_once_and_a_stream_is_paced(qtbot: Any) -> None:
    a, b = QWidget(), QWidget()
    qtbot.addWidget(a)
    qtbot.addWidget(b)
    clock = _Clock()
    pacer = PaintPacer([a, b], interval_ms=66, clock=clock)
    pacer.on_batch([])
    assert a.updatesEnabled() and b.updatesEnabled() and not pacer.is_holding()
    clock.now += 0.030  # the next batch 30 ms later: held until the frame is due
    pacer.on_batch([])
    assert not a.updatesEnabled() and not b.updatesEnabled() and pacer.is_holding()
    clock.now += 0.020
    pacer.on_batch([])  # still within the frame: rides along
    assert pacer.held == 2 and pacer.frames == 0
    qtbot.waitUntil(lambda: not pacer.is_holding(), timeout=1000)
    assert a.updatesEnabled() and b.updatesEnabled() and pacer.frames == 1
    clock.now += 0.5  # a quiet spell: the next batch paints at once again
    pacer.on_batch([])
    assert a.updatesEnabled() and not pacer.is_holding() and pacer.held == 2


def test_release_turns_updates_back_on(qtbot: Any) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    clock = _Clock()
    pacer = PaintPacer([widget], interval_ms=10_000, clock=clock)
    pacer.on_batch()
    clock.now += 0.001
    pacer.on_batch()
    assert not widget.updatesEnabled()
    pacer.release()  # e.g. the page shuts down: nothing stays frozen
    assert widget.updatesEnabled() and not pacer.is_holding()


def test_inbox_page_paces_both_lists(qtbot: Any) -> None:
    from wadesk.ui.bridge import EngineBridge
    from wadesk.ui.inbox.page import InboxPage

    bridge = EngineBridge()
    page = InboxPage(None, bridge)
    qtbot.addWidget(page)
    paced = page.paint_pacer._widgets
    assert page.list_view.viewport() in paced
    messages = getattr(page.conversation_view, "list", None)
    if isinstance(messages, QListView):
        assert messages.viewport() in paced
    page.shutdown()
