"""Each node type's behaviour in the engine, and the registry's declared outputs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.unit.flow.helpers import T0, build
from wadesk.flow import (
    AddLabel,
    EndSession,
    Inbound,
    Resume,
    SendList,
    SendMedia,
    SendTemplate,
    SendText,
    SetContactField,
    StartDelay,
    StartFlow,
    StartTimeout,
    default_registry,
    encode_choice,
    matches_trigger,
    start,
    step,
)
from wadesk.flow.engine import find_trigger
from wadesk.flow.expr import check_answer

REG = default_registry()


def run_one(node_type: str, config: dict[str, Any], **kw: Any) -> Any:
    """t(any) → node → end; returns the start result."""
    flow = build(
        {"t": ("trigger", {"kind": "any"}), "n": (node_type, config), "e": ("end", {})},
        {("t", "next"): "n", ("n", "next"): "e"},
        variables={"name": "Bob"},
    )
    return start(flow, REG, Inbound(text="x", contact_phone="+4915"), kw.get("now", T0))


def test_registry_has_every_node_type_with_outputs() -> None:
    assert set(REG.names()) == {
        "trigger", "send_text", "send_media", "buttons", "list", "question", "condition",
        "set_variable", "set_contact_field", "label", "delay", "http_request", "send_template",
        "handoff", "jump", "end",
    }  # fmt: skip
    outs = lambda t, c: [h.name for h in REG.outputs(t, c)]  # noqa: E731
    assert outs("buttons", {"buttons": [{"id": "y", "title": "Y"}, {"id": "n", "title": "N"}]}) == [
        "y",
        "n",
    ]
    assert outs("list", {"rows": [{"id": "r1", "title": "A"}]}) == ["r1"]
    assert outs("question", {}) == ["answer", "invalid"]
    assert outs("question", {"timeout_seconds": 60}) == ["answer", "invalid", "timeout"]
    assert outs("condition", {"mode": "if"}) == ["true", "false"]
    assert outs("condition", {"mode": "cases", "cases": [{"id": "vip"}]}) == ["vip", "default"]
    assert outs("http_request", {}) == ["ok", "error"]
    assert outs("send_text", {}) == ["next"]
    assert outs("end", {}) == outs("handoff", {}) == outs("jump", {}) == []
    for t in REG:
        assert t.title_en and t.title_ru and all(p.title_en and p.title_ru for p in t.params)


@pytest.mark.parametrize(
    ("config", "inbound", "new", "expected"),
    [
        ({"kind": "any"}, Inbound(text="whatever"), False, True),
        ({"kind": "keyword", "keywords": ["Price"]}, Inbound(text=" price "), False, True),
        ({"kind": "keyword", "keywords": ["price"]}, Inbound(text="the price?"), False, False),
        ({"kind": "keyword", "keywords": ["price"], "match": "contains"},
         Inbound(text="the PRICE?"), False, True),
        ({"kind": "keyword", "keywords": ["Price"], "case_sensitive": True},
         Inbound(text="price"), False, False),
        ({"kind": "regex", "pattern": r"order\s+\d+"}, Inbound(text="Order 12"), False, True),
        ({"kind": "new_contact"}, Inbound(text="hey"), True, True),
        ({"kind": "new_contact"}, Inbound(text="hey"), False, False),
        ({"kind": "button_payload", "payload": "PROMO"}, Inbound(choice_id="PROMO"), False, True),
        ({"kind": "manual"}, Inbound(text="x"), True, False),
    ],
)  # fmt: skip
def test_trigger_kinds(config: dict[str, Any], inbound: Inbound, new: bool, expected: bool) -> None:
    flow = build({"t": ("trigger", config)})
    assert matches_trigger(flow, inbound, new) is expected


def test_trigger_priority_payload_over_keyword_over_any() -> None:
    flow = build(
        {
            "any": ("trigger", {"kind": "any"}),
            "kw": ("trigger", {"kind": "keyword", "keywords": ["menu"]}),
            "pay": ("trigger", {"kind": "button_payload", "payload": "menu"}),
        }
    )
    assert find_trigger(flow, Inbound(text="menu")).id == "kw"  # type: ignore[union-attr]
    assert find_trigger(flow, Inbound(text="menu", choice_id="menu")).id == "pay"  # type: ignore[union-attr]
    assert find_trigger(flow, Inbound(text="zzz")).id == "any"  # type: ignore[union-attr]


def test_send_text_and_media_with_variables() -> None:
    r = run_one("send_text", {"text": "Hi {{ name }} {{contact.phone}} {{missing}}!"})
    assert r.actions[0] == SendText("n", "Hi Bob +4915 !")
    r = run_one("send_media", {"media_kind": "document", "media": "https://x/{{name}}.pdf",
                               "caption": "For {{name}}", "filename": "a.pdf"})  # fmt: skip
    assert r.actions[0] == SendMedia("n", "document", "https://x/Bob.pdf", "For Bob", "a.pdf")
    assert r.actions[-1] == EndSession("e", "end")


def test_list_node_and_row_choice() -> None:
    flow = build(
        {
            "t": ("trigger", {"kind": "any"}),
            "l": ("list", {"body": "Pick", "button": "Menu", "variable": "pick", "rows": [
                {"id": "a", "title": "Apples", "description": "red"}, {"id": "b", "title": "Pears"}]}),
            "e": ("end", {"reason": "got {{pick}}"}),
        },
        {("t", "next"): "l", ("l", "a"): "e", ("l", "b"): "e"},
    )  # fmt: skip
    r = start(flow, REG, Inbound(text="x"), T0)
    assert r.actions == (
        SendList("l", "Pick", "Menu", (("f:l:a", "Apples", "red"), ("f:l:b", "Pears", None))),
    )
    r = step(flow, REG, r.session, Inbound(choice_id=encode_choice("l", "b")), T0)
    assert r.actions == (EndSession("e", "got Pears"),)


@pytest.mark.parametrize(
    ("kind", "text", "extra", "valid", "value"),
    [
        ("text", "  hello ", {}, True, "hello"),
        ("text", "   ", {}, False, None),
        ("number", "42", {}, True, 42),
        ("number", "3,5", {}, True, 3.5),
        ("number", "many", {}, False, None),
        ("email", "a@b.co", {}, True, "a@b.co"),
        ("email", "a@b", {}, False, None),
        ("phone", "+49 (151) 234-5678", {}, True, "+491512345678"),
        ("phone", "12345", {}, False, None),
        ("phone", "1234567890123456", {}, False, None),
        ("date", "31.12.2026", {}, True, "2026-12-31"),
        ("date", "2026-02-30", {}, False, None),
        ("regex", "AB-12", {"pattern": r"[A-Z]{2}-\d+"}, True, "AB-12"),
        ("regex", "ab-12x", {"pattern": r"[A-Z]{2}-\d+"}, False, None),
        ("one_of", "yes", {"options": ["Yes", "No"]}, True, "Yes"),
        ("one_of", "maybe", {"options": ["Yes", "No"]}, False, None),
    ],
)
def test_question_validators(kind: str, text: str, extra: dict[str, Any], valid: bool,
                             value: Any) -> None:  # fmt: skip
    assert check_answer(kind, text, extra) == (valid, value)


def test_question_timeout_path() -> None:
    flow = build(
        {
            "t": ("trigger", {"kind": "any"}),
            "q": ("question", {"prompt": "Age?", "validate": "number", "variable": "age",
                               "timeout_seconds": 300}),
            "late": ("send_text", {"text": "No answer"}),
        },
        {("t", "next"): "q", ("q", "timeout"): "late"},
    )  # fmt: skip
    r = start(flow, REG, Inbound(text="x"), T0)
    assert r.actions == (SendText("q", "Age?"), StartTimeout("q", 300))
    assert r.session.wake_at == T0 + timedelta(seconds=300)
    r = step(flow, REG, r.session, Resume("timeout", "q"), T0 + timedelta(seconds=300))
    assert r.actions[0] == SendText("late", "No answer")


def _condition(config: dict[str, Any], variables: dict[str, Any], now: datetime = T0) -> str:
    flow = build(
        {"t": ("trigger", {"kind": "any"}), "c": ("condition", config)},
        {("t", "next"): "c"},
        variables=variables,
    )
    r = start(flow, REG, Inbound(text="x"), now)
    return next(t.output for t in r.trace if t.node_id == "c" and t.event == "output")  # type: ignore[return-value]


def test_condition_if_cases_and_business_hours() -> None:
    rules = {"mode": "if", "rules": [{"variable": "age", "op": "ge", "value": "18"},
                                     {"variable": "city", "op": "contains", "value": "berl"}]}  # fmt: skip
    assert _condition(rules, {"age": 20, "city": "Berlin"}) == "true"
    assert _condition(rules, {"age": "17", "city": "Berlin"}) == "false"
    assert _condition({**rules, "join": "any"}, {"age": "17", "city": "Berlin"}) == "true"
    cases = {"mode": "cases", "cases": [{"id": "vip", "variable": "tier", "op": "eq", "value": "gold"},
                                        {"id": "none", "variable": "tier", "op": "is_empty"}]}  # fmt: skip
    assert _condition(cases, {"tier": "Gold"}) == "vip"
    assert _condition(cases, {"tier": ""}) == "none"
    assert _condition(cases, {"tier": "silver"}) == "default"
    hours = {"mode": "business_hours", "timezone": "Europe/Moscow",
             "hours": {"mon": "09:00-13:00, 14:00-18:00"}}  # fmt: skip
    # T0 is Monday 10:00 UTC = 13:00 Moscow → lunch break
    assert _condition(hours, {}) == "false"
    assert _condition(hours, {}, datetime(2026, 3, 2, 11, 30, tzinfo=UTC)) == "true"
    assert _condition(hours, {}, datetime(2026, 3, 3, 11, 30, tzinfo=UTC)) == "false"  # Tuesday


def test_set_variable_contact_field_label_template() -> None:
    r = run_one("set_variable", {"variable": "greeting", "value": "hello {{name}}"})
    assert r.session.variables["greeting"] == "hello Bob"
    r = run_one("set_contact_field", {"field": "city", "value": "Riga"})
    assert r.actions[0] == SetContactField("n", "city", "Riga")
    assert r.session.variables["contact.city"] == "Riga"
    r = run_one("label", {"label": "lead", "action": "remove"})
    assert r.actions[0] == AddLabel("n", "lead", remove=True)
    r = run_one("send_template", {"name": "welcome", "language": "ru", "params": ["{{name}}"]})
    assert r.actions[0] == SendTemplate("n", "welcome", "ru", ("Bob",))


def test_delay_waits_for_resume() -> None:
    r = run_one("delay", {"seconds": 90})
    assert r.actions == (StartDelay("n", 90),)
    assert r.session.waiting_for == "delay"
    assert r.session.wake_at == T0 + timedelta(seconds=90)
    flow = build(
        {"t": ("trigger", {"kind": "any"}), "n": ("delay", {"seconds": 90}), "e": ("end", {})},
        {("t", "next"): "n", ("n", "next"): "e"},
    )
    r2 = step(flow, REG, r.session, Resume("delay", "n"), T0 + timedelta(seconds=90))
    assert r2.actions == (EndSession("e", "end"),)


def test_http_bad_url_takes_error_path() -> None:
    flow = build(
        {
            "t": ("trigger", {"kind": "any"}),
            "h": ("http_request", {"url": "{{base}}/x"}),
            "oops": ("send_text", {"text": "failed"}),
        },
        {("t", "next"): "h", ("h", "error"): "oops"},
        variables={"base": "file:///etc"},
    )
    r = start(flow, REG, Inbound(text="x"), T0)
    assert r.actions[0] == SendText("oops", "failed")
    assert any(t.error and "http" in t.error for t in r.trace)


def test_jump_to_node_and_flow_and_end() -> None:
    flow = build(
        {
            "t": ("trigger", {"kind": "any"}),
            "j": ("jump", {"node": "s"}),
            "s": ("send_text", {"text": "jumped"}),
            "j2": ("jump", {"flow": "other"}),
        },
        {("t", "next"): "j", ("s", "next"): "j2"},
        variables={"v": 1},
    )
    r = start(flow, REG, Inbound(text="x"), T0)
    assert r.actions[0] == SendText("s", "jumped")
    assert r.actions[1] == StartFlow("j2", "other", {"v": 1})
    assert r.session.status == "ended"


def test_unwired_output_ends_the_session() -> None:
    flow = build(
        {"t": ("trigger", {"kind": "any"}), "q": ("question", {"prompt": "?", "variable": "v"})},
        {("t", "next"): "q"},
    )
    r = start(flow, REG, Inbound(text="x"), T0)
    r = step(flow, REG, r.session, Inbound(text="answer"), T0)
    assert r.session.status == "ended" and r.session.variables["v"] == "answer"
    assert r.actions == (EndSession("q", "no edge from output 'answer'"),)
    assert r.session.expires_at is None
