"""The Numbers page: model test, CRUD and activation persisted through the real Engine, copy
buttons, first-run wizard, offline re-checks, and tunnel states via the fake ngrok including a
URL change with automatic re-registration shown on the page and in the status bar."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from tests.gui.setup_env import sandbox_engine, until
from tests.integration.checks_env import PublicNet, ngrok_resolver
from tests.tools.ngrok_fixture import clean_ngrok_env, install_fake_ngrok
from wadesk.core.messages import Message, message
from wadesk.core.models import Number
from wadesk.engine.activity import describe_tunnel
from wadesk.engine.config import WEBHOOK_PATH
from wadesk.engine.connection import ConnectionStatus, Registration
from wadesk.engine.number_admin import NumberOverview
from wadesk.engine.secrets import SecretKind
from wadesk.engine.tunnel import TunnelState, TunnelStatus
from wadesk.ui.activity.health import HealthStrip
from wadesk.ui.i18n import Translator
from wadesk.ui.main_window import MainWindow
from wadesk.ui.numbers.model import COLUMNS, NumbersModel
from wadesk.ui.numbers.page import NumbersPage
from wadesk.ui.pages.settings_page import Preferences
from wadesk.ui.theme import ThemeManager

AUTHTOKEN = "2abcDEFghiJKLmnoPQRstuVWXyz_0123456789"


def overview(label: str, **facts: str) -> NumberOverview:
    number = Number(1, label, "+15550100100", "106540352242922", "102290129340398")
    return NumberOverview(
        number,
        last_webhook_at=datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        check_states={"token": "ok", "webhook": "warning"},
        facts=facts,
        business_initiated_24h=3,
    )


def test_numbers_model(qtmodeltester: Any) -> None:
    model = NumbersModel()
    model.set_rows(
        [
            overview("Salon", quality_rating="GREEN", messaging_limit_tier="TIER_250"),
            overview("Shop", test_number="yes"),
        ]
    )
    model.set_registrations((Registration("Salon", "1", True, datetime.now(UTC)),))
    qtmodeltester.check(model)
    assert model.columnCount() == len(COLUMNS)
    assert model.index(0, COLUMNS.index("business_initiated")).data() == "3 / 250"
    assert model.index(1, COLUMNS.index("business_initiated")).data() == "3 / 250"
    assert model.index(1, COLUMNS.index("tier")).data() == "— (test number)"
    assert model.index(0, COLUMNS.index("checks")).data() == "⚠ warnings"
    assert model.index(0, COLUMNS.index("registration")).data() == "registered"
    assert model.index(1, COLUMNS.index("registration")).data() == "—"


def make_window(app: QApplication, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    return MainWindow(Preferences(settings), ThemeManager(app))


@pytest.mark.qasync
async def test_crud_activation_copy_and_screenshot(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, artifacts_dir: Path
) -> None:
    async with sandbox_engine(tmp_path, monkeypatch) as env:
        engine = env.engine
        window = make_window(app, tmp_path)
        page = NumbersPage(engine, status=window.status, auto_wizard=False)
        window.add_page("numbers", page, "Numbers", "numbers")
        window.resize(1200, 700)
        window.show()
        try:
            await page.attach()
            assert page.model.rowCount() == 0
            # add through the wizard, checked first (all ✓)
            wizard = page.open_wizard()
            assert wizard is not None and wizard.isVisible() and not wizard.isModal()
            wizard.label.edit.setText("Salon")
            wizard.phone.edit.setText("+1 555 010 0100")
            wizard.pnid.edit.setText(env.number.phone_number_id)
            wizard.waba.edit.setText(env.number.waba_id)
            wizard.token.edit.setText(env.token())
            wizard.secret.edit.setText(env.sandbox.config.app_secret)
            await wizard.run_checks()
            assert await wizard.save()
            await until(lambda: page.model.rowCount() == 1 and page.wizard is None)
            await page.tasks.wait()
            row = page.model.row_at(0)
            assert row is not None and row.number.label == "Salon" and row.checks_state == "ok"
            assert page.model.index(0, COLUMNS.index("quality")).data() == "GREEN"
            assert page.model.index(0, COLUMNS.index("business_initiated")).data() == "0 / 250"
            assert page.model.index(0, COLUMNS.index("registration")).data() == "registered"
            assert "✓ Salon: callback registered" in page.registration_label.text()
            assert "Tunnel: own public URL — https://hooks.example.test" in (
                page.tunnel_label.text()
            )
            assert "Tunnel: https://hooks.example.test" in window.status.plain_text()
            # copy buttons for manual set-up
            page.select("Salon")
            page.copy_url_button.click()
            url = "https://hooks.example.test" + WEBHOOK_PATH
            assert QGuiApplication.clipboard().text() == url
            page.copy_token_button.click()
            assert QGuiApplication.clipboard().text() == engine.verify_token
            window.show_page("numbers")
            assert window.grab().save(str(artifacts_dir / "numbers-page.png"))
            # deactivate / activate, persisted
            assert page.active_button.text() == "Deactivate"
            await page.set_active("Salon", False)
            assert [n.active for n in await engine.list_numbers()] == [False]
            page.select("Salon")
            assert page.active_button.text() == "Activate"
            await page.set_active("Salon", True)
            # re-run checks of the saved number
            await page.recheck("Salon")
            assert page.message.text() == "Checks of “Salon” finished."
            # remove (asks first, non-modal)
            page.select("Salon")
            box = page.ask_remove()
            assert box is not None and box.isVisible()
            box.done(box.StandardButton.Yes.value)
            await until(lambda: page.model.rowCount() == 0)
            await page.tasks.wait()
            assert await engine.list_numbers() == []
            pnid = env.number.phone_number_id
            assert engine.secrets.get(SecretKind.ACCESS_TOKEN, pnid) is None
        finally:
            page.shutdown()
            window.close_for_quit()
            window.deleteLater()


@pytest.mark.qasync
async def test_first_run_opens_the_wizard_and_offline_checks_rerun(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with sandbox_engine(tmp_path, monkeypatch) as env:
        started = {"yes": False}
        page = NumbersPage(env.engine, is_started=lambda: started["yes"], recheck_interval_ms=50)
        try:
            await until(lambda: True)
            assert page.wizard is None  # waits for the engine
            started["yes"] = True
            await until(lambda: page.wizard is not None and page.wizard.isVisible())
            wizard = page.wizard
            assert wizard is not None
            wizard.label.edit.setText("Salon")
            wizard.phone.edit.setText("+1 555 010 0100")
            wizard.pnid.edit.setText(env.number.phone_number_id)
            wizard.waba.edit.setText(env.number.waba_id)
            wizard.token.edit.setText(env.token())
            wizard.secret.edit.setText(env.sandbox.config.app_secret)
            await env.sandbox.set_down(True)
            assert await wizard.save()  # offline: saved, "not yet checked"
            await until(lambda: page.model.rowCount() == 1)
            assert page.model.index(0, COLUMNS.index("checks")).data() == "– not yet checked"
            await env.sandbox.set_down(False)  # the network returns: the timer re-runs checks
            await until(lambda: page.model.index(0, COLUMNS.index("checks")).data() == "✓ passing")
        finally:
            await env.sandbox.set_down(False)
            page.shutdown()
            await page.tasks.wait()
            page.deleteLater()


@pytest.mark.qasync
async def test_tunnel_states_and_url_change_reregistration(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, artifacts_dir: Path
) -> None:
    clean_ngrok_env(monkeypatch)
    fake = install_fake_ngrok(tmp_path / "bin")
    monkeypatch.setenv("WADESK_NGROK_PATH", str(fake.ngrok_path))
    window = make_window(app, tmp_path)
    try:
        async with sandbox_engine(tmp_path, monkeypatch, manual_url=False) as env:
            engine = env.engine
            PublicNet(resolvers=[ngrok_resolver(fake)]).install(monkeypatch, env.sandbox)
            await engine.add_number(
                label="Salon",
                phone="+1 555 010 0100",
                phone_number_id=env.number.phone_number_id,
                waba_id=env.number.waba_id,
                access_token=env.token(),
                app_secret=env.sandbox.config.app_secret,
            )
            page = NumbersPage(engine, status=window.status, auto_wizard=False)
            window.add_page("numbers", page, "Numbers", "numbers")
            try:
                await page.attach()
                assert "Not configured" in page.tunnel_label.text()
                assert "Tunnel: not started" in window.status.plain_text()
                engine.secrets.set(SecretKind.NGROK_AUTHTOKEN, "", AUTHTOKEN)
                await engine.connection.restart()
                await until(lambda: bool(engine.connection.status.registrations))
                first = engine.connection.status.public_url
                assert first is not None and first in page.tunnel_label.text()
                assert f"Tunnel: {first}" in window.status.plain_text()
                assert "✓ Salon: callback registered" in page.registration_label.text()
                (run,) = fake.runs()
                os.kill(run["pid"], signal.SIGKILL)
                await until(lambda: "Tunnel: down" in page.tunnel_label.text())
                assert "Reason: The ngrok agent stopped unexpectedly." in page.tunnel_label.text()
                assert "Tunnel: failed" in window.status.plain_text()
                await until(
                    lambda: (
                        engine.connection.status.tunnel.state is TunnelState.UP
                        and engine.connection.status.public_url not in (None, first)
                    )
                )
                second = engine.connection.status.public_url
                assert second is not None
                await until(
                    lambda: (
                        env.sandbox.state.waba_callbacks[env.number.waba_id].url
                        == second + WEBHOOK_PATH
                    )
                )
                await until(lambda: second in page.tunnel_label.text())
                assert "✓ Salon: callback registered" in page.registration_label.text()
                assert f"Tunnel: {second}" in window.status.plain_text()
                window.resize(1200, 700)
                window.show()
                window.show_page("numbers")
                assert window.grab().save(str(artifacts_dir / "numbers-page-tunnel.png"))
            finally:
                page.shutdown()
    finally:
        fake.kill()
        window.close_for_quit()
        window.deleteLater()


def test_tunnel_reason_follows_the_ui_language(app: QApplication) -> None:
    reason = message("tunnel.agent_died")
    reason = Message(reason.code, reason.params, (message("tunnel.retrying", delay="2"),))
    tunnel = TunnelStatus(
        TunnelState.DOWN, None, reason.render("en"), datetime.now(UTC), None, reason
    )
    status = ConnectionStatus(mode="ngrok", tunnel=tunnel, callback_url=None)
    translator = Translator(app)
    page = NumbersPage(None, auto_wizard=False)
    strip = HealthStrip()
    try:
        page.on_connection_status(status)
        strip.update_state(server_url=None, health=None, tunnel=describe_tunnel_of(status))
        assert "The ngrok agent stopped unexpectedly. Retrying in 2 s." in page.tunnel_label.text()
        assert "The ngrok agent stopped unexpectedly." in strip.tunnel_value.text()
        translator.set_language("ru")
        QApplication.sendPostedEvents()  # the LanguageChange events
        text = page.tunnel_label.text()
        assert "Агент ngrok неожиданно остановился. Повтор через 2 с." in text, text
        assert "Агент ngrok неожиданно остановился." in strip.tunnel_value.text()
    finally:
        translator.set_language("en")
        QApplication.sendPostedEvents()
        page.deleteLater()
        strip.deleteLater()


def describe_tunnel_of(status: ConnectionStatus) -> dict[str, Any] | None:
    class _Engine:
        connection = type("C", (), {"status": status})()

    return describe_tunnel(_Engine())


@pytest.mark.qasync
async def test_last_webhook_follows_the_traffic_shown_or_not(
    app: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the bridge, a webhook updates the "last webhook" column by itself: soon while the
    page is shown, and when it is shown again after arriving while hidden."""
    from wadesk.ui.bridge import EngineBridge

    async with sandbox_engine(tmp_path, monkeypatch) as env:
        engine = env.engine
        await engine.add_number(
            label="Salon",
            phone="+1 555 010 0100",
            phone_number_id=env.number.phone_number_id,
            waba_id=env.number.waba_id,
            access_token=env.token(),
            app_secret=env.sandbox.config.app_secret,
        )
        bridge = EngineBridge(engine.subscribe, interval_ms=10)
        page = NumbersPage(engine, auto_wizard=False, bridge=bridge, refresh_delay_ms=50)
        column = COLUMNS.index("last_webhook")
        try:
            page.resize(1000, 500)
            page.show()
            await page.attach()
            assert page.model.index(0, column).data() == "none yet"
            await env.sandbox.customer("79161234567").say("Hello?")
            await until(lambda: page.model.index(0, column).data() != "none yet")
            first = page.model.row_at(0)
            assert first is not None and first.last_webhook_at is not None

            page.hide()
            refreshes: list[int] = []
            page.refreshed.connect(lambda: refreshes.append(1))
            await env.sandbox.customer("79161234567").say("Still there?")
            await until(lambda: page._stale)  # noted, not reloaded while hidden
            await asyncio.sleep(0.2)
            assert refreshes == []
            page.show()
            await until(lambda: bool(refreshes))
            row = page.model.row_at(0)
            assert row is not None and row.last_webhook_at is not None
            assert row.last_webhook_at > first.last_webhook_at
        finally:
            bridge.close()
            page.shutdown()
            await page.tasks.wait()
            page.deleteLater()


