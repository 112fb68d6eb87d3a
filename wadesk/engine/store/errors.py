"""Errors raised by the store: one base class (`StoreError`) so callers can catch them all and
show the message as is (messages never contain secrets)."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class StoreClosedError(StoreError):
    """The Store is not open (never opened, or already closed)."""


class SchemaError(StoreError):
    """The database file cannot be used: not SQLite, not wadesk's, or from a newer wadesk."""


class NotFoundError(StoreError):
    """A row named by the caller (number label, message id, …) does not exist."""


class DuplicateNumberError(StoreError):
    """A number with the same label or phone_number_id is already configured."""


class NumberHasHistoryError(StoreError):
    """A number still has conversations; removing it needs `purge=True`."""


class DuplicateWamidError(StoreError):
    """A wamid is already attached to another message."""
