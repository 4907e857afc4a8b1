"""Text -> facts: natasha models, entity readers (``readers/``) and the fact readers of ``kg.facts``;
the only package importing natasha."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from kg.model import Document, Extraction

if TYPE_CHECKING:
    from kg.extract.pipeline import Extractor

__all__ = ["Extractor", "Extracts", "ExtractsMany", "extract"]


class Extracts(Protocol):
    """What the build and the evaluations need of an extractor (``Extractor``, or a test's fake)."""

    def extract(self, doc: Document) -> Extraction: ...


@runtime_checkable
class ExtractsMany(Extracts, Protocol):
    """An extractor that reads a batch of documents at once (``Extractor``: one NER batch)."""

    def extract_many(self, docs: Sequence[Document]) -> list[Extraction]: ...

_default: Extractor | None = None


def __getattr__(name: str) -> object:
    if name == "Extractor":
        from kg.extract.pipeline import Extractor

        return Extractor
    raise AttributeError(name)


def extract(doc: Document, extractor: Extractor | None = None) -> Extraction:
    """Extract with ``extractor`` or a lazily built module-level default (never at import time)."""
    global _default
    if extractor is None:
        if _default is None:
            from kg.extract.pipeline import Extractor

            _default = Extractor()
        extractor = _default
    return extractor.extract(doc)
