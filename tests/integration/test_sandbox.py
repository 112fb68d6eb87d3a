"""The Cloud API sandbox over real loopback HTTP: Graph endpoints and errors like Meta, signed
webhooks to an aiohttp receiver, statuses, retries, scripted customers and the CLI."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.integration.sandbox_helpers import VERIFY_TOKEN, Receiver, fast_config, started
from wadesk.core.enums import SignatureVerdict
from wadesk.engine.sandbox import Sandbox, SandboxUsageError, TokenSpec
from wadesk.engine.sandbox.cli import main as cli_main
from wadesk.engine.sandbox.rules import TokenBucket, check_template, validate_message


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    # the app secret is filled in by the `sandbox` fixture
    rec = Receiver(app_secret="")
    await rec.start()
    yield rec
    await rec.stop()


@pytest.fixture
async def sandbox(receiver: Receiver) -> AsyncIterator[Sandbox]:
    config = fast_config()
    receiver.app_secret = config.app_secret
    box = await started(config, receiver)
    yield box
    await box.stop()


def graph(box: Sandbox, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token or box.config.access_token}"}
    return httpx.AsyncClient(base_url=f"{box.base_url}/v23.0", headers=headers, timeout=5)


def text_to(wa_id: str, body: str = "Hello") -> dict[str, Any]:
    return {"messaging_product": "whatsapp", "to": wa_id, "type": "text", "text": {"body": body}}


def pid(box: Sandbox) -> str:
    return box.config.numbers[0].phone_number_id


def waba(box: Sandbox) -> str:
    return box.config.numbers[0].waba_id


ANNA = "79161234567"
MARIA = "15550101001"


async def test_registration_does_the_get_verification(receiver: Receiver) -> None:
    config = fast_config()
    receiver.app_secret = config.app_secret
    box = await started(config)
    try:
        async with graph(box) as client:
            url = f"/{waba(box)}/subscribed_apps"
            ok = await client.post(
                url, json={"override_callback_uri": receiver.url, "verify_token": VERIFY_TOKEN}
            )
            assert ok.status_code == 200 and ok.json() == {"success": True}
            assert receiver.verifications[-1]["hub.mode"] == "subscribe"
            assert receiver.verifications[-1]["hub.verify_token"] == VERIFY_TOKEN
            listed = (await client.get(url)).json()["data"]
            assert listed[0]["override_callback_uri"] == receiver.url

            bad = await client.post(
                url, data={"override_callback_uri": receiver.url, "verify_token": "wrong"}
            )
            assert bad.status_code == 400
            err = bad.json()["error"]
            assert err["code"] == 2200
            assert "Callback verification failed" in err["message"] and "403" in err["message"]
            assert len(receiver.verifications) == 2
        with pytest.raises(SandboxUsageError, match="2200"):
            await box.set_callback(receiver.url, "wrong")
    finally:
        await box.stop()


async def test_customer_say_sends_a_signed_meta_shaped_webhook(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    wamid = await sandbox.customer(ANNA).say("Здравствуйте! Можно записаться?")
    (post,) = await receiver.wait_for(1)
    assert post.verdict is SignatureVerdict.VALID
    assert b"\\u0417\\u0434" in post.raw  # escaped unicode like Meta
    body = post.body
    assert body["object"] == "whatsapp_business_account"
    assert body["entry"][0]["id"] == waba(sandbox)
    change = body["entry"][0]["changes"][0]
    assert change["field"] == "messages"
    value = change["value"]
    assert value["metadata"] == {
        "display_phone_number": "15550100100",
        "phone_number_id": pid(sandbox),
    }
    assert value["contacts"] == [{"profile": {"name": "Анна Смирнова"}, "wa_id": ANNA}]
    message = value["messages"][0]
    assert message["id"] == wamid and message["from"] == ANNA and message["type"] == "text"
    assert message["text"] == {"body": "Здравствуйте! Можно записаться?"}
    assert message["timestamp"].isdigit()


async def test_send_text_answers_wamid_then_statuses_in_order(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    await sandbox.customer(MARIA).say("hi")
    async with graph(sandbox) as client:
        response = await client.post(f"/{pid(sandbox)}/messages", json=text_to("+1 555-010-1001"))
    assert response.status_code == 200
    data = response.json()
    wamid = data["messages"][0]["id"]
    assert wamid.startswith("wamid.")
    assert data["contacts"] == [{"input": "+1 555-010-1001", "wa_id": MARIA}]
    await sandbox.wait_idle()
    statuses = [s for s in receiver.statuses() if s["id"] == wamid]
    assert [s["status"] for s in statuses] == ["sent", "delivered", "read"]
    assert statuses[0]["recipient_id"] == MARIA
    assert statuses[0]["pricing"]["category"] == "service"
    assert all(p.verdict is SignatureVerdict.VALID for p in receiver.posts)
    assert sandbox.sent_messages[-1].body["text"]["body"] == "Hello"
    assert sandbox.counters.accepted[MARIA] == 1


async def test_bad_and_expired_tokens_get_190(sandbox: Sandbox) -> None:
    async with graph(sandbox, "EAAnot-a-token") as client:
        bad = await client.post(f"/{pid(sandbox)}/messages", json=text_to(MARIA))
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == 190
    assert bad.json()["error"]["type"] == "OAuthException"
    sandbox.config.access_tokens["expired"] = TokenSpec(type="USER", expires_at=1_000_000)
    async with graph(sandbox, "expired") as client:
        expired = await client.get(f"/{pid(sandbox)}")
    assert expired.status_code == 401
    assert expired.json()["error"]["error_subcode"] == 463
    assert "Session has expired" in expired.json()["error"]["message"]


async def test_unknown_phone_number_id_gets_100(sandbox: Sandbox) -> None:
    async with graph(sandbox) as client:
        response = await client.post("/999999/messages", json=text_to(MARIA))
    assert response.status_code == 400
    err = response.json()["error"]
    assert err["code"] == 100 and err["type"] == "GraphMethodException"
    assert err["message"].startswith("Unsupported post request. Object with ID '999999'")


async def test_missing_messaging_product_and_too_many_buttons(sandbox: Sandbox) -> None:
    body = text_to(MARIA)
    del body["messaging_product"]
    buttons = [{"type": "reply", "reply": {"id": f"b{i}", "title": f"B{i}"}} for i in range(4)]
    interactive = {
        "messaging_product": "whatsapp",
        "to": MARIA,
        "type": "interactive",
        "interactive": {"type": "button", "body": {"text": "Pick"}, "action": {"buttons": buttons}},
    }
    async with graph(sandbox) as client:
        missing = await client.post(f"/{pid(sandbox)}/messages", json=body)
        too_many = await client.post(f"/{pid(sandbox)}/messages", json=interactive)
    assert missing.json()["error"]["code"] == 100
    assert too_many.status_code == 400
    assert too_many.json()["error"]["code"] == 131009
    assert "at most 3" in too_many.json()["error"]["error_data"]["details"]


async def test_sixth_recipient_of_a_test_number_gets_131030(receiver: Receiver) -> None:
    allowed = {f"1555000000{i}" for i in range(5)}
    box = await started(fast_config(allowed_recipients=allowed))
    try:
        async with graph(box) as client:
            for wa_id in sorted(allowed):
                ok = await client.post(f"/{pid(box)}/messages", json=text_to(wa_id))
                assert ok.status_code == 200
            sixth = await client.post(f"/{pid(box)}/messages", json=text_to("15550000009"))
        assert sixth.status_code == 400
        assert sixth.json()["error"]["code"] == 131030
        assert box.counters.violations[131030] == 1
    finally:
        await box.stop()
    with pytest.raises(ValueError, match="at most 5"):
        fast_config(allowed_recipients={*allowed, "15550000009"})


async def test_closed_window_answers_200_then_failed_131047(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    async with graph(sandbox) as client:
        response = await client.post(f"/{pid(sandbox)}/messages", json=text_to(ANNA))
    assert response.status_code == 200
    wamid = response.json()["messages"][0]["id"]
    await sandbox.wait_idle()
    (status,) = [s for s in receiver.statuses() if s["id"] == wamid]
    assert status["status"] == "failed"
    assert status["errors"][0]["code"] == 131047
    assert status["errors"][0]["title"] == "Re-engagement message"
    assert sandbox.counters.violations[131047] == 1


async def test_burst_over_throughput_gets_130429_and_counts_violations(receiver: Receiver) -> None:
    box = await started(fast_config(throughput_per_second=2.0))
    try:
        async with graph(box) as client:
            responses = await asyncio.gather(
                *(client.post(f"/{pid(box)}/messages", json=text_to(MARIA)) for _ in range(12))
            )
        codes = [r.json().get("error", {}).get("code") for r in responses]
        limited = codes.count(130429)
        assert limited >= 5
        assert codes.count(None) >= 1
        assert box.counters.violations[130429] == limited
    finally:
        await box.stop()


async def test_pair_rate_gets_131056(receiver: Receiver) -> None:
    box = await started(fast_config(pair_rate_per_6s=1.0, pair_rate_burst=2))
    try:
        async with graph(box) as client:
            results = [
                await client.post(f"/{pid(box)}/messages", json=text_to(MARIA)) for _ in range(3)
            ]
            other = await client.post(f"/{pid(box)}/messages", json=text_to(ANNA))
        assert [r.status_code for r in results] == [200, 200, 400]
        assert results[2].json()["error"]["code"] == 131056
        assert other.status_code == 200  # the limit is per recipient
        assert box.counters.violations[131056] == 1
    finally:
        await box.stop()


def template(name: str, lang: str, *params: str) -> dict[str, Any]:
    components = []
    if params:
        values = [{"type": "text", "text": p} for p in params]
        components.append({"type": "body", "parameters": values})
    return {
        "messaging_product": "whatsapp",
        "to": MARIA,
        "type": "template",
        "template": {"name": name, "language": {"code": lang}, "components": components},
    }


async def test_templates_parameters_and_quick_reply_tap(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    url = f"/{pid(sandbox)}/messages"
    async with graph(sandbox) as client:
        mismatch = await client.post(url, json=template("appointment_reminder", "en_US", "Maria"))
        unknown = await client.post(url, json=template("nope", "en_US"))
        pending = await client.post(url, json=template("loyalty_card", "en_US", "a", "b"))
        ok = await client.post(url, json=template("appointment_reminder", "en_US", "Maria", "Fri"))
    assert mismatch.json()["error"]["code"] == 132000
    assert "expected number of params (2)" in mismatch.json()["error"]["error_data"]["details"]
    assert unknown.json()["error"]["code"] == 132001
    assert pending.json()["error"]["code"] == 132001
    assert ok.status_code == 200
    message = ok.json()["messages"][0]
    assert message["message_status"] == "accepted"
    await sandbox.wait_idle()
    statuses = [s for s in receiver.statuses() if s["id"] == message["id"]]
    assert [s["status"] for s in statuses] == ["sent", "delivered", "read"]  # window not needed
    assert statuses[0]["pricing"]["category"] == "utility"

    tap = await sandbox.customer(MARIA).tap("Reschedule")
    await sandbox.wait_idle()
    reply = next(m for m in receiver.messages() if m["id"] == tap)
    assert reply["type"] == "button"
    assert reply["button"] == {"payload": "Reschedule", "text": "Reschedule"}
    assert reply["context"]["id"] == message["id"]
    with pytest.raises(SandboxUsageError, match="no button"):
        await sandbox.customer(MARIA).tap("Cancel")


async def test_interactive_button_and_list_replies(sandbox: Sandbox, receiver: Receiver) -> None:
    customer = sandbox.customer(ANNA)
    await customer.say("hi")
    buttons = {
        "type": "button",
        "body": {"text": "When?"},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": "slot-am", "title": "Morning"}},
                {"type": "reply", "reply": {"id": "slot-pm", "title": "Evening"}},
            ]
        },
    }
    rows = [
        {"id": "cut", "title": "Haircut", "description": "30 min"},
        {"id": "dye", "title": "Dye"},
    ]
    listing = {
        "type": "list",
        "body": {"text": "Services"},
        "action": {"button": "Choose", "sections": [{"title": "Hair", "rows": rows}]},
    }
    async with graph(sandbox) as client:
        sent = []
        for interactive in (buttons, listing):
            body = {
                "messaging_product": "whatsapp",
                "to": ANNA,
                "type": "interactive",
                "interactive": interactive,
            }
            response = await client.post(f"/{pid(sandbox)}/messages", json=body)
            assert response.status_code == 200, response.text
            sent.append(response.json()["messages"][0]["id"])
    tap = await customer.tap("slot-pm")
    pick = await customer.pick("Haircut")
    await sandbox.wait_idle()
    by_id = {m["id"]: m for m in receiver.messages()}
    assert by_id[tap]["interactive"] == {
        "type": "button_reply",
        "button_reply": {"id": "slot-pm", "title": "Evening"},
    }
    assert by_id[tap]["context"]["id"] == sent[0]
    assert by_id[pick]["interactive"]["list_reply"] == {
        "id": "cut",
        "title": "Haircut",
        "description": "30 min",
    }
    loc = await customer.location(55.75, 37.62, "Кафе", "Тверская 1")
    react = await customer.react(sent[0], "👍")
    await sandbox.wait_idle()
    by_id = {m["id"]: m for m in receiver.messages()}
    assert by_id[loc]["location"]["name"] == "Кафе"
    assert by_id[react]["reaction"] == {"message_id": sent[0], "emoji": "👍"}


async def test_mark_as_read_and_typing(sandbox: Sandbox) -> None:
    wamid = await sandbox.customer(MARIA).say("hello?")
    body = {"messaging_product": "whatsapp", "status": "read", "message_id": wamid}
    async with graph(sandbox) as client:
        ok = await client.post(f"/{pid(sandbox)}/messages", json=body)
        typing = await client.post(
            f"/{pid(sandbox)}/messages", json={**body, "typing_indicator": {"type": "text"}}
        )
        unknown = await client.post(
            f"/{pid(sandbox)}/messages", json={**body, "message_id": "wamid.nope"}
        )
    assert ok.json() == {"success": True} and typing.json() == {"success": True}
    assert unknown.json()["error"]["code"] == 100
    assert sandbox.marked_read == [wamid, wamid]


async def test_templates_paging(sandbox: Sandbox) -> None:
    names: list[str] = []
    async with graph(sandbox) as client:
        page = (await client.get(f"/{waba(sandbox)}/message_templates", params={"limit": 2})).json()
        pages = 1
        names += [f"{t['name']}:{t['language']}" for t in page["data"]]
        while "next" in page["paging"]:
            assert page["paging"]["next"].startswith(sandbox.base_url)
            page = (await client.get(page["paging"]["next"])).json()
            names += [f"{t['name']}:{t['language']}" for t in page["data"]]
            pages += 1
        approved = await client.get(
            f"/{waba(sandbox)}/message_templates", params={"status": "APPROVED", "fields": "name"}
        )
    assert pages == 3
    assert len(names) == 5 and len(set(names)) == 5
    assert "appointment_reminder:ru" in names
    data = approved.json()["data"]
    assert len(data) == 3 and set(data[0]) == {"name", "id"}
    rejected = next(t for t in sandbox.state.templates if t["status"] == "REJECTED")
    assert rejected["rejected_reason"] == "PROMOTIONAL"


async def test_media_upload_info_download_and_delete(sandbox: Sandbox) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(200))
    async with graph(sandbox) as client:
        upload = await client.post(
            f"/{pid(sandbox)}/media",
            data={"messaging_product": "whatsapp", "type": "image/png"},
            files={"file": ("photo.png", png, "image/png")},
        )
        assert upload.status_code == 200, upload.text
        media_id = upload.json()["id"]
        info = (await client.get(f"/{media_id}")).json()
        assert info["mime_type"] == "image/png" and info["file_size"] == len(png)
        assert info["messaging_product"] == "whatsapp" and info["id"] == media_id
        assert info["url"].startswith(f"{sandbox.base_url}/media-download/{media_id}?")
        with_token = await client.get(info["url"])
        assert with_token.status_code == 200 and with_token.content == png
        async with httpx.AsyncClient() as anonymous:
            without = await anonymous.get(info["url"])
        assert without.status_code == 401
        bad_type = await client.post(
            f"/{pid(sandbox)}/media",
            data={"messaging_product": "whatsapp", "type": "application/x-msdownload"},
            files={"file": ("x.exe", b"MZ", "application/x-msdownload")},
        )
        assert bad_type.json()["error"]["code"] == 100
        assert (await client.delete(f"/{media_id}")).json() == {"success": True}
        gone = await client.get(f"/{media_id}")
        assert gone.json()["error"]["code"] == 100


async def test_inbound_image_is_downloadable(sandbox: Sandbox, receiver: Receiver) -> None:
    wamid = await sandbox.customer(MARIA).image(b"\xff\xd8jpeg-bytes", "my nails")
    await sandbox.wait_idle()
    message = next(m for m in receiver.messages() if m["id"] == wamid)
    assert message["image"]["caption"] == "my nails"
    async with graph(sandbox) as client:
        info = (await client.get(f"/{message['image']['id']}")).json()
        assert info["sha256"] == message["image"]["sha256"]
        assert (await client.get(info["url"])).content == b"\xff\xd8jpeg-bytes"


async def test_phone_number_info_and_debug_token(sandbox: Sandbox) -> None:
    tokens = list(sandbox.config.access_tokens)
    system, user, limited = tokens
    async with graph(sandbox) as client:
        phone = (await client.get(f"/{pid(sandbox)}")).json()
        selected = await client.get(f"/{pid(sandbox)}", params={"fields": "verified_name"})
        infos = [
            (await client.get("/debug_token", params={"input_token": t})).json()["data"]
            for t in (system, user, limited, "garbage")
        ]
    async with graph(sandbox, limited) as client:
        no_scope = await client.get(f"/{waba(sandbox)}/message_templates")
    assert phone["verified_name"] == "Demo Salon"
    assert phone["display_phone_number"] == "+1 555-010-0100"
    assert phone["quality_rating"] == "GREEN" and phone["throughput"] == {"level": "STANDARD"}
    assert phone["messaging_limit_tier"] == "TIER_250" and phone["account_mode"] == "SANDBOX"
    assert selected.json() == {"verified_name": "Demo Salon", "id": pid(sandbox)}
    assert infos[0]["type"] == "SYSTEM_USER" and infos[0]["expires_at"] == 0
    assert infos[0]["is_valid"] is True
    assert infos[0]["granular_scopes"][0]["target_ids"] == [waba(sandbox)]
    assert infos[1]["type"] == "USER" and infos[1]["expires_at"] > 0
    assert "whatsapp_business_management" not in infos[2]["scopes"]
    assert infos[3]["is_valid"] is False and infos[3]["error"]["code"] == 190
    assert no_scope.status_code == 403 and no_scope.json()["error"]["code"] == 10


async def test_webhook_retries_until_the_receiver_answers_200(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    receiver.statuses_to_answer = [500, 503]
    wamid = await sandbox.customer(MARIA).say("are you there?")
    await sandbox.wait_idle()
    assert [m["id"] for m in receiver.messages()] == [wamid]
    counters = sandbox.counters
    assert counters.webhook_attempts == 3
    assert counters.webhook_failures == 2
    assert counters.webhook_deliveries == 1


async def test_outage_refuses_connections_then_recovers_on_the_same_port(sandbox: Sandbox) -> None:
    base = sandbox.base_url
    await sandbox.set_down(True)
    async with graph(sandbox) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(f"/{pid(sandbox)}")
    await sandbox.set_down(False)
    assert sandbox.base_url == base
    sandbox.fail_next(131016)
    async with graph(sandbox) as client:
        failed = await client.get(f"/{pid(sandbox)}")
        ok = await client.get(f"/{pid(sandbox)}")
    assert failed.status_code == 503 and failed.json()["error"]["code"] == 131016
    assert ok.status_code == 200


async def test_cli_against_a_running_sandbox(
    sandbox: Sandbox, receiver: Receiver, capsys: pytest.CaptureFixture[str]
) -> None:
    url = ["--url", sandbox.base_url]
    assert await asyncio.to_thread(cli_main, [*url, "say", ANNA, "Привет", "из", "CLI"]) == 0
    wamid = capsys.readouterr().out.strip()
    await sandbox.wait_idle()
    message = next(m for m in receiver.messages() if m["id"] == wamid)
    assert message["text"]["body"] == "Привет из CLI"
    assert await asyncio.to_thread(cli_main, [*url, "location", ANNA, "55.7", "37.6"]) == 0
    assert await asyncio.to_thread(cli_main, [*url, "react", ANNA, wamid, "❤"]) == 0
    capsys.readouterr()
    assert await asyncio.to_thread(cli_main, [*url, "counters"]) == 0
    counters = json.loads(capsys.readouterr().out)
    assert counters["webhook_attempts"] >= 1
    assert await asyncio.to_thread(cli_main, [*url, "tap", ANNA, "Nope"]) == 1
    assert "no message with buttons" in capsys.readouterr().err
    assert await asyncio.to_thread(cli_main, [*url, "say", "000", "hi"]) == 1
    assert "unknown customer" in capsys.readouterr().err
    assert await asyncio.to_thread(cli_main, ["--url", "http://127.0.0.1:9", "state"]) == 2
    assert "cannot reach" in capsys.readouterr().err


async def test_undeliverable_webhooks_are_dropped_after_bounded_attempts(
    sandbox: Sandbox, receiver: Receiver
) -> None:
    receiver.statuses_to_answer = [500] * 10
    await sandbox.customer(MARIA).say("lost")
    await sandbox.wait_idle()
    assert receiver.posts == []
    assert sandbox.counters.webhook_attempts == sandbox.config.webhook_max_attempts
    assert sandbox.counters.webhook_dropped == 1


def test_token_bucket_refills_at_its_rate() -> None:
    bucket = TokenBucket(rate=1 / 6, capacity=2)
    assert [bucket.take(0.0), bucket.take(0.1), bucket.take(0.2)] == [True, True, False]
    assert bucket.take(5.0) is False
    assert bucket.take(6.3) is True


def test_rule_checks_for_shapes_and_named_template_parameters() -> None:
    long_text = {"messaging_product": "whatsapp", "to": MARIA, "text": {"body": "x" * 4097}}
    assert (err := validate_message(long_text)) is not None and err.code == 100
    bad_number = {"messaging_product": "whatsapp", "to": "call me", "text": {"body": "x"}}
    assert (err := validate_message(bad_number)) is not None and err.code == 100
    no_body = {"messaging_product": "whatsapp", "to": MARIA, "type": "image", "image": {}}
    assert (err := validate_message(no_body)) is not None and err.code == 131008
    named = {
        "name": "order",
        "language": "en_US",
        "status": "APPROVED",
        "components": [
            {"type": "HEADER", "format": "IMAGE"},
            {"type": "BODY", "text": "Hi {{first_name}}, order {{order_id}} is ready"},
        ],
    }
    params = [{"type": "text", "parameter_name": "first_name", "text": "Ann"}]
    payload: dict[str, Any] = {
        "name": "order",
        "language": {"code": "en_US"},
        "components": [
            {"type": "header", "parameters": [{"type": "image", "image": {"id": "1"}}]},
            {"type": "body", "parameters": params},
        ],
    }
    _, err = check_template([named], payload)
    assert err is not None and err.code == 132000
    params.append({"type": "text", "parameter_name": "order_id", "text": "9128"})
    assert check_template([named], payload) == (named, None)
