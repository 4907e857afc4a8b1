"""A fast, deterministic stand-in for kg.extract, and a `kg` entry point that uses it.

Run as a script (``python tests/reliability/fake_kg.py build ...``) it is the real
`kg` command line with the NLP extractor replaced, so the crash and lock tests
can start, kill and rerun many builds in seconds. Each capitalised word becomes
an entity with its mentions; a text with "форум" gets an Event, so the graphs
have entities, facts and mention offsets like real ones.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from kg.model import Document, Entity, Event, Extraction, Kind, Span

WORD = re.compile(r"[A-ZА-ЯЁ][a-zа-яё]{2,}")
EVENT = re.compile(r"форум")


class FakeExtractor:
    """Capitalised words -> organisations; "форум" -> an Event; offsets into the raw text."""

    def __init__(self) -> None:
        self.delay = float(os.environ.get("KG_FAKE_EXTRACT_SECONDS", "0"))  # per document

    def extract(self, doc: Document) -> Extraction:
        if self.delay:
            time.sleep(self.delay)  # spreads the writes over the build, for the kill tests
        spans: dict[str, list[Span]] = {}
        for match in WORD.finditer(doc.text):
            spans.setdefault(match.group().lower(), []).append(
                Span(match.start(), match.end(), match.group())
            )
        entities = tuple(
            Entity(f"e{n}", Kind.ORGANIZATION, key, key.capitalize(), mentions=tuple(found))
            for n, (key, found) in enumerate(spans.items())
        )
        event = EVENT.search(doc.text)
        facts: tuple[Event, ...] = ()
        if event:
            evidence = Span(event.start(), event.end(), event.group())
            facts = (Event("форум", evidence, participants=tuple(e.id for e in entities[:2])),)
        return Extraction(doc, entities, facts)


def make_fake_extractor() -> FakeExtractor:
    """``kg.build``'s extractor factory; module-level, so ``--jobs N`` workers unpickle it."""
    return FakeExtractor()


def install() -> Callable[[], None]:
    """Make ``from kg.extract import Extractor`` return the FakeExtractor in this process,
    and ``kg.build`` build it in worker processes too (``--jobs N``); returns the undo.

    The real ``kg.extract`` package stays (fact types import its readers' modules); only
    its ``Extractor`` and ``extract`` are replaced.
    """
    import kg.pipeline.build
    import kg.extract

    missing = object()
    saved = {name: kg.extract.__dict__.get(name, missing) for name in ("Extractor", "extract")}
    factory = kg.pipeline.build.default_extractor
    kg.extract.Extractor = FakeExtractor  # type: ignore[attr-defined]
    kg.extract.extract = lambda doc, extractor=None: FakeExtractor().extract(doc)  # type: ignore[assignment]
    kg.pipeline.build.default_extractor = make_fake_extractor

    def undo() -> None:
        for name, value in saved.items():
            if value is missing:
                kg.extract.__dict__.pop(name, None)
            else:
                setattr(kg.extract, name, value)
        kg.pipeline.build.default_extractor = factory

    return undo


SCRIPT = Path(__file__).resolve()

if __name__ == "__main__":
    install()
    from kg.cli import main

    main()
