"""Where ``kg build --jobs 1`` spends its CPU, stage by stage, in one process.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/profile_build.py --n 500 [--seed 0] [--no-html]
    OPENBLAS_NUM_THREADS=1 .venv/bin/python benchmarks/profile_build.py --corpus FILE.jsonl [--no-html]

Generates ``kg demo-corpus N --seed S`` (or reads ``--corpus``), then runs ``kg.pipeline.build.run_build`` (views
included) with timers wrapped around the functions each stage calls, and prints a
table of process CPU seconds (``time.process_time``: every thread of the process,
so RocksDB's background flushes and compactions count where they happen) and
milliseconds per document:

- model load: ``kg.pipeline.build.default_extractor`` (imports natasha, builds the models);
- natasha: ``Extractor._analyse`` (segmentation, morphology, name
  normalisation) and natasha's NER over each chunk (``NERTagger.map``), inside extraction;
- natasha's syntax parser (slovnet) over the sentences kg parses (``SyntaxParser.map``, drained
  inside ``kg.extract.syntax.parse``), and kg's side of the parse: choosing the sentences and
  building their words (``Extractor._parse`` minus the parser);
- entity readers (``Extractor._entities``: yargy grammars, gazetteers, NER spans to entities) and
  fact readers (``Extractor._facts``), each without the parse;
- the rest of extraction: ``Extractor.extract_many`` minus all of the above (cleaning, keeping,
  evidence sentences, the batch);
- mapping: ``kg.mapping.nquads.to_nquads`` (``_Mapper`` deciding the triples, each encoded as an
  N-Quads line as it is stated, and the lines joined); timed where it is defined, so every
  caller counts;
- store write: ``kg.pipeline.build._write``; store flush: ``OxigraphStore.flush``. kg
  writes from a background thread (``kg.writer``) while the next batch is
  extracted; here the writes are made in the calling thread, so that each stage's
  process CPU time is its own;
- graph.ttl + graph.trig: ``kg.pipeline.views.write_dump``; graph.html:
  ``kg.viz.render_store`` (its imports included); stats: ``kg.pipeline.stats.store_stats``. kg
  build renders graph.html while graph.ttl and graph.trig are dumped in threads; here the views
  are written one after the other, so that each has its own CPU time;
- other: the rest (reading, planning, content hashes, the CLI-free driver).

Timers are wrapped around the shipped functions (nothing in kg is changed), so
the figures are those of the code as it is.
"""

from __future__ import annotations

import argparse
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.pipeline.build import single_threaded_blas

single_threaded_blas()  # before natasha imports numpy, as kg build does

SPENT: dict[str, float] = {}
CALLS: dict[str, int] = {}


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its inclusive process CPU time added to ``SPENT[name]``."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[name] = SPENT.get(name, 0.0) + time.process_time() - started
            CALLS[name] = CALLS.get(name, 0) + 1

    return wrapper


