"""The setup form for one number ("Add number", first run, and "Edit"), with live checks.

`SetupDialog` is non-modal and opened with `open()`; it never blocks in a nested event loop.
Fields are checked as typed. "Check" applies the connection settings (ngrok authtoken, reserved
domain, or the user's own public URL), then runs `engine.check_number` and shows each step in
the progress list. "Save" stores the secrets in the keyring through the engine — when no
usable keyring exists it says so and how to fix it, and saves nothing — and keeps the check
results; a number saved offline keeps "not yet checked" results that the Numbers page re-runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wadesk.core.errors import WadeskError
from wadesk.core.models import Number
from wadesk.core.validation import ValidationError
from wadesk.engine.checks import (
    CheckResult,
    CheckState,
    NumberDraft,
    planned_keys,
)
from wadesk.ui.setup import fields
from wadesk.ui.setup.checklist import CheckList
from wadesk.ui.setup.common import ui_language
from wadesk.ui.tasks import Tasks

if TYPE_CHECKING:
    from wadesk.engine.service import Engine

log = logging.getLogger("wadesk.ui.setup")


class _Field:
    """A line edit with its error label underneath."""

    def __init__(self, parent: QWidget, *, secret: bool = False) -> None:
        self.edit = QLineEdit(parent)
        if secret:
            self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(parent)
        self.error.setObjectName("FieldError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()
        self.box = QWidget(parent)
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.error)

    def show_problem(self, problem: str | None) -> None:
        self.error.setText(problem or "")
        self.error.setVisible(bool(problem))

    def text(self) -> str:
        return self.edit.text()


class SetupDialog(QDialog):
    """Add or edit one number. Signals: `saved(label)` after a successful save."""

    saved = Signal(str)

    def __init__(
        self, engine: Engine, parent: QWidget | None = None, *, number: Number | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SetupDialog")
        self.setModal(False)
        self.engine = engine
        self.number = number
        self.tasks = Tasks()
        self.last_results: list[CheckResult] = []
        self._checked_draft: NumberDraft | None = None
        self._touched: set[str] = set()
        self._build()
        self._load_connection()
        if number is not None:
            self.label.edit.setText(number.label)
            self.phone.edit.setText(number.phone)
            self.pnid.edit.setText(number.phone_number_id)
            self.waba.edit.setText(number.waba_id)
        self.retranslate()
        self.resize(720, 820)

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        self.intro = QLabel(body)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.number_box = QGroupBox(body)
        form = QFormLayout(self.number_box)
        self.label = _Field(self.number_box)
        self.phone = _Field(self.number_box)
        self.pnid = _Field(self.number_box)
        self.waba = _Field(self.number_box)
        self.token = _Field(self.number_box, secret=True)
        self.secret = _Field(self.number_box, secret=True)
        self.recipient = _Field(self.number_box)
        self._form_labels: dict[str, QLabel] = {}
        for name, field in self._fields().items():
            caption = QLabel(self.number_box)
            self._form_labels[name] = caption
            form.addRow(caption, field.box)
            field.edit.textChanged.connect(lambda _t, n=name: self._on_field_changed(n))
        layout.addWidget(self.number_box)

        self.tunnel_box = QGroupBox(body)
        tform = QFormLayout(self.tunnel_box)
        self.authtoken = _Field(self.tunnel_box, secret=True)
        self.authtoken_help = QLabel(self.tunnel_box)
        self.authtoken_help.setWordWrap(True)
        self.domain = _Field(self.tunnel_box)
        self.manual_check = QCheckBox(self.tunnel_box)
        self.manual_url = _Field(self.tunnel_box)
        self.authtoken_caption = QLabel(self.tunnel_box)
        self.domain_caption = QLabel(self.tunnel_box)
        self.manual_caption = QLabel(self.tunnel_box)
        tform.addRow(self.authtoken_caption, self.authtoken.box)
        tform.addRow("", self.authtoken_help)
        tform.addRow(self.domain_caption, self.domain.box)
        tform.addRow("", self.manual_check)
        tform.addRow(self.manual_caption, self.manual_url.box)
        self.manual_check.toggled.connect(self._on_manual_toggled)
        layout.addWidget(self.tunnel_box)

        self.checks_box = QGroupBox(body)
        cl = QVBoxLayout(self.checks_box)
        self.checklist = CheckList(self.checks_box)
        self.checks_hint = QLabel(self.checks_box)
        self.checks_hint.setWordWrap(True)
        cl.addWidget(self.checks_hint)
        cl.addWidget(self.checklist)
        layout.addWidget(self.checks_box)
        layout.addStretch(1)
        outer.addWidget(scroll, 1)

        self.message = QLabel(self)
        self.message.setObjectName("SetupMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        outer.addWidget(self.message)
        buttons = QHBoxLayout()
        self.check_button = QPushButton(self)
        self.save_button = QPushButton(self)
        self.save_button.setDefault(True)
        self.close_button = QPushButton(self)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        outer.addLayout(buttons)
        self.check_button.clicked.connect(self.start_checks)
        self.save_button.clicked.connect(self.start_save)
        self.close_button.clicked.connect(self.reject)

    def _fields(self) -> dict[str, _Field]:
        return {
            "label": self.label,
            "phone": self.phone,
            "phone_number_id": self.pnid,
            "waba_id": self.waba,
            "access_token": self.token,
            "app_secret": self.secret,
            "test_recipient": self.recipient,
        }

    def retranslate(self) -> None:
        editing = self.number is not None
        self.setWindowTitle(self.tr("Edit number") if editing else self.tr("Add a WhatsApp number"))
        self.intro.setText(
            self.tr(
                "Copy these values from Meta's app dashboard: WhatsApp → API Setup (Phone Number "
                "ID, WhatsApp Business Account ID, token) and App settings → Basic (app secret). "
                "Secrets are kept in the system keyring, never in wadesk's files."
            )
        )
        self.number_box.setTitle(self.tr("Number"))
        captions = {
            "label": self.tr("Label"),
            "phone": self.tr("Phone number"),
            "phone_number_id": self.tr("Phone Number ID"),
            "waba_id": self.tr("WhatsApp Business Account ID"),
            "access_token": self.tr("Access token"),
            "app_secret": self.tr("App secret"),
            "test_recipient": self.tr("Test recipient (optional)"),
        }
        for name, caption in captions.items():
            self._form_labels[name].setText(caption)
        self.label.edit.setPlaceholderText(self.tr("e.g. Salon"))
        self.phone.edit.setPlaceholderText(self.tr("+1 555 010 0001"))
        self.pnid.edit.setPlaceholderText(self.tr("digits only, e.g. 106540352242922"))
        self.waba.edit.setPlaceholderText(self.tr("digits only, e.g. 102290129340398"))
        keep = self.tr("stored — leave empty to keep it")
        self.token.edit.setPlaceholderText(keep if editing else self.tr("EAAG…"))
        self.secret.edit.setPlaceholderText(keep if editing else "")
        self.recipient.edit.setPlaceholderText(
            self.tr("your own WhatsApp number: the check sends it the hello_world template")
        )
        self.tunnel_box.setTitle(self.tr("Connection (tunnel)"))
        self.authtoken_caption.setText(self.tr("ngrok authtoken"))
        self.authtoken_help.setText(
            self.tr(
                "Meta delivers messages to a public address; ngrok gives this computer one. "
                "Sign up for a free ngrok account, open the ngrok dashboard and copy the value "
                "shown under “Your Authtoken”."
            )
        )
        stored = self.tr("stored — leave empty to keep it")
        self.authtoken.edit.setPlaceholderText(stored if self._authtoken_stored else "")
        self.domain_caption.setText(self.tr("Reserved domain (optional)"))
        self.domain.edit.setPlaceholderText(self.tr("e.g. my-salon.ngrok.app"))
        self.manual_check.setText(self.tr("Use my own public URL instead of ngrok"))
        self.manual_caption.setText(self.tr("Public URL"))
        self.manual_url.edit.setPlaceholderText(self.tr("https://hooks.example.com"))
        self.checks_box.setTitle(self.tr("Live checks"))
        self.checks_hint.setText(
            self.tr(
                "“Check” asks Meta about the token, the number and the account, registers the "
                "webhook and waits for Meta's verification request to arrive here."
            )
        )
        self.check_button.setText(self.tr("Check"))
        self.save_button.setText(self.tr("Save"))
        self.close_button.setText(self.tr("Close"))
        for name in self._touched:
            self._validate_field(name)
        self.checklist.retranslate()
        source = getattr(self, "_message_source", None)
        if source is not None:
            self.show_message(*source)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- connection settings --------------------------------------------------------------

    def _load_connection(self) -> None:
        self._authtoken_stored = False
        connection = getattr(self.engine, "connection", None)
        if connection is None:
            self.tunnel_box.setEnabled(False)
            return
        status = connection.status
        self._authtoken_stored = status.authtoken_set
        self.domain.edit.setText(status.settings.domain or "")
        self.manual_url.edit.setText(status.settings.manual_url or "")
        self.manual_check.setChecked(bool(status.settings.manual_url))
        self._on_manual_toggled(self.manual_check.isChecked())

    def _on_manual_toggled(self, on: bool) -> None:
        self.manual_url.edit.setEnabled(on)
        self.authtoken.edit.setEnabled(not on)
        self.domain.edit.setEnabled(not on)

    async def apply_connection(self) -> bool:
        """Apply changed tunnel settings; False (with the problem shown) when one is refused."""
        connection = self.engine.connection
        settings = connection.settings
        manual = self.manual_url.text().strip() if self.manual_check.isChecked() else ""
        domain = self.domain.text().strip()
        token = self.authtoken.text().strip()
        try:
            if manual != (settings.manual_url or ""):
                await connection.use_manual_url(manual or None)
            if not manual and domain != (settings.domain or ""):
                await connection.set_domain(domain or None)
            if not manual and token:
                await connection.set_authtoken(token)
                self.authtoken.edit.clear()
                self._authtoken_stored = True
                self.authtoken.edit.setPlaceholderText(self.tr("stored — leave empty to keep it"))
        except ValueError as exc:
            target = self.manual_url if manual else self.domain
            target.show_problem(self._value_problem(str(exc)))
            return False
        except Exception as exc:
            self.show_message(self._secrets_problem(exc))
            return False
        return True

    def _value_problem(self, english: str) -> str:
        if "https" in english:
            return self.tr(
                "The public URL must start with https:// (Meta only calls HTTPS addresses)."
            )
        if "domain" in english:
            return self.tr("This is not a domain name (expected e.g. my-salon.ngrok.app).")
        return self.tr("The public URL must not contain “?” or “#”.")

    def _secrets_problem(self, exc: BaseException) -> str:
        from wadesk.engine.secrets import SecretsUnavailable

        if isinstance(exc, SecretsUnavailable):
            return self.tr(
                "No secure credential store (system keyring) is available, so nothing was saved. %1"
            ).replace("%1", str(exc))
        if isinstance(exc, WadeskError):
            return exc.explain(ui_language())
        return self.tr("Could not save: %1").replace("%1", str(exc) or type(exc).__name__)

    # -- validation -----------------------------------------------------------------------

    def _on_field_changed(self, name: str) -> None:
        self._touched.add(name)
        self._validate_field(name)

    def _validate_field(self, name: str) -> str | None:
        editing = self.number is not None
        text = self._fields()[name].text()
        problem = {
            "label": lambda: fields.label_problem(text),
            "phone": lambda: fields.phone_problem(text),
            "phone_number_id": lambda: fields.id_problem(text, self.tr("Phone Number ID")),
            "waba_id": lambda: fields.id_problem(text, self.tr("WhatsApp Business Account ID")),
            "access_token": lambda: fields.secret_problem(
                text, not editing, self.tr("access token")
            ),
            "app_secret": lambda: fields.secret_problem(text, not editing, self.tr("app secret")),
            "test_recipient": lambda: fields.recipient_problem(text),
        }[name]()
        self._fields()[name].show_problem(problem)
        return problem

    def validate_all(self) -> bool:
        self._touched.update(self._fields())
        problems = [self._validate_field(name) for name in self._fields()]
        return not any(problems)

    def problems(self) -> dict[str, str]:
        """Visible field problems by field name (tests)."""
        return {n: f.error.text() for n, f in self._fields().items() if f.error.isVisibleTo(self)}

    async def draft(self) -> NumberDraft | None:
        token, secret = self.token.text().strip(), self.secret.text().strip()
        if self.number is not None and (not token or not secret):
            from wadesk.engine import number_admin

            stored = await number_admin.draft_for(self.engine, self.number)
            token = token or (stored.access_token if stored else "")
            secret = secret or (stored.app_secret if stored else "")
        if not token:
            self.token.show_problem(fields.secret_problem("", True, self.tr("access token")))
            return None
        return NumberDraft(
            label=self.label.text().strip(),
            phone=self.phone.text().strip(),
            phone_number_id=self.pnid.text().strip(),
            waba_id=self.waba.text().strip(),
            access_token=token,
            app_secret=secret,
            test_recipient=self.recipient.text().strip() or None,
        )

    def show_message(self, text: str | Callable[[], str] | None, kind: str = "error") -> None:
        """Show a message under the form; a callable renders it again on a language switch."""
        self._message_source = (text, kind) if callable(text) else None
        shown = text() if callable(text) else text
        color = {"error": "#c62828", "ok": "#1a7f37", "info": "#555555"}[kind]
        self.message.setStyleSheet(f"color: {color};")
        self.message.setText(shown or "")
        self.message.setVisible(bool(shown))

    def _busy(self, busy: bool) -> None:
        for button in (self.check_button, self.save_button):
            button.setEnabled(not busy)

    # -- check ----------------------------------------------------------------------------

    def start_checks(self) -> None:
        self.tasks.spawn(self.run_checks())

    async def run_checks(self) -> list[CheckResult]:
        if not self.validate_all():
            self.show_message(self.tr("Fix the fields marked in red first."))
            return []
        self._busy(True)
        try:
            self.show_message(None)
            if not await self.apply_connection():
                return []
            draft = await self.draft()
            if draft is None:
                return []
            self.checklist.reset(planned_keys(draft))
            results = await self.engine.check_number(draft, self.checklist.set_result)
            self.last_results = results
            self._checked_draft = draft
            self._summarise(results)
            return results
        finally:
            self._busy(False)

    def _summarise(self, results: list[CheckResult]) -> None:
        states = {r.state for r in results}
        if CheckState.FAILED in states:
            self.show_message(lambda: self.tr("Some checks failed: see the advice next to each ✗."))
        elif CheckState.NOT_CHECKED in states:
            self.show_message(
                lambda: self.tr(
                    "Not everything could be checked (no connection?). You can save now; wadesk "
                    "checks again when the network returns."
                ),
                "info",
            )
        elif CheckState.WARNING in states:
            self.show_message(
                lambda: self.tr("Works, with warnings: see the advice next to each ⚠."), "info"
            )
        else:
            self.show_message(lambda: self.tr("All checks passed."), "ok")

    # -- save -----------------------------------------------------------------------------

    def start_save(self) -> None:
        self.tasks.spawn(self.save())

    async def save(self) -> bool:
        if not self.validate_all():
            self.show_message(self.tr("Fix the fields marked in red first."))
            return False
        self._busy(True)
        try:
            return await self._save()
        finally:
            self._busy(False)

    async def _save(self) -> bool:
        engine = self.engine
        status = await engine.blocking(engine.secrets.status)
        if not status.ok:
            self.show_message(
                self.tr(
                    "No secure credential store (system keyring) is available, so the number "
                    "was not saved (wadesk never keeps secrets in plain files). %1"
                ).replace("%1", status.message)
            )
            return False
        values = {
            "phone": self.phone.text(),
            "phone_number_id": self.pnid.text(),
            "waba_id": self.waba.text(),
        }
        try:
            if self.number is None:
                number = await engine.add_number(
                    label=self.label.text(),
                    access_token=self.token.text(),
                    app_secret=self.secret.text(),
                    **values,
                )
            else:
                number = await engine.update_number(
                    self.number.label,
                    new_label=self.label.text(),
                    access_token=self.token.text() or None,
                    app_secret=self.secret.text() or None,
                    **values,
                )
        except ValidationError as exc:
            self._fields().get(exc.field, self.label).show_problem(str(exc))
            return False
        except Exception as exc:
            self.show_message(self._engine_problem(exc))
            return False
        self.number = number
        await engine.save_check_results(number.phone_number_id, self._results_to_keep(number))
        if not await self.apply_connection():
            return False
        # add_number / update_number re-registered the callback themselves (a known public URL)
        self.saved.emit(number.label)
        self.done(QDialog.DialogCode.Accepted)
        return True

    def _results_to_keep(self, number: Number) -> list[CheckResult]:
        draft = self._checked_draft
        if (
            draft is not None
            and self.last_results
            and draft.phone_number_id == number.phone_number_id
            and draft.waba_id == number.waba_id
        ):
            return self.last_results
        # saved without (matching) checks: "not yet checked", re-run automatically later
        keys = planned_keys(
            NumberDraft(number.label, number.phone, number.phone_number_id, number.waba_id, "", "")
        )
        return [CheckResult(key, CheckState.NOT_CHECKED) for key in keys]

    def _engine_problem(self, exc: BaseException) -> str:
        from wadesk.engine.store.errors import DuplicateNumberError

        text = str(exc)
        if isinstance(exc, DuplicateNumberError) or "already" in text:
            return self.tr(
                "A number with this label or Phone Number ID already exists. Pick another label, "
                "or edit the existing number."
            )
        return self._secrets_problem(exc)

    # -- closing --------------------------------------------------------------------------

    def done(self, result: Any) -> None:
        self.tasks.cancel_all()
        super().done(result)
