"""``kg build --dask``: a real LocalCluster (or a real scheduler and worker in subprocesses),
the same graph as ``--jobs 1``, unchanged documents never sent, a killed worker and a
scheduler that goes away. The fake extractor keeps the models out, except in the slow test."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from fake_extractor import logged, make_fake_extractor, make_logging_extractor
from scale_helpers import nquads, read_records, write_records

import kg.pipeline.build
from kg.pipeline.build import ADDED, CHUNK, UNCHANGED, Job, make_doc_worker, run_build
from kg.resolve import IdentityIndex
from kg.cli import cli
from tests.conftest import STRICT

if importlib.util.find_spec("distributed") is None:  # the optional extra; the test extra brings it
    if STRICT:
        raise ImportError("dask.distributed is not installed: pip install -e '.[test]'")
    pytest.skip("dask.distributed is not installed", allow_module_level=True)

import kg.distributed  # noqa: E402
from kg.distributed import TASK_CHUNKS, DaskBackend, Target, parse_target  # noqa: E402
from kg.errors import KgError  # noqa: E402
from kg.mapping.iri import DEFAULT_BASE  # noqa: E402
from kg.model import Document  # noqa: E402
from kg.store.oxigraph import open_store  # noqa: E402

HERE = Path(__file__).parent


def sorted_nquads(workspace: Path) -> list[str]:
    """``kg export -f nq``, sorted: what two builds must agree on line for line."""
    result = CliRunner().invoke(cli, ["export", "-w", str(workspace), "-f", "nq"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return sorted(result.stdout.splitlines())


def cli_build(*args: str) -> object:
    return CliRunner().invoke(cli, ["build", *args])


@pytest.fixture
def fake_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's extractor is the fake one (workers import it by reference, from this folder)."""
    monkeypatch.setattr(kg.pipeline.build, "default_extractor", make_fake_extractor)


@pytest.mark.parametrize(("text", "target"), [
    ("local:1", Target(workers=1)),
    ("local:16", Target(workers=16)),
    ("tcp://127.0.0.1:8786", Target(address="tcp://127.0.0.1:8786")),
    ("scheduler.lan:8786", Target(address="scheduler.lan:8786")),
    ("tls://10.1.2.3:8786", Target(address="tls://10.1.2.3:8786")),
])
def test_dask_parse_target_accepts(text: str, target: Target) -> None:
    assert parse_target(text) == target


@pytest.mark.parametrize(("text", "message"), [
    ("local:0", "local:N needs a number of worker processes N >= 1"),
    ("local:two", "local:N needs a number of worker processes N >= 1"),
    ("local:", "local:N needs a number of worker processes N >= 1"),
    ("scheduler", "not a scheduler address"),
    ("http://host:8786", "not a scheduler address"),
    ("tcp://host:8786/path", "not a scheduler address"),
])
def test_dask_parse_target_rejects(text: str, message: str) -> None:
    with pytest.raises(KgError, match=message):
        parse_target(text)


def test_dask_cli_local_same_sorted_nquads_as_jobs1_and_quiet(corpus, tmp_path: Path, fake_models: None) -> None:
    news = corpus(150)
    one = cli_build(str(news), "-w", str(tmp_path / "one"), "--quiet")
    dask = cli_build(str(news), "-w", str(tmp_path / "dask"), "--quiet", "--dask", "local:2")
    assert (one.exit_code, one.stdout, one.stderr) == (0, "", "")
    assert (dask.exit_code, dask.stdout, dask.stderr) == (0, "", "")  # no Dask log line either
    lines = sorted_nquads(tmp_path / "one")
    assert len(lines) > 150 * 5
    assert sorted_nquads(tmp_path / "dask") == lines
    # the views are written from the same store
    assert (tmp_path / "dask" / "graph.trig").read_bytes() == (tmp_path / "one" / "graph.trig").read_bytes()


def test_dask_cli_summary_and_progress_show_workers(corpus, tmp_path: Path) -> None:
    from test_progress import FakeTty

    tty = FakeTty()
    summary = run_build([corpus(40)], tmp_path / "ws", views=False, progress=True, progress_stream=tty,
                        make_extractor=make_fake_extractor, dask="local:2")
    assert (summary.read, summary.added) == (40, 40)
    last = tty.getvalue().strip().split("\r")[-1]
    assert last.startswith("[########################] 40/40 documents")
    assert last.split()[-2:] == ["workers", "2"]


