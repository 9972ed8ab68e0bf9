"""Grammar-aware rewrites of blame-framed sentences, over a parse or token patterns.

The rewrites move a sentence from "who failed" to "what did not happen", using only words
of the sentence and fixed phrases (``templates.json``); nothing is generated freely.

- Agent + failure verb + action ("RN failed to check allergies prior to administration",
  "the nurse did not scan it", "I should have called the charge nurse"): the agent and the
  failure framing are dropped and the action is passivised ("allergies were not checked
  prior to administration") or, without an object, nominalised ("the documentation did not
  happen per protocol"). "should not have X" becomes "X went ahead".
- Evaluative and disciplinary clauses ("careless", "unacceptable", "re-educated", "written
  up") are replaced by a fixed statement; the other clauses of the sentence are kept.
- A rewrite is a statement; the questions about the conditions at the time are given beside
  it (a closing question clause per cue type comes from ``templates.json``, empty as shipped).
- "without checking the label" becomes "with the label not checked"; "did not follow the
  protocol" may become "what was done did not follow the protocol"; a second blame phrase of
  the sentence ("contrary to unit policy") is softened ("outside unit policy").

With the English parser the action, its object and the agent come from the dependency
parse; without it a token-pattern fallback handles the common "ROLE did not / failed to /
should have VERB ..." shapes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from syscause.pipeline.person_failure import ATTITUDE_VERBS, WRONG_WORDS, is_name
from syscause.reframe.data import lexicon, templates
from syscause.reframe.morph import gerund, participle

FAILURE_LEMMAS = frozenset(
    {"fail", "neglect", "forget", "omit", "skip", "miss", "overlook", "ignore", "disregard"}
)
# verbs whose infinitive complement is the action ("didn't bother to look", "forgot to call")
_RAISING = frozenset({"bother", "think", "try", "remember", "get", "manage", "fail", "neglect"})
_PERSON_PRONOUNS = frozenset(
    {"i", "he", "she", "they", "we", "you", "who", "someone", "somebody", "anyone", "anybody"}
)
_PLURAL_SUBJECTS = frozenset({"we", "they", "these", "those", "both", "you"})
_SUBJECT_DEPS = ("nsubj",)
# role words of the guard lexicon that name patients and families, never a blamed agent
NOT_AGENTS = frozenset(
    {"pt", "pts", "patient", "patients", "family", "mother", "father", "daughter", "son"}
)
_CLAUSAL = frozenset({"ccomp", "oprd", "acomp", "xcomp"})
# verbs that name no action a review could ask about ("should not have been there")
_NO_ACTION = frozenset({"be", "have"})
_NO_ACTION_FORMS = frozenset({"be", "been", "being", "have", "had", "having"})
_TITLES = frozenset({"dr.", "mr.", "mrs.", "ms.", "prof."})
_PERSONAL_OBJECTS = frozenset({"me", "us", "him", "her", "them", "you"})
_ANYONE = frozenset({"anyone", "anybody", "someone", "somebody"})
# words the token fallback can meet after "should have" that are not a verb ("should have a")
_NOT_VERBS = frozenset(
    {"a", "an", "the", "this", "that", "these", "those", "my", "his", "her", "their", "our"}
    | {"your", "its", "it", "them", "him", "me", "us", "to", "some", "any", "no", "more"}
)
_LEFT_NP_DEPS = frozenset({"det", "amod", "compound", "npadvmod", "poss", "case", "nummod", "nmod"})
# clause boundaries for the evaluative/disciplinary replacement and the token fallback
_SEGMENT_RE = re.compile(
    r"\s*;\s*|\s*:\s+|,?\s+(?:but|because|although|though|however|yet)\s+|,\s+(?:and|so)\s+",
    re.IGNORECASE,
)
# how the parser may attach a bare noun object ("didnt check armband")
_BARE_OBJECT_DEPS = frozenset({"npadvmod", "attr", "advmod", "compound", "nsubj", "oprd"})
# verbs whose object is a rule: the practice, not a person, is what did or did not conform
_CONFORM_VERBS = frozenset({"follow", "adhere", "comply", "match", "meet"})
# verbs of speaking, perceiving and wanting: what someone said or saw is no action to restate
_NOT_ACTIONS = frozenset(
    {"say", "tell", "state", "report", "ask", "explain", "mention", "want", "need", "feel"}
    | {"see", "hear", "find", "notice", "get", "make", "take", "let", "keep", "call", "page"}
)
_REFLEXIVES = frozenset({"myself", "himself", "herself", "themselves", "ourselves", "yourself"})
_ADVERB_HEDGES = frozenset(
    {"properly", "adequately", "appropriately", "correctly", "carefully", "fully", "even"}
)


@dataclass(frozen=True, slots=True)
class SentenceCue:
    """A blame cue inside one sentence: offsets relative to the sentence, type and text."""

    start: int
    end: int
    type: str
    text: str


@dataclass(slots=True)
class _Plan:
    """Token edits on a parsed sentence: deletions, replacements, insertions."""

    deleted: set[int] = field(default_factory=set)
    replaced: dict[int, str] = field(default_factory=dict)
    inserted: dict[int, str] = field(default_factory=dict)
    after: dict[int, str] = field(default_factory=dict)
    negative_counterfactual: bool = False
    changed: bool = False


def is_shouting(text: str) -> bool:
    """True for a sentence typed in capitals (the rewrite is then written in capitals too)."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters)


def unshout(sentence: str) -> str:
    """Lower case for the tagger, role acronyms ("RN", "MD") kept; offsets unchanged."""
    roles = lexicon().roles

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        keep = low in roles and len(word) <= 4 and low not in ("i", "she", "he", "her", "him")
        return word if keep or len(low) != len(word) else low

    return re.sub(r"[^\W\d_]+", fix, sentence)


# ---------------------------------------------------------------------------------------
# parse-based transformation


def _is_person(tok: Token) -> bool:
    low = tok.lower_
    if low in NOT_AGENTS:
        return False
    return low in lexicon().roles or low in _PERSON_PRONOUNS or is_name(tok)


def _subject(verb: Token) -> Token | None:
    """The verb's subject, or the subject shared with the verb it is coordinated with."""
    node: Token | None = verb
    while node is not None:
        subs = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
        if subs:
            return subs[0]
        if node.dep_ in ("conj", "xcomp") and node.head is not node:
            node = node.head
        else:
            return None
    return None


