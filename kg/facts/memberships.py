"""Cluster memberships, anchors and initiators read as frames over the dependency parse.

Predicates are found by lemma; their arguments by dependency role and case:

- **nominal** (участник, член, резидент, компания-участник; якорное/анкерное предприятие,
  ядро, основа; инициатор): the cluster hangs on the noun as a genitive («участником
  кластера», «его участниками»); the organisations are the subject of a copula whose
  predicate the noun is («X стала резидентом», «Участниками … стали X», «Членами … являются
  X»), or hang on the noun (apposition «X, участник кластера,», «Участник кластера — X —»,
  colon «Участники кластера: X, Y», «Среди участников кластера — X»);
- **entering** (войти, входить, вступить, включить, присоединиться …) with «в/к»
  + the cluster («в кластер», «в состав кластера», «в число участников кластера»): the
  organisations are the subject, the passive subject, the object of «включить», the noun a
  participle qualifies («вошедшие в кластер компании X и Y», «X, входящее в кластер,»), or
  the subject of a relative clause whose «который» stands for the cluster;
- **containing** (объединять, включать, насчитывать, состоять из …) with the cluster as
  subject: the organisations are the object («объединяет более 40 предприятий, в том числе …»);
- **«они» heading a sentence** («Среди них — X, Y», «В их числе X и Y») after a sentence that counts
  a cluster's members («Кластер насчитывает 22 участника», «объединил девять компаний»): the list
  are members of the cluster named there;
- **«на базе X»** (anchor), **«по инициативе X»**, **«с инициативой … выступило X»**,
  **инициировать** (initiator).

Each argument is expanded into the organisations it lists (``frames.members``). A cluster word
that names no cluster («кластер», «ассоциация», «он», «его») stands for the cluster named
last before it; an organisation word that names none («компания», «она») for the organisation
named last before it. Unnamed clusters of a region («компании-участники кластеров» on the
stand of a region) become the region's cluster node (``unnamed``). A predicate that is denied
or only planned («не вошла», «планирует войти», «может стать», «заявка на вступление») gives
no fact. Every link keeps the rule that read it and a confidence: 0.9 when cluster and
organisation are named in the frame, 0.8 when one of them is found by coreference, 0.7 for a
region's unnamed cluster (ordinal levels, not calibrated probabilities).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kg.extract.context import Context
from kg.extract.frames import ORG_KINDS, antecedent, members, modality
from kg.extract.syntax import Tree, Word
from kg.model import ClusterLink, ClusterRole, Kind

# a sentence worth parsing for memberships names one of these (stems of the predicates below, and
# of the nouns a cluster or its members are named by; case-insensitive)
PARSE_WORDS = re.compile(r"кластер|ассоциац|объединени|партн[её]рств|консорциум|союз|участни|член|резидент|якорн|"
                         r"анкерн|опорн|инициат|баз[еаыу]|ядр|основ|вош|вход|вой[дт]|вступ|включ|присоедин|объедин|"
                         r"насчитыва|состо[ия]т|охватыва|собра|собир|попа[лд]|зайд|зашл|предприяти|компани|предлож|вокруг|состав|"
                         r"пополн|участву|среди\s+них|в\s+их\s+числе|\bэто,?\s+в\s+(?:частности|том\s+числе)", re.I)
# (start, stop of the cluster word, its adjectives' lemmas) -> a cluster entity tied to the region there
UnnamedCluster = Callable[[int, int, list[str]], "str | None"]
_NOT_NAMING = frozenset("новый этот такой данный свой каждый один другой первый весь несколько многий "
                        "ряд целый отдельный подобный иной некоторый".split())

MEMBER_NOUN = re.compile(r"(?:^|-)(?:участник|участница|член|резидент)$")
ANCHOR_ADJECTIVES = frozenset({"якорный", "анкерный", "опорный"})
ANCHOR_HEADS = frozenset({"предприятие", "компания", "резидент", "участник", "инвестор", "организация", "партнер",
                          "производство", "завод"})
MEMBER_HEADS = frozenset({"предприятие", "компания", "организация", "фирма", "завод", "производитель"})
CORE_NOUNS = frozenset({"ядро", "основа"})
INITIATOR_NOUNS = frozenset({"инициатор"})
COPULAS = frozenset({"стать", "становиться", "являться", "быть", "выступать", "выступить", "оказаться",
                     "составлять", "составить", "остаться", "оставаться", "считаться", "числиться"})
TAKE_PART_VERBS = frozenset({"участвовать"})
ENTER_VERBS = frozenset({"участвовать", "войти", "входить", "вступить", "вступать", "включить", "включать", "включиться",
                         "включаться", "присоединиться", "присоединяться", "попасть", "попадать", "зайти"})
CONTAIN_VERBS = frozenset({"объединять", "объединить", "включать", "включить", "насчитывать", "охватывать",
                           "собрать", "собирать", "состоять", "объединяться", "пополнить", "пополнять",
                           "пополниться", "пополняться"})
# nouns a cluster reference passes through: «в состав кластера», «в число участников кластера»,
# «создания кластера»
VIA_NOUNS = frozenset({"состав", "число", "ряд", "ряды", "реестр", "список", "перечень", "создание", "формирование",
                       "организация", "участник", "член", "резидент", "участница", "ядро", "основа"})
CLUSTER_NOUNS = frozenset({"кластер", "ассоциация", "объединение", "партнерство", "консорциум", "союз"})
CLUSTER_PRONOUNS = frozenset({"он", "она", "оно", "они", "его", "ее", "их", "который", "свой", "этот", "данный"})
ORG_NOUNS = frozenset({"компания", "предприятие", "завод", "фирма", "организация", "общество", "холдинг",
                       "производитель", "концерн", "комбинат", "фабрика", "он", "она", "оно", "они"})
_SUBJECTS = ("nsubj", "nsubj:pass")
# «предложить создать кластер», «с предложением создать кластер выступило X»: initiators
PROPOSE_VERBS = frozenset({"предложить", "предлагать"})
INITIATE_NOUNS = frozenset({"инициатива", "предложение"})
# a cluster «формируется вокруг X», «строится вокруг X»: X anchors it (with CREATE_VERBS)
FORM_VERBS = frozenset({"формироваться", "строиться", "складываться", "сложиться", "выстраиваться"})
DASHES = frozenset("—–‒-―")


@dataclass(frozen=True, slots=True)
class _Found:
    cluster: str
    cluster_coref: bool


class MembershipReader:
    """Reads ClusterLinks from the parsed sentences of a Context (``ctx.syntax``)."""

    def __init__(self, ctx: Context, unnamed: UnnamedCluster | None = None) -> None:
        self.ctx = ctx
        self.tree: Tree = ctx.syntax
        self.unnamed = unnamed
        self.links: dict[tuple[str, str, ClusterRole], ClusterLink] = {}
        self._coref: dict[int, str] = {}  # argument word -> the entity it points back to
        self.unnamed_ids: set[str] = set()

    # -- entry point -------------------------------------------------------------
    def read(self) -> list[ClusterLink]:
        for word in self.tree.words:
            if word.entity is not None:
                continue
            if word.pos in ("NOUN", "PROPN") or MEMBER_NOUN.search(word.lemma):
                self._noun(word)  # «компаний-участников» may be tagged as a participle
            elif word.pos in ("VERB", "AUX") or word.lemma in ENTER_VERBS | CONTAIN_VERBS:
                self._verb(word)  # a participle may be tagged as an adjective («Вступившее»)
            elif word.lemma in ("они", "их", "это"):
                self._among_them(word)
        return self._resolved()

    def _resolved(self) -> list[ClusterLink]:
        """An anchor or initiator read for a pair replaces a membership of the same pair."""
        out = []
        for (cluster, target, role), link in self.links.items():
            if role == ClusterRole.MEMBER and any((cluster, target, r) in self.links
                                                  for r in (ClusterRole.ANCHOR, ClusterRole.INITIATOR)):
                continue
            out.append(link)
        return out

    # -- nominal frames -----------------------------------------------------------
    def _noun(self, word: Word) -> None:
        lemma = word.lemma
        role: ClusterRole | None = None
        if MEMBER_NOUN.search(lemma) or lemma in ANCHOR_HEADS and self._anchor_adjective(word):
            role = ClusterRole.ANCHOR if self._anchor_adjective(word) else ClusterRole.MEMBER
        elif lemma in MEMBER_HEADS:
            role = ClusterRole.MEMBER  # «предприятия кластера», «компании кластера»: only with the cluster's genitive
        elif lemma == "состав" and word.case == "Loc" and self._case_word(word) in ("в", "во"):
            role = ClusterRole.MEMBER  # «В составе кластера — X и Y», «X работают в составе кластера»
        elif lemma in CORE_NOUNS:
            role = ClusterRole.ANCHOR
        elif lemma in INITIATOR_NOUNS:
            role = ClusterRole.INITIATOR
        elif lemma == "база" and self._case_word(word) in ("на",):
            self._based_on(word)
            return
        elif lemma in INITIATE_NOUNS:
            self._initiative(word)
            return
        if role is None:
            return
        found, cluster_word = self._cluster_below(word)
        if found is None and lemma not in MEMBER_HEADS:
            found = self._cluster_around(word)
        if found is None and MEMBER_NOUN.search(lemma) and not self.tree.children(word, "nmod"):
            # «Кластер вырос до 19 участников. Среди новых участников — X и Y»: a member noun that
            # names no one's members is the cluster's of this or the sentence before
            previous = antecedent(self.ctx, word.start, {Kind.CLUSTER}, sentences=1)
            found = _Found(previous, True) if previous is not None else None
        if found is None:
            return
        predicate, targets = self._noun_arguments(word)
        if cluster_word is not None:
            targets += self._hanging_on(cluster_word)
        if lemma == "состав":
            head = self.tree.head(word)
            if head is not None and head.pos in ("VERB", "AUX") and word.rel == "obl":
                predicate = head  # «X и Y работают в составе кластера»
                targets += self.tree.children(head, *_SUBJECTS)
            if cluster_word is not None:  # «В составе кластера «А» ООО «Б», ООО «В»»: the list as its genitive
                targets += [w for w in self.tree.children(cluster_word, "nmod")
                            if w.index > cluster_word.index and w.entity is not None]
        if modality(self.tree, predicate, word) is not None:
            return
        kinds = ORG_KINDS | {Kind.PERSON} if role == ClusterRole.INITIATOR else ORG_KINDS
        for target, coref in self._targets(targets, kinds, word):
            self._add(found, target, role, word, predicate, f"{role.value}.noun", coref)

    def _anchor_adjective(self, word: Word) -> bool:
        """«якорное предприятие»: an amod, or the adjective right before the noun in its case
        (the parser may hang both on the copula)."""
        if any(child.lemma in ANCHOR_ADJECTIVES for child in self.tree.children(word, "amod")):
            return True
        before = self.tree[word.index - 1] if word.index > 0 else None
        return (before is not None and before.sent == word.sent and before.lemma in ANCHOR_ADJECTIVES
                and before.case == word.case)

    def _noun_arguments(self, word: Word) -> tuple[Word, list[Word]]:
        """(the predicate whose modality counts, the argument words) of a role noun."""
        tree = self.tree
        head = tree.head(word)
        args: list[Word] = []
        predicate = word
        if head is not None and head.lemma in COPULAS and word.rel in ("xcomp", "obl", "obj", "nsubj", "nmod"):
            predicate = head
            subjects = tree.children(head, *_SUBJECTS)
            if word.rel == "nsubj":  # «Участником является X»: the parser may swap subject and predicate
                subjects = [w for w in tree.children(head, "xcomp", "obj", "obl") if w.index != word.index]
            if not subjects and head.rel == "conj" and tree.head(head) is not None:
                subjects = tree.children(tree.head(head), *_SUBJECTS)  # type: ignore[arg-type]
            args.extend(w for w in subjects if w.index != word.index)
        elif head is not None and word.rel == "appos":
            args.append(head)  # «X, участник кластера,»
        elif head is not None and word.rel == "nsubj" and head.pos in ("NOUN", "PROPN"):
            args.append(head)  # «инициаторы — ООО «Б»»: a dash as the copula
        elif head is not None and self._case_word(word) in ("среди", "число") and head.pos in ("VERB", "AUX"):
            predicate = head
            args.extend(tree.children(head, *_SUBJECTS))  # «Среди участников кластера оказались X»
        # what hangs on the noun itself: «Участник кластера — X —», «Участники кластера: X, Y»,
        # «Среди участников кластера — X и Y»
        below = {w.index for w in self._cluster_subtree(word)}
        for child in tree.children(word, "appos", "parataxis", "nsubj", "flat", "flat:name", "conj"):
            if child.index in below or child.index < word.index and child.rel not in ("appos", "nsubj"):
                continue  # before the noun: only «X — участник кластера» (the dash as the copula)
            if child.rel == "conj" and child.entity is None:
                continue  # «участники и партнёры»
            args.append(child)
        return predicate, args

    def _cluster_subtree(self, word: Word) -> list[Word]:
        """The words of the genitive that names the cluster below a role noun."""
        out: list[Word] = []
        for child in self.tree.children(word, "nmod", "det"):
            if self._cluster_of(child, depth=2) is not None:
                out.extend(self.tree.subtree(child))
        return out

    # -- verbal frames -------------------------------------------------------------
    def _verb(self, word: Word) -> None:
        lemma = word.lemma
        if lemma in ENTER_VERBS:
            self._enter(word)
        if lemma in CONTAIN_VERBS:
            self._contain(word)
        if lemma == "инициировать":
            self._initiated(word)
        if lemma in PROPOSE_VERBS:
            self._proposed(word)
        if lemma in CREATE_VERBS or lemma in FORM_VERBS:
            self._formed_around(word)

    def _enter(self, verb: Word) -> None:
        tree = self.tree
        into = [w for w in tree.children(verb, "obl", "iobj", "nmod") if self._case_word(w) in ("в", "во", "к")]
        if not into and tree.children(verb, *_SUBJECTS):
            # «Решением совета в состав кластера включены X»: the parser may hang the place on
            # another dependent of the verb; a «в»-phrase one step below one still counts
            into = [w for dep in tree.children(verb, "obl", "obj", "advmod") for w in tree.children(dep, "nmod")
                    if self._case_word(w) in ("в", "во", "к") and w.lemma in VIA_NOUNS | CLUSTER_NOUNS]
        for target_place in into:
            found = self._cluster_of(target_place, depth=3)
            if verb.lemma in TAKE_PART_VERBS:
                # «участвует в кластере», «в работе кластера»; «в создании кластера» is no membership
                found = self._cluster_of(target_place, depth=0) or (
                    self._cluster_of(target_place, depth=1) if target_place.lemma in ("работа", "деятельность") else None)
            if found is None:
                continue
            if modality(tree, verb) is not None:
                return
            args: list[Word] = []
            participle = verb.feat("VerbForm") == "Part" or verb.pos == "ADJ"
            if verb.rel == "acl:relcl":
                args = tree.children(verb, *_SUBJECTS)
            elif participle and verb.rel in ("acl", "amod") and tree.head(verb) is not None:
                args = [tree.head(verb)]  # type: ignore[list-item]
            elif participle and not tree.children(verb, *_SUBJECTS):
                # «Вошедшие в кластер компании X»: the parser hangs the qualified noun on the cluster word
                args = [w for w in tree.children(target_place, "nmod", "appos") if w.index > target_place.index]
            else:
                args = tree.children(verb, *_SUBJECTS) or tree.children(verb, "obj")
                if verb.lemma in ("включить", "включать") and tree.children(verb, "obj"):
                    args = tree.children(verb, "obj")  # «включить X в состав кластера»
            args += self._hanging_on(target_place)
            if participle and verb.rel in ("acl", "amod"):
                args += self._dash_list(verb)
            # «…, среди них X и Y»: a list hanging on the verb
            args += [w for w in tree.children(verb, "conj", "parataxis")
                     if any(self._case_word(c) == "среди" or c.lemma == "среди" for c in tree.subtree(w))]
            for target, coref in self._targets(args, ORG_KINDS, verb):
                self._add(found, target, ClusterRole.MEMBER, verb, verb, "member.enter", coref)
            return

    def _contain(self, verb: Word) -> None:
        tree = self.tree
        if verb.lemma in ("включать", "включить") and any(self._case_word(w) in ("в", "во", "к") and w.lemma != "себя"
                                                            for w in tree.children(verb, "obl")):
            return  # «включить X в состав …» is entering; «включает в себя X» is containing
        subjects = tree.children(verb, *_SUBJECTS)
        objects = tree.children(verb, "obj")
        head = tree.head(verb)
        if verb.rel == "conj" and head is not None and not any(self._cluster_of(w, depth=1) for w in subjects):
            # «Он был создан … и сейчас объединяет X, Y»: the verbs share the first one's subject;
            # an organisation the parser made this verb's subject is its object
            shared = [w for w in tree.children(head, *_SUBJECTS) if self._cluster_of(w, depth=1) is not None]
            if shared:
                objects = objects + [w for w in subjects if w.entity is not None]
                subjects = shared
        if verb.lemma == "состоять":
            objects = [w for w in tree.children(verb, "obl") if self._case_word(w) == "из"]
        if verb.lemma in ("пополниться", "пополняться"):  # «Кластер пополнился компанией X»
            objects = [w for w in tree.children(verb, "obl", "obl:agent") if w.case == "Ins" and self._case_word(w) is None]
        holder: Word | None = subjects[0] if subjects else None
        if verb.rel in ("acl", "amod", "acl:relcl") and (holder is None or holder.lemma == "который"):
            holder = tree.head(verb)
        found = self._cluster_of(holder, depth=1) if holder is not None else None
        if found is None:
            # the parser may swap subject and object: the argument that names a cluster contains the other
            for index, obj in enumerate(objects):
                found = self._cluster_of(obj, depth=1)
                if found is not None:
                    objects = objects[:index] + objects[index + 1:] + subjects
                    break
        if found is None:
            return
        if modality(tree, verb) is not None:
            return
        if holder is not None and holder in subjects:
            # «Кластер пополнили X и Y»: the parser may read the object as a second subject
            objects += [w for w in subjects if w.index != holder.index and w.entity is not None]
        objects += [w for w in tree.children(verb, "parataxis", "appos") if w.index > verb.index]
        for target, coref in self._targets(objects, ORG_KINDS, verb):
            self._add(found, target, ClusterRole.MEMBER, verb, verb, "member.contain", coref)

    def _among_them(self, pronoun: Word) -> None:
        """«Кластер насчитывает 22 участника. Среди них — X, Y и Z», «… объединил девять компаний. В их
        числе X и Y»: «они» at the head of a sentence stands for the members the sentence before counts
        (a containing verb or a member noun with a cluster there); the list it heads are members."""
        tree = self.tree
        head = tree.head(pronoun)
        if pronoun.lemma == "это":
            # «Это, в частности, X и Y»: «это» heading the sentence, a «в частности»/«в том числе» after it
            after = tree.words[pronoun.index + 1:pronoun.index + 5]
            if not any(w.lemma == "частность" or w.lemma == "число" and self._case_word(w) == "в" for w in after):
                return
            anchor = head if head is not None else pronoun
        elif self._case_word(pronoun) == "среди":
            anchor = head if head is not None else pronoun  # «Среди них — X»: the parser may make «них» the root
        elif head is not None and head.lemma == "число" and self._case_word(head) in ("в", "во"):
            anchor = tree.head(head) or head  # «В их числе X и Y»: «числе» may be the root
        else:
            return
        if anchor is None or pronoun.index - min(w.index for w in tree.words if w.sent == pronoun.sent) > 3:
            return
        before = [w for w in tree.words if w.sent == pronoun.sent - 1]
        counted = [w for w in before if w.lemma in CONTAIN_VERBS or MEMBER_NOUN.search(w.lemma)
                   or w.lemma in ENTER_VERBS]
        if not counted:
            return
        cluster = antecedent(self.ctx, pronoun.start, {Kind.CLUSTER}, sentences=1)
        if cluster is None or any(m.entity == cluster for m in self.ctx.mentions_in(pronoun.start, pronoun.stop)):
            return
        if modality(tree, anchor) is not None:
            return
        args = [anchor] if anchor.entity is not None else [
            w for w in tree.children(anchor) if w.entity is not None and w.index > pronoun.index]
        for target, coref in self._targets(args, ORG_KINDS, pronoun):
            self._add(_Found(cluster, True), target, ClusterRole.MEMBER, pronoun, anchor, "member.among", coref)

    # -- anchors and initiators ------------------------------------------------------
    def _based_on(self, base: Word) -> None:
        """«кластер создаётся на базе X», «кластер на базе X»."""
        tree = self.tree
        found = self._cluster_near(base)
        if found is None:
            return
        predicate = tree.head(base) or base
        if modality(tree, predicate) is not None:
            return
        # a noun has one genitive complement; coordinated ones hang below the first
        targets = [w for w in tree.children(base, "nmod", "appos", "flat") if self._cluster_of(w, depth=0) is None
                   and not any(c.rel == "case" for c in tree.children(w))][:1]
        for target, coref in self._targets(targets, ORG_KINDS, base):
            self._add(found, target, ClusterRole.ANCHOR, base, predicate, "anchor.base", coref)

    def _initiative(self, noun: Word) -> None:
        """«по инициативе X», «с инициативой создания кластера выступило X»."""
        tree = self.tree
        case = self._case_word(noun)
        head = tree.head(noun)
        kinds = ORG_KINDS | {Kind.PERSON}
        if case == "по" and noun.lemma == "инициатива":
            found = self._cluster_near(noun)
            targets = [w for w in tree.children(noun, "nmod", "appos") if self._cluster_of(w, depth=0) is None
                       and not any(c.rel == "case" for c in tree.children(w))][:1]
            predicate = head or noun
        elif case == "с" and head is not None and head.lemma in ("выступить", "выступать"):
            found = self._cluster_below(noun)[0]
            for create in tree.children(noun, "acl", "xcomp", "nmod"):
                if found is None and (create.lemma in CREATE_VERBS or create.lemma == "создание"):
                    # «с предложением создать кластер»
                    found = next((f for f in (self._cluster_of(w, depth=1) for w in tree.children(create, "obj", "nmod"))
                                  if f is not None), None)
            targets = tree.children(head, *_SUBJECTS)
            predicate = head
        else:
            return
        if found is None or modality(tree, predicate) is not None:
            return
        for target, coref in self._targets(targets, kinds, noun):
            self._add(found, target, ClusterRole.INITIATOR, noun, predicate, "initiator.initiative", coref)

    def _initiated(self, verb: Word) -> None:
        """«Создание кластера инициировали X и Y»."""
        tree = self.tree
        arguments = tree.children(verb, "obj", *_SUBJECTS)
        found = None
        for argument in arguments:
            found = self._cluster_of(argument, depth=2)
            if found is not None:  # what names the cluster («создание кластера») is not its initiator
                arguments = [a for a in arguments if a.index != argument.index]
                break
        if found is None or modality(tree, verb) is not None:
            return
        for target, coref in self._targets(arguments, ORG_KINDS | {Kind.PERSON}, verb):
            self._add(found, target, ClusterRole.INITIATOR, verb, verb, "initiator.verb", coref)

    def _proposed(self, verb: Word) -> None:
        """«Создать кластер «А» предложило ООО «Б»»: who proposes creating a cluster initiates it."""
        tree = self.tree
        found = None
        for create in tree.children(verb, "xcomp", "obj", "ccomp", "csubj"):
            if create.lemma in CREATE_VERBS or create.lemma == "создание":
                found = next((f for f in (self._cluster_of(w, depth=2) for w in tree.children(create, "obj", "nmod"))
                              if f is not None), None)
            if found is not None:
                break
        if found is None or modality(tree, verb) is not None:
            return
        for target, coref in self._targets(tree.children(verb, *_SUBJECTS), ORG_KINDS | {Kind.PERSON}, verb):
            self._add(found, target, ClusterRole.INITIATOR, verb, verb, "initiator.verb", coref)

    def _formed_around(self, verb: Word) -> None:
        """«Кластер формируется вокруг АО «А»»: what a cluster is formed around anchors it."""
        tree = self.tree
        around = [w for w in tree.children(verb, "obl") if self._case_word(w) == "вокруг"]
        if not around:
            return
        found = next((f for f in (self._cluster_of(w, depth=1) for w in tree.children(verb, *_SUBJECTS, "obj"))
                      if f is not None), None)
        if found is None and verb.rel in ("acl", "amod") and tree.head(verb) is not None:
            found = self._cluster_of(tree.head(verb), depth=0)  # type: ignore[arg-type]
        if found is None or modality(tree, verb) is not None:
            return
        for target, coref in self._targets(around[:1], ORG_KINDS, verb):
            self._add(found, target, ClusterRole.ANCHOR, verb, verb, "anchor.around", coref)

    def _dash_list(self, verb: Word) -> list[Word]:
        """«Предприятия, вошедшие в кластер «А», — X и Y — получат …»: a list set off by a dash
        right after a participle's phrase; the parser leaves it out of the tree it belongs to."""
        tree = self.tree
        index = max(w.index for w in tree.subtree(verb)) + 1
        dash = False
        while index < len(tree.words) and tree[index].sent == verb.sent and tree[index].pos == "PUNCT":
            dash = dash or tree[index].text in DASHES
            index += 1
        if not dash or index >= len(tree.words) or tree[index].sent != verb.sent or tree[index].entity is None:
            return []
        return [tree[index]]

    # -- clusters ----------------------------------------------------------------------
    def _cluster_below(self, word: Word) -> tuple[_Found | None, Word | None]:
        """The cluster a role noun's genitive (or «его») names, and the word naming it; the
        parser sometimes hangs the role noun on the cluster word instead («Компании-участники
        кластера» as an adjective of «кластера»)."""
        for child in self.tree.children(word, "nmod", "det", "amod"):
            if child.rel == "amod" and child.lemma not in ("его", "их", "свой"):
                continue
            found = self._cluster_of(child, depth=2)
            if found is not None:
                return found, child
        head = self.tree.head(word)
        if head is not None and word.rel in ("amod", "nmod") and head.index > word.index:
            found = self._cluster_of(head, depth=0)
            if found is not None:
                return found, head
        return None, None

    def _cluster_around(self, word: Word) -> _Found | None:
        """A role noun without the cluster's genitive, in a phrase that hangs on a cluster word
        («кластер «А» (инициаторы — ООО «Б»)»: the noun's phrase is a parenthetical of the cluster)."""
        current = word
        for _ in range(3):
            head = self.tree.head(current)
            if head is None:
                return None
            if current.rel in ("parataxis", "appos", "acl", "acl:relcl"):
                return self._cluster_of(head, depth=0)
            current = head
        return None

    def _hanging_on(self, cluster_word: Word) -> list[Word]:
        """Organisations hanging as apposition or parataxis on the word that names the cluster:
        the parser's place for a list after a cluster's name («участниками кластера «А» ООО «Б» и
        ООО «В»», «Участники кластера: Б, В»). An organisation cannot stand in apposition to a
        cluster, so what hangs there is the list."""
        return [w for w in self.tree.children(cluster_word, "appos", "parataxis")
                if w.index > cluster_word.index and (w.entity is None or self.ctx.kind(w.entity) in ORG_KINDS)]

    def _cluster_of(self, word: Word, depth: int) -> _Found | None:
        """The cluster ``word`` names: a cluster mention, «кластер»/«ассоциация»/«он» pointing
        back, or a noun like «состав», «создание» whose genitive names one (``depth`` steps)."""
        ctx = self.ctx
        if word.entity is not None:
            if ctx.kind(word.entity) == Kind.CLUSTER:
                return _Found(word.entity, False)
            if word.lemma in CLUSTER_NOUNS:
                # «вступили в ассоциацию «Кластер А»»: the body whose name holds the cluster's
                nested = {m.entity for m in ctx.mentions_in(word.start, word.stop)
                          if ctx.kind(m.entity) == Kind.CLUSTER}
                if len(nested) == 1:
                    return _Found(nested.pop(), False)
            return None
        if word.lemma in CLUSTER_NOUNS or word.lemma in CLUSTER_PRONOUNS and word.pos in ("PRON", "DET"):
            if word.lemma == "который":
                relative = next((a for a in self.tree.ancestors(word) if a.rel == "acl:relcl"), None)
                head = self.tree.head(relative) if relative is not None else None
                return self._cluster_of(head, 0) if head is not None else None
            previous = antecedent(ctx, word.start, {Kind.CLUSTER}, sentences=3)
            if previous is not None:
                return _Found(previous, True)
            return self._unnamed(word)
        if depth > 0 and word.lemma in VIA_NOUNS:
            for child in self.tree.children(word, "nmod", "det"):
                found = self._cluster_of(child, depth - 1)
                if found is not None:
                    return found
        return None

    def _unnamed(self, word: Word) -> _Found | None:
        """A cluster word with no named cluster before it («компании-участники кластеров»,
        «новый фармацевтический кластер … Его участниками») becomes its region's cluster node;
        a pronoun stands for the cluster word before it."""
        if self.unnamed is None:
            return None
        if word.lemma != "кластер":
            word = next((w for w in reversed(self.tree.words[:word.index])
                         if w.lemma == "кластер" and w.entity is None and w.sent >= word.sent - 2), None)  # type: ignore[assignment]
            if word is None:
                return None
        adjectives = [a.lemma for a in self.tree.children(word, "amod")
                      if a.pos == "ADJ" and a.lemma not in _NOT_NAMING and a.index < word.index]
        entity = self.unnamed(word.start, word.stop, adjectives)
        if entity is None:
            return None
        self.unnamed_ids.add(entity)
        return _Found(entity, True)

    def _cluster_near(self, word: Word) -> _Found | None:
        """The cluster of an adverbial («на базе», «по инициативе»): the noun it qualifies, the
        subject or object of its verb, else the cluster named in the sentence."""
        tree = self.tree
        head = tree.head(word)
        if head is not None:
            found = self._cluster_of(head, depth=1)
            if found is not None:
                return found
            qualified = tree.head(head) if head.rel in ("acl", "acl:relcl") else None
            if qualified is not None:  # «кластер, созданный на базе X»
                found = self._cluster_of(qualified, depth=0)
                if found is not None:
                    return found
            for arg in tree.children(head, "nsubj", "nsubj:pass", "obj"):
                found = self._cluster_of(arg, depth=1)
                if found is not None:
                    return found
        named = [w for w in tree.sentence(word) if w.entity is not None and self.ctx.kind(w.entity) == Kind.CLUSTER]
        if len({w.entity for w in named}) == 1:
            return _Found(named[0].entity, False)  # type: ignore[arg-type]
        return None

    # -- arguments -----------------------------------------------------------------------
    def _targets(self, args: list[Word], kinds: frozenset[Kind] | set[Kind], frame: Word) -> list[tuple[Word, bool]]:
        """Entity words the argument words list, with «компания»/«она» pointing back."""
        out: list[tuple[Word, bool]] = []
        seen: set[int] = set()
        for arg in args:
            listed = members(self.ctx, self.tree, arg, kinds)
            if (not listed and arg.entity is None and arg.lemma in ORG_NOUNS and arg.feat("Number") != "Plur"
                    and not self.tree.children(arg, "nmod", "appos", "nummod", "nummod:gov")):
                # «компания вошла»: the one organisation named before; «шесть предприятий» stands for no one
                previous = antecedent(self.ctx, arg.start, kinds, sentences=2)
                if previous is not None:
                    out.append((arg, True))
                    self._coref[arg.index] = previous
                continue
            for word in listed:
                if word.index not in seen:
                    seen.add(word.index)
                    out.append((word, False))
        return out

    def _add(self, found: _Found, target: Word, role: ClusterRole, trigger: Word, predicate: Word, rule: str,
             coref: bool) -> None:
        entity = self._coref.get(target.index) if coref else target.entity
        if entity is None or entity == found.cluster:
            return
        if self.ctx.kind(entity) == Kind.CLUSTER:
            return  # a cluster is no member of a cluster
        key = (found.cluster, entity, role)
        if key in self.links:
            return
        start = min(trigger.start, predicate.start, target.start)
        stop = max(trigger.stop, predicate.stop, target.stop)
        confidence = 0.9
        if coref or found.cluster_coref:
            confidence = 0.8
        if found.cluster in self.unnamed_ids:
            confidence = 0.7
        if coref:
            rule += "+coref"
        elif found.cluster_coref:
            rule += "+cluster-coref"
        self.links[key] = ClusterLink(found.cluster, entity, role, self.ctx.span(start, stop), rule, confidence)

    def _case_word(self, word: Word) -> str | None:
        """The preposition of a noun («в», «на», «среди»); «в числе», «в том числе» give «число»."""
        for child in self.tree.children(word, "case"):
            return child.lemma
        return None


