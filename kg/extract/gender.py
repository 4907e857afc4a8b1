"""Which gender a person's name says, so that a surname alone never joins a person of the other
gender: «Никитина сообщила» is not «Павел Никитин», «директор Белов» is not «Марина Белова».

natasha's normal forms cannot tell: it gives «кольцов» for «сообщила директор кластера Кольцова»
and leaves «Алексея Орлова» as «алексей орлова». So a first name says it by its ending, and a
surname by the form written in the text, else by the past-tense verb of its clause.

>>> [first_name_gender(n) for n in ("Марина", "Павел", "Никита", "Игорь", "Любовь", "John")]
['f', 'm', 'm', 'm', 'f', None]
>>> surname_gender("Белов", "сообщил директор", ""), surname_gender("Никитиной", "", "")
('m', 'f')
>>> surname_gender("Никитина", "заместитель министра", "сообщила, что"), surname_gender("Кольцова", "сообщила директор кластера", "")
('f', 'f')
>>> surname_gender("Никитина", "по словам", ""), surname_gender("Шевчук", "", "сообщила")
(None, None)
>>> surname_gender("Орлова", "директор филиала", ""), surname_gender("Орлова", "с начала года вице-губернатор", "")
(None, None)

natasha also turns a woman's initial and surname masculine («М. Белова сообщила» -> «Белов»);
``her_surname`` gives her form back when the text says she is a woman:

>>> her_surname("Белова", "Белов", "", " сообщила, что", "м", {})
'Белова'
>>> her_surname("Белова", "Белов", "по словам ", ", кластер", "м", {})
>>> her_surname("Белова", "Белов", "", " вырос", "м", {("м", "белова"): "f"})
'Белова'
>>> her_surname("Лебединской", "Лебединской", "с ", "", "о", {("о", "лебединская"): "f"})
'Лебединская'
"""

from __future__ import annotations

import re

from kg.extract.keys import fold_word

# first names ending in -а/-я that are men's
_MALE_IN_A = frozenset("""никита илья кузьма фома лука савва данила гаврила фока ерема миша саша женя валера
    вова дима коля петя паша леша сережа слава витя толя юра ваня гриша костя рома миха""".split())

# first names ending in -ь that are women's («Игорь» is a man's)
_FEMALE_IN_SOFT_SIGN = frozenset("любовь айгуль гузель асель нинель рахиль юдифь эсфирь адель ассоль гульназ".split())

# surname forms that only one gender writes (-ов/-ев/-ин/-ын and -ский/-цкий families)
_MALE_FORMS = re.compile(r"(?:ов|ев|ин|ын)(?:ым|е)?$|(?:ск|цк)(?:ий|ого|ому|им|ом)$")
_FEMALE_FORMS = re.compile(r"(?:ов|ев|ин|ын)ой$|(?:ск|цк)(?:ая|ую)$")
# forms both write (-ова: her nominative, his genitive; -ову; -ской)
_EITHER_FORMS = re.compile(r"(?:ов|ев|ин|ын)[ау]$|(?:ск|цк)ой$")
# a past-tense verb: «сообщила», «заявил», «провёл», «встретилась»
_PAST_F = re.compile(r"^[а-я]{2,}[аеиоуыяю]ла(?:сь)?$")
_PAST_M = re.compile(r"^[а-я]{2,}(?:[аеиоуыяю]л|ел)(?:ся)?$")
# nouns of those endings met beside names in news («директор филиала», «с начала года»)
_NOT_VERBS = frozenset("""канал сигнал капитал персонал журнал финал генерал вокзал филиал материал потенциал
    квартал арсенал минерал оригинал портал терминал трибунал идеал интеграл начала дела села тела стола пола
    угла""".split())
_CLAUSE_END = re.compile(r"[.,;:!?()«»\"—–]")
_WORD = re.compile(r"[а-яё-]+", re.IGNORECASE)
WINDOW = 4  # words of the clause read on either side


