"""The streaming, parallel, incremental build pipeline (fake extractor: no models)."""

from __future__ import annotations

from pathlib import Path

import pytest
from scale_helpers import nquads, read_records, write_records
from fake_extractor import BatchFakeExtractor, make_batch_fake_extractor, make_fake_extractor

from kg.pipeline.build import run_build
from kg.pipeline.remove import run_remove
from kg.errors import KgError
from kg.store.oxigraph import open_store


def build(inputs: list[Path], ws: Path, **options: object):  # type: ignore[no-untyped-def]
    return run_build(inputs, ws, make_extractor=make_fake_extractor, views=False, **options)  # type: ignore[arg-type]


def ask(ws: Path, query: str) -> bool:
    return bool(open_store(ws, read_only=True).query(query))


def test_build_jobs2_same_nquads_as_jobs1(corpus, tmp_path: Path) -> None:
    news = corpus(150)
    one = build([news], tmp_path / "one", jobs=1)
    two = build([news], tmp_path / "two", jobs=2)
    assert (one.read, one.added) == (two.read, two.added) == (150, 150)
    quads = nquads(tmp_path / "one")
    assert len(quads) > 150 * 5
    assert quads == nquads(tmp_path / "two")


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_maps_the_resolved_documents_on_the_workers_with_curation(corpus, tmp_path: Path, jobs: int,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """After the extraction pass, --jobs 2's worker processes (not this one) map the documents to
    N-Quads, with the resolution and the curation's ``reject`` lines, as --jobs 1 does here."""
    import kg.pipeline.worker

    news = corpus(150)
    build([news], tmp_path / "plain", jobs=1)
    store = open_store(tmp_path / "plain", read_only=True)
    member = next(iter(store.query(
        "SELECT ?c ?m WHERE { ?c <http://www.w3.org/ns/org#hasMember> ?m } ORDER BY ?c ?m LIMIT 1")))
    node = next(iter(store.query(
        "SELECT ?o WHERE { ?o a <https://w3id.org/cluster-kg/ontology#Company> } ORDER BY ?o LIMIT 1")))["o"].value
    del store
    curation = (f"reject\t<{node}>\n"
                f"reject\t<{member['c'].value}>\t<http://www.w3.org/ns/org#hasMember>\t<{member['m'].value}>\n")
    mapped_here: list[str] = []
    write_graph = kg.pipeline.worker.write_graph

    def noted(job: kg.pipeline.worker.WriteJob, minter: object) -> kg.pipeline.worker.DocResult:
        mapped_here.append(job.graph)
        return write_graph(job, minter)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.pipeline.worker, "write_graph", noted)
    for name, n in (("one", 1), ("built", jobs)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "curation.tsv").write_text(curation, encoding="utf-8")
        mapped_here.clear()
        summary = build([news], tmp_path / name, jobs=n)
        assert summary.added == 150
    assert len(mapped_here) == (150 if jobs == 1 else 0)
    quads = nquads(tmp_path / "built")
    assert quads == nquads(tmp_path / "one")
    assert quads != nquads(tmp_path / "plain")
    assert not ask(tmp_path / "built", f"ASK {{ {{ <{node}> ?p ?o }} UNION {{ ?s ?p <{node}> }} }}")
    assert not ask(tmp_path / "built", f"ASK {{ <{member['c'].value}> <http://www.w3.org/ns/org#hasMember> "
                                       f"<{member['m'].value}> }}")


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_rebuild_unchanged_adds_nothing(corpus, tmp_path: Path, jobs: int) -> None:
    news, ws = corpus(40), tmp_path / "ws"
    build([news], ws, jobs=jobs)
    before = nquads(ws)
    again = build([news], ws, jobs=jobs)
    assert (again.read, again.added, again.updated, again.unchanged) == (40, 0, 0, 40)
    assert nquads(ws) == before


def test_build_changed_document_replaces_only_its_graph(corpus, tmp_path: Path) -> None:
    news, ws = corpus(30), tmp_path / "ws"
    build([news], ws)
    before = nquads(ws)
    records = read_records(news)
    changed_id = records[7]["id"]
    records[7]["text"] = records[7]["text"] + " Добавлено: ООО «ТестовыйУчастник»."
    write_records(news, records)

    summary = build([news], ws)

    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 29)
    after = nquads(ws)
    graph = f"<https://w3id.org/cluster-kg/id/doc/{changed_id}>"
    assert {q for q in before ^ after if not q.endswith(graph)} == set()
    assert any("ТестовыйУчастник" in q for q in after - before)
    assert ask(ws, 'ASK { ?x <http://www.w3.org/2000/01/rdf-schema#label> "ООО «ТестовыйУчастник»"@ru }')


