"""Quick replies: saved answers the owner inserts by typing `/shortcut` in the composer.

They live in one small JSON file in the data dir (`quick_replies.json`), not in the database:
a list of `{"shortcut", "text", "media_path"}` objects. `QuickReplyStore.load()`/`save()` are
blocking (file I/O) — call them through `engine.blocking` or use `aload`/`asave`, which do.
`expand()` fills variables like `{{name}}` from a mapping (the contact's values); unknown
variables are left as they are so the owner sees what is missing. `check_media_file()`
(blocking) checks an attachment against WhatsApp's type and size limits before it is saved.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import os
import re
import tempfile
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

from wadesk.core.outgoing_limits import LimitError, check_media, kind_for_mime

log = logging.getLogger("wadesk.quick_replies")

FILE_NAME = "quick_replies.json"
MAX_QUICK_REPLIES = 50
SHORTCUT_MAX = 32
_SHORTCUT_RE = re.compile(r"^[\w\-]{1,32}$", re.UNICODE)
_VARIABLE_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

T = TypeVar("T")
Blocking = Callable[..., Awaitable[Any]]


class QuickReplyError(ValueError):
    """A quick reply is invalid (bad shortcut, empty text, duplicate, too many)."""


@dataclass(frozen=True, slots=True)
class QuickReply:
    """One saved answer: `/shortcut` → `text` (optionally with a media file to attach)."""

    shortcut: str
    text: str
    media_path: str | None = None

    def matches(self, prefix: str) -> bool:
        """True when the shortcut starts with `prefix` or the text contains it (any case)."""
        needle = prefix.casefold()
        return self.shortcut.casefold().startswith(needle) or needle in self.text.casefold()


def normalize_shortcut(shortcut: str) -> str:
    """`/Thanks ` → `thanks`; raises `QuickReplyError` for anything but letters, digits, _ -."""
    value = shortcut.strip().lstrip("/").strip().casefold()
    if not _SHORTCUT_RE.match(value):
        raise QuickReplyError(
            f"shortcut {shortcut!r} must be 1-{SHORTCUT_MAX} letters, digits, '_' or '-'"
        )
    return value


def validate(replies: Iterable[QuickReply]) -> list[QuickReply]:
    """Normalised copies of `replies`; raises `QuickReplyError` on a problem."""
    result: list[QuickReply] = []
    seen: set[str] = set()
    for reply in replies:
        shortcut = normalize_shortcut(reply.shortcut)
        if shortcut in seen:
            raise QuickReplyError(f"shortcut /{shortcut} is used twice")
        if not reply.text.strip() and not reply.media_path:
            raise QuickReplyError(f"quick reply /{shortcut} has no text")
        seen.add(shortcut)
        result.append(QuickReply(shortcut, reply.text, reply.media_path or None))
    if len(result) > MAX_QUICK_REPLIES:
        raise QuickReplyError(f"at most {MAX_QUICK_REPLIES} quick replies")
    return result


def expand(text: str, values: Mapping[str, str | None]) -> str:
    """Replace `{{name}}`-style variables with `values`; unknown or empty ones stay as is."""

    def substitute(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        return value if value else match.group(0)

    return _VARIABLE_RE.sub(substitute, text)


def variables(text: str) -> list[str]:
    """The variable names used in `text`, in order of first use."""
    names: list[str] = []
    for match in _VARIABLE_RE.finditer(text):
        if match.group(1) not in names:
            names.append(match.group(1))
    return names


def filter_replies(replies: Iterable[QuickReply], prefix: str) -> list[QuickReply]:
    """Replies whose shortcut starts with `prefix` first, then those whose text contains it."""
    items = list(replies)
    first = [r for r in items if r.shortcut.casefold().startswith(prefix.casefold())]
    rest = [r for r in items if r not in first and r.matches(prefix)]
    return first + rest


class QuickReplyStore:
    """The quick replies of one data dir, kept in `<data dir>/quick_replies.json`.

    Attributes:
        path: the JSON file.
    """

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / FILE_NAME

    def load(self) -> list[QuickReply]:
        """The saved replies (blocking). A missing file gives `[]`; a broken one is logged and
        gives `[]` too (it is left untouched until the next save)."""
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        try:
            data = json.loads(raw)
        except ValueError:
            log.warning("%s is not valid JSON; no quick replies loaded", self.path)
            return []
        items = data.get("quick_replies") if isinstance(data, dict) else data
        if not isinstance(items, list):
            return []
        replies: list[QuickReply] = []
        for item in items:
            if not isinstance(item, dict):
                continue
            shortcut, text = item.get("shortcut"), item.get("text")
            media = item.get("media_path")
            if isinstance(shortcut, str) and isinstance(text, str):
                replies.append(
                    QuickReply(shortcut, text, media if isinstance(media, str) else None)
                )
        try:
            return validate(replies)
        except QuickReplyError as exc:
            log.warning("%s: %s; keeping the valid entries", self.path, exc)
            return _valid_subset(replies)

    def save(self, replies: Iterable[QuickReply]) -> list[QuickReply]:
        """Validate and write atomically (blocking); returns what was saved."""
        clean = validate(replies)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"version": 1, "quick_replies": [asdict(r) for r in clean]}
        fd, tmp = tempfile.mkstemp(prefix=".quick_replies.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False, indent=2)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return clean

    async def aload(self, blocking: Blocking) -> list[QuickReply]:
        """`load()` through an executor (`engine.blocking`)."""
        result: list[QuickReply] = await blocking(self.load)
        return result

    async def asave(self, blocking: Blocking, replies: Iterable[QuickReply]) -> list[QuickReply]:
        """`save()` through an executor (`engine.blocking`)."""
        result: list[QuickReply] = await blocking(self.save, list(replies))
        return result


def check_media_file(path: str | Path) -> tuple[str, str]:
    """(kind, MIME type) of an attachment file (blocking); `LimitError` when the file is missing,
    of a type WhatsApp does not take, or too large for its kind."""
    file = Path(path)
    if not file.is_file():
        raise LimitError("media_path", f"{file} does not exist", f"файла {file} нет")
    mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    kind = kind_for_mime(mime)
    if kind is None:
        raise LimitError(
            "mime_type",
            f"WhatsApp does not accept files of type {mime}",
            f"WhatsApp не принимает файлы типа {mime}",
        )
    check_media(kind, mime, file.stat().st_size)
    return kind, mime


def _valid_subset(replies: list[QuickReply]) -> list[QuickReply]:
    kept: list[QuickReply] = []
    for reply in replies:
        try:
            kept = validate([*kept, reply])
        except QuickReplyError:
            continue
    return kept
