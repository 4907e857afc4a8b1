"""Text -> facts: natasha models, entity readers (``readers/``) and the fact readers of ``kg.facts``;
the only package importing natasha."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.model import Document, Extraction

if TYPE_CHECKING:
    from kg.extract.pipeline import Extractor

__all__ = ["Extractor", "extract"]

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
