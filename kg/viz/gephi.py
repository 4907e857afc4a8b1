"""GraphML and GEXF files of the analyst's graph, for Gephi.

Both formats hold only scalar attributes, so lists become ``"; "``-joined strings
and sources become one line per sentence (``[doc id] sentence``). Node ids are
the entity IRIs; each node also has ``label``, ``cls`` (Gephi partitions by it) and
``title`` (the informative label the page draws: a cluster with its region, an
agreement with its parties and date).

GEXF also carries the page's picture (:mod:`kg.viz.picture`), so Gephi opens it as
the page does: ``viz:color`` by class, ``viz:size``, ``viz:position`` (y pointing up,
as Gephi has it), and spells for its timeline: a fact exists on its date (the days it
covers), an entity or a relation from the first day of the documents it was read in on,
so the network grows as the news comes in.
"""

from __future__ import annotations

import calendar
from pathlib import Path
from typing import IO, Any, Literal

import networkx as nx

from kg.errors import KgError
from kg.facts import drawn_classes
from kg.viz.network import Source

FORMATS = ("graphml", "gexf")
OTHER_COLOUR = "#a9a9a9"  # a node of a class the view has no style for
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


def day_span(value: str) -> tuple[str, str] | None:
    """The first and last real day an ISO date (full or partial) covers; None without a year.

    >>> day_span("2024-02"), day_span("2023"), day_span("2024-03-15"), day_span("--04-09")
    (('2024-02-01', '2024-02-29'), ('2023-01-01', '2023-12-31'), ('2024-03-15', '2024-03-15'), None)
    """
    if len(value) < 4 or not value[:4].isdigit():
        return None
    if len(value) >= 10:
        return value[:10], value[:10]
    if len(value) >= 7 and value[5:7].isdigit() and 1 <= int(value[5:7]) <= 12:
        last = calendar.monthrange(int(value[:4]), int(value[5:7]))[1]
        return value[:7] + "-01", f"{value[:7]}-{last:02d}"
    return value[:4] + "-01-01", value[:4] + "-12-31"


def spells(dates: list[str], own: str = "") -> list[tuple[str, str | None]]:
    """Gephi spells: the days of ``own`` date when given (a fact), else from the first
    day of ``dates`` on (open-ended); none without a dated year.

    >>> spells(["2024-05-02", "2023-11"]), spells(["2024-05-02"], own="2024-03")
    ([('2023-11-01', None)], [('2024-03-01', '2024-03-31')])
    """
    if own and (span := day_span(own)):
        return [span]
    starts = [s[0] for d in dates if (s := day_span(d))]
    return [(min(starts), None)] if starts else []


def _rgb(colour: str) -> dict[str, int | float]:
    value = int(colour.lstrip("#"), 16)
    return {"r": (value >> 16) & 255, "g": (value >> 8) & 255, "b": value & 255, "a": 1.0}


def gexf_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """:func:`flatten` of ``g`` with the page's picture (viz) and spells, ready for GEXF."""
    from kg.viz.picture import picture  # the page's picture: layout and labels, only for GEXF

    colours = {c.name: c.style.color for c in drawn_classes()}  # the page's class colours

    pic = picture(g)
    flat = flatten(g)
    for node, data in flat.nodes(data=True):
        source = g.nodes[node]
        x, y = pic.positions[node]
        data["title"] = pic.labels[node][0]
        data["viz"] = {
            "color": _rgb(colours.get(source["cls"], OTHER_COLOUR)),
            "size": pic.sizes[node],
            "position": {"x": round(float(x), 1), "y": round(-float(y), 1), "z": 0.0},
        }
        found = spells(source.get("dates", []), source.get("date", ""))
        if found:
            data["spells"] = found
    for u, v, key, data in flat.edges(keys=True, data=True):
        found = spells(g.edges[u, v, key].get("dates", []))
        if found:
            data["spells"] = found
    return flat


def write_graph(g: nx.MultiDiGraph, path: Path | str | IO[bytes], fmt: str) -> None:
    """Write ``g`` to ``path`` (a file name or a binary stream) as GraphML or GEXF."""
    if fmt not in FORMATS:
        raise KgError(f"unknown network format {fmt!r}; choose one of {', '.join(FORMATS)}")
    try:
        target = str(path) if isinstance(path, (str, Path)) else path
        if fmt == "graphml":
            nx.write_graphml(flatten(g), target, encoding="utf-8")
        else:
            nx.write_gexf(gexf_graph(g), target, encoding="utf-8", version="1.2draft")
    except OSError as exc:
        raise KgError(f"{path}: cannot write the {fmt} file: {exc}") from exc
