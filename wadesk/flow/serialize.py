"""Versioned JSON (de)serialisation of flows, with migrations from older schema versions.

Version 2 (current)::

    {"schema_version": 2, "id": "...", "name": "...", "revision": 3,
     "settings": {"session_ttl_seconds": 14400},
     "triggers": [{"node": "t1", "kind": "keyword"}],      # derived summary, ignored on load
     "variables": [{"name": "email", "default": "", "description": "..."}],
     "nodes": [{"id": "t1", "type": "trigger", "config": {...}, "position": [0, 0]}],
     "edges": {"t1": {"next": "n2"}, "n2": {"b_yes": "n3"}}}   # source -> handle -> target

Version 1 (the first editor prototype): ``"version": 1``; nodes had ``kind`` instead of
``type`` and ``x``/``y`` instead of ``position``; edges were a flat list of
``{"from", "output", "to"}``; variables a name → default object; some kinds had other names
(``message``, ``menu``, ``ask``, ``webhook``, ``human``) and menus stored button titles only
(``options``), their outputs being the option index ("0", "1", …).

A variable's ``description`` is written only when it is not empty (older readers ignore it).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from wadesk.flow.graph import Edge, Flow, FlowError, Node, Variable

SCHEMA_VERSION = 2


class FlowFormatError(ValueError):
    """The document is not a flow this version of wadesk can read; the message says why."""


def _variable_doc(var: Variable) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": var.name, "default": copy.deepcopy(var.default)}
    if var.description:
        doc["description"] = var.description
    return doc


def to_json(flow: Flow) -> dict[str, Any]:
    """The flow as a JSON-ready dict (schema version 2)."""
    edges: dict[str, dict[str, str]] = {}
    for e in flow.edges:
        edges.setdefault(e.source, {})[e.handle] = e.target
    return {
        "schema_version": SCHEMA_VERSION,
        "id": flow.id,
        "name": flow.name,
        "revision": flow.revision,
        "settings": copy.deepcopy(flow.settings),
        "triggers": [
            {"node": n.id, "kind": n.config.get("kind", "keyword")} for n in flow.triggers
        ],
        "variables": [_variable_doc(v) for v in flow.variables],
        "nodes": [
            {
                "id": n.id,
                "type": n.type,
                "config": copy.deepcopy(n.config),
                "position": [n.position[0], n.position[1]],
            }
            for n in flow.nodes
        ],
        "edges": edges,
    }


def dumps(flow: Flow) -> str:
    """The flow as JSON text (stable key order, indented: friendly to diffs)."""
    return json.dumps(to_json(flow), ensure_ascii=False, indent=2, sort_keys=True)


def loads(text: str | bytes) -> Flow:
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FlowFormatError(f"not JSON: {exc}") from None
    return from_json(data)


def from_json(data: Any) -> Flow:
    """Build a Flow from a document of any known schema version (migrating it first)."""
    if not isinstance(data, dict):
        raise FlowFormatError("a flow document must be a JSON object")
    doc = migrate(data)
    try:
        return _build(doc)
    except FlowError as exc:
        raise FlowFormatError(str(exc)) from None


def schema_version_of(data: dict[str, Any]) -> int:
    version = data.get("schema_version", data.get("version"))
    if isinstance(version, bool) or not isinstance(version, int):
        raise FlowFormatError("missing or invalid schema_version")
    return version


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a document up to SCHEMA_VERSION (returns a new dict; the input is not changed)."""
    version = schema_version_of(data)
    if version > SCHEMA_VERSION:
        raise FlowFormatError(
            f"schema_version {version} is newer than this wadesk understands ({SCHEMA_VERSION})"
        )
    if version < 1:
        raise FlowFormatError(f"unknown schema_version {version}")
    doc = copy.deepcopy(data)
    steps: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}
    while version < SCHEMA_VERSION:
        doc = steps[version](doc)
        version += 1
    return doc


# -- version 1 → 2 ---------------------------------------------------------------------------

_V1_KINDS = {
    "message": "send_text",
    "menu": "buttons",
    "ask": "question",
    "webhook": "http_request",
    "human": "handoff",
}