def _own_subject(verb: Token) -> Token | None:
    subs = [c for c in verb.children if c.dep_ in _SUBJECT_DEPS]
    return subs[0] if subs else None


def _subject_span(subj: Token) -> range:
    """Token indices of the subject phrase: the subject and up to four words on its left.

    Words the parser attached elsewhere ("THE NIGHT AIDE") are included; numbers and words
    ending a previous sentence the splitter missed ("1g. RN") are not.
    """
    doc = subj.doc
    tree = {t.i for t in subj.subtree}
    # contiguous to the right only: a clause the parser hung on the subject from after the
    # verb ("The RN did not call, which is required") is not part of the subject phrase
    last = subj.i
    while last + 1 in tree:
        last += 1
    first = subj.i
    while first > 0 and subj.i - first < 4:
        prev = doc[first - 1]
        # "Dr. Smith": a title's full stop ends no sentence
        in_tree = prev.i in tree and (not prev.text.endswith(".") or prev.lower_ in _TITLES)
        attached = (
            in_tree
            or (prev.dep_ in _LEFT_NP_DEPS and prev.head.i >= first)
            # "OR tech threw away ...": a capitalised first word is no conjunction
            or (prev.i == 0 and prev.dep_ == "cc" and prev.text.isupper())
        )
        if not attached or (
            not in_tree
            and not re.fullmatch(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|'s|\u2019s", prev.text)
        ):
            break
        first -= 1
    return range(first, last + 1)


def _left_agent(verb: Token) -> list[int]:
    """Person words before the verb that the parser left unattached ("RN DID NOT READ")."""
    first_aux = min((c.i for c in verb.children if c.dep_ in ("aux", "neg")), default=verb.i)
    start = first_aux
    while start > 0 and (
        verb.doc[start - 1].lower_ in lexicon().roles
        or verb.doc[start - 1].dep_ in ("det", "compound", "amod")
    ):
        start -= 1
    if start == first_aux or any(
        verb.doc[i].dep_ not in ("intj", "npadvmod", "compound", "det", "amod", "dep", "nmod")
        for i in range(start, first_aux)
    ):
        return []
    if not any(_is_person(verb.doc[i]) for i in range(start, first_aux)):
        return []
    return list(range(start, first_aux))


def _plural(tok: Token) -> bool:
    if (
        tok.lower_ in ("us", "them")
        or tok.lower_ in _PLURAL_SUBJECTS
        or tok.tag_ in ("NNS", "NNPS")
    ):
        return True
    tail = _comma_tail(tok)
    return any(c.dep_ == "conj" and c.i not in tail for c in tok.children)


_PARTICLES = frozenset({"back", "up", "down", "out", "off", "over", "in", "on", "away"})
_LIST_WORDS = frozenset({"and", "or", "nor", "&", "plus"})


def _comma_tail(tok: Token) -> set[int]:
    """Token indices from the first comma after ``tok`` to the end of its phrase, where
    the phrase is no list: "the wrong bag, norepi instead of the maintenance fluid, both on
    the same pole," names the bag and then says more about it."""
    tree = sorted(t.i for t in tok.subtree)
    doc = tok.doc
    if any(doc[i].dep_ == "cc" and doc[i].lower_ in _LIST_WORDS for i in tree):
        return set()
    comma = next((i for i in tree if i > tok.i and doc[i].text == ","), None)
    return set() if comma is None else set(range(comma, tree[-1] + 1))


def _apposition(tok: Token) -> set[int]:
    """Token indices of a comma-separated apposition after ``tok`` (not a list's items)."""
    if any(t.dep_ == "cc" for t in tok.subtree):
        return set()
    for child in tok.children:
        if child.dep_ == "appos" and child.i > tok.i:
            commas = [t for t in tok.doc[tok.i : child.left_edge.i] if t.text == ","]
            if commas:
                return set(range(commas[0].i, child.right_edge.i + 1))
    return set()


def _after_verb_comma(tok: Token) -> set[int]:
    """Token indices from a comma in the phrase that a verb follows, to the phrase's end.

    "the suicide screening questions, assigned ESI 4, and ..." keeps "questions" only: the
    parser hung the next action on the noun; it stays after the statement.
    """
    doc = tok.doc
    last = tok.right_edge.i
    for i in range(tok.i + 1, last):
        if doc[i].text == "," and doc[i + 1].tag_ in ("VBD", "VBN", "VBG"):
            return set(range(i, last + 1))
    return set()


def _np_text(tok: Token, plan: _Plan) -> str:
    """The object phrase as it will read in subject position; its tokens are deleted.

    An apposition after a comma ("the full sig, only the first line") stays where it was,
    so that it still follows the verb ("the full sig was not read, only the first line").
    """
    left_behind = _apposition(tok) | _after_verb_comma(tok) | _comma_tail(tok)
    # an emphatic "myself" names the person the rewrite leaves out ("read the note myself")
    reflexive = {t.i for t in tok.subtree if t.lower_ in _REFLEXIVES and t.i != tok.i}
    plan.deleted.update(reflexive)
    idx = sorted(t.i for t in tok.subtree if t.i not in left_behind | reflexive)
    parts = []
    for i in idx:
        t = tok.doc[i]
        plan.deleted.add(i)
        text = t.text
        if i == tok.i and t.lower_ in lexicon().object_pronouns and len(idx) == 1:
            text = lexicon().object_pronouns[t.lower_]
        parts.append(text + (t.whitespace_ if i != idx[-1] else ""))
    text = "".join(parts)
    # "the plan, which was clipped to the chart," keeps its closing comma
    return text + "," if re.search(r", (?:which|who|that)\b", text) else text


def _participle(tok: Token) -> str:
    if tok.tag_ == "VBN":
        return tok.text.lower()
    return participle(tok.lemma_.lower() or tok.lower_)


def _nominal(tok: Token) -> str:
    lemma = tok.lemma_.lower() or tok.lower_
    return lexicon().nominals.get(lemma) or gerund(lemma)


def _look_at(action: Token) -> Token | None:
    """The preposition of a prepositional-object verb ("look at the result"), if any."""
    if action.lemma_.lower() not in ("look", "listen", "ask", "wait", "respond", "think"):
        return None
    for c in action.children:
        if c.dep_ == "prep" and c.i == action.i + 1 and any(g.dep_ == "pobj" for g in c.children):
            return c
    return None


def _double_prefix(action: Token, plan: _Plan) -> str:
    """ "double check" / "double-check" parsed as two words: the prefix, its tokens deleted."""
    doc, i = action.doc, action.i
    if i >= 2 and doc[i - 1].text == "-" and doc[i - 2].lower_ == "double":
        plan.deleted.update({i - 1, i - 2})
        return "double-"
    if i >= 1 and doc[i - 1].lower_ == "double":
        plan.deleted.add(i - 1)
        return "double "
    return ""


def _shared_conjs(action: Token) -> list[Token]:
    """Verbs coordinated with the action that share its auxiliary and polarity.

    "did not check X or call Y" shares; "did not follow X and placed Y" does not (another
    tense), nor does a conjunct with its own subject or auxiliary.
    """
    return [
        c
        for c in action.children
        if c.dep_ == "conj"
        and c.pos_ == "VERB"
        and _same_form(c, action)
        and _own_subject(c) is None
        and not any(a.dep_ in ("aux", "neg") for a in c.children)
    ]


def _same_form(conj: Token, action: Token) -> bool:
    """The conjunct has the action's verb form; after "should have" the tagger often reads
    a second participle as a past tense ("should have stopped and checked")."""
    if conj.tag_ == action.tag_:
        return True
    return _perfect(action) and {conj.tag_, action.tag_} == {"VBD", "VBN"}


_RELATIVE_WORDS = frozenset({"which", "who", "whom", "whose", "where"})


def _before_relative_clause(doc: Doc, core: list[int]) -> int:
    """The last token of ``core`` before a comma that opens a relative clause, if any."""
    for i in core:
        if (
            i > core[0]
            and doc[i].text == ","
            and i + 1 < len(doc)
            and doc[i + 1].lower_ in _RELATIVE_WORDS
        ):
            return i - 1
    return core[-1]


def _realise_gerund(action: Token, plan: _Plan, *, negative: bool) -> None:
    """ "checking allergies did not happen prior to administration": the action as a gerund."""
    stmt = templates().statements
    verb_phrase = stmt["not_happen"] if negative else stmt["went_ahead"]
    conjs = _shared_conjs(action)
    prefix = _double_prefix(action, plan)
    plan.replaced[action.i] = prefix + gerund(action.lemma_.lower() or action.lower_)
    for conj in conjs:
        plan.replaced[conj.i] = gerund(conj.lemma_.lower() or conj.lower_)
    last = conjs[-1] if conjs else action
    core = [last.i] + [
        t.i
        for c in last.children
        if c.dep_ in ("dobj", "obj", "prt", "dative", "ccomp", "oprd", "acomp", "xcomp")
        for t in c.subtree
        if t.i not in _apposition(c)
    ]
    # a particle the parser read as an adverb ("handed back to the RN")
    core.extend(
        c.i
        for c in last.children
        if c.dep_ == "advmod" and c.i == last.i + 1 and c.lower_ in _PARTICLES
    )
    # a bare noun the parser hung on the verb another way ("didnt check armband")
    nxt = max(core) + 1
    while (
        nxt < len(action.doc)
        and action.doc[nxt].head == last
        and action.doc[nxt].dep_ in _BARE_OBJECT_DEPS
        and action.doc[nxt].pos_ in ("NOUN", "PROPN", "ADJ")
    ):
        core.extend(t.i for t in action.doc[nxt].subtree)
        nxt = max(core) + 1
    # "staying at the bedside was not done": the first prepositional phrase goes with it
    if (
        nxt < len(action.doc)
        and action.doc[nxt].dep_ == "prep"
        and action.doc[nxt].head.i in (last.i, *core)
    ):
        core.extend(t.i for t in action.doc[nxt].subtree)
    # ", which is expected at every visit" stays after the statement, not inside it
    plan.after[_before_relative_clause(action.doc, sorted(core))] = verb_phrase
    plan.changed = True


def _realise_action(
    action: Token, plan: _Plan, *, negative: bool, failure: str | None, style: str = "passive"
) -> bool:
    """Rewrite the action verb (and coordinated ones) as a statement about the action."""
    lex = lexicon()
    stmt = templates().statements
    objs = [c for c in action.children if c.dep_ in ("dobj", "obj")]
    for child in action.children:
        if child.dep_ == "advmod" and child.lower_ in lex.drop_adverbs | _ADVERB_HEDGES:
            plan.deleted.add(child.i)
        if child.dep_ == "aux" and child.tag_ == "TO":
            plan.deleted.add(child.i)
    lemma = action.lemma_.lower()
    # a complement follows its verb; a clause before it is the parser hanging the previous
    # clause on it ("Tech was rested, she just didn't think of it")
    clausal = any(c.dep_ in _CLAUSAL and c.i > action.i for c in action.children)
    if failure is None and (lemma in _NO_ACTION or (clausal and lemma in lex.knowledge_verbs)):
        return False  # "should not have been there", "should have known X is ...": questions
    if style == "gerund" and failure is None:
        if negative and lemma in _CONFORM_VERBS:
            # "RN did not follow the protocol" -> "what was done did not follow the protocol"
            plan.replaced[action.i] = f"{stmt['practice_subject']} did not {lemma}"
            plan.changed = True
            return True
        _realise_gerund(action, plan, negative=negative)
        return True
    if objs and failure is not None and objs[0].lower_ in _PERSONAL_OBJECTS:
        # "she forgot us" -> "we were forgotten", "he ignored me" -> "I was ignored"
        pronoun = lex.object_pronouns.get(objs[0].lower_)
        if pronoun is None or objs[0].lower_ == "you" or _shared_conjs(action):
            return False
        be = "were" if pronoun in _PLURAL_SUBJECTS else "was"
        plan.deleted.add(objs[0].i)
        plan.replaced[action.i] = f"{pronoun} {be} {_participle(action)}"
        plan.changed = True
        return True
    if failure is None and not objs and not clausal and action.dep_ == "relcl":
        # "wastes she did not observe" -> "wastes that were not observed"
        be = "were" if _plural(action.head) else "was"
        neg = " not" if negative else ""
        prefix = _double_prefix(action, plan)
        plan.replaced[action.i] = f"that {be}{neg} {prefix}{_participle(action)}"
        plan.changed = True
        return True
    if failure is None and (clausal or not objs) and not _look_at(action):
        if not [c for c in action.children if c.i > action.i and c.dep_ != "punct"]:
            # a bare action ("NURSE DID NOT SCAN"): its noun, "the scan was not done"
            verb_phrase = stmt["not_happen"] if negative else stmt["went_ahead"]
            prefix = _double_prefix(action, plan)
            nominal = "the double check" if prefix else _nominal(action)
            plan.replaced[action.i] = f"{nominal} {verb_phrase}"
            plan.changed = True
            return True
        _realise_gerund(action, plan, negative=negative)
        return True
    prefix = _double_prefix(action, plan) if failure is None else ""
    datives = [c for c in action.children if c.dep_ == "dative" and c.pos_ != "ADP"]
    if objs and datives and failure is None and not _shared_conjs(action):
        # "gave the pt the wrong dose" -> "the pt was given the wrong dose": the receiver
        # is the subject and the thing given stays after the verb
        be = "were" if _plural(datives[-1]) else "was"
        subject = " ".join(_np_text(d, plan) for d in datives)
        neg = " not" if negative else ""
        plan.replaced[action.i] = f"{subject} {be}{neg} {prefix}{_participle(action)}"
        plan.changed = True
        return True
    if objs:
        obj = objs[0]
        be = "were" if _plural(obj) else "was"
        subject = _np_text(obj, plan)
        if failure is not None:
            verb_phrase = lex.failure_passives.get(failure, "was not done").split(" ", 1)[1]
            text = f"{subject} {be} {verb_phrase}"
        else:
            text = f"{subject} {be}{' not' if negative else ''} {prefix}{_participle(action)}"
    elif failure is not None:
        text = stmt["generic_subject"] + " " + stmt["not_happen"]
    else:
        prep = _look_at(action)
        assert prep is not None
        pobj = next(c for c in prep.children if c.dep_ == "pobj")
        be = "were" if _plural(pobj) else "was"
        subject = _np_text(pobj, plan)
        plan.deleted.add(prep.i)
        neg = " not" if negative else ""
        text = f"{subject} {be}{neg} {_participle(action)} {prep.text}"
    plan.replaced[action.i] = text
    plan.changed = True
    for conj in _shared_conjs(action):
        _realise_action(conj, plan, negative=negative, failure=None, style=style)
    return True


def _perfect(verb: Token) -> bool:
    """The verb has a perfect auxiliary: "have", "'ve", "of", or the "of" of "should of
    checked", which the parser hangs on "should" as a preposition."""
    return any(
        c.dep_ == "aux"
        and (
            c.lower_ in ("have", "'ve", "of")
            or (c.lower_ in ("should", "ought") and any(g.lower_ == "of" for g in c.children))
        )
        for c in verb.children
    )


def _failure_head(verb: Token, whole: bool = False) -> tuple[str, bool] | None:
    """(kind, negative) where ``verb`` heads a person-failure or counterfactual clause.

    ``whole``: the sentence as a whole is the cue (the framing model's sentence), so a
    person's plain past action on an object is what carries the blame ("Aide gave NPO pt
    a breakfast tray").
    """
    children = list(verb.children)
    neg = any(c.dep_ == "neg" for c in children)
    aux = {c.lower_ for c in children if c.dep_ == "aux"}
    if aux & {"should", "ought", "shoulda"} and _perfect(verb):
        return "counterfactual", not neg
    if verb.lemma_.lower() in FAILURE_LEMMAS and not neg and verb.tag_ != "VBN":
        return "failure", True
    # present "do not" is habit or reported speech ("I don't take a water pill"), not a lapse
    if neg and (aux & {"did", "didnt"} or any(c.lower_ == "never" for c in children)):
        return "did_not", True
    objs = [c for c in children if c.dep_ in ("dobj", "obj")]
    # a passive ("RN was given the wrong chart") already has no agent to take out
    if not neg and not any(c.dep_ == "auxpass" for c in children):
        # "gave the wrong allergy information", "did the tubes in the wrong order",
        # "pulled from the wrong bin"
        before_obj = (t for t in objs[0].subtree if t.i < objs[0].i) if objs else ()
        in_preps = (t for c in children if c.dep_ == "prep" for t in c.subtree)
        past = objs or verb.tag_ in ("VBD", "VBN")  # without an object: "pulled from"
        if past and any(t.lower_ in WRONG_WORDS for t in (*before_obj, *in_preps)):
            return "wrong_object", False
        if (
            objs
            and whole
            and verb.tag_ == "VBD"
            and not any(c.dep_ in ("aux", "auxpass") for c in children)
            and verb.lemma_.lower() not in _NO_ACTION | _NOT_ACTIONS | lexicon().knowledge_verbs
        ):
            return "commission", False
    return None


def _overlaps(tok_start: int, tok_end: int, cues: Sequence[SentenceCue]) -> bool:
    return any(c.start < tok_end and tok_start < c.end for c in cues)


def _plan_parsed(doc: Doc, cues: Sequence[SentenceCue], style: str) -> _Plan:
    plan = _Plan()
    lex = lexicon()
    blame = [c for c in cues if c.type in ("person_failure", "counterfactual")]
    text = doc.text.strip()
    whole = any(
        c.type == "person_failure" and c.start <= 0 and c.end >= len(text) - 1 for c in blame
    )
    for verb in doc:
        if verb.pos_ not in ("VERB", "AUX") or verb.i in plan.deleted:
            continue
        head = _failure_head(verb, whole)
        if head is None:
            continue
        kind, negative = head
        parts = [verb, *(c for c in verb.children if c.dep_ in ("aux", "neg"))]
        subj = _subject(verb)
        own = _own_subject(verb)
        span_start = min(t.idx for t in parts + ([own] if own is not None else []))
        span_end = max(t.idx + len(t.text) for t in parts)
        if subj is not None and not _is_person(subj):
            continue
        # a negated action of a person counts in a sentence that already carries blame
        if not _overlaps(span_start, span_end, blame) and not (
            blame and subj is not None and kind == "did_not"
        ):
            continue
        if own is None:
            plan.deleted.update(_left_agent(verb))
        saved = set(plan.deleted)
        action = verb
        failure: str | None = None
        if kind in ("failure", "did_not"):
            xcomps = [c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"]
            if xcomps and (kind == "failure" or verb.lemma_.lower() in _RAISING):
                # "failed to double check": the parser makes both words complements
                action = (
                    xcomps[1] if len(xcomps) > 1 and xcomps[0].lower_ == "double" else xcomps[0]
                )
                for xcomp in xcomps:
                    plan.deleted.update(c.i for c in xcomp.children if c.tag_ == "TO")
                plan.deleted.add(verb.i)
            elif kind == "failure":
                failure = verb.lemma_.lower()
            elif verb.lemma_.lower() in ATTITUDE_VERBS:
                continue  # "did not want it", "didn't like the look of": left to the questions
            elif (
                verb.lemma_.lower() in lex.knowledge_verbs
                and not any(c.dep_ in ("dobj", "obj") for c in verb.children)
                and not _look_at(verb)  # "didn't think of it" -> "it was not thought of"
            ):
                continue  # "I didn't know", "she did not care": left to the questions
        if own is not None:
            plan.deleted.update(_subject_span(own))
        for child in verb.children:
            if child.dep_ in ("aux", "neg"):
                plan.deleted.update(t.i for t in child.subtree)  # "should of": both words
            if child.dep_ == "advmod" and child.lower_ in lex.drop_adverbs | _ADVERB_HEDGES:
                plan.deleted.add(child.i)
        if kind == "counterfactual" and not negative:
            plan.negative_counterfactual = True
        if not _realise_action(action, plan, negative=negative, failure=failure, style=style):
            plan.deleted = saved
    return plan


def _plan_hindsight(doc: Doc, cues: Sequence[SentenceCue], plan: _Plan) -> None:
    """ "the RN had done this transport many times before" -> "this transport had been
    done many times before": hindsight about a person becomes a statement of the task."""
    blame = [c for c in cues if c.type in ("counterfactual", "person_failure")]
    for verb in doc:
        if verb.tag_ != "VBN" or verb.i in plan.deleted or verb.i in plan.replaced:
            continue
        children = list(verb.children)
        aux = [c for c in children if c.dep_ == "aux"]
        if [a.lower_ for a in aux] != ["had"] or any(
            c.dep_ in ("neg", "auxpass", "conj") for c in children
        ):
            continue
        subj = next((c for c in children if c.dep_ == "nsubj"), None)
        objs = [c for c in children if c.dep_ in ("dobj", "obj")]
        if subj is None or not _is_person(subj) or not objs:
            continue
        if objs[0].lower_ in _PERSONAL_OBJECTS or verb.lemma_.lower() == "be":
            continue
        if any(t.text in ("'", '"', "\u2018", "\u2019") for t in objs[0].subtree):
            continue  # the parser hung a quotation on the object: it stays where it is
        if not _overlaps(aux[0].idx, verb.idx + len(verb.text), blame):
            continue
        plan.deleted.update(_subject_span(subj))
        plan.deleted.add(aux[0].i)
        subject = _np_text(objs[0], plan)
        plan.replaced[verb.i] = f"{subject} had been {_participle(verb)}"
        plan.changed = True


# not knowing, not understanding, not noticing: what was unclear, not who missed it
_UNCLEAR = {
    "know": "clear",
    "understand": "clear",
    "realize": "clear",
    "realise": "clear",
    "notice": "noticed",
    "recognize": "recognised",
    "recognise": "recognised",
    "catch": "caught",
    "see": "seen",
}


def _plan_unclear(doc: Doc, cues: Sequence[SentenceCue], plan: _Plan) -> None:
    """ "I didn't know that it was a different strength" -> "it was not clear that it was a
    different strength"; "we didn't notice until we got home that ..." -> "it was not
    noticed until we got home that ..."; "I don't understand why ..." -> "it is not clear
    why ...". Only where what was not known follows as a clause."""
    blame = [c for c in cues if c.type == "person_failure"]
    for verb in doc:
        state = _UNCLEAR.get(verb.lemma_.lower())
        if state is None or verb.i in plan.deleted or verb.i in plan.replaced:
            continue
        children = list(verb.children)
        neg = [c for c in children if c.dep_ == "neg"]
        aux = [c for c in children if c.dep_ == "aux"]
        if len(neg) != 1 or len(aux) != 1 or aux[0].lower_ not in ("did", "do", "does"):
            continue
        # what was not known follows as a clause, or as "how to ..." ("didn't know how to
        # do the blood return" -> "it was not clear how to do the blood return")
        if not any(
            c.i > verb.i
            and (
                c.dep_ == "ccomp"
                or (c.dep_ == "xcomp" and any(g.tag_ in ("WRB", "WP") for g in c.children))
            )
            for c in children
        ):
            continue
        past = aux[0].lower_ == "did"
        if not past and state != "clear":
            continue
        subj = _subject(verb)  # a coordinated verb's is its head's ("... and did not catch")
        if subj is None or not _is_person(subj):
            continue
        if not _overlaps(aux[0].idx, verb.idx + len(verb.text), blame):
            continue
        if subj.head.i == verb.i:
            plan.deleted.update(_subject_span(subj))
        plan.deleted.update([aux[0].i, neg[0].i])
        for child in children:
            if child.dep_ == "advmod" and child.i < verb.i:
                plan.deleted.add(child.i)
        plan.replaced[verb.i] = f"it {'was' if past else 'is'} not {state}"
        plan.changed = True


_MODALS = frozenset({"would", "might", "could"})
_INDEFINITE = frozenset({"a", "an", "another", "any"})
# what a safeguard does: catch, stop, flag
_SAFEGUARD_VERBS = frozenset(
    {"catch", "prevent", "stop", "flag", "detect", "notice", "identify", "avoid", "alert"}
    | {"pick", "find", "intercept", "warn", "prompt"}
)


def _plan_safeguard(doc: Doc, cues: Sequence[SentenceCue], plan: _Plan) -> None:
    """ "A second nurse double check would have caught this" -> "... could catch this": a
    safeguard that was not there, looked at forward rather than backward. Only where the
    subject is a thing or an unnamed role ("a pharmacist on rounds"), never a person."""
    blame = [c for c in cues if c.type == "counterfactual"]
    for verb in doc:
        if verb.tag_ != "VBN" or verb.i in plan.deleted or verb.i in plan.replaced:
            continue
        aux = [c for c in verb.children if c.dep_ == "aux"]
        words = [a.lower_ for a in aux]
        if len(words) != 2 or words[0] not in _MODALS or words[1] not in ("have", "of", "'ve"):
            continue
        if any(c.dep_ in ("neg", "auxpass") for c in verb.children):
            continue
        if verb.lemma_.lower() not in _SAFEGUARD_VERBS:
            continue  # "pt would have been on a quarter of the dose" is an outcome, not a check
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None or (
            _is_person(subj) and not any(c.lower_ in _INDEFINITE for c in subj.children)
        ):
            continue
        if not _overlaps(aux[0].idx, verb.idx + len(verb.text), blame):
            continue
        plan.replaced[aux[0].i] = "could"
        plan.deleted.add(aux[1].i)
        plan.replaced[verb.i] = verb.lemma_.lower()
        plan.changed = True


def _plan_without(doc: Doc, cues: Sequence[SentenceCue], plan: _Plan) -> None:
    """ "gave it without checking the label" -> "gave it with the label not checked".

    Only where a person-failure cue covers the "without VERBing" and the action has an
    object (a thing, not a person) to carry the statement.
    """
    blame = [c for c in cues if c.type == "person_failure"]
    for prep in doc:
        if prep.lower_ != "without" or prep.i in plan.deleted:
            continue
        # the parser takes a bare gerund for the preposition's object ("without reading")
        action = next(
            (c for c in prep.children if c.dep_ in ("pcomp", "pobj") and c.tag_ == "VBG"), None
        )
        if action is None or action.i in plan.deleted or action.lemma_.lower() in _NO_ACTION:
            continue
        if not _overlaps(prep.idx, action.idx + len(action.text), blame):
            continue
        look = _look_at(action)
        objs = [c for c in action.children if c.dep_ in ("dobj", "obj")]
        obj = (
            objs[0]
            if objs
            else next((c for c in look.children if c.dep_ == "pobj"), None)
            if look
            else None
        )
        if obj is None or obj.lower_ in _PERSONAL_OBJECTS | _ANYONE:
            _plan_without_object(prep, action, obj, plan)
            continue
        for child in action.children:
            if child.dep_ == "advmod" and child.lower_ in lexicon().drop_adverbs | _ADVERB_HEDGES:
                plan.deleted.add(child.i)
        subject = _np_text(obj, plan)
        tail = f" {look.text}" if look is not None and not objs else ""
        if look is not None and not objs:
            plan.deleted.add(look.i)
        plan.replaced[prep.i] = f"with {subject} not {_participle(action)}{tail}"
        plan.deleted.add(action.i)
        plan.changed = True


def _plan_without_object(prep: Token, action: Token, obj: Token | None, plan: _Plan) -> None:
    """ "without checking" -> "with no check"; "without telling me or anyone" -> "without
    me or anyone being told". Nothing where the action has other words of its own."""
    doc = action.doc
    others = [
        c
        for c in action.children
        if c.dep_ != "punct"
        and (obj is None or c.i != obj.i)
        and not (obj is None and c.dep_ in ("prep", "prt"))
    ]
    if others:
        return
    if obj is not None:
        phrase = doc[obj.left_edge.i : obj.right_edge.i + 1]
        if phrase.start != action.i + 1:
            return
        plan.replaced[prep.i] = f"without {phrase.text} being {_participle(action)}"
        plan.deleted.update(range(action.i, phrase.end))
    else:
        noun = _nominal(action)
        if not noun.startswith("the ") and action.lower_.endswith("ing"):
            # the lemmatiser can miss a prefixed verb ("rechecking" -> "rechecke")
            noun = lexicon().nominals.get(action.lower_[:-3], noun)
        if not noun.startswith("the ") or noun == "the step":
            return  # "the step", a gerund: "with no" would not read as a noun phrase
        plan.replaced[prep.i] = f"with no {noun[4:]}"
        plan.deleted.add(action.i)
        plan.deleted.update(c.i for c in action.children if c.dep_ == "prt")
    plan.changed = True


def _render(doc: Doc, plan: _Plan) -> str:
    parts: list[str] = []
    for tok in doc:
        if tok.i in plan.inserted:
            parts.append(plan.inserted[tok.i] + " ")
        if tok.i in plan.replaced:
            parts.append(plan.replaced[tok.i] + tok.whitespace_)
        elif tok.i not in plan.deleted:
            parts.append(tok.text_with_ws)
        elif parts and tok.whitespace_ and not parts[-1].endswith((" ", "\n")):
            parts.append(" ")
        if tok.i in plan.after:
            parts.append(" " + plan.after[tok.i] + " ")
    return _tidy("".join(parts))


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,;:.!?])", r"\1", text)
    text = re.sub(r"^[,;:.\s]+|(?<=[,;:])[,;:]+", "", text)
    text = re.sub(r"\b(and|or|but),\s*", r"\1 ", text)
    return re.sub(r"([.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


_ELLIPTICAL_SHOULD = re.compile(
    r"(?:,\s*|\s+)(?:(?:and|but)\s+)?(?:(?:i|he|she|they|we|you)\s+)?"
    r"should(?:\s+have|'ve|\s+of)(?=\s*[.!?]*\s*$)",
    re.IGNORECASE,
)


def rewrite_parsed(
    doc: Doc, cues: Sequence[SentenceCue], style: str = "passive"
) -> tuple[str, bool] | None:
    """(text, negative counterfactual) for a parsed sentence; None where no rule applies.

    ``style``: "passive" ("allergies were not checked ...") or "gerund" ("checking
    allergies did not happen ...").
    """
    plan = _plan_parsed(doc, cues, style)
    _plan_without(doc, cues, plan)
    _plan_hindsight(doc, cues, plan)
    _plan_safeguard(doc, cues, plan)
    _plan_unclear(doc, cues, plan)
    if not plan.changed:
        return None
    # "... and I should have.": the restated clause already says what was not done
    text = _ELLIPTICAL_SHOULD.sub("", _render(doc, plan))
    # a second blame phrase of the sentence ("... contrary to unit policy") is softened too
    return _soft(text), plan.negative_counterfactual


# ---------------------------------------------------------------------------------------
# token-pattern fallback (no parser)

_FALLBACK_RE: re.Pattern[str] | None = None


def _fallback_re() -> re.Pattern[str]:
    global _FALLBACK_RE
    if _FALLBACK_RE is None:
        roles = "|".join(sorted((re.escape(r) for r in lexicon().roles), key=len, reverse=True))
        _FALLBACK_RE = re.compile(
            rf"(?P<agent>(?:\b(?:the|a|an|our|this|that|my|your|his|her)\s+)?"
            # up to two words before the role, never a conjunction ("and the tech should")
            rf"(?:\b(?!(?:and|or|but|then|so)\b)[\w/-]+\s+){{0,2}}?\b(?:{roles})\s+)?"
            r"(?:(?:just|also|then|simply|really)\s+)?"
            r"(?P<fail>failed\s+to|fails\s+to|neglected\s+to|forgot\s+to|"
            r"did\s+not|didn'?t|didnt|did\s+n't|does\s+not|doesn'?t|never|"
            r"should\s+not\s+have|shouldn'?t\s+have|should\s+have|should'?ve|should\s+of)\s+"
            r"(?:(?:even|really|just|actually|properly|adequately)\s+)?"
            r"(?:(?:bother|think|try|remember)\s+to\s+)?"
            r"(?P<verb>(?:double[\s-])?[a-z]+(?:-[a-z]+)?)\b(?P<rest>[^;:]*)",
            re.IGNORECASE,
        )
    return _FALLBACK_RE


_BOUNDARY_RE = re.compile(
    r",|\s(?=(?:because|but|when|while|since|as|which|until|"
    r"and\s+(?:then|the|she|he|i|it|did|didn't|didnt|never|was|were|had|has|gave|got))\b)",
    re.IGNORECASE,
)
_IRREGULAR_BASE: dict[str, str] = {}


def _gerund_of(word: str, past: bool) -> str:
    """The -ing form from a base form, or from a past participle when ``past``."""
    head, sep, last = word.rpartition("-") if "-" in word else word.rpartition(" ")
    if sep:  # "double check" / "double-checked": inflect the last word
        return head.lower() + sep + _gerund_of(last, past)
    low = word.lower()
    if not past:
        return gerund(low)
    if not _IRREGULAR_BASE:
        _IRREGULAR_BASE.update({pp: base for base, pp in lexicon().irregular_verbs.items()})
    if low in _IRREGULAR_BASE:
        return gerund(_IRREGULAR_BASE[low])
    if low.endswith("ied"):
        return low[:-3] + "ying"
    if low.endswith("ed"):
        # "scanned" -> "scanning", "used" -> "using": -ing replaces -ed, doubling kept
        return low[:-2] + "ing"
    return gerund(low)


def rewrite_tokens(sentence: str, cues: Sequence[SentenceCue]) -> tuple[str, bool] | None:
    """The token-pattern fallback: "ROLE did not VERB X, ..." -> "Not done: verbing X, ..."
    at the start of a sentence, "verbing X was not done" after other words."""
    stmt = templates().statements
    blame = [c for c in cues if c.type in ("person_failure", "counterfactual")]
    if not blame:  # every match must overlap one: skip the (slow) scan
        return None
    out, pos, negative_cf, changed = [], 0, False, False
    for m in _fallback_re().finditer(sentence):
        if m.start() < pos or not _overlaps(m.start(), m.end("verb"), blame):
            continue
        fail = re.sub(r"\s+", " ", m.group("fail").lower())
        starts_clause = m.start() == 0 or sentence[: m.start()].rstrip()[-1:] in ",;:("
        if m.group("agent") is None and not starts_clause:
            before = sentence[: m.start()].split()
            # a subject that is not a person ("the MAR does not show") is not blame
            if not before or before[-1].lower() not in ("and", "or", "but", "then"):
                continue
        verb = m.group("verb").lower()
        if verb in lexicon().knowledge_verbs or verb in _NO_ACTION_FORMS | _NOT_VERBS:
            continue
        fail_words = fail.split()
        past = fail.startswith(("should", "shouldn"))
        negative = not (past and ("not" in fail_words or fail.startswith("shouldn")))
        rest = m.group("rest")
        cut = _BOUNDARY_RE.search(rest)
        action, tail = (rest[: cut.start()], rest[cut.start() :]) if cut else (rest, "")
        stripped = action.rstrip(" .!?")
        action, tail = stripped, action[len(stripped) :] + tail
        verb_phrase = stmt["not_happen"] if negative else stmt["went_ahead"]
        negated = bool(re.search(r"not|n't|nt\b|never", fail))
        if negative and negated and not sentence[: m.start()].strip():
            # "did not check X" -> "Not done: checking X": the negation stays before the
            # action, as in the original, so the rule layer reads its words the same way
            # ("failed to check X" has no negation word: "checking X was not done")
            phrase = f"{stmt['not_done_lead']} {_gerund_of(m.group('verb'), past)}{action}"
        else:
            phrase = f"{_gerund_of(m.group('verb'), past)}{action} {verb_phrase}"
        out.append(sentence[pos : m.start()] + phrase + tail)
        pos = m.end()
        negative_cf = negative_cf or not negative
        changed = True
    if not changed:
        return None
    out.append(sentence[pos:])
    return _soft(_tidy("".join(out))), negative_cf


def _soft(text: str) -> str:
    """``text`` with the softeners applied (unchanged where none matches)."""
    softened = soften(text)
    return softened[0] if softened else text


def soften(sentence: str) -> tuple[str, bool] | None:
    """Blame phrases with a fixed neutral wording ("was supposed to" -> "was to")."""
    text, changed = sentence, False
    for _id, pattern, replacement in templates().softeners:
        text, n = pattern.subn(replacement, text)
        changed = changed or n > 0
    return (_tidy(text), False) if changed else None


# ---------------------------------------------------------------------------------------
# evaluative and disciplinary clauses


# disciplinary words that the evidence rules also read as training ("re-education",
# "re-trained", "competency"): the statement then keeps a training word, so that the
# rewrite neither adds nor drops that evidence
_TRAINING_CUE = re.compile(r"education|(?<![a-z])trained|competen|orientation", re.IGNORECASE)
# the topic of a disciplinary step ("re-educated on patient identification"), kept because
# it often carries the factor evidence; it ends where another clause starts
_TOPIC_RE = re.compile(
    r"\s*\b(?:on|about|regarding|re|per|in|for|by)\s+.+?"
    r"(?=\s+(?:and|but|by|with|after|until)\b|[.;:!?]|$)",
    re.IGNORECASE,
)


def _words_of(cue: SentenceCue) -> str:
    """The cue's words as a clause is searched for them: a comma or stop the pattern took
    ("Counseled,") lies outside the clause it ends."""
    return cue.text.lower().strip(" ,;:.!?")


def _judgement_statement(
    cue: SentenceCue, segment: str, others: Sequence[SentenceCue], variant: str = ""
) -> str:
    """The fixed statement for a judged clause, with a disciplinary step's topic kept.

    "Tech re-trained on restock procedure" -> "Follow-up so far has been individual training
    on restock procedure"; "RN counseled per attendance policy" -> "Follow-up so far has
    focused on the individual, per attendance policy".
    """
    shipped = templates().statements
    # a variant wording ("_alt", "_short") where templates.json has one, the plain one otherwise
    stmt = {k: shipped.get(k + variant, v) for k, v in shipped.items()}
    if cue.type != "disciplinary":
        return stmt[cue.type]
    at = segment.lower().find(_words_of(cue))
    end = at + len(_words_of(cue))
    last = re.search(r"\s(on|about|regarding|re|per|in|for|by)$", cue.text, re.IGNORECASE)
    if last is not None:  # the cue took the topic's preposition ("RN counseled on")
        end = at + last.start()
    # the topic follows the cue directly ("counseled on X", not "observed on X")
    topic = _TOPIC_RE.match(segment, end) if at >= 0 else None
    topic_text = topic.group(0).strip() if topic else ""
    after = topic.end() if topic else at + len(_words_of(cue))
    # a further step joined by "and" ("... and med pass competency repeated") is kept
    tail = segment[after:]
    if cue.text.lower().endswith(" and"):  # the cue took the "and" ("Counseled and ...")
        tail = " and " + tail.lstrip()
    more = re.match(r"\s+and\s+(.+?)[.;:!?]*$", tail) if at >= 0 else None
    judged = any(_words_of(c) in tail.lower() for c in others if c is not cue)
    rest = f"; {more.group(1)}" if more and not judged else ""
    if topic_text.lower().startswith("by "):
        # who followed up stays: "Resident counseled by program director" -> "Individual
        # follow-up by program director"
        return f"{stmt['disciplinary_short']} {topic_text}" + rest
    if _TRAINING_CUE.search(cue.text):
        return f"{stmt['disciplinary_training']} {topic_text}".strip() + rest
    base = f"{stmt['disciplinary']}, {topic_text}" if topic_text else stmt["disciplinary"]
    return base + rest


_COMMA_RE = re.compile(r",\s+")


def _split_judged_at_commas(
    text: str, bounds: list[int], judged: Sequence[SentenceCue]
) -> list[int]:
    """Segment bounds with each judged segment also split at its commas.

    "This is suspected diversion, RN removed from schedule pending investigation, reported
    to pharmacy" replaces only the middle piece. A segment is split only where every judged
    cue in it lies inside one piece.
    """
    out = [bounds[0]]
    for k in range(0, len(bounds), 2):
        seg_start, seg_end = bounds[k], bounds[k + 1]
        segment = text[seg_start:seg_end]
        low = segment.lower()
        cuts = [(m.start(), m.end()) for m in _COMMA_RE.finditer(segment)]
        inside = [c for c in judged if _words_of(c) in low]
        if cuts and inside:
            edges = [0] + [x for cut in cuts for x in cut] + [len(segment)]
            pieces = [low[edges[i] : edges[i + 1]] for i in range(0, len(edges), 2)]
            if all(any(_words_of(c) in piece for piece in pieces) for c in inside):
                for a, b in cuts:
                    out.extend([seg_start + a, seg_start + b])
        out.append(seg_end)
        if k + 2 < len(bounds):
            out.append(bounds[k + 2])
    return out


def replace_judgement_clauses(
    text: str, cues: Sequence[SentenceCue], variant: str = ""
) -> tuple[str, bool]:
    """Replace each clause holding an evaluative or disciplinary cue by a fixed statement.

    Returns the text and whether anything was replaced. Clauses are found by punctuation
    and conjunctions, so the sentence's other clauses (and any factor evidence) stay.
    ``variant`` ("_alt", "_short") picks another wording of the statements.
    """
    judged = [c for c in cues if c.type in ("evaluative", "disciplinary")]
    if not judged:
        return text, False
    bounds = [0]
    for m in _SEGMENT_RE.finditer(text):
        bounds.extend([m.start(), m.end()])
    bounds.append(len(text))
    bounds = _split_judged_at_commas(text, bounds, judged)
    pieces: list[str] = []
    replaced = False
    last_kind = ""
    for k in range(0, len(bounds), 2):
        seg_start, seg_end = bounds[k], bounds[k + 1]
        segment = text[seg_start:seg_end]
        low = segment.lower()
        hit = next((c for c in judged if _words_of(c) in low), None)
        if hit is not None:
            kind = hit.type
            if kind != last_kind:  # adjacent judged clauses collapse into one statement
                statement = _judgement_statement(hit, segment, judged, variant)
                if "".join(pieces).strip():
                    # mid-sentence ("Week of 1/15: any judgement ..."): no capital
                    statement = statement[0].lower() + statement[1:]
                pieces.append(statement)
            elif pieces:
                pieces.pop()  # the separator between the collapsed clauses
            last_kind = kind
            replaced = True
        else:
            pieces.append(segment)
            last_kind = ""
        if k + 2 < len(bounds):
            pieces.append(text[seg_end : bounds[k + 2]])
    out = "".join(pieces)
    # a separator left dangling by collapsed clauses
    out = re.sub(r"(\s*(?:;|:|,?\s+(?:but|because|and|so))\s*)+$", "", out, flags=re.IGNORECASE)
    return _tidy(out), replaced


def finish(body: str, clause: str, shouting: bool) -> str:
    """End the rewrite with a question clause (or a full stop where ``clause`` is empty)."""
    body = body.strip().rstrip(".!?;:, ")
    if not clause:
        text = f"{body}."
    else:
        text = f"{body}; {clause}?" if body else f"{clause[0].upper()}{clause[1:]}?"
    text = text[0].upper() + text[1:]
    return text.upper() if shouting else text
