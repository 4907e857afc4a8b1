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
   either script has it.
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
    iri: str
    key: str
    kind: str
    records: list[tuple[str, EntityRecord]] = field(default_factory=list)  # (doc, record)

    @property
    def docs(self) -> set[str]:
        return {doc for doc, _ in self.records}


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
    """Group the nodes of all documents' records into real entities.

    The cyclic garbage collector is paused meanwhile: the objects built here all live
    until the end, and its full collections, triggered by their number, made the time
    per record grow with the workspace (measured in ``benchmarks/bench_resolve.py``).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _resolve(records, minter, curation, reference)
    finally:
        if enabled:
            gc.enable()


def _resolve(records: Mapping[str, Iterable[EntityRecord]], minter: IriMinter,
             curation: Curation, reference: Reference | None) -> Resolution:
    nodes: dict[str, _Node] = {}
    for doc in sorted(records):
        for record in records[doc]:
            node = nodes.get(record.iri)
            if node is None:
                node = nodes[record.iri] = _Node(record.iri, record.key, record.kind)
            node.records.append((doc, record))
    order = sorted(nodes)
    index = {iri: n for n, iri in enumerate(order)}
    groups = _Groups(len(order))
    for n, iri in enumerate(order):
        node = nodes[iri]
        refs = {r.ref for _, r in node.records if r.ref}
        groups.apart[n] |= {f"ref:{ref}" for ref in refs}
        if node.kind == Kind.CLUSTER.value:
            regions = {r.region for _, r in node.records if r.region and not r.named}
            groups.apart[n] |= {f"region:{region}" for region in regions}
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
        for key in sorted({k for _, r in nodes[iri].records for k in r.keys}):
            blocks[_scoped(nodes[iri].kind, key)].append(n)
    for prefix, rule in (("ref:", "reference"), ("name:", "name"), ("sig:", "signature")):
        for key in sorted(k for k in blocks if k.partition(" ")[2].startswith(prefix)):
            members = blocks[key]
            if len(members) < 2 or (prefix == "sig:" and _shared_document(members, order, nodes, key)):
                continue
            for other in members[1:]:
                groups.union(members[0], other, rule)
    for n, iri in enumerate(order):
        for doc, record in nodes[iri].records:
            for link in record.links:
                if link in index and not _other_authority(nodes[iri], nodes[link]):
                    groups.union(n, index[link], "same text")
    _named_signatures(blocks, groups)
    _skeletons(blocks, groups, order, nodes)
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
            for name in sorted({fold(name) for _, r in node.records for name in r.names}):
                self.by_name[name].append(n)
            for ref in sorted({r.ref for _, r in node.records if r.ref}):
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
    kinds = {r.kind for _, r in a.records} | {r.kind for _, r in b.records}
    if kinds != {Kind.AUTHORITY.value}:
        return False
    return any(r.ref for _, r in a.records) != any(r.ref for _, r in b.records)


def _shared_document(members: list[int], order: list[str], nodes: dict[str, _Node], key: str) -> bool:
    """Two of these nodes carry ``key`` in one document: that document tells them apart."""
    seen: dict[str, int] = {}
    for n in members:
        for doc, record in nodes[order[n]].records:
            if key.partition(" ")[2] in record.keys:
                if seen.setdefault(doc, n) != n:
                    return True
    return False


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
            per_doc = {doc: r for doc, r in node.records}
            for record in per_doc.values():
                labels[record.label] += 1
                if record.named:
                    named_labels[record.label] += 1
                names.update(record.names)
                if record.ref:
                    ref_ids.add(record.ref)
        entry = refs.get(min(ref_ids)) if ref_ids else None
        if entry is not None:
            kind = Kind(group[0].kind)
            key = f"ref:{entry.id}"
            iri, label, wikidata = minter.entity(kind, key), entry.label, entry.wikidata
        else:
            best = min(group, key=lambda node: (not any(r.named for _, r in node.records), -len(node.docs), node.iri))
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
