"""Analyst views of the store: an HTML relationship view, analytics, Gephi files.

``render_store`` -> self-contained HTML string; ``analyze`` -> :class:`Analytics`;
``write_network`` -> GraphML/GEXF file. All read the store's union graph through
:func:`kg.viz.network.load_network`.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

import networkx as nx

from kg.errors import InputError, KgError
from kg.store.oxigraph import OxigraphStore, open_store
from kg.viz.analytics import Analytics, analyze_network, format_table
from kg.viz.gephi import FORMATS, write_graph
from kg.viz.html import render_html
from kg.viz.network import cluster_world, find_node, load_network, neighbourhood
from kg.workspace import Workspace, atomic_write

__all__ = [
    "FORMATS",
    "Analytics",
    "analyze",
    "analyze_workspace",
    "export_workspace",
    "format_table",
    "load_network",
    "render_html",
    "render_store",
    "write_network",
    "write_view",
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
    return _render(load_network(store), focus=focus, depth=depth, cluster=cluster, title=title)


def _render(g: nx.MultiDiGraph, *, focus: str | None, depth: int, cluster: str | None, title: str) -> str:
    if focus is not None and cluster is not None:
        raise InputError("give either focus or cluster, not both")
    if focus is not None:
        centre = find_node(g, focus)
        return render_html(neighbourhood(g, focus, depth), title=title, focus=centre, view="focus")
    if cluster is not None:
        centre = find_node(g, cluster, frozenset({"Cluster"}))
        return render_html(cluster_world(g, cluster), title=title, focus=centre, view="world")
    return render_html(g, title=title)


def analyze(store: OxigraphStore) -> Analytics:
    """Centralities, components, communities and clusters per region of the store."""
    return analyze_network(load_network(store))


def write_network(store: OxigraphStore, path: Path | str, fmt: str) -> None:
    """Write the store's analyst graph as GraphML or GEXF (``fmt``) to ``path``."""
    write_graph(load_network(store), path, fmt)


# -- workspace level: what the CLI calls ---------------------------------------------------


def write_view(
    workspace: Path,
    output: Path | None = None,
    *,
    focus: str | None = None,
    depth: int = 1,
    cluster: str | None = None,
    title: str | None = None,
) -> Path:
    """Write the HTML view of a built workspace (default ``WORKSPACE/graph.html``),
    UTF-8, replacing the file only once it is complete; returns its path."""
    if focus is not None and cluster is not None:
        raise InputError("give either focus or cluster, not both")
    # The store is let go before the page is made: an open read-only store keeps RocksDB
    # threads busy (measured: the layout took three times the CPU with it open).
    g = load_network(open_store(Path(workspace), read_only=True))
    html = _render(g, focus=focus, depth=depth, cluster=cluster, title=title or _title(focus, cluster))
    path = Path(output) if output is not None else Workspace(workspace).html
    try:
        with atomic_write(path) as tmp:
            tmp.write_bytes(html.encode("utf-8"))
    except OSError as exc:
        raise KgError(f"{path}: cannot write the view: {exc}") from exc
    return path


def _title(focus: str | None, cluster: str | None) -> str:
    if focus:
        return f"kg: {focus}"
    if cluster:
        return f"kg: {cluster}"
    return "kg"


def analyze_workspace(workspace: Path) -> Analytics:
    """:func:`analyze` of a built workspace."""
    return analyze(open_store(Path(workspace), read_only=True))


def export_workspace(workspace: Path, fmt: str, output: Path | str | IO[bytes]) -> None:
    """Write a built workspace's graph as GraphML or GEXF to a path or binary stream."""
    write_graph(load_network(open_store(Path(workspace), read_only=True)), output, fmt)
