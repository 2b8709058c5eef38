"""What every answerer shares: the request it gets, the Answerer protocol, citations copied
from the passages, the check that every [n] marker has its citation, and the decline.

An answerer turns ranked passages into an Answer. It may write its own sentences (an LLM) or
only quote (the extractive answerer), but citations are always built here, from the passage
text, so a quote is exact and its page is the page it was printed on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from ..lexical import OtherName, tokenize
from ..text import split_sentences
from ..types import Answer, Chunk, Citation, Hit
from ..units import clause_label, passage_units

DECLINE_PREFIX = "The indexed documents do not"
_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class AnswerRequest:
    question: str  # as the user asked it
    hits: tuple[Hit, ...]  # ranked passages, best first
    history: tuple[str, ...] = ()  # earlier questions of the conversation, oldest first
    search_query: str = ""  # the question as retrieval saw it (after follow-up rewriting)
    unknown: float = 0.0  # share of the question's keyword weight the index has never seen
    names: tuple[OtherName, ...] = ()  # the documents' other names for words of the question
    naming: frozenset[str] = frozenset()  # the question's words that name a document ("esr" of "ESRS")

    @property
    def query(self) -> str:
        return self.search_query or self.question


class Answerer(Protocol):
    """Builds an Answer from a request. `name` goes into the answer's "answerer" field."""

    name: str

    def answer(self, request: AnswerRequest) -> Answer: ...


def cite(n: int, chunk: Chunk, start: int, end: int, section: str = "") -> Citation:
    """Citation [n] of chunk.text[start:end]: the exact quote, the page it starts on, and the
    clause (`section` when a finer one than the chunk's is known, e.g. "Article 26(7)")."""
    return Citation(
        n=n,
        chunk_id=chunk.chunk_id,
        doc_id=chunk.doc_id,
        title=chunk.title,
        version=chunk.version,
        source=chunk.source,
        page=chunk.page_at(start),
        section=section or chunk.section,
        heading=chunk.heading,
        quote=chunk.text[start:end],
    )


def check_markers(text: str, citations: Sequence[Citation]) -> tuple[str, list[str]]:
    """The text with every [n] that has no citation removed, and a notice for each removal."""
    known = {c.n for c in citations}
    unknown = sorted({int(n) for n in _MARKER.findall(text)} - known)
    if not unknown:
        return text, []
    cleaned = _keeping_markers(text, known)
    markers = ", ".join(f"[{n}]" for n in unknown)
    return cleaned, [f"Removed the markers {markers}: they pointed to no passage."]


def _keeping_markers(text: str, kept) -> str:
    """`text` without the [n] markers whose n is not in `kept`, and without the gaps they leave."""
    cleaned = _MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in kept else "", text)
    return re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", cleaned))


@dataclass(frozen=True)
class Grounded:
    """A generated text after checking: unknown markers removed, one citation per passage it
    cites (quoted from the passage), and notices for what the user must know."""

    text: str
    citations: tuple[Citation, ...]
    notices: tuple[str, ...]


def claims(text: str) -> list[str]:
    """The sentences and list items of a generated text, each with the markers after it (a
    marker written after the full stop belongs to the sentence before it)."""
    out: list[str] = []
    for line in text.splitlines():
        for sentence in split_sentences(line.strip()):
            lead = re.match(r"(?:\s*\[\d+\])+", sentence)
            if lead and out:
                out[-1] += lead.group(0)
                sentence = sentence[lead.end() :].strip()
            if sentence:
                out.append(sentence)
    return out


