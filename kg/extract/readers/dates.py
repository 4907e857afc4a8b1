"""Dates: «9 апреля», «17 апреля 2014 года», «в апреле 2014 г.», «в 2012-2014 гг.», «к 2030 году»."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kg.model import DateKind, DateValue

MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}
_MONTH = r"(январ[яеь]|феврал[яеь]|марта?|марте|апрел[яеь]|ма[яйе]|июн[яеь]|июл[яеь]|августа?|августе|сентябр[яеь]|октябр[яеь]|ноябр[яеь]|декабр[яеь])"
DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:\s*(?:-|–|—|и)\s*\d{{1,2}})?\s+{_MONTH}\b(?:\s+(\d{{4}})(?:\s*(?:года|году|год|г\.))?)?",
    re.IGNORECASE,
)
MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(\d{{4}})\s*(?:года|году|г\.)?", re.IGNORECASE)
YEAR = re.compile(r"\b(?:в|к|до|с|на|по)\s+((?:19|20)\d{2})(?:\s*(?:-|–|—)\s*((?:19|20)\d{2}))?\s*(?:год|году|года|годах|годов|годы|гг\.?|г\.)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateHit:
    start: int
    stop: int
    value: DateValue


def month_number(word: str) -> int | None:
    low = word.lower()
    for stem, number in sorted(MONTHS.items(), key=lambda item: -len(item[0])):
        if low.startswith(stem):
            return number
    return None


def find_dates(text: str, doc_date: str | None, start: int = 0, stop: int | None = None) -> list[DateHit]:
    """Dates in ``text[start:stop]``, day-level first in text order, then months and years."""
    stop = len(text) if stop is None else stop
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for match in DAY_MONTH.finditer(text, start, stop):
        day, month = int(match.group(1)), month_number(match.group(2))
        if month is None or not 1 <= day <= 31:
            continue
        if match.group(3):
            value = DateValue(f"{match.group(3)}-{month:02d}-{day:02d}", DateKind.DATE)
        else:
            value = complete_date(DateValue(f"--{month:02d}-{day:02d}", DateKind.MONTH_DAY), doc_date)
        hits.append(DateHit(match.start(), match.end(), value))
        taken.append((match.start(), match.end()))
    for match in MONTH_YEAR.finditer(text, start, stop):
        if any(s <= match.start() < e for s, e in taken):
            continue
        month = month_number(match.group(1))
        if month:
            hits.append(DateHit(match.start(), match.end(), DateValue(f"{match.group(2)}-{month:02d}", DateKind.YEAR_MONTH)))
            taken.append((match.start(), match.end()))
    for match in YEAR.finditer(text, start, stop):
        if any(s <= match.start(1) < e for s, e in taken):
            continue
        hits.append(DateHit(match.start(1), match.end(), DateValue(match.group(1), DateKind.YEAR)))
    hits.sort(key=lambda h: h.start)
    return hits


AHEAD = 92  # days after the document a date without a year may lie (an announced signing, a forum)


def complete_date(date: DateValue, document_date: str | None) -> DateValue:
    """A day and month without a year («9 апреля», ``--04-09``) completed from the document's
    date, keeping the text's form in ``stated``: the latest such day at most ``AHEAD`` days
    after the document (news tell mostly of what has happened, sometimes of what is
    announced); in a document dated by its year alone, that year. Any other date, one in an
    undated document, or a day that does not exist (31 February), as it is.

    >>> complete_date(DateValue("--04-09", DateKind.MONTH_DAY), "2024-04-12")
    DateValue(value='2024-04-09', kind=<DateKind.DATE: 'date'>, stated='--04-09')
    >>> complete_date(DateValue("--12-25", DateKind.MONTH_DAY), "2025-01-10").value
    '2024-12-25'
    >>> complete_date(DateValue("--11-20", DateKind.MONTH_DAY), "2025-10-14").value
    '2025-11-20'
    >>> complete_date(DateValue("--04-09", DateKind.MONTH_DAY), "2024").value
    '2024-04-09'
    >>> complete_date(DateValue("--04-09", DateKind.MONTH_DAY), None).value
    '--04-09'
    """
    if date.kind != DateKind.MONTH_DAY or not document_date or not re.match(r"\d{4}", document_date):
        return date
    try:
        stated_month, stated_day = int(date.value[2:4]), int(date.value[5:7])
        year = int(document_date[:4])
        if len(document_date) < 7:  # only the year is known
            return DateValue(dt.date(year, stated_month, stated_day).isoformat(), DateKind.DATE, date.value)
        month = int(document_date[5:7])
        anchor = dt.date(year, month, int(document_date[8:10]) if len(document_date) >= 10 else 1)
    except ValueError:
        return date
    candidates = []
    for y in range(year + 1, year - 5, -1):  # 29 February: back to the last leap year
        try:
            day = dt.date(y, stated_month, stated_day)
        except ValueError:
            continue
        if (day - anchor).days <= AHEAD:
            candidates.append(day)
    return DateValue(max(candidates).isoformat(), DateKind.DATE, date.value) if candidates else date


def best_date(hits: list[DateHit]) -> DateValue | None:
    """The most precise date among ``hits`` (day > month > year; a range gives its first year)."""
    for kind in (DateKind.DATE, DateKind.MONTH_DAY, DateKind.YEAR_MONTH, DateKind.YEAR):
        for hit in hits:
            if hit.value.kind == kind:
                return hit.value
    return None
