"""Node positions computed in Python, so the page opens laid out and runs no physics.

Each connected component is laid out alone by a force model in the spirit of
ForceAtlas2: every pair of nodes repels in proportion to the product of their masses
(1 + degree), so hubs (clusters, regions) push each other apart and keep their own
neighbours around them; edges pull linearly; a weak gravity keeps stray parts close.
Repulsion is exact (a matrix product per step) up to :data:`EXACT_MAX` nodes and
estimated above: exact from the heaviest nodes, from a random sample of the others. In the last steps nodes
repel by the gap between their discs (``radius``), so drawn nodes do not overlap.

Then the nodes given a label box (``boxes``: the clusters, whose labels must all be
readable at the fitted zoom) are pushed apart, each with the neighbours that hang
from it alone, until their boxes no longer overlap at the zoom at which the picture
fits :data:`VIEW`. Components are packed in rows, largest first, and nodes with no
edge at all form a compact grid of their own below (the page shows it on demand).
Seeded: the same graph gives the same picture.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np

EXACT_MAX = 500  # exact repulsion up to this many nodes in a component (estimated above)
HUBS = 100  # above it: exact from this many heaviest nodes, a sample of the others
SAMPLES = 16
SPACING = 90.0  # pixels per unit of the force model (about an edge's length)
VIEW = (1240.0, 840.0)  # canvas pixels the label boxes are fitted to (the page in a 1600x1000 window)
DEFAULT_RADIUS = 10.0
GAP = 3.0  # pixels between label boxes
JITTER = (0.0, 0.7, -0.4, 1.1, -0.9, 0.3, -1.2)
RERUN_FROM = 0.8  # a re-run (label boxes larger at the zoom measured) goes on from this share of the steps

Node = Any  # a networkx node: any hashable
Positions = dict[Node, tuple[float, float]]


def layout(
    g: nx.Graph,
    *,
    seed: int = 7,
    radius: Mapping[Node, float] | None = None,
    boxes: Mapping[Node, tuple[float, float]] | None = None,
    cell: tuple[float, float] = (180.0, 40.0),
    shown: str = "all",
    box_scale: float | None = None,
    steps: int | None = None,
) -> Positions:
    """Pixel positions ``node -> (x, y)`` of ``g``.

    ``radius``: drawn radius of a node in pixels (default :data:`DEFAULT_RADIUS`).
    ``boxes``: (width, height) in screen pixels of labels that must not overlap at the
    fitted zoom. ``cell``: the grid cell of a node without edges. ``shown``: what the
    page fits to the window at first, ``"all"`` or ``"linked"`` (nodes without edges
    hidden), for the zoom the label boxes are measured at. ``box_scale``: the zoom
    expected at the end, at which the force model already keeps label boxes apart.
    ``steps``: steps of the force model (default: by the size of the component).
    """
    undirected = g.to_undirected(as_view=True) if g.is_directed() else g
    radius = radius or {}
    components = sorted(nx.connected_components(undirected), key=lambda c: (-len(c), min(map(str, c))))
    linked = [c for c in components if len(c) > 1]
    alone = sorted((next(iter(c)) for c in components if len(c) == 1), key=str)
    where: dict[Node, tuple[int, int]] = {}
    members: list[list[Node]] = []
    for c, component in enumerate(linked):
        nodes = sorted(component, key=str)
        members.append(nodes)
        where.update((node, (c, i)) for i, node in enumerate(nodes))
    pairs: list[list[tuple[int, int, float]]] = [[] for _ in linked]
    for u, v, data in undirected.edges(data=True):
        if u == v or u not in where:
            continue
        (c, i), (_, j) = where[u], where[v]
        pairs[c].append((i, j, float(data.get("weight", 1.0)) if isinstance(data, dict) else 1.0))
    arrays = [np.array(links, dtype=np.float64).reshape(-1, 3) for links in pairs]
    radii = [np.array([radius.get(v, DEFAULT_RADIUS) for v in nodes]) / SPACING for nodes in members]
    units: list[np.ndarray | None] = [None] * len(members)
    scale = box_scale
    result: Positions = {}
    # Label boxes are kept apart at the zoom the picture is expected to fit at; when the
    # picture comes out larger (a smaller zoom: larger boxes in its units), the last steps
    # run again from where they ended, at the zoom measured.
    for attempt in range(3):
        placed: list[tuple[list[Node], np.ndarray, np.ndarray]] = []
        for c, nodes in enumerate(members):
            labelled = _labelled(nodes, boxes, scale)
            pos = _component(len(nodes), arrays[c][:, :2].astype(np.int64), arrays[c][:, 2], radii[c], seed,
                             labelled, start=units[c], steps=steps)
            units[c] = pos
            pos = pos * SPACING
            low, high = _extent(nodes, pos, radius, boxes, scale)
            placed.append((nodes, pos - low, high - low))
        packed = _pack([(pos, size) for _, pos, size in placed], margin=max([*radius.values(), DEFAULT_RADIUS]) * 2)
        result = {}
        for (nodes, _, _), pos in zip(placed, packed):
            for node, (x, y) in zip(nodes, pos):
                result[node] = (float(x), float(y))
        if alone:
            _grid(result, alone, cell)
        if not boxes or not scale:
            break
        fitted = {v: p for v, p in result.items() if shown == "all" or v not in set(alone)}
        measured = fitted_scale(fitted, radius)
        if measured >= scale:
            break
        scale = measured * 0.95
    for i, (node, (x, y)) in enumerate(result.items()):
        # A sub-pixel nudge: vis-network 9.1.2 draws the label of an exactly
        # horizontal edge at the canvas origin.
        nudge = JITTER[i % len(JITTER)]
        result[node] = (round(x + nudge, 1), round(y - nudge, 1))
    for u, v in undirected.edges():
        if u != v and result[u][1] == result[v][1]:
            result[v] = (result[v][0], result[v][1] + 0.5)
    return result


def _labelled(
    nodes: list[Node], boxes: Mapping[Node, tuple[float, float]] | None, scale: float | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(indexes, half widths, half heights) in the force model's units of the label
    boxes of ``nodes`` at the zoom ``scale``; None when fewer than two have one."""
    if not boxes or not scale:
        return None
    idx = np.array([i for i, v in enumerate(nodes) if v in boxes], dtype=np.int64)
    if len(idx) < 2:
        return None
    size = np.array([boxes[nodes[i]] for i in idx]) / (scale * SPACING)
    return idx, size[:, 0] / 2 + GAP / (scale * SPACING), size[:, 1] / 2


