"""Follow-up questions: carry the previous question's key terms into a short or pronoun-led one.

"How often must it be updated?" after "What is the supplier risk assessment in 5.2.3?" is
searched as "How often must it be updated? supplier risk assessment 5.2.3". A question that
names its own subject is left alone. (An LLM rewriter can replace this later.)
"""

from __future__ import annotations

import re

from .lexical import STOPWORDS, tokenize
from .text import clause_refs

_ANAPHORA = re.compile(
    r"\b(it|its|this|that|these|those|they|them|their|there|such|same|above|former|latter|he|she|one)\b"
    r"|^\s*(and|also|what about|how about|and what|what else|why|how so|anything else|more)\b",
    re.I,
)
_GENERIC = frozenset(tokenize("requirement require apply applies happen happens work works do does"))


def is_follow_up(question: str) -> bool:
    """True when the question leans on an earlier one (pronouns, or too few words of its own)."""
    own = [t for t in tokenize(question) if t not in _GENERIC]
    if clause_refs(question) and len(own) >= 2:
        return False
    if len(own) <= 1:
        return True
    return bool(_ANAPHORA.search(question)) and len(own) <= 5


def key_terms(question: str, limit: int = 8) -> str:
    """The content words and clause ids of a question, in their original form."""
    words = re.findall(r"[A-Za-z]{0,2}\d+(?:\.\d+)+|[A-Za-z][A-Za-z'\-]*|\d+", question)
    seen: list[str] = []
    for word in words:
        low = word.lower()
        if low in STOPWORDS or low in {w.lower() for w in seen} or len(low) < 2 and not low.isdigit():
            continue
        if _ANAPHORA.fullmatch(low):
            continue
        seen.append(word)
    return " ".join(seen[:limit])


def rewrite(question: str, history: list[str]) -> str:
    """The query to search for `question`, given earlier search queries (oldest first)."""
    if not history or not is_follow_up(question):
        return question
    previous = key_terms(history[-1])
    return f"{question} {previous}".strip() if previous else question
