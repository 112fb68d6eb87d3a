"""Builders shared by the flow tests: a small flow DSL and the support-desk scenario flow."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from wadesk.flow import Flow, Node

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday


def build(
    nodes: dict[str, tuple[str, dict[str, Any]]],
    edges: dict[tuple[str, str], str] | None = None,
    *,
    flow_id: str = "f1",
    variables: dict[str, Any] | None = None,
) -> Flow:
    flow = Flow(flow_id, "Test flow")
    for name, default in (variables or {}).items():
        flow.set_variable(name, default)
    for i, (node_id, (node_type, config)) in enumerate(nodes.items()):
        flow.add_node(Node(node_id, node_type, config, (i * 200.0, 0.0)))
    for (source, handle), target in (edges or {}).items():
        flow.connect(source, handle, target)
    return flow


def support_flow() -> Flow:
    """keyword → buttons → branch → ask email (1 retry) → HTTP ok/error → hand-off."""
    return build(
        {
            "t1": ("trigger", {"kind": "keyword", "keywords": ["hi", "hello"]}),
            "menu": (
                "buttons",
                {
                    "body": "Hi {{contact.name}}! What do you need?",
                    "buttons": [
                        {"id": "support", "title": "Support"},
                        {"id": "sales", "title": "Sales"},
                    ],
                    "variable": "topic",
                },
            ),
            "ask": (
                "question",
                {
                    "prompt": "Your email?",
                    "validate": "email",
                    "variable": "email",
                    "retry_message": "That is not an email.",
                    "max_retries": 1,
                },
            ),
            "crm": (
                "http_request",
                {
                    "method": "POST",
                    "url": "https://crm.example/leads?topic={{topic}}",
                    "headers": {"X-Source": "wadesk"},
                    "body": '{"email": "{{email}}", "note": "from {{contact.name}}"}',
                    "response_map": {"ticket": "data.ticket"},
                    "status_variable": "crm_status",
                },
            ),
            "ok_text": ("send_text", {"text": "Ticket {{ticket}} for {{email}}"}),
            "human": ("handoff", {"reason": "support: {{email}}", "message": "A person joins."}),
            "err_text": ("send_text", {"text": "Sorry, try later."}),
            "sales_text": ("send_text", {"text": "Sales will call you."}),
            "bye": ("end", {}),
            "bad": ("end", {"reason": "no email"}),
        },
        {
            ("t1", "next"): "menu",
            ("menu", "support"): "ask",
            ("menu", "sales"): "sales_text",
            ("sales_text", "next"): "bye",
            ("ask", "answer"): "crm",
            ("ask", "invalid"): "bad",
            ("crm", "ok"): "ok_text",
            ("crm", "error"): "err_text",
            ("ok_text", "next"): "human",
            ("err_text", "next"): "bye",
        },
    )
