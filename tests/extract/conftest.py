"""Session fixtures for extraction tests: the natasha models load once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.extract import Extractor
from kg.model import Document, Entity, Extraction, Kind

SHARED = Path("/work/shared")
SEED = Path(__file__).resolve().parents[2] / "data" / "seed-news.txt"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


def read(extractor: Extractor, text: str, date: str | None = None, doc_id: str = "t") -> Extraction:
    return extractor.extract(Document(id=doc_id, text=text, date=date))


def by_label(result: Extraction, label: str, kind: Kind | None = None) -> Entity:
    for entity in result.entities:
        if entity.label == label and (kind is None or entity.kind == kind):
            return entity
    labels = sorted(f"{e.kind.value}:{e.label}" for e in result.entities)
    raise AssertionError(f"no entity {label!r} ({kind}) among {labels}")


def labels(result: Extraction, ids: tuple[str, ...] | list[str]) -> set[str]:
    return {result.entity(i).label for i in ids}


def need_shared() -> None:
    if not SHARED.exists():
        if os.environ.get("KG_STRICT_TESTS") == "1":
            pytest.fail("/work/shared is missing (KG_STRICT_TESTS=1)")
        pytest.skip("/work/shared is not available")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Pass rates of the challenge tables (tests/extract/test_challenge.py), when they ran."""
    from . import challenge

    for line in challenge.summary():
        terminalreporter.write_line(line)
