"""Property tests: the webhook parser never raises anything but WebhookParseError, and never
raises at all once the envelope (a JSON object with an `entry` list) is valid."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wadesk.core.webhook import ParsedWebhook, WebhookParseError
from wadesk.engine.cloudapi.parser import parse_webhook

CORPUS_DIR = Path(__file__).resolve().parent.parent / "data" / "webhooks"
CORPUS: dict[str, bytes] = {p.name: p.read_bytes() for p in sorted(CORPUS_DIR.glob("*.json"))}
NAMES = sorted(CORPUS)
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", "text", "messages", "read", "1767225600", "-5", "1e400", "wamid.X"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=20,
)


def parse_or_reject(body: Any) -> ParsedWebhook | None:
    """Parse; WebhookParseError is the only exception allowed."""
    try:
        return parse_webhook(body)
    except WebhookParseError:
        return None


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every container position (dict key / list index) inside `node`."""
    out: list[tuple[Any, ...]] = []
    if isinstance(node, dict):
        for key, child in node.items():
            out.append((*prefix, key))
            out.extend(paths(child, (*prefix, key)))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            out.append((*prefix, i))
            out.extend(paths(child, (*prefix, i)))
    return out


def parent_of(root: Any, path: tuple[Any, ...]) -> Any:
    node = root
    for step in path[:-1]:
        node = node[step]
    return node


def check_valid_envelope(body: Any) -> None:
    """A body with an `entry` list must parse without raising at all."""
    parsed = parse_webhook(body)
    assert isinstance(parsed, ParsedWebhook)
    for item in parsed.items:
        payload = getattr(item, "payload", None)
        assert payload is None or isinstance(payload, dict)
    assert all(isinstance(p, str) and p for p in parsed.problems)


@SETTINGS
@given(json_values)
def test_arbitrary_json_values(value: Any) -> None:
    parse_or_reject(value if isinstance(value, dict) else json.dumps(value))
    parse_or_reject(json.dumps(value).encode())


@SETTINGS
@given(st.binary(max_size=200))
def test_arbitrary_bytes(body: bytes) -> None:
    parse_or_reject(body)


@SETTINGS
@given(st.lists(json_values, max_size=4))
def test_arbitrary_entries_never_raise(entries: list[Any]) -> None:
    check_valid_envelope({"object": "whatsapp_business_account", "entry": entries})


@SETTINGS
@given(st.sampled_from(NAMES), st.data())
def test_truncated_and_corrupted_bytes(name: str, data: st.DataObject) -> None:
    raw = CORPUS[name]
    cut = data.draw(st.integers(min_value=0, max_value=len(raw)))
    parse_or_reject(raw[:cut])
    pos = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    byte = data.draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"{", b'"', b"]", b"\\"]))
    parse_or_reject(raw[:pos] + byte + raw[pos + 1 :])


@SETTINGS
@given(st.sampled_from(NAMES), st.data())
def test_mutated_corpus_never_raises(name: str, data: st.DataObject) -> None:
    body = json.loads(CORPUS[name])
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        targets = [p for p in paths(body) if p[0] == "entry" and len(p) > 1]
        if not targets:
            break
        path = data.draw(st.sampled_from(targets))
        parent = parent_of(body, path)
        if data.draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]  # drop a key
        else:
            parent[path[-1]] = data.draw(json_values)  # wrong type / random value
    check_valid_envelope(body)
    check_bytes(body)


def check_bytes(body: Any) -> None:
    """The body as bytes parses too — unless it holds NaN/Infinity, which are not JSON (Python's
    json writes them, Meta never does): such a body is refused as malformed, not crashed on."""
    try:
        raw = json.dumps(body, allow_nan=False).encode()
    except ValueError:
        with pytest.raises(WebhookParseError):
            parse_webhook(json.dumps(body).encode())
        return
    check_valid_envelope(raw)


@SETTINGS
@given(st.sampled_from(NAMES), st.data())
def test_replaced_leaves_never_raise(name: str, data: st.DataObject) -> None:
    """Every leaf position of a realistic body, one at a time, gets a hostile value."""
    body = json.loads(CORPUS[name])
    targets = [p for p in paths(body) if p[0] == "entry" and len(p) > 1]
    path = data.draw(st.sampled_from(targets))
    hostile = data.draw(
        st.sampled_from([None, 0, -1, 2**64, 1.5, True, "", "x" * 300, [], {}, [None], {"": None}])
    )
    parent_of(body, path)[path[-1]] = hostile
    check_valid_envelope(body)


def test_corpus_bodies_are_valid_envelopes() -> None:
    for raw in CORPUS.values():
        check_valid_envelope(raw)
