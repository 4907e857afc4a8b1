"""The generated graph of ``bench_queries.py``, and the shape statistics of a graph.

The graph follows the RDF mapping of docs/ARCHITECTURE.md: one named graph per
document, entities re-described in every document that mentions them, NIF mentions,
org:Post nodes, agreements and events. Two shapes of who is named with whom:

- ``realistic`` (default): Zipf draws over the whole pools. A cluster's news names
  its own members (a handful, up to a few dozen for the clusters most in the news);
  3 members in 100 are a big corporation drawn from the whole pool, so a few
  organisations belong to many clusters; a post's holder is one of a few people of
  its region or company.
- ``concentrated``: the draw the benchmark used until 2026-11-27 (a Pareto rank plus
  ``randrange(n) // 50``): almost every draw falls in the first 2% of a pool, so
  members sit in ~24 clusters and a person holds ~35 posts. Kept as a stress test.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

SHAPES = ("realistic", "concentrated")

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


def skewed(rng: random.Random, n: int) -> int:
    """The draw of the "concentrated" shape: a Pareto rank plus ``randrange(n) // 50``,
    so almost every draw falls in the first 2% of the pool (a stress shape)."""
    return min(n - 1, int(rng.paretovariate(1.2)) - 1 + rng.randrange(n) // 50)


class Zipf:
    """Ranks 0 … n-1 with probability proportional to 1 / (rank + 1) ** s."""

    def __init__(self, n: int, s: float) -> None:
        self.cumulative = list(itertools.accumulate(1 / (k + 1) ** s for k in range(n)))

    def draw(self, rng: random.Random) -> int:
        rank = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
        return min(rank, len(self.cumulative) - 1)


class Shape:
    """Which cluster a document is about, which organisations it names as members and
    which people hold its two posts; ``realistic`` (the default) or ``concentrated``."""

    def __init__(self, name: str, pools: Pools) -> None:
        self.name = name
        self.pools = pools
        n_clusters, n_orgs = len(pools.clusters), len(pools.orgs)
        # Every cluster of the pool can be named; a few are in the news much more often.
        self.cluster_rank = Zipf(n_clusters, 0.9)
        # A cluster's own members: ranks from its own place in the organisation pool,
        # the first few named in most of its news, up to 40 over many documents.
        self.member_rank = Zipf(40, 1.0)
        # Big corporations: 3 members in 100 are drawn from the whole pool, so the most
        # popular ones belong to many clusters.
        self.big_rank = Zipf(n_orgs, 1.1)
        # A regional government has a few deputy governors over the years; a company a
        # few directors. People of neighbouring units overlap, so some hold several posts.
        self.official_rank = Zipf(12, 1.0)
        self.director_rank = Zipf(4, 1.5)

    def cluster(self, rng: random.Random) -> int:
        if self.name == "concentrated":
            return skewed(rng, len(self.pools.clusters))
        return self.cluster_rank.draw(rng)

    def member(self, rng: random.Random, cluster: int) -> int:
        n = len(self.pools.orgs)
        if self.name == "concentrated":
            return skewed(rng, n)
        if rng.random() < 0.03:
            return n - 1 - self.big_rank.draw(rng)
        return (cluster * n // len(self.pools.clusters) + self.member_rank.draw(rng)) % n

    def person(self, rng: random.Random, region: int | None, org: int | None) -> int:
        """The holder of a deputy governor's post in ``region`` or a director's in ``org``."""
        n = len(self.pools.persons)
        if self.name == "concentrated":
            return skewed(rng, n)
        if region is not None:
            return (region * n // len(self.pools.regions) + self.official_rank.draw(rng)) % n
        assert org is not None
        return (org * n // len(self.pools.orgs) + self.director_rank.draw(rng)) % n


def document(rng: random.Random, pools: Pools, shape: Shape, n: int) -> Iterator[Quad]:
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
    home = shape.cluster(rng)
    cluster, cluster_name = pools.clusters[home]
    # A cluster has one home and one sector, whichever document names it.
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
    member_indices = [shape.member(rng, home) for _ in range(rng.randrange(1, 5))]
    members = [pools.orgs[k] for k in member_indices]
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
    home_region = int(place_region.rsplit("r", 1)[-1])
    people = [pools.persons[shape.person(rng, home_region, None)],
              pools.persons[shape.person(rng, None, member_indices[0])]]
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


def generate(target: int, seed: int, shape: str = "realistic") -> list[Quad]:
    rng = random.Random(seed)
    pools = make_pools(rng, target // 150)
    draws = Shape(shape, pools)
    quads: list[Quad] = []
    n = 0
    while len(quads) < target:
        quads.extend(dict.fromkeys(document(rng, pools, draws, n)))  # a graph is a set
        n += 1
    return quads


SHAPE_QUERY = """
PREFIX ckg: <https://w3id.org/cluster-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?what (COUNT(?x) AS ?n) (AVG(?k) AS ?mean) (MAX(?k) AS ?max) WHERE {
  { SELECT ("clusters named" AS ?what) ?x (0 AS ?k) WHERE { SELECT DISTINCT ?x WHERE { ?x a ckg:Cluster } } }
  UNION
  { SELECT ("clusters per member organisation" AS ?what) ?x (COUNT(DISTINCT ?c) AS ?k)
    WHERE { ?c org:hasMember ?x } GROUP BY ?x }
  UNION
  { SELECT ("members per cluster with members" AS ?what) ?x (COUNT(DISTINCT ?m) AS ?k)
    WHERE { ?x org:hasMember ?m } GROUP BY ?x }
  UNION
  { SELECT ("posts per person holding one" AS ?what) ?x (COUNT(DISTINCT ?post) AS ?k)
    WHERE { ?post org:heldBy ?x } GROUP BY ?x }
}
GROUP BY ?what ORDER BY ?what
"""


def shape_statistics(store: ox.Store) -> str:
    """Clusters named; member organisations and the clusters each is in; members per
    cluster; posts per person (count, mean, max) in the default graph of ``store``."""
    parts = []
    solutions = store.query(SHAPE_QUERY)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        what, n, mean, most = (row[k].value for k in ("what", "n", "mean", "max"))
        parts.append(f"{what}: {int(n):,}" if what == "clusters named"
                     else f"{what}: {int(n):,} of them, mean {float(mean):.1f}, max {most}")
    return "; ".join(parts)
