"""The user's seed news (data/seed-news.txt) must give the agreed facts."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Agreement, ClusterLink, ClusterRole, DateKind, Document, Event, Extraction, Kind, Post

from .conftest import SEED, labels
from .test_invariants import check_invariants

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed(extractor: Extractor) -> list[Extraction]:
    lines = [line for line in SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [extractor.extract(Document(id=f"seed-{n}", text=line)) for n, line in enumerate(lines)]


def posts(results: list[Extraction]) -> dict[str, tuple[str, str | None, Extraction]]:
    out = {}
    for result in results:
        for fact in result.facts:
            if isinstance(fact, Post):
                holder = result.entity(fact.holder).label
                where = result.entity(fact.post_in).label if fact.post_in else None
                out[holder] = (fact.title, where, result)
    return out


@pytest.mark.parametrize(
    "person, title, where",
    [
        ("Алексей Орлов", "заместитель Председателя Правительства", "Правительство Свердловской области"),
        ("Максим Шерейкин", "заместитель губернатора", "Калужская область"),
        ("Артемий Кызласов", "генеральный директор", "ОЭЗ «Титановая долина»"),
        ("Михаэль Мют", "управляющий директор", "ASIS"),
    ],
)
def test_seed_persons_with_posts(seed: list[Extraction], person: str, title: str, where: str) -> None:
    found = posts(seed)
    assert person in found, sorted(found)
    assert found[person][:2] == (title, where)


def test_seed_orlov_authority_is_in_sverdlovsk_region(seed: list[Extraction]) -> None:
    _, _, result = posts(seed)["Алексей Орлов"]
    authority = next(e for e in result.entities if e.label == "Правительство Свердловской области")
    assert authority.kind == Kind.AUTHORITY
    assert authority.located_in is not None
    assert result.entity(authority.located_in).iso_code == "RU-SVE"


@pytest.mark.parametrize(
    "company, role",
    [("Нанолек", ClusterRole.INITIATOR), ("АВВА РУС", ClusterRole.INITIATOR), ("БиоХимЗавод", ClusterRole.ANCHOR)],
)
def test_seed_cluster_roles(seed: list[Extraction], company: str, role: ClusterRole) -> None:
    for result in seed:
        for fact in result.facts:
            if isinstance(fact, ClusterLink) and result.entity(fact.target).label == company:
                assert result.entity(fact.target).kind == Kind.COMPANY
                assert fact.role == role
                assert result.entity(fact.cluster).kind == Kind.CLUSTER
                return
    pytest.fail(f"no cluster link for {company}")


def test_seed_titanium_cluster_in_sverdlovsk(seed: list[Extraction]) -> None:
    result = seed[-1]
    cluster = next(e for e in result.entities if e.kind == Kind.CLUSTER)
    assert cluster.label == "Титановый кластер"
    assert result.entity(cluster.located_in).iso_code == "RU-SVE"


def test_seed_memorandum(seed: list[Extraction]) -> None:
    result = seed[-1]
    agreement = next(f for f in result.facts if isinstance(f, Agreement))
    assert agreement.type == "меморандум о взаимопонимании"
    assert labels(result, agreement.parties) == {"Титановый кластер", "ASIS"}
    assert labels(result, agreement.signatories) == {"Артемий Кызласов", "Михаэль Мют"}
    assert labels(result, agreement.witnesses) == {"Алексей Орлов"}
    assert agreement.date is not None and agreement.date.value == "--04-09"
    assert agreement.date.kind == DateKind.MONTH_DAY


def test_seed_generic_cluster_mentions_are_not_entities(seed: list[Extraction]) -> None:
    for result in seed:
        for entity in result.entities:
            if entity.kind == Kind.CLUSTER:
                assert not entity.label.lower().startswith(("30 ", "пяти", "перечень", "три"))


def test_seed_invariants(seed: list[Extraction]) -> None:
    for result in seed:
        check_invariants(result)


def test_seed_new_kaluga_cluster_is_a_cluster_of_the_region(seed: list[Extraction]) -> None:
    result = seed[6]  # «В Калужском регионе появится ещё один кластер. О его создании сообщил …»
    clusters = [e for e in result.entities if e.kind == Kind.CLUSTER]
    assert len(clusters) == 1
    assert result.entity(clusters[0].located_in).iso_code == "RU-KLU"


def test_seed_members_of_the_unnamed_novosibirsk_clusters(seed: list[Extraction]) -> None:
    result = seed[8]  # «… представили компании-участники кластеров: «НЭВЗ-Союз», …, «НИКОМ»»
    links = [f for f in result.facts if isinstance(f, ClusterLink)]
    assert {result.entity(f.target).label for f in links} == {
        "НЭВЗ-Союз", "Scientific Future Management", "Электрон-инновации", "УНИСКАН", "НИКОМ"}
    cluster = result.entity(links[0].cluster)
    assert {f.cluster for f in links} == {cluster.id} and cluster.kind == Kind.CLUSTER
    assert result.entity(cluster.located_in).iso_code == "RU-NVS"
    assert {(f.role, f.rule, f.confidence) for f in links} == {
        (ClusterRole.MEMBER, "member.noun+cluster-coref", 0.7)}


def test_seed_cherepovets_meeting_and_council(seed: list[Extraction]) -> None:
    result = seed[0]  # «… В городе металлургов прошло … совещание группы при Координационном совете по …»
    (event,) = [f for f in result.facts if isinstance(f, Event)]
    assert event.type == "совещание" and event.place is not None
    assert result.entity(event.place).label == "Череповец"
    assert "Координационный совет по поддержке малого и среднего предпринимательства" in {
        e.label for e in result.entities if e.kind in (Kind.ORGANIZATION, Kind.AUTHORITY)}


def test_seed_kaluga_meeting_with_the_limousin_delegation(seed: list[Extraction]) -> None:
    result = seed[6]  # «… сообщил заместитель губернатора … Максим Шерейкин на встрече с представителями делегации …»
    (event,) = [f for f in result.facts if isinstance(f, Event)]
    assert event.type == "встреча"
    assert labels(result, event.participants) == {"Максим Шерейкин", "Лимузен"}