def _component(
    n: int, pairs: np.ndarray, weights: np.ndarray, radii: np.ndarray, seed: int,
    labelled: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    start: np.ndarray | None = None,
    steps: int | None = None,
) -> np.ndarray:
    """Unit positions of one connected component of ``n`` nodes linked by ``pairs``.

    ``labelled``: (indexes, half widths, half heights) of label boxes drawn under those
    nodes; in the last steps they are moved out of each other's way, and the edges
    then bring their neighbours along. ``start``: positions to go on from (only the
    last, cool steps run again). ``steps``: how many steps (default by size)."""
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[0.0, 0.0], [1.0 + radii.sum(), 0.0]])
    degree = np.bincount(pairs.ravel(), minlength=n).astype(np.float64)
    mass = 1.0 + degree
    pull = np.minimum(1.0 + np.log(np.maximum(weights, 1.0)), 3.0)
    rng = np.random.default_rng(seed)
    side = float(np.sqrt(n))
    pos = (rng.random((n, 2)) - 0.5) * side
    iterations = (300 if n <= EXACT_MAX else 150) if steps is None else steps
    masses = np.outer(mass, mass) if n <= EXACT_MAX else mass
    if n <= EXACT_MAX:
        np.fill_diagonal(masses, 0.0)
    by_mass = np.argsort(-mass, kind="stable")
    hubs, others = np.sort(by_mass[:HUBS]), np.sort(by_mass[HUBS:])
    temperature = side / 4
    cooling = 0.002 ** (1 / iterations)
    repulse = 0.12  # against the pull of edges: sets how far apart neighbours settle
    first = 0
    if start is not None:  # a re-run for label boxes grown a little: the last, coolest fifth of the steps
        pos = start.copy()
        first = int(iterations * RERUN_FROM)
        temperature *= cooling ** first
    for step in range(first, iterations):
        late = step >= iterations * 0.6
        if n <= EXACT_MAX:
            disp = _exact_repulsion(pos, masses, radii if late else None) * repulse
        else:
            disp = _hub_repulsion(pos, mass, radii if late else None, hubs, others, rng) * repulse
        delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
        force = delta * pull[:, None]
        for axis in (0, 1):
            disp[:, axis] -= np.bincount(pairs[:, 0], force[:, axis], minlength=n)
            disp[:, axis] += np.bincount(pairs[:, 1], force[:, axis], minlength=n)
        disp -= (pos - pos.mean(axis=0)) * (0.02 * mass)[:, None]
        length = np.maximum(np.hypot(disp[:, 0], disp[:, 1]), 1e-12)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature *= cooling
        if late and labelled is not None:
            _unoverlap(pos, radii, *labelled)
    if labelled is not None:  # what the last steps left: pushed apart until clear
        _unoverlap(pos, radii, *labelled, rounds=200)
    return pos


