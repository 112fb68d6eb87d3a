"""`wadesk export`: every conversation with its messages as JSON Lines (one conversation per
line) or one JSON document. The store holds no secrets, and the export adds none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Connection

from wadesk import __version__
from wadesk.engine.store import Store, repo


def _write(conn: Connection, out: TextIO, fmt: str) -> int:
    count = 0
    if fmt == "jsonl":
        for conversation in repo.iter_export(conn):
            out.write(json.dumps(conversation, ensure_ascii=False) + "\n")
            count += 1
        return count
    out.write(f'{{"wadesk_version": {json.dumps(__version__)}, "conversations": [')
    for conversation in repo.iter_export(conn):
        out.write(("," if count else "") + "\n" + json.dumps(conversation, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count


def _export(conn: Connection, target: Path | TextIO, fmt: str) -> int:
    if isinstance(target, Path):
        tmp = target.with_name(target.name + ".part")
        with tmp.open("w", encoding="utf-8") as fh:
            count = _write(conn, fh, fmt)
        tmp.replace(target)
        return count
    count = _write(conn, target, fmt)
    target.flush()
    return count


async def export_conversations(store: Store, target: Path | TextIO, *, fmt: str = "jsonl") -> int:
    """Write the export to `target` (a path, written atomically, or an open text stream).

    Runs on the store's reader thread: the event loop never waits on the disk.
    Returns the number of conversations written.
    """
    if fmt not in ("jsonl", "json"):
        raise ValueError(f"Unknown export format {fmt!r}: use jsonl or json.")

    def run(conn: Connection) -> Any:
        return _export(conn, target, fmt)

    return int(await store.read(run))
