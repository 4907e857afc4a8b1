"""kg: knowledge graphs of Russian regional clusters, read from the news.

The API mirrors the CLI: ``kg.build``, ``kg.export``, ``kg.validate``, ``kg.stats``.
Names are imported on first use, so ``import kg`` stays cheap and loads no model.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_API = {
    "build": "kg.api",
    "export": "kg.api",
    "validate": "kg.api",
    "stats": "kg.api",
    "remove": "kg.api",
    "RemoveSummary": "kg.api",
    "BuildSummary": "kg.api",
    "Stats": "kg.api",
    "query": "kg.api",
    "find": "kg.api",
    "Rows": "kg.sparql.rows",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    return getattr(import_module(module), name)
