"""A fast, deterministic stand-in for kg.extract.Extractor, for pipeline tests.

It reads «quoted» names as companies and "<Adj> кластер <Region gen>" as a
cluster with every company of the text as a member: enough to give documents
shared entities, without loading any model. Module-level, so spawned worker
processes can import it.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from kg.model import ClusterLink, ClusterRole, Document, Entity, Extraction, Kind, Span

COMPANY = re.compile(r"(?:ООО|АО|ПАО|ЗАО) «[^»]+»")
CLUSTER = re.compile(r"[А-ЯЁ][а-яё]+ кластер[а]? [А-ЯЁ][а-яё]+ (?:области|края|Татарстан)")


class FakeExtractor:
    def extract(self, doc: Document) -> Extraction:
        if "FAIL" in doc.text:
            raise RuntimeError("fake failure")
        entities: list[Entity] = []
        by_key: dict[tuple[Kind, str], int] = {}
        spans: dict[int, list[Span]] = {}
        for kind, pattern in ((Kind.COMPANY, COMPANY), (Kind.CLUSTER, CLUSTER)):
            for m in pattern.finditer(doc.text):
                key = (kind, m.group().lower().replace("кластера", "кластер"))
                if key not in by_key:
                    by_key[key] = len(entities)
                    entities.append(Entity(f"e{len(entities)}", kind, key[1], m.group()))
                spans.setdefault(by_key[key], []).append(Span(m.start(), m.end(), m.group()))
        entities = [
            Entity(e.id, e.kind, e.key, e.label, tuple(spans[i])) for i, e in enumerate(entities)
        ]
        clusters = [e for e in entities if e.kind is Kind.CLUSTER]
        facts = tuple(
            ClusterLink(c.id, e.id, ClusterRole.MEMBER, c.mentions[0])
            for c in clusters[:1] for e in entities if e.kind is Kind.COMPANY
        )
        return Extraction(doc, tuple(entities), facts)


def make_fake_extractor() -> FakeExtractor:
    return FakeExtractor()


class BatchFakeExtractor(FakeExtractor):
    """FakeExtractor with ``extract_many``, as kg.extract.Extractor has: the whole batch
    fails when one of its texts says FAIL; ``batches`` records each batch's size."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    def extract_many(self, docs: list[Document]) -> list[Extraction]:
        self.batches.append(len(docs))
        if any("FAIL" in doc.text for doc in docs):
            raise RuntimeError("fake batch failure")
        return [self.extract(doc) for doc in docs]


def make_batch_fake_extractor() -> BatchFakeExtractor:
    return BatchFakeExtractor()


class LoggingFakeExtractor(FakeExtractor):
    """FakeExtractor that appends each document's id to ``LOG_DIR/<pid>`` and takes ``delay``
    seconds a document: which worker process extracted what, and a build slow enough to
    be interrupted in the middle."""

    def __init__(self, log_dir: str, delay: float) -> None:
        self.log = Path(log_dir) / str(os.getpid())
        self.delay = delay

    def extract(self, doc: Document) -> Extraction:
        with self.log.open("a", encoding="utf-8") as log:
            log.write(doc.id + "\n")
        time.sleep(self.delay)
        return super().extract(doc)


def make_logging_extractor(log_dir: str, delay: float = 0.0) -> LoggingFakeExtractor:
    return LoggingFakeExtractor(log_dir, delay)


def logged(log_dir: Path) -> dict[int, list[str]]:
    """What ``LoggingFakeExtractor`` wrote: process id -> document ids, in order."""
    return {int(p.name): p.read_text(encoding="utf-8").split() for p in log_dir.iterdir()}
