"""Node positions computed in Python, so the browser draws without running physics.

A Fruchterman-Reingold force layout in numpy: exact repulsion for small graphs;
for large ones each node is pushed by a fresh random sample of other nodes every
step (the sum is unbiased and the noise cools away), so a step costs O(n*s + m)
instead of O(n^2). Large layouts are then snapped to a grid that keeps the order
of nodes along x and, within each column, along y: neighbours stay near each
other and no two nodes overlap. Each connected component is laid out alone and
the components are packed in rows. Deterministic: the same graph, the same picture.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np

EXACT_MAX = 300  # exact O(n^2) repulsion up to this many nodes
SAMPLES = 12  # repulsion partners per node and step above it
SPACING = 140.0  # pixels per ideal edge length
JITTER = (0.0, 0.7, -0.4, 1.1, -0.9, 0.3, -1.2)


def layout(g: nx.Graph, *, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Pixel positions ``node -> (x, y)``: each connected component laid out on its
    own, then the components packed in rows, largest first (so that a zoom to fit
    shows the big picture, not isolated nodes flung to the edges)."""
    undirected = g.to_undirected(as_view=True) if g.is_directed() else g
    components = sorted(nx.connected_components(undirected), key=lambda c: (-len(c), min(map(str, c))))
    where: dict[Hashable, tuple[int, int]] = {}  # node -> (component, index in it)
    members: list[list[Hashable]] = []
    for c, component in enumerate(components):
        nodes = sorted(component, key=str)
        members.append(nodes)
        where.update((node, (c, i)) for i, node in enumerate(nodes))
    pairs: list[list[tuple[int, int]]] = [[] for _ in components]
    for u, v in g.edges():  # one pass over the whole graph: subgraph views are slow
        (c, i), (_, j) = where[u], where[v]
        if i != j:
            pairs[c].append((i, j))
    boxes: list[tuple[list[Hashable], np.ndarray]] = []
    for nodes, links in zip(members, pairs):
        pos = _component(len(nodes), np.array(links, dtype=np.int64).reshape(-1, 2), seed)
        boxes.append((nodes, pos - pos.min(axis=0)))
    placed = _pack([pos for _, pos in boxes])
    result: dict[Hashable, tuple[float, float]] = {}
    for (nodes, _), pos in zip(boxes, placed):
        for node, (x, y) in zip(nodes, pos * SPACING):
            # A sub-pixel nudge: vis-network 9.1.2 draws the label of an exactly
            # horizontal edge at the canvas origin.
            nudge = JITTER[len(result) % len(JITTER)]
            result[node] = (round(float(x) + nudge, 1), round(float(y) - nudge, 1))
    for u, v in g.edges():
        if u != v and result[u][1] == result[v][1]:
            result[v] = (result[v][0], result[v][1] + 0.5)
    return result


def _pack(boxes: list[np.ndarray], gap: tuple[float, float] = (1.8, 1.0), aspect: float = 1.6) -> list[np.ndarray]:
    """Shelf packing: boxes (already at the origin) left to right in rows of about
    ``aspect`` times the height of the whole."""
    if not boxes:
        return []
    sizes = [pos.max(axis=0) + np.array(gap) for pos in boxes]  # labels are wider than tall
    area = sum(float(w * h) for w, h in sizes)
    width = max(max(float(w) for w, _ in sizes), float(np.sqrt(area * aspect)))
    placed, x, y, row = [], 0.0, 0.0, 0.0
    for pos, (w, h) in zip(boxes, sizes):
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        placed.append(pos + np.array([x, y]))
        x, row = x + float(w), max(row, float(h))
    return placed


def _component(n: int, pairs: np.ndarray, seed: int) -> np.ndarray:
    """Unit-length positions of one connected component of ``n`` nodes linked by
    ``pairs`` of indexes (Fruchterman-Reingold)."""
    if n <= 2:
        return np.array([[float(i), 0.0] for i in range(n)])
    iterations = 120 if n <= EXACT_MAX else 40
    rng = np.random.default_rng(seed)
    side = float(np.sqrt(n))
    pos = (rng.random((n, 2)) - 0.5) * side
    temperature = side / 8
    cooling = (0.01 / 8) ** (1 / iterations)
    floor = 0.05
    for _ in range(iterations):
        disp = _repulsion(pos, rng, floor)
        delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
        dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), floor)
        pull = delta * dist[:, None]  # |f| = d^2 / k with k = 1
        for axis in (0, 1):
            disp[:, axis] -= np.bincount(pairs[:, 0], pull[:, axis], minlength=n)
            disp[:, axis] += np.bincount(pairs[:, 1], pull[:, axis], minlength=n)
        disp -= pos * 0.05  # a little gravity keeps stray nodes close
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature *= cooling
    if n > EXACT_MAX:
        return snap_to_grid(pos)
    return pos


def _repulsion(pos: np.ndarray, rng: np.random.Generator, floor: float) -> np.ndarray:
    """Sum over other nodes of the push ``k^2 / d`` (k = 1) on each node."""
    n = len(pos)
    if n <= EXACT_MAX:
        delta = pos[:, None, :] - pos[None, :, :]
        dist2 = np.maximum((delta**2).sum(axis=-1), floor * floor)
        np.fill_diagonal(dist2, np.inf)
        return (delta / dist2[..., None]).sum(axis=1)  # type: ignore[no-any-return]
    partners = rng.integers(0, n, size=(n, SAMPLES))
    delta = pos[:, None, :] - pos[partners]
    dist2 = np.maximum((delta**2).sum(axis=-1), floor * floor)
    dist2[partners == np.arange(n)[:, None]] = np.inf
    return (delta / dist2[..., None]).sum(axis=1) * ((n - 1) / SAMPLES)  # type: ignore[no-any-return]


def snap_to_grid(pos: np.ndarray) -> np.ndarray:
    """Unit-spaced grid positions keeping the x order of nodes, and the y order
    within each column; the grid has the aspect ratio of ``pos``."""
    n = len(pos)
    span = np.maximum(np.percentile(pos, 95, axis=0) - np.percentile(pos, 5, axis=0), 1e-9)
    columns = max(1, min(n, int(round(np.sqrt(n * span[0] / span[1])))))
    rows = -(-n // columns)
    by_x = np.argsort(pos[:, 0], kind="stable")
    grid = np.empty_like(pos)
    for c in range(columns):
        column = by_x[c * rows:(c + 1) * rows]
        by_y = column[np.argsort(pos[column, 1], kind="stable")]
        grid[by_y, 0] = c
        grid[by_y, 1] = np.arange(len(by_y))
    return grid
