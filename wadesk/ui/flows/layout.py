"""Auto-layout, left to right: nodes are placed in columns by their distance from the triggers
(longest path over a spanning order, so cycles do not loop), and within a column in the order
their parents' outputs are listed. Returns positions; the editor applies them as one undoable
move."""

from __future__ import annotations

from collections import deque

from wadesk.flow import Flow, Registry

COLUMN_GAP = 320.0
ROW_GAP = 40.0
DEFAULT_HEIGHT = 120.0


def auto_layout(  # noqa: C901
    flow: Flow, registry: Registry, heights: dict[str, float] | None = None
) -> dict[str, tuple[float, float]]:
    heights = heights or {}

    def children(node_id: str) -> list[str]:
        node = flow.node(node_id)
        config = {**(t.defaults() if (t := registry.find(node.type)) else {}), **node.config}
        handles = [h.name for h in registry.outputs(node.type, config)]
        out: list[str] = []
        for h in handles:
            target = flow.target(node_id, h)
            if target is not None and target not in out:
                out.append(target)
        for e in flow.outgoing(node_id):  # edges of handles that no longer exist
            if e.target not in out:
                out.append(e.target)
        return out

    column: dict[str, int] = {}
    roots = [n.id for n in flow.triggers] or [n.id for n in flow.nodes if not flow.incoming(n.id)]
    queue: deque[str] = deque()
    for r in roots:
        column[r] = 0
        queue.append(r)
    visit_order: list[str] = list(roots)
    while queue:
        nid = queue.popleft()
        for child in children(nid):
            if child not in column:
                column[child] = column[nid] + 1
                visit_order.append(child)
                queue.append(child)
    # unreachable nodes: a column after their placed parents or a last column
    last = max(column.values(), default=-1) + 1
    for n in flow.nodes:
        if n.id not in column:
            column[n.id] = last
            visit_order.append(n.id)
    columns: dict[int, list[str]] = {}
    for nid in visit_order:
        columns.setdefault(column[nid], []).append(nid)
    positions: dict[str, tuple[float, float]] = {}
    for col, ids in sorted(columns.items()):
        total = sum(heights.get(i, DEFAULT_HEIGHT) for i in ids) + ROW_GAP * (len(ids) - 1)
        y = -total / 2
        for nid in ids:
            positions[nid] = (col * COLUMN_GAP, round(y))
            y += heights.get(nid, DEFAULT_HEIGHT) + ROW_GAP
    return positions
