"""Run an extractor over a factRuEval-formatted folder, write responses, score them.

``run_factru(directory, out, extractor)`` writes ``book_N.task1`` / ``book_N.task3``
for every ``book_N.txt`` and, where gold layers are present, scores the written
files (read back, as the official scorers read them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.evaluate.factru_gold import load_document
from kg.evaluate.factru_misses import FactMiss, format_misses, track3_misses
from kg.evaluate.factru_response import FACT_TYPES, TAGS, parse_task1, parse_task3, write_response
from kg.evaluate.factru_score import score_track1, score_track3
from kg.evaluate.halves import RULE, Half, in_half
from kg.evaluate.metrics import Metrics, format_table
from kg.extract import Extracts
from kg.model import Document, Extraction

_BOOK = re.compile(r"book_(\d+)\.txt$")


@dataclass(slots=True)
class FactruResult:
    """Summed metrics over the documents that have gold."""

    documents: int = 0  # responses written
    half: Half | None = None  # the half of the folder run, when one was asked for
    books: int = 0  # book_N.txt files in the folder (before the half and the limit)
    track1_documents: int = 0  # documents with .objects
    track3_documents: int = 0  # documents with .facts
    track1: dict[str, Metrics] = field(default_factory=lambda: {t: Metrics() for t in TAGS + ("overall",)})
    track3: dict[str, Metrics] = field(default_factory=lambda: {t: Metrics() for t in FACT_TYPES + ("overall",)})
    misses: list[FactMiss] = field(default_factory=list)  # Track 3, filled when asked for

    def format(self) -> str:
        """The scores as printed by ``kg eval factru`` (``format_result``)."""
        return format_result(self)


def list_books(directory: Path) -> list[Path]:
    """``book_N.txt`` files of ``directory`` in numeric order."""
    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory")
    books = [path for path in directory.iterdir() if _BOOK.match(path.name)]
    if not books:
        raise InputError(f"{directory}: no book_N.txt files")
    return sorted(books, key=lambda path: int(_BOOK.match(path.name).group(1)))  # type: ignore[union-attr]


def run_factru(
    directory: Path,
    out: Path,
    extractor: Extracts,
    *,
    limit: int | None = None,
    progress: Callable[[str], None] | None = None,
    misses: tuple[str, ...] = (),
    half: Half | None = None,
) -> FactruResult:
    """``misses``: fact types whose Track 3 misses, false positives and partial pairs
    are collected into ``result.misses``; ``half``: only the books of that half
    (``kg.evaluate.halves``), before ``limit`` is applied."""
    every = list_books(directory)
    books = [path for path in every if in_half(path.stem, half)]
    books = books[:limit] if limit is not None else books
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot create: {exc}") from exc
    result = FactruResult(half=half, books=len(every))
    for number, path in enumerate(books, 1):
        doc = load_document(path)
        extraction = extractor.extract(Document(id=doc.name, text=doc.text, origin=str(path)))
        task1, task3 = write_response(extraction, out, doc.name)
        result.documents += 1
        if doc.has_objects:
            mentions = parse_task1(task1.read_text(encoding="utf-8"), str(task1))
            for tag, metrics in score_track1(doc, mentions).items():
                result.track1[tag] = result.track1[tag] + metrics
            result.track1_documents += 1
        if doc.has_facts:
            facts = parse_task3(task3.read_text(encoding="utf-8"), str(task3))
            for fact_type, metrics in score_track3(doc, facts).items():
                result.track3[fact_type] = result.track3[fact_type] + metrics
            if misses:
                result.misses.extend(m for m in track3_misses(doc, facts) if m.fact_type in misses)
            result.track3_documents += 1
        if progress is not None:
            progress(f"{number}/{len(books)} {doc.name}")
    return result


def format_result(result: FactruResult) -> str:
    lines = [f"documents: {result.documents} responses written"]
    if result.half is not None:
        lines.append(f"half {result.half}: {result.documents} of {result.books} books ({RULE})")
    if result.track1_documents:
        lines.append(f"\nTrack 1 (entity mentions, {result.track1_documents} documents with gold)")
        lines.append(format_table([(tag, result.track1[tag]) for tag in TAGS + ("overall",)], "tag"))
    if result.track3_documents:
        lines.append(f"\nTrack 3 (facts, easy mode, {result.track3_documents} documents with gold)")
        lines.append(format_table([(t, result.track3[t]) for t in FACT_TYPES + ("overall",)], "fact"))
    if not result.track1_documents and not result.track3_documents:
        lines.append("no gold files found: nothing scored")
    if result.misses:
        kinds = {kind: sum(1 for m in result.misses if m.kind == kind) for kind in ("miss", "partial", "extra")}
        lines.append("\nTrack 3 misses (" + ", ".join(f"{n} {kind}" for kind, n in kinds.items()) + ")")
        lines.append(format_misses(result.misses))
    return "\n".join(lines)
