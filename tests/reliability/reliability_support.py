"""Helpers of the reliability tests: generated corpora, fake-extractor builds, store dumps."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
import pytest

from fake_kg import SCRIPT, install

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
STRICT = os.environ.get("KG_STRICT_TESTS") == "1"

NAMES = ["Калуга", "Обнинск", "Титан", "Нанолек", "Сибур", "Ростех", "Камаз", "Иннополис",
         "Сколково", "Алабуга", "Томск", "Липецк", "Росатом", "Татнефть", "Уралхим"]
VERBS = ["подписал соглашение с", "провёл встречу с", "вошёл в кластер вместе с",
         "обсудил инвестиции с", "открыл форум с участием"]


def write_corpus(path: Path, count: int, seed: int, edition: int = 1) -> list[str]:
    """A JSONL corpus of ``count`` short generated news items; returns their ids.

    ``edition`` 2 of the same seed rewrites every third text (same ids).
    """
    rng = random.Random(seed)
    ids = []
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            a, b, c = rng.sample(NAMES, 3)
            text = f"{a} {rng.choice(VERBS)} {b}; место: {c}, номер {n}. " * rng.randint(1, 4)
            if edition > 1 and n % 3 == 0:
                text = f"Исправлено: {c} {VERBS[n % len(VERBS)]} {a}. {text}"
            record = {"id": f"n{n:04d}", "text": text.strip(), "date": f"2024-{n % 12 + 1:02d}-0{n % 9 + 1}"}
            if n % 7 == 0:
                record["title"] = f"{a} и {b}"
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            ids.append(record["id"])
    return ids


def fake_kg(args: Sequence[str], *, seconds_per_doc: float = 0.0, **options: object) -> subprocess.Popen[bytes]:
    """Start ``kg ARGS`` with the fake extractor (taking ``seconds_per_doc``) in a subprocess."""
    env = dict(os.environ, PYTHONHASHSEED="0", KG_FAKE_EXTRACT_SECONDS=str(seconds_per_doc))
    return subprocess.Popen([PYTHON, str(SCRIPT), *args], cwd=REPO, env=env, **options)  # type: ignore[call-overload,no-any-return]


def store_quads(workspace: Path) -> set[ox.Quad]:
    """Every quad of a workspace's store (opened read-only, closed on return)."""
    store = ox.Store.read_only(str(workspace / "store"))
    try:
        return set(store.quads_for_pattern(None, None, None, None))
    finally:
        del store


def by_graph(quads: set[ox.Quad]) -> dict[str, set[ox.Quad]]:
    """The quads of each document graph (the default graph, their union, left out)."""
    graphs: dict[str, set[ox.Quad]] = {}
    for quad in quads:
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            graphs.setdefault(str(quad.graph_name), set()).add(quad)
    return graphs


def assert_union_consistent(quads: set[ox.Quad]) -> None:
    """The default graph holds exactly the distinct triples of the document graphs."""
    default = {q.triple for q in quads if isinstance(q.graph_name, ox.DefaultGraph)}
    named = {q.triple for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert default == named, f"default graph differs from the union: {len(default ^ named)} triples"


def parse_file(path: Path, fmt: ox.RdfFormat) -> set[ox.Quad] | set[ox.Triple]:
    return set(ox.parse(path=str(path), format=fmt))


def skip_or_fail(reason: str) -> None:
    """Skip, or fail under KG_STRICT_TESTS=1 (as tests/conftest.py does)."""
    if STRICT:
        pytest.fail(f"{reason} (KG_STRICT_TESTS=1 turns this skip into a failure)")
    pytest.skip(reason)
