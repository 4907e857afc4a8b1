"""Score an extractor on JSONL records that carry a ``gold`` object.

Gold keys (cluster-news-dev.jsonl): clusters, persons ([name, post]), orgs,
regions, places, members ([org, cluster]; also initiators, anchors), events,
agreements (strings, or objects with description/type/parties/signatories).
A class is scored only on documents whose gold has its key; a record with an
empty gold object is not annotated and is skipped. Matching rules: ``names.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.evaluate.halves import RULE, Half, in_half
from kg.evaluate.match import assign
from kg.evaluate.metrics import Metrics, format_table, simple
from kg.evaluate.names import names_match, parse_name, person_match, title_match, word_match, words
from kg.extract import Extracts
from kg.model import Agreement, ClusterLink, Document, Entity, Event, Extraction, Kind, Post

CLASSES = (
    "clusters", "persons", "persons-with-post", "orgs", "regions", "places", "members",
    "agreements", "agreement-type", "agreement-parties", "agreement-signatories", "events",
)
_ORG_KINDS = {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY}
_AGREEMENT_HEADS = ("соглашен", "меморандум", "договор", "контракт", "протокол", "хартия", "декларац")
_FEDERAL_CITIES = {"москва", "санкт-петербург", "севастополь"}


@dataclass(frozen=True, slots=True)
class GoldRecord:
    id: str
    text: str
    gold: dict[str, Any]
    date: str | None = None
    title: str | None = None
    origin: str = ""


@dataclass(slots=True)
class DocumentReport:
    id: str
    misses: list[tuple[str, str]] = field(default_factory=list)  # (class, gold item)
    false_positives: list[tuple[str, str]] = field(default_factory=list)  # (class, response item)


@dataclass(slots=True)
class GoldReport:
    metrics: dict[str, Metrics] = field(default_factory=lambda: {c: Metrics() for c in CLASSES})
    documents: list[DocumentReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # records without annotations
    half: Half | None = None  # the half scored, when one was asked for
    records: int = 0  # records in the file (before the half)

    def to_json(self) -> dict[str, Any]:
        return {
            "metrics": {
                name: {"precision": round(m.precision, 4), "recall": round(m.recall, 4),
                       "f1": round(m.f1, 4), "matched": m.tp_std, "gold": m.n_std, "response": m.n_test}
                for name, m in self.metrics.items()
            },
            "documents": [
                {"id": d.id, "misses": [list(x) for x in d.misses],
                 "false_positives": [list(x) for x in d.false_positives]}
                for d in self.documents
            ],
            "skipped": self.skipped,
            "half": self.half,
        }

    def format(self) -> str:
        """The scores and misses as printed by ``kg eval gold`` (``format_report``)."""
        return format_report(self)


def load_gold(path: Path) -> list[GoldRecord]:
    """Records of a JSONL file; each needs ``id``, ``text`` and a ``gold`` object."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: invalid JSON: {exc.msg}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("gold"), dict):
            raise InputError(f"{path}:{number}: a record needs a 'gold' object")
        if not isinstance(data.get("text"), str):
            raise InputError(f"{path}:{number}: a record needs a 'text' string")
        records.append(GoldRecord(str(data.get("id", number)), data["text"], data["gold"],
                                  data.get("date"), data.get("title"), f"{path}:{number}"))
    if not records:
        raise InputError(f"{path}: no records")
    return records


def _names(entity: Entity) -> list[str]:
    return [entity.label, *entity.alt_labels, *(span.text for span in entity.mentions)]


def _pair(gold: Sequence[Any], response: Sequence[Any], same: Callable[[Any, Any], bool]) -> list[tuple[int, int]]:
    return assign([[1.0 if same(g, r) else 0.0 for r in response] for g in gold])


