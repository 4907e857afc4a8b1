"""The views of a workspace, written together: graph.ttl, graph.trig and graph.html.

graph.ttl (the union graph) and graph.trig (every named graph) are Oxigraph's dumps,
each in a thread of its own (they release the GIL), while graph.html is rendered in
the calling thread; on two cores the views take the time of the longest. Each file is
written to a temporary file and then replaces the old one (``atomic_write``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kg.mapping.vocab import PREFIXES
from kg.store.base import Store
from kg.store.oxigraph import OxigraphStore
from kg.workspace import Workspace, atomic_write

VIEWS = ("graph.ttl", "graph.trig", "graph.html")


def write_dump(store: Store, path: Path, fmt: str, prefixes: dict[str, str] = PREFIXES) -> Path:
    """``store.dump`` in format ``fmt`` to ``path``, via a temporary file."""
    with atomic_write(path) as tmp:
        store.dump(str(tmp), fmt, prefixes)
    return path


def write_views(store: OxigraphStore, workspace: Path | Workspace, *, html: bool = True) -> tuple[Path, ...]:
    """Write graph.ttl, graph.trig and (unless ``html`` is false) graph.html of ``workspace``;
    their paths, in that order."""
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    with ThreadPoolExecutor(2, thread_name_prefix="kg-views") as pool:
        ttl = pool.submit(write_dump, store, ws.ttl, "turtle")
        trig = pool.submit(write_dump, store, ws.trig, "trig")
        if not html:
            return ttl.result(), trig.result()
        from kg.viz import render_store  # networkx and the page templates: only when writing views

        with atomic_write(ws.html) as tmp:
            tmp.write_text(render_store(store, title=f"kg: {ws.path.name}"), encoding="utf-8")
        return ttl.result(), trig.result(), ws.html
