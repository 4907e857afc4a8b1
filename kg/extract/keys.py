"""Keys that identify one entity across documents.

person: «имя фамилия» lowercase, ё -> е; organisation: label lowercase with quotes
and legal form stripped and homoglyphs folded to one script; region: ISO code;
city: name + region ISO; cluster: normalised name (described: description + region).
"""

from __future__ import annotations

import re

# Latin look-alikes of Cyrillic letters and back.
_CYR = "АВЕКМНОРСТУХаеорсух"
_LAT = "ABEKMHOPCTYXaeopcyx"
_TO_LAT = str.maketrans(_CYR, _LAT)
_TO_CYR = str.maketrans(_LAT, _CYR)
_CYR_LETTER = re.compile(r"[а-яёА-ЯЁ]")
_LAT_LETTER = re.compile(r"[a-zA-Z]")
_QUOTES = re.compile(r"[«»\"“”„‟'‘’`]")
_SPACES = re.compile(r"\s+")
_DASHES = re.compile(r"\s*[‐‑‒–—―-]\s*")


def fold_word(word: str) -> str:
    """Write a mixed-script word in the script of the majority of its letters."""
    if "-" in word:
        return "-".join(fold_word(part) for part in word.split("-"))
    cyr = len(_CYR_LETTER.findall(word))
    lat = len(_LAT_LETTER.findall(word))
    if cyr and lat:
        return word.translate(_TO_CYR) if cyr > lat else word.translate(_TO_LAT)
    return word


def fold_homoglyphs(text: str) -> str:
    """Fold every mixed-script word to one script («АSIS» -> «ASIS»)."""
    return " ".join(fold_word(word) for word in text.split(" "))


def norm(text: str) -> str:
    """Lowercase, ё -> е, quotes removed, dashes and spaces collapsed."""
    text = _QUOTES.sub(" ", text).replace("ё", "е").replace("Ё", "Е")
    text = _DASHES.sub("-", text)
    return _SPACES.sub(" ", text).strip().lower()


def person_key(first: str | None, last: str) -> str:
    return norm(f"{first} {last}" if first else last)


def org_key(label: str) -> str:
    return norm(fold_homoglyphs(label))


def cluster_key(label: str, region_iso: str | None = None) -> str:
    key = norm(fold_homoglyphs(label))
    return f"{key} @{region_iso}" if region_iso else key


def city_key(name: str, region_iso: str | None) -> str:
    return f"{norm(name)} @{region_iso}" if region_iso else norm(name)