class _Scorer:
    def __init__(self, record: GoldRecord, extraction: Extraction, report: GoldReport) -> None:
        self.gold = record.gold
        self.x = extraction
        self.by_id = {entity.id: entity for entity in extraction.entities}
        self.report = report
        self.doc = DocumentReport(record.id)

    def label(self, entity_id: str | None) -> str:
        entity = self.by_id.get(entity_id or "")
        return entity.label if entity else ""

    def entity_match(self, gold: str, entity: Entity) -> bool:
        return any(names_match(gold, name) for name in _names(entity) if name)

    def score(self, name: str, gold: Sequence[Any], response: Sequence[Any],
              same: Callable[[Any, Any], bool], show_gold: Callable[[Any], str],
              show_resp: Callable[[Any], str], optional: Callable[[Any], bool] = lambda _: False) -> None:
        """Pair one-to-one; an unpaired ``optional`` response item is not a false positive."""
        pairs = _pair(gold, response, same)
        paired_gold, paired_resp = {i for i, _ in pairs}, {j for _, j in pairs}
        unpaired = [r for j, r in enumerate(response) if j not in paired_resp and not optional(r)]
        self.report.metrics[name] = self.report.metrics[name] + simple(
            len(pairs), len(gold), len(pairs) + len(unpaired))
        self.doc.misses.extend((name, show_gold(g)) for i, g in enumerate(gold) if i not in paired_gold)
        self.doc.false_positives.extend((name, show_resp(r)) for r in unpaired)

    def entities(self, key: str, name: str, keep: Callable[[Entity], bool],
                 optional: Callable[[Entity], bool] = lambda _: False) -> None:
        if key not in self.gold:
            return
        response = [e for e in self.x.entities if keep(e) or optional(e)]
        self.score(name, [str(g) for g in self.gold[key]], response, self.entity_match, str,
                   lambda e: e.label, optional)

    def run(self) -> DocumentReport:
        facts = self.x.facts
        self.entities("clusters", "clusters", lambda e: e.kind is Kind.CLUSTER)
        self.entities("orgs", "orgs", lambda e: e.kind in _ORG_KINDS)
        # a federal city read as a settlement may name a gold region, but is no false region
        self.entities("regions", "regions", lambda e: e.kind is Kind.REGION, lambda e: (
            e.kind is Kind.SETTLEMENT and e.label.lower().replace("ё", "е") in _FEDERAL_CITIES))
        place_ids = {f.place for f in facts if isinstance(f, (Event, Agreement)) and f.place}
        self.entities("places", "places", lambda e: e.kind is Kind.SETTLEMENT or e.id in place_ids)
        if "persons" in self.gold:
            persons = [(str(p[0]), str(p[1]) if len(p) > 1 and p[1] else "") if isinstance(p, list)
                       else (str(p), "") for p in self.gold["persons"]]
            people = [e for e in self.x.entities if e.kind is Kind.PERSON]
            self.score("persons", [p[0] for p in persons], people,
                       lambda g, e: any(person_match(g, n) for n in _names(e)), str, lambda e: e.label)
            posts = list({(f.holder, f.title): f for f in facts if isinstance(f, Post)}.values())
            self.score(
                "persons-with-post", [p for p in persons if p[1]], posts,
                lambda g, f: self.holder_match(g[0], f.holder) and title_match(g[1], f.title),
                lambda g: f"{g[0]} — {g[1]}", lambda f: f"{self.label(f.holder)} — {f.title}",
            )
        self.members()
        self.agreements()
        if "events" in self.gold:
            events = [f for f in facts if isinstance(f, Event)]
            self.score("events", [str(g) for g in self.gold["events"]], events, self.event_match, str,
                       lambda f: f.label or f.type)
        return self.doc

    def holder_match(self, gold_name: str, holder: str) -> bool:
        entity = self.by_id.get(holder)
        return entity is not None and any(person_match(gold_name, n) for n in _names(entity))

    def members(self) -> None:
        keys = [k for k in ("members", "initiators", "anchors") if k in self.gold]
        if not keys:
            return
        gold = [(str(m[0]), str(m[1])) for k in keys for m in self.gold[k] if isinstance(m, list) and len(m) > 1]
        links = [f for f in self.x.facts if isinstance(f, ClusterLink)]

        def same(g: tuple[str, str], link: ClusterLink) -> bool:
            target, cluster = self.by_id.get(link.target), self.by_id.get(link.cluster)
            return (target is not None and cluster is not None and self.entity_match(g[0], target)
                    and any(self.entity_match(name, cluster) for name in self.cluster_names(g[1])))

        self.score("members", gold, links, same, lambda g: f"{g[0]} ∈ {g[1]}",
                   lambda f: f"{self.label(f.target)} ∈ {self.label(f.cluster)} ({f.role.value})")

    def cluster_names(self, alias: str) -> list[str]:
        """A cluster named in ``members`` and the gold cluster(s) of the document it stands for:
        the only one, or those whose words contain the alias's words («Камский кластер»)."""
        clusters = [str(c) for c in self.gold.get("clusters", [])]
        if len(clusters) == 1:
            return [alias, clusters[0]]
        short = parse_name(alias).main
        return [alias] + [c for c in clusters if short and all(
            any(word_match(w, x) for x in parse_name(c).main + parse_name(c).context) for w in short)]

    def agreement_match(self, description: str, agreement: Agreement) -> bool:
        """Same kind of document (head noun), and most gold words found around it."""
        gold_words = parse_name(description).main
        type_words = words(agreement.type)
        if not gold_words or not type_words:
            return False
        gold_heads = {h for h in _AGREEMENT_HEADS if any(w.startswith(h) for w in gold_words)}
        type_heads = {h for h in _AGREEMENT_HEADS if any(w.startswith(h) for w in type_words)}
        if gold_heads and type_heads:
            if not gold_heads & type_heads:
                return False
        elif not any(word_match(t, g) for t in type_words for g in gold_words):
            return False
        around = words(" ".join([agreement.type, agreement.evidence.text,
                                 *(self.label(p) for p in agreement.parties + agreement.about)]))
        found = sum(1 for w in gold_words if any(word_match(w, a) for a in around))
        return found / len(gold_words) >= 0.6

    def agreements(self) -> None:
        if "agreements" not in self.gold:
            return
        gold = [g if isinstance(g, dict) else {"description": str(g)} for g in self.gold["agreements"]]
        response = [f for f in self.x.facts if isinstance(f, Agreement)]
        describe = _describe
        self.score("agreements", gold, response, lambda g, a: self.agreement_match(describe(g), a),
                   describe, lambda a: a.evidence.text[:80])
        pairs = _pair(gold, response, lambda g, a: self.agreement_match(describe(g), a))
        for i, j in pairs:
            g, a = gold[i], response[j]
            if g.get("type"):
                ok = names_match(str(g["type"]), a.type)
                self.score("agreement-type", [g["type"]], [a.type], lambda *_: ok, str, str)
            for role, ids in (("parties", a.parties), ("signatories", a.signatories)):
                if role in g:
                    resp = [self.by_id[i] for i in ids if i in self.by_id]
                    same: Callable[[str, Entity], bool] = (
                        (lambda n, e: any(person_match(n, x) for x in _names(e))) if role == "signatories"
                        else self.entity_match)
                    self.score(f"agreement-{role}", [str(x) for x in g[role]], resp, same, str,
                               lambda e: e.label)

    def event_match(self, gold: str, event: Event) -> bool:
        """Our label names the gold event, or our type is its head: every type word occurs
        before the first preposition («круглый стол в рамках форума» is no «форум»)."""
        if event.label and names_match(gold, event.label):
            return True
        t = words(event.type)
        g = words(_head(gold))
        return bool(t) and all(any(word_match(a, b) for b in g) for a in t)


