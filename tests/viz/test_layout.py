"""Positions computed in Python: deterministic, distinct, components apart."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest

from kg.viz.layout import layout


def graphs() -> list[nx.Graph]:
    two_stars = nx.union(nx.star_graph(6), nx.star_graph(4), rename=("a", "b"))
    with_singletons = nx.union(nx.path_graph(5), nx.empty_graph(12), rename=("p", "s"))
    large = nx.gnm_random_graph(700, 1400, seed=3)  # above the exact-repulsion size
    return [nx.path_graph(2), two_stars, with_singletons, large, nx.MultiDiGraph(nx.cycle_graph(30))]


@pytest.mark.parametrize("g", graphs(), ids=["pair", "two-stars", "singletons", "large", "multidigraph"])
def test_layout_positions_are_distinct_and_finite(g: nx.Graph) -> None:
    pos = layout(g)
    assert set(pos) == set(g)
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    assert len(set(pos.values())) == len(pos)


@pytest.mark.parametrize("g", graphs(), ids=["pair", "two-stars", "singletons", "large", "multidigraph"])
def test_layout_no_edge_is_exactly_horizontal(g: nx.Graph) -> None:
    pos = layout(g)
    assert all(pos[u][1] != pos[v][1] for u, v in g.edges() if u != v)


def test_layout_is_deterministic() -> None:
    g = graphs()[1]
    assert layout(g) == layout(g.copy())


def test_layout_components_do_not_overlap() -> None:
    g = graphs()[2]
    pos = layout(g)
    boxes = []
    for component in nx.connected_components(g):
        xs = [pos[v][0] for v in component]
        ys = [pos[v][1] for v in component]
        boxes.append((min(xs), max(xs), min(ys), max(ys)))
    for a, b in itertools.combinations(boxes, 2):
        apart = a[1] < b[0] or b[1] < a[0] or a[3] < b[2] or b[3] < a[2]
        assert apart, (a, b)


def test_layout_neighbours_are_closer_than_strangers() -> None:
    g = nx.connected_caveman_graph(6, 6)
    pos = layout(g)

    def dist(u: int, v: int) -> float:
        return math.dist(pos[u], pos[v])

    linked = sum(dist(u, v) for u, v in g.edges()) / g.number_of_edges()
    pairs = [(u, v) for u, v in itertools.combinations(g, 2) if not g.has_edge(u, v)]
    unlinked = sum(dist(u, v) for u, v in pairs) / len(pairs)
    assert linked < unlinked / 2


def test_layout_empty() -> None:
    assert layout(nx.Graph()) == {}
