"""The setup wizard: format checks as typed, live checks against the sandbox (all ✓, and each
failure mode with the catalogue's explanation), saving to the keyring only, no keyring, offline
save, language of the explanations, and screenshots."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QLabel

from tests.gui.setup_env import Env, sandbox_engine
from tests.integration.checks_env import make_engine
from wadesk.core.messages import TEMPLATES, Message, message
from wadesk.engine.checks import CheckKey, CheckResult, CheckState
from wadesk.engine.sandbox.state import SandboxNumber
from wadesk.engine.secrets import SecretKind
from wadesk.engine.tunnel import TunnelState
from wadesk.ui.i18n import Translator
from wadesk.ui.setup.messages import render_message, translated_templates
from wadesk.ui.setup.wizard import SetupDialog

ALL = [CheckKey.TOKEN, CheckKey.PHONE_NUMBER, CheckKey.WABA, CheckKey.SUBSCRIPTION]
ALL.append(CheckKey.WEBHOOK)


def fill(dialog: SetupDialog, env: Env, **changes: str) -> None:
    values = {
        "label": "Salon",
        "phone": "+1 555 010 0100",
        "phone_number_id": env.number.phone_number_id,
        "waba_id": env.number.waba_id,
        "access_token": env.token(),
        "app_secret": env.sandbox.config.app_secret,
        "test_recipient": "",
    }
    values.update(changes)
    for name, value in values.items():
        dialog._fields()[name].edit.setText(value)


def shoot(dialog: SetupDialog, artifacts_dir: Path, name: str) -> None:
    dialog.resize(760, 1180)
    dialog.show()
    QApplication.processEvents()
    assert dialog.grab().save(str(artifacts_dir / name))


def test_fields_are_checked_as_typed_and_secrets_are_masked(
    app: QApplication, qtbot: Any, tmp_path: Path, artifacts_dir: Path
) -> None:
    engine = make_engine(tmp_path / "data", "http://127.0.0.1:9")
    dialog = SetupDialog(engine)
    qtbot.addWidget(dialog)
    shoot(dialog, artifacts_dir, "wizard-empty.png")
    assert dialog.problems() == {}  # nothing typed yet, nothing shouted
    assert dialog.token.edit.echoMode() == dialog.token.edit.EchoMode.Password
    assert dialog.secret.edit.echoMode() == dialog.secret.edit.EchoMode.Password
    assert dialog.authtoken.edit.echoMode() == dialog.authtoken.edit.EchoMode.Password
    assert "Your Authtoken" in dialog.authtoken_help.text()
    assert "http" not in dialog.authtoken_help.text()  # link-free
    dialog.pnid.edit.setText("1065 4035 2242 922")
    dialog.waba.edit.setText("WABA-1022")
    dialog.phone.edit.setText("+1 55")
    dialog.label.edit.setText("x")
    dialog.label.edit.setText("")
    problems = dialog.problems()
    assert "remove the spaces" in problems["phone_number_id"]
    assert "digits only" in problems["waba_id"] and "API Setup" in problems["waba_id"]
    assert "country code" in problems["phone"]
    assert "label" in problems["label"]
    shoot(dialog, artifacts_dir, "wizard-errors.png")
    dialog.pnid.edit.setText("106540352242922")
    dialog.phone.edit.setText("+7 916 123-45-67")
    assert "phone_number_id" not in dialog.problems()
    assert "phone" not in dialog.problems()
    assert not dialog.validate_all()  # token and app secret are still missing
    assert "access_token" in dialog.problems()
    dialog.close()


@pytest.mark.qasync
async def test_all_checks_pass_then_save_keeps_secrets_in_the_keyring_only(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, artifacts_dir: Path
) -> None:
    async with sandbox_engine(tmp_path, monkeypatch) as env:
        dialog = SetupDialog(env.engine)
        saved: list[str] = []
        dialog.saved.connect(saved.append)
        try:
            fill(dialog, env)
            dialog.show()
            # the progress list as the user sees it after each step reported by the engine
            snapshots: list[tuple[list[CheckState | None], list[str]]] = []
            report = dialog.checklist.set_result

            def watch(result: CheckResult) -> None:
                report(result)
                titles = dialog.checklist.findChildren(QLabel, "CheckTitle")
                states = [dialog.checklist.state(k) for k in ALL]
                snapshots.append((states, [t.text() for t in titles]))

            dialog.checklist.set_result = watch  # type: ignore[method-assign]
            results = await dialog.run_checks()
            running = [
                ALL[s.index(CheckState.RUNNING)] for s, _ in snapshots if CheckState.RUNNING in s
            ]
            assert running == ALL  # one row at a time, in order
            first_states, first_titles = next(x for x in snapshots if CheckState.RUNNING in x[0])
            assert first_states == [CheckState.RUNNING] + [CheckState.PENDING] * 4
            assert "checking…" in first_titles[0] and "waiting" in first_titles[4]
            webhook_running = next(s for s, _ in snapshots if s[4] is CheckState.RUNNING)
            # earlier rows are finished; the subscription may wait (⚠) for the round trip
            assert webhook_running[:3] == [CheckState.OK] * 3
            assert webhook_running[3] in (CheckState.OK, CheckState.WARNING)
            assert [r.key for r in results] == ALL
            assert [r.state for r in results] == [CheckState.OK] * 5, [
                (r.key, r.explain()) for r in results
            ]
            assert [dialog.checklist.state(k) for k in ALL] == [CheckState.OK] * 5
            assert dialog.checklist.row_text(CheckKey.WEBHOOK).startswith("✓")
            assert "+1 555-010-0100" in dialog.checklist.row_text(CheckKey.PHONE_NUMBER)
            assert dialog.message.text() == "All checks passed."
            shoot(dialog, artifacts_dir, "wizard-all-ok.png")
            assert await dialog.save()
            assert saved == ["Salon"]
        finally:
            dialog.deleteLater()
        [number] = await env.engine.list_numbers()
        assert number.label == "Salon" and number.phone == "+15550100100"
        [row] = await env.engine.number_overview()
        assert row.checks_state == "ok" and row.quality_rating == "GREEN"
        pnid = number.phone_number_id
        assert env.engine.secrets.get(SecretKind.ACCESS_TOKEN, pnid) == env.token()
        assert env.engine.secrets.get(SecretKind.APP_SECRET, pnid) == env.sandbox.config.app_secret
    data_dir = tmp_path / "data"
    for path in data_dir.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            assert env.token().encode() not in raw, path
            assert env.sandbox.config.app_secret.encode() not in raw, path


@pytest.mark.qasync
async def test_failure_modes_show_the_catalogue_explanation(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, artifacts_dir: Path
) -> None:
    async with sandbox_engine(tmp_path, monkeypatch) as env:
        dialog = SetupDialog(env.engine)
        try:
            # an expired token
            fill(dialog, env, access_token=env.token("expired"))
            await dialog.run_checks()
            text = dialog.checklist.row_text(CheckKey.TOKEN)
            assert text.startswith("✗") and "access token has expired" in text
            assert "system-user token" in text
            assert dialog.message.text().startswith("Some checks failed")
            # a wrong Phone Number ID
            fill(dialog, env, phone_number_id="123456789012345")
            await dialog.run_checks()
            text = dialog.checklist.row_text(CheckKey.PHONE_NUMBER)
            assert text.startswith("✗") and "Phone Number ID is wrong" in text
            assert dialog.checklist.state(CheckKey.TOKEN) is CheckState.OK
            # a Phone Number ID that belongs to another WhatsApp Business Account
            other = SandboxNumber("106540352242999", "102290129340999", "+1 555-010-0999", "B")
            env.sandbox.config.numbers.append(other)
            fill(dialog, env, waba_id=other.waba_id)
            await dialog.run_checks()
            text = dialog.checklist.row_text(CheckKey.WABA)
            assert text.startswith("✗") and "does not belong to this WhatsApp Business" in text
            assert dialog.checklist.state(CheckKey.PHONE_NUMBER) is CheckState.OK
            # a test number sending to someone outside its allowed list
            fill(dialog, env, test_recipient="+34 600 999 888")
            await dialog.run_checks()
            text = dialog.checklist.row_text(CheckKey.TEST_MESSAGE)
            assert text.startswith("✗") and "allowed list" in text and "API Setup" in text
            # Meta cannot verify the callback (the public URL leads nowhere)
            env.route_public_url("http://127.0.0.1:9")
            fill(dialog, env, test_recipient="")
            await dialog.run_checks()
            text = dialog.checklist.row_text(CheckKey.WEBHOOK)
            assert text.startswith("✗") and "could not verify the callback URL" in text
            # a temporary token is a warning with the way to a permanent one
            env.route_public_url()
            fill(dialog, env, access_token=env.token("temporary"))
            await dialog.run_checks()
            text = dialog.checklist.row_text(CheckKey.TOKEN)
            assert text.startswith("⚠") and "System users" in text
            fill(dialog, env, access_token=env.token("expired"), test_recipient="+34 600 999 888")
            await dialog.run_checks()
            shoot(dialog, artifacts_dir, "wizard-failures.png")
            # every row after the failed token (the webhook round trip and the test message
            # too) was not run: "not yet checked" with the same "skipped" explanation, never ✗
            later = [k for k in ALL if k is not CheckKey.TOKEN] + [CheckKey.TEST_MESSAGE]
            for key in later:
                assert dialog.checklist.state(key) is CheckState.NOT_CHECKED, key
                row = dialog.checklist.row_text(key)
                assert row.startswith("–") and "Skipped until the access token works" in row, row
                assert "expired" not in row
            # the explanations follow the UI language
            QLocale.setDefault(QLocale(QLocale.Language.Russian))
            try:
                dialog.checklist.retranslate()
                assert "Срок действия токена доступа истёк" in dialog.checklist.row_text(
                    CheckKey.TOKEN
                )
            finally:
                QLocale.setDefault(QLocale(QLocale.Language.English))
            assert await env.engine.list_numbers() == []  # checks never save anything
        finally:
            dialog.deleteLater()


@pytest.mark.qasync
async def test_no_keyring_means_nothing_is_saved(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with sandbox_engine(tmp_path, monkeypatch) as env:
        dialog = SetupDialog(env.engine)
        try:
            fill(dialog, env)
            keyring.set_keyring(fail.Keyring())  # the autouse fixture restores the test backend
            assert not await dialog.save()
            text = dialog.message.text()
            assert "No secure credential store" in text and "gnome-keyring" in text
            assert await env.engine.list_numbers() == []
        finally:
            dialog.deleteLater()


@pytest.mark.qasync
async def test_offline_save_marks_checks_not_yet_checked(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with sandbox_engine(tmp_path, monkeypatch) as env:
        dialog = SetupDialog(env.engine)
        try:
            fill(dialog, env)
            await env.sandbox.set_down(True)
            results = await dialog.run_checks()
            assert {r.state for r in results} == {CheckState.NOT_CHECKED}
            assert "network returns" in dialog.checklist.row_text(CheckKey.TOKEN)
            assert "You can save now" in dialog.message.text()
            assert await dialog.save()
            [row] = await env.engine.number_overview()
            assert row.checks_state == "not_checked"
        finally:
            await env.sandbox.set_down(False)
            dialog.deleteLater()


@pytest.mark.qasync
async def test_edit_keeps_stored_secrets_and_duplicate_labels_are_refused(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with sandbox_engine(tmp_path, monkeypatch) as env:
        await env.engine.add_number(
            label="Salon",
            phone="+1 555 010 0100",
            phone_number_id=env.number.phone_number_id,
            waba_id=env.number.waba_id,
            access_token=env.token(),
            app_secret=env.sandbox.config.app_secret,
        )
        [number] = await env.engine.list_numbers()
        dialog = SetupDialog(env.engine, number=number)
        try:
            assert dialog.windowTitle() == "Edit number"
            assert dialog.token.text() == ""  # secrets are never shown again
            dialog.label.edit.setText("Salon Centre")
            results = await dialog.run_checks()  # uses the stored token
            assert results[0].state is CheckState.OK
            assert await dialog.save()
        finally:
            dialog.deleteLater()
        [number] = await env.engine.list_numbers()
        assert number.label == "Salon Centre"
        pnid = number.phone_number_id
        assert env.engine.secrets.get(SecretKind.ACCESS_TOKEN, pnid) == env.token()
        again = SetupDialog(env.engine)
        try:
            fill(again, env, label="Salon Centre")
            assert not await again.save()
            assert "already exists" in again.message.text()
        finally:
            again.deleteLater()


@pytest.mark.qasync
async def test_passing_summaries_and_tunnel_reasons_follow_the_ui_language(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, artifacts_dir: Path
) -> None:
    translator = Translator(app)
    async with sandbox_engine(tmp_path, monkeypatch) as env:
        dialog = SetupDialog(env.engine)
        try:
            fill(dialog, env)
            dialog.show()
            results = await dialog.run_checks()
            assert [r.state for r in results] == [CheckState.OK] * 5
            phone = dialog.checklist.row_text(CheckKey.PHONE_NUMBER)
            assert "quality GREEN, tier TIER_250" in phone and "Test number" in phone
            waba = dialog.checklist.row_text(CheckKey.WABA)
            assert f"{env.number.phone_number_id} belongs to WhatsApp Business Account" in waba
            translator.set_language("ru")
            dialog.checklist.retranslate()
            phone_ru = dialog.checklist.row_text(CheckKey.PHONE_NUMBER)
            assert "качество GREEN, уровень TIER_250" in phone_ru and "Тестовый номер" in phone_ru
            assert "принадлежит бизнес-аккаунту" in dialog.checklist.row_text(CheckKey.WABA)
            assert "Проверочный запрос Meta пришёл" in dialog.checklist.row_text(CheckKey.WEBHOOK)
            # every code the engine can produce has a Russian text in the .qm
            english = {code: en for code, (en, _ru) in TEMPLATES.items()}
            for code, text in translated_templates().items():
                assert text != english[code] or code == "tunnel.agent_said", code
            assert set(translated_templates()) == set(TEMPLATES)
            # a tunnel reason made by the engine renders in Russian too (and back)
            reason = Message(
                "tunnel.not_installed",
                {"path": "/opt/ngrok"},
                (message("tunnel.retrying", delay=2),),
            )
            assert render_message(reason) == (
                "ngrok не установлен (нет программы по пути /opt/ngrok). Сервер вебхуков продолжает "
                "работать; вместо ngrok можно указать свой публичный адрес. Повтор через 2 с."
            )
            await asyncio.sleep(0.05)  # the posted LanguageChange, then the new layout
            assert dialog.message.text() == "Все проверки пройдены."
            shoot(dialog, artifacts_dir, "wizard-all-ok-ru.png")
            translator.set_language("en")
            await asyncio.sleep(0.05)
            assert dialog.checklist.row_text(CheckKey.WABA) == waba
            assert dialog.message.text() == "All checks passed."
            assert render_message(reason).startswith("ngrok is not installed (no program at")
        finally:
            translator.set_language("en")
            dialog.deleteLater()


@pytest.mark.qasync
async def test_tunnel_settings_authtoken_domain_and_own_public_url(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wizard's tunnel box: the ngrok authtoken goes to the keyring only, a reserved domain
    and the user's own public URL are validated and saved; without ngrok the server keeps
    running and the own URL is used instead."""
    authtoken = "2abcDEFghiJKLmnoPQRstuVWXyz_0123456789"
    missing = str(tmp_path / "nowhere" / "ngrok")  # never downloads: a path that does not exist
    async with sandbox_engine(tmp_path, monkeypatch, manual_url=False, ngrok_path=missing) as env:
        connection = env.engine.connection
        dialog = SetupDialog(env.engine)
        try:
            assert not dialog.manual_check.isChecked()
            assert dialog.authtoken.edit.isEnabled() and not dialog.manual_url.edit.isEnabled()
            # a malformed domain is refused next to the field, nothing saved
            dialog.domain.edit.setText("not a domain")
            assert not await dialog.apply_connection()
            assert "not a domain name" in dialog.domain.error.text()
            assert connection.settings.domain is None
            # authtoken and reserved domain: the token in the keyring, the domain in settings
            dialog.authtoken.edit.setText(authtoken)
            dialog.domain.edit.setText("my-salon.ngrok.app")
            assert await dialog.apply_connection()
            assert env.engine.secrets.get(SecretKind.NGROK_AUTHTOKEN) == authtoken
            assert connection.settings.domain == "my-salon.ngrok.app"
            assert dialog.authtoken.text() == ""  # not kept in the form once stored
            assert "stored" in dialog.authtoken.edit.placeholderText().lower()
            tunnel = connection.status.tunnel
            assert tunnel.state is TunnelState.DOWN
            assert "ngrok is not installed" in (tunnel.reason or "")
            assert env.engine.server is not None  # the webhook server keeps running
            # use my own public URL instead: https only
            dialog.manual_check.setChecked(True)
            assert dialog.manual_url.edit.isEnabled()
            assert not dialog.authtoken.edit.isEnabled() and not dialog.domain.edit.isEnabled()
            dialog.manual_url.edit.setText("http://hooks.example.com")
            assert not await dialog.apply_connection()
            assert "https://" in dialog.manual_url.error.text()
            assert connection.settings.manual_url is None
            dialog.manual_url.edit.setText("https://hooks.example.com/")
            assert await dialog.apply_connection()
            assert connection.settings.manual_url == "https://hooks.example.com"
            assert connection.status.tunnel.state is TunnelState.MANUAL
            assert connection.status.public_url == "https://hooks.example.com"
            # a new dialog shows the saved choices (never the token)
            again = SetupDialog(env.engine)
            try:
                assert again.manual_check.isChecked()
                assert again.manual_url.text() == "https://hooks.example.com"
                assert again.domain.text() == "my-salon.ngrok.app"
                assert again.authtoken.text() == ""
            finally:
                again.deleteLater()
        finally:
            dialog.deleteLater()
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():
            assert authtoken.encode() not in path.read_bytes(), path