def fold(text: str) -> str:
    """Lowercase, «ё» as «е», one script per word."""
    return " ".join(fold_word(word) for word in text.split()).lower().replace("ё", "е")


def first_name_gender(first: str) -> str | None:
    """'f' or 'm' by the ending of a Russian first name; None when it is not one (Latin, initials)."""
    name = fold(first)
    if not re.fullmatch(r"[а-я-]{2,}", name):
        return None
    if name in _MALE_IN_A:
        return "m"
    if name.endswith(("а", "я")):
        return "f"
    return "f" if name in _FEMALE_IN_SOFT_SIGN else "m"


def surname_gender(surname: str, before: str, after: str) -> str | None:
    """'f' or 'm' for a surname as written, read with the text of its clause before and after it;
    None unless its form or its clause's verb says (a surname of no gendered family never does)."""
    word = fold(surname).replace(".", "")
    if _FEMALE_FORMS.search(word):
        return "f"
    if _MALE_FORMS.search(word) and not _EITHER_FORMS.search(word):
        return "m"
    if not _EITHER_FORMS.search(word):
        return None
    return _verb_gender(before, after)


def _verb_gender(before: str, after: str) -> str | None:
    """The gender of the nearest past-tense verb of the clause around a name."""
    left = _CLAUSE_END.split(before)[-1]
    right = _CLAUSE_END.split(after)[0]
    words_before = [w.lower() for w in _WORD.findall(left)][-WINDOW:][::-1]
    words_after = [w.lower() for w in _WORD.findall(right)][:WINDOW]
    for n in range(WINDOW):
        for side in (words_after, words_before):
            if n < len(side):
                word = side[n].replace("ё", "е")
                if word in _NOT_VERBS or word[:-1] in _NOT_VERBS:
                    continue
                if _PAST_F.match(word):
                    return "f"
                if _PAST_M.match(word):
                    return "m"
    return None


# a speech verb before a name ending its clause has that name for its subject («, — сообщила М. Белова.»)
_SPEECH_F = frozenset("""сообщила рассказала отметила заявила подчеркнула пояснила добавила уточнила считает
    напомнила призналась поделилась прокомментировала ответила резюмировала""".split())


def her_surname(written: str, last: str, before: str, after: str, initial: str,
                women: dict[tuple[str, str], str]) -> str | None:
    """A woman's surname as she writes it, when natasha's ``last`` made it masculine, else None.

    ``written`` is the surname as the text writes it after an initial, ``before``/``after`` the text
    of its clause, ``women`` the genders the document's full names say, by (first letter, folded
    surname). Only a form both genders write counts (-ова: her nominative, his genitive) and only
    with evidence: a full name of hers in the document (and none of his), or a past-tense verb
    after the name in its clause, or a speech verb opening the clause before it when the name ends the clause.
    A man's form («Белов», «Беловым») and his genitive without such evidence stay as they are.
    A surname in -ской that natasha left as written (her oblique case, or his «Донской») becomes
    her -ская only by her full name in the document."""
    word, base = fold(written), fold(last)
    if re.fullmatch(r"[а-я-]+[сц]кой", word) and base == word:  # «О. Лебединской»: hers, or his «Донской»
        said = {women.get((initial, word[:-2] + "ая")), women.get((initial, word))} - {None}
        return written[:-2] + "ая" if said == {"f"} else None
    if not re.fullmatch(r"[а-я-]+(?:ов|ев|ёв|ин|ын)а", word) or word[:-1] != base:
        return None
    said = {women.get((initial, word)), women.get((initial, base))} - {None}
    if said:
        return written if said == {"f"} else None
    verb = _verb_gender("", after)
    if verb is None and not _WORD.search(_CLAUSE_END.split(after)[0]):
        left = [w.lower() for w in _WORD.findall(_CLAUSE_END.split(before)[-1])]
        left = left[1:] if left[:1] == ["как"] else left  # «Как отметила Л. Карпова, …»
        verb = "f" if left and left[0] in _SPEECH_F else None
    return written if verb == "f" else None