def instrument(html: bool) -> None:
    import kg.pipeline.build
    import kg.pipeline.views
    import kg.pipeline.worker
    from kg.store.oxigraph import OxigraphStore
    from kg.writer import InlineWriter

    kg.pipeline.build.default_extractor = timed("model load", kg.pipeline.build.default_extractor)
    import kg.mapping.nquads

    # graph_nquads imports to_nquads when called: patched here, every caller is timed
    kg.mapping.nquads.to_nquads = timed("mapping", kg.mapping.nquads.to_nquads)
    kg.pipeline.build._write = timed("store write", kg.pipeline.build._write)
    # Process CPU time counts every thread: with kg's background writer the write would
    # be charged with the extraction running beside it. Profile the stages one after
    # the other instead: the same work, written in the calling thread.
    kg.pipeline.build.BackgroundWriter = InlineWriter  # type: ignore[misc]
    OxigraphStore.flush = timed("store flush", OxigraphStore.flush)  # type: ignore[method-assign]
    kg.pipeline.views.write_dump = timed("graph.ttl + graph.trig", kg.pipeline.views.write_dump)
    kg.pipeline.build.store_stats = timed("stats", kg.pipeline.build.store_stats)
    if html:
        before = time.process_time()
        import kg.viz

        SPENT["graph.html"] = time.process_time() - before
        kg.viz.render_store = timed("graph.html", kg.viz.render_store)

    def patch_extractor() -> Any:
        from natasha.ner import NERTagger
        from natasha.syntax import SyntaxParser

        from kg.extract.pipeline import Extractor

        # kg build calls extract_many (extract only when a batch fails); natasha is _analyse
        # (segmentation, morphology, names) plus the batch's NER, which extract_many runs first
        Extractor.extract_many = timed("extraction", Extractor.extract_many)  # type: ignore[method-assign]
        Extractor.extract = timed("extraction", Extractor.extract)  # type: ignore[method-assign]
        Extractor._analyse = timed("natasha", Extractor._analyse)  # type: ignore[method-assign]
        Extractor._entities = timed("entity readers", Extractor._entities)  # type: ignore[method-assign]
        Extractor._parse = timed("parse", Extractor._parse)  # type: ignore[method-assign]
        Extractor._facts = timed("fact readers", Extractor._facts)  # type: ignore[method-assign]
        ner_map = NERTagger.map
        NERTagger.map = timed("natasha", lambda self, items: list(ner_map(self, items)))  # type: ignore[method-assign]
        syntax_map = SyntaxParser.map
        SyntaxParser.map = timed("syntax", lambda self, items: list(syntax_map(self, items)))  # type: ignore[method-assign]

    original = kg.pipeline.build.default_extractor

    def make() -> Any:
        patch_extractor()
        return original()

    kg.pipeline.build.default_extractor = make


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-html", action="store_true", help="Leave graph.html out (as bench_build does).")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--corpus", type=Path, default=None, help="Build this input instead of a generated corpus.")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="kg-profile-"))
    workdir.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus or workdir / f"news-{args.n}-{args.seed}.jsonl"
    if args.corpus is None:
        from kg.demo import write_corpus

        write_corpus(corpus, args.n, args.seed)
    ws = workdir / "ws"
    shutil.rmtree(ws, ignore_errors=True)
    print(f"uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}")

    started, wall = time.process_time(), time.perf_counter()
    instrument(html=not args.no_html)  # inside the timing: kg.viz's imports count for graph.html
    import kg.pipeline.build
    import kg.pipeline.views
    from kg.pipeline.build import run_build
    from kg.workspace import Workspace

    def serial_views(store: Any, path: Path) -> tuple[Path, ...]:
        """The views one after the other, in this thread (see ``instrument``)."""
        views = Workspace(path)
        written = (kg.pipeline.views.write_dump(store, views.ttl, "turtle"),
                   kg.pipeline.views.write_dump(store, views.trig, "trig"))
        if args.no_html:
            return written
        views.html.write_text(kg.viz.render_store(store, title="profile"), encoding="utf-8")  # type: ignore[attr-defined]
        return (*written, views.html)

    kg.pipeline.build.write_views = serial_views  # type: ignore[assignment]
    summary = run_build([corpus], ws, jobs=1)
    total, wall = time.process_time() - started, time.perf_counter() - wall

    spent = dict(SPENT)
    rows = [
        ("model load", spent.get("model load", 0.0)),
        ("natasha (segment, morph, NER, names)", spent.get("natasha", 0.0)),
        ("natasha syntax (slovnet, the sentences kg parses)", spent.get("syntax", 0.0)),
        ("kg: sentences and words to parse", spent.get("parse", 0.0) - spent.get("syntax", 0.0)),
        ("kg: entity readers (grammars, gazetteers)", spent.get("entity readers", 0.0)),
        ("kg: fact readers (frames, rules)", spent.get("fact readers", 0.0)),
        ("kg: rest of extraction", spent.get("extraction", 0.0) - sum(
            spent.get(k, 0.0) for k in ("natasha", "entity readers", "parse", "fact readers"))),
        ("mapping to N-Quads (kg.mapping.nquads)", spent.get("mapping", 0.0)),
        ("store write", spent.get("store write", 0.0)),
        ("store flush", spent.get("store flush", 0.0)),
        ("graph.ttl + graph.trig", spent.get("graph.ttl + graph.trig", 0.0)),
        ("graph.html", spent.get("graph.html", 0.0)),
        ("stats", spent.get("stats", 0.0)),
    ]
    rows.append(("other (read, plan, driver)", total - sum(s for _, s in rows)))
    n = summary.read
    print(f"documents: {n}  triples: {summary.stats.triples}  CPU {total:.2f} s  wall {wall:.2f} s  "
          f"load average after: {os.getloadavg()[0]:.2f}")
    print("| stage | CPU s | ms / document | share |")
    print("|---|---:|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {1000 * seconds / n:.2f} | {100 * seconds / total:.1f}% |")
    print(f"| total | {total:.2f} | {1000 * total / n:.2f} | 100% |")
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
