"""An agreement whose sentence states no date takes the date of the report it continues: the
sentence just before, in one paragraph, whose time adverbial dates what the agreement's sentence
points back at («На форуме», «В ходе визита», «Там же») or which is the report's dateline.
Our own sentences; the document is dated 2025-10-20."""

from __future__ import annotations

import pytest

from kg.extract import Extractor
from kg.model import Agreement
from tests.extract.conftest import read

pytestmark = pytest.mark.slow

SIGNING = "министр экономики Тверской области Ольга Лаптева и директор ООО «Волгатекс» Игорь Бурцев подписали соглашение о сотрудничестве."


@pytest.mark.parametrize(
    "text, date",
    [
        # place, date, event; the signing «на форуме»
        (f"В Твери 14 октября открылся форум легкой промышленности. На форуме {SIGNING}", "2025-10-14"),
        # date first, then the place
        (f"14 октября в Твери открылся форум легкой промышленности. На форуме {SIGNING}", "2025-10-14"),
        # the date at the end of the sentence before; «в рамках выставки»
        (f"Выставка текстильных технологий прошла в Твери 15 октября. В рамках выставки {SIGNING}", "2025-10-15"),
        # «в ходе визита»
        (f"Делегация Минпромторга 16 октября посетила Тверь с рабочим визитом. В ходе визита {SIGNING}", "2025-10-16"),
        # «Там же»
        (f"В Твери 17 октября состоялось совещание по развитию отрасли. Там же {SIGNING}", "2025-10-17"),
        # a dateline alone before the report
        (f"ТВЕРЬ, 18 октября. {SIGNING[0].upper()}{SIGNING[1:]}", "2025-10-18"),
        # the signing's own date wins
        (f"В Твери 14 октября открылся форум. 15 октября на форуме {SIGNING}", "2025-10-15"),
        # negatives: the date of another event, with nothing pointing back at it
        (f"В Твери 14 октября открылся новый технопарк. {SIGNING[0].upper()}{SIGNING[1:]}", None),
        # ... a venue that is not what the sentence before dates
        (f"В Твери 14 октября открылся новый технопарк. На форуме {SIGNING}", None),
        # ... a deadline, not the time of what is reported
        (f"Заявки на участие в форуме принимаются до 14 октября. На форуме {SIGNING}", None),
        # ... two dates: which one is unknown
        (f"Форум пройдет в Твери с 14 октября по 16 октября. На форуме {SIGNING}", None),
        # ... another paragraph
        (f"В Твери 14 октября открылся форум легкой промышленности.\n\nНа форуме {SIGNING}", None),
        # ... a town, not an occasion, named again
        (f"В Твери 14 октября открылся новый технопарк. В Твери {SIGNING}", None),
    ],
)
def test_report_date_of_an_agreement(extractor: Extractor, text: str, date: str | None) -> None:
    result = read(extractor, text, date="2025-10-20")
    (agreement,) = [f for f in result.facts if isinstance(f, Agreement)]
    assert (agreement.date.value if agreement.date else None) == date


def test_report_date_demo_09(extractor: Extractor) -> None:
    """data/demo-news.jsonl demo-09: «В Перми 14 октября открылся … форум … На форуме … подписали договор»."""
    import json
    from pathlib import Path

    from kg.model import Document

    path = Path(__file__).resolve().parents[2] / "data" / "demo-news.jsonl"
    [record] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if '"demo-09"' in line]
    result = extractor.extract(Document(id="demo-09", text=record["text"], date=record["date"]))
    (agreement,) = [f for f in result.facts if isinstance(f, Agreement)]
    assert agreement.date is not None and agreement.date.value == "2025-10-14"