def _v1_to_v2(doc: dict[str, Any]) -> dict[str, Any]:
    nodes_in = _list(doc.get("nodes", []), "nodes")
    edges_in = _list(doc.get("edges", []), "edges")
    variables_in = doc.get("variables", {})
    if not isinstance(variables_in, dict):
        raise FlowFormatError("version 1 'variables' must be an object")
    handle_maps: dict[str, dict[str, str]] = {}
    nodes: list[dict[str, Any]] = []
    for raw in nodes_in:
        if not isinstance(raw, dict):
            raise FlowFormatError("every node must be an object")
        kind = raw.get("kind")
        if not isinstance(kind, str):
            raise FlowFormatError(f"node {raw.get('id')!r} has no 'kind'")
        config = raw.get("config", {})
        if not isinstance(config, dict):
            raise FlowFormatError(f"node {raw.get('id')!r}: config must be an object")
        new_type = _V1_KINDS.get(kind, kind)
        if kind == "menu":
            config, handle_maps[str(raw.get("id"))] = _v1_menu(config)
        nodes.append(
            {
                "id": raw.get("id"),
                "type": new_type,
                "config": config,
                "position": [raw.get("x", 0), raw.get("y", 0)],
            }
        )
    edges: dict[str, dict[str, str]] = {}
    for raw in edges_in:
        if not isinstance(raw, dict):
            raise FlowFormatError("every edge must be an object")
        source, target = raw.get("from"), raw.get("to")
        output = str(raw.get("output", "next"))
        if not isinstance(source, str) or not isinstance(target, str):
            raise FlowFormatError("a version 1 edge needs 'from' and 'to'")
        output = handle_maps.get(source, {}).get(output, output)
        if output in edges.get(source, {}):
            raise FlowFormatError(f"two edges leave {source!r} through {output!r}")
        edges.setdefault(source, {})[output] = target
    return {
        "schema_version": 2,
        "id": doc.get("id"),
        "name": doc.get("name", ""),
        "revision": doc.get("revision", 0),
        "settings": doc.get("settings", {}),
        "variables": [{"name": k, "default": v} for k, v in variables_in.items()],
        "nodes": nodes,
        "edges": edges,
    }


def _v1_menu(config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """v1 menus: {"text", "options": [titles]} → v2 buttons with ids; maps "0" → "b1"…"""
    options = config.get("options", [])
    if not isinstance(options, list):
        raise FlowFormatError("version 1 menu 'options' must be a list")
    new = {k: v for k, v in config.items() if k not in ("options", "text")}
    new["body"] = config.get("text", "")
    new["buttons"] = [{"id": f"b{i + 1}", "title": str(t)} for i, t in enumerate(options)]
    return new, {str(i): f"b{i + 1}" for i in range(len(options))}


# -- building the model --------------------------------------------------------------------


def _list(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise FlowFormatError(f"'{what}' must be a list")
    return value


def _build(doc: dict[str, Any]) -> Flow:
    flow_id = doc.get("id")
    if not isinstance(flow_id, str) or not flow_id:
        raise FlowFormatError("the flow has no 'id'")
    name = doc.get("name", "")
    revision = doc.get("revision", 0)
    settings = doc.get("settings", {})
    if not isinstance(name, str):
        raise FlowFormatError("'name' must be a string")
    if isinstance(revision, bool) or not isinstance(revision, int):
        raise FlowFormatError("'revision' must be an integer")
    if not isinstance(settings, dict):
        raise FlowFormatError("'settings' must be an object")
    flow = Flow(flow_id, name, revision=revision, settings=settings)
    for var in _list(doc.get("variables", []), "variables"):
        if not isinstance(var, dict) or not isinstance(var.get("name"), str):
            raise FlowFormatError("every variable needs a 'name'")
        description = var.get("description", "")
        flow.set_variable(
            var["name"], var.get("default", ""), description if isinstance(description, str) else ""
        )
    for raw in _list(doc.get("nodes", []), "nodes"):
        flow.add_node(_node(raw))
    _add_edges(flow, doc.get("edges", {}))
    return flow


def _add_edges(flow: Flow, edges: Any) -> None:
    if not isinstance(edges, dict):
        raise FlowFormatError("'edges' must be an object: source → handle → target")
    for source, handles in edges.items():
        if not isinstance(handles, dict):
            raise FlowFormatError(f"edges of {source!r} must be an object: handle → target")
        for handle, target in handles.items():
            if not isinstance(target, str):
                raise FlowFormatError(f"edge {source!r}.{handle!r} has no target node id")
            for end in (source, target):
                if not flow.has_node(end):
                    raise FlowFormatError(f"edge {source!r}.{handle!r} refers to unknown {end!r}")
            flow.connect(source, handle, target)


def _node(raw: Any) -> Node:
    if not isinstance(raw, dict):
        raise FlowFormatError("every node must be an object")
    node_id, node_type = raw.get("id"), raw.get("type")
    if not isinstance(node_id, str) or not isinstance(node_type, str):
        raise FlowFormatError(f"node {node_id!r} needs a string 'id' and 'type'")
    config = raw.get("config", {})
    if not isinstance(config, dict):
        raise FlowFormatError(f"node {node_id!r}: 'config' must be an object")
    position = raw.get("position", [0, 0])
    if (
        not isinstance(position, list | tuple)
        or len(position) != 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in position)
    ):
        raise FlowFormatError(f"node {node_id!r}: 'position' must be [x, y]")
    return Node(node_id, node_type, config, (float(position[0]), float(position[1])))


def edges_of(flow: Flow) -> list[Edge]:
    """Edges in a stable order (source node order, then handle) — handy for diffs and tests."""
    order = {n.id: i for i, n in enumerate(flow.nodes)}
    return sorted(flow.edges, key=lambda e: (order.get(e.source, 0), e.handle))
