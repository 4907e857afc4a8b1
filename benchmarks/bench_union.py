"""The union graph kg push keeps: what it costs to upload, and what reading it gives on each server.

    .venv/bin/python benchmarks/bench_union.py -w WORKSPACE [--servers oxigraph virtuoso]

Starts each server as the tests do (``tests/servers.py``: a stock Oxigraph server, in memory,
without ``--union-default-graph``; Virtuoso in a throwaway database), pushes the workspace
with the union graph forced on (``kg.store.remote.push(..., union=True)``), and prints:

1. the time of a push of every document graph without the union graph, and of the union
   graph alone (its size in triples and bytes): the cost a push pays when anything changed;
2. for every named query (required parameters bound as in tests/sparql/test_sparql_remote.py)
   the number of rows on the workspace, and on the server reading the server's default graph
   (``--default-graph server``) and reading the union graph (``--default-graph <union>``).

Used for BENCHMARKS.md, "The union graph of kg push".
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "sparql")]


def start(name: str) -> tuple[subprocess.Popen[bytes], str, str, tuple[str | None, str | None, str]]:
    """A running server: its process, query URL, Graph Store URL and (user, password, auth)."""
    import servers

    if name == "oxigraph":
        process, port = servers.start_oxigraph(union=False)
        base = f"http://127.0.0.1:{port}"
        return process, f"{base}/query", f"{base}/store", (None, None, "basic")
    directory = Path(tempfile.mkdtemp(prefix="bench-union-virtuoso-"))
    sql, http = servers.free_port(), servers.free_port()
    ini = servers.virtuoso_ini(directory, sql, http)
    binary = servers.find_binary("virtuoso-t")
    assert binary is not None, "Virtuoso is not installed"
    process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=directory,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http}"
    servers.wait_http(f"{base}/sparql?query=ASK%7B%7D", process, 120)
    return process, f"{base}/sparql", f"{base}/sparql-graph-crud-auth", ("dba", "dba", "digest")


def main() -> None:
    import servers
    from test_sparql_remote import param_cases

    from kg.sparql import query
    from kg.store.oxigraph import open_store
    from kg.store.remote import UNION_GRAPH, Endpoint, push

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-w", "--workspace", type=Path, required=True)
    parser.add_argument("--servers", nargs="+", default=["oxigraph", "virtuoso"])
    args = parser.parse_args()
    store = open_store(args.workspace, read_only=True)
    triples = sum(1 for _ in store.triples())
    cases = [(q, p) for q, p in param_cases(store) if all(q.param(n).required for n in p)]  # type: ignore[union-attr]
    print(f"workspace {args.workspace}: {len(store.documents())} documents, union {triples} triples")
    for name in args.servers:
        process, query_url, store_url, (user, password, auth) = start(name)
        try:
            gsp = Endpoint(store_url, user, password, auth, timeout=600)
            started = time.perf_counter()
            push(args.workspace, gsp, store=store, force=True, union=False)
            documents = time.perf_counter() - started
            default = counts(cases, store, Endpoint(query_url, user, password, auth, timeout=600,
                                                    default_graph="server"))
            started = time.perf_counter()
            push(args.workspace, gsp, store=store, union=True)
            union = time.perf_counter() - started
            read = counts(cases, store, Endpoint(query_url, user, password, auth, timeout=600,
                                                 default_graph=UNION_GRAPH))
            size = sum(len(line) for line in _union_lines(store))
            print(f"\n{name}: push of the document graphs {documents:.1f} s; union graph alone {union:.1f} s "
                  f"({triples} triples, {size / 2**20:.1f} MiB N-Triples, {union / documents:.2f}x)")
            print(f"{'query':36} {'workspace':>9} {'server default':>14} {'union graph':>11}   (server default: "
                  "before the union graph was pushed)")
            for named, params in cases:
                rows = _size(query(named, store=store, params=params))
                got = (default[named.name], read[named.name])
                flags = [what for what, n in zip(("server default", "union graph"), got, strict=True) if n != rows]
                note = f"   <- {', '.join(flags)} differ" if flags else ""
                print(f"{named.name:36} {rows!s:>9} {got[0]!s:>14} {got[1]!s:>11}{note}")
        finally:
            servers.stop(process)


def counts(cases: list[tuple[object, dict[str, object]]], store: object, endpoint: object) -> dict[str, object]:
    """Each case's answer size on ``endpoint``, by query name."""
    from kg.sparql import query

    return {named.name: _size(query(named, endpoint=endpoint, params=params))  # type: ignore[arg-type,attr-defined]
            for named, params in cases}


def _size(answer: object) -> object:
    """Rows: how many; a graph: how many triples; ASK: the boolean."""
    from kg.sparql import Rows, Turtle

    if isinstance(answer, Rows):
        return len(answer)
    if isinstance(answer, str):
        return f"{len(Turtle(answer).triples())}t"
    return answer


def _union_lines(store: object) -> list[bytes]:
    import io

    buffer = io.BytesIO()
    store._store.dump(buffer, __import__("pyoxigraph").RdfFormat.N_TRIPLES,  # type: ignore[attr-defined]
                      from_graph=__import__("pyoxigraph").DefaultGraph())
    return buffer.getvalue().splitlines(keepends=True)


if __name__ == "__main__":
    main()
