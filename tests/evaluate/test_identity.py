"""kg eval identity: B-cubed and merge scores by hand, mention reading from a tiny store, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import InputError
from kg.evaluate.identity import (
    GoldMention,
    Phrase,
    Resolved,
    best_phrase,
    class_types,
    evaluate_identity,
    load_identity_gold,
    occurrences,
    resolve_mentions,
    score_class,
)
from kg.model import Problem
from kg.store.oxigraph import OxigraphStore
from tests.store_helpers import load_dataset

ID = "https://w3id.org/cluster-kg/id/"
CKG = "https://w3id.org/cluster-kg/ontology#"


def items(rows: list[tuple[str, str, str | None]]) -> list[Resolved]:
    """(doc, gold entity, node or None) -> resolved mentions named m0, m1, ..."""
    return [Resolved(GoldMention(doc, f"m{i}", entity, "org"), node) for i, (doc, entity, node) in enumerate(rows)]


# Each case: mentions (doc, gold entity, node), then B-cubed P and R, then
# (gold pairs, node pairs, correct pairs) over mentions of different documents,
# then the missed and wrong pairs as mention indices. Computed by hand:
MIXED = [("d1", "A", "n1"), ("d2", "A", "n1"), ("d3", "A", "n2"), ("d1", "B", "n2"), ("d2", "B", None)]
#   P: m0 2/2, m1 2/2, m2 1/2, m3 1/2, m4 1/1 -> 4/5
#   R: m0 2/3, m1 2/3, m2 1/3, m3 1/2, m4 1/2 -> (8/3)/5 = 8/15
#   gold pairs m0m1 m0m2 m1m2 m3m4 = 4; node pairs m0m1 m2m3 = 2; correct m0m1 = 1
ALL_ONE = [("d1", "A", "n"), ("d2", "A", "n"), ("d3", "B", "n")]
#   P: 2/3, 2/3, 1/3 -> 5/9; R: 1, 1, 1; gold pairs 1, node pairs 3, correct 1
NONE_FOUND = [("d1", "A", None), ("d2", "A", None), ("d3", "B", None)]
#   P: 1, 1, 1; R: 1/2, 1/2, 1 -> 2/3; gold pairs 1, node pairs 0
SAME_DOC = [("d1", "A", "n1"), ("d1", "A", "n2"), ("d2", "A", "n1")]
#   P: 1, 1, 1; R: 2/3, 1/3, 2/3 -> 5/9; pairs across documents m0m2 (one node) and m1m2 (two)
PERFECT = [("d1", "A", "x"), ("d2", "A", "x"), ("d2", "B", "y"), ("d3", "B", "y")]

CASES = [
    (MIXED, 4 / 5, 8 / 15, (4, 2, 1), [(0, 2), (1, 2), (3, 4)], [(2, 3)]),
    (ALL_ONE, 5 / 9, 1.0, (1, 3, 1), [], [(0, 2), (1, 2)]),
    (NONE_FOUND, 1.0, 2 / 3, (1, 0, 0), [(0, 1)], []),
    (SAME_DOC, 1.0, 5 / 9, (2, 1, 1), [(1, 2)], []),
    (PERFECT, 1.0, 1.0, (2, 2, 2), [], []),
]


@pytest.mark.parametrize(("rows", "precision", "recall", "pairs", "missed", "wrong"), CASES)
def test_identity_score_class_by_hand(rows: list[tuple[str, str, str | None]], precision: float, recall: float,
                                      pairs: tuple[int, int, int], missed: list[tuple[int, int]],
                                      wrong: list[tuple[int, int]]) -> None:
    resolved = items(rows)
    score = score_class("org", resolved)
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(recall)
    assert score.f1 == pytest.approx(2 * precision * recall / (precision + recall))
    assert (score.gold_pairs, score.node_pairs, score.correct_pairs) == pairs
    assert [(resolved.index(a), resolved.index(b)) for a, b in score.missed] == missed
    assert [(resolved.index(a), resolved.index(b)) for a, b in score.wrong] == wrong


def test_identity_merge_ratios_and_counts() -> None:
    score = score_class("org", items(MIXED))
    assert (score.merge_recall, score.merge_precision) == (0.25, 0.5)
    assert (score.entities, score.nodes, score.unresolved) == (2, 3, 1)
    assert score.f1 == pytest.approx(0.64)
    none = score_class("org", items(NONE_FOUND))
    assert (none.merge_recall, none.merge_precision, none.nodes) == (0.0, None, 3)


@pytest.mark.parametrize(("text", "mention", "starts"), [
    ("Минпромторг и Минпромторг России", "Минпромторг", [0, 14]),
    ("аааа", "аа", [0, 1, 2]),
    ("Минпромторг", "минпромторг", []),
])
def test_identity_occurrences(text: str, mention: str, starts: list[int]) -> None:
    assert occurrences(text, mention) == starts


@pytest.mark.parametrize(("starts", "length", "phrases", "node"), [
    ([10], 5, [Phrase(0, 12, "wide"), Phrase(9, 16, "most")], "most"),  # overlap 2 vs 5
    ([10], 5, [Phrase(10, 20, "long"), Phrase(10, 15, "exact")], "exact"),  # same overlap, closer extent
    ([0, 30], 5, [Phrase(28, 35, "second")], "second"),  # the second occurrence
    ([10], 5, [Phrase(0, 10, "touches"), Phrase(15, 18, "after")], None),  # [10, 15) meets neither
    ([10], 5, [Phrase(10, 15, "b"), Phrase(10, 15, "a")], "a"),  # tie: smallest IRI
])
def test_identity_best_phrase(starts: list[int], length: int, phrases: list[Phrase], node: str | None) -> None:
    found = best_phrase(starts, length, phrases)
    assert (found.node if found else None) == node


def test_identity_class_types_follow_the_ontology() -> None:
    types = class_types()
    assert types["cluster"] == {CKG + "Cluster"}
    assert {CKG + "Organization", CKG + "Company", CKG + "Authority"} <= types["org"]
    assert CKG + "Person" not in types["org"]
    assert types["person"] == {CKG + "Person"}


# -- a tiny workspace of our own sentences, its NIF phrases written by hand -----------------------

TEXTS = {
    "a1": "Министерство промышленности и торговли РФ поддержало Камский кластер. Минпромторг выделил гранты.",
    "a2": "Минпромторг России и ООО «Ромашка» обсудили развитие Камского кластера.",
    "a3": "Компания «Ромашка» вошла в кластер. Ромашка выпускает чай.",
}
# (doc, phrase text, node, type)
PHRASES = [
    ("a1", "Министерство промышленности и торговли РФ", "org/minpromtorg-rf", "Authority"),
    ("a1", "Камский кластер", "cluster/kamskii", "Cluster"),
    ("a1", "Минпромторг", "org/minpromtorg", "Authority"),
    ("a2", "Минпромторг России", "org/minpromtorg", "Authority"),
    ("a2", "ООО «Ромашка»", "org/romashka", "Company"),
    ("a2", "Камского кластера", "cluster/kamskii", "Cluster"),
    ("a3", "Ромашка", "region/romashka", "Region"),  # not an organisation
    ("a3", "«Ромашка»", "cluster/romashka", "Cluster"),  # wrong class for an org mention
]
GOLD = [
    {"doc": "a1", "mention": "Министерство промышленности и торговли РФ", "entity": "org:mpt", "class": "org"},
    {"doc": "a1", "mention": "Минпромторг", "entity": "org:mpt", "class": "org"},
    {"doc": "a2", "mention": "Минпромторг", "entity": "org:mpt", "class": "org"},
    {"doc": "a2", "mention": "Ромашка", "entity": "org:romashka", "class": "org"},
    {"doc": "a3", "mention": "Ромашка", "entity": "org:romashka", "class": "org"},
    {"doc": "a1", "mention": "Камский кластер", "entity": "cluster:kama", "class": "cluster"},
    {"doc": "a2", "mention": "Камского кластера", "entity": "cluster:kama", "class": "cluster"},
]


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def tiny_trig() -> str:
    lines = ["@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .",
             "@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .",
             "@prefix dcterms: <http://purl.org/dc/terms/> .",
             f"@prefix ckg: <{CKG}> ."]
    for doc, text in TEXTS.items():
        iri = f"<{ID}doc/{doc}>"
        lines.append(f"{iri} {{ {iri} a ckg:Document, nif:Context ; dcterms:identifier {_literal(doc)} ;"
                     f" nif:isString {_literal(text)} .")
        for where, surface, node, kind in PHRASES:
            if where != doc:
                continue
            start = text.index(surface)
            end = start + len(surface)
            lines.append(f"<{ID}doc/{doc}#char={start},{end}> a nif:Phrase ; nif:referenceContext {iri} ;"
                         f" nif:beginIndex {start} ; nif:endIndex {end} ; nif:anchorOf {_literal(surface)} ;"
                         f" itsrdf:taIdentRef <{ID}{node}> . <{ID}{node}> a ckg:{kind} .")
        lines.append("}")
    return "\n".join(lines)


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    """A workspace (its store) holding the three documents, and the gold file."""
    workspace = tmp_path / "ws"
    store = OxigraphStore(workspace / "store")
    load_dataset(store, tiny_trig())
    store.flush()
    del store
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"mentions": GOLD}, ensure_ascii=False), encoding="utf-8")
    return workspace, gold


def test_identity_resolve_mentions_reads_the_phrases(tiny: tuple[Path, Path]) -> None:
    workspace, gold = tiny
    store = OxigraphStore(workspace / "store", read_only=True)
    resolved = resolve_mentions(store, load_identity_gold(gold))
    assert [(r.gold.doc, r.gold.mention, r.node and r.node.removeprefix(ID)) for r in resolved] == [
        ("a1", "Министерство промышленности и торговли РФ", "org/minpromtorg-rf"),
        ("a1", "Минпромторг", "org/minpromtorg"),
        ("a2", "Минпромторг", "org/minpromtorg"),  # inside the phrase «Минпромторг России»
        ("a2", "Ромашка", "org/romashka"),
        ("a3", "Ромашка", None),  # only a region and a cluster phrase overlap it
        ("a1", "Камский кластер", "cluster/kamskii"),
        ("a2", "Камского кластера", "cluster/kamskii"),
    ]
    start = TEXTS["a1"].index("Минпромторг")
    assert resolved[1].span == (start, start + len("Минпромторг"))
    assert resolved[2].span == (0, len("Минпромторг России"))


TINY_TABLE = """\
identity of {ws} against {gold}: 7 mentions in 3 documents, 0 gold rows left out
class    mentions entities  nodes unres.   B3-P  B3-R B3-F1  merge recall       merge precision
cluster         2        1      1      0  1.000 1.000 1.000  1.000 (1/1)        1.000 (1/1)
org             5        2      4      1  1.000 0.533 0.696  0.333 (1/3)        1.000 (1/1)

