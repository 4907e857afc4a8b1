"""Issue 17 item 3 on data/: a fact's evidence slices its document's text exactly, and
triple-sources, the entity pages and the view show the fact's own sentence."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.sparql import NamedQuery
from kg.sparql.entity import entity_view
from kg.sparql.rows import Rows
from kg.sparql.terms import Term
from kg.store.oxigraph import OxigraphStore, open_store
from kg.viz.network import load_network

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CLUSTER = "Нижегородский индустриальный кластер автомобилестроения"
# the sentence of data/demo-news.jsonl that states its members
MEMBERS = ("Свою продукцию представили компании-участники кластера: ПАО «Нижегородский моторный завод», "
           "ООО «Волга-Электрокомпонент» и АО «Арзамасский приборный завод».")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = tmp_path_factory.mktemp("evidence")
    result = CliRunner().invoke(cli, ["build", str(ROOT / "data"), "-w", str(ws), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return ws


@pytest.fixture(scope="module")
def store(workspace: Path) -> OxigraphStore:
    return open_store(workspace, read_only=True)


def test_sparql_evidence_of_every_fact_slices_the_text(store: OxigraphStore) -> None:
    rows = list(store.select("""
        PREFIX ckg: <https://w3id.org/cluster-kg/ontology#>
        PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?fact ?class ?text ?b ?e ?anchor ?sb ?se ?sentence WHERE {
          VALUES ?class { org:Post ckg:Agreement ckg:Event rdf:Statement }
          GRAPH ?doc { ?fact a ?class }
          OPTIONAL { GRAPH ?doc { ?fact ckg:evidence ?m . ?m nif:beginIndex ?b ; nif:endIndex ?e ; nif:anchorOf ?anchor ;
                                  nif:sentence ?s . ?s nif:beginIndex ?sb ; nif:endIndex ?se ; nif:anchorOf ?sentence } }
          ?doc nif:isString ?text
        }"""))
    classes = {row["class"].value.rsplit("#", 1)[-1] for row in rows}
    assert classes == {"Post", "Agreement", "Event", "Statement"}
    for row in rows:
        assert row["anchor"] is not None, f"{row['fact']} has no evidence"
        text = row["text"].value
        b, e, sb, se = (int(row[k].value) for k in ("b", "e", "sb", "se"))
        assert text[b:e] == row["anchor"].value
        assert text[sb:se] == row["sentence"].value
        assert sb <= b < e <= se


def test_sparql_evidence_triple_sources_gives_the_membership_sentence(workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "triple-sources", "-w", str(workspace), "-p", f"subject={CLUSTER}",
                                      "-p", "predicate=org:hasMember", "-f", "csv"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len({row["object"] for row in rows}) == 3
    for row in rows:
        assert row["sentence"] == MEMBERS
        assert "/link/" in row["about"]  # the membership's statement, not a mention of the cluster
        assert row["text"] in MEMBERS and row["rule"] and row["confidence"]
    assert not [row for row in rows if row["about"] == row["subject"]]


def test_sparql_evidence_entity_profile_gives_each_fact_its_sentence(workspace: Path) -> None:
    """entity-profile, by name: the members' rows carry the sentence naming them, the
    exhibition's its own; a place, a sector, a source has no sentence."""
    result = CliRunner().invoke(cli, ["query", "entity-profile", "-w", str(workspace), "-p", f"entity={CLUSTER}",
                                      "-f", "csv"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    members = [row for row in rows if row["relation"] == "member"]
    assert len(members) == 3 and {row["sentence"] for row in members} == {MEMBERS}
    [event] = [row for row in rows if row["relation"] == "about"]
    assert event["sentence"].startswith("В Нижнем Новгороде открылась выставка")
    assert {row["relation"] for row in rows if not row["sentence"]} == {"located-in", "sector", "other-name", "source"}
    result = CliRunner().invoke(cli, ["query", "entity-profile", "-w", str(workspace), "-p",
                                      "entity=Нижегородский моторный завод", "-p", "relation=member-of", "-f", "csv"],
                                catch_exceptions=False)
    [row] = list(csv.DictReader(io.StringIO(result.output)))
    assert row["value_name"] == CLUSTER and row["sentence"] == MEMBERS


def test_sparql_evidence_entity_page_shows_the_fact_sentence(store: OxigraphStore) -> None:
    [cluster] = [row["c"].value for row in store.select(
        f'SELECT DISTINCT ?c WHERE {{ ?c a <https://w3id.org/cluster-kg/ontology#Cluster> ; '
        f'<http://www.w3.org/2000/01/rdf-schema#label> "{CLUSTER}"@ru }}')]

    def select(text: str, terms: dict[str, Term]) -> Rows:
        rows = store.run(NamedQuery("entity", text), terms)
        assert isinstance(rows, Rows)
        return rows

    def ask(text: str, terms: dict[str, Term]) -> bool:
        return bool(store.run(NamedQuery("entity", text), terms))

    view = entity_view(select, cluster, "/id/cluster/x", ask)
    assert view is not None
    links = [ev for ev in view.facts if "/link/" in ev.about]
    assert len(links) == 3
    for ev in links:
        assert ev.sentence == MEMBERS
        assert ev.about_label == "участник кластера" and ev.rule


def test_sparql_evidence_view_edges_show_the_membership_sentence(store: OxigraphStore) -> None:
    g = load_network(store)
    edges = [data for u, v, key, data in g.edges(keys=True, data=True)
             if key == "hasMember" and g.nodes[u]["label"] == CLUSTER]
    assert len(edges) == 3
    for data in edges:
        assert [source.sentence for source in data["sources"]] == [MEMBERS]
