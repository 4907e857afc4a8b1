"""Analytics of the analyst's graph against networkx computed directly."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from kg.store.oxigraph import OxigraphStore
from kg.viz import analyze
from kg.viz.analytics import Analytics, analyze_network, format_table


@pytest.fixture(scope="module")
def analytics(sample_store: OxigraphStore) -> Analytics:
    return analyze(sample_store)


def simple(g: nx.MultiDiGraph) -> nx.Graph:
    return nx.Graph(g.to_undirected(as_view=True))


@pytest.mark.parametrize(("field", "classes"), [
    ("top_organisations", {"Company", "Organization", "Authority"}),
    ("top_people", {"Person"}),
])
def test_analytics_top_by_degree(
    analytics: Analytics, sample_graph: nx.MultiDiGraph, field: str, classes: set[str]
) -> None:
    rows = getattr(analytics, field)
    assert rows
    assert {r.cls for r in rows} <= classes
    assert [r.degree for r in rows] == sorted((r.degree for r in rows), reverse=True)
    expected = nx.betweenness_centrality(simple(sample_graph))
    for r in rows:
        assert r.degree == sample_graph.degree(r.iri)
        assert r.betweenness == pytest.approx(expected[r.iri], abs=1e-6)


def test_analytics_components_match_networkx(analytics: Analytics, sample_graph: nx.MultiDiGraph) -> None:
    sizes = sorted((len(c) for c in nx.connected_components(simple(sample_graph))), reverse=True)
    assert analytics.components == len(sizes)
    assert list(analytics.component_sizes) == sizes[: len(analytics.component_sizes)]


def test_analytics_communities_partition_the_graph(analytics: Analytics, sample_graph: nx.MultiDiGraph) -> None:
    assert sum(c.size for c in analytics.communities) == sample_graph.number_of_nodes()
    assert analytics.community_count == len(analytics.communities)
    assert -0.5 <= analytics.modularity <= 1


def test_analytics_clusters_per_region(analytics: Analytics, sample_graph: nx.MultiDiGraph) -> None:
    expected: dict[str, set[str]] = {}
    for _, d in sample_graph.nodes(data=True):
        if d["cls"] == "Cluster":
            for region in d["regions"]:
                expected.setdefault(region, set()).add(d["label"])
    assert {r.region: set(r.clusters) for r in analytics.clusters_per_region} == expected


def test_analytics_two_components_are_counted() -> None:
    g = nx.MultiDiGraph()
    for name in "abcd":
        g.add_node(name, label=name, cls="Person", alt=[], regions=[], dates=[], posts=[], sources=[])
    g.add_edge("a", "b", key="x")
    g.add_edge("c", "d", key="x")
    result = analyze_network(g)
    assert (result.components, result.component_sizes) == (2, (2, 2))


def test_analytics_json_and_table(analytics: Analytics) -> None:
    data = json.loads(analytics.to_json())
    assert data["nodes"] == analytics.nodes
    assert data["top_people"][0]["label"] == analytics.top_people[0].label
    table = format_table(analytics)
    for row in analytics.top_organisations:
        assert row.label in table


def test_analytics_empty_graph() -> None:
    result = analyze_network(nx.MultiDiGraph())
    assert (result.nodes, result.components, result.community_count) == (0, 0, 0)
