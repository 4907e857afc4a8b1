"""``kg eval identity``: how well a built graph gives one node to one real entity.

Gold (``cluster-news-identity.json``): ``{"mentions": [{"doc", "mention", "entity",
"class"}, ...]}`` — a document id, a string found verbatim in that document's text, a
gold entity id shared by every mention of one real cluster, organisation or person across
documents, and the class ``cluster``, ``org`` or ``person``.

Each gold mention is read from the store as an analyst's tool would read it: every
occurrence of the string in the document's ``nif:isString`` is located, and the node
is the ``itsrdf:taIdentRef`` of the class (``ckg:Cluster``; ``ckg:Organization`` and
its subclasses; ``ckg:Person``) of the NIF phrase that overlaps an occurrence most. No such phrase:
the mention is a node of its own. Scores per class (``score_class``):

- B-cubed precision, recall and F1 over mentions;
- over pairs of mentions in different documents, merge recall (pairs with one gold
  entity that share a node / pairs with one gold entity) and merge precision (pairs
  sharing a node that have one gold entity / pairs sharing a node), with the missed
  and the wrong merges listed.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import InputError, KgError
from kg.model import Problem

if TYPE_CHECKING:
    from kg.store.base import Store

CLASSES = ("cluster", "org", "person")
FIELDS = ("doc", "mention", "entity", "class")
_PREFIXES = """\
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
"""
_DOCUMENTS = _PREFIXES + "SELECT ?doc ?id WHERE { VALUES ?id { %s } ?doc dcterms:identifier ?id ; nif:isString ?text }"
_TEXTS = _PREFIXES + "SELECT ?doc ?text WHERE { VALUES ?doc { %s } ?doc nif:isString ?text }"
_PHRASES = _PREFIXES + """SELECT ?doc ?b ?e ?x ?type WHERE {
  VALUES ?doc { %s }
  VALUES ?type { %s }
  ?m nif:referenceContext ?doc ; nif:beginIndex ?b ; nif:endIndex ?e ; itsrdf:taIdentRef ?x .
  ?x a ?type }"""


# -- gold ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One row of the gold: ``where`` names the file and the row (``path: mentions[3]``)."""

    doc: str
    mention: str
    entity: str
    cls: str  # "cluster", "org" or "person"
    where: str = ""


