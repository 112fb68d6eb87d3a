"""Sample flows for the flow editor tests: the salon flow (greeting → buttons "Book / Prices /
Talk to a person" → question for the date → hand-off) and a generated large flow."""

from __future__ import annotations

from wadesk.flow import Flow, Node


def salon_flow() -> Flow:
    flow = Flow("salon", "Salon assistant")
    flow.set_variable("date", "")
    flow.add_nodes(
        [
            Node(
                "start",
                "trigger",
                {"kind": "keyword", "keywords": ["hi", "hello", "book"], "match": "contains"},
                (0, 0),
            ),
            Node(
                "greet",
                "send_text",
                {"text": "Hi {{contact.name}}! Welcome to Bella Salon."},
                (320, 0),
            ),
            Node(
                "menu",
                "buttons",
                {
                    "body": "How can we help you today?",
                    "buttons": [
                        {"id": "book", "title": "Book"},
                        {"id": "prices", "title": "Prices"},
                        {"id": "human", "title": "Talk to a person"},
                    ],
                },
                (640, 0),
            ),
            Node(
                "ask_date",
                "question",
                {
                    "prompt": "Which day would you like to come? (e.g. 2026-03-14)",
                    "validate": "date",
                    "variable": "date",
                },
                (980, -190),
            ),
            Node(
                "confirm",
                "send_text",
                {"text": "Great, we noted {{date}}. A stylist will confirm shortly."},
                (1320, -230),
            ),
            Node(
                "prices",
                "send_text",
                {"text": "Haircut 25 €, colouring from 60 €, manicure 20 €."},
                (980, 40),
            ),
            Node(
                "agent",
                "handoff",
                {
                    "reason": "Customer asked for a person",
                    "message": "One moment, a person from the salon will answer you.",
                },
                (1320, 60),
            ),
        ]
    )
    flow.connect("start", "next", "greet")
    flow.connect("greet", "next", "menu")
    flow.connect("menu", "book", "ask_date")
    flow.connect("menu", "prices", "prices")
    flow.connect("menu", "human", "agent")
    flow.connect("ask_date", "answer", "confirm")
    flow.connect("ask_date", "invalid", "agent")
    flow.connect("confirm", "next", "agent")
    flow.connect("prices", "next", "menu")
    return flow


def big_flow(n: int = 500) -> Flow:
    """`n` nodes in a grid: a trigger and chains of texts, buttons every fifth node."""
    flow = Flow("big", "Big")
    flow.add_node(Node("start", "trigger", {"kind": "any"}, (0, 0)))
    prev = "start"
    prev_handle = "next"
    for i in range(1, n):
        col, row = divmod(i, 20)
        pos = (col * 320.0, row * 160.0)
        if i % 5 == 0:
            node = Node(
                f"n{i}",
                "buttons",
                {
                    "body": f"Question {i}",
                    "buttons": [{"id": "a", "title": "Yes"}, {"id": "b", "title": "No"}],
                },
                pos,
            )
        else:
            node = Node(f"n{i}", "send_text", {"text": f"Message number {i}"}, pos)
        flow.add_node(node)
        flow.connect(prev, prev_handle, node.id)
        prev = node.id
        prev_handle = "a" if node.type == "buttons" else "next"
    return flow
