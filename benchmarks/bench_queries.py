"""Median latency of every named query on a generated graph of about 1M triples.

Pyoxigraph (our embedded store) against rdflib's own SPARQL engine, on the same
data in the same run. The graph (benchmarks/query_graph.py) follows the RDF mapping
of docs/ARCHITECTURE.md; ``--shape concentrated`` is the stress shape of older runs.

    .venv/bin/python benchmarks/bench_queries.py                 # ~1M triples
    .venv/bin/python benchmarks/bench_queries.py --shape concentrated
    .venv/bin/python benchmarks/bench_queries.py --shape-of kg-out   # shape statistics of a workspace
    .venv/bin/python benchmarks/bench_queries.py --triples 100000 --repeats 3
    .venv/bin/python benchmarks/bench_queries.py --only officials-by-region --rdflib-cap 300
    .venv/bin/python benchmarks/bench_queries.py --store disk --rdflib-repeats 0   # as a kg workspace

Prints a Markdown table (paste it into BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef, Variable
from rdflib.term import Node

from kg.sparql import NamedQuery, list_queries
from kg.sparql.bind import bind
from kg.sparql.catalog import parse_query
from query_graph import CKG, SHAPES, Term, generate, shape_statistics

def to_ox(t: Term) -> ox.NamedNode | ox.Literal:
    if t[0] == "i":
        return ox.NamedNode(t[1])
    if t[2]:
        return ox.Literal(t[1], language=t[2])
    return ox.Literal(t[1], datatype=ox.NamedNode(t[3])) if t[3] else ox.Literal(t[1])


def to_rdflib(t: Term) -> Node:
    if t[0] == "i":
        return URIRef(t[1])
    if t[2]:
        return Literal(t[1], lang=t[2])
    return Literal(t[1], datatype=URIRef(t[3])) if t[3] else Literal(t[1])


def timed(call: Callable[[], int], repeats: int, budget: float) -> tuple[float, int, int]:
    """Median seconds over up to ``repeats`` runs (fewer once ``budget`` seconds are spent), rows, runs."""
    times: list[float] = []
    rows = 0
    spent = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        rows = call()
        elapsed = time.perf_counter() - start
        times.append(elapsed)
        spent += elapsed
        if spent > budget:
            break
    return statistics.median(times), rows, len(times)


def capped(call: Callable[[], int], repeats: int, budget: float, cap: float) -> tuple[float | None, int, int]:
    """Like ``timed(call, repeats, budget)``, in a forked child (it shares the loaded data);
    None when one run takes more than ``cap`` seconds (the child is then killed)."""
    context = mp.get_context("fork")
    parent, child = context.Pipe(duplex=False)

    def work() -> None:
        spent = 0.0
        for _ in range(repeats):
            start = time.perf_counter()
            rows = call()
            elapsed = time.perf_counter() - start
            child.send((elapsed, rows))
            spent += elapsed
            if spent > budget:
                break
        child.send(None)

    process = context.Process(target=work)
    process.start()
    times: list[float] = []
    rows = 0
    while parent.poll(cap):
        message = parent.recv()
        if message is None:
            process.join()
            return statistics.median(times), rows, len(times)
        elapsed, rows = message
        times.append(elapsed)
    process.kill()
    process.join()
    return None, 0, 0


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def required_params(q: NamedQuery, store: ox.Store) -> dict[str, str]:
    classes = {"cluster": "Cluster", "node": "Cluster", "subject": "Cluster", "person": "Person",
               "region": "Region"}
    params = {}
    for p in q.params:
        if p.required:
            cls = classes[p.name]
            sol = store.query(f"SELECT ?x (COUNT(*) AS ?n) WHERE {{ ?x a <{CKG}{cls}> ; ?p ?o }} "
                              "GROUP BY ?x ORDER BY DESC(?n) ?x LIMIT 1")
            params[p.name] = next(iter(sol))["x"].value  # type: ignore[call-overload,union-attr]
    return params


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shape", choices=SHAPES, default="realistic",
                        help="who is named with whom: realistic, or concentrated (the stress shape of older runs)")
    parser.add_argument("--shape-of", type=Path, default=None, metavar="WORKSPACE",
                        help="print the shape statistics of a kg workspace's store and stop")
    parser.add_argument("--repeats", type=int, default=7, help="runs per query on pyoxigraph (median)")
    parser.add_argument("--rdflib-repeats", type=int, default=3, help="runs per query on rdflib (median)")
    parser.add_argument("--rdflib-budget", type=float, default=60.0,
                        help="stop repeating an rdflib query after this many seconds")
    parser.add_argument("--rdflib-cap", type=float, default=300.0,
                        help="give up an rdflib run after this many seconds (reported as > cap)")
    parser.add_argument("--only", nargs="*", default=None, help="query names to run")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a directory of older .rq files: time each on pyoxigraph too, in the same run")
    parser.add_argument("--store", choices=["memory", "disk"], default="memory",
                        help="pyoxigraph in memory, or on disk (RocksDB in a temporary directory, as a kg workspace)")
    args = parser.parse_args(argv)
    if args.shape_of is not None:
        print(f"{args.shape_of}: {shape_statistics(ox.Store.read_only(str(args.shape_of / 'store')))}")
        return 0

    t0 = time.perf_counter()
    quads = generate(args.triples, args.seed, args.shape)
    t_gen = time.perf_counter() - t0
    scratch = tempfile.TemporaryDirectory(prefix="bench-queries-")
    store = ox.Store(scratch.name) if args.store == "disk" else ox.Store()
    t0 = time.perf_counter()
    store.bulk_extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in quads])  # type: ignore[arg-type]
    # As kg's store does: the default graph holds the union of the document graphs
    # as a set (Oxigraph's use_default_graph_as_union would be a bag).
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    t_ox = time.perf_counter() - t0
    dataset = Dataset(default_union=True)  # rdflib's union graph is a set (one entry per triple)
    t0 = time.perf_counter()
    cache: dict[Term, Node] = {}

    def term(t: Term) -> Node:
        node = cache.get(t)
        if node is None:
            node = cache[t] = to_rdflib(t)
        return node

    for s, p, o, g in quads if args.rdflib_repeats else []:
        dataset.add((term(s), term(p), term(o), term(g)))  # type: ignore[arg-type]
    t_rdflib = time.perf_counter() - t0
    union = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    print(f"graph: {len(quads):,} quads in {len({q[3] for q in quads}):,} document graphs "
          f"({args.shape} shape, seed {args.seed}; generated in {t_gen:.1f} s; loaded into pyoxigraph in {t_ox:.1f} s, "
          f"rdflib in {t_rdflib:.1f} s; distinct union triples {union:,})", file=sys.stderr)
    print(f"shape: {shape_statistics(store)}", file=sys.stderr)
    del quads, cache
    gc.collect()

    queries = [q for q in list_queries() if args.only is None or q.name in args.only]
    print(f"\n{len(queries)} named queries; pyoxigraph {args.store} store; medians of {args.repeats} "
          f"pyoxigraph runs and up to {args.rdflib_repeats} rdflib runs (each after one untimed pyoxigraph "
          f"warm-up); rdflib stopped after {args.rdflib_cap:g} s; load average {load()}\n")
    before = "| before ms | before / now " if args.baseline else ""
    print(f"| query {before}| pyoxigraph ms | rdflib ms | rdflib / pyoxigraph | rows (ox / rdflib) |")
    print(f"|---{'|---:|---:' if args.baseline else ''}|---:|---:|---:|---|")
    ratios: list[float] = []
    worst = 0.0
    for q in queries:
        params = required_params(q, store)
        terms = bind(q, params)
        subs = {ox.Variable(k): to_ox(("i", v.value)) for k, v in terms.items()}
        init = {Variable(k): URIRef(v.value) for k, v in terms.items()}

        def run_ox(q: NamedQuery = q, subs: dict = subs) -> int:  # type: ignore[type-arg]
            result = store.query(q.text, substitutions=subs)
            return 1 if isinstance(result, ox.QueryBoolean) else sum(1 for _ in result)  # type: ignore[union-attr]

        def run_rdflib(q: NamedQuery = q, init: dict = init) -> int:  # type: ignore[type-arg]
            result = dataset.query(q.text, initBindings=init)
            return 1 if result.type == "ASK" else len(result)

        run_ox()
        ox_median, ox_rows, _ = timed(run_ox, args.repeats, 1e9)
        worst = max(worst, ox_median)
        name = q.name
        if args.baseline:
            old = args.baseline / f"{q.name}.rq"
            if old.exists():
                older = parse_query(old.read_text(encoding="utf-8"), name=q.name, origin=str(old))
                run_ox(older)
                old_median, old_rows, _ = timed(lambda: run_ox(older), args.repeats, 1e9)
                same = "" if old_rows == ox_rows else f" (before: {old_rows} rows)"
                name += f"{same} | {old_median * 1000:.1f} | {old_median / ox_median:.1f}×"
            else:
                name += " | – | –"
        if not args.rdflib_repeats:
            print(f"| {name} | {ox_median * 1000:.1f} | – | – | {ox_rows} / – |", flush=True)
            continue
        rd_median, rd_rows, runs = capped(run_rdflib, args.rdflib_repeats, args.rdflib_budget, args.rdflib_cap)
        if rd_median is None:
            ratio = args.rdflib_cap / ox_median
            ratios.append(ratio)
            print(f"| {name} | {ox_median * 1000:.1f} | > {args.rdflib_cap * 1000:.0f} (stopped) | "
                  f"> {ratio:.0f}× | {ox_rows} / – |", flush=True)
            continue
        ratio = rd_median / ox_median if ox_median > 0 else float("inf")
        ratios.append(ratio)
        note = "" if runs == args.rdflib_repeats else f" ({runs} rdflib run{'s' if runs > 1 else ''})"
        print(f"| {name} | {ox_median * 1000:.1f} | {rd_median * 1000:.0f} | {ratio:.0f}× | "
              f"{ox_rows} / {rd_rows}{note} |", flush=True)
    print(f"\nslowest pyoxigraph median: {worst * 1000:.0f} ms; load average {load()}")
    if ratios:
        print(f"rdflib/pyoxigraph ratio: min {min(ratios):.0f}×, geometric mean "
              f"{statistics.geometric_mean(ratios):.0f}× (stopped rdflib runs counted at the cap), "
              f"max {max(ratios):.0f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
