"""Normalise the ``date`` field of input records to ISO 8601 (full or partial)."""

from __future__ import annotations

import re
from datetime import date, datetime

_YEAR = re.compile(r"[0-9]{4}")
_YEAR_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ].+")
_DOTTED_DAY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_DOTTED_MONTH = re.compile(r"([0-9]{1,2})\.([0-9]{4})")


def parse_date(value: str) -> str | None:
    """Return ``value`` as ISO 8601, or None if it is not a date we accept.

    Accepted: ``2018-02-15``, ``2018-02-15T10:30:00+03:00`` (the day is kept),
    ``2024-09``, ``2020``, ``15.02.2018``, ``09.2024``.

    >>> parse_date("15.02.2018"), parse_date("2024-09"), parse_date("2020")
    ('2018-02-15', '2024-09', '2020')
    >>> parse_date("31.02.2018") is None
    True
    """
    value = value.strip()
    try:
        if _YEAR.fullmatch(value):
            return value if int(value) >= 1 else None
        if match := _YEAR_MONTH.fullmatch(value):
            year, month = int(match[1]), int(match[2])
            return value if year >= 1 and 1 <= month <= 12 else None
        if _ISO_DAY.fullmatch(value):
            return date.fromisoformat(value).isoformat()
        if _ISO_TIME.fullmatch(value):
            return datetime.fromisoformat(value).date().isoformat()
        if match := _DOTTED_DAY.fullmatch(value):
            return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        if match := _DOTTED_MONTH.fullmatch(value):
            year, month = int(match[2]), int(match[1])
            return f"{year:04d}-{month:02d}" if year >= 1 and 1 <= month <= 12 else None
    except ValueError:
        return None
    return None
