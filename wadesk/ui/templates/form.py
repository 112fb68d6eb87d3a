"""What the composer's template panel and the Templates page share: the parameters a template
needs (`template_params`), the plain-text preview stored as the message's text
(`render_preview`), the send body (`build_body`, through `wadesk.core.outgoing` so WhatsApp's
rules are checked before anything is queued), the rendered preview widget (`TemplatePreview`,
a WhatsApp-like bubble: header text or a media placeholder, body with numbered variables,
footer, buttons) and the parameter form with its live preview (`TemplateForm`).

Templates are duck-typed (`name`, `language`, `status`, `components`, `parameter_format`), as
the engine's template list returns them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wadesk.core import outgoing

if TYPE_CHECKING:
    from wadesk.ui.inbox.conversation.painting import BubbleColors


def colors_for(palette: QPalette) -> BubbleColors:
    """The message view's bubble colours (imported late: the conversation package imports
    this module through the composer)."""
    from wadesk.ui.inbox.conversation.painting import colors_for as bubble_colors

    return bubble_colors(palette)


_VAR = re.compile(r"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")


@dataclass(frozen=True, slots=True)
class Param:
    """One form field: where it goes (`header`, `body`, `button`), its variable name, and for
    buttons the index; `media` is the header media kind for a link field."""

    place: str
    name: str
    index: int = 0
    media: str | None = None


def component(template: Any, kind: str) -> Mapping[str, Any] | None:
    """The template's first component of this type (HEADER, BODY, FOOTER, BUTTONS)."""
    for comp in getattr(template, "components", ()) or ():
        if isinstance(comp, Mapping) and str(comp.get("type", "")).upper() == kind:
            return comp
    return None


def template_params(template: Any) -> list[Param]:
    """The parameters a template needs, in form order."""
    params: list[Param] = []
    header = component(template, "HEADER")
    if header is not None:
        fmt = str(header.get("format", "TEXT")).upper()
        if fmt == "TEXT":
            params += [Param("header", v) for v in _VAR.findall(str(header.get("text", "")))]
        elif fmt in ("IMAGE", "VIDEO", "DOCUMENT"):
            params.append(Param("header", "link", media=fmt.lower()))
    body = component(template, "BODY")
    if body is not None:
        seen: list[str] = []
        for name in _VAR.findall(str(body.get("text", ""))):
            if name not in seen:
                seen.append(name)
        params += [Param("body", n) for n in seen]
    buttons = component(template, "BUTTONS")
    for i, button in enumerate((buttons or {}).get("buttons", []) or []):
        if isinstance(button, Mapping) and str(button.get("type", "")).upper() == "URL":
            if _VAR.search(str(button.get("url", ""))):
                params.append(Param("button", "1", index=i))
    return params


def _fill(text: str, place: str, values: Mapping[Param, str], mark: bool = False) -> str:
    """`text` with the variables of `place` replaced by their values; with `mark`, HTML where
    the filled values are bold and the empty variables highlighted."""
    out: list[str] = []
    pos = 0
    for m in _VAR.finditer(text):
        chunk = text[pos : m.start()]
        out.append(html.escape(chunk) if mark else chunk)
        value = next(
            (v for p, v in values.items() if p.place == place and p.name == m.group(1) and v),
            None,
        )
        if not mark:
            out.append(value if value is not None else m.group(0))
        elif value is not None:
            out.append(f"<b>{html.escape(value)}</b>")
        else:
            out.append(f"<span class='var'>{html.escape(m.group(0))}</span>")
        pos = m.end()
    tail = text[pos:]
    out.append(html.escape(tail) if mark else tail)
    return "".join(out)


def button_titles(template: Any) -> list[str]:
    buttons = component(template, "BUTTONS")
    return [
        str(b.get("text", ""))
        for b in (buttons or {}).get("buttons", []) or []
        if isinstance(b, Mapping)
    ]


def render_preview(template: Any, values: Mapping[Param, str]) -> str:
    """Header, body, footer and buttons as plain text with the values filled in (what the
    message row keeps as its text)."""
    lines: list[str] = []
    header = component(template, "HEADER")
    if header is not None:
        if str(header.get("format", "TEXT")).upper() == "TEXT":
            lines.append(f"*{_fill(str(header.get('text', '')), 'header', values)}*")
        else:
            lines.append(f"[{str(header.get('format')).lower()}]")
    body = component(template, "BODY")
    if body is not None:
        lines.append(_fill(str(body.get("text", "")), "body", values))
    footer = component(template, "FOOTER")
    if footer is not None:
        lines.append(f"_{footer.get('text', '')}_")
    titles = button_titles(template)
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


