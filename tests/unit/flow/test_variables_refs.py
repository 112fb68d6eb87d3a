"""Declared variables (position, description, rename in place), renaming a variable's uses in
node configs (`wadesk.flow.refs`), the "undefined variable" problem naming its variable, and a
jump that starts a flow that does not exist."""

from __future__ import annotations

import pytest

from tests.unit.flow.helpers import build
from wadesk.flow import Flow, FlowError, default_registry, from_json, to_json, validate
from wadesk.flow.refs import rename_in_config, renamed_configs


def test_variables_keep_their_position_and_description() -> None:
    flow = Flow("f", "F")
    seen: list[str] = []
    flow.variables_changed.connect(lambda: seen.append("v"))
    flow.set_variable("a", "1")
    flow.set_variable("c", "3", "the third")
    flow.set_variable("b", "2", index=1)
    assert [v.name for v in flow.variables] == ["a", "b", "c"]
    assert flow.variable_index("b") == 1 and flow.variable_index("zz") == -1
    flow.set_variable("a", "one", "first")  # a change keeps the position
    assert [(v.name, v.default, v.description) for v in flow.variables] == [
        ("a", "one", "first"),
        ("b", "2", ""),
        ("c", "3", "the third"),
    ]
    renamed = flow.rename_variable("b", "beta")
    assert renamed.name == "beta" and [v.name for v in flow.variables] == ["a", "beta", "c"]
    with pytest.raises(FlowError):
        flow.rename_variable("beta", "a")  # exists
    with pytest.raises(FlowError):
        flow.rename_variable("beta", "bad name")
    with pytest.raises(FlowError):
        flow.rename_variable("nope", "x")
    assert len(seen) == 5


def test_description_round_trips_and_is_omitted_when_empty() -> None:
    flow = Flow("f", "F")
    flow.set_variable("email", "", "The customer's e-mail")
    flow.set_variable("n", 0)
    doc = to_json(flow)
    assert doc["variables"] == [
        {"name": "email", "default": "", "description": "The customer's e-mail"},
        {"name": "n", "default": 0},
    ]
    back = from_json(doc)
    assert back.variables == flow.variables


def test_rename_in_config_covers_texts_setters_rules_and_response_maps() -> None:
    assert rename_in_config(
        "send_text", {"text": "Hi {{ name }}, {{name}}! {{named}} {{contact.name}}"}, "name", "who"
    ) == {"text": "Hi {{ who }}, {{who}}! {{named}} {{contact.name}}"}
    assert rename_in_config("question", {"variable": "name", "prompt": "x"}, "name", "who") == {
        "variable": "who",
        "prompt": "x",
    }
    cond = {"mode": "if", "rules": [{"variable": "name", "op": "equals", "value": "{{name}}"}]}
    assert rename_in_config("condition", cond, "name", "who")["rules"] == [
        {"variable": "who", "op": "equals", "value": "{{who}}"}
    ]
    http = {"url": "https://x/{{name}}", "response_map": {"name": "data.n", "other": "o"}}
    assert rename_in_config("http_request", http, "name", "who") == {
        "url": "https://x/{{who}}",
        "response_map": {"who": "data.n", "other": "o"},
    }
    flow = build(
        {
            "t": ("trigger", {"kind": "any"}),
            "q": ("question", {"prompt": "Name?", "variable": "name"}),
            "s": ("send_text", {"text": "Hi {{name}}"}),
            "e": ("end", {}),
        }
    )
    assert set(renamed_configs(flow, "name", "who")) == {"q", "s"}


def test_undefined_variable_names_it_and_points_to_variables() -> None:
    flow = build(
        {"t": ("trigger", {"kind": "any"}), "s": ("send_text", {"text": "Hi {{nick}}"})},
        {("t", "next"): "s"},
    )
    [p] = [p for p in validate(flow, default_registry()) if p.code == "undefined_variable"]
    assert p.node_id == "s" and p.subject == "nick" and "declare it under Variables" in p.message_en
    flow.set_variable("nick")
    assert not [p for p in validate(flow, default_registry()) if p.code == "undefined_variable"]


def test_a_jump_to_a_flow_that_does_not_exist_is_an_error_when_flows_are_known() -> None:
    flow = build(
        {"t": ("trigger", {"kind": "any"}), "j": ("jump", {"flow": "7"})}, {("t", "next"): "j"}
    )
    reg = default_registry()
    assert not [p for p in validate(flow, reg) if p.code == "missing_flow"]  # unknown: no check
    assert not [p for p in validate(flow, reg, flows={"7", "8"}) if p.code == "missing_flow"]
    [p] = [p for p in validate(flow, reg, flows={"8"}) if p.code == "missing_flow"]
    assert p.node_id == "j" and p.severity == "error" and p.subject == "7"
    flow.set_config("j", {"node": "gone"})
    codes = [(p.node_id, p.code) for p in validate(flow, reg, flows={"8"})]
    assert ("j", "bad_config") in codes  # a dangling node target, checked already
