"""Raw JSON with syntax highlighting: `JsonHighlighter` and the read-only `JsonView`.

The highlighter colours keys, string values, numbers, and `true`/`false`/`null` (plus
punctuation, muted) in colours for the light or the dark look; `set_dark()` switches them and
re-highlights. It works line by line with regular expressions, which is exact for the
pretty-printed JSON the inspector shows (a string never spans lines there) and degrades to
plain text for anything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QWidget

_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\]|\\.)*")(?P<colon>\s*:)?'
    r"|(?P<number>-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)"
    r"|(?P<literal>\b(?:true|false|null)\b)"
    r"|(?P<punct>[{}\[\],:])"
)


@dataclass(frozen=True, slots=True)
class JsonColors:
    key: str
    string: str
    number: str
    literal: str
    punct: str


LIGHT_JSON = JsonColors(
    key="#0B6BCB", string="#0A7D45", number="#B35900", literal="#8E44AD", punct="#667781"
)
DARK_JSON = JsonColors(
    key="#7CC4FF", string="#7EE2A8", number="#FFB86B", literal="#D7A8FF", punct="#8696A0"
)


class JsonHighlighter(QSyntaxHighlighter):
    """Colours JSON tokens of a `QTextDocument` (see the module docstring)."""

    def __init__(self, document: QTextDocument, *, dark: bool = False) -> None:
        super().__init__(document)
        self.enabled = True
        self.colors = LIGHT_JSON
        self._formats: dict[str, QTextCharFormat] = {}
        self.set_dark(dark)

    def set_dark(self, dark: bool) -> None:
        self.colors = DARK_JSON if dark else LIGHT_JSON
        self._formats = {}
        for kind in ("key", "string", "number", "literal", "punct"):
            fmt = QTextCharFormat()
            fmt.setForeground(QColor(getattr(self.colors, kind)))
            if kind == "key":
                fmt.setFontWeight(QFont.Weight.DemiBold)
            self._formats[kind] = fmt
        self.rehighlight()

    def set_enabled(self, enabled: bool) -> None:
        """Plain text when disabled (bodies that are not JSON)."""
        if enabled != self.enabled:
            self.enabled = enabled
            self.rehighlight()

    def format_of(self, kind: str) -> QTextCharFormat:
        return self._formats[kind]

    def highlightBlock(self, text: str) -> None:
        if not self.enabled:
            return
        for match in _TOKEN.finditer(text):
            if match.group("string") is not None:
                kind = "key" if match.group("colon") else "string"
                start, end = match.span("string")
                self.setFormat(start, end - start, self._formats[kind])
                if match.group("colon"):
                    c_start, c_end = match.span("colon")
                    self.setFormat(c_start, c_end - c_start, self._formats["punct"])
                continue
            kind = match.lastgroup or "punct"
            start, end = match.span()
            self.setFormat(start, end - start, self._formats[kind])


class JsonView(QPlainTextEdit):
    """A read-only, monospaced, highlighted view of a webhook body."""

    def __init__(self, parent: QWidget | None = None, *, dark: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("JsonView")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(max(font.pointSizeF(), 9.5))
        self.setFont(font)
        self.highlighter = JsonHighlighter(self.document(), dark=dark)

    def show_body(self, text: str, *, is_json: bool) -> None:
        self.highlighter.set_enabled(is_json)
        self.setPlainText(text)

    def set_dark(self, dark: bool) -> None:
        self.highlighter.set_dark(dark)
