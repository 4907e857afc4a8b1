"""Analyst views of the store: an HTML relationship view, analytics, Gephi files.

``render_store`` -> self-contained HTML string; ``analyze`` -> :class:`Analytics`;
``write_network`` -> GraphML/GEXF file. All read the store's union graph through
:func:`kg.viz.network.load_network`.
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.store.oxigraph import OxigraphStore
from kg.viz.analytics import Analytics, analyze_network, format_table
from kg.viz.gephi import FORMATS, write_graph
from kg.viz.html import render_html
from kg.viz.network import cluster_world, load_network, neighbourhood

__all__ = [
    "FORMATS",
    "Analytics",
    "analyze",
    "format_table",
    "load_network",
    "render_html",
    "render_store",
    "write_network",
]


def render_store(
    store: OxigraphStore,
    *,
    focus: str | None = None,
    depth: int = 1,
    cluster: str | None = None,
    title: str = "kg",
) -> str:
    """The HTML relationship view of the store (or of one entity's neighbourhood,
    or of one cluster's world)."""
    if focus is not None and cluster is not None:
        raise InputError("give either focus or cluster, not both")
    g = load_network(store)
    if focus is not None:
        g = neighbourhood(g, focus, depth)
    elif cluster is not None:
        g = cluster_world(g, cluster)
    return render_html(g, title=title)


def analyze(store: OxigraphStore) -> Analytics:
    """Centralities, components, communities and clusters per region of the store."""
    return analyze_network(load_network(store))


def write_network(store: OxigraphStore, path: Path | str, fmt: str) -> None:
    """Write the store's analyst graph as GraphML or GEXF (``fmt``) to ``path``."""
    write_graph(load_network(store), path, fmt)
