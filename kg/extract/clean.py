"""A cleaned view of a raw document with a map back to raw offsets.

Cleaning strips HTML tags (dropping ``<script>``/``<style>`` content), decodes
character entities, replaces control characters by spaces and inserts a virtual
space where a lowercase Cyrillic letter is glued to an uppercase one
(«областиАлексея» -> «области Алексея»). It also undoes two kinds of noise of
real pages, one character for one: a word mixing Cyrillic and Latin look-alike
letters is written in the script of most of its letters («состaв клaстерa» with
Latin «a» -> all Cyrillic; «АSIS» -> «ASIS»), and a dash between spaces of any
kind (‒ – ― − ⸺) becomes «—»; a news agency's dateline town in capitals is written as a
name («ТОМСК, 2 июня» -> «Томск, 2 июня»). Every character of the cleaned text remembers the
raw span it came from, so spans found in the cleaned text map back to raw
offsets exactly.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Callable

from kg.extract.keys import fold_word

_TAG = re.compile(
    r"<(script|style)\b[^>]*>.*?</\1\s*>|<!--.*?-->|</?[A-Za-z][^<>]*>",
    re.IGNORECASE | re.DOTALL,
)
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LOWER = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_UPPER = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
_BLOCK_TAGS = re.compile(r"</?(p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|article)\b", re.I)


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Cleaned text; ``starts[i]``/``stops[i]`` give the raw span of character ``i``."""

    text: str
    starts: tuple[int, ...]
    stops: tuple[int, ...]

    def raw_span(self, start: int, stop: int) -> tuple[int, int]:
        """Raw ``(start, stop)`` of the cleaned slice ``[start:stop]`` (non-empty)."""
        if stop <= start:
            return self.starts[start] if start < len(self.starts) else 0, self.starts[start] if start < len(self.starts) else 0
        return self.starts[start], self.stops[stop - 1]

    def cleaned_offset(self, raw: int) -> int:
        """The first cleaned position whose raw origin starts at or after raw offset ``raw``."""
        import bisect

        return bisect.bisect_left(self.starts, raw)


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return (code < 32 and ch not in "\n") or 127 <= code < 160 or code in (0x2028, 0x2029, 0xFEFF)


def clean(raw: str) -> Cleaned:
    """Clean ``raw`` and keep, for each cleaned character, its raw origin."""
    chars: list[str] = []
    starts: list[int] = []
    stops: list[int] = []

    depth = [0]

    def emit(ch: str, start: int, stop: int) -> None:
        if ch == "\xa0" or _is_control(ch):
            ch = " "
        if ch == "«":
            depth[0] += 1
        elif ch == "»":
            depth[0] = max(0, depth[0] - 1)
        if chars and ch in _UPPER and chars[-1] in _LOWER and not depth[0] and _glued(chars, len(chars)):
            chars.append(" ")  # virtual space: maps onto the uppercase letter
            starts.append(start)
            stops.append(start)
        chars.append(ch)
        starts.append(start)
        stops.append(stop)

    has_markup = "<" in raw or "&" in raw
    if not has_markup:
        return _clean_plain(raw)
    pos = 0
    if has_markup:
        for match in _TAG.finditer(raw):
            _emit_text(raw, pos, match.start(), emit)
            tag_char = "\n" if _BLOCK_TAGS.match(match.group(0)) else " "
            emit(tag_char, match.start(), match.end())
            pos = match.end()
    _emit_text(raw, pos, len(raw), emit)
    return Cleaned(_denoise("".join(chars)), tuple(starts), tuple(stops))


_MIXED = re.compile(r"[А-Яа-яЁё]+[A-Za-z][A-Za-zА-Яа-яЁё]*|[A-Za-z]+[А-Яа-яЁё][A-Za-zА-Яа-яЁё]*")
_SPACED_DASH = re.compile(r"(?<=\s)[\u2012\u2013\u2015\u2212\u2E3A](?=\s)")


