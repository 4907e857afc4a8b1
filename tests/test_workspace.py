"""kg.workspace: one object for a workspace's paths, and one atomic write."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import StoreError
from kg.workspace import DEFAULT_WORKSPACE, Workspace, atomic_write


def test_workspace_paths(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "w")
    assert ws == Workspace(str(tmp_path / "w"))
    assert (ws.store_dir, ws.ttl, ws.trig, ws.html, ws.lock_path) == tuple(
        tmp_path / "w" / name for name in ("store", "graph.ttl", "graph.trig", "graph.html", "lock"))
    assert Workspace().path == DEFAULT_WORKSPACE
    assert not (tmp_path / "w").exists()  # asking for paths creates nothing


def test_workspace_journal_is_one_file_per_endpoint(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    first = ws.journal("http://127.0.0.1:7878/store")
    assert first == ws.journal("http://127.0.0.1:7878/store")
    assert first != ws.journal("http://127.0.0.1:8890/sparql-graph-crud")
    assert first.parent == tmp_path / "push" and first.suffix == ".json"


def test_workspace_require_store_names_the_workspace(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=f"^{tmp_path}: no store here; run `kg build INPUT -w {tmp_path}` first$"):
        Workspace(tmp_path).require_store()
    Workspace(tmp_path).store_dir.mkdir()
    Workspace(tmp_path).require_store()


def test_workspace_lock_is_the_write_lock(tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "w")
    with ws.lock():
        assert ws.lock_path.read_text(encoding="utf-8").startswith("kg pid ")
    assert ws.lock_path.read_text(encoding="utf-8") == ""


def test_atomic_write_replaces_the_file_when_done(tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text("old", encoding="utf-8")
    with atomic_write(path) as tmp:
        assert tmp.parent == tmp_path and tmp != path
        tmp.write_text("new", encoding="utf-8")
        assert path.read_text(encoding="utf-8") == "old"  # readers see the old file until the end
    assert path.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_atomic_write_keeps_the_old_file_when_the_writer_fails(tmp_path: Path) -> None:
    path = tmp_path / "graph.html"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError, match="half written"):
        with atomic_write(path) as tmp:
            tmp.write_text("ne", encoding="utf-8")
            raise RuntimeError("half written")
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.html"]
