"""Outputs on a full disk and on devices: one `Error:` line, no partial file, views all or none.

A full disk is simulated where Oxigraph writes (``OxigraphStore.dump``: half the data,
then ENOSPC as the kernel reports it); ``/dev/full`` is the real thing for devices.
"""

from __future__ import annotations

import errno
import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from reliability_support import write_corpus

from kg.cli import cli
from kg.store.oxigraph import OxigraphStore

VIEWS = ("graph.ttl", "graph.trig", "graph.html")


@pytest.fixture
def full_disk_for(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    """Formats whose dump hits a full disk halfway (add to the yielded set)."""
    formats: set[str] = set()
    dump = OxigraphStore.dump

    def failing(self: OxigraphStore, output: object, fmt: str, prefixes: dict[str, str]) -> None:
        if fmt not in formats:
            dump(self, output, fmt, prefixes)  # type: ignore[arg-type]
            return
        if isinstance(output, str | os.PathLike):
            Path(output).write_bytes(b"@prefix half: <http://example.org/> .\nhalf:a half:b ")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(OxigraphStore, "dump", failing)
    yield formats


def views(ws: Path) -> dict[str, bytes]:
    return {name: (ws / name).read_bytes() for name in VIEWS}


@pytest.mark.usefixtures("fake_extractor")
def test_views_are_replaced_together_or_not_at_all(tmp_path: Path, full_disk_for: set[str]) -> None:
    """Issue 16: a full disk while writing graph.trig left *.tmp files and a graph.html newer
    than graph.ttl/trig, with a traceback."""
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    write_corpus(first, 6, seed=1)
    write_corpus(second, 9, seed=2)
    ws = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["build", str(first), "-w", str(ws), "-q"]).exit_code == 0
    before = views(ws)
    full_disk_for.add("trig")
    result = CliRunner().invoke(cli, ["build", str(second), "-w", str(ws), "-q"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (f"Error: {ws}: cannot write the views (No space left on device); the store is up "
                             "to date and the previous graph.ttl, graph.trig and graph.html are kept\n")
    assert views(ws) == before
    assert sorted(p.name for p in ws.iterdir()) == ["graph.html", "graph.trig", "graph.ttl", "identity.sqlite", "lock",
                                                    "store"]
    full_disk_for.clear()  # space again: the next build writes the three
    del result  # its traceback holds the failed build's open store (a new process would not)
    gc.collect()
    result = CliRunner().invoke(cli, ["build", str(second), "-w", str(ws), "-q"])
    assert result.exit_code == 0, result.output
    after = views(ws)
    assert all(after[name] != before[name] for name in VIEWS)


@pytest.mark.usefixtures("fake_extractor")
@pytest.mark.parametrize("fmt", ["turtle", "trig", "nq", "rdfxml"])
def test_export_on_a_full_disk_leaves_no_partial_file(tmp_path: Path, corpus: Path, full_disk_for: set[str],
                                                      fmt: str) -> None:
    ws = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["build", str(corpus), "-w", str(ws), "-q"]).exit_code == 0
    out = tmp_path / "out" / "graph.rdf"
    out.parent.mkdir()
    full_disk_for.add(fmt)
    result = CliRunner().invoke(cli, ["export", "-w", str(ws), "-f", fmt, "-o", str(out)])
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {out}: cannot write (No space left on device); no partial file is left\n")
    assert list(out.parent.iterdir()) == []


@pytest.mark.usefixtures("fake_extractor")
@pytest.mark.parametrize("fmt", ["turtle", "nt", "trig", "nq", "jsonld", "rdfxml", "graphml", "gexf"])
def test_export_to_devices(tmp_path: Path, corpus: Path, fmt: str) -> None:
    """Issue 16: `kg export -o /dev/null` and `-o /dev/stdout` failed with os error 22."""
    ws = tmp_path / "ws"
    assert CliRunner().invoke(cli, ["build", str(corpus), "-w", str(ws), "-q"]).exit_code == 0
    for device in ("/dev/null", "/dev/stdout"):
        result = CliRunner().invoke(cli, ["export", "-w", str(ws), "-f", fmt, "-o", device])
        assert (result.exit_code, result.stderr) == (0, ""), (device, result.output)
    result = CliRunner().invoke(cli, ["export", "-w", str(ws), "-f", fmt, "-o", "/dev/full"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "No space left on device" in result.stderr
