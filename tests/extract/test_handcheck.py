"""The hand check of precision (tests/data/handcheck/): the extractor must give exactly the judged facts.

EVALUATION.md reports precision from ``verdicts.tsv``, judged by reading each extracted fact
against its paragraph. A change that adds, drops or alters a membership or a post on these
paragraphs fails here until the new facts are judged and the file and EVALUATION.md are updated.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.model import ClusterLink, Document, Extraction, Post

HERE = Path(__file__).resolve().parents[1] / "data" / "handcheck"
pytestmark = pytest.mark.slow


def facts(result: Extraction) -> list[tuple[str, str, str]]:
    def label(entity_id: str | None) -> str:
        return result.entity(entity_id).label if entity_id else "-"

    out = []
    for f in result.facts:
        if isinstance(f, ClusterLink):
            out.append((result.document.id, "link",
                        f"{f.role.value} | {label(f.target)} | {label(f.cluster)} | {f.rule} | {f.confidence}"))
        elif isinstance(f, Post):
            out.append((result.document.id, "post", f"{label(f.holder)} | {f.title} | {label(f.post_in)} | {f.rule}"))
    return out


def verdicts() -> dict[tuple[str, str, str], str]:
    rows = [line.split("\t") for line in (HERE / "verdicts.tsv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    return {(doc, kind, fact): verdict for doc, kind, fact, verdict, *_ in rows}


def test_handcheck_every_extracted_fact_is_judged(extractor: Extractor) -> None:
    docs = [json.loads(line) for line in (HERE / "own-news.jsonl").read_text(encoding="utf-8").splitlines()]
    extracted = [f for d in docs for f in facts(extractor.extract(Document(d["id"], d["text"])))]
    judged = verdicts()
    assert set(extracted) == set(judged), (
        "not judged: " + repr(sorted(set(extracted) - set(judged)))
        + "\njudged but no longer extracted: " + repr(sorted(set(judged) - set(extracted))))
    for kind, least in (("link", 50), ("post", 50)):
        assert sum(1 for k in judged if k[1] == kind) >= least
    assert set(judged.values()) <= {"ok", "wrong"}
