"""What the Activity page (event inspector) reads: raw webhook events, the log tail, diagnostics.

- `list_raw_events(conn, …)` / `get_raw_event(conn, id)`: sync queries on a store `Connection`
  (run them through `engine.store.read`, or use the Engine commands `list_raw_events`,
  `raw_event`). Summaries carry no body; the detail carries the body as text, pretty-printed
  when it is JSON, and for rejected events the reason in plain English.
- `EventFilter` + `filter_args()`: the inspector's filter choices as query arguments.
- `tail_lines(path, n)`: the last lines of the rotating log file (blocking: call it in an
  executor).
- `diagnostics(engine)`: one text a user can paste into a support request — versions,
  platform, data dir, checks, health, numbers (labels and Phone Number IDs only), tunnel state
  and the last log lines. Every secret the engine can know of is registered with the redactor
  first, and the whole text passes through `engine.redactor.redact`.

Search uses `LIKE` over field, detail, phone number ids and the body (cast to text). Events
are scanned newest first and the scan stops at `limit` matches, so a common term is cheap; a
term that matches nothing reads every body once (a few ms per 10k events on an SSD). Meta
escapes non-ASCII characters as `\\uXXXX`, so the escaped form of the term is searched too.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Text, cast, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from wadesk import __version__
from wadesk.core.enums import ProcessingResult, SignatureVerdict
from wadesk.engine.logs import LOG_FILE_NAME
from wadesk.engine.secrets import SecretKind, SecretsUnavailable
from wadesk.engine.store.tables import raw_event_t

if TYPE_CHECKING:
    from wadesk.engine.service import Engine

log = logging.getLogger("wadesk.activity")

DEFAULT_PAGE = 200
MAX_BODY_CHARS = 200_000
DIAGNOSTIC_LOG_LINES = 200
_TAIL_CHUNK = 64 * 1024
_LIBRARIES = (
    "aiohttp",
    "httpx",
    "SQLAlchemy",
    "sqlmodel",
    "keyring",
    "pyngrok",
    "phonenumbers",
    "platformdirs",
    "qasync",
    "PySide6",
)
_REASONS = {
    SignatureVerdict.MISSING: "The request had no X-Hub-Signature-256 header: it did not come "
    "from Meta, or a proxy removed the header.",
    SignatureVerdict.INVALID: "The signature does not match the app secret of any number: the "
    "app secret in wadesk differs from the one in Meta's dashboard, or the request is forged.",
    SignatureVerdict.NO_SECRET: "No app secret is configured, so no webhook can be verified: "
    "add a number (with its app secret) first.",
}


@dataclass(frozen=True, slots=True)
class RawEventSummary:
    """One row of the inspector (no body)."""

    id: int
    received_at: datetime
    verdict: SignatureVerdict
    result: ProcessingResult
    detail: str | None
    field: str | None
    phone_number_ids: tuple[str, ...]
    size: int
    processed_at: datetime | None = None

    @property
    def replayable(self) -> bool:
        """Only events with a valid signature may be applied (again)."""
        return self.verdict is SignatureVerdict.VALID


@dataclass(frozen=True, slots=True)
class RawEventDetail:
    """One raw event with its body as text.

    Attributes:
        body: the body decoded as UTF-8 (invalid bytes replaced), pretty-printed when it is
            JSON, cut at `MAX_BODY_CHARS` (then `truncated`).
        is_json: whether the body parsed as JSON.
        reason: why the event was rejected or failed, in plain English (None when applied).
    """

    summary: RawEventSummary
    body: str
    is_json: bool
    truncated: bool
    reason: str | None

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def verdict(self) -> SignatureVerdict:
        return self.summary.verdict

    @property
    def result(self) -> ProcessingResult:
        return self.summary.result


class EventFilter(StrEnum):
    """The inspector's filter choices."""

    ALL = "all"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ERRORS = "errors"
    UNKNOWN_NUMBER = "unknown_number"


