"""Organisations: legal forms with (nested) quotes, typed names, authorities, NER ORG spans."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.context import Context
from kg.extract.keys import norm, org_key
from kg.extract.morph import Morph
from kg.model import Kind

if TYPE_CHECKING:
    from kg.extract.readers.rules import Found

ORG_KINDS = {Kind.ORGANIZATION, Kind.COMPANY, Kind.AUTHORITY}
_COMPANY_FORMS = {"ООО", "ОАО", "ЗАО", "ПАО", "АО", "ИП", "ТОО", "ГУП", "МУП", "ФГУП", "ОГУП", "НПФ", "НПО", "НПП", "ГК",
                  "ТД", "ФКП", "АКБ", "КБ", "ООО НПФ", "ООО НПП", "ФГУП ГНП", "ФГУП ФНПЦ", "ЧАО", "ОДО", "СП"}
_ORG_FORMS = {"НП", "АНО", "ФГБОУ ВО", "ФГБОУ ВПО", "ФГАОУ ВО", "ФГАОУ ВПО", "ФГБУ", "ФГУ", "ГБУ", "ГАУ", "АУ", "ОГКУ",
              "ОГАУ", "КГБУ", "НКО", "ЧОУ", "МКУ", "ГКУ", "ФГБНУ", "ФБУ", "ГБОУ", "МБУ", "ОГБУ", "ФГКУ", "НОУ", "РОО", "ООО"}
_FORMS = sorted(_COMPANY_FORMS | _ORG_FORMS, key=len, reverse=True)
FORM_RE = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in _FORMS)
# «A «B» C» with a missing or present outer close; «A»; "A"
QUOTED = r"«[^«»\n]{0,80}«[^«»\n]{1,80}»(?:[^«»\n]{0,60}?»)?|«[^«»\n]{1,100}»|\"[^\"\n]{1,80}\"|“[^“”\n]{1,80}”|„[^„“”\n]{1,80}[“”]"
LATIN = r"[A-ZА-ЯЁ][A-Za-z0-9&\-\.]*[A-Za-z0-9](?:\s+[A-Z][A-Za-z0-9&\-]*)*"
LEGAL = re.compile(rf"(?<![\w])({FORM_RE})\s+({QUOTED}|{LATIN}(?![а-яё]))")
TYPED = re.compile(
    rf"(?<![\w-])((?:[Кк]омпани|[Кк]онцерн|[Хх]олдинг|[Кк]орпораци|[Зз]авод|[Гг]рупп[аеуы]\s+компаний|[Бб]анк|[Аа]ссоциаци|"
    rf"[Фф]онд|[Аа]гентств|[Цц]ентр|[Ии]нститут|[Уу]ниверситет|[Тт]ехнопарк|ОЭЗ|[Пп]редприяти|[Аа]виакомпани|"
    rf"[Кк]онструкторское\s+бюро|[Фф]ирм|[Оо]бъединени|НИИ|[Пп]артнерств|[Пп]артнёрств|[Кк]омбинат|[Кк]ооператив|"
    rf"[Уу]чреждени|[Гг]азет|[Жж]урнал|[Тт]елеканал|[Рр]адиостанци|[Ии]здани|[Сс]лужб[аеуы]|[Кк]луб|[Пп]арти|[Дд]вижени|"
    rf"[Кк]оманд|[Тт]еатр|[Мм]узе|[Сс]тудия|[Сс]тудии|[Фф]едераци)\w*)\s+({QUOTED}|{LATIN}(?![а-яё]))"
)
_AUTH_HEAD = (
    r"(?:[Пп]равительств(?:о|а|у|ом|е)|(?:[Аа]дминистраци|[Кк]райадминистраци|[Оо]бладминистраци)(?:я|и|ю|ей)|"
    r"[Мм]инистерств(?:о|а|у|ом|е)|[Дд]епартамент(?:а|у|ом|е)?|[Уу]правлени(?:е|я|ю|ем|и)|[Кк]омитет(?:а|у|ом|е)?|"
    r"[Мм]эри(?:я|и|ю|ей)|[Дд]ум(?:а|ы|е|у|ой)|[Зз]аконодательн\w+\s+[Сс]обрани\w+|"
    r"[Кк]абинет\w*\s+[Мм]инистров|[Сс]овет\w*\s+[Фф]едераци\w+|[Гг]осдум\w+|[Пп]рокуратур\w+|[Сс]ледственн\w+\s+[Кк]омитет\w*|"
    r"[Пп]олпредств\w+)(?![\w-])"
)
AUTH_SHORT = re.compile(
    r"(?<![\w-])(Мин[а-яё]{3,}(?:развития|РФ|России)?|Росстат\w*|Росимуществ\w*|Роспотребнадзор\w*|ФАС|ФНС|МВД|МЧС|ФСБ|ФСО|Госдум\w*|Совфед\w*)(?![\w-])"
)
AUTH = re.compile(rf"(?<![\w-])((?:[а-яё]+(?:ое|ий|ая|ого|ой|ом|ому|ую|ым|ых)\s+){{0,2}}){_AUTH_HEAD}")
_STOP_WORDS = {"и", "в", "на", "с", "по", "о", "об", "для", "при", "из", "от", "до", "за", "к", "у"}
_ADJ_PREFIX = re.compile(r"^(областн|краев|республиканск|региональн|столичн|городск|муниципальн|районн|окружн|федеральн)", re.I)
_ADJ_REGION = re.compile(r"^(областн|краев|республиканск|региональн|окружн)", re.I)
_AUTH_HEAD_RE = re.compile(_AUTH_HEAD)


def kind_for_form(form: str) -> Kind:
    return Kind.COMPANY if form in _COMPANY_FORMS and form != "ООО" or form == "ООО" else Kind.ORGANIZATION


def strip_quotes(text: str) -> str:
    text = text.strip()
    if text[:1] in "«\"“„" and text[-1:] in "»\"”“":
        inner = text[1:-1]
        if inner.count("«") > inner.count("»"):
            inner += "»"
        return inner.strip()
    if text[:1] == "«" and text.count("«") > text.count("»"):
        return (text[1:] + "»").strip() if text.count("«") > 1 else text[1:].strip()
    return text


def add_org(ctx: Context, label: str, start: int, stop: int, kind: Kind, form: str | None = None,
            alt: str | None = None) -> str:
    label = re.sub(r"\s+", " ", label).strip()
    return ctx.entity(kind, org_key(label), label, start, stop, legal_form=form, alt_label=alt)


def find_legal_orgs(ctx: Context, found: "list[Found] | None" = None) -> None:
    """Legal-form organisations: the yargy ORG_WITH_FORM matches (``found``), then the regex for what they miss."""
    text = ctx.text
    for hit in found or ():
        name = text[hit.part_start:hit.part_stop]
        label = strip_quotes(name)
        if not label or ctx.covered(hit.start, hit.stop, ORG_KINDS):
            continue
        kind = Kind.COMPANY if hit.form in _COMPANY_FORMS or hit.form.split()[0] in _COMPANY_FORMS else Kind.ORGANIZATION
        add_org(ctx, label, hit.start, hit.stop, kind, hit.form, alt=f"{hit.form} {_close(name)}")
    for match in LEGAL.finditer(text):
        form = re.sub(r"\s+", " ", match.group(1))
        name = match.group(2)
        label = strip_quotes(name)
        if not label or ctx.covered(match.start(), match.end(), ORG_KINDS):
            continue
        kind = Kind.COMPANY if form in _COMPANY_FORMS else Kind.ORGANIZATION
        add_org(ctx, label, match.start(), match.end(), kind, form, alt=f"{form} {_close(name)}")
    for match in TYPED.finditer(text):
        name = match.group(2)
        label = strip_quotes(name)
        if not label or ctx.covered(match.start(2), match.end(2), ORG_KINDS):
            continue
        if "кластер" in label.lower() and not re.match(r"[Аа]ссоциаци|[Пп]артн", match.group(1)):
            continue  # a cluster name, read by the cluster grammar
        noun = match.group(1).lower()
        kind = Kind.COMPANY if re.match(r"(компани|концерн|холдинг|корпорац|завод|групп|банк|предприяти|авиакомпани|фирм|комбинат)", noun) else Kind.ORGANIZATION
        if re.match(r"(ассоциаци|фонд|партн)", noun):
            full = f"{_nominative_noun(ctx, match.group(1))} {_close(name)}"
            add_org(ctx, full, match.start(), match.end(), kind, alt=label)
        else:
            stop = _with_foreign_form(ctx, match.start(2), match.end(2))  # «компанией Meccanica Padana S.p.A.»
            add_org(ctx, strip_quotes(text[match.start(2):stop]) if stop > match.end(2) else label,
                    match.start(2), stop, kind)


_LIST_CUE = re.compile(r"(компани|участник|предприяти|организаци|резидент|партн[её]р|член|подписал|производител|холдинг|концерн)\w*", re.I)
_QUOTED_ITEM = re.compile(rf"({QUOTED})")
_LIST_SEP = re.compile(r"\s*(?:,|и|а\s+также)\s*")


def find_quoted_lists(ctx: Context) -> None:
    """«компании-участники: «А», «Б», «В»» -> every quoted name of the list is a company."""
    text = ctx.text
    for sent_start, sent_stop in ctx.sents:
        items = list(_QUOTED_ITEM.finditer(text, sent_start, sent_stop))
        if len(items) < 2:
            continue
        groups: list[list[re.Match[str]]] = [[items[0]]]
        for previous, item in zip(items, items[1:]):
            gap = text[previous.end():item.start()]
            if _LIST_SEP.fullmatch(gap) or re.fullmatch(r"\s*,?\s*(?:и\s+)?(?:[а-яё]+\s+){0,2}", gap) and len(gap) < 30:
                groups[-1].append(item)
            else:
                groups.append([item])
        for group in groups:
            if len(group) < 2 or not _LIST_CUE.search(text[max(sent_start, group[0].start() - 120):group[0].start()]):
                continue
            for item in group:
                label = strip_quotes(item.group(1))
                if not label or not re.match(r"[А-ЯЁA-Z0-9]", label) or "кластер" in label.lower():
                    continue
                if ctx.covered(item.start(), item.end(), ORG_KINDS):
                    continue
                add_org(ctx, label, item.start() + 1, item.end() - 1, Kind.COMPANY)


def _close(name: str) -> str:
    if name.count("«") > name.count("»"):
        return name + "»" * (name.count("«") - name.count("»"))
    return name


_NOMINATIVE_CACHE: dict[str, str] = {}


def _nominative_noun(ctx: Context, word: str) -> str:
    low = word.lower()
    for stem, nom in (("ассоциаци", "Ассоциация"), ("фонд", "Фонд"), ("партн", "Партнерство")):
        if low.startswith(stem):
            return nom
    return word


def find_authorities(ctx: Context, morph: Morph, region: tuple[str, str] | None,
                     ner_orgs: list[tuple[int, int, str]] = (),  # type: ignore[assignment]
                     ner_persons: list[tuple[int, int]] = ()) -> None:  # type: ignore[assignment]
    """«Правительство Кировской области», «министерство промышленности», «Минпромторг России».

    ``region`` is the document's region (entity id, genitive name): an authority named
    without its region («правительство области», «областное министерство») belongs to it.
    """
    text = ctx.text
    for match in AUTH.finditer(text):
        head_start = match.start() + len(match.group(1))
        start = match.start()
        prefix = match.group(1).split()
        if prefix and not _ADJ_PREFIX.match(prefix[0]):
            start = head_start
            prefix = []
        if ctx.covered(head_start, match.end(), ORG_KINDS):
            continue
        if any(s < head_start < e and s < start for s, e, _ in ner_orgs) and text[head_start].islower():
            continue  # «университет систем управления»: part of a bigger name
        stop = _genitive_chain(ctx, morph, match.end(), ner_persons)
        if stop == match.end() and not prefix:
            bare = morph.lemma(text[head_start:stop].split()[0])
            if not re.match(r"(правительств|администрац|дума|мэрия|крайадминистрац|обладминистрац)", bare):
                # «пресс-служба министерства»: a bare common noun, not a name
                continue
        phrase = text[start:stop]
        label = morph.nominative_phrase(phrase)
        places = ctx.mentions_in(head_start, stop, {Kind.REGION, Kind.COUNTRY, Kind.SETTLEMENT})
        located = places[-1].entity if places else None
        key_label = label
        single = re.fullmatch(r"(правительств|администраци|дум|мэри)\w*", text[head_start:stop].lower())
        bare_region = re.search(r"\s(области|края|республики|региона|округа)$", label)
        regional = bool(prefix and _ADJ_REGION.match(prefix[0]) or bare_region)
        if located is None and single and not regional:
            continue  # «правительство» alone is a common noun, not a name
        if located is None and region is not None:
            if regional:
                base = re.sub(r"\s+(области|края|республики|региона|округа)$", "", label)
                if prefix:
                    base = base.split(" ", len(prefix))[-1]
                key_label = f"{base} {region[1]}"
                located = region[0]
        ctx.entity(Kind.AUTHORITY, org_key(key_label), key_label, start, stop, located_in=located, alt_label=label)
    for match in AUTH_SHORT.finditer(text):
        if ctx.covered(match.start(), match.end(), ORG_KINDS):
            continue
        word = match.group(1)
        if word.lower().startswith("мин") and not re.match(r"Мин(пром|эконом|фин|обр|здрав|труд|транс|энерго|сельхоз|строй|природ|юст|цифр|культ|спорт|просвещ|вост|обороны|комсвяз|регион|пром)", word):
            continue
        label = morph.lemma(word).capitalize() if not word.isupper() else word
        if word.startswith("Мин"):
            label = _lemma_keep_case(morph, word)
        ctx.entity(Kind.AUTHORITY, org_key(label), label, match.start(), match.end())


def _lemma_keep_case(morph: Morph, word: str) -> str:
    lemma = morph.lemma(word)
    return word[0] + lemma[1:] if lemma and lemma[0] == word[0].lower() else word


def _has_place(ctx: Context, start: int, stop: int) -> bool:
    return bool(ctx.mentions_in(start, stop, {Kind.REGION, Kind.COUNTRY, Kind.SETTLEMENT}))


def _genitive_chain(ctx: Context, morph: Morph, offset: int, persons: list[tuple[int, int]] = ()) -> int:  # type: ignore[assignment]
    """Extend an authority name over its genitive dependents and a trailing place, never into a
    person's name (``persons``: NER PER spans, read before the persons are)."""
    index = ctx.tok_at(offset)
    tokens = ctx.tokens
    if index < len(tokens) and tokens[index].start < offset:
        index += 1
    stop = offset
    steps = 0
    while index < len(tokens) and steps < 14:
        token = tokens[index]
        word = token.text
        place = ctx.covered(token.start, token.stop, {Kind.REGION, Kind.COUNTRY, Kind.SETTLEMENT})
        if place is not None:
            stop = max(stop, place.stop)
            break
        if word in (",", "и") and index + 1 < len(tokens) and _is_gen(morph, tokens[index + 1].text) and tokens[index + 1].text[:1].islower():
            index += 1
            steps += 1
            continue
        if steps and _AUTH_HEAD_RE.match(word):
            break  # a nested authority: «Департамент … Министерства …»
        if any(s <= token.start < e for s, e in persons):
            break  # «министерства иностранных дел Барри Лоуенкрон»
        if word.replace("-", "").isalpha() and word.lower() not in _STOP_WORDS and _is_gen(morph, word) and not ctx.covered(token.start, token.stop, ORG_KINDS | {Kind.PERSON}):
            if word[:1].isupper() and steps == 0 and not morph.has_tag(word, "ADJF"):
                pass
            stop = token.stop
            index += 1
            steps += 1
            continue
        break
    return stop