def test_dask_cluster_closes_while_the_store_is_written(corpus, tmp_path: Path, monkeypatch) -> None:
    """The workers stop in the background once the extraction pass ends, while this process maps
    the resolved documents and writes the store; every process the build started is gone when it
    returns."""
    import psutil

    import kg.pipeline.backend
    import kg.pipeline.worker

    events: list[str] = []
    close_in_background = kg.pipeline.backend.Backend.close_in_background
    write_resolved = kg.pipeline.build.write_resolved
    write_graph = kg.pipeline.worker.write_graph

    def noted_close(self: kg.pipeline.backend.Backend) -> None:
        events.append("workers closing")
        close_in_background(self)

    def noted_write(*args: object, **kwargs: object) -> int:
        events.append("store pass")
        return write_resolved(*args, **kwargs)  # type: ignore[arg-type]

    def noted_graph(job: kg.pipeline.worker.WriteJob, minter: object) -> kg.pipeline.worker.DocResult:
        events.append("mapped here")
        return write_graph(job, minter)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.pipeline.backend.Backend, "close_in_background", noted_close)
    monkeypatch.setattr(kg.pipeline.build, "write_resolved", noted_write)
    monkeypatch.setattr(kg.pipeline.worker, "write_graph", noted_graph)
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    news = corpus(40)
    summary = run_build([news], tmp_path / "dask", views=False, make_extractor=make_fake_extractor, dask="local:2")
    assert summary.added == 40
    assert events[:2] == ["workers closing", "store pass"] and events[2:] == ["mapped here"] * 40 + ["workers closing"]
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= before
    monkeypatch.undo()
    run_build([news], tmp_path / "one", views=False, make_extractor=make_fake_extractor)
    assert sorted_nquads(tmp_path / "dask") == sorted_nquads(tmp_path / "one")


def test_dask_backend_maps_writes_as_this_process(corpus, tmp_path: Path) -> None:
    """``DaskBackend.map`` takes ``Writes`` chunks too (no plugin, no models): the same N-Quads."""
    from kg.pipeline.worker import WriteJob, Writes

    run_build([corpus(20)], tmp_path / "ws", views=False, make_extractor=make_fake_extractor)
    index = IdentityIndex.of_workspace(tmp_path / "ws", read_only=True)
    jobs = [WriteJob(graph, stored, (), "digest") for graph, stored in index.stored_extractions(index.hashes())]
    index.close()
    chunks = [Writes(tuple(jobs[i:i + 3])) for i in range(0, len(jobs), 3)]
    make_worker = partial(make_doc_worker, DEFAULT_BASE, make_fake_extractor)
    with DaskBackend(parse_target("local:1")) as backend:
        remote = [r for chunk in backend.map(make_worker, chunks) for r in chunk]
    here = [r for chunk in chunks for r in make_worker()(chunk)]
    assert len(remote) == 20 and all(r.nquads for r in remote)
    assert remote == here


def test_dask_local_cluster_beside_another_prints_nothing(corpus, tmp_path: Path, fake_models: None) -> None:
    """Another program on the scheduler's default HTTP port (8787, e.g. another cluster): no warning."""
    with socket.socket() as taken:
        try:
            taken.bind(("127.0.0.1", 8787))
            taken.listen()
        except OSError:
            pass  # already taken by something else: the same case
        result = cli_build(str(corpus(3)), "-w", str(tmp_path / "ws"), "--quiet", "--dask", "local:1")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")


def test_dask_backend_never_sends_unchanged_documents(tmp_path: Path) -> None:
    """Documents the identity index holds already (``Job.extract`` False) never leave this process."""
    class Unsendable(Document):
        """A document that cannot be pickled: sending it to a worker would fail the build."""

        def __reduce__(self) -> object:
            raise TypeError(f"{self.id} was sent to a worker")

    def job(n: int, changed: bool) -> Job:
        doc = Document(f"d{n}", f"ООО «Фирма{n}» вошла в Томский кластер Томской области.")
        return Job(doc, ADDED) if changed else Job(Unsendable(doc.id, doc.text), UNCHANGED, extract=False)

    # whole tasks of unchanged documents, and chunks mixing both
    changed = [n % 3 == 0 or n >= 4 * CHUNK * TASK_CHUNKS for n in range(6 * CHUNK * TASK_CHUNKS)]
    jobs = [job(n, flag) for n, flag in enumerate(changed)]
    chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    make_worker = partial(make_doc_worker, DEFAULT_BASE, make_fake_extractor)
    with DaskBackend(parse_target("local:1")) as backend:
        results = [r for chunk in backend.map(make_worker, chunks) for r in chunk]
        assert backend.client is not None  # the workers run without Dask's statistical profiler
        profiling = backend.client.run(lambda: __import__("dask").config.get("distributed.worker.profile.enabled"))
        assert list(profiling.values()) == [False]
        # nor with the nanny's MALLOC_TRIM_THRESHOLD_ (1.3x the CPU per document, kg.distributed)
        trim = backend.client.run(lambda: __import__("os").environ.get("MALLOC_TRIM_THRESHOLD_"))
        assert list(trim.values()) == [None]
    local = [r for chunk in chunks for r in make_worker()(chunk)]
    assert [r.status for r in results] == [ADDED if flag else UNCHANGED for flag in changed]
    assert results == local


