"""The overview: entities only, with agreements and events folded into edges and counts.

A workspace of a few thousand documents holds far more agreements and events than
entities (86% of the nodes at 3,000 generated documents); drawn as nodes they bury the
clusters. Here each fact becomes

- edges between what it binds: its parties or participants to what it is about
  (``ckg:about``), or, with nothing it is about, its parties to each other; one edge
  per pair of entities carries every fact that joins them (:class:`Folded`);
- counts on every entity it names (parties, signatories, witnesses, what it is about,
  its place): ``counts[node]["Agreement"]``.

The overview graph is undirected and simple; an edge's ``weight`` is the number of
relations and facts joining its ends. Louvain communities (fixed seed) are computed
on it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx

from kg.facts import node_classes
from kg.viz.labels import ABOUT, PARTIES

# Fact classes: drawn as nodes only on demand.
FACT_CLASSES = tuple(c.name for c in node_classes())
CLIQUE_MAX = 6  # parties joined pairwise up to this many; more are joined to the first one
SEED = 7


@dataclass(frozen=True, slots=True)
class Folded:
    """The facts of one class that join two entities (``u`` < ``v``)."""

    u: str
    v: str
    cls: str
    facts: tuple[str, ...]


@dataclass(slots=True)
class Overview:
    """The entity graph of the overview and what was folded into it."""

    graph: nx.Graph
    folded: list[Folded]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    community: dict[str, int] = field(default_factory=dict)  # node -> community, 0 the largest
    members: dict[str, int] = field(default_factory=dict)  # cluster -> number of members

    def isolated(self) -> list[str]:
        """Entities with no edge in the overview, in graph order."""
        return [n for n in self.graph if self.graph.degree(n) == 0]


def _pairs(members: list[str], anchors: list[str]) -> list[tuple[str, str]]:
    if anchors:
        pairs = [(m, a) for m in members for a in anchors if m != a]
        return pairs or list(combinations(anchors, 2))[:CLIQUE_MAX]
    if len(members) <= CLIQUE_MAX:
        return list(combinations(members, 2))
    return [(members[0], m) for m in members[1:]]


def fold(g: nx.MultiDiGraph, *, seed: int = SEED) -> Overview:
    """The overview of ``g`` (a graph from :func:`kg.viz.network.load_network`)."""
    facts = {n for n, d in g.nodes(data=True) if d["cls"] in FACT_CLASSES}
    ov = nx.Graph()
    ov.add_nodes_from(n for n in g if n not in facts)
    for u, v, data in g.edges(data=True):
        if u in facts or v in facts or u == v:
            continue
        if ov.has_edge(u, v):
            ov[u][v]["weight"] += 1
        else:
            ov.add_edge(u, v, weight=1)
    joined: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    node_data, succ, pred = g.nodes, g.succ, g.pred  # adjacency, not out_edges(): no view per call
    for fact in sorted(facts, key=lambda f: (node_data[f]["cls"], node_data[f].get("date") or "", f)):
        cls = node_data[fact]["cls"]
        members: list[str] = []
        anchors: list[str] = []
        named: set[str] = set()
        for target, keyed in succ[fact].items():
            if target in facts:
                continue
            named.add(target)
            for data in keyed.values():
                rel = data.get("rel")
                if rel in PARTIES and target not in members:
                    members.append(target)
                elif rel in ABOUT and target not in anchors:
                    anchors.append(target)
        for source in pred[fact]:
            if source not in facts:
                named.add(source)
        for node in named:
            counts[node][cls] += 1
        for a, b in _pairs(members, anchors):
            u, v = (a, b) if a < b else (b, a)
            joined[(u, v, cls)].append(fact)
    folded = [Folded(u, v, cls, tuple(fs)) for (u, v, cls), fs in sorted(joined.items())]
    for f in folded:
        if ov.has_edge(f.u, f.v):
            ov[f.u][f.v]["weight"] += len(f.facts)
        else:
            ov.add_edge(f.u, f.v, weight=len(f.facts))
    members_of = {
        n: sum(1 for _, _, d in g.out_edges(n, data=True) if d.get("rel") == "hasMember")
        for n, d in g.nodes(data=True) if d["cls"] == "Cluster"
    }
    overview = Overview(ov, folded, {n: dict(c) for n, c in counts.items()}, members=members_of)
    overview.community = communities(ov, seed=seed)
    return overview


def communities(ov: nx.Graph, *, seed: int = SEED) -> dict[str, int]:
    """Louvain communities of the overview (weighted), numbered from the largest; a node
    without edges is a community of its own."""
    if ov.number_of_edges() == 0:
        return {n: i for i, n in enumerate(ov)}
    parts = nx.community.louvain_communities(ov, weight="weight", seed=seed)
    parts = sorted(parts, key=lambda p: (-len(p), min(p)))
    return {n: i for i, part in enumerate(parts) for n in part}
