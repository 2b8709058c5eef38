"""Word-level text handling shared by BM25, answer selection and abstention.

One tokenizer for everything keyword-based: lower case, English stop words dropped, Snowball
stems, and clause ids ("5.2.3", "v6.2.1") kept whole so they can be matched exactly.
"""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not of off on once only or other our ours ourselves out over own same she should
    so some such than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves us may might must shall within whether per via upon onto etc e g ie eg s
    tell say says said mean means explain describe give please know want need let lets get gets one
    many much now currently exactly actually really thing things something anything someone don isn
    doesn aren won t ll ve re d m vs like""".split()
)

_TOKEN = re.compile(r"[a-z]{0,2}\d+(?:\.\d+)+[a-z]?|[a-z0-9]+(?:'[a-z]+)?")
_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Stemmed keyword tokens of `text` (clause ids kept whole)."""
    tokens = []
    for raw in _TOKEN.findall(text.lower().replace("\u2019", "'")):
        raw = raw.split("'")[0] if "'" in raw else raw
        if not keep_stopwords and raw in STOPWORDS:
            continue
        if "." in raw or raw.isdigit():
            tokens.append(raw)
        elif len(raw) > 1:
            tokens.append(_stem(raw))
    return tokens
