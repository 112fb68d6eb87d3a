"""The Store: one SQLite file in WAL mode, a single writer thread with group commit, and a
small pool of reader threads.

Writes: callers hand the Store a function `fn(conn) -> T` (SQLAlchemy Core `Connection`). The
writer thread takes requests from the queues; when one arrives after a pause it also takes whatever arrives within
`group_window` seconds (up to `max_batch`), runs the whole batch in ONE transaction, each `fn`
inside its own SAVEPOINT (a failing `fn` rolls back only itself and its caller gets the
exception), commits once, hands the results to the loop (which resolves the callers' futures
in order) and goes on with the next batch without waiting for the loop: a loop that is busy
elsewhere (the GUI painting) does not hold the writes up. `write()` returns only after COMMIT:
an acknowledged write is never lost.

Urgent single-row INSERTs (the webhook's acknowledgement path) have their own lane,
`insert_row(sql, params)`: every row waiting when a batch starts goes in ahead of the other
writes, rows of the same statement as ONE `executemany` on the sqlite3 connection (no
SQLAlchemy on this path), and a batch of rows alone is committed with plain BEGIN/COMMIT.
When a batch finds `busy_rows` or more rows waiting (many webhook connections at once) while
rows have been arriving at `busy_rate` per second or more (over the last `rate_window`
seconds), the Store is "busy" for the next `busy_hold` seconds: other writes then only get a
slice (one request per `busy_normal_interval`), so an acknowledgement never waits long behind
background work, which catches up after the burst. Both, because a full batch alone is also
what a short stall of the event loop leaves behind at a rate the apply keeps up with (the GUI
at 1,000 webhooks/s: starving the apply there made the inbox seconds late), and the rate alone
would fall as soon as background work slows the acknowledgements down and look like the
burst was over. The WAL is
checkpointed by SQLite every 1000 pages as usual: deferring that during a burst makes for
fewer but much longer stalls (measured: ack p99 ~25 ms → ~200 ms).

Reads run on reader threads with their own connections (`query_only`), each call inside one
read transaction, so it sees a consistent snapshot while the writer keeps writing.

The engines come from `sqlite.make_engine`: pysqlite's own transaction handling breaks
SAVEPOINTs, so they switch it off (`isolation_level = None`) and emit BEGIN themselves (the
recipe from SQLAlchemy's SQLite docs). For blocking use (CLI, export, scripts)
`sqlite.connect(path)` returns such an Engine with the schema migrated.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError

from wadesk.engine.store.errors import StoreClosedError, StoreError
from wadesk.engine.store.migrations import migrate
from wadesk.engine.store.rows import driver as _driver
from wadesk.engine.store.rows import insert_rows as _insert_rows
from wadesk.engine.store.sqlite import check_sqlite_version, make_engine, open_error

T = TypeVar("T")
_log = logging.getLogger("wadesk.store")


@dataclass(slots=True)
class _Request(Generic[T]):
    fn: Callable[[Connection], T]
    future: asyncio.Future[T]
    atomic: bool = True


@dataclass(slots=True)
class _Row:
    sql: str
    params: Sequence[Any]
    future: asyncio.Future[int]


_Outcome = tuple[bool, Any]


class Store:
    """The asyncio face of the database (see the module docstring).

    Life cycle: `await open()` once, then `write`/`read`, then `await close()` (idempotent;
    it drains every queued write first). Also an async context manager. Call its methods
    from the event loop it was opened on.
    """

    def __init__(
        self,
        path: Path,
        *,
        group_window: float = 0.002,
        max_batch: int = 500,
        max_normal_batch: int = 64,
        busy_normal_batch: int = 1,
        busy_rows: int = 24,
        busy_rate: float = 2000.0,
        rate_window: float = 0.25,
        busy_hold: float = 0.25,
        busy_normal_interval: float = 0.1,
        read_threads: int = 2,
    ) -> None:
        if group_window < 0:
            raise ValueError("group_window must be >= 0")
        if max_batch < 1:
            raise ValueError("max_batch must be >= 1")
        if read_threads < 1:
            raise ValueError("read_threads must be >= 1")
        self.path = Path(path)
        self.group_window = group_window
        self.max_batch = max_batch
        self.max_normal_batch = max(1, min(max_normal_batch, max_batch))
        self.busy_normal_batch = max(1, min(busy_normal_batch, self.max_normal_batch))
        self.busy_rows = max(1, busy_rows)
        self.busy_rate = max(0.0, busy_rate)
        self.rate_window = rate_window
        self.busy_hold = busy_hold
        self.busy_normal_interval = busy_normal_interval
        self.write_engine: Engine = make_engine(self.path, "writer")
        self.read_engine: Engine = make_engine(self.path, "reader", pool_size=read_threads)
        self.commits = 0
        """Transactions committed by the writer (one per batch)."""
        self.schema_version_at_open: int | None = None
        self._read_threads = read_threads
        self._state: Literal["new", "opening", "open", "closing", "closed"] = "new"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._urgent: deque[_Request[Any]] = deque()
        self._normal: deque[_Request[Any]] = deque()
        self._rows: deque[_Row] = deque()
        self._busy = False
        self._busy_until = 0.0
        self._recent_rows: deque[tuple[float, int]] = deque()
        """(time, rows) of the batches of the last `rate_window` seconds."""
        self._recent_count = 0
        self._last_normal = 0.0
        self._kicked = threading.Event()
        self._kick_scheduled = False
        self._stopping = False
        self._dead = False
        self._task: asyncio.Future[None] | None = None
        """Done when the writer thread has stopped and closed its connection."""
        self._reader_exec: ThreadPoolExecutor | None = None
        self._wconn: Connection | None = None
        self._reads: set[asyncio.Future[Any]] = set()
        self._closed = asyncio.Event()

    # -- life cycle -------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._state == "open"

    async def open(self) -> None:
        """Create the directory, connect, switch on WAL, migrate, start the writer thread."""
        if self._state != "new":
            raise StoreError("this Store was already opened; create a new one")
        self._state = "opening"
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._reader_exec = ThreadPoolExecutor(
            self._read_threads, thread_name_prefix="wadesk-store-reader"
        )
        opened: asyncio.Future[int] = loop.create_future()
        self._task = loop.create_future()
        # a daemon thread: a Store nobody closed (a crash path) must not keep the process
        # alive at exit — what was committed is safe, and nothing uncommitted was answered
        thread = threading.Thread(
            target=self._thread_main, args=(opened,), name="wadesk-store-writer", daemon=True
        )
        thread.start()
        try:
            self.schema_version_at_open = await opened
        except BaseException:
            self._stopping = True
            self._kicked.set()
            await self._release_resources()
            self._state = "closed"
            self._closed.set()
            raise
        self._state = "open"

    def _thread_main(self, opened: asyncio.Future[int]) -> None:
        """The writer thread: open the connection (and migrate), write until stopped and
        drained, close the connection; every step's outcome goes back to the loop."""
        loop = self._loop
        assert loop is not None and self._task is not None
        try:
            version = self._open_writer()
        except BaseException as exc:
            self.write_engine.dispose()
            loop.call_soon_threadsafe(_settle, opened, exc)
            loop.call_soon_threadsafe(_settle, self._task, None)
            return
        loop.call_soon_threadsafe(_settle, opened, version)
        outcome: BaseException | None = None
        try:
            self._writer_main()
        except BaseException as exc:  # logged by _writer_main; the loop sees it at close
            outcome = exc
        finally:
            self._close_writer()
            loop.call_soon_threadsafe(_settle, self._task, outcome)

    def _open_writer(self) -> int:
        check_sqlite_version()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self.write_engine.connect()
        except OSError as exc:
            raise StoreError(f"cannot create the database {self.path}: {exc}") from None
        except (SADatabaseError, sqlite3.DatabaseError) as exc:
            raise open_error(self.path, exc) from None
        try:
            version = migrate(conn)
        except (SADatabaseError, sqlite3.DatabaseError) as exc:
            conn.close()
            raise open_error(self.path, exc) from None
        except BaseException:
            conn.close()
            raise
        self._wconn = conn
        return version

    async def close(self) -> None:
        """Drain every queued write, stop the writer, close all connections. Idempotent."""
        if self._state in ("new", "closed"):
            if self._state == "new":
                self.write_engine.dispose()
                self.read_engine.dispose()
                self._state = "closed"
                self._closed.set()
            return
        if self._state in ("closing", "opening"):
            await self._closed.wait()
            return
        self._state = "closing"
        try:
            assert self._task is not None
            self._stopping = True
            self._kicked.set()
            try:
                await asyncio.shield(self._task)
            except Exception:
                _log.exception("store writer thread failed")
            if self._reads:
                await asyncio.gather(*list(self._reads), return_exceptions=True)
            await self._release_resources()
        finally:
            self._state = "closed"
            self._closed.set()

    async def _release_resources(self) -> None:
        loop = asyncio.get_running_loop()
        if self._reader_exec is not None:
            await loop.run_in_executor(self._reader_exec, self.read_engine.dispose)
            self._reader_exec.shutdown(wait=False)

    def _close_writer(self) -> None:
        if self._wconn is not None:
            self._wconn.close()
            self._wconn = None
        self.write_engine.dispose()

    async def __aenter__(self) -> Store:
        await self.open()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # -- writes -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """True within `busy_hold` seconds of a batch that found `busy_rows` or more urgent
        rows waiting (a burst of webhooks from many connections at once): background writes
        then only get a slice now and then, and callers should make their writes small."""
        return self._busy

    def write_nowait(
        self, fn: Callable[[Connection], T], *, urgent: bool = False, atomic: bool = True
    ) -> asyncio.Future[T]:
        """Queue `fn` for the writer and return its future (resolved after COMMIT).

        Same semantics as `write()`. If the future is cancelled before its batch starts,
        `fn` never runs.
        """
        if self._state != "open" or self._loop is None or self._dead:
            raise StoreClosedError("the store is not open")
        future: asyncio.Future[T] = self._loop.create_future()
        (self._urgent if urgent else self._normal).append(_Request(fn, future, atomic))
        self._kicked.set()  # at once: the group window gathers what comes with it
        return future

    async def write(
        self, fn: Callable[[Connection], T], *, urgent: bool = False, atomic: bool = True
    ) -> T:
        """Run `fn(conn)` on the writer thread; returns its result after COMMIT.

        An exception raised by `fn` is re-raised here and only `fn`'s own changes are rolled
        back (the rest of its batch commits).

        `urgent` writes go into the next batch ahead of every normal one, and a batch carries
        at most `max_normal_batch` normal writes (a small slice while the Store is busy), so
        an urgent write never waits behind a long backlog of background work. `atomic=False`
        skips the per-request SAVEPOINT for a function that is a single statement.
        """
        return await self.write_nowait(fn, urgent=urgent, atomic=atomic)

    def insert_row(self, sql: str, params: Sequence[Any]) -> asyncio.Future[int]:
        """Queue one urgent single-row `INSERT` (driver SQL with `?` placeholders) into a
        rowid table; the future resolves to the new row's id after COMMIT.

        The rows waiting when a batch starts are inserted first, those of the same `sql` with
        one `executemany` (their ids are consecutive: one writer, back-to-back inserts). If
        the insert fails, every row of that batch fails with StoreError and nothing of them
        is kept; the batch's other writes are not affected.
        """
        if self._state != "open" or self._loop is None or self._dead:
            raise StoreClosedError("the store is not open")
        future: asyncio.Future[int] = self._loop.create_future()
        self._rows.append(_Row(sql, params, future))
        self._schedule_kick()
        return future

    def _kick(self) -> None:
        """Loop thread: wake the writer thread for the rows queued — once per loop iteration
        (`_schedule_kick`), so the acknowledgements queued in one go are taken together
        (they skip the group window). Other writes wake it at once: after a pause the
        writer waits `group_window` for what comes with them."""
        self._kick_scheduled = False
        self._kicked.set()

    def _schedule_kick(self) -> None:
        if not self._kick_scheduled and self._loop is not None:
            self._kick_scheduled = True
            self._loop.call_soon(self._kick)

    def _writer_main(self) -> None:
        """Writer thread: take batches and run them, back to back, until stopped and drained;
        the callers' futures are resolved on the loop (one hand-over per batch). The loop is
        not needed between batches, so a busy loop (the GUI painting) does not hold up the
        writes queued already."""
        kicked = self._kicked
        idle = True
        try:
            while True:
                kicked.clear()
                if not self._rows and not self._urgent and not self._normal:
                    if self._stopping:
                        return
                    kicked.wait()
                    idle = True
                    continue
                if idle and self.group_window > 0 and not self._stopping and not self._rows:
                    # the first write after a pause: let a burst gather into one commit. Not
                    # for acknowledgement rows: their commits are cheap and pipelined (the rows
                    # that arrive while one batch runs form the next), so waiting only adds
                    # latency (bench/ingest.py: ~5,300 -> ~7,900 req/s)
                    time.sleep(self.group_window)
                idle = False
                rows, batch = self._take_batch()
                if not rows and not batch:
                    # only background work, which must wait for its slice: sleep until then
                    # unless an urgent write arrives first
                    delay = self.busy_normal_interval - (time.monotonic() - self._last_normal)
                    kicked.wait(max(delay, 0.001))
                    continue
                self._run_batch(rows, batch)
        except BaseException as exc:
            self._fail_queued(exc)
            raise

    def _fail_queued(self, exc: BaseException) -> None:
        """Writer thread, dying: fail what is still queued (nothing would ever run it)."""
        _log.error("store writer stopped: %r", exc)
        self._dead = True
        error = StoreError("the database writer stopped")
        futures: list[asyncio.Future[Any]] = []
        for queue in (self._rows, self._urgent, self._normal):
            while queue:
                futures.append(queue.popleft().future)
        if self._loop is not None and futures:
            self._loop.call_soon_threadsafe(_fail_all, futures, error)

    def _take_batch(self) -> tuple[list[_Row], list[_Request[Any]]]:
        """Every waiting row and urgent request (up to max_batch), then normal requests: while
        busy, one request at most every `busy_normal_interval` (a small slice), otherwise up
        to `max_normal_batch` (`busy_normal_batch` when urgent work shares the batch)."""
        now = time.monotonic()
        rows: list[_Row] = []
        batch: list[_Request[Any]] = []
        pending_rows, urgent, normal = self._rows, self._urgent, self._normal
        while pending_rows and len(rows) < self.max_batch:
            rows.append(pending_rows.popleft())
        if (
            rows
            and self._row_rate(now, len(rows)) >= self.busy_rate
            and (len(rows) >= self.busy_rows)
        ):
            self._busy_until = now + self.busy_hold
        self._busy = now < self._busy_until
        while urgent and len(rows) + len(batch) < self.max_batch:
            batch.append(urgent.popleft())
        room = self.max_batch - len(rows) - len(batch)
        if self._busy:
            # a sustained burst of acknowledgements: background work waits its turn
            due = now - self._last_normal >= self.busy_normal_interval
            room = min(room, self.busy_normal_batch) if due else 0
        elif rows or batch:
            room = min(room, self.busy_normal_batch)
        else:
            room = min(room, self.max_normal_batch)
        if normal and room > 0:
            self._last_normal = now
            while normal and room > 0:
                batch.append(normal.popleft())
                room -= 1
        return rows, batch

    def _row_rate(self, now: float, taken: int) -> float:
        """Rows per second over the last `rate_window` seconds, counting `taken` now."""
        recent = self._recent_rows
        recent.append((now, taken))
        self._recent_count += taken
        while recent and now - recent[0][0] > self.rate_window:
            self._recent_count -= recent.popleft()[1]
        return self._recent_count / self.rate_window if self.rate_window > 0 else float("inf")

    def _run_batch(self, rows: list[_Row], batch: list[_Request[Any]]) -> None:
        """Writer thread: run one batch, then hand its results to the loop."""
        live_rows = [row for row in rows if not row.future.cancelled()]
        live = [request for request in batch if not request.future.cancelled()]
        if not live and not live_rows:
            return
        fns = [(request.fn, request.atomic) for request in live]
        inserts = [(row.sql, row.params) for row in live_rows]
        assert self._loop is not None
        try:
            ids, outcomes = self._execute(inserts, fns)
        except BaseException as exc:
            error = exc if isinstance(exc, Exception) else StoreError("the write was aborted")
            futures = [r.future for r in live_rows] + [r.future for r in live]
            self._loop.call_soon_threadsafe(_fail_all, futures, error)
            if not isinstance(exc, Exception):
                raise
            return
        self._loop.call_soon_threadsafe(_resolve, live_rows, ids, live, outcomes)

    def _execute(
        self,
        inserts: list[tuple[str, Sequence[Any]]],
        fns: list[tuple[Callable[[Connection], Any], bool]],
    ) -> tuple[list[int] | Exception, list[_Outcome]]:
        """Writer thread: the whole batch in one transaction — the rows first (in a
        SAVEPOINT), then the functions, one SAVEPOINT per atomic one (non-atomic ones are
        single statements that cannot partly fail). Returns the rows' ids (or the error that
        failed them all) and each function's outcome."""
        conn = self._wconn
        if conn is None:
            closed = StoreClosedError("the store is not open")
            return closed, [(False, closed) for _ in fns]
        if not fns:
            return self._execute_rows_only(conn, inserts), []
        outcomes: list[_Outcome] = []
        ids: list[int] | Exception = []
        try:
            with conn.begin():
                if inserts:
                    try:
                        ids = _insert_rows(_driver(conn), inserts, savepoint=True)
                    except Exception as exc:
                        _log.error("store insert failed: %s", exc)
                        ids = StoreError(f"the database write failed: {exc}")
                for fn, atomic in fns:
                    try:
                        if atomic:
                            with conn.begin_nested():
                                value = fn(conn)
                        else:
                            value = fn(conn)
                    except Exception as exc:
                        outcomes.append((False, exc))
                    else:
                        outcomes.append((True, value))
        except Exception as exc:
            _log.error("store commit failed: %s", exc)
            error = StoreError(f"the database write failed: {exc}")
            return error, [(False, error) for _ in fns]
        self.commits += 1
        return ids, outcomes

    def _execute_rows_only(
        self, conn: Connection, inserts: list[tuple[str, Sequence[Any]]]
    ) -> list[int] | Exception:
        """A batch of urgent rows alone: BEGIN IMMEDIATE, executemany, COMMIT on the driver
        connection (SQLAlchemy's connection is outside any transaction between batches)."""
        dbapi = _driver(conn)
        try:
            dbapi.execute("BEGIN IMMEDIATE")
            try:
                ids = _insert_rows(dbapi, inserts, savepoint=False)
                dbapi.execute("COMMIT")
            except BaseException:
                if dbapi.in_transaction:
                    dbapi.execute("ROLLBACK")
                raise
        except Exception as exc:
            _log.error("store commit failed: %s", exc)
            return StoreError(f"the database write failed: {exc}")
        self.commits += 1
        return ids

    # -- reads ------------------------------------------------------------------------------

    async def read(self, fn: Callable[[Connection], T]) -> T:
        """Run `fn(conn)` on a reader thread inside one read transaction; returns its result."""
        if self._state != "open" or self._reader_exec is None or self._loop is None:
            raise StoreClosedError("the store is not open")
        future = self._loop.run_in_executor(self._reader_exec, self._run_read, fn)
        self._reads.add(future)
        future.add_done_callback(self._reads.discard)
        return await future

    def _run_read(self, fn: Callable[[Connection], T]) -> T:
        with self.read_engine.connect() as conn:
            return fn(conn)


def _fail_all(futures: Sequence[asyncio.Future[Any]], error: BaseException) -> None:
    for future in futures:
        if not future.done():
            future.set_exception(error)


def _resolve(
    rows: list[_Row],
    ids: list[int] | Exception,
    requests: list[_Request[Any]],
    outcomes: list[_Outcome],
) -> None:
    """Loop thread: settle the futures of one committed (or failed) batch, in order."""
    if isinstance(ids, Exception):
        _fail_all([row.future for row in rows], ids)
    else:
        for row, row_id in zip(rows, ids, strict=True):
            if not row.future.done():
                row.future.set_result(row_id)
    for request, (ok, value) in zip(requests, outcomes, strict=True):
        if request.future.done():
            continue
        if ok:
            request.future.set_result(value)
        else:
            request.future.set_exception(value)


def _settle(future: asyncio.Future[Any], outcome: Any) -> None:
    """Loop thread: finish `future` with `outcome` (an exception is raised from it)."""
    if future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
    else:
        future.set_result(outcome)
