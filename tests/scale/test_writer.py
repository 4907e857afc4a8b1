"""kg.writer.BackgroundWriter, alone and inside the build (store writes beside extraction)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from fake_extractor import make_fake_extractor
from scale_helpers import nquads

import kg.pipeline.build
from kg.pipeline.build import run_build
from kg.errors import StoreError
from kg.store.oxigraph import OxigraphStore, open_store
from kg.writer import BackgroundWriter, InlineWriter

HOLD = 10.0  # seconds a test waits for an event that must come at once; never reached when it works


class Gate:
    """A write function that records its batches and can be held at the start of a write."""

    def __init__(self, fail_on: object = None) -> None:
        self.written: list[object] = []
        self.started = threading.Semaphore(0)
        self.release = threading.Event()
        self.release.set()
        self.fail_on = fail_on

    def __call__(self, batch: object) -> None:
        self.started.release()
        assert self.release.wait(HOLD)
        if batch == self.fail_on:
            raise StoreError(f"cannot write {batch}")
        self.written.append(batch)


def test_writer_writes_every_batch_in_order() -> None:
    gate = Gate()
    with BackgroundWriter(gate) as writer:
        for n in range(50):
            writer.submit(n)
    assert gate.written == list(range(50))


def test_writer_failure_is_raised_and_later_batches_are_not_written() -> None:
    gate = Gate(fail_on=2)
    with pytest.raises(StoreError, match="cannot write 2"):
        with BackgroundWriter(gate) as writer:
            for n in range(6):
                writer.submit(n)
    assert gate.written == [0, 1]


def test_writer_failure_of_the_last_batch_is_raised_by_close() -> None:
    gate = Gate(fail_on="last")
    writer: BackgroundWriter[str] = BackgroundWriter(gate)
    writer.submit("first")
    writer.submit("last")
    with pytest.raises(StoreError, match="cannot write last"):
        writer.close()
    assert gate.written == ["first"]


def test_writer_holds_at_most_one_waiting_batch() -> None:
    gate = Gate()
    gate.release.clear()
    writer: BackgroundWriter[int] = BackgroundWriter(gate)
    writer.submit(1)
    assert gate.started.acquire(timeout=HOLD)  # 1 is being written (held)
    writer.submit(2)  # waits in the queue
    third = threading.Thread(target=writer.submit, args=(3,))
    third.start()
    third.join(0.3)
    assert third.is_alive()  # no room: submit blocks until a write ends
    gate.release.set()
    third.join(HOLD)
    assert not third.is_alive()
    writer.close()
    assert gate.written == [1, 2, 3]


def test_writer_exception_in_caller_drops_waiting_batch_and_finishes_current() -> None:
    gate = Gate()
    gate.release.clear()
    with pytest.raises(KeyboardInterrupt):
        with BackgroundWriter(gate) as writer:
            writer.submit("in progress")
            assert gate.started.acquire(timeout=HOLD)
            writer.submit("waiting")
            threading.Timer(0.2, gate.release.set).start()
            raise KeyboardInterrupt
    assert gate.written == ["in progress"]  # finished before the with block was left


def test_writer_build_same_store_as_synchronous_writes(corpus, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    news = corpus(700)  # three batches of kg.pipeline.build.BATCH and a partial one
    background = run_build([news], tmp_path / "bg", make_extractor=make_fake_extractor, views=False)

    monkeypatch.setattr(kg.pipeline.build, "BackgroundWriter", InlineWriter)
    synchronous = run_build([news], tmp_path / "sync", make_extractor=make_fake_extractor, views=False)
    assert background.added == synchronous.added == 700
    assert nquads(tmp_path / "bg") == nquads(tmp_path / "sync")


def test_writer_build_store_failure_keeps_earlier_batches(corpus, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    news, ws = corpus(700), tmp_path / "ws"
    original = OxigraphStore.replace_documents_nquads
    calls = []

    def fail_second(self: OxigraphStore, batch: Any) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise StoreError("disk full")
        original(self, batch)

    monkeypatch.setattr(OxigraphStore, "replace_documents_nquads", fail_second)
    with pytest.raises(StoreError, match="disk full"):
        run_build([news], ws, make_extractor=make_fake_extractor, views=False)
    assert len(calls) == 2  # nothing written after the failure
    monkeypatch.undo()
    assert len(open_store(ws, read_only=True).documents()) == kg.pipeline.build.BATCH