def _unoverlap(
    pos: np.ndarray, radii: np.ndarray, idx: np.ndarray, hw: np.ndarray, hh: np.ndarray, rounds: int = 4
) -> None:
    """Move the labelled nodes so that no two of their boxes (the node's disc and its
    label under it) overlap: each overlapping pair is pushed apart along the axis of
    least overlap (relative to the boxes' size), ``rounds`` times or until none overlaps."""
    r = radii[idx]
    half_w = np.maximum(hw, r)
    half_h = r + hh
    for _ in range(rounds):
        cx = pos[idx, 0]
        cy = pos[idx, 1] + hh  # the box runs from the disc's top to the label's bottom
        ox = half_w[:, None] + half_w[None, :] - np.abs(cx[:, None] - cx[None, :])
        oy = half_h[:, None] + half_h[None, :] - np.abs(cy[:, None] - cy[None, :])
        hit = (ox > 0) & (oy > 0)
        np.fill_diagonal(hit, False)
        if not hit.any():
            return
        # Along the axis of least overlap relative to the boxes' size there: wide labels
        # are pushed sideways as readily as up and down (else they stack in a column).
        rx = ox / (half_w[:, None] + half_w[None, :])
        ry = oy / (half_h[:, None] + half_h[None, :])
        along_x = hit & (rx < ry)
        along_y = hit & ~(rx < ry)
        sx = np.where(cx[:, None] >= cx[None, :], 1.0, -1.0)
        sy = np.where(cy[:, None] >= cy[None, :], 1.0, -1.0)
        pos[idx, 0] += (np.where(along_x, ox, 0.0) * sx).sum(axis=1) * 0.3
        pos[idx, 1] += (np.where(along_y, oy, 0.0) * sy).sum(axis=1) * 0.3


def _exact_repulsion(pos: np.ndarray, masses: np.ndarray, radii: np.ndarray | None) -> np.ndarray:
    """Sum over the other nodes of ``m_i m_j / d`` along ``p_i - p_j`` (``d`` less both
    radii, late). ``masses``: the products ``m_i m_j``, 0 on the diagonal."""
    square = (pos**2).sum(axis=1)
    d2 = pos @ pos.T
    d2 *= -2.0
    d2 += square[:, None]
    d2 += square[None, :]
    np.maximum(d2, 1e-6, out=d2)
    if radii is None:
        f = np.divide(masses, d2, out=d2)
    else:
        d = np.sqrt(d2, out=d2)
        gap = d - (radii[:, None] + radii[None, :])
        np.maximum(gap, 0.01, out=gap)
        gap *= d
        f = np.divide(masses, gap, out=gap)
    return pos * f.sum(axis=1)[:, None] - f @ pos  # type: ignore[no-any-return]


