"""Persons: NER PER spans, normalised; a bare surname joins the full-name person with that surname."""

from __future__ import annotations

from kg.extract.context import Context
from kg.extract.gender import first_name_gender, fold, her_surname
from kg.extract.keys import norm, person_key
from kg.model import Kind


def find_persons(ctx: Context, spans: list[tuple[int, int, str, dict[str, str]]]) -> None:
    """PER spans -> persons; bare surnames join a full-name person with that surname."""
    by_last: dict[str, str] = {}
    pending: list[tuple[int, int, str, dict[str, str]]] = []
    women = _genders(spans)
    for start, stop, normal, fact in spans:
        if any(char.isdigit() for char in ctx.text[start:stop]):
            continue  # «Формулы-1»: a name has no digits
        first, last = fact.get("first"), fact.get("last")
        if not last and first and not fact.get("middle"):
            last, first = None, first
        if first and last:
            surface = ctx.text[start:stop]
            first, last = with_yo(first, surface), with_yo(last, surface)
            if len(first) == 1 and surface.split():
                hers = her_surname(surface.split()[-1], last, ctx.text[max(0, start - 80):start],
                                   ctx.text[stop:stop + 80], fold(first), women)
                if hers is not None:  # «М. Белова сообщила»: natasha wrote «Белов»
                    normal = " ".join(hers if word == last else word for word in normal.split(" "))
                    last = hers
            label = f"{first} {last}" if len(first) > 1 else f"{first}. {last}"
            if fact.get("middle") and len(first) == 1:
                label = f"{first}.{fact['middle']}. {last}"
            normal = " ".join(with_yo(word, surface) for word in normal.split(" "))
            pid = ctx.entity(Kind.PERSON, person_key(first, last), label, start, stop, alt_label=normal)
            by_last.setdefault(norm(last), pid)
        else:
            pending.append((start, stop, normal, fact))
    for start, stop, normal, fact in pending:
        name = fact.get("last") or fact.get("first") or normal
        known = by_last.get(norm(name)) or _inflected_surname(by_last, norm(name))
        if known is not None:
            ctx.mention(known, start, stop)
        else:
            by_last.setdefault(norm(name), ctx.entity(Kind.PERSON, norm(normal), normal, start, stop))


def _genders(spans: list[tuple[int, int, str, dict[str, str]]]) -> dict[tuple[str, str], str]:
    """The genders the document's full names say, by (first letter, folded surname): «Марина
    Белова» gives ('м', 'белова'): 'f'; two names of one key that disagree give no entry."""
    found: dict[tuple[str, str], set[str]] = {}
    for _, _, _, fact in spans:
        first, last = fact.get("first"), fact.get("last")
        gender = first_name_gender(first) if first and last and len(first) > 1 else None
        if first and last and gender:
            found.setdefault((fold(first)[0], fold(last)), set()).add(gender)
    return {key: genders.pop() for key, genders in found.items() if len(genders) == 1}


def with_yo(name: str, surface: str) -> str:
    """``name`` with the «ё» its words are written with in ``surface`` (natasha's normal forms
    write «е»): «Петр» in «Пётр Дёмин» -> «Пётр»; «Демин» in «Дёмина» -> «Дёмин».

    >>> with_yo("Демин", "губернатора Дёмина")
    'Дёмин'
    >>> with_yo("Петр", "Петра")
    'Петр'
    """
    if "е" not in name.lower() or "ё" not in surface.lower():
        return name
    for word in surface.split():
        plain = word.lower().replace("ё", "е")
        low = name.lower()
        size = 0
        while size < min(len(plain), len(low)) and plain[size] == low[size]:
            size += 1
        if size >= max(3, len(low) - 2) and "ё" in word[:size].lower():
            return "".join("ё" if w == "ё" and c == "е" else "Ё" if w == "Ё" and c == "Е" else c
                           for c, w in zip(name, word[:size] + name[size:]))
    return name


def _inflected_surname(by_last: dict[str, str], name: str) -> str | None:
    """«Обамой» is «Обама»: same stem, an inflected ending of at most three letters."""
    if len(name) < 4:
        return None
    for last, pid in by_last.items():
        stem = min(len(last), len(name)) - 2
        if stem >= 3 and last[:stem] == name[:stem] and abs(len(last) - len(name)) <= 3:
            return pid
    return None
