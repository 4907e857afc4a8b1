"""Labels that tell entities apart: a cluster with its region, an agreement with its
parties and date, an event with its place and date.

Names come from the graph of :func:`kg.viz.network.load_network`; nothing here is
shown as HTML (the page puts text in as text).
"""

from __future__ import annotations

import networkx as nx

LABEL_MAX = 48  # characters of a label drawn on the canvas; the full one is in the tooltip and panel
CLUSTER_LINE_MAX = 40  # a cluster's name, and its regions on a second line
FACT_LABEL_MAX = 60  # an agreement or event: type, parties, place and date
REGIONS_SHOWN = 2
# Relations of a fact, by role: who it binds (parties, participants), what it is about, where.
PARTIES = ("party", "participant")
ABOUT = ("about",)
PLACE = ("locatedIn",)


def format_date(value: str) -> str:
    """An ISO date (full or partial) the Russian way.

    >>> format_date("2024-03-15"), format_date("2024-03"), format_date("2024"), format_date("--04-09")
    ('15.03.2024', '03.2024', '2024', '09.04')
    """
    if value.startswith("--") and len(value) >= 7:
        return f"{value[5:7]}.{value[2:4]}"
    if len(value) >= 10 and value[:4].isdigit():
        return f"{value[8:10]}.{value[5:7]}.{value[:4]}"
    if len(value) >= 7 and value[:4].isdigit():
        return f"{value[5:7]}.{value[:4]}"
    return value


def shorten(text: str, limit: int = LABEL_MAX) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis.

    >>> shorten("Нижегородский индустриальный кластер автомобилестроения", 20)
    'Нижегородский индус…'
    """
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plural(n: int, forms: tuple[str, str, str]) -> str:
    """``n`` with the Russian form of the word that goes with it.

    >>> plural(1, ("участник", "участника", "участников")), plural(3, ("участник", "участника", "участников"))
    ('1 участник', '3 участника')
    >>> plural(11, ("участник", "участника", "участников")), plural(25, ("участник", "участника", "участников"))
    ('11 участников', '25 участников')
    """
    tens, ones = n % 100, n % 10
    form = forms[2] if 10 < tens < 20 else forms[0] if ones == 1 else forms[1] if 1 < ones < 5 else forms[2]
    return f"{n} {form}"


def capitalized(text: str) -> str:
    """``text`` with its first letter upper case (extracted names may start lower case)."""
    return text[:1].upper() + text[1:]


def _stem(region: str) -> str:
    """The part of a region's name that its adjective shares: "Кировская область" -> "киров"."""
    words = [w for w in region.lower().replace("-", " ").split() if w not in {"область", "край", "республика",
                                                                               "автономный", "округ", "город"}]
    word = words[0] if words else region.lower()
    return word[: max(4, len(word) - 3)]


def _targets(g: nx.MultiDiGraph, node: str, rels: tuple[str, ...]) -> list[str]:
    """The nodes ``node`` links to by ``rels``, in edge order, once each (by label)."""
    found: list[str] = []
    labels: set[str] = set()
    nodes = g.nodes
    for target, keyed in g.succ[node].items():  # adjacency, not out_edges(): no view per call
        for data in keyed.values():
            if data.get("rel") in rels:
                label = nodes[target]["label"]
                if label not in labels:
                    labels.add(label)
                    found.append(target)
    return found


def fact_parts(g: nx.MultiDiGraph, node: str) -> tuple[str, list[str], str]:
    """An agreement's or event's label in three parts: ``(head, named, tail)``, where
    ``named`` are the nodes the label names between head and tail (parties, or what an
    event was about). The page writes the label without the node it is centred on."""
    data = g.nodes[node]
    kind = capitalized(str(data.get("kind") or data["label"].split(":")[0]))
    day = format_date(fact_date(data))
    who = _targets(g, node, PARTIES)
    about = _targets(g, node, ABOUT)
    if data["cls"] == "Agreement":
        return f"{kind}: ", who or about, f", {day}" if day else ""
    place = ", ".join(g.nodes[p]["label"] for p in _targets(g, node, PLACE))
    where = ", ".join(p for p in (place, day) if p)
    return (f"{kind}, {where}: " if where else f"{kind}: "), about or who, ""


def _fit(names: list[str], joint: str, room: int) -> str:
    """``names`` joined, each shortened just enough (short ones stay whole) to fit ``room``.

    >>> _fit(["Радиоэлектронный кластер", "ПромЛаб"], " — ", 24)
    'Радиоэлектрон… — ПромЛаб'
    """
    budget = room - len(joint) * (len(names) - 1)
    limits = {i: len(n) for i, n in enumerate(names)}
    while sum(limits.values()) > budget and max(limits.values()) > 4:
        longest = max(limits, key=lambda i: limits[i])
        limits[longest] -= 1
    return joint.join(shorten(n, limits[i]) for i, n in enumerate(names))


def fact_date(data: dict[str, object]) -> str:
    """A fact's own date (``ckg:`` date of the fact), else the first date of its documents; ISO or ""."""
    own = data.get("date")
    if isinstance(own, str) and own:
        return own
    dates = data.get("dates")
    return str(dates[0]) if isinstance(dates, list) and dates else ""


def fact_label(head: str, names: list[str], tail: str, fallback: str = "") -> tuple[str, str]:
    """``(full, short)`` of a fact from its parts (see :func:`fact_parts`).

    >>> fact_label("Соглашение о сотрудничестве: ", ["Радиоэлектронный кластер", "ПромЛаб"], ", 26.07.2023")[1]
    'Соглашение о сотрудничестве: Радиоэле… — ПромЛаб, 26.07.2023'
    """
    if not names:
        full = (head.rstrip(": ") + tail) or fallback
        return full, shorten(full, FACT_LABEL_MAX)
    full = head + " — ".join(names) + tail
    if len(full) <= FACT_LABEL_MAX:
        return full, full
    if len(head) > FACT_LABEL_MAX // 2:  # a long type: cut it, keep what tells the facts apart
        head = shorten(head.rstrip(": "), FACT_LABEL_MAX // 2) + ": "
    room = max(FACT_LABEL_MAX - len(head) - len(tail), 12)
    return full, head + _fit(names, " — ", room) + tail


def describe(
    g: nx.MultiDiGraph, node: str, parts: tuple[str, list[str], str] | None = None
) -> tuple[str, str, str]:
    """``(full, short, sub)``: the informative name of ``node``, the line drawn under it
    on the canvas and a second, smaller line ("" for none).

    Clusters get their region when their name does not say it (on the second line);
    agreements their type, parties and date; events their type, what they were about,
    place and date (``parts``: the fact's :func:`fact_parts`, when already known).
    Other entities keep their name.
    """
    data = g.nodes[node]
    cls, label = data["cls"], data["label"]
    if cls == "Cluster":
        regions = list(data.get("regions") or [])
        missing = [r for r in regions if _stem(r) not in label.lower()]
        name = capitalized(label)
        if not missing:
            return name, shorten(name, CLUSTER_LINE_MAX), ""
        shown = ", ".join(missing[:REGIONS_SHOWN])
        if len(missing) > REGIONS_SHOWN:
            shown += f" и ещё {len(missing) - REGIONS_SHOWN}"
        return f"{name} ({shown})", shorten(name, CLUSTER_LINE_MAX), shorten(shown, CLUSTER_LINE_MAX)
    if cls in ("Agreement", "Event"):
        head, named, tail = parts or fact_parts(g, node)
        full, short = fact_label(head, [g.nodes[n]["label"] for n in named], tail, label)
        return full, short, ""
    return label, shorten(label), ""