missed merges, org (2): one gold entity, two nodes
  org:mpt: a1 «Министерство промышленности и торговли РФ» [org/minpromtorg-rf]  ≠  a2 «Минпромторг» [org/minpromtorg]
  org:romashka: a2 «Ромашка» [org/romashka]  ≠  a3 «Ромашка» [(none)]

unresolved, org (1): no phrase of the class overlaps the mention
  a3 «Ромашка» (org:romashka)
"""
# org by hand: nodes {m0}, {m1, m2}, {m3}, {m4}; gold mpt {m0, m1, m2}, romashka {m3, m4}
#   B-cubed P = 1 for each; R: 1/3, 2/3, 2/3, 1/2, 1/2 -> 8/15 = 0.533; F1 = 16/23 = 0.696
#   pairs across documents with one gold entity: m0m2 (missed), m1m2 (one node), m3m4 (missed)


def test_identity_cli_on_a_workspace(tiny: tuple[Path, Path]) -> None:
    workspace, gold = tiny
    result = CliRunner().invoke(cli, ["eval", "identity", str(gold), "-w", str(workspace)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output == TINY_TABLE.format(ws=workspace, gold=gold)


def test_identity_cli_json(tiny: tuple[Path, Path]) -> None:
    workspace, gold = tiny
    result = CliRunner().invoke(cli, ["eval", "identity", str(gold), "-w", str(workspace), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["source"] == str(workspace) and data["left_out"] == []
    org = data["classes"]["org"]
    assert org["bcubed"] == {"precision": 1.0, "recall": 0.5333, "f1": 0.6957}
    assert org["merge"] == {"recall": 0.3333, "precision": 1.0, "gold_pairs": 3, "node_pairs": 1,
                            "correct_pairs": 1}
    assert (org["mentions"], org["entities"], org["nodes"], org["unresolved"]) == (5, 2, 4, 1)
    assert org["missed_merges"][1] == [
        {"doc": "a2", "mention": "Ромашка", "entity": "org:romashka", "node": ID + "org/romashka",
         "span": [TEXTS["a2"].index("ООО"), TEXTS["a2"].index("»") + 1]},
        {"doc": "a3", "mention": "Ромашка", "entity": "org:romashka", "node": None, "span": None},
    ]
    assert org["wrong_merges"] == []
    assert data["classes"]["cluster"]["merge"]["recall"] == 1.0


def test_identity_rows_left_out_are_reported(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    workspace, _ = tiny
    gold = tmp_path / "bad-rows.json"
    rows = [
        GOLD[0],
        {"doc": "a1", "mention": "Минпромторг", "entity": "org:mpt"},  # no class
        {"doc": "a1", "mention": "Минпромторг", "entity": "x", "class": "people"},
        "a1",
        {"doc": "zz", "mention": "Минпромторг", "entity": "org:mpt", "class": "org"},  # no such document
        {"doc": "a2", "mention": "Минэкономразвития", "entity": "org:mer", "class": "org"},  # not in the text
        dict(GOLD[0], entity="org:other"),  # the same doc, mention and class as row 0
        GOLD[2],
    ]
    gold.write_text(json.dumps({"mentions": rows}, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "identity", str(gold), "-w", str(workspace)],
                                                catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"Warning: {gold}: mentions[1]: needs a non-empty string 'class'; left out",
        f"Warning: {gold}: mentions[2]: class 'people' is not one of cluster, org, person; left out",
        f"Warning: {gold}: mentions[3]: not an object; left out",
        f"Warning: {gold}: mentions[6]: the same doc, mention and class as mentions[0]; left out",
        f"Warning: {gold}: mentions[4]: document 'zz' is not in the workspace; left out",
        f"Warning: {gold}: mentions[5]: 'Минэкономразвития' does not occur in the text of 'a2'; left out",
    ]
    assert result.stdout.splitlines()[0] == (
        f"identity of {workspace} against {gold}: 2 mentions in 2 documents, 6 gold rows left out")
    assert "org             2        1      2      0  1.000 0.500 0.667  0.000 (0/1)" in result.stdout


@pytest.mark.parametrize(("content", "message"), [
    ("{", ":1: invalid JSON: Expecting property name enclosed in double quotes"),
    ('[{"doc": "a1"}]', ': expected a JSON object {"mentions": [...]}'),
    ('{"mentions": {}}', ': expected a JSON object {"mentions": [...]}'),
])
def test_identity_bad_gold_file(tmp_path: Path, tiny: tuple[Path, Path], content: str, message: str) -> None:
    gold = tmp_path / "bad.json"
    gold.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_identity_gold(gold)
    assert str(info.value) == f"{gold}{message}"
    result = CliRunner().invoke(cli, ["eval", "identity", str(gold), "-w", str(tiny[0])])
    assert result.exit_code == 1
    assert result.output == f"Error: {gold}{message}\n"


def test_identity_cli_errors(tmp_path: Path, tiny: tuple[Path, Path]) -> None:
    workspace, gold = tiny
    runner = CliRunner()
    missing = runner.invoke(cli, ["eval", "identity", str(tmp_path / "none.json"), "-w", str(workspace)])
    assert (missing.exit_code, missing.output) == (1, f"Error: {tmp_path / 'none.json'}: no such file\n")
    both = runner.invoke(cli, ["eval", "identity", str(gold), "-w", str(workspace), "--corpus", str(gold)])
    assert both.exit_code == 2
    assert both.output.splitlines()[-1] == "Error: give --corpus or -w/--workspace, not both"
    nowhere = runner.invoke(cli, ["eval", "identity", str(gold), "-w", str(tmp_path / "nowhere")])
    assert (nowhere.exit_code, nowhere.output) == (
        1, f"Error: {tmp_path / 'nowhere'}: no such workspace; build one with `kg build` or give --corpus\n")
    empty = tmp_path / "empty-ws"
    empty.mkdir()
    unbuilt = runner.invoke(cli, ["eval", "identity", str(gold), "-w", str(empty)])
    assert unbuilt.exit_code == 1
    assert unbuilt.output.startswith(f"Error: {empty}: no store here")
    no_corpus = runner.invoke(cli, ["eval", "identity", str(gold), "--corpus", str(tmp_path / "c.jsonl")])
    assert (no_corpus.exit_code, no_corpus.output) == (1, f"Error: {tmp_path / 'c.jsonl'}: no such file\n")


def test_identity_evaluate_needs_one_source(tiny: tuple[Path, Path]) -> None:
    workspace, gold = tiny
    problems: list[Problem] = []
    report = evaluate_identity(gold, workspace=workspace, report=problems.append)
    assert problems == [] and set(report.classes) == {"cluster", "org"}
    with pytest.raises(Exception, match="either a workspace or a corpus"):
        evaluate_identity(gold)


def test_identity_document_ids_with_quotes_and_backslashes(tmp_path: Path) -> None:
    doc_id = 'лента "РИА" \\ №4'
    text = "Минпромторг поддержал проект."
    iri = f"<{ID}doc/odd>"
    store = OxigraphStore(tmp_path / "store")
    load_dataset(store, 
        "@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .\n"
        "@prefix itsrdf: <http://www.w3.org/2005/11/its/rdf#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        f"{iri} {{ {iri} dcterms:identifier {_literal(doc_id)} ; nif:isString {_literal(text)} .\n"
        f"<{ID}doc/odd#char=0,11> nif:referenceContext {iri} ; nif:beginIndex 0 ; nif:endIndex 11 ;"
        f" itsrdf:taIdentRef <{ID}org/mpt> . <{ID}org/mpt> a <{CKG}Authority> . }}")
    (found,) = resolve_mentions(store, [GoldMention(doc_id, "Минпромторг", "org:mpt", "org")])
    assert found.node == ID + "org/mpt"
