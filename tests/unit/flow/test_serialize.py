"""Serialisation: round trip, v1 migration, bad documents."""

from __future__ import annotations

import json

import pytest

from tests.unit.flow.helpers import support_flow
from wadesk.flow import SCHEMA_VERSION, FlowFormatError, dumps, from_json, loads, to_json
from wadesk.flow.serialize import edges_of


def test_round_trip_is_lossless() -> None:
    flow = support_flow()
    flow.set_variable("email", "")
    flow.set_setting("session_ttl_seconds", 600)
    data = to_json(flow)
    assert data["schema_version"] == SCHEMA_VERSION == 2
    assert data["edges"]["menu"] == {"support": "ask", "sales": "sales_text"}
    assert data["triggers"] == [{"node": "t1", "kind": "keyword"}]
    again = loads(dumps(flow))
    assert to_json(again) == data
    assert edges_of(again) == edges_of(flow)
    assert again.session_ttl == 600


V1 = {
    "version": 1,
    "id": "old",
    "name": "Old bot",
    "variables": {"name": "", "age": 0},
    "nodes": [
        {"id": "t", "kind": "trigger", "config": {"kind": "any"}, "x": 1, "y": 2},
        {"id": "m", "kind": "menu", "config": {"text": "Pick", "options": ["Yes", "No"]}},
        {"id": "y", "kind": "message", "config": {"text": "Great"}},
        {"id": "h", "kind": "human", "config": {}},
    ],
    "edges": [
        {"from": "t", "to": "m"},
        {"from": "m", "output": "0", "to": "y"},
        {"from": "m", "output": 1, "to": "h"},
    ],
}


def test_v1_migration() -> None:
    flow = from_json(V1)
    assert [(n.id, n.type) for n in flow.nodes] == [
        ("t", "trigger"),
        ("m", "buttons"),
        ("y", "send_text"),
        ("h", "handoff"),
    ]
    assert flow.node("t").position == (1.0, 2.0)
    assert flow.node("m").config == {
        "body": "Pick",
        "buttons": [{"id": "b1", "title": "Yes"}, {"id": "b2", "title": "No"}],
    }
    assert flow.target("t", "next") == "m"
    assert flow.target("m", "b1") == "y" and flow.target("m", "b2") == "h"
    assert [(v.name, v.default) for v in flow.variables] == [("name", ""), ("age", 0)]
    assert V1["nodes"][1]["kind"] == "menu"  # input untouched
    assert to_json(from_json(to_json(flow))) == to_json(flow)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "JSON object"),
        ({"id": "x"}, "schema_version"),
        ({"schema_version": 99, "id": "x"}, "newer"),
        ({"schema_version": 2, "nodes": []}, "no 'id'"),
        ({"schema_version": 2, "id": "x", "nodes": [{"id": "a"}]}, "'type'"),
        ({"schema_version": 2, "id": "x", "nodes": [{"id": "a", "type": "end"}] * 2}, "duplicate"),
        ({"schema_version": 2, "id": "x", "edges": {"a": {"next": "b"}}}, "unknown"),
        ({"schema_version": 2, "id": "x", "edges": []}, "'edges' must be an object"),
        (
            {"schema_version": 2, "id": "x", "nodes": [{"id": "a", "type": "end", "position": 5}]},
            "position",
        ),
        (
            {
                "version": 1,
                "id": "x",
                "nodes": [{"id": "a", "kind": "end"}],
                "edges": [{"from": "a", "to": "a"}, {"from": "a", "to": "a"}],
            },
            "two edges",
        ),
    ],
)
def test_bad_documents_raise_flow_format_error(doc: object, message: str) -> None:
    with pytest.raises(FlowFormatError, match=message):
        from_json(doc)


def test_loads_rejects_non_json() -> None:
    with pytest.raises(FlowFormatError, match="not JSON"):
        loads("{nope")
    assert json.loads(dumps(support_flow()))["id"] == "f1"
