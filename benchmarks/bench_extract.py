"""Throughput of kg.extract against natasha's own NER-only and full pipelines, same texts, same run.

    .venv/bin/python benchmarks/bench_extract.py [DIR_OR_FILE] [--limit N]

Texts: the factRuEval dev texts when /work/shared exists, else data/*.txt (one document a line).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from natasha import Doc, NewsSyntaxParser

from kg.extract import Extractor
from kg.model import Document

FACTRU = Path("/work/shared/corpora/factru-dev")
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


def timed(fn, texts: list[str]) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for text in texts:
        fn(text)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    texts = load_texts(args.source, args.limit)
    chars = sum(len(t) for t in texts)
    extractor = Extractor()
    syntax = NewsSyntaxParser(extractor.morph_tagger.emb if hasattr(extractor.morph_tagger, "emb") else __import__("natasha").NewsEmbedding())

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
    t_ner = timed(ner_only, texts)
    t_full = timed(full, texts)
    t_ours = timed(ours, texts)
    print(f"texts: {len(texts)}  chars: {chars}")
    print(f"natasha NER only : {chars / t_ner:10.0f} chars/s")
    print(f"natasha full     : {chars / t_full:10.0f} chars/s")
    print(f"kg.extract       : {chars / t_ours:10.0f} chars/s")
    print(f"time ratio ours/NER-only: {t_ours / t_ner:.2f}   ours/full: {t_ours / t_full:.2f}  (target <= 1.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
