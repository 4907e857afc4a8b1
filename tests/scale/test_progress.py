"""kg.progress: a bar on a terminal, nothing elsewhere or with --quiet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_extractor import make_fake_extractor

from kg.progress import Progress, format_seconds, render


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("seconds", "text"), [(0, "0:00"), (59.6, "1:00"), (75, "1:15"), (3700, "1:01:40")])
def test_progress_format_seconds(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text


@pytest.mark.parametrize(("done", "total", "elapsed", "expected"), [
    (0, 10, 0.0, "[------------------------]  0/10 documents  0.0/s  left ?"),
    (5, 10, 2.0, "[############------------]  5/10 documents  2.5/s  left 0:02"),
    (10, 10, 4.0, "[########################] 10/10 documents  2.5/s  left 0:00"),
    (12, None, 3.0, "12 documents  4.0/s"),
])
def test_progress_render(done: int, total: int | None, elapsed: float, expected: str) -> None:
    assert render(done, total, elapsed) == expected


@pytest.mark.parametrize(("stream", "enabled", "drawn"), [
    (FakeTty(), True, True),
    (FakeTty(), False, False),  # --quiet
    (io.StringIO(), True, False),  # not a terminal
])
def test_progress_draws_only_on_enabled_tty(stream: io.StringIO, enabled: bool, drawn: bool) -> None:
    bar = Progress.for_stream(stream, total=3, enabled=enabled)
    for _ in range(3):
        bar.advance()
    bar.close()
    assert bar.done == 3
    assert (stream.getvalue() != "") is drawn
    if drawn:
        assert stream.getvalue().endswith("3/3 documents  " + stream.getvalue().split("documents  ")[-1])
        assert stream.getvalue().endswith("\n") and "\r" in stream.getvalue()


def test_progress_build_draws_documents_on_tty(corpus, tmp_path: Path) -> None:
    from kg.pipeline.build import run_build

    tty = FakeTty()
    run_build([corpus(20)], tmp_path / "ws", views=False, progress=True, progress_stream=tty,
              make_extractor=make_fake_extractor)
    last = tty.getvalue().strip().split("\r")[-1]
    assert last.startswith("[########################] 20/20 documents")


@pytest.mark.parametrize("args", [["--quiet"], []])
def test_progress_cli_build_silent_on_stderr_when_not_tty(corpus, tmp_path: Path, monkeypatch, args: list[str]) -> None:
    import kg.pipeline.build
    from kg.cli import cli

    monkeypatch.setattr(kg.pipeline.build, "default_extractor", make_fake_extractor)
    runner = CliRunner()  # its stderr is not a terminal
    result = runner.invoke(cli, ["build", str(corpus(10)), "-w", str(tmp_path / "ws"), *args],
                           catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr == ""
    assert (result.stdout == "") is ("--quiet" in args)
