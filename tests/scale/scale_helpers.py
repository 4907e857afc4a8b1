"""Helpers shared by the scale tests (a unique module name: every test folder has a conftest)."""

from __future__ import annotations

import json
from pathlib import Path


def read_records(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_records(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def nquads(workspace: Path) -> set[str]:
    from kg.store.oxigraph import open_store

    return {str(q) for q in open_store(workspace, read_only=True).quads()}
