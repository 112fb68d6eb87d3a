"""The Graph error catalogue: every listed code, unknown codes, odd inputs, local codes."""

from __future__ import annotations

import re

import pytest

from wadesk.core.errors import (
    GRAPH_CATALOGUE,
    LOCAL_CATALOGUE,
    NETWORK_UNREACHABLE,
    TIMEOUT_AFTER_SEND,
    VERIFY_TOKEN_MISMATCH,
    WINDOW_CLOSED,
    ErrorCategory,
    GraphError,
    LocalError,
    NetworkError,
    explain_code,
    graph_error_from_json,
)

C = ErrorCategory
CYRILLIC = re.compile(r"[а-яА-ЯёЁ]")

# code -> (category, retryable) as the reference table says (R/W retryable, N not).
EXPECTED: dict[int, tuple[ErrorCategory, bool]] = {
    0: (C.AUTH, False),
    2: (C.TRANSIENT, True),
    4: (C.RATE_LIMIT, True),
    10: (C.PERMISSION, False),
    33: (C.CONFIG, False),
    100: (C.CONFIG, False),
    190: (C.AUTH, False),
    368: (C.POLICY, False),
    80007: (C.RATE_LIMIT, True),
    130429: (C.RATE_LIMIT, True),
    131000: (C.TRANSIENT, True),
    131005: (C.PERMISSION, False),
    131008: (C.CONFIG, False),
    131009: (C.CONFIG, False),
    131016: (C.TRANSIENT, True),
    131021: (C.RECIPIENT, False),
    131026: (C.RECIPIENT, False),
    131030: (C.RECIPIENT, False),
    131031: (C.POLICY, False),
    131042: (C.CONFIG, False),
    131045: (C.CONFIG, False),
    131047: (C.POLICY, False),
    131048: (C.POLICY, False),
    131049: (C.POLICY, True),
    131051: (C.CONFIG, False),
    131052: (C.MEDIA, False),
    131053: (C.MEDIA, False),
    131056: (C.RATE_LIMIT, True),
    131057: (C.TRANSIENT, True),
    132000: (C.TEMPLATE, False),
    132001: (C.TEMPLATE, False),
    132005: (C.TEMPLATE, False),
    132007: (C.TEMPLATE, False),
    132012: (C.TEMPLATE, False),
    132015: (C.TEMPLATE, False),
    133004: (C.TRANSIENT, True),
    133010: (C.RECIPIENT, False),
}


def body(code: int, **extra: object) -> dict[str, object]:
    inner: dict[str, object] = {
        "message": f"(#{code}) something",
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": f"details of {code}"},
        "fbtrace_id": "Ak6nxJSySLEJz32Ps-QiZ1t",
    }
    inner.update(extra)
    return {"error": inner}


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_listed_code_has_category_retry_and_both_languages(code: int) -> None:
    err = graph_error_from_json(body(code), http_status=400)
    category, retryable = EXPECTED[code]
    assert err.code == code
    assert err.known
    assert err.category is category
    assert err.retryable is retryable
    en, ru = err.explain("en"), err.explain("ru")
    assert en and ru and en != ru
    assert not CYRILLIC.search(en)
    assert CYRILLIC.search(ru)
    assert "WhatsApp error" not in en  # a real explanation, not the unknown fallback
    assert err.details == f"details of {code}"
    assert err.fbtrace_id == "Ak6nxJSySLEJz32Ps-QiZ1t"
    assert err.http_status == 400


def test_every_catalogue_entry_has_texts() -> None:
    for table in (GRAPH_CATALOGUE, LOCAL_CATALOGUE):
        for code, entry in table.items():
            e = entry.explanation
            assert e.title_en and e.title_ru and e.what_to_do_en and e.what_to_do_ru, code
            assert CYRILLIC.search(e.title_ru) and CYRILLIC.search(e.what_to_do_ru), code
            assert not CYRILLIC.search(e.title_en + e.what_to_do_en), code


def test_top_five_new_user_problems_say_what_to_do() -> None:
    allowed = graph_error_from_json(body(131030))
    assert "API Setup" in allowed.explain("en")
    assert allowed.explain("ru").startswith(
        "Получатель не в списке разрешённых номеров тестового номера"
    )
    assert "Добавьте номер и подтвердите его в панели Meta" in allowed.explain("ru")

    wrong_id = graph_error_from_json(body(100, error_subcode=33))
    assert wrong_id.subcode == 33
    assert "Phone Number ID" in wrong_id.explain("en")
    assert "Phone Number ID" in wrong_id.explain("ru")

    expired = graph_error_from_json(body(190, error_subcode=463), http_status=401)
    assert expired.category is C.AUTH
    assert "24 hours" in expired.explain("en") and "system-user" in expired.explain("en")
    assert "24 часа" in expired.explain("ru")

    assert "verify token" in LocalError(VERIFY_TOKEN_MISMATCH).explain("en")
    assert "проверочный токен" in LocalError(VERIFY_TOKEN_MISMATCH).explain("ru")

    for code in (131026, 133010):
        err = graph_error_from_json(body(code))
        assert err.category is C.RECIPIENT
        assert not err.retryable