@pytest.mark.parametrize(
    ("state", "url", "page_text", "bar_text"),
    [
        (TunnelState.STOPPED, None, "Tunnel: not started", "Tunnel: not started"),
        (TunnelState.STARTING, None, "Tunnel: starting…", "Tunnel: connecting…"),
        (TunnelState.UP, "https://a1b2.ngrok.app", "Tunnel: up — https://a1b2.ngrok.app", None),
        (TunnelState.DOWN, None, "Tunnel: down", "Tunnel: failed"),
        (TunnelState.MANUAL, "https://hooks.example.com", "Tunnel: own public URL", None),
    ],
)
def test_every_tunnel_state_on_the_page_and_the_status_bar(
    app: QApplication,
    tmp_path: Path,
    state: TunnelState,
    url: str | None,
    page_text: str,
    bar_text: str | None,
) -> None:
    window = make_window(app, tmp_path)
    page = NumbersPage(None, status=window.status, auto_wizard=False)
    try:
        tunnel = TunnelStatus(state, url, None, datetime.now(UTC), None)
        page.on_connection_status(ConnectionStatus(mode="ngrok", tunnel=tunnel, callback_url=None))
        assert page.tunnel_label.text().startswith(page_text), page.tunnel_label.text()
        bar = window.status.plain_text()
        assert (bar_text or f"Tunnel: {url}") in bar, bar
    finally:
        page.deleteLater()
        window.close_for_quit()
        window.deleteLater()
