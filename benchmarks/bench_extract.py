"""Throughput of kg.extract against natasha's own NER-only and full pipelines, same texts, same run.

    .venv/bin/python benchmarks/bench_extract.py [DIR_OR_FILE] [--limit N]

Texts: the factRuEval dev texts when ../shared exists beside the repo, else data/*.txt (one document a line).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

from natasha import Doc, NewsEmbedding, NewsSyntaxParser

from kg.extract import Extractor
from kg.model import Document

FACTRU = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "factru-dev"
DATA = Path(__file__).resolve().parents[1] / "data"


def load_texts(source: Path | None, limit: int | None) -> list[str]:
    if source is None:
        source = FACTRU if FACTRU.exists() else DATA
    if source.is_file():
        texts = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    elif source == FACTRU or any(source.glob("book_*.txt")):
        texts = [p.read_text(encoding="utf-8") for p in sorted(source.glob("book_*.txt"))]
    else:
        texts = [line for p in sorted(source.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts[:limit] if limit else texts


def timed_interleaved(fns: list[Callable[[str], None]], texts: list[str]) -> list[float]:
    """Seconds spent in each of ``fns``, run one after another on every text (fair under shared load)."""
    totals = [0.0] * len(fns)
    for text in texts:
        for index, fn in enumerate(fns):
            start = time.perf_counter()
            fn(text)
            totals[index] += time.perf_counter() - start
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    texts = load_texts(args.source, args.limit)
    chars = sum(len(t) for t in texts)
    extractor = Extractor()
    syntax = NewsSyntaxParser(NewsEmbedding())

    def ner_only(text: str) -> None:
        doc = Doc(text)
        doc.segment(extractor.segmenter)
        doc.tag_ner(extractor.ner_tagger)

    def full(text: str) -> None:
        doc = Doc(text)
        doc.segment(extractor.segmenter)
        doc.tag_morph(extractor.morph_tagger)
        doc.parse_syntax(syntax)
        doc.tag_ner(extractor.ner_tagger)
        for span in doc.spans:
            span.normalize(extractor.morph_vocab)
            if span.type == "PER":
                span.extract_fact(extractor.names_extractor)

    def ours(text: str) -> None:
        extractor.extract(Document(id="b", text=text))

    ours(texts[0])  # warm caches the same way for everyone
    t_ner, t_full, t_ours = timed_interleaved([ner_only, full, ours], texts)
    print(f"texts: {len(texts)}  chars: {chars}")
    print(f"natasha NER only : {chars / t_ner:10.0f} chars/s")
    print(f"natasha full     : {chars / t_full:10.0f} chars/s")
    print(f"kg.extract       : {chars / t_ours:10.0f} chars/s")
    print(f"time ratio ours/NER-only: {t_ours / t_ner:.2f}   ours/full: {t_ours / t_full:.2f}  (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