def _hub_repulsion(
    pos: np.ndarray, mass: np.ndarray, radii: np.ndarray | None, hubs: np.ndarray, others: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """The repulsion of :func:`_exact_repulsion`, estimated: exact from the ``hubs`` (the
    heaviest nodes, which shape the picture), and from a fresh random sample of the other
    nodes each step, scaled to their number (the sum is unbiased; the noise cools away)."""
    n = len(pos)

    def push(partners: np.ndarray, scale: float) -> np.ndarray:
        # x and y apart: numpy sums over a last axis of length 2 slowly
        if partners.ndim == 1:
            dx = pos[:, 0, None] - pos[partners, 0][None, :]
            dy = pos[:, 1, None] - pos[partners, 1][None, :]
            other = mass[partners][None, :]
            reach = None if radii is None else radii[partners][None, :]
            same = np.arange(n)[:, None] == partners[None, :]
        else:
            dx = pos[:, 0, None] - pos[partners, 0]
            dy = pos[:, 1, None] - pos[partners, 1]
            other = mass[partners]
            reach = None if radii is None else radii[partners]
            same = np.arange(n)[:, None] == partners
        d2 = np.maximum(dx * dx + dy * dy, 1e-6)
        if radii is None or reach is None:
            f = mass[:, None] * other / d2
        else:
            d = np.sqrt(d2)
            f = mass[:, None] * other / (np.maximum(d - (radii[:, None] + reach), 0.01) * d)
        f[same] = 0.0
        return np.stack([(dx * f).sum(axis=1), (dy * f).sum(axis=1)], axis=1) * scale

    disp = push(hubs, 1.0)
    if len(others):
        sample = others[rng.integers(0, len(others), size=(n, SAMPLES))]
        disp += push(sample, len(others) / SAMPLES)
    return disp


def _extent(
    nodes: list[Node], pos: np.ndarray, radius: Mapping[Node, float],
    boxes: Mapping[Node, tuple[float, float]] | None, scale: float | None,
) -> tuple[np.ndarray, np.ndarray]:
    """The corners of what a component covers: its nodes' discs and, at ``scale``, the
    label boxes drawn under them."""
    r = np.array([radius.get(v, DEFAULT_RADIUS) for v in nodes])
    low = (pos - r[:, None]).min(axis=0)
    high = (pos + r[:, None]).max(axis=0)
    if boxes and scale:
        for i, v in enumerate(nodes):
            if v in boxes:
                w, h = boxes[v][0] / scale, boxes[v][1] / scale
                x, y = pos[i]
                low = np.minimum(low, [x - w / 2, y])
                high = np.maximum(high, [x + w / 2, y + r[i] + h])
    return low, high


def _pack(boxes: list[tuple[np.ndarray, np.ndarray]], margin: float, aspect: float = VIEW[0] / VIEW[1]) -> list[np.ndarray]:
    """Shelf packing of (positions, size) pairs whose extent starts at the origin, left
    to right in rows, so that the whole is about ``aspect`` times as wide as high."""
    if not boxes:
        return []
    sizes = [size + margin for _, size in boxes]
    area = sum(float(w * h) for w, h in sizes)
    width = max(max(float(w) for w, _ in sizes), float(np.sqrt(area * aspect)))
    placed, x, y, row = [], 0.0, 0.0, 0.0
    for (pos, _), (w, h) in zip(boxes, sizes):
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        placed.append(pos + np.array([x, y]))
        x, row = x + float(w), max(row, float(h))
    return placed


def _grid(result: Positions, nodes: list[Node], cell: tuple[float, float]) -> None:
    """Nodes without edges in rows below everything else, one ``cell`` each."""
    if result:
        xs = [x for x, _ in result.values()]
        ys = [y for _, y in result.values()]
        left, top, width = min(xs), max(ys) + 3 * cell[1], max(max(xs) - min(xs), cell[0])
    else:
        left, top, width = 0.0, 0.0, cell[0] * max(1.0, float(np.ceil(np.sqrt(len(nodes) * 3))))
    columns = max(1, int(width // cell[0]))
    for i, node in enumerate(nodes):
        row, column = divmod(i, columns)
        result[node] = (left + column * cell[0], top + row * cell[1])


def fitted_scale(
    result: Positions, radius: Mapping[Node, float] | None = None, view: tuple[float, float] = VIEW
) -> float:
    """The zoom at which vis-network's fit() shows every position (with its node's
    radius) in ``view``: it leaves a tenth of the range as margin."""
    if not result:
        return 1.0
    radius = radius or {}
    xs0 = min(x - radius.get(v, DEFAULT_RADIUS) for v, (x, _) in result.items())
    xs1 = max(x + radius.get(v, DEFAULT_RADIUS) for v, (x, _) in result.items())
    ys0 = min(y - radius.get(v, DEFAULT_RADIUS) for v, (_, y) in result.items())
    ys1 = max(y + radius.get(v, DEFAULT_RADIUS) for v, (_, y) in result.items())
    return min(view[0] / max(1.1 * (xs1 - xs0), 1e-9), view[1] / max(1.1 * (ys1 - ys0), 1e-9), 10.0)