def _is_gen(morph: Morph, word: str) -> bool:
    return any(p.tag.case in ("gent", "gen2") and p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in morph.parses(word.lower()))


NOT_ORGS = frozenset(
    "сми мкс жж рунет твиттер дискавери индевор атлантис колумбия челленджер союз мир хаббл".split()
)
SUPRANATIONAL = {
    "ес": "Европейский союз", "евросоюз": "Европейский союз", "европейский союз": "Европейский союз",
    "оон": "ООН", "нато": "НАТО", "снг": "СНГ", "обсе": "ОБСЕ", "вто": "ВТО", "мвф": "МВФ", "еаэс": "ЕАЭС",
    "шос": "ШОС", "брикс": "БРИКС", "асеан": "АСЕАН", "опек": "ОПЕК", "совет европы": "Совет Европы",
    "еврокомиссия": "Еврокомиссия", "европейская комиссия": "Еврокомиссия", "европарламент": "Европарламент",
    "евразийский экономический союз": "ЕАЭС", "организация объединенных наций": "ООН",
}


def supranational(morph: Morph, text: str) -> str | None:
    """«Европейского союза», «ЕС» -> «Европейский союз»: NER reads these as places."""
    low = norm(text)
    if low in SUPRANATIONAL:
        return SUPRANATIONAL[low]
    lemma = " ".join(morph.lemma(w) for w in low.split())
    return SUPRANATIONAL.get(lemma)


