"""Validation rules: each with a failing example that points to its node."""

from __future__ import annotations

import itertools
from typing import Any

from tests.unit.flow.helpers import build, support_flow
from wadesk.flow import Flow, Problem, default_registry, validate

REG = default_registry()


def codes(flow: Flow) -> set[tuple[str | None, str]]:
    return {(p.node_id, p.code) for p in validate(flow, REG)}


def linear(*nodes: tuple[str, str, dict[str, Any]]) -> Flow:
    """t(any) → nodes in order."""
    spec = {"t": ("trigger", {"kind": "any"})} | {n: (t, c) for n, t, c in nodes}
    ids = ["t", *[n for n, _, _ in nodes]]
    return build(spec, {(a, "next"): b for a, b in itertools.pairwise(ids)})


def test_scenario_flow_is_clean() -> None:
    assert validate(support_flow(), REG) == []


def test_problems_have_both_languages() -> None:
    problems = validate(Flow("empty"), REG)
    assert problems == [
        Problem(None, "error", "no_trigger", problems[0].message_en, problems[0].message_ru)
    ]
    assert "trigger" in problems[0].message_en and "запуска" in problems[0].message_ru


def test_unknown_type_and_missing_config() -> None:
    flow = linear(("x", "teleport", {}), ("s", "send_text", {}))
    assert {("x", "unknown_type"), ("s", "missing_config")} <= codes(flow)


def test_whatsapp_limits() -> None:
    buttons = [{"id": f"b{i}", "title": f"Option {i}"} for i in range(4)]
    flow = build(
        {
            "t": ("trigger", {"kind": "any"}),
            "b": ("buttons", {"body": "x" * 1025, "buttons": buttons}),
            "l": (
                "list",
                {
                    "body": "x",
                    "button": "Pick one option now!!",
                    "rows": [
                        {"id": f"r{i}", "title": "t" * 25 if i == 0 else f"r{i}"} for i in range(11)
                    ],
                },
            ),
            "dup": (
                "buttons",
                {
                    "body": "x",
                    "buttons": [{"id": "a", "title": "Same"}, {"id": "a", "title": "same"}],
                },
            ),
        },
        {("t", "next"): "b"},
    )
    found = codes(flow)
    assert ("b", "too_many_items") in found
    assert ("b", "too_long") in found  # body over 1024
    assert ("l", "too_many_items") in found
    assert ("l", "too_long") in found  # row title 25 > 24, list button 21 > 20
    assert {("dup", "duplicate_id"), ("dup", "duplicate_title")} <= found
    long_title = linear(
        ("b", "buttons", {"body": "x", "buttons": [{"id": "a", "title": "x" * 21}]})
    )
    assert ("b", "too_long") in codes(long_title)


def test_unconnected_output_and_unreachable() -> None:
    flow = build(
        {
            "t": ("trigger", {"kind": "any"}),
            "s": ("send_text", {"text": "hi"}),
            "orphan": ("send_text", {"text": "never"}),
        },
        {("t", "next"): "s", ("orphan", "next"): "s"},
    )
    problems = {(p.node_id, p.code): p for p in validate(flow, REG)}
    assert problems[("s", "unconnected_output")].severity == "warning"
    assert problems[("orphan", "unreachable")].severity == "warning"
    assert ("t", "unconnected_output") not in problems


def test_optional_invalid_output_needs_no_edge_but_unknown_output_is_flagged() -> None:
    flow = linear(("q", "question", {"prompt": "?", "variable": "v"}), ("e", "end", {}))
    flow.disconnect("q", "next")
    flow.connect("q", "answer", "e")
    assert codes(flow) == set()
    flow.connect("q", "timeout", "e")  # no timeout configured → the handle does not exist
    assert ("q", "unknown_output") in codes(flow)


def test_undefined_variables() -> None:
    flow = linear(
        ("s", "send_text", {"text": "Hi {{contact.name}}, {{nickname}}"}),
        (
            "c",
            "condition",
            {"mode": "if", "rules": [{"variable": "score", "op": "gt", "value": "1"}]},
        ),
    )
    found = codes(flow)
    assert ("s", "undefined_variable") in found and ("c", "undefined_variable") in found
    flow.set_variable("nickname")
    flow.set_variable("score", 0)
    assert ("s", "undefined_variable") not in codes(flow)


def test_loop_without_wait_but_loop_through_question_is_fine() -> None:
    bad = build(
        {
            "t": ("trigger", {"kind": "any"}),
            "a": ("send_text", {"text": "again"}),
            "j": ("jump", {"node": "a"}),
        },
        {("t", "next"): "a", ("a", "next"): "j"},
    )
    assert ("a", "loop_without_wait") in codes(bad)
    good = build(
        {
            "t": ("trigger", {"kind": "any"}),
            "q": ("question", {"prompt": "?", "variable": "v"}),
            "s": ("send_text", {"text": "again"}),
        },
        {("t", "next"): "q", ("q", "answer"): "s", ("s", "next"): "q"},
    )
    assert not any(code == "loop_without_wait" for _, code in codes(good))


def test_free_form_after_long_delay_or_manual_trigger() -> None:
    flow = linear(
        ("d1", "delay", {"seconds": 20 * 3600}),
        ("s1", "send_text", {"text": "still ok"}),
        ("d2", "delay", {"seconds": 5 * 3600}),
        ("s2", "send_text", {"text": "too late"}),
        ("tpl", "send_template", {"name": "reminder", "language": "en"}),
        ("e", "end", {}),
    )
    found = codes(flow)
    assert ("s2", "outside_window") in found
    assert ("s1", "outside_window") not in found
    assert ("tpl", "outside_window") not in found
    manual = build(
        {
            "t": ("trigger", {"kind": "manual"}),
            "s": ("send_text", {"text": "hello"}),
        },
        {("t", "next"): "s"},
    )
    assert ("s", "outside_window") in codes(manual)


def test_bad_config_values() -> None:
    flow = linear(
        ("q", "question", {"prompt": "?", "variable": "v", "validate": "regex", "pattern": "(("}),
        ("h", "http_request", {"method": "POST", "url": "ftp://x", "body": "{bad json"}),
        (
            "c",
            "condition",
            {"mode": "business_hours", "timezone": "Mars/Base", "hours": {"mon": "18:00-09:00"}},
        ),
        ("j", "jump", {}),
        ("d", "delay", {"seconds": 0}),
    )
    found = codes(flow)
    assert {
        ("q", "bad_config"),
        ("h", "bad_config"),
        ("h", "bad_json"),
        ("c", "bad_config"),
        ("j", "missing_config"),
        ("d", "bad_config"),
    } <= found