_MONTHS = ("января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
           "янв|фев|мар|апр|июн|июл|авг|сен|сент|окт|ноя|дек")
# a news agency's dateline: a town in capitals at the start of a line, then «, 14 февраля»
_DATELINE = re.compile(rf"(?m)^([ \t]*)([А-ЯЁ]{{2,}}(?:(?:-| )[А-ЯЁ]{{2,}})*)(?=[ \t\xa0]*,[ \t\xa0]*\d{{1,2}}[ \t\xa0]+(?:{_MONTHS})\b)")
_LOWER_PARTS = frozenset({"НА", "ПОД", "ДЕ", "ЛЕ", "ЛА"})


def _town_case(match: re.Match[str]) -> str:
    """«ТОМСК» -> «Томск», «РОСТОВ-НА-ДОНУ» -> «Ростов-на-Дону»: the same length."""
    words = re.sub(r"[А-ЯЁ]+", lambda m: m.group(0).lower() if m.group(0) in _LOWER_PARTS and m.start() > 0
                   else m.group(0)[0] + m.group(0)[1:].lower(), match.group(2))
    return match.group(1) + words


def _denoise(text: str) -> str:
    """Mixed-script words in one script, spaced dashes as «—», a dateline's town in capitals as a
    name («ТОМСК, 2 июня» -> «Томск, 2 июня»: the tagger reads capitals as an organisation); the
    same length as ``text``."""
    if _MIXED.search(text):
        text = _MIXED.sub(lambda m: fold_word(m.group(0)), text)
    if _DATELINE.search(text):
        text = _DATELINE.sub(_town_case, text)
    return _SPACED_DASH.sub("\u2014", text)


_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\xa0\u2028\u2029\ufeff]")
_GLUE = re.compile(f"(?<=[{_LOWER}])(?=[{_UPPER}])")


def _clean_plain(raw: str) -> Cleaned:
    """Fast path for text without markup: same length except virtual spaces."""
    text = _denoise(_CONTROL.sub(" ", raw))
    glue = [m.start() for m in _GLUE.finditer(text) if _glued(text, m.start()) and text.count("«", 0, m.start()) <= text.count("»", 0, m.start())]
    if not glue:
        starts = tuple(range(len(raw)))
        return Cleaned(text, starts, tuple(range(1, len(raw) + 1)))
    parts: list[str] = []
    start_list: list[int] = []
    stop_list: list[int] = []
    prev = 0
    for at in glue:
        parts.append(text[prev:at])
        start_list.extend(range(prev, at))
        stop_list.extend(range(prev + 1, at + 1))
        parts.append(" ")
        start_list.append(at)
        stop_list.append(at)
        prev = at
    parts.append(text[prev:])
    start_list.extend(range(prev, len(text)))
    stop_list.extend(range(prev + 1, len(text) + 1))
    return Cleaned("".join(parts), tuple(start_list), tuple(stop_list))


def _glued(chars: "str | list[str]", at: int) -> bool:
    """Split before ``chars[at]`` unless it looks like CamelCase inside a name («БиоХимЗавод»)."""
    run = at
    while run > 0 and chars[run - 1] in _LOWER + _UPPER:
        run -= 1
    return chars[run] in _LOWER or at - run >= 5


def _emit_text(raw: str, begin: int, end: int, emit: Callable[[str, int, int], None]) -> None:
    pos = begin
    if "&" in raw[begin:end]:
        for match in _ENTITY.finditer(raw, begin, end):
            for index in range(pos, match.start()):
                emit(raw[index], index, index + 1)
            decoded = html.unescape(match.group(0))
            if decoded == match.group(0):
                for index in range(match.start(), match.end()):
                    emit(raw[index], index, index + 1)
            else:
                for ch in decoded:
                    emit(ch, match.start(), match.end())
            pos = match.end()
    for index in range(pos, end):
        emit(raw[index], index, index + 1)
