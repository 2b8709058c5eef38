"""Extractive answers: pick the sentences of the top passages that answer the question, quote
them exactly with [n] markers, and decline when the evidence is weak. No LLM is needed.

A sentence's score combines the IDF-weighted share of the question's words found in it and in
its passage's heading path, the passage's dense similarity, and (for a shortlist) the sentence's
own embedding similarity to the question. The answer leads with the best sentence and keeps
close runners-up (mostly from the same passage); a sentence that introduces a list brings the
list. It declines when the evidence score is below `abstain_threshold` (calibrated on the dev
set, see evals/README.md), when a question asking for a kind of fact (a cost, a duration, a
date, a count) finds no sentence holding one, or when the best sentence is the document saying
it does not know.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .chunking import split_sentences, table_row
from .lexical import tokenize
from .retrieval import clause_match, clause_refs
from .settings import Settings
from .types import Answer, Citation, Hit

TermWeights = Callable[[list[str]], dict[str, float]]
ABSTAIN_TEXT = "The indexed documents do not cover this."
_URL = re.compile(r"https?://\S+")
# sentences in which a document says that it does not know or cover something
_GAP = re.compile(
    r"\b(could not (?:be )?(?:confirm|verif|retriev|find)\w*|(?:was|were|is|are) not (?:retrieved|seen|confirmed|verified|known)"
    r"|not (?:covered|addressed|specified) (?:by|in) this|does not (?:say|state|specify|cover)|no (?:information|source) (?:on|about|confirming))",
    re.I,
)
_NUMBER_WORDS = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|forty|fifty|sixty|ninety|hundred"
_UNITS = r"(?:working |calendar |business )?(?:days?|weeks?|months?|years?|hours?|minutes?)"
# What kind of fact a question asks for, and how such a fact looks in a sentence. A question of
# a known kind is only answered from sentences that hold such a fact ("how much does it cost?"
# is not answered by a sentence about audits that names no fee or price).
ANSWER_TYPES: dict[str, tuple[re.Pattern, re.Pattern]] = {
    "money": (
        re.compile(r"\b(cost|costs|price|prices|fee|fees|charge|charged|expensive|cheap)\b", re.I),
        re.compile(r"[$\u20ac\u00a3\u00a5]|\b(usd|eur|gbp|dollars?|euros?|pounds|fees?|costs?|prices?|charges?|paid|pays?|payments?)\b", re.I),
    ),
    "duration": (
        re.compile(r"\bhow (long|soon|often|quickly|fast|frequently|many (days|weeks|months|years|hours))\b|\bby when\b|\bdeadline\b", re.I),
        re.compile(
            rf"\b(\d+|{_NUMBER_WORDS})[\s-]+{_UNITS}\b|\b(annual(ly)?|yearly|monthly|weekly|daily|quarterly|each year|every year|"
            r"once a year|twice a year|immediately|promptly|without delay|at any time|before|after|until|deadline|regularly|periodic(ally)?)\b",
            re.I,
        ),
    ),
    "date": (
        re.compile(
            r"^\s*(when\s+(is|was|were|are|did|does|do|will|would|must|should|can|could|has|have|had)\b|in what year|what year|"
            r"which year)|\bwhat date\b|\bsince when\b",
            re.I,
        ),
        re.compile(
            rf"\b(1[89]|20)\d{{2}}\b|\b(january|february|march|april|may|june|july|august|september|october|november|december)\b|"
            rf"\b(\d+|{_NUMBER_WORDS})\s+{_UNITS}\b|\b(within|before|after|until|by the end|annual(ly)?|each year|every year)\b",
            re.I,
        ),
    ),
    "count": (
        re.compile(r"\bhow many\b|\bwhat (percentage|share|proportion|number)\b|\bhow much\b(?!.*\b(cost|price|fee|pay))", re.I),
        re.compile(rf"\d|%|\b({_NUMBER_WORDS}|single|both|all|none|dozen|half|majority)\b", re.I),
    ),
}


def answer_type(question: str) -> str | None:
    """The kind of fact the question asks for ("money", "duration", "date", "count") or None."""
    for kind, (asks, _) in ANSWER_TYPES.items():
        if asks.search(question):
            return kind
    return None


_LIST_ITEM = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u25e6\u2013*\-]|\(?[a-z]\)|\(?[ivx]{1,4}\)|\(?\d{1,2}[.)])\s+")
_REQUIREMENT = re.compile(r"\b(shall|must|required|requires|is expected to|are expected to|need to|needs to)\b", re.I)


@dataclass
class _Sentence:
    hit_index: int
    start: int
    end: int
    text: str
    score: float = 0.0
    order: int = 0  # index of the sentence within its passage
    dense: float = 0.0  # cosine similarity to the question (shortlisted sentences only)


def passage_sentences(text: str, heading: str) -> list[tuple[int, int]]:
    """(start, end) offsets of quotable units in a passage: sentences, list items, whole tables.

    The heading line at the top of a passage is not quotable on its own.
    """
    spans: list[tuple[int, int]] = []
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    last_label = heading.split(" > ")[-1] if heading else ""
    i = 0
    while i < len(lines):
        at, line = lines[i]
        if not line.strip() or (i == 0 and last_label and line.strip() == last_label):
            i += 1
            continue
        # a run of three or more short unpunctuated lines is a table: quote it whole
        j = i
        while j < len(lines) and table_row(lines[j][1]):
            j += 1
        if j - i >= 3:
            end_at, end_line = lines[j - 1]
            spans.append((at, end_at + len(end_line)))
            i = j
            continue
        cursor = 0
        for sentence in split_sentences(line):
            begin = line.find(sentence, cursor)
            cursor = begin + len(sentence)
            spans.append((at + begin, at + cursor))
        i += 1
    return spans


class ExtractiveAnswerer:
    """Builds an Answer from ranked passages without generating any text of its own."""

    def __init__(self, settings: Settings, term_weights: TermWeights, embedder=None):
        self.settings = settings
        self.term_weights = term_weights
        self.embedder = embedder  # optional: sentence similarity sharpens the choice

    def evidence(self, hits: list[Hit], best_sentence_dense: float, unknown: float = 0.0) -> float:
        """How strongly the passages support an answer (about 0..1); compared with
        abstain_threshold. `unknown` is the share of the question's keyword weight that the
        index has never seen ("which lab tests cobalt purity?")."""
        if not hits:
            return 0.0
        top = hits[:3]
        dense = max(h.dense for h in top)
        coverage = max(h.lexical for h in top)
        return 0.35 * dense + 0.35 * coverage + 0.30 * best_sentence_dense - 0.35 * unknown

    def answer(
        self, question: str, hits: list[Hit], *, search_query: str | None = None, unknown: float = 0.0
    ) -> Answer:
        query = search_query or question
        refs = clause_refs(query)
        named = {i for i, h in enumerate(hits) if any(clause_match(h.chunk, r) == 2 for r in refs)}
        every = self._sentences(hits)
        candidates = self._score(query, hits, every, named)
        if named:  # the question names a clause: answer from that clause only
            candidates = [c for c in candidates if c.hit_index in named]
        if not candidates:
            return self._decline(question, query, hits)
        best_dense = max(s.dense for s in candidates)
        if not named and self.evidence(hits, best_dense, unknown) < self.settings.abstain_threshold:
            return self._decline(question, query, hits)

        candidates.sort(key=lambda s: -s.score)
        kind = None if named else answer_type(question)
        if kind:
            looks = ANSWER_TYPES[kind][1]
            typed = [c for c in candidates[:6] if looks.search(c.text)]
            if not typed:
                return self._decline(question, query, hits)
            candidates.remove(typed[0])
            candidates.insert(0, typed[0])  # the answer leads with a sentence that holds such a fact
        best = candidates[0]
        if _GAP.search(best.text):
            # the documents themselves say they do not know: decline, and show where they say so
            gap = self._compose(question, query, hits, [best])
            return replace(gap, text=f"{ABSTAIN_TEXT} {gap.text}", abstained=True)
        chosen: list[_Sentence] = []
        for sentence in candidates:
            if len(chosen) >= self.settings.answer_max_sentences:
                break
            same_passage = sentence.hit_index == best.hit_index
            ratio = self.settings.answer_keep_same if same_passage else self.settings.answer_keep_other
            if sentence.score < ratio * best.score:
                continue
            if len({s.hit_index for s in chosen} | {sentence.hit_index}) > 2:
                continue
            chosen.append(sentence)
        return self._compose(question, query, hits, self._with_lists(chosen, every))

    @staticmethod
    def _with_lists(chosen: list[_Sentence], every: dict[int, list[_Sentence]]) -> list[_Sentence]:
        """A chosen sentence that introduces a list ("...as follows:") brings its items along."""
        out = list(chosen)
        keys = {(s.hit_index, s.order) for s in chosen}
        for sentence in chosen:
            if not sentence.text.rstrip().endswith(":"):
                continue
            for item in every[sentence.hit_index][sentence.order + 1 : sentence.order + 9]:
                if not _LIST_ITEM.match(item.text):
                    break
                if (item.hit_index, item.order) not in keys:
                    keys.add((item.hit_index, item.order))
                    out.append(item)
        return out

    def _decline(self, question: str, query: str, hits: list[Hit]) -> Answer:
        return Answer(question=question, text=ABSTAIN_TEXT, passages=tuple(hits), abstained=True, search_query=query)

    @staticmethod
    def _sentences(hits: list[Hit]) -> dict[int, list[_Sentence]]:
        """Every quotable sentence of each passage, in reading order."""
        return {
            index: [
                _Sentence(index, start, end, hit.chunk.text[start:end], order=order)
                for order, (start, end) in enumerate(passage_sentences(hit.chunk.text, hit.chunk.heading))
            ]
            for index, hit in enumerate(hits)
        }

    def _score(
        self, query: str, hits: list[Hit], every: dict[int, list[_Sentence]], named: set[int]
    ) -> list[_Sentence]:
        """Sentences worth quoting, scored against the question (higher is better).

        A cheap keyword score picks a shortlist; shortlisted sentences are then compared with
        the question by embedding, which dominates the final score."""
        weights = self.term_weights(tokenize(query))
        total = sum(weights.values()) or 1.0
        candidates: list[_Sentence] = []
        for index, hit in enumerate(hits):
            heading_tokens = set(tokenize(hit.chunk.heading))
            heading_share = sum(w for t, w in weights.items() if t in heading_tokens) / total
            for sentence in every[index]:
                tokens = set(tokenize(sentence.text))
                share = sum(w for t, w in weights.items() if t in tokens) / total
                score = 0.30 * share + 0.10 * heading_share + 0.25 * hit.dense + 0.05 / (1 + index)
                if _REQUIREMENT.search(sentence.text):
                    score += 0.02
                if len(sentence.text) < 25:
                    score -= 0.1
                if sum(len(u) for u in _URL.findall(sentence.text)) > 0.3 * len(sentence.text):
                    score -= 0.3  # a list of references, not an answer
                if index in named:
                    score += 0.3 - 0.02 * sentence.order  # "what does 5.2.3 say": read the clause in order
                sentence.score = score
                candidates.append(sentence)
        if self.embedder is not None and candidates:
            shortlist = sorted(candidates, key=lambda s: -s.score)[: self.settings.answer_shortlist]
            vectors = self.embedder.encode_cached([s.text for s in shortlist], max_tokens=self.settings.answer_sentence_tokens)
            sims = vectors @ self.embedder.encode_query(query)
            for sentence, sim in zip(shortlist, sims):
                sentence.dense = max(float(sim), 0.0)
                sentence.score += 0.45 * sentence.dense
            candidates = shortlist
        return candidates

    def _compose(self, question: str, query: str, hits: list[Hit], chosen: list[_Sentence]) -> Answer:
        """Answer text in which every sentence carries its [n]; one citation per run of sentences."""
        citations: list[Citation] = []
        paragraphs: list[str] = []
        for hit_index in dict.fromkeys(s.hit_index for s in chosen):
            chunk = hits[hit_index].chunk
            mine = sorted((s for s in chosen if s.hit_index == hit_index), key=lambda s: s.order)
            runs: list[list[_Sentence]] = []
            for sentence in mine:
                if runs and sentence.order == runs[-1][-1].order + 1:
                    runs[-1].append(sentence)
                else:
                    runs.append([sentence])
            parts = []
            for run in runs:
                n = len(citations) + 1
                start, end = run[0].start, run[-1].end
                citations.append(
                    Citation(
                        n=n,
                        chunk_id=chunk.chunk_id,
                        doc_id=chunk.doc_id,
                        title=chunk.title,
                        version=chunk.version,
                        source=chunk.source,
                        page=chunk.page_at(start),
                        section=chunk.section,
                        heading=chunk.heading,
                        quote=chunk.text[start:end],
                    )
                )
                parts.extend(f"{' '.join(s.text.split())} [{n}]" for s in run)
            paragraphs.append(" ".join(parts))
        return Answer(
            question=question,
            text="\n\n".join(paragraphs),
            citations=tuple(citations),
            passages=tuple(hits),
            abstained=False,
            search_query=query,
        )
