"""Text -> facts: natasha models + yargy/regex grammars; the only package importing natasha."""

from __future__ import annotations

from kg.model import Document, Extraction

__all__ = ["Extractor", "extract"]

_default: "Extractor | None" = None


def __getattr__(name: str) -> object:
    if name == "Extractor":
        from kg.extract.pipeline import Extractor

        return Extractor
    raise AttributeError(name)


def extract(doc: Document, extractor: "Extractor | None" = None) -> Extraction:
    """Extract with ``extractor`` or a lazily built module-level default (never at import time)."""
    global _default
    if extractor is None:
        if _default is None:
            from kg.extract.pipeline import Extractor

            _default = Extractor()
        extractor = _default
    return extractor.extract(doc)


if False:  # pragma: no cover - for type checkers only
    from kg.extract.pipeline import Extractor
