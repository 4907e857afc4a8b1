"""kg.data.orgs: the reference table of organisations, its loader and its name index."""

from __future__ import annotations

import pytest

from kg.data.orgs import COLUMNS, load_orgs, normalise_name, orgs_index, parse_orgs
from kg.errors import InputError
from kg.model import Kind

HEADER = ",".join(COLUMNS)


@pytest.mark.parametrize(("name", "org_id"), [
    # abbreviations, short forms, РФ / России / Российской Федерации
    ("Минпромторг", "minpromtorg"),
    ("Министерство промышленности и торговли РФ", "minpromtorg"),
    ("министерство промышленности и торговли России", "minpromtorg"),
    ("МИНПРОМТОРГ РОССИИ", "minpromtorg"),
    ("Минэкономразвития", "minek"),
    ("Минобрнауки России", "minobrnauki"),
    ("Министерство образования и науки Российской Федерации", "minobr-2004"),
    ("Минфин", "minfin"),
    ("Минкомсвязь", "mincifry"),  # a past name
    ("Минцифры", "mincifry"),
    ("Минздрав России", "minzdrav"),
    ("Минсельхоз", "minselhoz"),
    ("Минэнерго", "minenergo"),
    ("Минтранс", "mintrans"),
    ("Минприроды", "minprirody"),
    ("Минвостокразвития", "minvostok"),
    ("Минтруд", "mintrud"),
    ("ФНС России", "fns"),
    ("Роспатент", "rospatent"),
    ("Правительство РФ", "gov-rf"),
    # development institutions, quote styles
    ("ВЭБ.РФ", "veb"),
    ("Внешэкономбанк", "veb"),
    ("ФРП", "frp"),
    ("РФПИ", "rdif"),
    ("АСИ", "asi"),
    ("Фонд содействия инновациям", "fasie"),
    ('Фонд "Сколково"', "skolkovo"),
    ("РВК", "rvc"),
    ("Корпорация МСП", "msp-corp"),
    ("РЭЦ", "rec"),
    # the cluster association and its past names
    ("Ассоциация кластеров, технопарков и ОЭЗ России", "akit"),
    ("Ассоциация кластеров и технопарков России", "akit"),
    ("Ассоциация организаций содействия развитию кластеров и технопарков", "akit"),
    # state corporations, Latin forms
    ("Ростех", "rostec"),
    ("Ростехнологии", "rostec"),
    ("Rosatom", "rosatom"),
    ("Роскосмос", "roscosmos"),
    ("ОАК", "uac"),
    ("ОСК", "usc"),
    ("РЖД", "rzd"),
    ("Gazprom", "gazprom"),
    ("Роснефть", "rosneft"),
    ("Сбербанк России", "sber"),
    ("ВТБ", "vtb"),
    # universities and companies: ё, hyphens and dashes, renamings
    ("МГУ", "msu"),
    ("СПбГУ", "spbu"),
    ("Физтех", "mipt"),
    ("Томский политехнический университет", "tpu"),
    ("Самарский университет им. Королева", "samara-university"),
    ("СГАУ", "samara-university"),
    ("РКЦ «Прогресс»", "progress"),
    ("ЦСКБ–Прогресс", "progress"),
    ("ФГУП «ГНП РКЦ «ЦСКБ-Прогресс»", "progress"),
])
def test_orgs_index_finds_names(name: str, org_id: str) -> None:
    assert orgs_index()[normalise_name(name)].id == org_id


@pytest.mark.parametrize(("text", "folded"), [
    ("Минпромторг", "минпромторг"),
    ("«Вятка-Биополис»", "вятка биополис"),
    ("„Вятка — Биополис“", "вятка биополис"),
    ('"Вятка‑Биополис"', "вятка биополис"),  # a non-breaking hyphen
    ("Пётр  и\u00a0Дёмин", "петр и демин"),
    ("ЗАО 'Звезда'", "зао звезда"),
])
def test_orgs_normalise_name(text: str, folded: str) -> None:
    assert normalise_name(text) == folded


def test_orgs_table_rows_are_sound() -> None:
    orgs = load_orgs()
    assert len({o.id for o in orgs}) == len(orgs)
    for org in orgs:
        assert org.kind in (Kind.AUTHORITY, Kind.COMPANY, Kind.ORGANIZATION)
        assert org.qid_source, f"{org.id}: every row says where its id comes from, or that it has none"
        if org.wikidata is None:
            assert org.qid_source.startswith("UNVERIFIED"), org.id
        else:
            # every verified id names the public source it was checked against
            assert "NEREL" in org.qid_source or "ROR record" in org.qid_source, org.id
    authorities = {o.id for o in orgs if o.kind is Kind.AUTHORITY}
    assert {"minpromtorg", "gov-rf", "fns"} <= authorities
    assert orgs_index()[normalise_name("Росатом")].wikidata == "Q514140"
    assert orgs_index()[normalise_name("Минпромторг")].wikidata is None  # no source: never emitted


def row(org_id: str = "x", name: str = "Икс", cls: str = "Company", other: str = "", past: str = "",
        qid: str = "", source: str = "") -> str:
    return ",".join([org_id, name, cls, other, past, qid, source, ""])


@pytest.mark.parametrize(("qid", "source", "kept"), [
    ("Q42", "ROR record 0abc", "Q42"),
    ("Q42", "UNVERIFIED: single guess", None),
    ("Q42", "unverified", None),
    ("Q42", "", None),
    ("", "UNVERIFIED: none found", None),
])
def test_orgs_unverified_ids_are_not_kept(qid: str, source: str, kept: str | None) -> None:
    (org,) = parse_orgs("\n".join([HEADER, row(qid=qid, source=source)]), "t.csv")
    assert org.wikidata == kept


def test_orgs_names_in_order() -> None:
    (org,) = parse_orgs("\n".join([HEADER, row(other="Икс-1;Iks", past="Старый Икс")]), "t.csv")
    assert org.names == ("Икс", "Икс-1", "Iks", "Старый Икс")


@pytest.mark.parametrize(("lines", "message"), [
    (["id,name,class", row()], "t.csv:1: missing columns other_names, past_names, wikidata_qid, qid_source, note"),
    ([HEADER, row(cls="Bank")], "t.csv:2: class 'Bank' is not one of Authority, Company, Organization"),
    ([HEADER, row(qid="42", source="ROR")], "t.csv:2: '42' is not a Wikidata item id (Q followed by digits)"),
    ([HEADER, row(), row(name="Игрек")], "t.csv:3: id 'x' is used twice"),
    ([HEADER, row(), row(org_id="y", name="Игрек", other="«ИКС»")], "t.csv:3: name '«ИКС»' is also a name of 'x'"),
    ([HEADER, row(org_id="")], "t.csv:2: id and name are required"),
    ([HEADER, "x,Икс,Company"], "t.csv:2: expected 8 columns"),
    ([HEADER, row() + ",extra"], "t.csv:2: expected 8 columns"),
])
def test_orgs_bad_rows(lines: list[str], message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_orgs("\n".join(lines), "t.csv")
    assert str(info.value) == message
