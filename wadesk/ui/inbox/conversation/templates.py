"""The composer's "send a template" panel, shown when the 24-hour window is closed.

It lists the number's synced templates that are APPROVED (name and language) and shows the
shared parameter form with its live preview (`wadesk.ui.templates.form.TemplateForm`, the same
one the Templates page uses: text header `{{1}}`, media header link, body variables —
positional `{{1}}` or named `{{name}}` — and URL-button suffixes); it emits the send body built
by `wadesk.core.outgoing.template` (so WhatsApp's rules are checked before anything is queued).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wadesk.core.errors import WadeskError
from wadesk.ui.templates.form import (
    Param,
    TemplateForm,
    build_body,
    render_preview,
    template_params,
)

__all__ = ["Param", "TemplatePanel", "build_body", "render_preview", "template_params"]


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
        self.recipient = ""
        self.language = "en"
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setObjectName("windowClosedNotice")
        self.combo = QComboBox()
        self.combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
        self.template_form = TemplateForm()
        self.form_host = self.template_form.form_host
        self.form = self.template_form.form
        self.preview = self.template_form.preview
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
        layout.addWidget(self.template_form)
        layout.addWidget(self.error)
        self.retranslate()

    @property
    def _fields(self) -> dict[Param, QLineEdit]:
        return self.template_form.fields

    def retranslate(self) -> None:
        self.why.setText(
            self.tr(
                "The 24-hour window is closed: the customer has not written for more than a day, "
                "so WhatsApp only lets you send an approved template until they write again."
            )
        )
        self.send_button.setText(self.tr("Send template"))
        self.template_form.retranslate()

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
        self.template_form.set_template(self.current())

    def current(self) -> Any | None:
        i = self.combo.currentIndex()
        return self._templates[i] if 0 <= i < len(self._templates) else None

    def field(self, place: str, name: str) -> QLineEdit | None:
        return self.template_form.field(place, name)

    def values(self) -> dict[Param, str]:
        return self.template_form.values()

    def _on_combo_current_index_changed(self, _index: int) -> None:
        self.template_form.set_template(self.current())

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
