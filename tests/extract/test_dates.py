"""Dates without a year take it from the document's date, and keep what the text gave (issue 17)."""

from __future__ import annotations

import pytest

from kg.extract.readers.dates import best_date, find_dates
from kg.model import DateKind, DateValue


@pytest.mark.parametrize(("text", "doc_date", "expected"), [
    ("Соглашение подписано 9 апреля.", "2024-04-12", DateValue("2024-04-09", DateKind.DATE, "--04-09")),
    ("Меморандум подписали 25 декабря.", "2025-01-10", DateValue("2024-12-25", DateKind.DATE, "--12-25")),
    ("Форум пройдёт 20 ноября.", "2025-10-14", DateValue("2025-11-20", DateKind.DATE, "--11-20")),
    ("Встреча состоялась 14 октября.", "2025-10-14", DateValue("2025-10-14", DateKind.DATE, "--10-14")),
    ("Договор заключён 3 марта.", "2023-11", DateValue("2023-03-03", DateKind.DATE, "--03-03")),
    ("Договор заключён 3 марта.", "2023", DateValue("2023-03-03", DateKind.DATE, "--03-03")),
    ("Договор заключён 3 марта.", None, DateValue("--03-03", DateKind.MONTH_DAY)),
    ("Договор заключён 3 марта 2019 года.", "2023-11-01", DateValue("2019-03-03", DateKind.DATE)),
    ("Сессия 29 февраля.", "2025-03-10", DateValue("2024-02-29", DateKind.DATE, "--02-29")),
    ("Запись от 31 февраля.", "2025-03-10", DateValue("--02-31", DateKind.MONTH_DAY)),
])
def test_dates_year_from_the_document(text: str, doc_date: str | None, expected: DateValue) -> None:
    assert best_date(find_dates(text, doc_date)) == expected
