"""The workspace's identity index: per document, what resolution needs, kept beside the store.

``WORKSPACE/identity.sqlite`` holds, for every document of the workspace (by the IRI
of its named graph): the content hash it was extracted from, its extraction
(``kg.resolve.codec``, compressed: so a document can be mapped again when the
resolution of its entities changes, without its input or the NLP models), its entity
records (``kg.resolve.records``), the digest of the resolution its stored graph
was written with, and the SHA-256 of the N-Quads written for it (``written``: what
``kg push`` compares with its journal instead of reading the graph back).

Consistency with the store, whatever was interrupted: a document's row is written
*before* its graph, its ``written`` digest is cleared before the graph is written
again, and its ``applied`` and ``written`` digests are set only *after* the graph is stored. A
build writes every document whose stored content hash or ``applied`` digest differs
from what the index and the current resolution give, so an interrupted build is
completed by the next one.

The index is stamped with the ``SCHEME`` of the records it holds (table ``meta``). Records
are computed where a document is extracted, so an index of an older scheme (or of a kg
that kept no stamp) holds keys resolution no longer reads the same way: a build then
forgets its rows (``renew``) and reads every stored document again, and so do ``kg
merge``/``split``/``reject``/``remove`` (``kg.pipeline.remove.index_workspace``).
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.model import Extraction
from kg.resolve import codec
from kg.resolve.records import EntityRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    graph TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    extraction BLOB NOT NULL,
    records TEXT NOT NULL,
    applied TEXT,
    rejected TEXT NOT NULL DEFAULT '[]',
    written TEXT
)
"""
_META = "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)"

# The scheme of the entity records and scoped keys (kg.resolve.records): raise it whenever a
# change there gives a stored document other records than a new extraction would.
# 2: persons by name parts, a surname alone or an initial scoped by the document's region (c393992);
# 3: the surname stem of a person's keys marked with the gender the name says (kg.extract.gender).
# 4: a federal body of the reference table named with a region after it is that region's body.
# 5: a cluster named with its former name beside it («X (до января — Y)») links the other's node.
# 6: a woman's surname after an initial keeps her form (kg.extract.gender.her_surname): «м белова», not «м белов».
SCHEME = 6


@dataclass(frozen=True, slots=True)
class IndexRow:
    """What the index knows of one document."""

    graph: str
    content_hash: str
    applied: str | None  # digest of the resolution its stored graph was written with
    rejected: frozenset[tuple[str, ...]]  # the curation ``reject`` lines applied to its stored graph
    records: tuple[EntityRecord, ...]


@dataclass(frozen=True, slots=True)
class StoredState:
    """One document's row without its records: what its stored graph was written from."""

    graph: str
    content_hash: str
    applied: str | None
    rejected: frozenset[tuple[str, ...]]
    iris: tuple[str, ...]  # the IRIs of its entity records (what ``Resolution.digest`` reads)


PAGE = 256  # rows per read of the index