SHARED = "ООО «ОбщийПартнёр»"


def test_remove_drops_document_keeps_shared_entities(tmp_path: Path) -> None:
    docs = [
        {"id": "a", "text": f"В составе участников {SHARED} и ООО «ТолькоА»."},
        {"id": "b", "text": f"Участник {SHARED} подписал соглашение."},
    ]
    news, ws = write_records(tmp_path / "n.jsonl", docs), tmp_path / "ws"
    build([news], ws)
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    assert ask(ws, f'ASK {{ ?x {label} "ООО «ТолькоА»"@ru }}')

    summary = run_remove(["a"], ws, views=False)

    assert (summary.removed, summary.missing, summary.stats.documents) == (("a",), (), 1)
    assert not ask(ws, f'ASK {{ ?x {label} "ООО «ТолькоА»"@ru }}')
    assert not ask(ws, 'ASK { ?d <http://purl.org/dc/terms/identifier> "a" }')
    assert ask(ws, f'ASK {{ ?x {label} "{SHARED}"@ru ; a <https://w3id.org/cluster-kg/ontology#Company> }}')
    assert ask(ws, 'ASK { ?d <http://purl.org/dc/terms/identifier> "b" }')


def test_remove_unknown_id_is_reported_missing(corpus, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    build([corpus(3)], ws)
    summary = run_remove(["gen-0-000001", "no-such-doc"], ws, views=False)
    assert (summary.removed, summary.missing) == (("gen-0-000001",), ("no-such-doc",))
    assert summary.stats.documents == 2


def test_remove_without_store_raises(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="no store here"):
        run_remove(["x"], tmp_path / "empty")


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_extractor_failure_keeps_document(tmp_path: Path, jobs: int) -> None:
    docs = [{"id": "ok", "text": "ООО «Альфа»."}, {"id": "bad", "text": "FAIL ООО «Бета»."}]
    news, ws = write_records(tmp_path / "n.jsonl", docs), tmp_path / "ws"
    summary = build([news], ws, jobs=jobs)
    assert summary.added == 2
    assert [p.message.split(" (")[0] for p in summary.problems] == ["extraction failed"]
    assert ask(ws, 'ASK { ?d <http://purl.org/dc/terms/identifier> "bad" }')


@pytest.mark.parametrize("jobs", [1, 2])
def test_build_batch_failure_costs_only_the_failing_document(corpus, tmp_path: Path, jobs: int) -> None:
    """A batch whose extract_many fails is extracted again one document at a time."""
    records = read_records(corpus(20))
    records[5]["text"] = "FAIL " + records[5]["text"]
    news = write_records(tmp_path / "n.jsonl", records)
    one_by_one = build([news], tmp_path / "plain")
    batched = run_build([news], tmp_path / "batched", make_extractor=make_batch_fake_extractor, views=False, jobs=jobs)
    assert batched.added == 20
    assert [p.message.split(" (")[0] for p in batched.problems] == ["extraction failed"]
    assert [p.message for p in batched.problems] == [p.message for p in one_by_one.problems]
    assert nquads(tmp_path / "batched") == nquads(tmp_path / "plain")


def test_build_extracts_in_chunks_of_documents(corpus, tmp_path: Path) -> None:
    from kg.pipeline.build import CHUNK

    made: list[BatchFakeExtractor] = []

    def make() -> BatchFakeExtractor:
        made.append(BatchFakeExtractor())
        return made[-1]

    run_build([corpus(2 * CHUNK + 3)], tmp_path / "ws", make_extractor=make, views=False)
    assert [x.batches for x in made] == [[CHUNK, CHUNK, 3]]


def test_build_rejects_zero_jobs(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="at least 1"):
        build([], tmp_path / "ws", jobs=0)


def test_build_union_triples_are_the_distinct_triples_of_the_documents(corpus, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    build([corpus(60)], ws)
    store = open_store(ws, read_only=True)
    streamed = [str(t) for t in store.triples()]
    assert len(streamed) == len(set(streamed))  # no duplicates
    assert set(streamed) == {str(q.triple) for q in store.quads()}
    assert len(streamed) < sum(1 for _ in store.quads())  # shared entities were deduplicated


def test_remove_cli_removes_and_reports_missing(corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import kg.pipeline.build
    from kg.cli import cli

    monkeypatch.setattr(kg.pipeline.build, "default_extractor", make_fake_extractor)
    ws = tmp_path / "ws"
    runner = CliRunner()
    assert runner.invoke(cli, ["build", str(corpus(4)), "-w", str(ws), "-q"], catch_exceptions=False).exit_code == 0

    ok = runner.invoke(cli, ["remove", "gen-0-000002", "-w", str(ws)], catch_exceptions=False)
    assert ok.exit_code == 0
    assert ok.stdout.startswith("documents: 1 removed; 3 in the workspace; triples: ")

    bad = runner.invoke(cli, ["remove", "gen-0-000002", "gen-0-000003", "-w", str(ws), "-q"])
    assert bad.exit_code == 1
    assert bad.stdout == ""
    assert bad.stderr == "Error: not in the workspace: gen-0-000002\n"
    assert "gen-0-000003" not in (ws / "graph.trig").read_text(encoding="utf-8")


@pytest.mark.parametrize("graphs_per_task", [3, 64])  # graph.trig in 27 chunks (a window of 4 at a time) or 2
def test_build_views_hold_exactly_the_store(corpus, tmp_path: Path, graphs_per_task: int,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """graph.trig: every document graph; graph.ttl: the union; both as rdflib and Oxigraph read them."""
    import pyoxigraph as ox
    from rdflib import Dataset, Graph

    import kg.store.oxigraph

    monkeypatch.setattr(kg.store.oxigraph, "TRIG_GRAPHS_PER_TASK", graphs_per_task)
    ws = tmp_path / "ws"
    run_build([corpus(80)], ws, make_extractor=make_fake_extractor)
    store = open_store(ws, read_only=True)
    quads, triples = set(store.quads()), set(store.triples())
    assert len(triples) < len(quads)
    assert set(ox.parse(path=str(ws / "graph.trig"), format=ox.RdfFormat.TRIG)) == quads
    assert {q.triple for q in ox.parse(path=str(ws / "graph.ttl"), format=ox.RdfFormat.TURTLE)} == triples
    dataset = Dataset().parse(ws / "graph.trig", format="trig")
    assert sum(1 for q in dataset.quads() if q[3] is not None) == len(quads)
    assert len(Graph().parse(ws / "graph.ttl", format="turtle")) == len(triples)
    blocks = [line.split(" ", 1)[0] for line in (ws / "graph.trig").read_text(encoding="utf-8").splitlines()
              if line.endswith(" {")]
    assert blocks == [str(g) for g in store._store.named_graphs()]  # each graph once, in the store's order


def test_build_never_holds_every_documents_content_hash(corpus, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The client asks the store and the identity index for content hashes batch by batch: memory
    that grew with the workspace (~230 bytes a document per lookup table: 230 MB at 1,000,000)."""
    from kg.pipeline.build import PLAN
    from kg.resolve.index import IdentityIndex
    from kg.store.oxigraph import OxigraphStore

    sizes: list[tuple[str, int]] = []

    def recorded(cls: type, name: str) -> None:
        method = getattr(cls, name)

        def wrapper(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            found = method(self, *args, **kwargs)
            sizes.append((name, len(found)))
            return found
        monkeypatch.setattr(cls, name, wrapper)

    news, ws = corpus(2 * PLAN + 100), tmp_path / "ws"
    records = read_records(news)
    write_records(news, records[:2 * PLAN])
    build([news], ws)
    for cls, names in ((OxigraphStore, ("content_hashes", "content_hashes_of")),
                       (IdentityIndex, ("hashes", "hashes_of"))):
        for name in names:
            if hasattr(cls, name):
                recorded(cls, name)
    write_records(news, records)  # 100 documents more
    again = build([news], ws, jobs=2)
    assert (again.read, again.added, again.unchanged) == (2 * PLAN + 100, 100, 2 * PLAN)
    assert max(size for _, size in sizes) == PLAN, sizes  # a whole batch was found, never more
    assert {name for name, _ in sizes} == {"content_hashes_of", "hashes_of"}
