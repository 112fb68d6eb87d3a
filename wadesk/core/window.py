"""The 24-hour customer-service window: free-form messages may be sent only within 24 hours of
the customer's last message; outside it only approved templates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

WINDOW = timedelta(hours=24)


def window_open(last_inbound_at: datetime | None, now: datetime | None = None) -> bool:
    if last_inbound_at is None:
        return False
    now = now or datetime.now(UTC)
    if last_inbound_at.tzinfo is None:
        last_inbound_at = last_inbound_at.replace(tzinfo=UTC)
    return now - last_inbound_at < WINDOW


def window_remaining(last_inbound_at: datetime | None, now: datetime | None = None) -> timedelta:
    """Time left in the window (zero when closed)."""
    if last_inbound_at is None:
        return timedelta(0)
    now = now or datetime.now(UTC)
    if last_inbound_at.tzinfo is None:
        last_inbound_at = last_inbound_at.replace(tzinfo=UTC)
    return max(timedelta(0), last_inbound_at + WINDOW - now)
