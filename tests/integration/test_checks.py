"""Live account checks (`wadesk.engine.checks`) against the sandbox over loopback: all ok, and
each failure mode with the catalogue's explanation; webhook round trip through a public URL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.integration.checks_env import (
    MANUAL_URL,
    PublicNet,
    make_engine,
    sandbox_config,
    token_of,
)
from wadesk.core.errors import GraphError
from wadesk.engine.checks import (
    NO_MANAGEMENT,
    NO_VERIFICATION,
    NOT_SUBSCRIBED,
    OFFLINE,
    PHONE_MISMATCH,
    PHONE_NOT_IN_WABA,
    SKIPPED,
    TEMPORARY_TOKEN,
    CheckError,
    CheckKey,
    CheckResult,
    CheckState,
    NumberDraft,
    run_checks,
)
from wadesk.engine.cloudapi.client import CloudApiClient
from wadesk.engine.config import WEBHOOK_PATH
from wadesk.engine.sandbox import Sandbox
from wadesk.engine.sandbox.state import SandboxNumber
from wadesk.engine.service import Engine

ORDER = [CheckKey.TOKEN, CheckKey.PHONE_NUMBER, CheckKey.WABA, CheckKey.SUBSCRIPTION]
ORDER.append(CheckKey.WEBHOOK)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    box = Sandbox(sandbox_config())
    await box.start()
    yield box
    await box.stop()


@pytest.fixture
async def engine(
    tmp_path: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Engine]:
    eng = make_engine(tmp_path / "data", sandbox.base_url)
    await eng.start()
    assert eng.server is not None
    net = PublicNet(routes={MANUAL_URL: f"http://127.0.0.1:{eng.server.port}"})
    net.install(monkeypatch, sandbox)
    await eng.connection.use_manual_url(MANUAL_URL)
    yield eng
    await eng.stop()


def draft(sandbox: Sandbox, **changes: str) -> NumberDraft:
    number = sandbox.config.numbers[0]
    values = {
        "label": "Salon",
        "phone": "+1 555 010 0100",
        "phone_number_id": number.phone_number_id,
        "waba_id": number.waba_id,
        "access_token": token_of(sandbox, "system"),
        "app_secret": sandbox.config.app_secret,
    }
    values.update(changes)
    return NumberDraft(**values)  # type: ignore[arg-type]


def by_key(results: list[CheckResult]) -> dict[CheckKey, CheckResult]:
    return {r.key: r for r in results}


async def test_all_checks_pass_and_progress_is_reported_in_order(
    engine: Engine, sandbox: Sandbox
) -> None:
    seen: list[tuple[CheckKey, CheckState]] = []
    results = await run_checks(engine, draft(sandbox), lambda r: seen.append((r.key, r.state)))
    assert [r.key for r in results] == ORDER
    states = {r.key: r.state for r in results}
    # the app was not yet subscribed: a warning, turned ok by the webhook registration
    assert all(s is CheckState.OK for s in states.values()), [(r.key, r.summary) for r in results]
    assert seen[:5] == [(k, CheckState.PENDING) for k in ORDER]
    running = [k for k, s in seen if s is CheckState.RUNNING]
    assert running == ORDER
    assert (CheckKey.SUBSCRIPTION, CheckState.WARNING) in seen
    phone = by_key(results)[CheckKey.PHONE_NUMBER]
    assert phone.facts["quality_rating"] == "GREEN"
    assert phone.facts["messaging_limit_tier"] == "TIER_250"
    assert phone.facts["test_number"] == "yes"
    assert "+1 555-010-0100" in phone.summary
    # every passing summary is a message (code + params) that renders in English and Russian
    assert phone.message is not None and phone.message.code == "check.phone"
    assert phone.message.params["display"] == "+1 555-010-0100"
    assert [m.code for m in phone.message.more] == ["check.test_number"]
    assert phone.summary == phone.message.render("en")
    assert "качество GREEN" in phone.describe("ru") and "Тестовый номер" in phone.describe("ru")
    for result in results:
        assert result.message is not None, result.key
        assert result.describe("ru") != result.describe("en"), result.key
    hook = by_key(results)[CheckKey.WEBHOOK]
    assert hook.facts["callback_url"] == MANUAL_URL + WEBHOOK_PATH
    assert "verified_at" in hook.facts
    assert any(ok for _at, ok in engine.verification_requests)
    waba = sandbox.config.numbers[0].waba_id
    assert sandbox.state.waba_callbacks[waba].url == MANUAL_URL + WEBHOOK_PATH


async def test_expired_token_explains_190_and_skips_what_needs_it(
    engine: Engine, sandbox: Sandbox
) -> None:
    results = by_key(
        await run_checks(engine, draft(sandbox, access_token=token_of(sandbox, "expired")))
    )
    token = results[CheckKey.TOKEN]
    assert token.state is CheckState.FAILED
    assert isinstance(token.error, GraphError) and token.error.code == 190
    assert "expired" in token.explain("en")
    assert "системного пользователя" in token.explain("ru")
    # every later step needs the token, the webhook registration too: all "skipped", none ✗
    for key in (CheckKey.PHONE_NUMBER, CheckKey.WABA, CheckKey.SUBSCRIPTION, CheckKey.WEBHOOK):
        assert results[key].state is CheckState.NOT_CHECKED, key
        assert isinstance(results[key].error, CheckError)
        assert results[key].error.explanation is SKIPPED
        assert "Skipped until the access token works" in results[key].explain("en")
        assert "Пропущено" in results[key].explain("ru")
    assert not sandbox.state.waba_callbacks  # nothing was registered with a broken token


async def test_temporary_user_token_is_a_warning_with_system_user_advice(
    engine: Engine, sandbox: Sandbox
) -> None:
    results = by_key(
        await run_checks(engine, draft(sandbox, access_token=token_of(sandbox, "temporary")))
    )
    token = results[CheckKey.TOKEN]
    assert token.state is CheckState.WARNING
    assert isinstance(token.error, CheckError) and token.error.explanation is TEMPORARY_TOKEN
    assert "System users" in token.explain("en") and "Generate token" in token.explain("en")
    assert "временный" in token.explain("ru")
    assert results[CheckKey.PHONE_NUMBER].state is CheckState.OK


async def test_wrong_phone_number_id_explains_100_33(engine: Engine, sandbox: Sandbox) -> None:
    results = by_key(await run_checks(engine, draft(sandbox, phone_number_id="123456789012345")))
    phone = results[CheckKey.PHONE_NUMBER]
    assert phone.state is CheckState.FAILED
    assert isinstance(phone.error, GraphError)
    assert (phone.error.code, phone.error.subcode) == (100, 33)
    assert "Phone Number ID" in phone.explain("en") and "API Setup" in phone.explain("en")
    assert results[CheckKey.TOKEN].state is CheckState.OK


async def test_phone_number_id_of_another_waba(engine: Engine, sandbox: Sandbox) -> None:
    """Both IDs exist, but the number is not one of the typed WABA's numbers."""
    sandbox.config.numbers.append(
        SandboxNumber("106540352242999", "102290129340999", "+1 555-010-0999", "Other shop")
    )
    results = by_key(await run_checks(engine, draft(sandbox, waba_id="102290129340999")))
    waba = results[CheckKey.WABA]
    assert waba.state is CheckState.FAILED
    assert isinstance(waba.error, CheckError) and waba.error.explanation is PHONE_NOT_IN_WABA
    assert "does not belong to this WhatsApp Business Account" in waba.explain("en")
    assert "API Setup" in waba.explain("en") and "не относится" in waba.explain("ru")
    assert results[CheckKey.PHONE_NUMBER].state is CheckState.OK  # the ID itself exists
    # the sandbox lists each WABA's own numbers
    client = CloudApiClient(
        phone_number_id="0",
        access_token=token_of(sandbox, "system"),
        waba_id="102290129340999",
        base_url=engine.settings.graph_base_url,
        version=engine.settings.graph_version,
    )
    try:
        assert await client.waba_phone_number_ids() == ["106540352242999"]
    finally:
        await client.aclose()


