"""The date of the report a fact's sentence continues.

«В Перми 14 октября открылся форум. На форуме министр и директор подписали договор.»: the
signing's sentence states no date, but it continues the report of the sentence before,
whose time adverbial dates the forum and so the signing. A fact whose sentences state no
date takes that date when

- the two sentences are adjacent, in one paragraph (no line break between them);
- the sentence before states exactly one date, as a time adverbial: not after a preposition
  of a deadline, a start or a reference (до, к, с, от, после, перед, по, на);
- the fact's sentence opens by pointing back at what the sentence before reports: a venue or
  occasion whose noun is one of that sentence's nouns («На форуме», «В ходе визита», «В рамках
  выставки», «На полях форума»), or «там же», «тогда же», «в тот же (этот) день»;
  or the sentence before is the report's dateline alone («ПЕРМЬ, 14 октября.»).

A date in the sentence before that dates something else — another event, a deadline, with no
pointer back to it — stays there.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.extract.readers.dates import find_dates
from kg.model import DateValue

_BACK = re.compile(
    r"^\W*(?:(?:а|и|затем|также)\s+)?(?:(?:на|в|во)\s+(?:ходе|рамках|время|дни|день|полях|итогах)\s+|по\s+итогам\s+|на\s+|в\s+|во\s+)"
    r"(?:(?:этого|этой|этом|того|той|том)\s+)?([а-яё]+)",
    re.I,
)
_THERE = re.compile(r"^\W*(?:(?:а|и)\s+)?(?:там\s+же|тогда\s+же|в\s+(?:тот\s+же|этот|тот)\s+день)(?![\w-])", re.I)
_NOT_WHEN = re.compile(r"(?<![\w-])(?:до|к|ко|с|со|от|после|перед|по|на|около)\s+$", re.I)
_DATELINE = re.compile(r"^\W*[А-ЯЁ][А-ЯЁа-яё-]+(?:\s+[А-ЯЁ][А-ЯЁа-яё-]+)?\s*,\s*$")  # «ПЕРМЬ, » (cleaned: «Пермь, »)
_WORD = re.compile(r"[а-яё]+", re.I)


def report_date(text: str, sents: list[tuple[int, int]], first: tuple[int, int], doc_date: str | None,
                lemma: Callable[[str], str]) -> DateValue | None:
    """The date the fact whose first sentence is ``first`` takes from the sentence before it
    (module docstring), or None. ``lemma`` gives a word's dictionary form."""
    try:
        index = sents.index(first)
    except ValueError:
        return None
    if index == 0:
        return None
    before = sents[index - 1]
    if "\n" in text[before[1]:first[0]] or "\n" in text[before[0]:before[1]].strip():
        return None
    hits = find_dates(text, doc_date, *before)
    if len(hits) != 1 or _NOT_WHEN.search(text[before[0]:hits[0].start]):
        return None
    hit = hits[0]
    opening = text[first[0]:first[1]]
    if _DATELINE.match(text[before[0]:hit.start]) and not text[hit.stop:before[1]].strip(" .—–-"):
        return hit.value
    if _THERE.match(opening):
        return hit.value
    back = _BACK.match(opening)
    if back is None or not back.group(1)[0].islower():  # a common noun («форуме»), not a place («Перми»)
        return None
    noun = lemma(back.group(1).lower())
    said = {lemma(word.lower()) for word in _WORD.findall(text[before[0]:before[1]])}
    return hit.value if noun in said and len(noun) > 3 else None