def filter_args(choice: EventFilter | str) -> dict[str, Any]:
    """`result=` / `verdict=` arguments of `list_raw_events` for a filter choice."""
    choice = EventFilter(choice)
    if choice is EventFilter.ACCEPTED:
        return {"verdict": SignatureVerdict.VALID}
    if choice is EventFilter.REJECTED:
        return {"result": ProcessingResult.REJECTED}
    if choice is EventFilter.ERRORS:
        return {"result": ProcessingResult.ERROR}
    if choice is EventFilter.UNKNOWN_NUMBER:
        return {"result": ProcessingResult.UNKNOWN_NUMBER}
    return {}


def matches(
    summary: RawEventSummary,
    *,
    result: ProcessingResult | Sequence[ProcessingResult] | None = None,
    verdict: SignatureVerdict | None = None,
) -> bool:
    """Whether a summary passes the result/verdict filter (for events arriving live)."""
    results = _as_results(result)
    if results and summary.result not in results:
        return False
    return verdict is None or summary.verdict is verdict


# -- queries ----------------------------------------------------------------------------------

_SUMMARY_COLUMNS = (
    raw_event_t.c.id,
    raw_event_t.c.received_at,
    raw_event_t.c.signature_verdict,
    raw_event_t.c.result,
    raw_event_t.c.detail,
    raw_event_t.c.field,
    raw_event_t.c.phone_number_ids,
    func.length(raw_event_t.c.body).label("size"),
    raw_event_t.c.processed_at,
)


def list_raw_events(
    conn: Connection,
    *,
    before_id: int | None = None,
    limit: int = DEFAULT_PAGE,
    result: ProcessingResult | Sequence[ProcessingResult] | None = None,
    verdict: SignatureVerdict | None = None,
    search: str | None = None,
    ids: Sequence[int] | None = None,
) -> list[RawEventSummary]:
    """Raw events newest first; `before_id` pages backwards (ids strictly below it); `ids`
    restricts to those events (the inspector refreshing rows that changed)."""
    query = select(*_SUMMARY_COLUMNS).order_by(raw_event_t.c.id.desc()).limit(max(1, limit))
    if before_id is not None:
        query = query.where(raw_event_t.c.id < before_id)
    if ids is not None:
        query = query.where(raw_event_t.c.id.in_([int(i) for i in ids]))
    results = _as_results(result)
    if results:
        query = query.where(raw_event_t.c.result.in_([r.value for r in results]))
    if verdict is not None:
        query = query.where(raw_event_t.c.signature_verdict == SignatureVerdict(verdict).value)
    condition = _search_condition(search)
    if condition is not None:
        query = query.where(condition)
    return [_summary(row) for row in conn.execute(query).mappings()]