async def test_typed_phone_differs_from_meta_display_number(
    engine: Engine, sandbox: Sandbox
) -> None:
    results = by_key(await run_checks(engine, draft(sandbox, phone="+44 7700 900123")))
    phone = results[CheckKey.PHONE_NUMBER]
    assert phone.state is CheckState.WARNING
    assert isinstance(phone.error, CheckError) and phone.error.explanation is PHONE_MISMATCH


async def test_token_without_management_scope(engine: Engine, sandbox: Sandbox) -> None:
    token = token_of(sandbox, "messaging_only")
    results = by_key(await run_checks(engine, draft(sandbox, access_token=token)))
    assert results[CheckKey.TOKEN].state is CheckState.WARNING
    error = results[CheckKey.TOKEN].error
    assert isinstance(error, CheckError) and error.explanation is NO_MANAGEMENT
    # what needs the management permission fails with the permission explanation (code 10)
    phone = results[CheckKey.PHONE_NUMBER]
    assert phone.state is CheckState.FAILED
    assert isinstance(phone.error, GraphError) and phone.error.code == 10
    assert "whatsapp_business_management" in phone.explain("en")
    hook = results[CheckKey.WEBHOOK]
    assert hook.state is CheckState.FAILED
    assert "Configuration → Webhook" in hook.explain("en")  # the manual set-up instructions