def test_window_and_pair_rate_limit_hints() -> None:
    window = graph_error_from_json(body(131047))
    assert "template" in window.explain("en")
    assert "шаблон" in window.explain("ru")
    pair = graph_error_from_json(body(131056))
    assert pair.retry_after_hint is not None and pair.retry_after_hint >= 6
    assert graph_error_from_json(body(131026)).retry_after_hint is None


def test_subcode_without_special_entry_falls_back_to_code() -> None:
    err = graph_error_from_json(body(190, error_subcode=999))
    assert err.category is C.AUTH and err.known
    assert err.explain("en") == graph_error_from_json(body(190)).explain("en")


def test_range_codes_are_known() -> None:
    assert graph_error_from_json(body(250)).category is C.PERMISSION
    assert graph_error_from_json(body(133008)).known


def test_unknown_code_is_readable_with_raw_code() -> None:
    err = graph_error_from_json(
        {"error": {"code": 987654, "message": "Weird thing", "error_data": {"details": "why"}}}
    )
    assert not err.known
    assert err.category is C.UNKNOWN and not err.retryable
    assert err.explain("en") == "WhatsApp error 987654: why"
    assert err.explain("ru") == "Ошибка WhatsApp 987654: why"
    assert "987654" in str(err)
    no_details = graph_error_from_json({"code": 987654, "message": "Weird thing"})
    assert no_details.explain() == "WhatsApp error 987654: Weird thing"


def test_unknown_code_with_5xx_or_is_transient_is_retryable() -> None:
    assert graph_error_from_json({"code": 5555}, http_status=503).retryable
    transient = graph_error_from_json({"code": 5555, "is_transient": True})
    assert transient.retryable and transient.category is C.TRANSIENT
    assert not graph_error_from_json({"code": 5555}, http_status=400).retryable


def test_webhook_error_item_shape() -> None:
    item = {
        "code": 131047,
        "title": "Re-engagement message",
        "message": "Re-engagement message",
        "error_data": {"details": "Message failed to send because more than 24 hours"},
        "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
    }
    err = graph_error_from_json(item)
    assert err.code == 131047
    assert err.title == "Re-engagement message"
    assert err.details is not None and err.details.startswith("Message failed")
    assert err.http_status is None


def test_error_data_may_be_a_string_and_code_a_string() -> None:
    err = graph_error_from_json({"error": {"code": "131030", "error_data": "plain details"}})
    assert err.code == 131030
    assert err.details == "plain details"


@pytest.mark.parametrize(
    "odd",
    [
        None,
        "not json",
        42,
        [],
        [1, 2],
        {},
        {"error": None},
        {"error": "boom"},
        {"error": {"code": None}},
        {"error": {"code": True, "error_data": 5, "fbtrace_id": {"x": 1}}},
        {"error": {"code": [], "error_subcode": "abc", "message": 12}},
        b"bytes",
    ],
)
def test_odd_inputs_never_raise(odd: object) -> None:
    err = graph_error_from_json(odd, http_status=500)
    assert isinstance(err, GraphError)
    assert err.explain("en")
    assert err.explain("ru")
    assert str(err)


def test_explain_code_for_graph_and_local_codes() -> None:
    assert "test number" in explain_code(131030, "en")
    assert "тестового номера" in explain_code("131030", "ru")
    assert "WhatsApp error 424242" in explain_code(424242)
    assert "template" in explain_code(WINDOW_CLOSED)
    assert "шаблон" in explain_code(WINDOW_CLOSED, "ru_RU")
    assert "NOT_A_CODE" in explain_code("NOT_A_CODE")


def test_local_errors_share_the_explain_api() -> None:
    window = LocalError(WINDOW_CLOSED)
    assert window.category is C.POLICY and not window.retryable
    assert "24" in window.explain("ru")
    assert LocalError(VERIFY_TOKEN_MISMATCH).category is C.CONFIG
    down = NetworkError(reached_server=False, detail="ConnectError")
    assert down.code == NETWORK_UNREACHABLE and down.retryable
    assert down.category is C.NETWORK
    maybe = NetworkError(reached_server=True)
    assert maybe.code == TIMEOUT_AFTER_SEND and not maybe.retryable
    assert "may" in maybe.explain("en")
    assert CYRILLIC.search(maybe.explain("ru"))


def test_str_includes_code_details_and_trace() -> None:
    err = graph_error_from_json(body(131030), http_status=400)
    text = str(err)
    assert "131030" in text and "HTTP 400" in text
    assert "details of 131030" in text and "Ak6nxJSySLEJz32Ps-QiZ1t" in text
    assert "131030" in repr(err)


def test_with_explanation_keeps_facts() -> None:
    err = graph_error_from_json(body(10), http_status=403)
    other = err.with_explanation(LOCAL_CATALOGUE[WINDOW_CLOSED].explanation)
    assert other.code == 10 and other.http_status == 403 and other.details == err.details
    assert other.explain("en") != err.explain("en")