_PREPOSITIONS = frozenset("в во на по с со для при о об между у к из от".split())


def _head(description: str) -> str:
    """The words of a description before its first preposition."""
    kept = []
    for word in description.split():
        if word.lower() in _PREPOSITIONS:
            break
        kept.append(word)
    return " ".join(kept)


def _describe(gold: dict[str, Any]) -> str:
    return str(gold.get("description") or gold.get("type") or "")


def score_gold(records: list[GoldRecord], extractor: Extracts,
               progress: Callable[[str], None] | None = None, half: Half | None = None) -> GoldReport:
    """Score every record, or only those of ``half`` (``kg.evaluate.halves``)."""
    report = GoldReport(half=half, records=len(records))
    records = [record for record in records if in_half(record.id, half)]
    for number, record in enumerate(records, 1):
        if not record.gold:
            report.skipped.append(record.id)
            continue
        doc = Document(record.id, record.text, record.date, record.title, origin=record.origin)
        report.documents.append(_Scorer(record, extractor.extract(doc), report).run())
        if progress is not None:
            progress(f"{number}/{len(records)} {record.id}")
    return report


def format_report(report: GoldReport) -> str:
    """The table, then per class (each relation apart) its misses (recall) and the
    response items the gold does not hold (precision), each with its document."""
    rows = [(name, m) for name, m in report.metrics.items() if m.n_std or m.n_test]
    lines = [f"documents: {len(report.documents)} scored, {len(report.skipped)} without gold skipped"]
    if report.half is not None:
        scored = len(report.documents) + len(report.skipped)
        lines.append(f"half {report.half}: {scored} of {report.records} records ({RULE})")
    lines.append(format_table(rows, "class"))
    for name in CLASSES:
        misses = [(doc.id, item) for doc in report.documents for cls, item in doc.misses if cls == name]
        extras = [(doc.id, item) for doc in report.documents for cls, item in doc.false_positives if cls == name]
        if not misses and not extras:
            continue
        lines.append(f"\n{name}: {len(misses)} missed, {len(extras)} extracted but not in the gold")
        lines.extend(f"  miss  {doc}: {item}" for doc, item in misses)
        lines.extend(f"  extra {doc}: {item}" for doc, item in extras)
    return "\n".join(lines)