def get_raw_event(conn: Connection, raw_event_id: int) -> RawEventDetail:
    """One raw event with its body; raises KeyError when there is no such event."""
    row = (
        conn.execute(
            select(*_SUMMARY_COLUMNS, raw_event_t.c.body).where(raw_event_t.c.id == raw_event_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise KeyError(f"No webhook event #{raw_event_id}")
    summary = _summary(row)
    text, is_json = render_body(bytes(row["body"]))
    truncated = len(text) > MAX_BODY_CHARS
    if truncated:
        text = text[:MAX_BODY_CHARS]
    return RawEventDetail(summary, text, is_json, truncated, rejection_reason(summary))


def render_body(body: bytes) -> tuple[str, bool]:
    """The body as text: pretty-printed JSON (non-ASCII shown as is) when it parses."""
    text = body.decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        return text, False
    return json.dumps(parsed, indent=2, ensure_ascii=False), True


def rejection_reason(summary: RawEventSummary) -> str | None:
    """Why an event was not applied, in plain English; None for applied or pending events."""
    if summary.verdict in _REASONS:
        return _REASONS[summary.verdict]
    if summary.result is ProcessingResult.REJECTED:
        return f"The body is not a WhatsApp webhook: {summary.detail or 'malformed'}."
    if summary.result is ProcessingResult.UNKNOWN_NUMBER:
        return (
            "The event is for a Phone Number ID that is not added in wadesk "
            f"({summary.detail or 'unknown number'})."
        )
    if summary.result is ProcessingResult.ERROR:
        return f"Applying the event failed: {summary.detail or 'unknown error'}."
    return None


def _as_results(
    result: ProcessingResult | Sequence[ProcessingResult] | None,
) -> list[ProcessingResult]:
    if result is None:
        return []
    if isinstance(result, str):
        return [ProcessingResult(result)]
    return [ProcessingResult(r) for r in result]


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search_condition(search: str | None) -> ColumnElement[bool] | None:
    term = (search or "").strip()
    if not term:
        return None
    patterns = [_like_pattern(term)]
    escaped = json.dumps(term, ensure_ascii=True)[1:-1]
    if escaped != term:
        patterns.append(_like_pattern(escaped))
    body = cast(raw_event_t.c.body, Text)
    clauses: list[ColumnElement[bool]] = []
    for pattern in patterns:
        for column in (raw_event_t.c.field, raw_event_t.c.detail, raw_event_t.c.phone_number_ids):
            clauses.append(column.like(pattern, escape="\\"))
        clauses.append(body.like(pattern, escape="\\"))
    digits = term.removeprefix("#")
    if digits.isdigit() and len(digits) < 19:
        clauses.append(raw_event_t.c.id == int(digits))
    return or_(*clauses)


def _summary(row: Any) -> RawEventSummary:
    ids = row["phone_number_ids"]
    return RawEventSummary(
        id=int(row["id"]),
        received_at=row["received_at"],
        verdict=SignatureVerdict(row["signature_verdict"]),
        result=ProcessingResult(row["result"]),
        detail=row["detail"],
        field=row["field"],
        phone_number_ids=tuple(p for p in (ids or "").split(",") if p),
        size=int(row["size"] or 0),
        processed_at=row["processed_at"],
    )


# -- the log file --------------------------------------------------------------------------------


def log_file_path(log_dir: Path) -> Path:
    """The rotating log file in a log dir (see `logs.configure_logging`)."""
    return log_dir / LOG_FILE_NAME


def tail_lines(path: Path, n: int, *, include_rotated: bool = True) -> list[str]:
    """The last `n` lines of a log file (and of its `.1` backup when the current file is
    shorter), oldest first; [] when there is no log yet. Blocking: run it in an executor."""
    if n <= 0:
        return []
    lines = _tail_one(path, n)
    if include_rotated and len(lines) < n:
        backup = path.with_name(path.name + ".1")
        lines = _tail_one(backup, n - len(lines)) + lines
    return lines


def _tail_one(path: Path, n: int) -> list[str]:
    try:
        with path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            end = fh.tell()
            data = b""
            pos = end
            while pos > 0 and data.count(b"\n") <= n:
                step = min(_TAIL_CHUNK, pos)
                pos -= step
                fh.seek(pos)
                data = fh.read(step) + data
    except OSError:
        return []
    lines = data.decode("utf-8", errors="replace").splitlines()
    if pos > 0 and lines:
        lines = lines[1:]  # the first one may be cut
    return lines[-n:]


# -- diagnostics ------------------------------------------------------------------------------


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries wadesk relies on (from package metadata: nothing
    is imported)."""
    found: dict[str, str] = {}
    for name in _LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _prime_redactor(engine: Engine, phone_number_ids: Sequence[str]) -> list[str]:
    """Read every secret the engine may hold so the redactor knows them all; returns which
    ones exist (names only). Blocking."""
    present: list[str] = []
    wanted: list[tuple[SecretKind, str]] = [
        (SecretKind.VERIFY_TOKEN, ""),
        (SecretKind.NGROK_AUTHTOKEN, ""),
    ]
    for pnid in phone_number_ids:
        wanted += [(SecretKind.ACCESS_TOKEN, pnid), (SecretKind.APP_SECRET, pnid)]
    for kind, scope in wanted:
        try:
            value = engine.secrets.get(kind, scope)
        except (SecretsUnavailable, ValueError):
            continue
        if value:
            present.append(f"{kind.value}:{scope}" if scope else kind.value)
    prefixes = tuple(kind.env_name for kind in SecretKind)
    for name, value in os.environ.items():
        if name.startswith(prefixes):
            engine.redactor.add(value)
    return present


def describe_tunnel(engine: Any) -> dict[str, Any] | None:
    """State, public URL and reason of `engine.connection` (the tunnel), if it exists.

    Keys: mode, state, public_url, reason (English text) and reason_message (the reason as a
    `wadesk.core.messages.Message`, for the GUI to render in its language; None if unknown)."""
    connection = getattr(engine, "connection", None)
    if connection is None:
        return None
    status = getattr(connection, "status", None)
    if status is None and getattr(connection, "tunnel", None) is not None:
        status = getattr(connection.tunnel, "status", None)
    if callable(status):
        try:
            status = status()
        except Exception:  # a diagnostic must never fail on a part that misbehaves
            return {
                "mode": None,
                "state": "unknown",
                "public_url": None,
                "reason": None,
                "reason_message": None,
            }
    if status is None:
        return None
    inner = getattr(status, "tunnel", None)  # ConnectionStatus wraps the TunnelStatus
    source = inner if inner is not None and hasattr(inner, "state") else status
    state = getattr(source, "state", None)
    return {
        "mode": _opt_str(getattr(status, "mode", None)),
        "state": str(getattr(state, "value", state)) if state is not None else "unknown",
        "public_url": _opt_str(getattr(source, "public_url", None)),
        "reason": _opt_str(getattr(source, "reason", None)),
        "reason_message": getattr(source, "reason_message", None),
    }


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


async def diagnostics(engine: Engine, *, log_lines: int = DIAGNOSTIC_LOG_LINES) -> str:
    """A support text without secrets (see the module docstring)."""
    out: list[str] = []
    add = out.append
    add(f"wadesk {__version__} diagnostics — {datetime.now(UTC).isoformat(timespec='seconds')}")
    add("")
    add("## Versions")
    add(f"Python {sys.version.split()[0]} ({platform.python_implementation()})")
    add(f"Platform {platform.platform()} ({platform.machine()})")
    for name, version in library_versions().items():
        add(f"{name} {version}")
    add("")
    add("## Paths")
    paths = engine.settings.paths
    add(f"Data dir: {paths.data_dir}")
    add(f"Log file: {log_file_path(paths.log_dir)}")
    add("")
    try:
        numbers = await engine.list_numbers()
    except Exception as exc:
        numbers = []
        add(f"Numbers: unavailable ({type(exc).__name__})")
    present = await engine.blocking(_prime_redactor, engine, [n.phone_number_id for n in numbers])
    add("## Checks")
    status = await engine.blocking(engine.secrets.status)
    add(f"[{'ok' if status.ok else 'FAIL'}] keyring ({status.backend}): {status.message}")
    server = engine.server
    add(f"[{'ok' if server is not None else 'FAIL'}] webhook server: " + _server_text(server))
    verifications = getattr(engine, "verification_requests", [])
    passed = sum(1 for _, ok in verifications if ok)
    add(f"[info] verification requests this session: {len(verifications)} ({passed} passed)")
    add(f"[info] secrets present: {', '.join(present) or 'none'}")
    tunnel = describe_tunnel(engine)
    if tunnel is None or tunnel["mode"] == "off":
        add("[info] tunnel: not configured (no ngrok authtoken, no public URL)")
    else:
        extra = f" {tunnel['public_url']}" if tunnel["public_url"] else ""
        why = f" ({tunnel['reason']})" if tunnel["reason"] else ""
        mode = f" ({tunnel['mode']})" if tunnel["mode"] else ""
        add(f"[info] tunnel{mode}: {tunnel['state']}{extra}{why}")
    add("")
    add("## Health")
    try:
        health = await engine.health()
        add(json.dumps(health, indent=2, sort_keys=True, default=str))
    except Exception as exc:
        add(f"unavailable ({type(exc).__name__})")
    add("")
    add("## Numbers")
    for number in numbers:
        state = "active" if number.active else "inactive"
        add(
            f"- {number.label}: {number.phone}, Phone Number ID {number.phone_number_id}, "
            f"WABA {number.waba_id}, {state}"
        )
    if not numbers:
        add("(none)")
    add("")
    path = log_file_path(paths.log_dir)
    lines = await engine.blocking(tail_lines, path, log_lines)
    add(f"## Last {len(lines)} log lines")
    out.extend(lines)
    return engine.redactor.redact("\n".join(out)) + "\n"


def _server_text(server: Any) -> str:
    if server is None:
        return "not running"
    url = getattr(server, "url", None)
    return f"listening on {url}" if url else "running"
