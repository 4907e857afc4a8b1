"""networkx analytics of the analyst's graph -> plain dataclasses (``kg stats``).

Degree counts every relation (edges of the MultiDiGraph, both directions).
Betweenness, components and communities are computed on the undirected simple
graph. Betweenness is exact up to :data:`EXACT_BETWEENNESS` nodes and estimated
from that many sampled sources above (networkx ``k=``, fixed seed: repeatable).
Communities: Louvain (``networkx.community.louvain_communities``, fixed seed).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass

import networkx as nx

ORGANISATIONS = frozenset({"Company", "Organization", "Authority"})
EXACT_BETWEENNESS = 500
TOP = 10
NO_REGION = "(регион не указан)"


@dataclass(frozen=True, slots=True)
class Ranked:
    """One entity with its centrality."""

    label: str
    cls: str
    degree: int
    betweenness: float
    iri: str


@dataclass(frozen=True, slots=True)
class Community:
    """One Louvain community: its size and its best-connected members."""

    size: int
    top: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RegionClusters:
    """The clusters located in one region."""

    region: str
    clusters: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Analytics:
    """What ``kg stats`` reports about the graph."""

    nodes: int
    edges: int
    classes: dict[str, int]
    top_organisations: tuple[Ranked, ...]
    top_people: tuple[Ranked, ...]
    components: int
    component_sizes: tuple[int, ...]  # largest first, at most TOP
    communities: tuple[Community, ...]  # largest first, at most TOP
    community_count: int
    modularity: float
    clusters_per_region: tuple[RegionClusters, ...]
    betweenness_sampled: bool

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def format(self) -> str:
        """The tables ``kg stats`` prints (``format_table``)."""
        return format_table(self)


def analyze_network(g: nx.MultiDiGraph, *, top: int = TOP, seed: int = 7) -> Analytics:
    """Centralities, components, communities and clusters per region of ``g``."""
    simple = nx.Graph(g.to_undirected(as_view=True))
    simple.remove_edges_from(nx.selfloop_edges(simple))
    n = simple.number_of_nodes()
    sampled = n > EXACT_BETWEENNESS
    between = (
        nx.betweenness_centrality(simple, k=EXACT_BETWEENNESS if sampled else None, seed=seed)
        if n
        else {}
    )

    def ranked(classes: frozenset[str]) -> tuple[Ranked, ...]:
        chosen = [v for v, d in g.nodes(data=True) if d["cls"] in classes]
        chosen.sort(key=lambda v: (-g.degree(v), -between.get(v, 0.0), g.nodes[v]["label"]))
        return tuple(
            Ranked(g.nodes[v]["label"], g.nodes[v]["cls"], int(g.degree(v)), round(between.get(v, 0.0), 6), v)
            for v in chosen[:top]
        )

    components = sorted((len(c) for c in nx.connected_components(simple)), reverse=True)
    parts = nx.community.louvain_communities(simple, seed=seed) if n else []
    modularity = nx.community.modularity(simple, parts) if simple.number_of_edges() else 0.0
    parts = sorted(parts, key=len, reverse=True)
    communities = tuple(
        Community(len(part), tuple(g.nodes[v]["label"] for v in sorted(part, key=lambda v: -g.degree(v))[:5]))
        for part in parts[:top]
    )
    per_region: dict[str, list[str]] = defaultdict(list)
    for _, d in g.nodes(data=True):
        if d["cls"] == "Cluster":
            for region in d["regions"] or [NO_REGION]:
                per_region[region].append(d["label"])
    return Analytics(
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        classes=dict(sorted(Counter(d["cls"] for _, d in g.nodes(data=True)).items())),
        top_organisations=ranked(ORGANISATIONS),
        top_people=ranked(frozenset({"Person"})),
        components=len(components),
        component_sizes=tuple(components[:top]),
        communities=communities,
        community_count=len(parts),
        modularity=round(modularity, 4),
        clusters_per_region=tuple(
            RegionClusters(region, tuple(sorted(names)))
            for region, names in sorted(per_region.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ),
        betweenness_sampled=sampled,
    )


def format_table(a: Analytics) -> str:
    """Plain-text tables of :class:`Analytics` for a terminal."""
    lines = [f"nodes: {a.nodes}", f"edges: {a.edges}"]
    lines += [f"  {cls}: {count}" for cls, count in a.classes.items()]
    note = " (betweenness estimated from a sample)" if a.betweenness_sampled else ""
    for title, rows in (("top organisations", a.top_organisations), ("top people", a.top_people)):
        lines.append(f"\n{title}{note}:")
        width = max((len(r.label) for r in rows), default=5)
        lines.append(f"  {'label':<{width}}  degree  betweenness")
        lines += [f"  {r.label:<{width}}  {r.degree:>6}  {r.betweenness:>11.4f}" for r in rows]
    sizes = ", ".join(map(str, a.component_sizes))
    lines.append(f"\nconnected components: {a.components} (largest: {sizes})")
    lines.append(f"communities (Louvain): {a.community_count}, modularity {a.modularity}")
    lines += [f"  {c.size:>5}  {'; '.join(c.top)}" for c in a.communities]
    lines.append("\nclusters per region:")
    lines += [f"  {r.region}: {len(r.clusters)} — {'; '.join(r.clusters)}" for r in a.clusters_per_region]
    return "\n".join(lines)
