"""Throughput of kg.extract against natasha's own NER-only and full pipelines, same texts, same run.

    .venv/bin/python benchmarks/bench_extract.py [DIR_OR_FILE] [--limit N]

Texts: the factRuEval dev texts when ../shared exists beside the repo, else data/*.txt (one document a line).
Each function runs on the same chunk of 8 texts in turn (``kg build``'s chunk, ``kg.pipeline.build.CHUNK``),
so machine load falls on all of them alike: natasha and ``Extractor.extract`` one text at a
time, ``Extractor.extract_many`` (what ``kg build`` calls) on the whole chunk.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

from natasha import Doc, NewsEmbedding, NewsSyntaxParser

from kg.pipeline.build import CHUNK
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


def timed_interleaved(fns: list[Callable[[list[str]], None]], texts: list[str], chunk: int) -> list[float]:
    """Seconds spent in each of ``fns``, run one after another on every chunk of texts (fair under shared load)."""
    totals = [0.0] * len(fns)
    for start in range(0, len(texts), chunk):
        part = texts[start:start + chunk]
        for index, fn in enumerate(fns):
            began = time.perf_counter()
            fn(part)
            totals[index] += time.perf_counter() - began
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

    def ner_only(texts: list[str]) -> None:
        for text in texts:
            doc = Doc(text)
            doc.segment(extractor.segmenter)
            doc.tag_ner(extractor.ner_tagger)

    def full(texts: list[str]) -> None:
        for text in texts:
            doc = Doc(text)
            doc.segment(extractor.segmenter)
            doc.tag_morph(extractor.morph_tagger)
            doc.parse_syntax(syntax)
            doc.tag_ner(extractor.ner_tagger)
            for span in doc.spans:
                span.normalize(extractor.morph_vocab)
                if span.type == "PER":
                    span.extract_fact(extractor.names_extractor)

    def ours(texts: list[str]) -> None:
        for text in texts:
            extractor.extract(Document(id="b", text=text))

    def ours_many(texts: list[str]) -> None:
        extractor.extract_many([Document(id="b", text=text) for text in texts])

    ours(texts[:1])  # warm caches the same way for everyone
    t_ner, t_full, t_ours, t_many = timed_interleaved([ner_only, full, ours, ours_many], texts, CHUNK)
    print(f"texts: {len(texts)}  chars: {chars}  chunk: {CHUNK}")
    print(f"natasha NER only     : {chars / t_ner:10.0f} chars/s")
    print(f"natasha full         : {chars / t_full:10.0f} chars/s")
    print(f"kg.extract           : {chars / t_ours:10.0f} chars/s")
    print(f"kg.extract_many      : {chars / t_many:10.0f} chars/s")
    print(f"time ratio extract/NER-only: {t_ours / t_ner:.2f}   extract/full: {t_ours / t_full:.2f}   "
          f"extract_many/full: {t_many / t_full:.2f}  (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
