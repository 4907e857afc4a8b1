"""A cluster an agreement is signed within («в рамках кластера») or about is no party but what the
agreement is about (``ckg:about``), so the view folds the agreement into an edge party -> cluster;
a venue («на форуме») is neither. Our own sentences."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Agreement, Kind
from tests.extract.conftest import labels, read

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "text, parties, about",
    [
        ("Генеральный директор АО «Светотех» Олег Зуев и министр промышленности Пермского края Анна Тихонова "
         "подписали соглашение о сотрудничестве в рамках кластера «Фотоника Прикамья».",
         {"Светотех"}, {"Фотоника Прикамья"}),
        ("В рамках кластера «Сурские поля» ООО «Агроплюс» и ООО «Молпродукт» подписали договор поставки.",
         {"Агроплюс", "Молпродукт"}, {"Сурские поля"}),
        ("ООО «Агроплюс» и ООО «Молпродукт» заключили договор на полях форума «Иннопром».",
         {"Агроплюс", "Молпродукт"}, set()),
        ("На форуме «Иннопром» АО «Сысертский фланец» и ООО «Полевской вентиль» подписали меморандум о "
         "взаимопонимании.", {"Сысертский фланец", "Полевской вентиль"}, set()),
    ],
)
def test_agreement_about_a_cluster_it_is_signed_within(extractor: Extractor, text: str, parties: set[str],
                                                       about: set[str]) -> None:
    result = read(extractor, text)
    (agreement,) = [f for f in result.facts if isinstance(f, Agreement)]
    assert labels(result, agreement.parties) == parties
    assert {label for label in labels(result, agreement.about)} == about
    assert all(result.entity(p).kind != Kind.CLUSTER for p in agreement.parties)