def ground(text: str, hits: Sequence[Hit]) -> Grounded:
    """Checking after generation, for any answerer that writes its own sentences: every [n]
    must be a passage it was given (others are removed, and their sentence named in a notice);
    a sentence with no valid marker is named in a notice; each cited passage gets a citation
    quoting its sentence that best supports the claims citing it, copied from the passage,
    never from the generated text."""
    given = range(1, len(hits) + 1)
    notices: list[str] = []
    cited: dict[int, list[str]] = {}
    for claim in claims(text):
        numbers = [int(n) for n in _MARKER.findall(claim)]
        words = _MARKER.sub("", claim).strip()
        bad = [n for n in numbers if n not in given]
        if bad:
            notices.append(f"Removed {', '.join(f'[{n}]' for n in bad)}: no such passage was given (in \u201c{_short(words)}\u201d).")
        good = [n for n in numbers if n in given]
        for n in good:
            cited.setdefault(n, []).append(words)
        if not good and re.search(r"[A-Za-z]{3,}", words) and not words.endswith(":"):
            notices.append(f"Not backed by a cited passage: \u201c{_short(words)}\u201d")
    cleaned = _keeping_markers(text, given).strip()
    citations = tuple(_supporting(n, hits[n - 1].chunk, cited[n]) for n in sorted(cited))
    return Grounded(cleaned, citations, tuple(notices))


def cited_claim(claim: str, passages: int) -> str:
    """A finished sentence of a generated text as it may be shown before the whole text is
    checked: with the markers of passages that were given ("" when it has none)."""
    given = range(1, passages + 1)
    if not any(int(n) in given for n in _MARKER.findall(claim)):
        return ""
    return _keeping_markers(claim, given)


def _supporting(n: int, chunk: Chunk, said: list[str]) -> Citation:
    """Citation [n]: the piece of the passage sharing most words with what was said citing it
    (the passage's first piece on a tie)."""
    wanted = set(tokenize(" ".join(said)))
    best, best_share = None, -1.0
    for unit in passage_units(chunk):
        for piece in unit.pieces:
            tokens = set(tokenize(chunk.text[piece.start : piece.end]))
            share = len(wanted & tokens) / (len(wanted) or 1)
            if share > best_share:
                best, best_share = (piece, unit), share
    if best is None:
        return cite(n, chunk, 0, len(chunk.text))
    piece, unit = best
    return cite(n, chunk, piece.start, piece.end, clause_label(chunk.section, unit.label))


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rsplit(" ", 1)[0] + " ..."


def clause_names(hits: Sequence[Hit], limit: int = 3) -> list[str]:
    """"5.2.3 Supplier risk assessment (page 12)"-style names of the first distinct clauses
    among the hits: the clause id with its title, as its heading gives them."""
    names: list[str] = []
    for hit in hits:
        chunk = hit.chunk
        title = chunk.heading.split(" > ")[-1] if chunk.heading else ""
        label = title if title.startswith(chunk.section) else f"{chunk.section} {title}".strip()
        label = label or chunk.title
        if len(label) > 60:
            label = label[:57].rsplit(" ", 1)[0] + " ..."
        name = f"{label} (page {chunk.page_start})"
        if label and name not in names:
            names.append(name)
        if len(names) >= limit:
            break
    return names


def decline(
    request: AnswerRequest, what: str = "answer this", closest: Sequence[Hit] | None = None, said: str = ""
) -> Answer:
    """The decline: says plainly what the documents do not say and points to the closest
    clauses (`closest`, default the passages in their ranked order), which lead its passages;
    `said` is what the closest passage itself says about the gap (where to look instead). It
    never carries an answer of its own."""
    closest = tuple(request.hits if closest is None else closest)
    names = clause_names(closest)
    closest += tuple(h for h in request.hits if h not in closest)
    text = f"{DECLINE_PREFIX} {what}."
    if said:
        text += f" The closest passage says: \u201c{said}\u201d"
    if names:
        text += (" Closest: " if not said else " See ") + ", ".join(names) + "."
    return Answer(
        question=request.question,
        text=text,
        passages=closest,
        abstained=True,
        search_query=request.query,
    )


def finish(answer: Answer, name: str) -> Answer:
    """Stamp the answerer's name (unless another wrote it: the extractive answer given when a
    model failed) and check the markers (removing unknown ones, with a notice)."""
    text, notices = check_markers(answer.text, answer.citations)
    return replace(answer, text=text, answerer=answer.answerer or name, notices=tuple(answer.notices) + tuple(notices))
