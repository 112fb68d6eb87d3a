"""Wire mapping of message types and statuses, and the forward-only status order."""

from __future__ import annotations

import itertools

import pytest

from wadesk.core.enums import MessageStatus, MessageType, status_advances

S = MessageStatus
WIRE = [S.SENT, S.DELIVERED, S.READ, S.PLAYED]


def test_rank_order() -> None:
    assert S.SENT.rank < S.DELIVERED.rank < S.READ.rank < S.PLAYED.rank
    assert S.QUEUED.rank < S.UNKNOWN.rank < S.SENT.rank


@pytest.mark.parametrize(("current", "new"), list(itertools.combinations(WIRE, 2)))
def test_forward_moves_and_never_back(current: MessageStatus, new: MessageStatus) -> None:
    assert status_advances(current, new)
    assert not status_advances(new, current)


def test_same_status_does_not_advance() -> None:
    for status in MessageStatus:
        assert not status_advances(status, status), status


def test_failed_is_terminal() -> None:
    for new in MessageStatus:
        assert not status_advances(S.FAILED, new), new


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (S.QUEUED, True),
        (S.UNKNOWN, True),
        (S.SENT, True),
        (S.DELIVERED, True),
        (S.READ, False),
        (S.PLAYED, False),
    ],
)
def test_failed_never_overrides_read_or_played(current: MessageStatus, expected: bool) -> None:
    assert status_advances(current, S.FAILED) is expected


def test_queued_and_unknown_move_to_sent() -> None:
    assert status_advances(S.QUEUED, S.SENT)
    assert status_advances(S.UNKNOWN, S.SENT)
    assert status_advances(S.QUEUED, S.UNKNOWN)
    assert not status_advances(S.SENT, S.QUEUED)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("sent", S.SENT),
        ("delivered", S.DELIVERED),
        ("read", S.READ),
        ("played", S.PLAYED),
        ("failed", S.FAILED),
        ("READ", S.READ),
        ("deleted", None),
        ("seen", None),
        ("queued", None),  # internal states never come from a webhook
        ("received", None),
        ("unknown", None),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_status_from_wire(wire: object, expected: MessageStatus | None) -> None:
    assert MessageStatus.from_wire(wire) is expected


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("text", MessageType.TEXT),
        ("interactive", MessageType.INTERACTIVE),
        ("request_welcome", MessageType.REQUEST_WELCOME),
        ("unsupported", MessageType.UNSUPPORTED),
        ("unknown", MessageType.UNSUPPORTED),
        ("poll", MessageType.UNSUPPORTED),
        ("TEXT", MessageType.UNSUPPORTED),
        ("", MessageType.UNSUPPORTED),
        (None, MessageType.UNSUPPORTED),
        (["text"], MessageType.UNSUPPORTED),
    ],
)
def test_type_from_wire(wire: object, expected: MessageType) -> None:
    assert MessageType.from_wire(wire) is expected