class IdentityIndex:
    """``identity.sqlite`` of a workspace (``path=None``: in memory)."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        self.path = path
        try:
            if path is None:
                self._db = sqlite3.connect(":memory:", check_same_thread=False)
            elif read_only:
                self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            else:
                self._db = sqlite3.connect(str(path), check_same_thread=False)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
            if not read_only:
                self._db.execute(_SCHEMA)
                self._db.execute(_META)
                if self._db.execute("SELECT 1 FROM docs LIMIT 1").fetchone() is None:
                    self._stamp()
                columns = {row[1] for row in self._db.execute("PRAGMA table_info(docs)")}
                if "written" not in columns:  # an index of a build before kg kept it
                    self._db.execute("ALTER TABLE docs ADD COLUMN written TEXT")
                self._db.commit()
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the identity index ({exc}); move it away and build again") from exc

    @classmethod
    def of_workspace(cls, workspace: Path, *, read_only: bool = False) -> IdentityIndex:
        from kg.workspace import Workspace

        path = Workspace(workspace).identity_index
        if read_only and not path.exists():
            return cls(None)
        return cls(path, read_only=read_only)

    def close(self) -> None:
        self._db.close()

    def scheme(self) -> int | None:
        """The ``SCHEME`` its records were computed by (None: a kg that kept no stamp)."""
        try:
            row = self._db.execute("SELECT value FROM meta WHERE name = 'scheme'").fetchone()
        except sqlite3.OperationalError:  # no such table: an older index opened read-only
            return None
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path or '<memory>'}: cannot read the identity index: {exc}") from exc
        return int(row[0]) if row is not None else None

    def outdated(self) -> bool:
        """It holds records of another scheme than this kg's."""
        return self.scheme() != SCHEME

    def renew(self) -> int:
        """Forget every row and stamp the current scheme: the number of rows forgotten (the
        build then reads their documents back from the store and extracts them again)."""
        count = int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])
        self._run("write the identity index", "DELETE FROM docs")
        self._stamp()
        return count

    def _stamp(self) -> None:
        self._run("write the identity index", f"INSERT OR REPLACE INTO meta (name, value) VALUES ('scheme', '{SCHEME}')")

    def _run(self, what: str, sql: str, rows: Iterable[tuple[object, ...]] | None = None) -> None:
        try:
            with self._db:
                if rows is None:
                    self._db.execute(sql)
                else:
                    self._db.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path or '<memory>'}: cannot {what}: {exc}") from exc

    def put(self, rows: Iterable[tuple[str, str, str, tuple[EntityRecord, ...]]]) -> None:
        """Record extracted documents: (graph, content hash, encoded extraction, records)."""
        self._run("write the identity index", "INSERT OR REPLACE INTO docs (graph, hash, extraction, records, applied) VALUES (?, ?, ?, ?, ?)", (
            (graph, digest, zlib.compress(extraction.encode("utf-8"), 1),
             json.dumps([r.to_json() for r in records], ensure_ascii=False), None)
            for graph, digest, extraction, records in rows
        ))

    def hashes(self) -> dict[str, str]:
        """Graph -> content hash of every document of the index."""
        try:
            return dict(self._db.execute("SELECT graph, hash FROM docs"))
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path or '<memory>'}: cannot read the identity index: {exc}") from exc

    def hashes_of(self, graphs: Iterable[str]) -> dict[str, str]:
        """Graph -> content hash, of those of ``graphs`` the index holds (a build asks batch by batch
        rather than holding ``hashes()`` of the whole workspace)."""
        found: dict[str, str] = {}
        wanted = list(graphs)
        for start in range(0, len(wanted), PAGE):
            part = wanted[start:start + PAGE]
            try:
                found.update(self._db.execute(
                    f"SELECT graph, hash FROM docs WHERE graph IN ({','.join('?' * len(part))})", part))
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path or '<memory>'}: cannot read the identity index: {exc}") from exc
        return found

    def set_applied(self, rows: Iterable[tuple[str, str, tuple[tuple[str, ...], ...], str | None]]) -> None:
        """Documents now stored as written with this resolution digest and these curation
        ``reject`` lines, as N-Quads of this SHA-256: (graph, digest, rejects, written)."""
        self._run("write the identity index", "UPDATE docs SET applied = ?, rejected = ?, written = ? WHERE graph = ?",
                  ((digest, json.dumps(sorted(rejects), ensure_ascii=False), written, graph)
                   for graph, digest, rejects, written in rows))

    def clear_written(self, graphs: Iterable[str]) -> None:
        """Forget the ``written`` digest of graphs about to be written again (a write cut short
        must not leave the digest of what was there before)."""
        self._run("write the identity index", "UPDATE docs SET written = NULL WHERE graph = ?", ((g,) for g in graphs))

    def written(self) -> dict[str, str]:
        """Graph -> SHA-256 of the N-Quads stored for it, for the documents whose write completed
        (empty for an index written before kg kept it)."""
        try:
            return dict(self._db.execute("SELECT graph, written FROM docs WHERE written IS NOT NULL"))
        except sqlite3.OperationalError:  # no such column: an older index opened read-only
            return {}
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path or '<memory>'}: cannot read the identity index: {exc}") from exc

    def remove(self, graphs: Iterable[str]) -> None:
        self._run("write the identity index", "DELETE FROM docs WHERE graph = ?", ((g,) for g in graphs))

    def _paged(self, columns: str) -> Iterator[tuple[Any, ...]]:
        """(graph, *columns) of every row, in graph order, read PAGE rows at a time (no cursor stays
        open between pages, so the index may be written meanwhile)."""
        after = ""
        while True:
            try:
                page = self._db.execute(f"SELECT graph, {columns} FROM docs WHERE graph > ? ORDER BY graph LIMIT ?",
                                        (after, PAGE)).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path or '<memory>'}: cannot read the identity index: {exc}") from exc
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1][0]

    def rows(self) -> Iterator[IndexRow]:
        """Every row, in graph order."""
        for graph, digest, applied, rejected, records in self._paged("hash, applied, rejected, records"):
            yield IndexRow(graph, digest, applied, _rejects(rejected),
                           tuple(EntityRecord.from_json(r) for r in json.loads(records)))

    def records(self) -> Iterator[tuple[str, tuple[EntityRecord, ...]]]:
        """(graph, entity records) of every document, in graph order (``kg.resolve.resolve_stream``)."""
        for graph, records in self._paged("records"):
            yield graph, tuple(EntityRecord.from_json(r) for r in json.loads(records))

    def states(self) -> Iterator[StoredState]:
        """What the index says each document's stored graph was written from, in graph order."""
        for graph, digest, applied, rejected, records in self._paged("hash, applied, rejected, records"):
            yield StoredState(graph, digest, applied, _rejects(rejected), tuple(str(r[0]) for r in json.loads(records)))

    def extractions(self, graphs: Iterable[str]) -> Iterator[tuple[str, Extraction]]:
        """(graph, extraction) of these graphs (those the index holds), in the order given."""
        for graph, stored in self.stored_extractions(graphs):
            yield graph, decode_extraction(stored)

    def stored_extractions(self, graphs: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """(graph, extraction as stored: ``decode_extraction`` reads it) of these graphs (those the
        index holds), in the order given; a worker process can decode it."""
        for graph in graphs:
            try:
                row = self._db.execute("SELECT extraction FROM docs WHERE graph = ?", (graph,)).fetchone()
            except sqlite3.Error as exc:
                raise StoreError(f"{self.path or '<memory>'}: cannot read the identity index: {exc}") from exc
            if row is not None:
                yield graph, bytes(row[0])


def decode_extraction(stored: bytes) -> Extraction:
    """An extraction as ``IdentityIndex.stored_extractions`` gives it."""
    return codec.decode(zlib.decompress(stored).decode("utf-8"))


def _rejects(text: str) -> frozenset[tuple[str, ...]]:
    """The curation ``reject`` lines of a row's ``rejected`` column (JSON lists)."""
    return frozenset(tuple(r) for r in json.loads(text))
