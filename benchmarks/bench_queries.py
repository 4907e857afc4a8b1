"""Median latency of every named query on a generated graph of about 1M triples.

Pyoxigraph (our embedded store) against rdflib's own SPARQL engine, on the same
data in the same run. The graph follows the RDF mapping of docs/ARCHITECTURE.md:
one named graph per document, entities re-described in every document that
mentions them, NIF mentions, org:Post nodes, agreements and events.

    .venv/bin/python benchmarks/bench_queries.py                 # ~1M triples
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
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef, Variable
from rdflib.term import Node

from kg.sparql import NamedQuery, list_queries
from kg.sparql.catalog import parse_query
from kg.sparql.bind import bind

BASE = "https://w3id.org/cluster-kg/id/"
CKG = "https://w3id.org/cluster-kg/ontology#"
ORG = "http://www.w3.org/ns/org#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV = "http://www.w3.org/ns/prov#wasDerivedFrom"
DCT = "http://purl.org/dc/terms/"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ITS = "http://www.w3.org/2005/11/its/rdf#taIdentRef"
XSD = "http://www.w3.org/2001/XMLSchema#"

# A term: ("i", iri) | ("l", text, lang or None, datatype or None)
Term = tuple[str, ...]
Quad = tuple[Term, Term, Term, Term]


def i(value: str) -> Term:
    return ("i", value)


def lit(value: str, lang: str = "", datatype: str = "") -> Term:
    return ("l", value, lang, datatype)


@dataclass
class Pools:
    regions: list[tuple[str, str]]
    countries: list[tuple[str, str]]
    foreign_regions: list[tuple[str, str, str]]
    settlements: list[tuple[str, str, str]]
    sectors: list[tuple[str, str]]
    clusters: list[tuple[str, str]]
    orgs: list[tuple[str, str]]
    persons: list[tuple[str, str]]


def make_pools(rng: random.Random, scale: int) -> Pools:
    regions = [(f"{BASE}region/r{k}", f"Регион {k}") for k in range(85)]
    countries = [(f"{BASE}country/c{k}", f"Страна {k}") for k in range(30)]
    foreign = [(f"{BASE}region/f{k}", f"Провинция {k}", countries[k % 30][0]) for k in range(40)]
    settlements = [(f"{BASE}place/s{k}", f"Город {k}", regions[k % 85][0]) for k in range(600)]
    sectors = [(f"{BASE}sector/x{k}", f"отрасль {k}") for k in range(40)]
    clusters = [(f"{BASE}cluster/k{k}", f"Кластер {k}") for k in range(max(50, scale // 3))]
    orgs = [(f"{BASE}org/o{k}", f"Организация {k}") for k in range(max(200, scale * 3))]
    persons = [(f"{BASE}person/p{k}", f"Имя Фамилия {k}") for k in range(max(200, scale * 2))]
    return Pools(regions, countries, foreign, settlements, sectors, clusters, orgs, persons)


def skewed(rng: random.Random, items: list[tuple[str, ...]]) -> tuple[str, ...]:
    """A few items are popular (a Pareto choice), as real organisations are."""
    index = min(len(items) - 1, int(rng.paretovariate(1.2)) - 1 + rng.randrange(len(items)) // 50)
    return items[index]


def document(rng: random.Random, pools: Pools, n: int) -> Iterator[Quad]:
    doc = f"{BASE}doc/d{n}"
    g = i(doc)
    words: list[str] = []
    mentions: list[tuple[str, int, int, str]] = []

    def say(label: str, target: str) -> None:
        start = sum(len(w) + 1 for w in words)
        words.append(label)
        mentions.append((target, start, start + len(label), label))

    def q(s: str, p: str, o: Term) -> Quad:
        return (i(s), i(p), o, g)

    def entity(iri: str, label: str, *classes: str) -> Iterator[Quad]:
        for cls in classes:
            yield q(iri, RDF_TYPE, i(CKG + cls))
        yield q(iri, RDFS_LABEL, lit(label, "ru"))
        yield q(iri, PROV, g)
        say(label, iri)

    year = rng.randrange(2005, 2025)
    date = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    region, region_name = rng.choice(pools.regions)
    cluster, cluster_name = skewed(rng, pools.clusters)
    # A cluster has one home and one sector, whichever document names it.
    home = int(cluster.rsplit("k", 1)[-1])
    place, place_name, place_region = pools.settlements[home % len(pools.settlements)]
    sector, sector_name = pools.sectors[home % len(pools.sectors)]
    yield from entity(place_region, f"Регион {place_region.rsplit('r', 1)[-1]}", "Region")
    yield from entity(place, place_name, "Settlement")
    yield q(place, CKG + "locatedIn", i(place_region))
    yield from entity(sector, sector_name, "Sector")
    yield from entity(cluster, cluster_name, "Cluster")
    yield q(cluster, CKG + "locatedIn", i(place if home % 2 else place_region))
    yield q(cluster, CKG + "sector", i(sector))
    if rng.random() < 0.3:
        yield from entity(region, region_name, "Region")
    members = [skewed(rng, pools.orgs) for _ in range(rng.randrange(1, 5))]
    for org, org_name in members:
        yield from entity(org, org_name, "Company", "Organization")
        yield q(cluster, ORG + "hasMember", i(org))
        if rng.random() < 0.3:
            yield q(org, CKG + "locatedIn", i(place))
    if rng.random() < 0.3:
        yield q(cluster, CKG + "basedOn", i(members[0][0]))
    authority = f"{BASE}org/gov-{place_region.rsplit('/', 1)[-1]}"
    yield from entity(authority, f"Правительство {place_region.rsplit('r', 1)[-1]}", "Authority", "Organization")
    yield q(authority, CKG + "locatedIn", i(place_region))
    yield q(cluster, CKG + "initiatedBy", i(authority))
    people = [skewed(rng, pools.persons) for _ in range(2)]
    for (person, person_name), (unit, title) in zip(
            people, [(authority, "заместитель губернатора"), (members[0][0], "директор")], strict=True):
        yield from entity(person, person_name, "Person")
        post = f"{BASE}post/{person.rsplit('/', 1)[-1]}-{unit.rsplit('/', 1)[-1]}"
        yield q(post, RDF_TYPE, i(ORG + "Post"))
        yield q(post, ORG + "heldBy", i(person))
        yield q(person, ORG + "holds", i(post))
        yield q(post, CKG + "title", lit(title, "ru"))
        yield q(post, ORG + "postIn", i(unit))
        yield q(post, RDFS_LABEL, lit(f"{title}: {person_name}", "ru"))
        yield q(post, PROV, g)
        say(title, post)
    if rng.random() < 0.15:
        fr, fr_name, country = rng.choice(pools.foreign_regions)
        partner = f"{BASE}org/foreign{rng.randrange(400)}"
        yield from entity(country, f"Страна {country.rsplit('c', 1)[-1]}", "Country")
        yield from entity(fr, fr_name, "Region")
        yield q(fr, CKG + "locatedIn", i(country))
        yield from entity(partner, f"Зарубежная компания {partner[-3:]}", "Organization")
        yield q(partner, CKG + "locatedIn", i(fr))
        members.append((partner, "partner"))
    if rng.random() < 0.5:
        agreement = f"{BASE}agreement/a{n}"
        yield q(agreement, RDF_TYPE, i(CKG + "Agreement"))
        yield q(agreement, CKG + "agreementType", lit("соглашение о сотрудничестве", "ru"))
        yield q(agreement, RDFS_LABEL, lit(f"соглашение {n}", "ru"))
        yield q(agreement, DCT + "date", lit(date, datatype=XSD + "date"))
        yield q(agreement, CKG + "about", i(cluster))
        yield q(agreement, CKG + "locatedIn", i(place))
        for party in (authority, members[-1][0]):
            yield q(agreement, CKG + "party", i(party))
        for person, _ in people:
            yield q(agreement, CKG + "signatory", i(person))
        yield q(agreement, PROV, g)
        say("подписали соглашение", agreement)
    if rng.random() < 0.5:
        event = f"{BASE}event/e{n}"
        yield q(event, RDF_TYPE, i(CKG + "Event"))
        yield q(event, CKG + "eventType", lit("совещание", "ru"))
        yield q(event, RDFS_LABEL, lit("совещание", "ru"))
        yield q(event, DCT + "date", lit(str(year), datatype=XSD + "gYear"))
        yield q(event, CKG + "locatedIn", i(place))
        yield q(event, CKG + "about", i(cluster))
        for org, _ in members:
            yield q(event, CKG + "participant", i(org))
        yield q(event, PROV, g)
        say("прошло совещание", event)
    text = " ".join(words)
    yield q(doc, RDF_TYPE, i(CKG + "Document"))
    yield q(doc, RDF_TYPE, i(NIF + "Context"))
    yield q(doc, NIF + "isString", lit(text))
    yield q(doc, NIF + "beginIndex", lit("0", datatype=XSD + "nonNegativeInteger"))
    yield q(doc, NIF + "endIndex", lit(str(len(text)), datatype=XSD + "nonNegativeInteger"))
    yield q(doc, DCT + "identifier", lit(f"d{n}"))
    yield q(doc, DCT + "date", lit(date, datatype=XSD + "date"))
    for target, start, stop, anchor in mentions:
        m = f"{doc}#char={start},{stop}"
        yield q(m, RDF_TYPE, i(NIF + "Phrase"))
        yield q(m, NIF + "referenceContext", g)
        yield q(m, NIF + "beginIndex", lit(str(start), datatype=XSD + "nonNegativeInteger"))
        yield q(m, NIF + "endIndex", lit(str(stop), datatype=XSD + "nonNegativeInteger"))
        yield q(m, NIF + "anchorOf", lit(anchor))
        yield q(m, ITS, i(target))


def generate(target: int, seed: int) -> list[Quad]:
    rng = random.Random(seed)
    pools = make_pools(rng, target // 150)
    quads: list[Quad] = []
    n = 0
    while len(quads) < target:
        quads.extend(dict.fromkeys(document(rng, pools, n)))  # a graph is a set
        n += 1
    return quads


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

    t0 = time.perf_counter()
    quads = generate(args.triples, args.seed)
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
          f"(seed {args.seed}; generated in {t_gen:.1f} s; loaded into pyoxigraph in {t_ox:.1f} s, "
          f"rdflib in {t_rdflib:.1f} s; distinct union triples {union:,})", file=sys.stderr)
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
