"""WhatsApp's limits for outgoing messages: the numeric limits, `LimitError`, and the supported
MIME types and maximum sizes per media kind (`MEDIA_LIMITS`, `check_media`; reference §5 and §9).

`wadesk.core.outgoing` builds messages on top of these and re-exports them. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from wadesk.core.errors import ErrorCategory, WadeskError, is_russian

MediaKind = Literal["image", "video", "audio", "document", "sticker"]
MEDIA_KINDS: tuple[str, ...] = ("image", "video", "audio", "document", "sticker")

TEXT_MAX = 4096
CAPTION_MAX = 1024
INTERACTIVE_BODY_MAX = 1024
HEADER_MAX = 60
FOOTER_MAX = 60
BUTTONS_MAX = 3
BUTTON_TITLE_MAX = 20
BUTTON_ID_MAX = 256
LIST_BUTTON_MAX = 20
LIST_SECTIONS_MAX = 10
LIST_ROWS_MAX = 10
ROW_TITLE_MAX = 24
ROW_ID_MAX = 200
ROW_DESCRIPTION_MAX = 72
SECTION_TITLE_MAX = 24
CTA_DISPLAY_TEXT_MAX = 20
CONTACTS_MAX = 257
TRACKER_MAX = 512
TEMPLATE_NAME_MAX = 512

_MB = 1024 * 1024


class LimitError(WadeskError, ValueError):
    """A message breaks a WhatsApp limit; raised before anything is sent."""

    category = ErrorCategory.CONFIG
    retryable = False

    def __init__(self, field: str, message_en: str, message_ru: str) -> None:
        self.field = field
        self.message_en = message_en
        self.message_ru = message_ru
        super().__init__(message_en)

    def explain(self, lang: str = "en") -> str:
        return self.message_ru if is_russian(lang) else self.message_en


def check_kind(kind: str) -> None:
    if kind not in MEDIA_KINDS:
        raise LimitError(
            "kind",
            f"media kind {kind!r} is not one of {', '.join(MEDIA_KINDS)}",
            f"тип медиа {kind!r} не входит в {', '.join(MEDIA_KINDS)}",
        )


@dataclass(frozen=True)
class MediaLimit:
    """Allowed MIME types and the maximum size in bytes of one media kind."""

    mime_types: frozenset[str]
    max_bytes: int


MEDIA_LIMITS: Mapping[str, MediaLimit] = {
    "audio": MediaLimit(
        frozenset({"audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"}), 16 * _MB
    ),
    "document": MediaLimit(
        frozenset({
            "text/plain",
            "application/pdf",
            "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        }),
        100 * _MB,
    ),
    "image": MediaLimit(frozenset({"image/jpeg", "image/png"}), 5 * _MB),
    # 100 KB static / 500 KB animated: the larger bound, since animation isn't known here.
    "sticker": MediaLimit(frozenset({"image/webp"}), 500 * 1024),
    "video": MediaLimit(frozenset({"video/mp4", "video/3gpp", "video/3gp"}), 16 * _MB),
}  # fmt: skip


def base_mime(mime: str) -> str:
    """`audio/ogg; codecs=opus` → `audio/ogg` (lower case, parameters dropped)."""
    return mime.split(";", 1)[0].strip().lower()


def kind_for_mime(mime: str) -> str | None:
    """The media kind a MIME type is sent as (webp → sticker), or None if none accepts it."""
    clean = base_mime(mime)
    for kind in ("image", "video", "audio", "sticker", "document"):
        if clean in MEDIA_LIMITS[kind].mime_types:
            return kind
    return None


def _size(n: int, lang: str = "en") -> str:
    """`n` bytes as "5 MB" / "100 KB" ("5 МБ" / "100 КБ" in Russian)."""
    mb, kb = ("МБ", "КБ") if lang == "ru" else ("MB", "KB")
    return f"{n / _MB:.0f} {mb}" if n >= _MB else f"{n // 1024} {kb}"


def check_media(kind: str, mime: str, size: int) -> None:
    """Raise `LimitError` unless `mime` is allowed for `kind` and `size` is within its limit."""
    check_kind(kind)
    limit = MEDIA_LIMITS[kind]
    if base_mime(mime) not in limit.mime_types:
        allowed = ", ".join(sorted(limit.mime_types))
        raise LimitError("mime_type", f"{kind}: type {mime!r} is not allowed (allowed: {allowed})",
                         f"{kind}: тип {mime!r} не разрешён (разрешены: {allowed})")  # fmt: skip
    if size > limit.max_bytes:
        raise LimitError(
            "size", f"{kind}: {size} bytes is over the limit of {_size(limit.max_bytes)}",
            f"{kind}: {size} байт — больше допустимых {_size(limit.max_bytes, 'ru')}",
        )  # fmt: skip
