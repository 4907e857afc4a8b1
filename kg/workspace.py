"""A workspace directory: where its store, views, push journals and write lock are.

Every module that needs a path inside a workspace asks ``Workspace`` for it, and every
file kg writes whole goes through ``atomic_write``::

    kg-out/store/        Oxigraph database (one named graph per document)
    kg-out/graph.ttl     union of all documents, Turtle
    kg-out/graph.trig    one named graph per document
    kg-out/graph.html    relationship view
    kg-out/push/         one journal per endpoint pushed to (kg push)
    kg-out/identity.sqlite  per document: extraction and entity records (kg.resolve.index)
    kg-out/curation.tsv  people's corrections (kg.resolve.curation)
    kg-out/lock          held while a build writes

>>> ws = Workspace("kg-out")
>>> ws.store_dir, ws.html
(PosixPath('kg-out/store'), PosixPath('kg-out/graph.html'))
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kg.errors import StoreError, WorkspaceLocked

DEFAULT_WORKSPACE = Path("kg-out")


@dataclass(frozen=True, slots=True)
class Workspace:
    """The paths of one workspace directory (nothing is created until something is written)."""

    path: Path

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_WORKSPACE) -> None:
        object.__setattr__(self, "path", Path(path))

    @property
    def store_dir(self) -> Path:
        """The Oxigraph database."""
        return self.path / "store"

    @property
    def ttl(self) -> Path:
        """graph.ttl: the union graph."""
        return self.path / "graph.ttl"

    @property
    def trig(self) -> Path:
        """graph.trig: every document's named graph."""
        return self.path / "graph.trig"

    @property
    def html(self) -> Path:
        """graph.html: the relationship view."""
        return self.path / "graph.html"

    @property
    def identity_index(self) -> Path:
        """identity.sqlite: each document's extraction and entity records (``kg.resolve.index``)."""
        return self.path / "identity.sqlite"

    @property
    def curation(self) -> Path:
        """curation.tsv: people's corrections (``kg.resolve.curation``)."""
        return self.path / "curation.tsv"

    @property
    def lock_path(self) -> Path:
        return self.path / "lock"

    def journal(self, endpoint_url: str) -> Path:
        """The journal of what ``kg push`` sent to ``endpoint_url``."""
        key = hashlib.sha1(endpoint_url.encode("utf-8")).hexdigest()[:12]
        return self.path / "push" / f"{key}.json"

    def require_store(self) -> None:
        """Raise StoreError unless a build has made the store."""
        if not self.store_dir.exists():
            raise StoreError(f"{self.path}: no store here; run `kg build INPUT -w {self.path}` first")

    def lock(self) -> AbstractContextManager[None]:
        """Hold the workspace's write lock (``write_lock``)."""
        return write_lock(self.path)


@contextmanager
def atomic_write(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; once the block has written it, it replaces ``path``.

    Readers see the old file or the new one, never half of one. If the block fails,
    the temporary file is removed and ``path`` is left as it was.
    """
    tmp = path.with_name(path.name + ".tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_write_all(paths: Sequence[Path]) -> Iterator[list[Path]]:
    """``atomic_write`` for files that belong together (graph.ttl, graph.trig, graph.html).

    Yields one temporary path beside each of ``paths``; only once the block has
    written them all do they replace ``paths`` (renames in the same directory). If
    the block fails (a full disk), every temporary file is removed and every one of
    ``paths`` is left as it was: never a new graph.html beside an old graph.ttl.
    """
    tmps = [path.with_name(path.name + ".tmp") for path in paths]
    try:
        yield tmps
    except BaseException:
        for tmp in tmps:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in zip(tmps, paths, strict=True):
        os.replace(tmp, path)


def write_output(output: str | os.PathLike[str], write: Callable[[str | IO[bytes]], None]) -> None:
    """Run ``write`` on the file ``output``, so that a failure leaves no partial file.

    A regular file (or a new one) is written under a temporary name and renamed
    when complete; a device, FIFO or symlink (``/dev/null``, ``/dev/stdout``) is
    opened and written in place. An OSError (a full disk) becomes one StoreError.
    """
    path = Path(output)
    if path.is_symlink() or (path.exists() and not path.is_file()):
        try:
            with open(path, "wb") as stream:
                write(stream)
        except OSError as exc:
            raise StoreError(f"{path}: cannot write ({exc.strerror or exc})") from exc
        return
    try:
        with atomic_write(path) as tmp:
            write(str(tmp))
    except OSError as exc:
        raise StoreError(f"{path}: cannot write ({exc.strerror or exc}); no partial file is left") from exc


@contextmanager
def write_lock(workspace: Path) -> Iterator[None]:
    """Hold ``workspace/lock`` for the duration; a second writer fails at once.

    The lock is an ``flock`` on the file, so the kernel releases it when the
    holder exits for any reason (SIGKILL included): a lock file left behind by a
    killed build never blocks the next one. The file only records who holds it.
    """
    path = Workspace(workspace).lock_path
    try:
        workspace.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise StoreError(f"{workspace}: cannot use this workspace: {exc.strerror or exc}") from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise WorkspaceLocked(
                f"{workspace}: workspace is in use by {holder}; wait for it to finish"
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"kg pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
