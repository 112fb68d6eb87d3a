"""Where a flow refers to its variables and other nodes, and renaming a variable everywhere.

`rename_in_config(node_type, config, old, new)` returns the config with every use of variable
`old` ({{old}} in any text, the variable a node saves to, a condition rule's variable, an HTTP
response mapping) renamed to `new`; the editor wraps these edits in one undoable rename.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from wadesk.flow.expr import TEMPLATE_RE
from wadesk.flow.graph import Flow

SETTER_KEYS: Mapping[str, tuple[str, ...]] = {
    "question": ("variable",),
    "set_variable": ("variable",),
    "buttons": ("variable",),
    "list": ("variable",),
    "http_request": ("status_variable",),
}


def _rename_text(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        if "{{" not in value:
            return value

        def sub(m: re.Match[str]) -> str:
            if m.group(1) != old:
                return m.group(0)
            start, end = m.span(1)
            whole = m.group(0)
            base = m.start(0)
            return whole[: start - base] + new + whole[end - base :]

        return TEMPLATE_RE.sub(sub, value)
    if isinstance(value, Mapping):
        return {k: _rename_text(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename_text(v, old, new) for v in value]
    return value


def rename_in_config(
    node_type: str, config: Mapping[str, Any], old: str, new: str
) -> dict[str, Any]:
    """`config` with variable `old` renamed to `new` wherever the node uses or sets it."""
    out: dict[str, Any] = _rename_text(dict(config), old, new)
    for key in SETTER_KEYS.get(node_type, ()):
        if out.get(key) == old:
            out[key] = new
    if node_type == "condition":
        for key in ("rules", "cases"):
            rules = out.get(key)
            if isinstance(rules, list):
                out[key] = [
                    {**r, "variable": new}
                    if isinstance(r, Mapping) and r.get("variable") == old
                    else r
                    for r in rules
                ]
    if node_type == "http_request" and isinstance(out.get("response_map"), Mapping):
        out["response_map"] = {(new if k == old else k): v for k, v in out["response_map"].items()}
    return out


def renamed_configs(flow: Flow, old: str, new: str) -> dict[str, dict[str, Any]]:
    """node id → new config, for every node of `flow` whose config uses variable `old`."""
    out: dict[str, dict[str, Any]] = {}
    for node in flow.nodes:
        config = rename_in_config(node.type, node.config, old, new)
        if config != node.config:
            out[node.id] = config
    return out
