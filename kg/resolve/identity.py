"""Which nodes are one real entity: the records of every document -> one canonical node each.

``resolve(records_by_doc, curation, minter)`` is a pure function of the *set* of
documents' records (never of their order), so the graph after any sequence of builds
and removes equals a fresh build of the same documents.

Nodes are first the IRIs minted per document from ``(kind, key)``. Candidate links
between them come from the records' match keys (``kg.resolve.records``), each with a
rule and a rank; they are tried rank by rank, in a fixed order, with a union-find that
refuses a link joining two groups someone declared different (a curation ``different``
line, two reference entries, two regions). Blocking by key keeps the work linear in
the number of records: no pair of nodes is compared unless they share a key.

Rules, strongest first:

1. ``same`` lines of the curation file;
2. one reference-table entry (``ref:``);
3. one name key (``name:``), one cluster signature (``sig:``) — unless two nodes of
   one document carry it (the document itself tells them apart);
4. two names of one document read as one body (an abbreviation and its expansion);
5. a described cluster and *the* named cluster with its region and main sector;
6. a Latin and a Cyrillic name with one consonant skeleton, when no other name of
   either script has it;
7. a person named by a surname alone, or an initial and a surname, and the one full-name
   person with that surname (and initial) in the document's region, of the same gender when the
   surname alone says one.
"""

from __future__ import annotations

import gc
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from kg.mapping.iri import IriMinter
from kg.model import Kind
from kg.resolve.curation import Curation
from kg.resolve.names import fold
from kg.resolve.records import EntityRecord
from kg.resolve.reference import Reference

_GROUP_OF = {Kind.CLUSTER.value: "cluster", Kind.PERSON.value: "person"}


@dataclass(frozen=True, slots=True)
class Canonical:
    """What every document writes for a node of a merged group."""

    iri: str
    key: str  # the key the canonical IRI was minted from (posts are minted from keys)
    label: str
    wikidata: str | None = None

    def digest_part(self) -> str:
        return f"{self.iri}\t{self.key}\t{self.label}\t{self.wikidata or ''}"


@dataclass(frozen=True, slots=True)
class Group:
    """One real entity: its nodes, canonical form and every name seen."""

    canonical: Canonical
    members: tuple[str, ...]
    names: tuple[str, ...]
    rules: tuple[str, ...]  # the rules that joined its members


@dataclass(frozen=True, slots=True)
class Resolution:
    """Node IRI -> its canonical form, for every node whose document must write something
    other than what it read (another IRI, label or a Wikidata link)."""

    canonical: Mapping[str, Canonical] = field(default_factory=dict)
    groups: tuple[Group, ...] = ()

    def get(self, iri: str) -> Canonical | None:
        return self.canonical.get(iri)

    def digest(self, iris: Iterable[str]) -> str:
        """What the resolution means for a document with these nodes (equal digests: same graph)."""
        import hashlib

        parts = sorted(f"{iri}\t{c.digest_part()}" for iri in set(iris) if (c := self.canonical.get(iri)))
        return hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()


@dataclass(slots=True)
class _Node:
    """What resolution keeps of a node: a summary of its records, never the records (so memory grows
    with the nodes, not with the documents that name them)."""

    iri: str
    key: str
    kind: str
    docs: int = 0  # documents that name it
    refs: set[str] = field(default_factory=set)  # reference entries of any record
    regions: set[str] = field(default_factory=set)  # regions of its descriptions (records not named)
    names: set[str] = field(default_factory=set)  # every name of any record (curation lines find it by them)
    keys: set[str] = field(default_factory=set)
    links: dict[str, None] = field(default_factory=dict)  # linked IRIs, in the order first read
    kinds: set[str] = field(default_factory=set)
    named: bool = False  # a record names it
    # of each document's last record of the node (what the document says of it):
    labels: Counter[str] = field(default_factory=Counter)
    named_labels: Counter[str] = field(default_factory=Counter)
    doc_names: set[str] = field(default_factory=set)
    doc_refs: set[str] = field(default_factory=set)

    def add(self, record: EntityRecord) -> None:
        """A record of a document (any of them)."""
        if record.ref:
            self.refs.add(record.ref)
        if record.region and not record.named:
            self.regions.add(record.region)
        self.names.update(record.names)
        self.keys.update(record.keys)
        for link in record.links:
            self.links.setdefault(link)
        self.kinds.add(record.kind)
        self.named = self.named or record.named

    def add_document(self, record: EntityRecord) -> None:
        """The last record of the node in one document."""
        self.docs += 1
        self.labels[record.label] += 1
        if record.named:
            self.named_labels[record.label] += 1
        self.doc_names.update(record.names)
        if record.ref:
            self.doc_refs.add(record.ref)