def test_dask_client_keeps_only_the_documents_in_flight(tmp_path: Path) -> None:
    """Client memory does not grow with the corpus: once a task is done, nothing in this process
    (the client, and local:N's scheduler) holds its documents. Dask's comms log their last
    messages (1,000 by default), tasks included: they held every document of a 2,000-document build."""
    import gc

    from kg.io import read_documents
    from kg.parallel import chunked

    total = 2000
    news = tmp_path / "news.jsonl"
    write_records(news, [{"id": f"d{n}", "text": f"ООО «Фирма{n}» вошла в Томский кластер Томской области."}
                         for n in range(total)])
    jobs = (Job(doc, ADDED) for doc in read_documents([news], per_file=False, encoding=None, report=print))
    make_worker = partial(make_doc_worker, DEFAULT_BASE, make_fake_extractor)
    read = alive = 0
    with DaskBackend(parse_target("local:2")) as backend:
        for chunk in backend.map(make_worker, chunked(jobs, CHUNK)):
            read += len(chunk)
            if read == total - CHUNK * TASK_CHUNKS * 20:  # well after the first tasks are done
                gc.collect()
                alive = sum(1 for o in gc.get_objects() if isinstance(o, Document))
                window = backend._window()
    assert read == total
    # the tasks in flight and those whose results wait to be read, and the few messages logged
    bound = (2 * window + kg.distributed.MESSAGE_LOG) * TASK_CHUNKS * CHUNK
    assert 0 < alive <= bound < total / 2


def test_dask_rebuild_sends_only_changed_documents(corpus, tmp_path: Path) -> None:
    news, ws, log = corpus(60), tmp_path / "ws", tmp_path / "log"
    log.mkdir()
    extractor = partial(make_logging_extractor, str(log))
    run_build([news], ws, views=False, make_extractor=extractor, dask="local:2")
    assert sorted(i for ids in logged(log).values() for i in ids) == sorted(r["id"] for r in read_records(news))

    # nothing changed: no cluster is even reached (this address has no scheduler)
    again = run_build([news], ws, views=False, make_extractor=extractor, dask=f"tcp://127.0.0.1:{free_port()}")
    assert (again.read, again.added, again.updated, again.unchanged) == (60, 0, 0, 60)

    records = read_records(news)
    records[17]["text"] += " Участник: ООО «Новичок»."
    write_records(news, records)
    for path in log.iterdir():
        path.unlink()
    changed = run_build([news], ws, views=False, make_extractor=extractor, dask="local:2")
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 59)
    assert [i for ids in logged(log).values() for i in ids] == [records[17]["id"]]
    jobs1 = run_build([news], tmp_path / "jobs1", views=False, make_extractor=make_fake_extractor)
    assert jobs1.added == 60
    assert nquads(ws) == nquads(tmp_path / "jobs1")


