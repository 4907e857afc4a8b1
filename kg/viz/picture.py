"""The picture of the analyst's graph shared by the HTML page and the GEXF file: the
overview (:mod:`kg.viz.overview`), informative labels (:mod:`kg.viz.labels`), node
sizes and positions (:mod:`kg.viz.layout`), and the order in which labels are drawn.

Sizes and positions are in the page's canvas units. Sizes are chosen as radii on
screen at the zoom at which the overview fits a 1600x1000 window (clusters the
largest, by their members), so they depend on that zoom: a first layout guesses it,
the second makes room for nodes of those sizes and for the cluster and region labels,
which spreads the picture; the sizes are then set again at the zoom measured on it,
and nodes a grown cluster would cover are moved out of its disc. Agreements and events, folded in the
overview, get positions next to what they bind, for when they are shown as nodes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np

from kg.viz.labels import CLUSTER_LINE_MAX, LABEL_MAX, describe, fact_parts, plural, shorten
from kg.viz.layout import DEFAULT_RADIUS, fitted_scale, layout
from kg.viz.overview import FACT_CLASSES, Overview, fold

LABEL_FONT = 12  # px on screen, at every zoom (static/labels.js draws the labels)
SUB_FONT = 11  # px, a label's second line
CHAR_WIDTH = 0.70  # of the font size: Cyrillic glyphs of sans-serif measured in Chromium: 0.62-0.73
SHOW_FACTS_MAX = 400  # graphs of up to this many nodes open with everything shown, facts as nodes
# Label priority by class (lower first): what an analyst reads first gets its label first.
RANK = {"Cluster": 0, "Region": 1, "Authority": 2, "Company": 2, "Organization": 2, "Country": 3,
        "Settlement": 3, "Sector": 3, "Person": 4, "Agreement": 5, "Event": 5}
BOXED = ("Cluster", "Region")  # classes whose labels the layout makes room for
BOXED_MAX = 80
GAP_PX = 2.0  # screen pixels kept between a cluster's disc and the discs around it


@dataclass(frozen=True, slots=True)
class Picture:
    """What the page and Gephi draw: see the module docstring."""

    overview: Overview
    labels: dict[str, tuple[str, str, str]]  # node -> (full label, line drawn, second line or "")
    sizes: dict[str, float]  # node -> radius in canvas units
    positions: dict[Hashable, tuple[float, float]]
    scale: float  # the zoom at which the overview fits the reference window
    rank: dict[str, int]  # node -> its place in the order labels are drawn
    parts: dict[str, tuple[str, list[str], str]]  # fact -> its label's parts (kg.viz.labels.fact_parts)


def picture(g: nx.MultiDiGraph) -> Picture:
    """The :class:`Picture` of ``g`` (a graph from :func:`kg.viz.network.load_network`)."""
    ov = fold(g)
    parts = {n: fact_parts(g, n) for n, d in g.nodes(data=True) if d["cls"] in FACT_CLASSES}
    described = {node: describe(g, node, parts.get(node)) for node in g}
    _disambiguate(g, described)
    screen = _screen_sizes(g, ov)
    # Room is made for the labels of clusters (largest first), then regions: at most
    # BOXED_MAX, as more could not all be read at the fitted zoom anyway.
    boxed = [v for v in ov.graph if g.nodes[v]["cls"] in BOXED and ov.graph.degree(v) > 0]
    boxed.sort(key=lambda v: (BOXED.index(g.nodes[v]["cls"]), -screen[v], str(v)))
    boxes = {v: _label_box(described[v], g.nodes[v]["cls"]) for v in boxed[:BOXED_MAX]}
    linked = [v for v in ov.graph if ov.graph.degree(v) > 0]
    first = layout(ov.graph.subgraph(linked), steps=120)  # only its size is wanted
    # The zoom the picture will fit at, with some room for what the sizes and labels add.
    scale = 0.8 * fitted_scale(first, {v: DEFAULT_RADIUS for v in first}) if first else 1.0
    sizes = {v: round(r / scale, 1) for v, r in screen.items()}
    alone = [v for v in ov.graph if ov.graph.degree(v) == 0]
    widest = max((_label_box(described[v], g.nodes[v]["cls"])[0] for v in alone), default=0.0)
    cell = (min(max(widest, 120.0), 340.0) + 16.0) / scale, 46.0 / scale
    shown = "all" if g.number_of_nodes() <= SHOW_FACTS_MAX else "linked"
    positions = layout(ov.graph, radius=sizes, boxes=boxes, cell=cell, shown=shown, box_scale=scale)
    # The layout makes room for the label boxes and spreads the picture wider than the
    # first guess: the sizes are set again at the zoom measured on the result (so a cluster
    # is drawn 10-22 px at the fitted zoom), and what a grown disc would cover is moved out.
    fit = [v for v in ov.graph if shown == "all" or ov.graph.degree(v) > 0]
    for _ in range(4):
        measured = fitted_scale({v: positions[v] for v in fit}, sizes)
        if measured >= scale:  # drawn at least as large as planned
            break
        scale = measured * 0.995
        sizes = {v: math.ceil(r / scale * 10) / 10 for v, r in screen.items()}
        _clear_discs(g, ov.graph, positions, sizes, GAP_PX / scale)
    facts = sorted((n for n, d in g.nodes(data=True) if d["cls"] in FACT_CLASSES), key=str)
    _place_facts(g, positions, facts, 1.0 / scale)
    order = sorted(g, key=lambda v: (RANK.get(g.nodes[v]["cls"], 6), -sizes[v], described[v][0], str(v)))
    return Picture(ov, described, sizes, positions, scale, {v: i for i, v in enumerate(order)}, parts)


def _label_box(label: tuple[str, str, str], cls: str) -> tuple[float, float]:
    """Screen size (px) of a label as static/labels.js draws it: a bold line for a
    cluster, and a smaller second line when there is one."""
    _, line, sub = label
    size = LABEL_FONT + (1 if cls == "Cluster" else 0)
    width = len(line) * size * CHAR_WIDTH + 8
    height = size + 4.0
    if sub:
        width = max(width, len(sub) * SUB_FONT * CHAR_WIDTH + 8)
        height += SUB_FONT + 2
    return width, height


def _screen_sizes(g: nx.MultiDiGraph, ov: Overview) -> dict[str, float]:
    """Radius on screen (px) at the fitted zoom of the overview: clusters by their
    members, and always the largest; the others by their links."""
    sizes: dict[str, float] = {}
    for node, data in g.nodes(data=True):
        if data["cls"] == "Cluster":
            sizes[node] = min(22.0, 10.0 + 2.0 * math.sqrt(ov.members.get(node, 0)))
        elif data["cls"] in FACT_CLASSES:
            sizes[node] = 3.5
        else:
            degree = ov.graph.degree(node) if node in ov.graph else 0
            sizes[node] = min(8.0, 3.5 + 0.9 * math.sqrt(degree))
    return sizes


def _clear_discs(g: nx.MultiDiGraph, ov: nx.Graph, positions: dict[Hashable, tuple[float, float]],
                 sizes: dict[str, float], gap: float) -> None:
    """Move every entity whose disc a cluster's disc (grown to its size at the measured
    zoom) covers out along the line from the cluster's centre, to ``gap`` beyond its rim.
    Clusters themselves stay: the layout has kept their label boxes apart."""
    clusters = [v for v in ov if g.nodes[v]["cls"] == "Cluster" and ov.degree(v) > 0]
    others = [v for v in ov if g.nodes[v]["cls"] != "Cluster" and ov.degree(v) > 0]
    if not clusters or not others:
        return
    centres = np.array([positions[v] for v in clusters])
    reach = np.array([sizes[v] for v in clusters]) + gap
    pos = np.array([positions[v] for v in others])
    r = np.array([sizes[v] for v in others])
    for c, (cx, cy) in enumerate(centres):
        dx, dy = pos[:, 0] - cx, pos[:, 1] - cy
        d = np.hypot(dx, dy)
        need = reach[c] + r
        inside = d < need
        if not inside.any():
            continue
        # a node on the very centre goes straight up, away from the label under the star
        ux = np.where(d > 1e-9, dx / np.maximum(d, 1e-9), 0.0)
        uy = np.where(d > 1e-9, dy / np.maximum(d, 1e-9), -1.0)
        pos[inside, 0] = cx + ux[inside] * need[inside]
        pos[inside, 1] = cy + uy[inside] * need[inside]
    for v, (x, y), (x0, y0) in zip(others, pos, (positions[v] for v in others)):
        if (x, y) == (x0, y0):
            continue
        y = round(float(y), 1)
        if any(positions[u][1] == y for u in ov[v]):  # no exactly horizontal edge (kg.viz.layout)
            y += 0.5
        positions[v] = (round(float(x), 1), y)


def _place_facts(g: nx.MultiDiGraph, positions: dict[Hashable, tuple[float, float]],
                 facts: list[str], unit: float) -> None:
    """Put each fact next to what it names: the middle of those, nudged along a spiral
    so that facts of the same entities do not sit on one another."""
    crowd: dict[tuple[int, int], int] = defaultdict(int)
    succ, pred = g.succ, g.pred  # adjacency, not out_edges()/in_edges(): no view per call
    for fact in facts:
        ends = [v for v in succ[fact] if v in positions] + [u for u in pred[fact] if u in positions]
        if ends:
            x = sum(positions[v][0] for v in ends) / len(ends)
            y = sum(positions[v][1] for v in ends) / len(ends)
        else:
            x, y = 0.0, 0.0
        key = (round(x / (30 * unit)), round(y / (30 * unit)))
        k = crowd[key]
        crowd[key] += 1
        angle, distance = k * 2.399963, (14.0 + 9.0 * math.sqrt(k)) * unit  # golden angle
        positions[fact] = (round(x + distance * math.cos(angle), 1), round(y + 10.0 * unit + distance * math.sin(angle), 1))


def _disambiguate(g: nx.MultiDiGraph, described: dict[str, tuple[str, str, str]]) -> None:
    """Entities of one class drawn with one label get what tells them apart, kept
    short: a cluster its number of members, another entity its other name; else the
    number of sentences it was read in; else its place among them."""
    seen: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for node, (_, short, sub) in described.items():
        if g.nodes[node]["cls"] not in FACT_CLASSES:
            seen[(g.nodes[node]["cls"], short.casefold(), sub.casefold())].append(node)
    for same in seen.values():
        if len(same) < 2:
            continue

        def members(node: str) -> str:
            count = sum(1 for _, _, d in g.out_edges(node, data=True) if d.get("rel") == "hasMember")
            return plural(count, ("участник", "участника", "участников"))

        def other_name(node: str) -> str:
            data = g.nodes[node]
            return next((a for a in data["alt"] if a.casefold() != data["label"].casefold()), "")

        def sources(node: str) -> str:
            return plural(len(g.nodes[node]["sources"]), ("упоминание", "упоминания", "упоминаний"))

        cluster = g.nodes[same[0]]["cls"] == "Cluster"
        kinds = [members, sources] if cluster else [other_name, sources]
        extras = [""] * len(same)
        for kind in kinds:
            extras = [kind(node) for node in same]
            if all(extras) and len(set(extras)) == len(extras):
                break
        else:
            extras = [f"{e}, №{i + 1}" if e else f"№{i + 1}" for i, e in enumerate(extras)]
        for node, extra in zip(same, extras):
            full, short, sub = described[node]
            if cluster:  # on the second line
                line = f"{sub}; {extra}" if sub else extra
                described[node] = (f"{full}, {extra}", short, shorten(line, CLUSTER_LINE_MAX + 14))
                continue
            base = short[:-1] if short.endswith("…") else short
            room = LABEL_MAX - len(extra) - 2
            described[node] = (f"{full}, {extra}", f"{shorten(base, room) if len(base) > room else short}, {extra}", sub)