class _Groups:
    """Union-find over node indexes that keeps, per group, what it must never join."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.apart: list[set[str]] = [set() for _ in range(size)]  # tokens: "ref:x", "region:RU-X", "not:<n>"
        self.rules: list[set[str]] = [set() for _ in range(size)]

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int, rule: str, *, curated: bool = False) -> bool:
        """Join two groups unless they must stay apart (a person's ``same`` overrides every
        guard but a person's ``different``)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if _conflict(self.apart[ra], self.apart[rb], curated):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.apart[ra] |= self.apart[rb]
        self.rules[ra] |= self.rules[rb] | {rule}
        return True


def _conflict(a: set[str], b: set[str], curated: bool = False) -> bool:
    for token in a:
        kind, _, value = token.partition(":")
        if kind in ("ref", "region") and not curated and any(t.startswith(kind + ":") and t != token for t in b):
            return True
        if kind == "not" and f"is:{value}" in b:
            return True
        if kind == "is" and f"not:{value}" in b:
            return True
    return False


def resolve(records: Mapping[str, Iterable[EntityRecord]], minter: IriMinter,
            curation: Curation = Curation(), reference: Reference | None = None) -> Resolution:
    """Group the nodes of all documents' records into real entities (``resolve_stream`` of the
    documents in order)."""
    return resolve_stream(((doc, records[doc]) for doc in sorted(records)), minter, curation, reference)


def resolve_stream(documents: Iterable[tuple[str, Iterable[EntityRecord]]], minter: IriMinter,
                   curation: Curation = Curation(), reference: Reference | None = None) -> Resolution:
    """``resolve`` of documents read one at a time, in document order (each document once; as
    ``IdentityIndex.records`` gives them): only a summary per node is kept, never the records.

    The cyclic garbage collector is paused meanwhile: the objects built here all live
    until the end, and its full collections, triggered by their number, made the time
    per record grow with the workspace (measured in ``benchmarks/bench_resolve.py``).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _resolve(documents, minter, curation, reference)
    finally:
        if enabled:
            gc.enable()


def _summarise(documents: Iterable[tuple[str, Iterable[EntityRecord]]]) -> tuple[dict[str, _Node], set[str]]:
    """Every node's summary, and the scoped ``sig:`` keys two nodes of one document carry (that
    document tells them apart)."""
    nodes: dict[str, _Node] = {}
    shared: set[str] = set()
    for _, doc_records in documents:
        last: dict[str, EntityRecord] = {}
        carriers: dict[str, str] = {}
        for record in doc_records:
            node = nodes.get(record.iri)
            if node is None:
                node = nodes[record.iri] = _Node(record.iri, record.key, record.kind)
            node.add(record)
            last[record.iri] = record
            for key in record.keys:
                if key.startswith("sig:"):
                    scoped = _scoped(node.kind, key)
                    if carriers.setdefault(scoped, node.iri) != node.iri:
                        shared.add(scoped)
        for iri, record in last.items():
            nodes[iri].add_document(record)
    return nodes, shared


def _resolve(documents: Iterable[tuple[str, Iterable[EntityRecord]]], minter: IriMinter,
             curation: Curation, reference: Reference | None) -> Resolution:
    nodes, shared = _summarise(documents)
    order = sorted(nodes)
    index = {iri: n for n, iri in enumerate(order)}
    groups = _Groups(len(order))
    for n, iri in enumerate(order):
        node = nodes[iri]
        groups.apart[n] |= {f"ref:{ref}" for ref in node.refs}
        if node.kind == Kind.CLUSTER.value:
            groups.apart[n] |= {f"region:{region}" for region in node.regions}
    lookup = _Lookup(order, nodes, index, minter) if curation.same or curation.different else None
    for n, (a, b) in enumerate(curation.different):
        assert lookup is not None
        for member in lookup(a):
            groups.apart[member].add(f"is:{n}")
        for member in lookup(b):
            groups.apart[member].add(f"not:{n}")
    for a, b in curation.same:
        assert lookup is not None
        for x in lookup(a):
            for y in lookup(b):
                groups.union(x, y, "curation", curated=True)
    blocks: dict[str, list[int]] = defaultdict(list)
    for n, iri in enumerate(order):
        for key in sorted(nodes[iri].keys):
            blocks[_scoped(nodes[iri].kind, key)].append(n)
    for prefix, rule in (("ref:", "reference"), ("name:", "name"), ("sig:", "signature")):
        for key in sorted(k for k in blocks if k.partition(" ")[2].startswith(prefix)):
            members = blocks[key]
            if len(members) < 2 or (prefix == "sig:" and key in shared):
                continue
            for other in members[1:]:
                groups.union(members[0], other, rule)
    for n, iri in enumerate(order):
        # a link failed once fails again (groups only grow apart), so each is tried once, in reading order
        for link in nodes[iri].links:
            if link in index and not _other_authority(nodes[iri], nodes[link]):
                groups.union(n, index[link], "same text")
    _named_signatures(blocks, groups)
    _skeletons(blocks, groups, order, nodes)
    _person_parts(blocks, groups)
    return _canonical(order, nodes, groups, minter, reference)


def _scoped(kind: str, key: str) -> str:
    """Keys compare only within one group of classes: a cluster never joins an organisation."""
    return f"{_GROUP_OF.get(kind, 'org')} {key}"


class _Lookup:
    """The nodes a curation line means: an IRI (a node's, or the canonical IRI of a reference
    entry) or a name (every node that carries it, case, ё and quotes ignored)."""

    def __init__(self, order: list[str], nodes: dict[str, _Node], index: dict[str, int], minter: IriMinter) -> None:
        self.index = index
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_ref_iri: dict[str, list[int]] = defaultdict(list)
        for n, iri in enumerate(order):
            node = nodes[iri]
            for name in sorted({fold(name) for name in node.names}):
                self.by_name[name].append(n)
            for ref in sorted(node.refs):
                self.by_ref_iri[minter.entity(Kind(node.kind), f"ref:{ref}")].append(n)

    def __call__(self, term: str) -> list[int]:
        if term.startswith(("http://", "https://")):
            if term in self.index:
                return [self.index[term]]
            return self.by_ref_iri.get(term, [])
        return self.by_name.get(fold(term), [])


def _other_authority(a: _Node, b: _Node) -> bool:
    """Two authorities of which only one is in the reference table: the table knows every name of
    the bodies it holds, so the other is another body («Минсельхоз» of one country beside the
    «Министерство сельского хозяйства …» of another)."""
    if a.kinds | b.kinds != {Kind.AUTHORITY.value}:
        return False
    return bool(a.refs) != bool(b.refs)


def _named_signatures(blocks: dict[str, list[int]], groups: _Groups) -> None:
    """A described cluster (``sig:R:S``) joins the one named cluster group with ``nsig:R:S``."""
    for key in sorted(k for k in blocks if k.startswith("cluster nsig:")):
        described = blocks.get(key.replace(" nsig:", " sig:", 1), [])
        named = {groups.find(n) for n in blocks[key]}
        if described and len(named) == 1:
            target = next(iter(named))
            for n in described:
                groups.union(target, n, "named signature")


def _skeletons(blocks: dict[str, list[int]], groups: _Groups, order: list[str], nodes: dict[str, _Node]) -> None:
    """A Latin name and a Cyrillic one with one skeleton, each the only group of its script."""
    for key in sorted(k for k in blocks if k.startswith("org skel:latin:")):
        other = blocks.get(key.replace(" skel:latin:", " skel:cyrillic:", 1))
        if not other:
            continue
        latin = {groups.find(n) for n in blocks[key]}
        cyrillic = {groups.find(n) for n in other}
        if len(latin) == 1 and len(cyrillic) == 1:
            groups.union(next(iter(latin)), next(iter(cyrillic)), "transliteration")


def _person_parts(blocks: dict[str, list[int]], groups: _Groups) -> None:
    """A surname alone (``psur:S@R``) or an initial and a surname (``pin:I S@R``) joins the one
    full-name group with ``per:S@R`` (``per:I S@R``): «Орлов» in a Kursk document is the Kursk
    «Алексей Орлов» unless another Orlov has a full name there."""
    for prefix in ("person psur:", "person pin:"):
        for key in sorted(k for k in blocks if k.startswith(prefix)):
            full = {groups.find(n) for n in blocks.get("person per:" + key[len(prefix):], [])}
            if len(full) == 1:
                target = next(iter(full))
                for n in blocks[key]:
                    groups.union(target, n, "person name parts")


def _canonical(order: list[str], nodes: dict[str, _Node], groups: _Groups, minter: IriMinter,
               reference: Reference | None) -> Resolution:
    members: dict[int, list[int]] = defaultdict(list)
    for n in range(len(order)):
        members[groups.find(n)].append(n)
    refs = {e.id: e for e in reference.by_key.values()} if reference else {}
    canonical: dict[str, Canonical] = {}
    out: list[Group] = []
    for root in sorted(members):
        group = [nodes[order[n]] for n in members[root]]
        labels: Counter[str] = Counter()
        named_labels: Counter[str] = Counter()
        names: set[str] = set()
        ref_ids = set()
        for node in group:
            labels.update(node.labels)
            named_labels.update(node.named_labels)
            names.update(node.doc_names)
            ref_ids.update(node.doc_refs)
        entry = refs.get(min(ref_ids)) if ref_ids else None
        if entry is not None:
            kind = Kind(group[0].kind)
            key = f"ref:{entry.id}"
            iri, label, wikidata = minter.entity(kind, key), entry.label, entry.wikidata
        else:
            best = min(group, key=lambda node: (not node.named, -node.docs, node.iri))
            iri, key = best.iri, best.key
            pool = named_labels or labels
            label = min(pool, key=lambda name: (-pool[name], not name[:1].isupper(), -len(name), name))
            wikidata = None
        if len(group) == 1 and len(labels) == 1 and entry is None:
            continue
        form = Canonical(iri, key, label, wikidata)
        for node in group:
            canonical[node.iri] = form
        out.append(Group(form, tuple(sorted(node.iri for node in group)), tuple(sorted(names - {label})),
                         tuple(sorted(groups.rules[root]))))
    return Resolution(canonical, tuple(out))
