"""`summary_of`: the one line under a node card's title that says what the node does (also
used by the inspector and the bots list). Qt-free."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wadesk.flow import Node, NodeType


def summary_of(node: Node, node_type: NodeType | None) -> str:  # noqa: C901
    """One line describing what the node does (shown under its title)."""
    c: Mapping[str, Any] = {**(node_type.defaults() if node_type else {}), **node.config}

    def s(key: str) -> str:
        v = c.get(key)
        return v if isinstance(v, str) else ("" if v is None else str(v))

    t = node.type
    if t == "trigger":
        kind = s("kind")
        if kind == "keyword":
            words = c.get("keywords")
            joined = ", ".join(str(w) for w in words) if isinstance(words, list) else ""
            return f"“{joined}”" if joined else "keyword"
        if kind == "regex":
            return f"/{s('pattern')}/"
        if kind == "button_payload":
            return f"payload {s('payload')}"
        return kind.replace("_", " ")
    if t == "send_text":
        return s("text")
    if t == "send_media":
        return f"{s('media_kind')}: {s('caption') or s('media')}"
    if t in ("buttons", "list"):
        return s("body")
    if t == "question":
        return s("prompt")
    if t == "condition":
        mode = s("mode")
        if mode == "if":
            rules = c.get("rules")
            if isinstance(rules, list) and rules and isinstance(rules[0], Mapping):
                r = rules[0]
                return f"{r.get('variable', '')} {r.get('op', '')} {r.get('value', '')}".strip()
        return mode.replace("_", " ")
    if t == "set_variable":
        return f"{s('variable')} = {s('value')}"
    if t == "set_contact_field":
        return f"{s('field')} = {s('value')}"
    if t == "label":
        return f"{s('action')} {s('label')}"
    if t == "delay":
        return f"{s('seconds')} s"
    if t == "http_request":
        return f"{s('method')} {s('url')}"
    if t == "send_template":
        return s("name")
    if t == "handoff":
        return s("reason")
    if t == "jump":
        return s("node") or s("flow")
    return s("reason")
