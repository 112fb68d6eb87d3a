"""Copy, cut, paste and duplicate of canvas fragments as JSON (also between flows and between
wadesk windows, through the system clipboard). A fragment holds the nodes and the edges between
them; pasting gives the nodes fresh ids (and rewrites "go to node" references among them).
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QClipboard, QGuiApplication

from wadesk.flow import Edge, Flow, Node, Registry

FRAGMENT_MIME = "application/x-wadesk-flow-fragment"
FRAGMENT_KEY = "wadesk_flow_fragment"


def fragment(flow: Flow, node_ids: list[str]) -> dict[str, Any]:
    ids = set(node_ids)
    nodes = [n for n in flow.nodes if n.id in ids]
    edges = [e for e in flow.edges if e.source in ids and e.target in ids]
    return {
        FRAGMENT_KEY: 1,
        "nodes": [
            {"id": n.id, "type": n.type, "config": n.config, "position": list(n.position)}
            for n in nodes
        ],
        "edges": [[e.source, e.handle, e.target] for e in edges],
    }


def to_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def parse(text: str) -> dict[str, Any] | None:
    """The fragment in `text`, or None when it is not one."""
    try:
        data = json.loads(text)
    except (ValueError, TypeError):
        return None
    if not isinstance(data, dict) or data.get(FRAGMENT_KEY) != 1:
        return None
    if not isinstance(data.get("nodes"), list) or not isinstance(data.get("edges"), list):
        return None
    return data


def instantiate(
    flow: Flow, registry: Registry, data: dict[str, Any], offset: tuple[float, float]
) -> tuple[list[Node], list[Edge]]:
    """New nodes (fresh ids, moved by `offset`) and edges for pasting `data` into `flow`."""
    taken = {n.id for n in flow.nodes}
    mapping: dict[str, str] = {}
    nodes: list[Node] = []
    for raw in data["nodes"]:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue
        type_name = str(raw.get("type", ""))
        if type_name not in registry:
            continue
        old_id = raw["id"]
        new_id = old_id
        base = old_id.rstrip("0123456789") or "n"
        i = 1
        while new_id in taken:
            new_id = f"{base}{i}"
            i += 1
        taken.add(new_id)
        mapping[old_id] = new_id
        pos = raw.get("position") or [0, 0]
        config = raw.get("config") if isinstance(raw.get("config"), dict) else {}
        nodes.append(
            Node(
                new_id,
                type_name,
                dict(config),
                (float(pos[0]) + offset[0], float(pos[1]) + offset[1]),
            )
        )
    for i, node in enumerate(nodes):
        target = node.config.get("node")
        if node.type == "jump" and isinstance(target, str) and target in mapping:
            nodes[i] = Node(
                node.id, node.type, {**node.config, "node": mapping[target]}, node.position
            )
    edges = [
        Edge(mapping[s], str(h), mapping[t])
        for s, h, t in (e for e in data["edges"] if isinstance(e, list) and len(e) == 3)
        if s in mapping and t in mapping
    ]
    return nodes, edges


def copy_to_clipboard(flow: Flow, node_ids: list[str], clipboard: QClipboard | None = None) -> bool:
    if not node_ids:
        return False
    text = to_text(fragment(flow, node_ids))
    mime = QMimeData()
    mime.setText(text)
    mime.setData(FRAGMENT_MIME, text.encode("utf-8"))
    (clipboard or QGuiApplication.clipboard()).setMimeData(mime)
    return True


def read_clipboard(clipboard: QClipboard | None = None) -> dict[str, Any] | None:
    mime = (clipboard or QGuiApplication.clipboard()).mimeData()
    if mime is None:
        return None
    if mime.hasFormat(FRAGMENT_MIME):
        return parse(bytes(mime.data(FRAGMENT_MIME).data()).decode("utf-8"))
    if mime.hasText():
        return parse(mime.text())
    return None
