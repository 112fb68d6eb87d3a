"""Graph analyses used by validation: reachability, loops that never wait, and free-form sends
that may fall outside the 24-hour customer-service window. Pure functions over a `Flow`.
"""

from __future__ import annotations

from collections.abc import Iterable

from wadesk.flow.graph import Flow, Node
from wadesk.flow.registry import Registry

WINDOW_SECONDS = 24 * 3600
USER_REPLY_TYPES = frozenset({"buttons", "list", "question"})


def successors(flow: Flow, node: Node) -> list[str]:
    """Nodes that can run right after `node` (its edges, and a jump's target node)."""
    out = [e.target for e in flow.outgoing(node.id)]
    target = node.config.get("node") if node.type == "jump" else None
    if isinstance(target, str) and flow.has_node(target):
        out.append(target)
    return out


def reachable_from(flow: Flow, starts: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    stack = [s for s in starts if flow.has_node(s)]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(t for t in successors(flow, flow.node(current)) if t not in seen)
    return seen


def loop_components(flow: Flow, registry: Registry) -> list[list[str]]:
    """Cycles made only of nodes that do not wait for the customer or a timer.

    Nodes that break loops are removed; each remaining strongly connected component with more
    than one node (or a node wired to itself) is a runaway loop. Node ids in flow order.
    """
    breaking = {
        n.id for n in flow.nodes if (t := registry.find(n.type)) is not None and t.breaks_loops
    }
    graph = {
        n.id: [t for t in successors(flow, n) if t not in breaking]
        for n in flow.nodes
        if n.id not in breaking
    }
    order = {n.id: i for i, n in enumerate(flow.nodes)}
    loops: list[list[str]] = []
    for comp in _tarjan(graph):
        if len(comp) > 1 or comp[0] in graph[comp[0]]:
            loops.append(sorted(comp, key=order.__getitem__))
    loops.sort(key=lambda c: order[c[0]])
    return loops


def _tarjan(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            recurse = False
            edges = graph[v]
            while i < len(edges):
                w = edges[i]
                i += 1
                if w not in index:
                    work.append((v, i))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                comp: list[str] = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                result.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return result


def outside_window_nodes(flow: Flow, registry: Registry) -> list[str]:
    """Free-form sending nodes that may run ≥ 24 h after the customer's last message.

    For every node, the longest total delay since the customer last wrote is propagated
    (capped at 24 h; a reply to buttons/list/question resets it). Runs that start from a
    "manual" trigger (started by the business) begin outside the window.
    """
    since: dict[str, int] = {}
    for trig in flow.triggers:
        start = WINDOW_SECONDS if trig.config.get("kind") == "manual" else 0
        since[trig.id] = max(since.get(trig.id, 0), start)
    for _ in range(len(flow.nodes) + 1):
        changed = False
        for node in flow.nodes:
            if node.id not in since:
                continue
            out = _after(node, since[node.id])
            for t in successors(flow, node):
                if out > since.get(t, -1):
                    since[t] = out
                    changed = True
        if not changed:
            break
    result = []
    for node in flow.nodes:
        node_type = registry.find(node.type)
        if (
            node_type is not None
            and node_type.free_form
            and since.get(node.id, 0) >= WINDOW_SECONDS
        ):
            result.append(node.id)
    return result


def _after(node: Node, elapsed: int) -> int:
    if node.type in USER_REPLY_TYPES:
        return 0
    if node.type == "delay":
        seconds = node.config.get("seconds")
        if isinstance(seconds, int) and not isinstance(seconds, bool) and seconds > 0:
            return min(WINDOW_SECONDS, elapsed + seconds)
    return elapsed
