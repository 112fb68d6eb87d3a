"""Benchmark: step-engine time per inbound message on a generated 200-node flow.

Run with `python bench/flow_step.py`; prints p50 / p99 / mean in ms against the 2 ms target.
The flow chains ~40 blocks of (buttons → set variable → condition → send text → question), so
every inbound runs several nodes and the engine waits again at the next buttons/question.
"""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

from wadesk.flow import Flow, Inbound, Node, default_registry, encode_choice, start, step

TARGET_MS = 2.0


def build_flow(blocks: int = 40) -> Flow:
    flow = Flow("bench", "Bench")
    flow.add_node(Node("t", "trigger", {"kind": "any"}))
    prev, handle = "t", "next"
    for i in range(blocks):
        ids = [f"b{i}", f"v{i}", f"c{i}", f"s{i}", f"q{i}"]
        flow.add_node(Node(ids[0], "buttons", {"body": f"Step {i} {{{{contact.name}}}}",
                      "buttons": [{"id": "a", "title": "A"}, {"id": "b", "title": "B"}],
                      "variable": "pick"}))  # fmt: skip
        flow.add_node(Node(ids[1], "set_variable", {"variable": f"x{i}", "value": "{{pick}}"}))
        flow.add_node(Node(ids[2], "condition", {"mode": "if", "rules": [
            {"variable": f"x{i}", "op": "eq", "value": "A"}]}))  # fmt: skip
        flow.add_node(Node(ids[3], "send_text", {"text": "You chose {{pick}} at " + str(i)}))
        flow.add_node(Node(ids[4], "question", {"prompt": "Email?", "validate": "email",
                                                 "variable": "email"}))  # fmt: skip
        flow.connect(prev, handle, ids[0])
        flow.connect(ids[0], "a", ids[1])
        flow.connect(ids[0], "b", ids[1])
        flow.connect(ids[1], "next", ids[2])
        flow.connect(ids[2], "true", ids[3])
        flow.connect(ids[2], "false", ids[3])
        flow.connect(ids[3], "next", ids[4])
        prev, handle = ids[4], "answer"
    return flow


def main() -> None:
    flow = build_flow()
    registry = default_registry()
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert len(flow.nodes) == 201
    samples: list[float] = []
    for _ in range(20):
        r = start(flow, registry, Inbound(text="hi", contact_name="Ann"), now)
        for i in range(40):
            inbounds = [Inbound(choice_id=encode_choice(f"b{i}", "a")), Inbound(text="a@b.io")]
            for inbound in inbounds:
                t0 = time.perf_counter()
                r = step(flow, registry, r.session, inbound, now)
                samples.append((time.perf_counter() - t0) * 1000)
        assert r.session.status == "ended", r.session.status
    samples.sort()
    p50 = samples[len(samples) // 2]
    p99 = samples[int(len(samples) * 0.99)]
    mean = statistics.fmean(samples)
    verdict = "OK" if mean <= TARGET_MS else "OVER TARGET"
    print(f"flow step on {len(flow.nodes)} nodes, {len(samples)} inbounds")
    print(
        f"p50 {p50:.3f} ms  p99 {p99:.3f} ms  mean {mean:.3f} ms  (target ≤ {TARGET_MS} ms: {verdict})"
    )


if __name__ == "__main__":
    main()
