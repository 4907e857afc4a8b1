"""Crash safety: `kg build` killed with SIGKILL at random moments, then rerun.

The rerun must give exactly the store (N-Quads set) and views of an
uninterrupted build, and after every kill each document graph in the store
must be absent, its old version or its new version: never half written.
"""

from __future__ import annotations

import importlib
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store.oxigraph import OxigraphStore

from reliability_support import (
    PYTHON,
    REPO,
    assert_union_consistent,
    by_graph,
    fake_kg,
    parse_file,
    skip_or_fail,
    store_quads,
    write_corpus,
)

SEED = int(os.environ.get("KG_CRASH_SEED", "20261127"))
FAKE_SECONDS = 0.005
VIEWS = (("graph.ttl", ox.RdfFormat.TURTLE), ("graph.trig", ox.RdfFormat.TRIG))
Graphs = dict[str, set[ox.Quad]]


def _start(args: list[str], cmd: list[str] | None) -> subprocess.Popen[bytes]:
    if cmd is None:  # extraction takes a few ms a document, so kills land among the writes
        return fake_kg(args, seconds_per_doc=FAKE_SECONDS, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return subprocess.Popen([*cmd, *args], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _run(args: list[str], cmd: list[str] | None) -> float:
    """Run a build to completion; return its duration (used only to pick kill moments)."""
    started = time.perf_counter()
    proc = _start(args, cmd)
    _, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err.decode()
    return time.perf_counter() - started


def _kill_at(args: list[str], delay: float, cmd: list[str] | None) -> bool:
    """Start a build and SIGKILL it after ``delay`` s; False if it had finished by then."""
    proc = _start(args, cmd)
    time.sleep(delay)
    finished = proc.poll() is not None
    if not finished:
        proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    if finished or proc.returncode == 0:  # it finished before the kill, or as it was sent
        assert proc.returncode == 0, err.decode()
        return False
    assert proc.returncode == -signal.SIGKILL, err.decode()
    return True


def _check_whole_documents(workspace: Path, allowed: list[Graphs]) -> tuple[int, int]:
    """Each named graph in a killed build's store is one allowed version.

    Returns how many graphs there are and how many are the last allowed version.
    """
    if not (workspace / "store" / "CURRENT").exists():
        return 0, 0  # killed before the store was created
    everything = store_quads(workspace)
    assert_union_consistent(everything)
    graphs = by_graph(everything)
    for name, quads in graphs.items():
        versions = [g[name] for g in allowed if name in g]
        assert versions, f"unexpected graph {name}"
        assert quads in versions, f"graph {name} is half written"
    return len(graphs), sum(quads == allowed[-1].get(name) for name, quads in graphs.items())


def _kill_and_resume(tmp_path: Path, count: int, trials: int, update: bool, cmd: list[str] | None) -> None:
    """Each trial: from the start state, kill a build, kill its resumption, then finish it."""
    first, second = tmp_path / "news-1.jsonl", tmp_path / "news-2.jsonl"
    write_corpus(first, count, seed=SEED)
    write_corpus(second, count, seed=SEED, edition=2)
    old_ws, new_ws, start, crashed = (tmp_path / n for n in ("old", "new", "start", "crashed"))
    _run(["build", str(first), "-w", str(old_ws), "-q"], cmd)
    old = by_graph(store_quads(old_ws))
    assert len(old) == count
    if update:  # the killed builds update a complete first edition to the second
        shutil.copytree(old_ws, new_ws)
        shutil.copytree(old_ws, start)
        corpus = second
        duration = _run(["build", str(second), "-w", str(new_ws), "-q"], cmd)
        allowed = [old, by_graph(store_quads(new_ws))]
        assert 0 < sum(old[g] != allowed[1][g] for g in old) < count
    else:  # the killed builds start from an empty workspace
        start.mkdir()
        new_ws, corpus, allowed = old_ws, first, [old]
        duration = _run(["build", str(first), "-w", str(tmp_path / "timing"), "-q"], cmd)
    expected = store_quads(new_ws)
    views = {name: parse_file(new_ws / name, fmt) for name, fmt in VIEWS}

    rng = random.Random(f"{SEED}-{update}")
    args = ["build", str(corpus), "-w", str(crashed), "-q"]
    killed, seen = 0, []
    for _ in range(trials):
        shutil.rmtree(crashed, ignore_errors=True)
        shutil.copytree(start, crashed)
        for _ in range(2):  # a kill, then a kill of the resumed build
            killed += _kill_at(args, rng.uniform(0.0, duration), cmd)
            seen.append(_check_whole_documents(crashed, allowed))
            if update:  # a replaced document is never missing, not even for a moment
                assert seen[-1][0] == count, f"documents went missing: {seen[-1][0]} of {count}"
        _run(args, cmd)
        assert store_quads(crashed) == expected
        for name, fmt in VIEWS:
            assert parse_file(crashed / name, fmt) == views[name], name
        assert not list(crashed.glob("*.tmp")), "a temporary view file was left behind"
    print(f"build {duration:.2f}s; {killed}/{2 * trials} runs killed; (graphs, new) after each: {seen}")
    assert killed > 0, "every build finished before its kill: the corpus is too small"


@pytest.mark.parametrize("update", [False, True], ids=["fresh", "update"])
def test_crash_sigkill_then_rerun_equals_uninterrupted_build(tmp_path: Path, update: bool) -> None:
    _kill_and_resume(tmp_path, count=300, trials=4, update=update, cmd=None)


@pytest.mark.slow
def test_crash_sigkill_real_cli_then_rerun_equals_uninterrupted_build(tmp_path: Path) -> None:
    """The same with `python -m kg build` and the real NLP extractor."""
    try:
        ready = hasattr(importlib.import_module("kg.extract"), "Extractor")
    except ImportError:
        ready = False
    if not ready:
        skip_or_fail("kg.extract.Extractor is not available yet")
    _kill_and_resume(tmp_path, count=150, trials=2, update=False, cmd=[PYTHON, "-m", "kg"])


WRITER = Path(__file__).resolve().with_name("store_writer.py")


def _check_store_after_kill(path: Path) -> int:
    """Every graph is a whole version, every batch's new documents are all there or all
    absent, and the default graph is the union; returns the next batch to write."""
    from store_writer import NEW, document

    store = ox.Store.read_only(str(path))
    try:
        everything = set(store.quads_for_pattern(None, None, None, None))
    finally:
        del store
    assert_union_consistent(everything)
    batches: dict[int, set[int]] = {}
    for name, quads in by_graph(everything).items():
        hashes = [q.object.value for q in quads if q.predicate.value.endswith("contentHash")]
        assert len(hashes) == 1, f"{name} has no content hash: half written"
        doc_id, version = hashes[0].split("@")
        assert quads == document(doc_id, int(version)), f"{name} is half written"
        number, j = map(int, doc_id.split("-"))
        batches.setdefault(number, set()).add(j)
    for number, present in batches.items():
        assert present == set(range(NEW)), f"batch {number} is partly written: {sorted(present)}"
    return max(batches, default=-1) + 1


def test_crash_sigkill_during_store_writes_leaves_whole_documents(tmp_path: Path) -> None:
    """Kill a process writing batches (new documents by bulk load, replaced ones by update)."""
    path = tmp_path / "store"
    rng = random.Random(f"{SEED}-store")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(WRITER.parent), str(REPO)]))
    killed, next_batch = 0, 0
    for _ in range(12):
        proc = subprocess.Popen([PYTHON, str(WRITER), str(path), str(next_batch), str(next_batch + 400)],
                                cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert proc.stdout is not None and proc.stdout.readline() == b"open\n"
        time.sleep(rng.uniform(0.05, 0.6))  # while it writes
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, -signal.SIGKILL), err.decode()
        written = _check_store_after_kill(path)
        assert written >= next_batch
        next_batch = written
    assert killed > 0 and next_batch > 1
    # opening for writing removes the SST files of killed bulk loads, and nothing else
    del OxigraphStore(path)._store
    assert not list(path.glob("bulk-*.sst"))
    assert _check_store_after_kill(path) == next_batch
