"""The composer's "send a template" panel, shown when the 24-hour window is closed.

It lists the number's synced templates that are APPROVED (name and language), builds a form
for the parameters the chosen one needs (text header `{{1}}`, media header link, body
variables — positional `{{1}}` or named `{{name}}` — and URL-button suffixes), shows a live
preview, and emits the send body built by `wadesk.core.outgoing.template` (so WhatsApp's
rules are checked before anything is queued). Templates are duck-typed (`name`, `language`,
`status`, `components`, `parameter_format`), as the engine's template list returns them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wadesk.core import outgoing
from wadesk.core.errors import WadeskError

_VAR = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")


@dataclass(frozen=True, slots=True)
class Param:
    """One form field: where it goes (`header`, `body`, `button`), its variable name, and for
    buttons the index; `media` is the header media kind for a link field."""

    place: str
    name: str
    index: int = 0
    media: str | None = None


def _component(template: Any, kind: str) -> Mapping[str, Any] | None:
    for comp in getattr(template, "components", ()) or ():
        if isinstance(comp, Mapping) and str(comp.get("type", "")).upper() == kind:
            return comp
    return None


def template_params(template: Any) -> list[Param]:
    """The parameters a template needs, in form order."""
    params: list[Param] = []
    header = _component(template, "HEADER")
    if header is not None:
        fmt = str(header.get("format", "TEXT")).upper()
        if fmt == "TEXT":
            params += [Param("header", v) for v in _VAR.findall(str(header.get("text", "")))]
        elif fmt in ("IMAGE", "VIDEO", "DOCUMENT"):
            params.append(Param("header", "link", media=fmt.lower()))
    body = _component(template, "BODY")
    if body is not None:
        seen: list[str] = []
        for name in _VAR.findall(str(body.get("text", ""))):
            if name not in seen:
                seen.append(name)
        params += [Param("body", n) for n in seen]
    buttons = _component(template, "BUTTONS")
    for i, button in enumerate((buttons or {}).get("buttons", []) or []):
        if isinstance(button, Mapping) and str(button.get("type", "")).upper() == "URL":
            if _VAR.search(str(button.get("url", ""))):
                params.append(Param("button", "1", index=i))
    return params


def render_preview(template: Any, values: Mapping[Param, str]) -> str:
    """Header, body, footer and buttons as plain text with the values filled in."""

    def fill(text: str, place: str) -> str:
        def sub(m: re.Match[str]) -> str:
            for p, v in values.items():
                if p.place == place and p.name == m.group(1) and v:
                    return v
            return m.group(0)

        return _VAR.sub(sub, text)

    lines: list[str] = []
    header = _component(template, "HEADER")
    if header is not None:
        if str(header.get("format", "TEXT")).upper() == "TEXT":
            lines.append(f"*{fill(str(header.get('text', '')), 'header')}*")
        else:
            lines.append(f"[{str(header.get('format')).lower()}]")
    body = _component(template, "BODY")
    if body is not None:
        lines.append(fill(str(body.get("text", "")), "body"))
    footer = _component(template, "FOOTER")
    if footer is not None:
        lines.append(f"_{footer.get('text', '')}_")
    buttons = _component(template, "BUTTONS")
    titles = [str(b.get("text", "")) for b in (buttons or {}).get("buttons", []) or []]
    if titles:
        lines.append(" | ".join(f"[{t}]" for t in titles))
    return "\n".join(line for line in lines if line)


def build_body(template: Any, to: str, values: Mapping[Param, str]) -> dict[str, Any]:
    """The send body (`outgoing.template`); raises `LimitError` if something is missing."""
    named = str(getattr(template, "parameter_format", "") or "").upper() == "NAMED"
    header: Any = None
    body_params: list[Any] = []
    buttons: list[outgoing.TemplateButton] = []
    for param, value in values.items():
        value = value.strip()
        if param.place == "header":
            if param.media:
                header = outgoing.media_param(param.media, link=value or "https://")
            else:
                header = outgoing.text_param(value, param.name if named else None)
        elif param.place == "body":
            body_params.append(outgoing.text_param(value, param.name if named else None))
        else:
            buttons.append(outgoing.TemplateButton(param.index, value, "url"))
    return outgoing.template(
        to,
        str(template.name),
        str(template.language or "en_US"),
        header=header,
        body_params=body_params,
        button_params=buttons,
    )


class TemplatePanel(QWidget):
    """Template picker + parameter form + live preview.

    Signals:
        send_requested(dict, str): the send body and the preview text.
    """

    send_requested = Signal(dict, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatePanel")
        self._templates: list[Any] = []
        self._fields: dict[Param, QLineEdit] = {}
        self.recipient = ""
        self.language = "en"
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setObjectName("windowClosedNotice")
        self.combo = QComboBox()
        self.combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setObjectName("templatePreview")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setObjectName("composerError")
        self.error.hide()
        self.send_button = QPushButton()
        self.send_button.setObjectName("primaryButton")
        self.send_button.clicked.connect(self._on_send_button_clicked)
        top = QHBoxLayout()
        top.addWidget(self.combo, 1)
        top.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.why)
        layout.addLayout(top)
        layout.addWidget(self.form_host)
        layout.addWidget(self.preview)
        layout.addWidget(self.error)
        self.retranslate()

    def retranslate(self) -> None:
        self.why.setText(
            self.tr(
                "The 24-hour window is closed: the customer has not written for more than a day, "
                "so WhatsApp only lets you send an approved template until they write again."
            )
        )
        self.send_button.setText(self.tr("Send template"))
        self._refresh_preview()

    def set_templates(self, templates: Sequence[Any] | None) -> None:
        """Show the approved ones; None means templates are not synced yet."""
        self._templates = [
            t for t in templates or () if str(getattr(t, "status", "")).upper() == "APPROVED"
        ]
        self.combo.blockSignals(True)
        self.combo.clear()
        for t in self._templates:
            self.combo.addItem(f"{t.name} ({t.language or '?'})")
        self.combo.blockSignals(False)
        empty = not self._templates
        self.combo.setEnabled(not empty)
        self.send_button.setEnabled(not empty)
        if empty:
            self.combo.addItem(self.tr("Sync templates first (Templates page)"))
        self._rebuild_form()

    def current(self) -> Any | None:
        i = self.combo.currentIndex()
        return self._templates[i] if 0 <= i < len(self._templates) else None

    def field(self, place: str, name: str) -> QLineEdit | None:
        for param, edit in self._fields.items():
            if param.place == place and param.name == name:
                return edit
        return None

    def values(self) -> dict[Param, str]:
        return {p: e.text() for p, e in self._fields.items()}

    def _rebuild_form(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._fields = {}
        template = self.current()
        if template is not None:
            for param in template_params(template):
                edit = QLineEdit()
                edit.textChanged.connect(self._refresh_preview)
                if param.media:
                    label = self.tr("Header %1 link (https)").replace("%1", param.media)
                elif param.place == "button":
                    label = self.tr("Button %1 link suffix").replace("%1", str(param.index + 1))
                elif param.place == "header":
                    label = self.tr("Header {{%1}}").replace("%1", param.name)
                else:
                    label = "{{" + param.name + "}}"
                self.form.addRow(label, edit)
                self._fields[param] = edit
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        template = self.current()
        self.preview.setText(render_preview(template, self.values()) if template else "")

    def _on_combo_current_index_changed(self, _index: int) -> None:
        self._rebuild_form()

    def _on_send_button_clicked(self) -> None:
        template = self.current()
        if template is None:
            return
        try:
            body = build_body(template, self.recipient or "0000000", self.values())
        except WadeskError as exc:
            self.error.setText(exc.explain(self.language))
            self.error.show()
            return
        self.error.hide()
        self.send_requested.emit(body, render_preview(template, self.values()))
