"""wadesk.engine.store: the SQLite store (SQLModel tables, migrations, the group-commit
writer, webhook apply logic, and the repository of commands and queries).

Typical use::

    store = Store(path)
    await store.open()
    outcome = await store.write(lambda c: apply_parsed(c, raw_id, parsed, refs))
    convs = await store.read(lambda c: repo.list_conversations(c))
    await store.close()
"""

from wadesk.engine.store import repo
from wadesk.engine.store.apply import (
    ApplyOutcome,
    NumberRef,
    apply_parsed,
    insert_raw_event,
    set_raw_event_result,
    unprocessed_raw_events,
)
from wadesk.engine.store.columns import MessageOrigin
from wadesk.engine.store.db import Store
from wadesk.engine.store.errors import (
    DuplicateNumberError,
    DuplicateWamidError,
    NotFoundError,
    NumberHasHistoryError,
    SchemaError,
    StoreClosedError,
    StoreError,
)
from wadesk.engine.store.migrations import LATEST_VERSION, migrate
from wadesk.engine.store.sqlite import connect, make_engine

__all__ = [
    "LATEST_VERSION",
    "ApplyOutcome",
    "DuplicateNumberError",
    "DuplicateWamidError",
    "MessageOrigin",
    "NotFoundError",
    "NumberHasHistoryError",
    "NumberRef",
    "SchemaError",
    "Store",
    "StoreClosedError",
    "StoreError",
    "apply_parsed",
    "connect",
    "insert_raw_event",
    "make_engine",
    "migrate",
    "repo",
    "set_raw_event_result",
    "unprocessed_raw_events",
]
