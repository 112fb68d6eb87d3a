"""WhatsApp text formatting as Qt rich text, and the small text helpers of the message view.

WhatsApp marks up `*bold*`, `_italic_`, `~strike~` and ```` ```monospace``` ````; links are
plain URLs. `to_html()` escapes the text first, keeps monospace blocks verbatim, turns URLs into
`<a href>` links (never formatting inside them) and applies the other markers only where
WhatsApp would (a marker must hug a word: `2 * 3 * 4` stays as it is). No Qt: pure functions.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

_MONO_RE = re.compile(r"```(.+?)```", re.DOTALL)
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)
_MARKERS: tuple[tuple[str, str, str], ...] = (
    ("*", "<b>", "</b>"),
    ("_", "<i>", "</i>"),
    ("~", "<s>", "</s>"),
)
MONO_FONT = "'DejaVu Sans Mono','Menlo','Consolas',monospace"


def _marker_re(marker: str) -> re.Pattern[str]:
    m = re.escape(marker)
    return re.compile(rf"(?<![\w{m}]){m}(?=\S)([^{m}\n]*?\S){m}(?![\w{m}])")


_MARKER_RES = [(_marker_re(m), open_, close) for m, open_, close in _MARKERS]


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    for pattern, open_, close in _MARKER_RES:
        escaped = pattern.sub(lambda match, o=open_, c=close: f"{o}{match.group(1)}{c}", escaped)
    return escaped


def _linkify(text: str, link_color: str | None) -> str:
    out: list[str] = []
    pos = 0
    style = f' style="color:{link_color}"' if link_color else ""
    for match in _URL_RE.finditer(text):
        out.append(_inline(text[pos : match.start()]))
        url = match.group(0)
        href = url if url.lower().startswith("http") else f"https://{url}"
        out.append(f'<a href="{html.escape(href)}"{style}>{html.escape(url, quote=False)}</a>')
        pos = match.end()
    out.append(_inline(text[pos:]))
    return "".join(out)


def to_html(text: str, link_color: str | None = None) -> str:
    """The text as Qt rich text with WhatsApp's formatting and clickable links."""
    parts: list[str] = []
    pos = 0
    for match in _MONO_RE.finditer(text):
        parts.append(_linkify(text[pos : match.start()], link_color))
        code = html.escape(match.group(1), quote=False)
        parts.append(f'<span style="font-family:{MONO_FONT}">{code}</span>')
        pos = match.end()
    parts.append(_linkify(text[pos:], link_color))
    return "".join(parts).replace("\n", "<br>")


def links(text: str) -> list[str]:
    """The URLs in `text`, as `to_html` links them."""
    return [m.group(0) for m in _URL_RE.finditer(text)]


def map_url(latitude: float, longitude: float) -> str:
    """An OpenStreetMap link centred on the coordinates."""
    return (
        f"https://www.openstreetmap.org/?mlat={latitude:.6f}&mlon={longitude:.6f}"
        f"#map=16/{latitude:.6f}/{longitude:.6f}"
    )


def local_time(value: datetime) -> datetime:
    """The instant in the machine's local time zone."""
    return value.astimezone()