class TemplatePreview(QLabel):
    """A template drawn like an outgoing WhatsApp bubble: bold header (or a placeholder for a
    media header), the body with the filled values in bold and the empty variables
    highlighted, the footer in grey, the buttons under a rule."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("templatePreview")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._template: Any = None
        self._values: Mapping[Param, str] = {}
        self._dark: bool | None = None
        self._restyle()

    def show_template(self, template: Any, values: Mapping[Param, str] | None = None) -> None:
        self._template = template
        self._values = dict(values or {})
        self._render()

    def plain_text(self) -> str:
        """The preview as the message text will read (empty without a template)."""
        if self._template is None:
            return ""
        return render_preview(self._template, self._values)

    def _media_name(self, fmt: str) -> str:
        names = {
            "IMAGE": self.tr("Image"),
            "VIDEO": self.tr("Video"),
            "DOCUMENT": self.tr("Document"),
            "LOCATION": self.tr("Location"),
        }
        return names.get(fmt, fmt.title())

    def _render(self) -> None:
        template = self._template
        if template is None:
            self.setText("")
            self.setVisible(False)
            return
        self.setVisible(True)
        c = self._colors()
        parts: list[str] = []
        header = component(template, "HEADER")
        if header is not None:
            fmt = str(header.get("format", "TEXT")).upper()
            if fmt == "TEXT":
                text = _fill(str(header.get("text", "")), "header", self._values, mark=True)
                parts.append(f"<p style='font-weight:600'>{text}</p>")
            else:
                name = html.escape(self._media_name(fmt))
                parts.append(
                    f"<table width='100%' cellpadding='14' style='background:{c.quote_bg}'>"
                    f"<tr><td align='center' style='color:{c.muted}'>▣ {name}</td></tr></table>"
                )
        body = component(template, "BODY")
        if body is not None:
            text = _fill(str(body.get("text", "")), "body", self._values, mark=True)
            parts.append(f"<p>{text.replace(chr(10), '<br>')}</p>")
        footer = component(template, "FOOTER")
        if footer is not None:
            text = html.escape(str(footer.get("text", "")))
            parts.append(f"<p style='color:{c.muted}; font-size:small'>{text}</p>")
        titles = button_titles(template)
        if titles:
            links = "".join(
                f"<tr><td align='center' style='color:{c.link}; border-top:1px solid {c.border}'>"
                f"{html.escape(t)}</td></tr>"
                for t in titles
            )
            parts.append(f"<table width='100%' cellpadding='4'>{links}</table>")
        style = f"<style>.var {{ background:{c.quote_bg}; color:{c.accent}; }}</style>"
        self.setText(style + "".join(parts))

    def _colors(self) -> BubbleColors:
        # the application's palette: the label's own one is coloured by its style sheet
        return colors_for(QGuiApplication.palette())

    def _restyle(self) -> None:
        c = self._colors()
        if c.dark == self._dark:
            return
        self._dark = c.dark
        self.setStyleSheet(
            f"QLabel#templatePreview {{ background: {c.outbound}; color: {c.text};"
            f" border: 1px solid {c.border}; border-radius: 9px; padding: 8px 10px; }}"
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kind = event.type()
        if kind in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
            QEvent.Type.StyleChange,
        ):
            dark = self._dark
            self._restyle()
            if dark != self._dark:
                self._render()
        elif kind == QEvent.Type.LanguageChange:
            self._render()


class TemplateForm(QWidget):
    """The parameter form of one template with its live preview.

    Signals:
        changed(): a value changed (the preview is already updated).
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template: Any = None
        self.fields: dict[Param, QLineEdit] = {}
        self.form_host = QWidget()
        self.form = QFormLayout(self.form_host)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.preview = TemplatePreview()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form_host)
        layout.addWidget(self.preview)

    def set_template(self, template: Any) -> None:
        """Rebuild the form for `template` (None clears it)."""
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = {}
        self.template = template
        if template is not None:
            for param in template_params(template):
                edit = QLineEdit()
                edit.textChanged.connect(self._on_edit_text_changed)
                self.form.addRow(self.label_for(param), edit)
                self.fields[param] = edit
        self.form_host.setVisible(bool(self.fields))
        self.refresh()

    def label_for(self, param: Param) -> str:
        if param.media:
            return self.tr("Header %1 link (https)").replace("%1", param.media)
        if param.place == "button":
            return self.tr("Button %1 link suffix").replace("%1", str(param.index + 1))
        if param.place == "header":
            return self.tr("Header {{%1}}").replace("%1", param.name)
        return "{{" + param.name + "}}"

    def retranslate(self) -> None:
        for param, edit in self.fields.items():
            label = self.form.labelForField(edit)
            if isinstance(label, QLabel):
                label.setText(self.label_for(param))
        self.refresh()

    def field(self, place: str, name: str) -> QLineEdit | None:
        for param, edit in self.fields.items():
            if param.place == place and param.name == name:
                return edit
        return None

    def values(self) -> dict[Param, str]:
        return {p: e.text() for p, e in self.fields.items()}

    def preview_text(self) -> str:
        return self.preview.plain_text()

    def body(self, to: str) -> dict[str, Any]:
        """The send body for `to`; raises `LimitError` (it explains itself) when invalid."""
        return build_body(self.template, to, self.values())

    def refresh(self) -> None:
        self.preview.show_template(self.template, self.values())

    def _on_edit_text_changed(self, _text: str) -> None:
        self.refresh()
        self.changed.emit()
