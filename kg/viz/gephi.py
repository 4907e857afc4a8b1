"""GraphML and GEXF files of the analyst's graph, for Gephi.

Both formats hold only scalar attributes, so lists become ``"; "``-joined strings
and sources become one line per sentence (``[doc id] sentence``). Node ids are
the entity IRIs; each node also has ``label`` and ``cls`` (Gephi partitions by it).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, Literal

import networkx as nx

from kg.errors import KgError
from kg.viz.network import Source

FORMATS = ("graphml", "gexf")
Format = Literal["graphml", "gexf"]


def _flat(value: Any) -> str | int | float | bool:
    if isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], Source):
            return "\n".join(f"[{s.doc_id}] {s.sentence}" for s in value)
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def flatten(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``g`` whose attributes are all strings or numbers."""
    flat = nx.MultiDiGraph()
    for node, data in g.nodes(data=True):
        flat.add_node(node, **{k: _flat(v) for k, v in data.items()}, degree=int(g.degree(node)))
    for u, v, key, data in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **{k: _flat(x) for k, x in data.items()})
    return flat


def write_graph(g: nx.MultiDiGraph, path: Path | str | IO[bytes], fmt: str) -> None:
    """Write ``g`` to ``path`` (a file name or a binary stream) as GraphML or GEXF."""
    if fmt not in FORMATS:
        raise KgError(f"unknown network format {fmt!r}; choose one of {', '.join(FORMATS)}")
    flat = flatten(g)
    try:
        target = str(path) if isinstance(path, (str, Path)) else path
        if fmt == "graphml":
            nx.write_graphml(flat, target, encoding="utf-8")
        else:
            nx.write_gexf(flat, target, encoding="utf-8")
    except OSError as exc:
        raise KgError(f"{path}: cannot write the {fmt} file: {exc}") from exc