async def test_callback_verification_failure(
    engine: Engine, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the public URL leads nowhere (e.g. the tunnel forwards to another computer)
    net = PublicNet(routes={MANUAL_URL: "http://127.0.0.1:9"})
    net.install(monkeypatch, sandbox)
    results = by_key(await run_checks(engine, draft(sandbox)))
    hook = results[CheckKey.WEBHOOK]
    assert hook.state is CheckState.FAILED
    assert isinstance(hook.error, GraphError) and hook.error.code == 2200
    assert "could not verify the callback URL" in hook.explain("en")
    assert results[CheckKey.SUBSCRIPTION].state is CheckState.WARNING
    assert isinstance(results[CheckKey.SUBSCRIPTION].error, CheckError)
    assert results[CheckKey.SUBSCRIPTION].error.explanation is NOT_SUBSCRIBED


async def test_verification_request_that_never_arrives_times_out(
    engine: Engine, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Meta said "ok" but our server saw nothing: someone else answers at the public URL
    async def fake_verify(*_args: object) -> None:
        return None

    from wadesk.engine.sandbox import server as sandbox_server

    monkeypatch.setattr(sandbox_server, "verify_callback", fake_verify)
    results = by_key(await run_checks(engine, draft(sandbox), verification_timeout=0.3))
    hook = results[CheckKey.WEBHOOK]
    assert hook.state is CheckState.FAILED
    assert isinstance(hook.error, CheckError) and hook.error.explanation is NO_VERIFICATION


async def test_no_public_url_fails_the_round_trip_with_advice(
    engine: Engine, sandbox: Sandbox
) -> None:
    await engine.connection.use_manual_url(None)  # and no ngrok authtoken either
    hook = by_key(await run_checks(engine, draft(sandbox)))[CheckKey.WEBHOOK]
    assert hook.state is CheckState.FAILED
    assert "Your Authtoken" in hook.explain("en")


async def test_offline_marks_checks_not_checked(engine: Engine, sandbox: Sandbox) -> None:
    await sandbox.set_down(True)
    try:
        results = await run_checks(engine, draft(sandbox))
    finally:
        await sandbox.set_down(False)
    assert [r.state for r in results] == [CheckState.NOT_CHECKED] * len(ORDER)
    first = results[0]
    assert isinstance(first.error, CheckError) and first.error.explanation is OFFLINE
    assert "network returns" in first.explain("en")
    assert "когда появится сеть" in first.explain("ru")


async def test_test_message_to_a_recipient_outside_the_allowed_list(
    engine: Engine, sandbox: Sandbox
) -> None:
    results = by_key(await run_checks(engine, draft(sandbox, test_recipient="+34 600 999 888")))
    sent = results[CheckKey.TEST_MESSAGE]
    assert sent.state is CheckState.FAILED
    assert isinstance(sent.error, GraphError) and sent.error.code == 131030
    assert "allowed list" in sent.explain("en")
    allowed = next(iter(sandbox.config.allowed_recipients))
    ok = by_key(await run_checks(engine, draft(sandbox, test_recipient=allowed)))
    assert ok[CheckKey.TEST_MESSAGE].state is CheckState.OK


async def test_saved_number_keeps_results_and_rechecks_when_back_online(
    engine: Engine, sandbox: Sandbox
) -> None:
    from wadesk.engine import number_admin

    d = draft(sandbox)
    await engine.add_number(
        label=d.label,
        phone=d.phone,
        phone_number_id=d.phone_number_id,
        waba_id=d.waba_id,
        access_token=d.access_token,
        app_secret=d.app_secret,
    )
    await sandbox.set_down(True)
    await engine.check_number(d)
    await sandbox.set_down(False)
    [row] = await engine.number_overview()
    assert row.checks_state == "not_checked"
    assert await number_admin.recheck_pending(engine) == 1
    [row] = await engine.number_overview()
    assert row.checks_state == "ok", row.check_states
    assert row.quality_rating == "GREEN" and row.messaging_tier == "TIER_250"
    assert row.tier_limit == 250
    assert await number_admin.recheck_pending(engine) == 0


async def test_facts_in_warnings_follow_the_language(engine: Engine, sandbox: Sandbox) -> None:
    results = by_key(
        await run_checks(
            engine,
            draft(sandbox, access_token=token_of(sandbox, "temporary"), phone="+1 555 010 0199"),
        )
    )
    token = results[CheckKey.TOKEN]
    assert token.state is CheckState.WARNING
    assert "(expires " in token.explain("en") and "(истекает " in token.explain("ru")
    phone = results[CheckKey.PHONE_NUMBER]
    assert phone.state is CheckState.WARNING
    assert "typed: +1 555 010 0199" in phone.explain("en")
    assert "введено: +1 555 010 0199" in phone.explain("ru")
    assert phone.detail == "Meta: +1 555-010-0100, typed: +1 555 010 0199"