def merge_adjacent(spans: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for start, stop, normal in spans:
        if out and text[out[-1][1]:start].strip() == "" and start - out[-1][1] <= 2:
            out[-1] = (out[-1][0], stop, text[out[-1][0]:stop])
        else:
            out.append((start, stop, normal))
    return out


def _with_country(ctx: Context, stop: int) -> int:
    """An organisation name goes on over the country right after it: «Исламского комитета России»,
    «Палаты представителей Конгресса США», «Верховного народного собрания КНДР» name one body each."""
    gap = re.match(r"[ \t]+", ctx.text[stop:stop + 3])
    if gap is None:
        return stop
    after = ctx.covered(stop + gap.end(), stop + gap.end() + 1, {Kind.COUNTRY})
    if after is None or after.start != stop + gap.end() or not ctx.text[after.start].isupper():
        return stop  # «ОБСЕ испанский парламентарий»: an adjective is no part of the name
    if ctx.covered(after.stop, after.stop + 1, {Kind.PERSON}) is not None:
        return stop
    return after.stop


def find_ner_orgs(ctx: Context, morph: Morph, spans: list[tuple[int, int, str]], is_position: "object") -> None:
    for start, stop, normal in merge_adjacent(spans, ctx.text):
        if ctx.covered(start, stop, ORG_KINDS | {Kind.CLUSTER}):
            continue
        surface = ctx.text[start:stop]
        lead = re.match(r"[А-ЯЁа-яё-]+\s+", surface)
        while lead and is_position(lead.group(0)):  # type: ignore[operator]
            # «Замглавы Федеральной миграционной службы»: NER took the title in; cut it off
            start += len(lead.group(0))
            surface = ctx.text[start:stop]
            lead = re.match(r"[А-ЯЁа-яё-]+\s+", surface) if surface.count(" ") else None
        if not surface.strip():
            continue
        stop = _with_country(ctx, stop)
        stop = _with_field(ctx, morph, start, stop)
        stop = _with_foreign_form(ctx, start, stop)
        surface = ctx.text[start:stop]
        if is_position(surface) or norm(surface) in NOT_ORGS or surface in _COMPANY_FORMS | _ORG_FORMS:  # type: ignore[operator]
            continue  # a position, a bare legal form or not an organisation at all («СМИ», «МКС»)
        abbreviation = _ABBREVIATED.match(surface)
        if abbreviation is not None:
            # «Объединённого фронта за демократию (ОФДД)»: the name and its abbreviation, two mentions of one body
            stop = start + abbreviation.end(1)
            surface = abbreviation.group(1)
        label = morph.nominative_phrase(surface) if len(surface.split()) > 1 else (normal.strip() or surface)
        if label.count("«") > label.count("»"):
            label += "»"
        low = label.lower()
        if re.match(r"(правительств|администрац|министерств|департамент|управлени|комитет|мэри|дум|совет|минист)", low):
            kind = Kind.AUTHORITY
        elif re.search(r"(компани|завод|банк|концерн|холдинг|корпорац)", low):
            kind = Kind.COMPANY
        else:
            kind = Kind.ORGANIZATION
        entity = ctx.entity(kind, org_key(label), label, start, stop,
                            alt_label=abbreviation.group(2) if abbreviation is not None else None)
        if abbreviation is not None:
            ctx.mention(entity, start + abbreviation.start(2), start + abbreviation.end(2))


_FOREIGN_FORM = re.compile(r"[\s,]*(S\.p\.A\.|S\.r\.l\.|S\.A\.S?\.?|N\.V\.|B\.V\.|GmbH|AG|SE|Ltd\.?|LLC|LLP|PLC|Inc\.?|"
                          r"Corp\.?|Co\.|Oy|AB|AS|A/S|KG|S\.L\.)(?![\w])")


def _with_foreign_form(ctx: Context, start: int, stop: int) -> int:
    """A Latin name goes on over its legal form, which NER may cut: «Meccanica Padana S.p.A.»."""
    if not re.search(r"[A-Za-z]", ctx.text[start:stop]):
        return stop
    back = stop
    while back > start and ctx.text[back - 1] not in " ,":  # the form may start inside the span («… S»)
        back -= 1
    for at in (back, stop):
        found = _FOREIGN_FORM.match(ctx.text, at)
        if found is not None and found.end() > stop and found.end() - stop <= 12:
            return found.end()
    return stop


_BODY_NOUN = re.compile(r"(совет|комитет|комисси|агентств|фонд|центр|департамент|управлени|служб|палат|"
                        r"союз|ассоциаци|министерств|инспекци|надзор)\w*$", re.I)


def _with_field(ctx: Context, morph: Morph, start: int, stop: int) -> int:
    """A body's name goes on over its «по …» field: «Координационный совет по поддержке малого и
    среднего предпринимательства», «Агентство по развитию человеческого капитала»."""
    if not _BODY_NOUN.search(ctx.text[start:stop]):
        return stop
    from kg.extract.readers.titles import field_end  # titles reads organisations: import late

    first = ctx.tok_at(stop)
    if first < len(ctx.tokens) and ctx.tokens[first].start < stop:
        first += 1
    sent_end = first
    while sent_end < len(ctx.tokens) and ctx.tokens[sent_end].sent == ctx.tokens[max(0, first - 1)].sent:
        sent_end += 1
    end = field_end(ctx, morph, first, sent_end)
    return ctx.tokens[end - 1].stop if end > first else stop


_ABBREVIATED = re.compile(r"^(.*\S)\s*\(([A-ZА-ЯЁ][A-ZА-ЯЁA-Za-z-]{1,11})\)$")


__all__ = ["find_legal_orgs", "find_authorities", "find_ner_orgs", "add_org", "strip_quotes", "ORG_KINDS", "norm"]
