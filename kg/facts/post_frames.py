"""Posts stated by a verb, read over the dependency parse: «Генеральным директором ООО «А» стал Игорь
Лебедев», «Новым главой компании «Б» назначен Роман Гусев», «Лебедев избран президентом ассоциации».

The frame: a title word (a position head of the lexicon, «директор», «глава») in the instrumental
hangs on a verb of taking a post (стать, назначить, избрать, утвердить, являться …) whose subject
(or passive subject) is a person. The title runs from the position words before the head
(«генеральным», not «новым») to the end of the head's phrase; ``titles.build_post`` reads it as
the grammar readers do (nominative title, the organisation after it, «компании» standing for the
company named before). The grammar readers of ``post.py`` run first: a frame's post
replaces one of theirs whose title it extends («министр» -> «министр экономического развития»)
and is added when the holder has no post of that title. A post whose verb is denied or only
planned («не стала директором», «может стать») is dropped, whichever reader found it.

A person who heads an organisation by a verb («X, возглавляющий АО «А»», «Компанию «Б» возглавил
Y») holds the post «руководитель» there, unless a post of theirs in that organisation is read already.
"""

from __future__ import annotations

import re

from kg.extract.context import Context, Mention
from kg.extract.frames import ORG_KINDS, members, modality
from kg.extract.readers.lexicon import Lexicon
from kg.extract.readers.titles import build_post
from kg.extract.syntax import Tree, Word
from kg.model import Kind, Post

# a sentence worth parsing for a post stated by a verb names a person and one of these (stems of TAKE_POST)
PARSE_WORDS = re.compile(r"стал|стан[еоу]|станов|назнач|избра|избир|утвер|явля|был|буд[еу]|работа|служ|выбра|"
                         r"остал|оста[её]тся|оставал|возглав", re.I)
TAKE_POST = frozenset({"стать", "становиться", "назначить", "назначать", "избрать", "избирать", "утвердить",
                       "являться", "быть", "работать", "служить", "выбрать", "переизбрать", "остаться", "оставаться"})
LEAD_VERBS = frozenset({"возглавлять", "возглавить"})
LEAD_TITLE = "руководитель"
_LED = ORG_KINDS | {Kind.CLUSTER}


def read_post_frames(ctx: Context, lexicon: Lexicon, posts: list[Post], doc_region: str | None) -> list[Post]:
    """``posts`` with the verb frames' posts merged in and denied or planned ones dropped."""
    tree = ctx.syntax
    out = list(posts)
    for word in tree.words:
        if word.entity is not None or word.case != "Ins" or lexicon.role(word.text) != "head":
            continue
        verb = tree.head(word)
        if verb is None or verb.lemma not in TAKE_POST or word.rel not in ("xcomp", "obl", "obj", "nmod"):
            continue
        persons = [w for w in tree.children(verb, "nsubj", "nsubj:pass")
                   if w.entity is not None and ctx.kind(w.entity) == Kind.PERSON]
        if len(persons) != 1:
            continue
        holder = persons[0]
        if modality(tree, verb) is not None:
            out = [p for p in out if not (p.holder == holder.entity and _last_lemma(lexicon, p.title) == word.lemma)]
            continue
        post = _post(ctx, lexicon, tree, word, holder, doc_region)
        if post is None:
            continue
        words = set(post.title.split())
        same = [p for p in out if p.holder == post.holder]
        if any(words <= set(p.title.split()) for p in same):
            continue  # a grammar reader has it already, or a longer title
        out = [p for p in out if not (p.holder == post.holder and set(p.title.split()) < words)]
        out.append(post)
    for word in tree.words:
        if word.lemma in LEAD_VERBS and word.entity is None:
            post = _led(ctx, tree, word)
            if post is not None and not any(p.holder == post.holder and p.post_in == post.post_in for p in out):
                out.append(post)
    return out


def _led(ctx: Context, tree: Tree, verb: Word) -> Post | None:
    """«X, возглавляющий АО «А»», «Компанию «А» возглавил X»: X heads А."""
    # subject and object by kind, not by the parser's label: «Холдинг «А» возглавляет X» reads as two
    # subjects; the noun a participle or relative clause qualifies is one of the two («X, возглавляющий
    # А», «А, возглавляемая X-ом», «А, которое возглавляет X»), the agent of a passive the other
    args = tree.children(verb, "nsubj", "obj", "obl:agent")
    head = tree.head(verb)
    if verb.rel in ("acl", "amod", "acl:relcl") and head is not None:
        args = [head] + [w for w in args if w.lemma != "который"]
    persons = [w for w in args if w.entity is not None and ctx.kind(w.entity) == Kind.PERSON]
    led = [w for arg in args if arg not in persons for w in members(ctx, tree, arg, _LED)]  # «компанию «А»»
    if len(led) != 1 or len(persons) != 1 or modality(tree, verb) is not None:
        return None
    holder, org = persons[0], led[0]
    assert holder.entity is not None and org.entity is not None
    start, stop = min(holder.start, verb.start, org.start), max(holder.stop, verb.stop, org.stop)
    return Post(holder.entity, LEAD_TITLE, org.entity, ctx.span(start, stop), "post.lead", 0.8)


def _post(ctx: Context, lexicon: Lexicon, tree: Tree, head: Word, holder: Word, doc_region: str | None) -> Post | None:
    words = tree.words
    first = head.index
    while first > 0 and words[first - 1].sent == head.sent and words[first - 1].entity is None \
            and lexicon.role(words[first - 1].text) in ("mod", "prefix"):
        first -= 1
    phrase = tree.subtree(head, keep=lambda w: w.rel not in ("acl", "acl:relcl", "conj", "punct", "parataxis"))
    stop = max(w.stop for w in phrase if w.index >= head.index)
    first_token = ctx.tok_at(words[first].start)
    end_token = ctx.tok_at(stop - 1) + 1
    assert holder.entity is not None
    person = Mention(holder.start, holder.stop, holder.entity)
    post = build_post(ctx, lexicon, person, first_token, end_token, doc_region)
    if post is None:
        return None
    start, stop = min(words[first].start, holder.start), max(stop, holder.stop)
    return Post(post.holder, post.title, post.post_in, ctx.span(start, stop), "post.verb", 0.9)


def _last_lemma(lexicon: Lexicon, title: str) -> str:
    last = title.split()[-1] if title.split() else ""
    return lexicon.morph.lemma(last)
