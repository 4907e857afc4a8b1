"""Dates: «9 апреля», «17 апреля 2014 года», «в апреле 2014 г.», «в 2012-2014 гг.», «к 2030 году»."""

from __future__ import annotations

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
    doc_year = doc_date[:4] if doc_date and re.match(r"\d{4}", doc_date) else None
    hits: list[DateHit] = []
    taken: list[tuple[int, int]] = []
    for match in DAY_MONTH.finditer(text, start, stop):
        day, month = int(match.group(1)), month_number(match.group(2))
        if month is None or not 1 <= day <= 31:
            continue
        year = match.group(3) or doc_year
        if year:
            value = DateValue(f"{year}-{month:02d}-{day:02d}", DateKind.DATE)
        else:
            value = DateValue(f"--{month:02d}-{day:02d}", DateKind.MONTH_DAY)
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


def best_date(hits: list[DateHit]) -> DateValue | None:
    """The most precise date among ``hits`` (day > month > year; a range gives its first year)."""
    for kind in (DateKind.DATE, DateKind.MONTH_DAY, DateKind.YEAR_MONTH, DateKind.YEAR):
        for hit in hits:
            if hit.value.kind == kind:
                return hit.value
    return None