def load_identity_gold(path: Path, report: Callable[[Problem], None] | None = None) -> list[GoldMention]:
    """The mentions of a gold file; a bad row is reported (``report``) and left out.

    A file that is not a JSON object with a ``mentions`` list raises ``InputError``.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from exc
    rows = data.get("mentions") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise InputError(f'{path}: expected a JSON object {{"mentions": [...]}}')
    mentions: list[GoldMention] = []
    seen: dict[tuple[str, str, str], str] = {}
    for number, row in enumerate(rows):
        where = f"{path}: mentions[{number}]"
        problem = _row_problem(row)
        if problem is None:
            key = (row["doc"], row["mention"], row["class"])
            if key in seen:
                problem = f"the same doc, mention and class as {seen[key].rsplit(': ', 1)[-1]}"
            else:
                seen[key] = where
        if problem is not None:
            if report is not None:
                report(Problem(where, f"{problem}; left out"))
            continue
        mentions.append(GoldMention(row["doc"], row["mention"], row["entity"], row["class"], where))
    return mentions


def _row_problem(row: Any) -> str | None:
    if not isinstance(row, dict):
        return "not an object"
    for name in FIELDS:
        if not isinstance(row.get(name), str) or not row[name]:
            return f"needs a non-empty string {name!r}"
    if row["class"] not in CLASSES:
        return f"class {row['class']!r} is not one of {', '.join(CLASSES)}"
    return None


# -- reading the store -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Phrase:
    """A NIF phrase naming an entity of one gold class."""

    begin: int
    end: int
    node: str


@dataclass(frozen=True, slots=True)
class Resolved:
    """A gold mention and the node the graph gives it (None: no phrase of its class overlaps)."""

    gold: GoldMention
    node: str | None
    span: tuple[int, int] | None = None  # the phrase the node was read from


def occurrences(text: str, mention: str) -> list[int]:
    """Start offsets of every occurrence of ``mention`` in ``text`` (overlapping ones too).

    >>> occurrences("IT-кластер и Уральский IT-кластер", "IT-кластер")
    [0, 23]
    """
    found = []
    start = text.find(mention)
    while start >= 0:
        found.append(start)
        start = text.find(mention, start + 1)
    return found


def best_phrase(starts: Sequence[int], length: int, phrases: Iterable[Phrase]) -> Phrase | None:
    """The phrase overlapping an occurrence most; ties go to the phrase closest to the
    occurrence in extent, then to the earliest, then to the smallest node IRI.

    >>> best_phrase([10], 5, [Phrase(0, 12, "a"), Phrase(11, 15, "b"), Phrase(20, 25, "c")])
    Phrase(begin=11, end=15, node='b')
    """
    best: tuple[int, int, int, str] | None = None
    chosen: Phrase | None = None
    for phrase in phrases:
        for start in starts:
            overlap = min(start + length, phrase.end) - max(start, phrase.begin)
            if overlap <= 0:
                continue
            extra = (phrase.end - phrase.begin) + length - 2 * overlap
            rank = (-overlap, extra, phrase.begin, phrase.node)
            if best is None or rank < best:
                best, chosen = rank, phrase
    return chosen


def class_types() -> dict[str, frozenset[str]]:
    """Gold class -> the RDF types of its nodes: ckg:Cluster, ckg:Organization, ckg:Person, and
    their subclasses in ``ontology/cluster-kg.ttl``."""
    from rdflib.namespace import RDFS

    from kg.mapping.vocab import CKG, load_ontology

    ontology = load_ontology()
    return {
        name: frozenset(str(t) for t in ontology.transitive_subjects(RDFS.subClassOf, top))
        for name, top in (("cluster", CKG.Cluster), ("org", CKG.Organization), ("person", CKG.Person))
    }


def _rows(store: Store, sparql: str) -> list[Any]:
    return list(store.select(sparql))


def resolve_mentions(store: Any, gold: Sequence[GoldMention],
                     report: Callable[[Problem], None] | None = None) -> list[Resolved]:
    """The node of every gold mention in ``store`` (an ``OxigraphStore``).

    A mention whose document is not in the store, or whose string is not in the
    document's text, is reported and left out.
    """
    wanted = sorted({m.doc for m in gold})
    ids_sparql = " ".join(json.dumps(doc, ensure_ascii=False) for doc in wanted)  # a JSON string is a SPARQL one
    iris = {row["id"].value: row["doc"].value for row in _rows(store, _DOCUMENTS % ids_sparql)} if wanted else {}
    texts: dict[str, str] = {}
    phrases: dict[tuple[str, str], list[Phrase]] = defaultdict(list)  # (doc id, class) -> phrases
    if iris:
        ids = {iri: doc for doc, iri in iris.items()}
        values = " ".join(f"<{iri}>" for iri in sorted(ids))
        texts = {ids[row["doc"].value]: row["text"].value for row in _rows(store, _TEXTS % values)}
        types = class_types()
        cls_of: dict[str, list[str]] = defaultdict(list)
        for name, members in types.items():
            for t in members:
                cls_of[t].append(name)
        seen: set[tuple[str, str, int, int, str]] = set()
        for row in _rows(store, _PHRASES % (values, " ".join(f"<{t}>" for t in sorted(cls_of)))):
            doc = ids[row["doc"].value]
            for name in cls_of[row["type"].value]:
                item = (doc, name, int(row["b"].value), int(row["e"].value), row["x"].value)
                if item not in seen:
                    seen.add(item)
                    phrases[doc, name].append(Phrase(item[2], item[3], item[4]))
    resolved = []
    for m in gold:
        text = texts.get(m.doc)
        if text is None:
            _tell(report, m, f"document {m.doc!r} is not in the workspace")
            continue
        starts = occurrences(text, m.mention)
        if not starts:
            _tell(report, m, f"{m.mention!r} does not occur in the text of {m.doc!r}")
            continue
        phrase = best_phrase(starts, len(m.mention), phrases.get((m.doc, m.cls), ()))
        resolved.append(Resolved(m, phrase.node if phrase else None,
                                 (phrase.begin, phrase.end) if phrase else None))
    return resolved


def _tell(report: Callable[[Problem], None] | None, m: GoldMention, message: str) -> None:
    if report is not None:
        report(Problem(m.where, f"{message}; left out"))


# -- scores ----------------------------------------------------------------------------------


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(frozen=True, slots=True)
class ClassScore:
    """The identity scores of one class; a ratio with nothing to count is None."""

    cls: str
    items: tuple[Resolved, ...]
    precision: float  # B-cubed
    recall: float
    gold_pairs: int  # pairs of mentions in different documents with one gold entity
    node_pairs: int  # ... that share a node
    correct_pairs: int  # ... that do both
    missed: tuple[tuple[Resolved, Resolved], ...]  # one gold entity, not one node
    wrong: tuple[tuple[Resolved, Resolved], ...]  # one node, not one gold entity

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def merge_recall(self) -> float | None:
        return _ratio(self.correct_pairs, self.gold_pairs)

    @property
    def merge_precision(self) -> float | None:
        return _ratio(self.correct_pairs, self.node_pairs)

    @property
    def entities(self) -> int:
        return len({r.gold.entity for r in self.items})

    @property
    def nodes(self) -> int:
        """Nodes the mentions fall into, each unresolved mention counting as one."""
        return len({r.node for r in self.items if r.node}) + self.unresolved

    @property
    def unresolved(self) -> int:
        return sum(1 for r in self.items if r.node is None)


def score_class(cls: str, items: Sequence[Resolved]) -> ClassScore:
    """B-cubed over ``items`` and merge precision/recall over their cross-document pairs."""
    node_of = [r.node if r.node is not None else f"\0unresolved {i}" for i, r in enumerate(items)]
    gold_size = Counter(r.gold.entity for r in items)
    node_size = Counter(node_of)
    both = Counter((r.gold.entity, n) for r, n in zip(items, node_of))
    precision = sum(both[r.gold.entity, n] / node_size[n] for r, n in zip(items, node_of))
    recall = sum(both[r.gold.entity, n] / gold_size[r.gold.entity] for r, n in zip(items, node_of))
    count = len(items)
    missed, wrong = [], []
    gold_pairs = node_pairs = correct = 0
    for i in range(count):
        for j in range(i + 1, count):
            a, b = items[i], items[j]
            if a.gold.doc == b.gold.doc:
                continue
            same_gold, same_node = a.gold.entity == b.gold.entity, node_of[i] == node_of[j]
            gold_pairs += same_gold
            node_pairs += same_node
            correct += same_gold and same_node
            if same_gold and not same_node:
                missed.append((a, b))
            elif same_node and not same_gold:
                wrong.append((a, b))
    return ClassScore(cls, tuple(items), precision / count if count else 1.0, recall / count if count else 1.0,
                      gold_pairs, node_pairs, correct, tuple(missed), tuple(wrong))


@dataclass(frozen=True, slots=True)
class IdentityReport:
    """Scores per class, and the gold rows left out (bad, or not found in the graph)."""

    gold: str
    source: str  # the workspace or corpus measured
    classes: dict[str, ClassScore]
    problems: tuple[Problem, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        def mention(r: Resolved) -> dict[str, Any]:
            return {"doc": r.gold.doc, "mention": r.gold.mention, "entity": r.gold.entity,
                    "node": r.node, "span": list(r.span) if r.span else None}

        def pairs(found: Sequence[tuple[Resolved, Resolved]]) -> list[list[dict[str, Any]]]:
            return [[mention(a), mention(b)] for a, b in found]

        def rounded(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "gold": self.gold,
            "source": self.source,
            "classes": {
                name: {
                    "mentions": len(s.items), "entities": s.entities, "nodes": s.nodes,
                    "unresolved": s.unresolved,
                    "bcubed": {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                               "f1": round(s.f1, 4)},
                    "merge": {"recall": rounded(s.merge_recall), "precision": rounded(s.merge_precision),
                              "gold_pairs": s.gold_pairs, "node_pairs": s.node_pairs,
                              "correct_pairs": s.correct_pairs},
                    "missed_merges": pairs(s.missed),
                    "wrong_merges": pairs(s.wrong),
                    "items": [mention(r) for r in s.items],
                }
                for name, s in self.classes.items()
            },
            "left_out": [{"where": p.where, "message": p.message} for p in self.problems],
        }

    def format(self) -> str:
        """The scores, merges and mentions as printed by ``kg eval identity`` (``format_identity``)."""
        return format_identity(self)


def score_identity(resolved: Sequence[Resolved], *, gold: str = "", source: str = "",
                   problems: Sequence[Problem] = ()) -> IdentityReport:
    """A report over every class that has gold mentions, in the order of ``CLASSES``."""
    classes = {c: score_class(c, [r for r in resolved if r.gold.cls == c]) for c in CLASSES}
    return IdentityReport(gold, source, {c: s for c, s in classes.items() if s.items}, tuple(problems))


def evaluate_identity(gold_path: Path, *, workspace: Path | None = None, corpus: Path | None = None,
                      report: Callable[[Problem], None] | None = None) -> IdentityReport:
    """Score the workspace, or a fresh ``kg build`` of ``corpus`` in a temporary workspace.

    ``report`` receives the gold rows left out and, with ``corpus``, the build's warnings.
    """
    from kg.store.oxigraph import open_store

    if (workspace is None) == (corpus is None):
        raise KgError("give either a workspace or a corpus to build")
    problems: list[Problem] = []

    def keep(problem: Problem) -> None:
        problems.append(problem)
        if report is not None:
            report(problem)

    gold = load_identity_gold(gold_path, keep)
    if corpus is not None:
        from kg.pipeline.build import run_build

        if not corpus.is_file():
            raise InputError(f"{corpus}: no such file")
        with tempfile.TemporaryDirectory(prefix="kg-identity-") as tmp:
            run_build([corpus], Path(tmp), report=report)
            resolved = resolve_mentions(open_store(Path(tmp), read_only=True), gold, keep)
        return score_identity(resolved, gold=str(gold_path), source=f"kg build {corpus}", problems=problems)
    assert workspace is not None
    resolved = resolve_mentions(open_store(workspace, read_only=True), gold, keep)
    return score_identity(resolved, gold=str(gold_path), source=str(workspace), problems=problems)


# -- text ------------------------------------------------------------------------------------


def _short(node: str | None) -> str:
    """The last two path segments of a node IRI (``cluster/samarskii-…-1a2b3c4d``)."""
    if node is None:
        return "(none)"
    return "/".join(node.rstrip("/").split("/")[-2:])


def _pct(x: float | None, num: int, den: int) -> str:
    return f"{'—':>5} ({num}/{den})" if x is None else f"{x:.3f} ({num}/{den})"


def _side(r: Resolved) -> str:
    return f"{r.gold.doc} «{r.gold.mention}» [{_short(r.node)}]"


def format_identity(report: IdentityReport) -> str:
    """The table per class, then the missed merges, wrong merges and unresolved mentions."""
    mentions = sum(len(s.items) for s in report.classes.values())
    docs = len({r.gold.doc for s in report.classes.values() for r in s.items})
    lines = [f"identity of {report.source} against {report.gold}: {mentions} mentions in {docs} documents, "
             f"{len(report.problems)} gold rows left out",
             f"{'class':<8} {'mentions':>8} {'entities':>8} {'nodes':>6} {'unres.':>6}  "
             f"{'B3-P':>5} {'B3-R':>5} {'B3-F1':>5}  {'merge recall':<18} {'merge precision':<18}"]
    for name, s in report.classes.items():
        lines.append(
            f"{name:<8} {len(s.items):>8} {s.entities:>8} {s.nodes:>6} {s.unresolved:>6}  "
            f"{s.precision:5.3f} {s.recall:5.3f} {s.f1:5.3f}  "
            f"{_pct(s.merge_recall, s.correct_pairs, s.gold_pairs):<18} "
            f"{_pct(s.merge_precision, s.correct_pairs, s.node_pairs):<18}")
    for name, s in report.classes.items():
        if s.missed:
            lines.append(f"\nmissed merges, {name} ({len(s.missed)}): one gold entity, two nodes")
            lines.extend(f"  {a.gold.entity}: {_side(a)}  ≠  {_side(b)}" for a, b in s.missed)
        if s.wrong:
            lines.append(f"\nwrong merges, {name} ({len(s.wrong)}): one node, two gold entities")
            lines.extend(f"  {_short(a.node)}: {a.gold.doc} «{a.gold.mention}» ({a.gold.entity})  =  "
                         f"{b.gold.doc} «{b.gold.mention}» ({b.gold.entity})" for a, b in s.wrong)
        unresolved = [r for r in s.items if r.node is None]
        if unresolved:
            lines.append(f"\nunresolved, {name} ({len(unresolved)}): no phrase of the class overlaps the mention")
            lines.extend(f"  {r.gold.doc} «{r.gold.mention}» ({r.gold.entity})" for r in unresolved)
    return "\n".join(line.rstrip() for line in lines)
