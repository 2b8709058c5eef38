"""Follow-up questions without an LLM: carry the previous question's subject into a question
that has none of its own.

"How often must it be updated?" after "What is the supplier risk assessment in 5.2.3?" is
searched as "How often must it be updated? supplier risk assessment 5.2.3". A question that
names its own subject is left alone, also when it refers back to something inside itself ("How
does a JDD assessment work and who carries it out?"), and so is one that says it changes the
topic ("Different question - ..."). A follow-up that asks no kind of thing of its own ("and at
AAL3?") asks what the question it follows asked: a time limit, a date, a count.
(An LLM rewriter can replace this later.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .lexical import STOPWORDS, tokenize
from .questions import Question, analyse, asking_sentences
from .text import clause_refs

# words that point back to something said before
_POINTERS = re.compile(r"\b(it|its|this|that|these|those|they|them|their|theirs|such|same|former|latter|he|she|him|her)\b", re.I)
# openings that continue the conversation: "and for traders?", "what about ...", "ok and ..."
_CONTINUES = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|right|thanks|great)[\s,.!-]+)?(and|also|what about|how about|what if|then|but|plus|same for|and what)\b",
    re.I,
)
# openings that start a new topic
_NEW_TOPIC = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|so|thanks)[\s,.!-]+)?(?:a |one |)(different|new|another|other|unrelated|separate)\s+"
    r"(question|topic|thing|subject|matter)\b|^\s*(on another note|changing (?:the )?(?:topic|subject)|unrelated)\b",
    re.I,
)
# words that carry no subject of their own
_GENERIC = frozenset(
    tokenize(
        "requirement requirements require apply applies happen happens work works do does need needs thing things ok okay "
        "instead second seconds minute minutes hour hours day days week weeks month months year years time times number "
        "amount percent percentage long often soon"
    )
)


def own_words(question: str) -> list[str]:
    """The question's content words (keyword tokens that name something)."""
    return [t for t in tokenize(question) if t not in _GENERIC]


def is_follow_up(question: str) -> bool:
    """True when the question leans on an earlier one: it opens by continuing ("and for
    traders?"), has almost no words of its own ("and at AAL3?"), or points back ("how often must
    it be updated?") before naming anything itself. False when it says the topic changes."""
    if _NEW_TOPIC.search(question):
        return False
    if clause_refs(question):
        return False  # it names its clause ("and 5.2.4?", "what does 5.2.3 say about it?")
    own = own_words(question)
    if len(own) <= 1:
        return True
    if _CONTINUES.match(question) and (len(own) <= 4 or _POINTERS.search(question)):
        return True
    pointer = _POINTERS.search(question)
    if not pointer:
        return False
    before = [t for t in tokenize(question[: pointer.start()]) if t not in _GENERIC]
    return not before


# a follow-up putting something in the earlier subject's place: "and for traders?", "what about
# AAL3?", "ok and if it's the fingerprint reader instead?"
_REPLACES = re.compile(r"^\s*(?:(?:ok(?:ay)?|so|right|thanks|great)[\s,.!-]+)?(?:and\s+)?(?:what about|how about|for|at|if|same for)\b", re.I)
_INSTEAD = re.compile(r"\binstead\b|\brather than\b", re.I)


def replaces_subject(question: str) -> bool:
    """Whether a follow-up names something of its own in place of the earlier subject ("and
    for traders?" after "does the standard apply to smelters?"): then the earlier subject's words
    must not outweigh its own. Not when it points back to it ("and at level 2, is there anything
    stricter on top of that?" adds to the earlier subject), unless it says "instead"."""
    if not is_follow_up(question) or not own_words(question):
        return False
    return bool(_INSTEAD.search(question)) or bool(_REPLACES.search(question)) and not _POINTERS.search(question)


def key_terms(question: str, limit: int = 8) -> str:
    """The content words and clause ids of a question, in their original form."""
    words = re.findall(r"[A-Za-z]{0,2}\d+(?:\.\d+)+|[A-Za-z][A-Za-z'\-]*|\d+", question)
    seen: list[str] = []
    for word in words:
        low = word.lower()
        if low in STOPWORDS or low in {w.lower() for w in seen} or len(low) < 2 and not low.isdigit():
            continue
        if _POINTERS.fullmatch(low) or set(tokenize(low)) <= _GENERIC:
            continue
        seen.append(word)
    return " ".join(seen[:limit])


def subject(history: Sequence[str]) -> str:
    """What the conversation is about after `history` (earlier questions, oldest first): the key
    terms of the last question that named its own subject. A follow-up keeps the subject it
    leaned on ("What is the JDD?", "and when did it start?": still the JDD, not "start")."""
    current = ""
    for question in history:
        if not (current and is_follow_up(question)):
            # the documents it names ("ESRS"), then what it asks before the scene it sets ("We're a
            # vendor; our model refused loans in one country. How soon must we report it?": reporting,
            # then the scene, as room allows)
            asking = " ".join(asking_sentences(question))
            if asking and asking.strip() != question.strip():
                names = " ".join(re.findall(r"\b[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*\b", question))
                current = key_terms(f"{names} {asking} {question}")
            else:
                current = key_terms(question)
    return current


def rewrite(question: str, history: Sequence[str]) -> str:
    """The query to search for `question`, given the earlier questions (oldest first)."""
    if not history or not is_follow_up(question):
        return question
    carried = subject(history)
    return f"{question} {carried}".strip() if carried else question


# kinds a follow-up does not take over: its own subject is the term or clause now asked about
_OWN_SUBJECT_KINDS = frozenset({"definition", "clause", "open"})


def asked(question: str, history: Sequence[str]) -> Question:
    """What `question` asks, read in its conversation (`history`: the earlier questions, oldest
    first): a follow-up of no kind of its own takes the kind of the question it follows ("and at
    AAL3?" after "how long can a session last at AAL2?" asks for a time limit too)."""
    own = analyse(question)
    if own.kind != "open" or own.parts or not history or not is_follow_up(question):
        return own
    earlier = asked(history[-1], history[:-1])
    if earlier.kind in _OWN_SUBJECT_KINDS:
        return own
    return replace(own, kind=earlier.kind, unit=earlier.unit, bound=earlier.bound)