def read_memberships(ctx: Context, unnamed: UnnamedCluster | None = None) -> list[ClusterLink]:
    """ClusterLinks of every parsed sentence of ``ctx``."""
    return MembershipReader(ctx, unnamed).read()


CREATE_VERBS = frozenset({"появиться", "появляться", "создать", "создаваться", "создаться", "сформировать",
                          "формироваться", "сформироваться", "образовать", "образоваться", "зарегистрировать",
                          "учредить", "организовать", "запустить", "возникнуть"})


def new_clusters(ctx: Context, unnamed: UnnamedCluster) -> list[str]:
    """One cluster being created and not named («В Калужском регионе появится ещё один
    кластер», «создан новый кластер») becomes its region's cluster node; plural and counted
    clusters («создание 30 кластеров», «три кластера») stay generic."""
    tree = ctx.syntax
    out = []
    for word in tree.words:
        if word.lemma != "кластер" or word.entity is not None or word.feat("Number") == "Plur":
            continue
        head = tree.head(word)
        if head is None or head.lemma not in CREATE_VERBS or word.rel not in ("nsubj", "nsubj:pass", "obj"):
            continue
        if any(c.lemma != "один" for c in tree.children(word, "nummod", "nummod:gov")):
            continue
        adjectives = [a.lemma for a in tree.children(word, "amod")
                      if a.pos == "ADJ" and a.lemma not in _NOT_NAMING and a.index < word.index]
        entity = unnamed(word.start, word.stop, adjectives)
        if entity is not None:
            out.append(entity)
    return out
