"""A progress bar for long work: documents done, documents per second, time left.

It writes to a stream (stderr in the CLI) only when that stream is a terminal;
``Progress.for_stream(stream, enabled=False)`` or a stream that is not a TTY gives
a bar that writes nothing, so pipes, logs and ``--quiet`` stay clean.

>>> import io
>>> bar = Progress.for_stream(io.StringIO(), total=3)   # not a TTY: silent
>>> bar.advance(3); bar.close()
>>> bar.done
3
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

WIDTH = 24
INTERVAL = 0.2  # seconds between redraws


def format_seconds(seconds: float) -> str:
    """``75`` -> ``'1:15'``, ``3700`` -> ``'1:01:40'``.

    >>> format_seconds(75), format_seconds(3700)
    ('1:15', '1:01:40')
    """
    whole = max(0, int(round(seconds)))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def render(done: int, total: int | None, elapsed: float, label: str = "documents", note: str = "") -> str:
    """One line of the bar; ``note`` (e.g. ``workers 2``) ends it.

    >>> render(50, 200, 10.0)
    '[######------------------]  50/200 documents  5.0/s  left 0:30'
    >>> render(7, None, 2.0, note="workers 2")
    '7 documents  3.5/s  workers 2'
    """
    rate = done / elapsed if elapsed > 0 else 0.0
    tail = f"  {note}" if note else ""
    if total is None or total <= 0:
        return f"{done} {label}  {rate:.1f}/s{tail}"
    filled = min(WIDTH, WIDTH * done // total)
    bar = "#" * filled + "-" * (WIDTH - filled)
    left = format_seconds((total - done) / rate) if rate > 0 else "?"
    width = len(str(total))
    return f"[{bar}] {done:>{width}}/{total} {label}  {rate:.1f}/s  left {left}{tail}"


class Progress:
    """Counts work done; draws a one-line bar on a terminal, nothing elsewhere."""

    def __init__(
        self,
        write: Callable[[str], object] | None,
        total: int | None = None,
        *,
        label: str = "documents",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._write = write
        self.total = total
        self.label = label
        self.done = 0
        self.note: Callable[[], str] | None = None  # asked at each redraw, e.g. the number of workers
        self._clock = clock
        self._started = clock()
        self._drawn = 0.0
        self._width = 0

    @classmethod
    def for_stream(
        cls, stream: TextIO | None, total: int | None = None, *, enabled: bool = True,
        label: str = "documents",
    ) -> Progress:
        """A bar on ``stream`` if enabled and ``stream`` is a terminal, else a silent one."""
        active = enabled and stream is not None and _isatty(stream)
        if not active or stream is None:
            return cls(None, total, label=label)

        def write(text: str) -> None:
            stream.write(text)
            stream.flush()

        return cls(write, total, label=label)

    @property
    def active(self) -> bool:
        return self._write is not None

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._write is None:
            return
        now = self._clock()
        if now - self._drawn >= INTERVAL or (self.total is not None and self.done >= self.total):
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        assert self._write is not None
        line = render(self.done, self.total, now - self._started, self.label,
                      self.note() if self.note is not None else "")
        pad = " " * max(0, self._width - len(line))
        self._width = len(line)
        self._write("\r" + line + pad)

    def close(self) -> None:
        """Draw the final state and end the line (if anything was drawn)."""
        if self._write is None:
            return
        self._draw(self._clock())
        self._write("\n")
        self._write = None


def _isatty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