def test_dask_killed_worker_costs_only_a_retry(corpus, tmp_path: Path) -> None:
    news, log = corpus(400), tmp_path / "log"
    log.mkdir()
    killed: list[int] = []

    def kill_one_worker_mid_build() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            done = logged(log)
            if sum(map(len, done.values())) >= 60:
                pid = max(done, key=lambda p: len(done[p]))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one_worker_mid_build)
    killer.start()
    summary = run_build([news], tmp_path / "dask", views=False, dask="local:2",
                        make_extractor=partial(make_logging_extractor, str(log), 0.02))
    killer.join()

    assert len(killed) == 1, "the build ended before a worker could be killed"
    with pytest.raises(ProcessLookupError):
        os.kill(killed[0], 0)
    assert (summary.read, summary.added, summary.problems) == (400, 400, ())
    run_build([news], tmp_path / "one", views=False, make_extractor=make_fake_extractor)
    assert sorted_nquads(tmp_path / "dask") == sorted_nquads(tmp_path / "one")
    # every document was extracted, some of them twice: the dead worker's were rerun elsewhere
    extracted = [i for ids in logged(log).values() for i in ids]
    assert set(extracted) == {r["id"] for r in read_records(news)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def start_cluster(tmp_path: Path) -> Iterator[object]:
    """``start_cluster() -> address``: a ``dask scheduler`` and one ``dask worker`` process
    (stopped at the end); ``start_cluster.scheduler`` is the newest scheduler process."""
    processes: list[subprocess.Popen[bytes]] = []
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
           "OPENBLAS_NUM_THREADS": "1"}

    class Start:
        scheduler: subprocess.Popen[bytes]

        def __call__(self) -> str:
            address = f"tcp://127.0.0.1:{free_port()}"
            self.scheduler = subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                 "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
                env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(self.scheduler)
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                 "--nworkers", "1", "--no-dashboard", "--host", "127.0.0.1"],
                env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            return address

    yield Start()
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_dask_scheduler_gone_one_line_and_rerun_resumes(corpus, tmp_path: Path, start_cluster, monkeypatch) -> None:
    news, ws, log = corpus(1600), tmp_path / "ws", tmp_path / "log"
    log.mkdir()
    monkeypatch.setattr(kg.pipeline.build, "default_extractor", partial(make_logging_extractor, str(log), 0.004))
    address = start_cluster()

    def kill_scheduler_mid_build() -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and sum(map(len, logged(log).values())) < 1200:
            time.sleep(0.05)
        start_cluster.scheduler.kill()

    killer = threading.Thread(target=kill_scheduler_mid_build)
    killer.start()
    failed = cli_build(str(news), "-w", str(ws), "--quiet", "--dask", address)
    killer.join()
    assert failed.exit_code == 1, failed.output
    assert failed.stderr == (f"Error: --dask {address}: the Dask scheduler went away; the documents already "
                             "extracted are kept: run the same build again to resume\n")
    assert failed.exc_info is not None  # kept, with its traceback: the store is released all the same

    # what was extracted before the scheduler went away is kept (the identity index), and not extracted again
    index = IdentityIndex.of_workspace(ws, read_only=True)
    kept = len(index.hashes())
    index.close()
    assert 0 < kept < 1600
    before = sum(map(len, logged(log).values()))
    resumed = run_build([news], ws, views=False, dask=start_cluster(),
                        make_extractor=partial(make_logging_extractor, str(log)))
    assert (resumed.added, resumed.problems) == (1600, ())
    assert sum(map(len, logged(log).values())) - before == 1600 - kept
    run_build([news], tmp_path / "one", views=False, make_extractor=make_fake_extractor)
    assert sorted_nquads(ws) == sorted_nquads(tmp_path / "one")


@pytest.mark.parametrize(("args", "message"), [
    (["--dask", "local:0"], "Error: --dask local:0: local:N needs a number of worker processes N >= 1, e.g. local:2"),
    (["--dask", "nowhere"], "Error: --dask nowhere: not a scheduler address (tcp://HOST:PORT) nor local:N"),
    (["--dask", "local:2", "--jobs", "2"],
     "Error: --jobs and --dask do not go together: --dask local:N starts N worker processes"),
])
def test_dask_cli_bad_option_one_line_workspace_untouched(corpus, tmp_path: Path, args: list[str], message: str) -> None:
    result = cli_build(str(corpus(3)), "-w", str(tmp_path / "ws"), *args)
    assert (result.exit_code, result.stderr) == (1, message + "\n")
    assert not (tmp_path / "ws").exists()


def test_dask_cli_no_scheduler_one_line(corpus, tmp_path: Path, fake_models: None, monkeypatch) -> None:
    monkeypatch.setattr(kg.distributed, "CONNECT_TIMEOUT", 2.0)  # Dask retries a refused connection that long
    address = f"tcp://127.0.0.1:{free_port()}"
    result = cli_build(str(corpus(3)), "-w", str(tmp_path / "ws"), "--dask", address)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: --dask {address}: cannot reach the Dask scheduler (")
    assert result.stderr.count("\n") == 1


def test_dask_cli_without_the_extra_says_how_to_install(corpus, tmp_path: Path, monkeypatch) -> None:
    for name in [m for m in sys.modules if m == "kg.distributed" or m.split(".")[0] in ("distributed",)]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: import fails
    result = cli_build(str(corpus(3)), "-w", str(tmp_path / "ws"), "--dask", "local:2")
    assert (result.exit_code, result.stderr) == (
        1, "Error: --dask needs Dask, an optional extra: pip install 'kg[dask]'\n")


def test_dask_not_imported_by_default() -> None:
    code = ("import sys, kg, kg.api, kg.pipeline.build, kg.cli; "
            "print(sorted(m for m in sys.modules if m == 'kg.distributed' or m.split('.')[0] in ('dask', 'distributed')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_dask_real_extractor_same_sorted_nquads_as_jobs1(corpus, tmp_path: Path) -> None:
    news = corpus(24, seed=8)
    one = run_build([news], tmp_path / "one", views=False)
    dask = run_build([news], tmp_path / "dask", views=False, dask="local:2")
    assert one.problems == dask.problems == ()
    assert one.stats.facts > 0
    assert sorted_nquads(tmp_path / "dask") == sorted_nquads(tmp_path / "one")
