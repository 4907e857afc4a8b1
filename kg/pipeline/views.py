"""The views of a workspace, written together: graph.ttl, graph.trig and graph.html.

graph.ttl (the union graph) and graph.trig (every named graph) are Oxigraph's dumps,
each in a thread of its own (they release the GIL), while graph.html is rendered in
the calling thread; on two cores the views take the time of the longest. The files are
written to temporary files that replace the old ones together once all are written
(``atomic_write_all``); when one cannot be written (a full disk) none is replaced.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kg.errors import StoreError
from kg.mapping.vocab import PREFIXES
from kg.store.base import Store
from kg.store.oxigraph import OxigraphStore
from kg.workspace import Workspace, atomic_write, atomic_write_all

VIEWS = ("graph.ttl", "graph.trig", "graph.html")


def write_dump(store: Store, path: Path, fmt: str, prefixes: dict[str, str] = PREFIXES) -> Path:
    """``store.dump`` in format ``fmt`` to ``path``, via a temporary file."""
    with atomic_write(path) as tmp:
        store.dump(str(tmp), fmt, prefixes)
    return path


def write_views(store: OxigraphStore, workspace: Path | Workspace, *, html: bool = True) -> tuple[Path, ...]:
    """Write graph.ttl, graph.trig and (unless ``html`` is false) graph.html of ``workspace``;
    their paths, in that order. They replace the old views together, or, when one cannot
    be written (a full disk), none does and StoreError says so."""
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    paths = (ws.ttl, ws.trig, ws.html) if html else (ws.ttl, ws.trig)
    try:
        with atomic_write_all(paths) as tmps, ThreadPoolExecutor(2, thread_name_prefix="kg-views") as pool:
            dumps = [pool.submit(store.dump, str(tmps[0]), "turtle", PREFIXES),
                     pool.submit(store.dump, str(tmps[1]), "trig", PREFIXES)]
            try:
                if html:
                    from kg.viz import render_store  # networkx and the page templates: only when writing views

                    tmps[2].write_text(render_store(store, title=f"kg: {ws.path.name}"), encoding="utf-8")
            finally:
                for dump in dumps:
                    dump.result()
    except OSError as exc:
        names = [path.name for path in paths]
        kept = f"{', '.join(names[:-1])} and {names[-1]}"
        raise StoreError(f"{ws.path}: cannot write the views ({exc.strerror or exc}); the store is up to date "
                         f"and the previous {kept} are kept") from exc
    return paths
