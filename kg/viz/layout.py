"""Node positions computed in Python, so the browser draws without running physics.

A Fruchterman-Reingold force layout in numpy: exact repulsion for small graphs;
for large ones each node is pushed by a fresh random sample of other nodes every
step (the sum is unbiased and the noise cools away), so a step costs O(n*s + m)
instead of O(n^2). Large layouts are then snapped to a grid that keeps the order
of nodes along x and, within each column, along y: neighbours stay near each
other and no two nodes overlap. Deterministic: the same graph, the same picture.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import numpy as np

EXACT_MAX = 150  # exact O(n^2) repulsion up to this many nodes
SAMPLES = 12  # repulsion partners per node and step above it
SPACING = 110.0  # pixels per ideal edge length


def layout(g: nx.Graph, *, iterations: int | None = None, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Pixel positions ``node -> (x, y)`` centred on (0, 0)."""
    nodes = list(g)
    n = len(nodes)
    if iterations is None:
        iterations = 120 if n <= EXACT_MAX else 40
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.array(
        [(index[u], index[v]) for u, v in g.edges() if u != v], dtype=np.int64
    ).reshape(-1, 2)
    rng = np.random.default_rng(seed)
    side = float(np.sqrt(n))
    pos = (rng.random((n, 2)) - 0.5) * side
    temperature = side / 8
    cooling = (0.01 / 8) ** (1 / iterations)
    floor = 0.05
    for _ in range(iterations):
        disp = _repulsion(pos, rng, floor)
        if len(pairs):
            delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            dist = np.maximum(np.hypot(delta[:, 0], delta[:, 1]), floor)
            pull = delta * dist[:, None]  # |f| = d^2 / k with k = 1
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(pairs[:, 0], pull[:, axis], minlength=n)
                disp[:, axis] += np.bincount(pairs[:, 1], pull[:, axis], minlength=n)
        disp -= pos * (0.05 * side / max(side, 1.0))  # gravity keeps components in view
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature *= cooling
    if n > EXACT_MAX:
        pos = snap_to_grid(pos)
    pos -= pos.mean(axis=0)
    pos *= SPACING
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(nodes, pos)}


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
