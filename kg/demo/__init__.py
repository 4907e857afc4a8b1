"""The demo corpus: realistic, generated Russian cluster news (``kg demo-corpus N``)."""

from kg.demo.corpus import generate, write_corpus

__all__ = ["generate", "write_corpus"]
