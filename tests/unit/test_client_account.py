"""CloudApiClient account calls against respx: templates (paging), phone-number info,
debug_token, callback registration and subscribed apps."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
import respx

from wadesk.core.errors import WABA_ID_MISSING, GraphError, LocalError
from wadesk.core.outgoing import LimitError
from wadesk.engine.cloudapi.client import CloudApiClient

TOKEN = "EAAGtesttoken0123456789abcdefSECRET"
BASE = "https://graph.test"
API = f"{BASE}/v23.0"


@pytest.fixture
async def client() -> AsyncIterator[CloudApiClient]:
    c = CloudApiClient(phone_number_id="PNID", access_token=TOKEN, waba_id="WABA", base_url=BASE)
    yield c
    await c.aclose()


async def test_templates_follow_paging(client: CloudApiClient) -> None:
    page1 = {
        "data": [
            {
                "id": "1",
                "name": "hello_world",
                "language": "en_US",
                "status": "APPROVED",
                "category": "UTILITY",
                "components": [{"type": "BODY", "text": "Hello {{1}}"}],
                "parameter_format": "POSITIONAL",
                "quality_score": {"score": "GREEN"},
            }
        ],
        "paging": {
            "cursors": {"before": "A", "after": "B"},
            "next": f"{API}/WABA/message_templates?limit=100&after=B&access_token={TOKEN}",
        },
    }
    page2 = {
        "data": [
            {
                "id": "2",
                "name": "promo",
                "language": "ru",
                "status": "REJECTED",
                "category": "MARKETING",
                "components": [],
                "rejected_reason": "PROMOTIONAL",
            }
        ],
        "paging": {"cursors": {"before": "B", "after": "C"}},
    }
    with respx.mock(assert_all_called=True) as mock:
        second = mock.get(f"{API}/WABA/message_templates", params={"after": "B"}).respond(
            200, json=page2
        )
        first = mock.get(f"{API}/WABA/message_templates").respond(200, json=page1)
        templates = await client.templates()
    assert [t.name for t in templates] == ["hello_world", "promo"]
    assert first.calls.last.request.url.params["limit"] == "100"
    assert "quality_score" in first.calls.last.request.url.params["fields"]
    assert "access_token" not in second.calls.last.request.url.params
    hello, promo = templates
    assert hello.quality == "GREEN" and hello.parameter_format == "POSITIONAL"
    assert hello.components == ({"type": "BODY", "text": "Hello {{1}}"},)
    assert promo.status == "REJECTED" and promo.rejected_reason == "PROMOTIONAL"
    assert promo.language == "ru" and promo.category == "MARKETING"


async def test_templates_need_waba() -> None:
    async with CloudApiClient(phone_number_id="P", access_token=TOKEN, base_url=BASE) as c:
        with pytest.raises(LocalError) as info:
            await c.templates()
    assert info.value.code == WABA_ID_MISSING


@pytest.mark.parametrize(
    "tier_field", ["messaging_limit_tier", "whatsapp_business_manager_messaging_limit"]
)
async def test_phone_number_info(client: CloudApiClient, tier_field: str) -> None:
    answer = {
        "verified_name": "Test Number",
        "display_phone_number": "+1 555-096-7852",
        "quality_rating": "GREEN",
        "platform_type": "CLOUD_API",
        "throughput": {"level": "STANDARD"},
        "account_mode": "SANDBOX",
        tier_field: "TIER_250",
        "id": "PNID",
    }
    with respx.mock() as mock:
        route = mock.get(f"{API}/PNID").respond(200, json=answer)
        info = await client.phone_number_info()
    assert "verified_name" in route.calls.last.request.url.params["fields"]
    assert info.display_phone_number == "+1 555-096-7852"
    assert info.verified_name == "Test Number"
    assert info.quality_rating == "GREEN"
    assert info.messaging_limit_tier == "TIER_250"
    assert info.throughput == "STANDARD"
    assert info.account_mode == "SANDBOX"


async def test_debug_token_missing_scopes(client: CloudApiClient) -> None:
    answer = {
        "data": {
            "app_id": "123",
            "type": "SYSTEM_USER",
            "expires_at": 0,
            "is_valid": True,
            "scopes": ["whatsapp_business_messaging", "public_profile"],
            "granular_scopes": [{"scope": "whatsapp_business_messaging", "target_ids": ["WABA"]}],
        }
    }
    with respx.mock() as mock:
        route = mock.get(f"{API}/debug_token").respond(200, json=answer)
        info = await client.debug_token(app_token="123|appsecretvalue")
    request = route.calls.last.request
    assert request.url.params["input_token"] == TOKEN
    assert request.headers["Authorization"] == "Bearer 123|appsecretvalue"
    assert "appsecretvalue" not in str(request.url)
    assert info.is_valid and info.type == "SYSTEM_USER"
    assert info.expires_at is None
    assert info.missing_scopes == ("whatsapp_business_management",)
    assert info.granular_scopes[0].target_ids == ("WABA",)


async def test_debug_token_expiry(client: CloudApiClient) -> None:
    answer = {"data": {"is_valid": False, "type": "USER", "expires_at": 1700000000, "scopes": []}}
    with respx.mock() as mock:
        mock.get(f"{API}/debug_token").respond(200, json=answer)
        info = await client.debug_token()
    assert not info.is_valid
    assert info.expires_at is not None and int(info.expires_at.timestamp()) == 1700000000
    assert len(info.missing_scopes) == 2


async def test_register_callback_success(client: CloudApiClient) -> None:
    with respx.mock() as mock:
        route = mock.post(f"{API}/WABA/subscribed_apps").respond(200, json={"success": True})
        await client.register_callback("https://abc.ngrok-free.app/api/v1/webhooks/whatsapp", "vt")
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(request.content) == {
        "override_callback_uri": "https://abc.ngrok-free.app/api/v1/webhooks/whatsapp",
        "verify_token": "vt",
    }


async def test_register_callback_permission_error_gives_manual_steps(
    client: CloudApiClient,
) -> None:
    error = {
        "error": {
            "message": "(#200) Permissions error",
            "type": "OAuthException",
            "code": 200,
            "fbtrace_id": "TRACE",
        }
    }
    with respx.mock() as mock:
        mock.post(f"{API}/WABA/subscribed_apps").respond(403, json=error)
        with pytest.raises(GraphError) as info:
            await client.register_callback("https://abc.ngrok-free.app/hook", "vt")
    err = info.value
    assert err.code == 200 and err.http_status == 403 and err.fbtrace_id == "TRACE"
    en = err.explain("en")
    for needle in (
        "WhatsApp → Configuration → Webhook",
        "verify token",
        "messages",
        "https://abc.ngrok-free.app/hook",
    ):
        assert needle in en
    assert "вручную" in err.explain("ru")


async def test_register_callback_rejects_bad_url(client: CloudApiClient) -> None:
    with pytest.raises(LimitError, match="https"):
        await client.register_callback("http://abc/hook", "vt")
    with pytest.raises(LimitError, match="200"):
        await client.register_callback("https://a.io/" + "x" * 200, "vt")


async def test_subscribed_apps(client: CloudApiClient) -> None:
    answer = {
        "data": [
            {
                "whatsapp_business_api_data": {"id": "APP", "name": "wadesk", "link": "https://x"},
                "override_callback_uri": "https://abc/hook",
            }
        ]
    }
    with respx.mock() as mock:
        mock.get(f"{API}/WABA/subscribed_apps").respond(200, json=answer)
        apps = await client.subscribed_apps()
    assert apps[0].app_id == "APP" and apps[0].override_callback_uri == "https://abc/hook"
