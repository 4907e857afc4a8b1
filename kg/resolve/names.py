"""Name forms for matching: folded, lemmatised, abbreviated, and script-neutral.

Matching never changes a label: labels keep the letters they were written with
(«Пётр», «Дёмин»); only the keys built here fold them.

>>> fold("ОАО «Кузнецов»")
'оао кузнецов'
>>> skeleton("Hemofarm") == skeleton("Хемофарм")
True
>>> skeleton("Novo Nordisk") == skeleton("Нова Нордиск")
True
>>> initials("Объединённая авиастроительная компания")
'оак'
>>> abbreviates("Минпромторг", "министерство промышленности и торговли")
True
>>> abbreviates("Минэкономразвития", "министерство экономического развития и внешних связей")
True
>>> abbreviates("Минпромторг", "министерство природных ресурсов")
False
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kg.extract.keys import fold_word

Lemma = Callable[[str], str]

# Latin look-alikes of Cyrillic letters are folded by kg.extract.keys.fold_word: «АSIS» is «ASIS».
_CYR_LETTER = re.compile(r"[а-яёА-ЯЁ]")
_LAT_LETTER = re.compile(r"[a-zA-Z]")
_QUOTES = re.compile(r"[«»\"“”„‟'‘’`‹›]")
_DASHES = re.compile(r"\s*[‐‑‒–—―-]\s*")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[0-9A-Za-zА-ЯЁа-яё]+(?:-[0-9A-Za-zА-ЯЁа-яё]+)*")

# Legal forms written before or after a name; never part of the name itself.
LEGAL_FORMS = frozenset(
    """ооо оао зао пао ао ип тоо гуп муп фгуп огуп нпф нпо нпп гк нп ано фгбоу фгаоу фгбу фгу гбу гау ау огку
    ано фгуп гнп фнпц ооо нпк ук тд чоу мау гку ано нко ассоциация""".split()
) - {"ассоциация"}
# Words of a legal-form phrase that follow an abbreviation: «ФГБОУ ВО», «ФГАОУ ВПО».
_FORM_TAILS = frozenset({"во", "впо", "до"})

# Function words skipped when reading initials or abbreviations.
STOP_WORDS = frozenset({"и", "в", "на", "с", "по", "о", "об", "для", "при", "из", "от", "до", "за", "к", "у", "им", "имени"})


def fold(text: str) -> str:
    """Lowercase, ё -> е, one script per word, quotes dropped, dashes and spaces collapsed."""
    text = _QUOTES.sub(" ", text)
    text = " ".join(fold_word(word) for word in text.split())
    text = _DASHES.sub("-", text).replace("ё", "е").replace("Ё", "Е")
    return _SPACES.sub(" ", text).strip().lower()


def words(text: str) -> list[str]:
    """The words of a folded text (hyphenated words kept whole)."""
    return _WORD.findall(fold(text))


def strip_legal_form(tokens: list[str]) -> list[str]:
    """Drop legal-form words at either end: ['ооо', 'ферма', 'софт'] -> ['ферма', 'софт']."""
    start, stop = 0, len(tokens)
    while start < stop and (tokens[start] in LEGAL_FORMS or (start and tokens[start] in _FORM_TAILS)):
        start += 1
    while stop > start and tokens[stop - 1] in LEGAL_FORMS:
        stop -= 1
    return tokens[start:stop]


def name_key(text: str, lemma: Lemma) -> str:
    """Folded, legal form dropped, every word lemmatised: the same key in every case.

    «Объединённой авиастроительной компании» and «Объединённая авиастроительная
    компания» both give «объединенный авиастроительный компания».
    """
    tokens = strip_legal_form(words(text))
    return " ".join(lemma_word(t, lemma) for t in tokens)


def lemma_word(word: str, lemma: Lemma) -> str:
    """The lemma of a Cyrillic word (each part of a hyphenated one); other words as they are."""
    if not _CYR_LETTER.search(word) or word.isdigit():
        return word
    return "-".join(lemma(part).replace("ё", "е") if _CYR_LETTER.search(part) else part for part in word.split("-"))


def is_abbreviation(text: str) -> bool:
    """An all-capitals word of 2-8 letters: «ОАК», «СГАУ», «КнААПО» (one lowercase letter allowed)."""
    word = text.strip()
    if not 2 <= len(word) <= 8 or not word.isalpha():
        return False
    return sum(ch.isupper() for ch in word) >= len(word) - 1 and word[0].isupper() and word[-1].isupper()


def initials(text: str) -> str:
    """First letters of the content words: «Объединённая авиастроительная компания» -> «оак»."""
    return "".join(w[0] for w in words(text) if w not in STOP_WORDS and not w.isdigit())


_MIN = re.compile(r"^мин(?P<rest>[а-я]{4,})$")


def abbreviates(short: str, full: str) -> bool:
    """«Минпромторг» abbreviates «министерство промышленности и торговли»: «мин» + a prefix of each
    of the following content words, in order (a tail of the full name may be left over:
    «Минэкономразвития» for «министерство экономического развития и внешних связей»)."""
    found = _MIN.match(fold(short))
    tokens = [w for w in words(full) if w not in STOP_WORDS]
    if not found or len(tokens) < 2 or not tokens[0].startswith("министерств"):
        return False
    return _segments(found.group("rest"), tokens[1:])


def _segments(rest: str, tokens: list[str]) -> bool:
    if not rest:
        return True
    if not tokens:
        return False
    word = tokens[0]
    # each piece is a prefix of 2+ letters of the word («пром», «эконом», «обр», «энерго» of «энергетики»)
    for size in range(min(len(word), len(rest)), 1, -1):
        if rest.startswith(word[:size]) and _segments(rest[size:], tokens[1:]):
            return True
    # «энерго» for «энергетики»: a piece may end in «о» that the word does not have
    for size in range(min(len(word), len(rest) - 1), 2, -1):
        if rest.startswith(word[:size] + "о") and _segments(rest[size + 1:], tokens[1:]):
            return True
    return False


# -- a script-neutral consonant skeleton, for names written in Latin in one text and
# in Cyrillic in another (Hemofarm / Хемофарм, Novo Nordisk / Нова Нордиск).
_CYR_CONSONANTS = str.maketrans({
    "б": "b", "в": "v", "г": "g", "д": "d", "ж": "s", "з": "s", "к": "k", "л": "l", "м": "m", "н": "n",
    "п": "p", "р": "r", "с": "s", "т": "t", "ф": "f", "х": "h", "ц": "s", "ч": "c", "ш": "s", "щ": "s",
    "а": "", "е": "", "ё": "", "и": "", "о": "", "у": "", "ы": "", "э": "", "ю": "", "я": "", "й": "",
    "ь": "", "ъ": "",
})
_LAT_DIGRAPHS = (("sch", "s"), ("tch", "c"), ("ch", "h"), ("sh", "s"), ("ph", "f"), ("th", "t"), ("ck", "k"),
                 ("kh", "h"), ("zh", "s"), ("ts", "s"), ("tz", "s"), ("gh", "g"), ("qu", "kv"))
_LAT_CONSONANTS = str.maketrans({
    "x": "ks", "z": "s", "q": "k", "w": "v", "c": "k", "j": "", "y": "", "a": "", "e": "", "i": "", "o": "", "u": "",
})
_DOUBLE = re.compile(r"(.)\1+")


def script(text: str) -> str:
    """'latin', 'cyrillic', 'mixed' or '' (no letters) for the letters of ``text``."""
    cyr = bool(_CYR_LETTER.search(text))
    lat = bool(_LAT_LETTER.search(text))
    return "mixed" if cyr and lat else "cyrillic" if cyr else "latin" if lat else ""


def skeleton(text: str) -> str:
    """The consonants of a name, as a Latin-script reader and a Cyrillic one would both spell them."""
    parts = []
    for word in words(text):
        if _CYR_LETTER.search(word):
            word = word.translate(_CYR_CONSONANTS)
        else:
            for digraph, sound in _LAT_DIGRAPHS:
                word = word.replace(digraph, sound)
            word = re.sub(r"c(?=[eiy])", "s", word).translate(_LAT_CONSONANTS)
        parts.append(re.sub(r"[^a-z0-9]", "", word))
    return _DOUBLE.sub(r"\1", "".join(parts))


def first_of(values: Iterable[str]) -> str | None:
    """The first non-empty value, or None."""
    return next((v for v in values if v), None)


# A Russian surname's possessive suffix and the case/gender endings after it: «Орлова», «Орлову»,
# «Зиминой», «Шубину» -> «орлов», «зимин», «шубин»; «Ковальского», «Ковальская» -> «ковальск».
_SURNAME = re.compile(r"^(.{2,}?(?:ов|ев|ёв|ин|ын))(?:а|у|ым|ой|ою|е|ы|ых|ыми)?$|^(.{2,}?ск|.{2,}?цк)(?:ий|ая|ого|ой|ому|ую|им|ом|ие|их)$")


def surname_base(surname: str) -> str:
    """The stem of a surname that its genders and cases share; another surname unchanged.

    >>> [surname_base(s) for s in ("Орлов", "Орлова", "Орлову", "Зиминой", "Ковальская", "Черных", "Шевчук")]
    ['орлов', 'орлов', 'орлов', 'зимин', 'ковальск', 'черных', 'шевчук']
    """
    word = fold(surname)
    found = _SURNAME.match(word)
    if found is None:
        return word
    return found.group(1) or found.group(2)


def person_parts(key: str) -> tuple[str, str, str] | None:
    """``(first name, first letter, surname stem)`` of a person's extraction key; the first name
    is ``""`` for an initial or a surname alone, the letter ``""`` for a surname alone. A key of
    more than two words (a foreign name, a patronymic) is None: it is matched whole.

    >>> person_parts("алексей орлов"), person_parts("а. орлов @RU-KRS"), person_parts("орлова")
    (('алексей', 'а', 'орлов'), ('', 'а', 'орлов'), ('', '', 'орлов'))
    >>> person_parts("а.б. орлов"), person_parts("жан-клод ван дамм")
    (('', 'а', 'орлов'), None)
    """
    tokens = fold(key.partition(" @")[0]).replace(".", " ").split()
    if len(tokens) == 1:
        return "", "", surname_base(tokens[0])
    if len(tokens) >= 2 and all(len(t) == 1 for t in tokens[:-1]):  # «П. Зимин», «А.Б. Орлов»
        return "", tokens[0], surname_base(tokens[-1])
    if len(tokens) != 2:
        return None
    first, last = tokens
    return first, first[0], surname_base(last)
