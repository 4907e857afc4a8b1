"""A cluster's founding or announcement date (kg.facts.founding), checked by hand on sentences of
our own writing; and clusters-per-year counting it, else the first news item."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.extract import Extractor
from kg.facts.founding import Founding
from kg.model import Document, Kind

pytestmark = pytest.mark.slow


def founded(extractor: Extractor, text: str, date: str | None) -> set[tuple[str, str, str | None, str]]:
    """(cluster label, date, the day and month as stated, rule) of every founding read from ``text``."""
    x = extractor.extract(Document("t", text, date=date))
    kinds = {e.id: e.kind for e in x.entities}
    labels = {e.id: e.label for e in x.entities}
    out = set()
    for fact in x.facts:
        if isinstance(fact, Founding):
            assert kinds[fact.cluster] is Kind.CLUSTER
            assert text[fact.evidence.start:fact.evidence.stop] == fact.evidence.text
            out.add((labels[fact.cluster], fact.date.value, fact.date.stated, fact.rule))
    return out


# (text, document date, a word of the cluster's label, date, stated day, rule)
FOUND = [
    ("Биотехнологический кластер Кировской области был создан в 2012 году.", "2025-03-01",
     "иотехнологический", "2012", None, "founding.created"),
    ("В Томске работает фармацевтический кластер «Фарма Томск», созданный в 2015 г. по инициативе "
     "областной администрации.", "2025-03-01", "Фарма Томск", "2015", None, "founding.created"),
    ("14 марта в Казани объявили о создании кластера «Иннокам».", "2025-03-20",
     "Иннокам", "2025-03-14", "--03-14", "founding.announced"),
    ("Нижегородский индустриальный кластер автомобилестроения был образован в апреле 2014 года.", "2024-09-01",
     "автомобилестроения", "2014-04", None, "founding.created"),
    ("Глава министерства сообщил, что созданный в этом году кластер электротехники пополнился еще двумя "
     "организациями.", "2013-05-02", "электротехники", "2013", None, "founding.created"),
    ("На форуме Калужская область объявила о создании кластера фармацевтики и биотехнологий.", "2010-06-22",
     "фармацевтики", "2010-06-22", None, "founding.announced+document-date"),
    ("В Липецкой области действует кластер «Липецкая сталь». Он был создан в 2016 году.", "2025-01-01",
     "Липецкая сталь", "2016", None, "founding.created+coref"),
    ("Кластер «Уральский титан» основан 9 апреля 2019 года в Екатеринбурге.", "2025-01-01",
     "Уральский титан", "2019-04-09", None, "founding.created"),
    ("Кластер «Сибирский лес» зарегистрирован 2 февраля.", None,
     "Сибирский лес", "--02-02", None, "founding.created"),
]

NOT_FOUND = [
    ("Губернатор сообщил, что в регионе будет создан биофармацевтический кластер «Вятка-Биополис».", "2013-01-01"),
    ("Кластер «Титановая долина» создадут к 2030 году.", "2025-01-01"),
    ("Компания «Вятские ферменты», созданная в 2008 году, вошла в Биотехнологический кластер Кировской области.",
     "2025-01-01"),
    ("Камский инновационный кластер создан на базе ПАО «Камнефтехим» и ПАО «Татарские шины».", "2025-01-01"),
    ("Кластер «Балтийский янтарь» планируют создать в 2027 году.", "2025-01-01"),
    ("Созданный в 2031 году кластер «Далёкий» упомянут в прогнозе.", "2025-01-01"),
]


@pytest.mark.parametrize(("text", "date", "word", "value", "stated", "rule"), FOUND)
def test_founding_read(extractor: Extractor, text: str, date: str | None, word: str, value: str,
                       stated: str | None, rule: str) -> None:
    found = founded(extractor, text, date)
    assert [(v, s, r) for label, v, s, r in found if word.lower() in label.lower()] == [(value, stated, rule)], found


@pytest.mark.parametrize(("text", "date"), NOT_FOUND)
def test_founding_not_read(extractor: Extractor, text: str, date: str | None) -> None:
    assert founded(extractor, text, date) == set()


def test_founding_clusters_per_year_prefers_the_stated_date(tmp_path: Path) -> None:
    news = tmp_path / "news.jsonl"
    records = [
        {"id": "a", "date": "2025-02-01", "text": "Биотехнологический кластер Кировской области был создан в 2012 году."},
        {"id": "b", "date": "2024-06-01", "text": "Участниками кластера «Волжский металл» стали ООО «Альфа» и ООО «Бета»."},
        {"id": "c", "date": "2025-03-20", "text": "14 марта в Казани объявили о создании кластера «Иннокам»."},
        {"id": "d", "date": "2023-01-10", "text": "Биотехнологический кластер Кировской области провёл отчётное собрание."},
    ]
    news.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    ws = tmp_path / "ws"
    runner = CliRunner()
    built = runner.invoke(cli, ["build", str(news), "-w", str(ws), "-q"], catch_exceptions=False)
    assert built.exit_code == 0, built.output
    result = runner.invoke(cli, ["query", "clusters-per-year", "-w", str(ws), "-f", "csv"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["year,clusters,stated,first_seen", "2012,1,1,0", "2024,1,0,1", "2025,1,1,0"]
    one = runner.invoke(cli, ["query", "clusters-per-year", "-w", str(ws), "-f", "csv", "-p", "year=2012"],
                        catch_exceptions=False)
    assert one.output.splitlines() == ["year,clusters,stated,first_seen", "2012,1,1,0"]
    valid = runner.invoke(cli, ["validate", "-w", str(ws)], catch_exceptions=False)
    assert valid.exit_code == 0, valid.output
