"""Extractive answers: quote the evidence units of the top passages that answer the question,
with [n] markers, and decline when none does. No LLM is needed.

How a unit is chosen:
- every sentence (or list item, or table row) is scored against the question: the IDF-weighted
  share of the question's words it holds, the question's words in its heading path, its
  passage's similarity, and (for a shortlist) its own embedding similarity to the question;
- a sentence that mostly repeats the question's own words is an echo and loses score;
- a unit scores as its best sentence, plus a bonus when it holds the kind of fact asked for (a
  number with its unit for "how long / how many", a date for "when", an actor for "who"), or
  when it is the definition entry of the term a definition question asks about;
- title pages, disclaimers and version notes are not answers unless asked about.

The answer leads with the best unit, adds the best unit of each further part of a multi-part
question, then a short list of other units close to it (each with its clause id and level),
leaving out near-duplicates. A short unit is quoted whole; a long one by its relevant
sentences plus what they need: the items of a list they introduce, the sentence before one
that starts "This ...", the exception that follows them.

It declines, pointing to the closest clauses, when the evidence is weak, when the question asks
for a kind of fact (a number, a duration, a date, a cost) that no relevant unit holds, when the
best unit shares too little of the question, or when the best sentence is the document saying
it does not know.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from ..conversation import asked
from ..lexical import STOPWORDS, OtherName, credited, matched, tokenize
from ..questions import ROW_TITLE_WORDS, Question, applies_at, asker_counts, asker_roles, role_key, asks_own_duty, asks_row_count, asks_row_list, counts_same, asked_class, asked_items, asked_holder, asked_levels, asks_web_address, asks_added, asking_sentences, asks_comparison, asks_contents, asks_obligation, asks_text_scope, level_verdict, set_aside, stated_numbers, states
from ..settings import Settings
from ..text import (
    ClauseRef,
    authority_bound,
    bound_role,
    clause_match,
    clause_refs,
    defines,
    links_only,
    lists_elsewhere,
    plain_id,
    pointer_only,
    requirement_text,
    scope_section,
    section_title,
    states_scope,
    states_version,
    term_key,
    term_keys,
    url_chars,
    writes_web_address,
    versions_named,
)
from ..types import Answer, Citation, Hit
from ..units import Piece, Unit, clause_label, mentions, passage_units
from .base import AnswerRequest, cite, decline

Weigh = Callable[[str], dict[str, float]]  # question text -> IDF weight of each of its keyword tokens

_ASKS_LINK = re.compile(
    r"\b(links?|url|urls|website|web ?site|web page|webpage|online|download|sources?|"
    r"where (?:can|do|should|would|could) (?:i|we|they|you) (?:go|find|get|read|file|submit|send|lodge|apply|register))\b",
    re.I,
)


# sentences in which a document says that it does not know or cover something
_GAP = re.compile(
    r"\b(could not (?:be )?(?:confirm|verif|retriev|find|read)\w*|(?:was|were|is|are) not (?:retrieved|seen|confirmed|verified|known)"
    r"|not (?:covered|addressed|specified) (?:by|in) this|does not (?:say|state|specify|cover)|no (?:information|source) (?:on|about|confirming)"
    r"|(?:is|are|remains?)\s+(?:\w+\s+)?unconfirmed)",
    re.I,
)
# a sentence that states what is required, forbidden, recommended or allowed
_NORMATIVE = re.compile(
    r"\b(shall|must|required|requires|is expected to|are expected to|need to|needs to|should|may not|prohibited|permitted)\b"
    r"|\b(SHALL|MUST|SHOULD|MAY)\b"
)
# words that settle a yes/no question
_SETTLES = re.compile(
    r"\b(not|no|never|only|may|must|shall|prohibited|permitted|allowed|required|forbidden|exempt|except|unless)\b", re.I
)
# a rule that frees someone of a duty ("SME operators shall not be required to exercise due diligence ...")
_EXEMPTS = re.compile(
    r"\b(?:shall|is|are|will) not be (?:required|obliged)\b|\bneed not\b|\b(?:shall|does) not apply\b|\bexempt(?:ed|ion)?\b",
    re.I,
)
# a question part that leans on the words before it for its subject ("Is hiding that L1 or L2?")
_REFERS_BACK = re.compile(r"\b(that|this|it|they|them|those|these|there|such)\b", re.I)
# a sentence that continues the one before it and makes no sense alone
_LEANS_BACK = re.compile(
    r"^(this|these|that|those|such|it|they|the same|in (?:this|that|such|either) (?:a )?cases?"
    # "Once that limit has been reached, ...", "For this reason, ...", "By that date, ...": not "In this Regulation, ..."
    r"|(?:once|after|before|for|under|at|by|until|within|with|during|from|to|in) (?:this|that|these|those|such)\b"
    r"(?!\s+(?:regulation|directive|article|standard|code|document|guide|guidance|section|chapter|annex|part|paragraph|appendix|act)s?\b))\b",
    re.I,
)
# a person's name: two capitalised words, maybe with an initial ("Jane Smith", "Michele A. Brulhart"),
# not a phrase opening with an article, a preposition or a month, nor one naming a body or a text
_PERSON = re.compile(
    r"\b(?!(?:The|A|An|This|That|Each|Any|Every|Its|Their|Our|In|On|At|By|For|Of|From|Member|European|National|Union|"
    r"International|January|February|March|April|May|June|July|August|September|October|November|December)\b)[A-Z][a-z]+"
    r"(?:\s+[A-Z]\.)?\s+(?!(?:Institute|Association|Council|Board|Commission|Committee|Group|Mark|Initiative|Union|"
    r"Parliament|Authority|Agency|Office|State|States|Regulation|Standard|Guidance|Act|Article|Annex|Section)\b)[A-Z][a-z]+\b"
)
# a sentence naming what a list before it holds: "... linked to any of these serious abuses"
_POINTS_BACK = re.compile(r"\b(?:these|those|the above|the listed)\s+((?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*)", re.I)
# a sentence building on another paragraph of its own article ("the assessment referred to in
# paragraph 1"; not "paragraph 1 of Article 6", another article's), or a paragraph that qualifies it
# ("Subject to paragraph 3 of this Article, ... shall apply from 30 December 2024": paragraph 3 is the exception)
_REFERS_TO_PARAGRAPH = re.compile(
    r"\b(?:(?:referred to|mentioned|set out|laid down|provided for)\s+in\s+paragraph\s+(?=\d+\b(?!\s*(?:\(\w+\)\s*)?of\b))"
    r"|(?:subject to|except as provided (?:for )?in|by way of derogation from)\s+paragraph\s+"
    r"(?=\d+\b(?!\s*(?:\(\w+\)\s*)?of\b(?!\s+this\b))))(\d+)\b",
    re.I,
)
# a sentence that limits the one before it
_EXCEPTION = re.compile(
    r"^(however|but|unless|except|notwithstanding|by way of derogation|this (?:shall|does) not apply|the first subparagraph shall not)\b"
    r"|\b(unless|except (?:where|when|if|for)|provided that|does not apply|shall not apply|with the exception of)\b",
    re.I,
)
# who: organisations and roles
_ACTOR = re.compile(
    r"\b(?:[A-Z][a-z]+ )*(?:Association|Institute|Initiative|Council|Committee|Board|Agency|Authority|Commission|Company|Group|"
    r"Organi[sz]ation|Exchange|Parliament|Ministry|Office|Secretariat|Bank)\b|"
    r"\b(officer|manager|management|board|committee|director|chief|executive|assessor|auditor|verifier|controller|processor|"
    r"authority|authorities|body|bodies|operator|operators|producer|importer|distributor|manufacturer|provider|subscriber|"
    r"claimant|applicant|owner|owners|co-owners?|partner|partners|member states?|commission|person|team|staff|supplier)\b",
)
# who: the members of a body ("who sits on the Board?") and a sentence that names them
_ASKS_MEMBERS = re.compile(r"\b(sits?|sitting|serves?|serving) on\b|\bmembers? of\b|\bwho (?:is|are) (?:on|in)\b|\bmade up of\b|\bcompos(?:ed|ition)\b|\bconsists?\b", re.I)
# a list introduced as what something contains: "... that contains at least the following information:"
_STATES_CONTENTS = re.compile(
    r"\b(includ(?:e|es|ing)|contain(?:s|ing)?|compris(?:e|es|ing)|consist(?:s|ing)? of|the following (?:information|elements|details|particulars|data|content))\b"
    r"|\bat (?:least|a minimum)\s*:\s*$",
    re.I,
)
_STATES_MEMBERS = re.compile(
    r"\b(composed of|consists? of|consisting of|made up of|comprises?|comprising|members? (?:shall|are|is) |membership|"
    r"participate in (?:the )?(?:activities|meetings|work)|attend (?:the |its )?meetings|without (?:a )?voting rights?|observers?)\b",
    re.I,
)
_FRONT_MATTER = re.compile(
    r"\b(disclaimers?|copyright|licen[cs]e|acknowledg\w*|revision history|change ?log|document history|"
    r"about (?:this|the) (?:guide|document|standard)|how to (?:use|read) this|legal notice|imprint|sponsors?)\b",
    re.I,
)
# a document opening with its version note: a title page, whatever follows it
_VERSION_NOTE = re.compile(r"\s*(?:version|edition|revision|rev\.)\s*:?\s*v?\d", re.I)
# a legal act's title opening its text, perhaps after the journal's number and date: "REGULATION (EU)
# 2023/1115 OF ...", "2023/2772 22.12.2023 Commission Delegated Regulation (EU) 2023/2772 of ..."
_ACT_TITLE = re.compile(
    r"\s*(?:[\d/.]+\s+){0,2}(?:(?:commission|council)\s+(?:delegated\s+|implementing\s+)?)?(?:regulation|directive|decision)\s+\(",
    re.I,
)
_BACK_MATTER = re.compile(r"\b(references|bibliography|works cited|further reading|endnotes|normative references)\b", re.I)
_ASKS_FRONT = re.compile(
    r"\b(version|edition|revision|disclaimer|copyright|licen[cs]e|author|authors|acknowledg\w*|published|publisher|who wrote|"
    r"this guide|unofficial|quote|cite|citing|"
    # whom or what the text itself is for: its "About the standard" section says
    r"aimed at|intended for|meant for|written for|(?:intended |target )?audience|"
    r"purpose of (?:this|the) (?:standard|document|guide|code))\b",
    re.I,
)
_KIND_DECLINES = {
    "money": "give a cost or fee for this",
    "size": "give that number",
    "quantity": "give that number",
    "duration": "give a time limit for this",
    "frequency": "say how often",
    "date": "give a date for this",
    "start": "say from when this applies",
}


@dataclass
class _Piece:
    hit: int
    unit: int  # index of the unit within its passage
    piece: Piece
    text: str
    score: float = 0.0
    words: float = 0.0  # IDF-weighted share of the question's words it holds
    dense: float = 0.0  # embedding similarity to the question (shortlisted pieces only)
    closest: float = 0.0  # for evidence: the same, or its similarity to the whole message if higher
    part_scores: list[float] = field(default_factory=list)


@dataclass
class _Unit:
    hit: int
    index: int
    unit: Unit
    pieces: list[_Piece]
    score: float = 0.0
    typed: bool = False  # holds the kind of fact a typed question asks for
    top: int = 0  # the piece the unit's score comes from
    part_scores: list[float] = field(default_factory=list)
    facts: list[list[int]] = field(default_factory=list)  # per part of the question: its pieces stating the fact asked

    @property
    def best(self) -> _Piece:
        return self.pieces[self.top]

    @cached_property
    def role(self) -> str:
        """The role its rule opens by binding, as a role key ("import" for "6. Importers shall
        keep ..."), or ""."""
        return role_key(bound_role(self.pieces[0].text))

    @property
    def text(self) -> str:
        """The unit's pieces, joined by spaces."""
        return " ".join(p.text for p in self.pieces)


def _intro(pieces: list[_Piece], k: int) -> int | None:
    """The sentence introducing the list that item `k` belongs to: the nearest sentence before
    it (None for a sentence, or an item with no sentence before its list)."""
    if pieces[k].piece.kind != "item":
        return None
    j = k - 1
    while j >= 0 and pieces[j].piece.kind == "item":
        j -= 1
    return j if j >= 0 else None


def _read_with(pieces: list[_Piece], k: int) -> int | None:
    """The piece that piece `k` is read with when it is scored: the sentence introducing an item's
    list, or the sentence before one that continues it ("... between national customs systems
    and the information system. This electronic interface shall be in place by 30 June 2028.")."""
    if pieces[k].piece.kind == "item":
        return _intro(pieces, k)
    return k - 1 if k > 0 and _LEANS_BACK.match(pieces[k].text) else None


def _introduces(pieces: list[_Piece], i: int) -> bool:
    """Whether sentence `i` introduces the list that follows it ("... shall apply from:")."""
    return i + 1 < len(pieces) and pieces[i].piece.kind == "sentence" and pieces[i + 1].piece.kind == "item" and pieces[i].text.rstrip().endswith(":")


def _items_after(pieces: list[_Piece], i: int) -> list[int]:
    """The items of the list that follows piece `i`."""
    out = []
    for k in range(i + 1, len(pieces)):
        if pieces[k].piece.kind != "item":
            break
        out.append(k)
    return out


def _items(unit: _Unit) -> int:
    """How many list items a unit holds."""
    return sum(p.piece.kind == "item" for p in unit.pieces)


class ExtractiveAnswerer:
    """Builds an Answer from ranked passages by quoting them: apart from a count of requirement rows,
    a requirement's level and the labels around quotes, it writes no text of its own."""

    name = "extractive"

    def __init__(self, settings: Settings, weigh: Weigh, embedder=None):
        self.settings = settings
        self.weigh = weigh
        self.embedder = embedder  # optional: sentence similarity sharpens the choice

    # ------------------------------------------------------------ entry point

    def answer(self, request: AnswerRequest) -> Answer:
        hits = list(request.hits)
        if not hits:
            return decline(request, "cover this", closest=())
        question = asked(request.question, request.history)
        refs = clause_refs(request.query)
        named = [i for i, h in enumerate(hits) if any(clause_match(h.chunk.section, h.chunk.heading, r) == 2 for r in refs)]
        named = named or [i for i, h in enumerate(hits) if any(clause_match(h.chunk.section, h.chunk.heading, r, h.chunk.text) == 2 for r in refs)]
        units = self._units(hits)
        counted = self._counted_rows(request, hits, units) if asks_row_count(request.question) else None
        if counted is not None:  # "how many controls are there in V2?": the rows of its table say
            return counted
        listed = self._listed_rows(request, hits, units) if asks_row_list(request.question) else None
        if listed is not None:  # "list the logging requirements": the rows of its tables, as a checklist
            return listed
        mine = [u for u in units if u.hit in named]
        # "list the serious abuses in Annex II" when the clause named holds no list: the parts under it that do
        listing = question.kind == "list" and not any(_items(u) >= 2 or u.unit.kind in ("requirement", "table") for u in mine)
        if named and (question.kind == "clause" or (not request.question.strip().endswith("?") and not listing) or len(units) == 0):
            return self._clause_answer(request, hits, units, named, refs)
        if named:  # a question about a named clause is answered from that clause
            if listing:
                under = {i for i, h in enumerate(hits) if any(clause_match(h.chunk.section, h.chunk.heading, r) for r in refs)}
                mine = [u for u in units if u.hit in under]
            units = mine or units
        parts = question.parts or (question,)
        self._score(request, hits, units, parts)
        kind = question.kind
        eligible = [u for u in units if self._eligible(u, question)]
        if not eligible:
            what = _KIND_DECLINES.get(kind, "answer this")
            return decline(request, what, closest=hits)
        # "does GDPR apply to a US shop?": the text's own scope section settles it, however it is worded
        # ("which metals does the JDD cover?" names what it asks for: the bonus in _score is enough)
        scoping = asks_text_scope(request.question)
        scoped = [u for u in eligible if scope_section(hits[u.hit].chunk.heading) or states_scope(u.best.text)] if scoping and kind == "yesno" else []
        # among scope units the one closest in meaning: the question's words describe the asker, not the text
        lead = max(scoped, key=lambda u: u.best.dense) if scoped else max(eligible, key=lambda u: u.score)
        entry = question.kind == "definition" and lead.unit.term and term_key(question.term) in term_keys(lead.unit.term)
        entry = entry or (scoping and scope_section(hits[lead.hit].chunk.heading))
        if not named and not entry and self.evidence(hits, max(p.closest for p in lead.pieces), request.unknown) < self.settings.abstain_threshold:
            return decline(request, "cover this", closest=hits)
        if question.typed and not question.parts and not named:
            closest = max(units, key=lambda u: u.best.score)
            if hits[closest.hit].chunk.doc_id != hits[lead.hit].chunk.doc_id and closest.best.score > lead.best.score:
                # the document that speaks to the question gives no number; another one's number is about something else
                return decline(request, _KIND_DECLINES.get(kind, "answer this"), closest=hits)
        roles = asker_roles(request.question, weak=False)
        if roles and question.typed and not named and asks_own_duty(request.question):
            if lead.role and lead.role not in roles and roles & {u.role for u in units}:
                # "we're a distributor: how long must we keep the declaration?": the text sets rules for
                # distributors, and the number it gives is the importers'
                return decline(request, _KIND_DECLINES.get(kind, "answer this"), closest=hits)
        versions = versions_named(request.question)
        if versions and not states_version(" ".join(requirement_text(p.text) for p in lead.pieces), versions):
            # "is TLS 1.2 enough or does it want 1.3?": a rule on TLS that names no version does not settle it
            return decline(request, f"name a version ({', '.join(versions)})", closest=hits)
        if asks_web_address(request.question) and not named and not writes_web_address(hits[lead.hit].chunk.text):
            # "what's the web address of the portal?": a passage on the portal that gives none
            return decline(request, "give a web address for this", closest=hits)
        office = asked_holder(request.question)
        if office and not named and not _names_holder(lead.text, office):
            # "who is the current chair?": the rules on electing a chair name no one
            return decline(request, f"name the {office}", closest=hits)
        wanted = asked_class(request.question)
        if wanted and not named and not self._names_class(lead, hits, wanted, request.names):
            # "which vulnerability scanner does it recommend?": a passage naming no scanner names none
            return decline(request, f"name {'an' if wanted[0] in 'aeiou' else 'a'} {wanted}", closest=hits)
        if _GAP.search(lead.best.text):  # the passage says the documents do not cover it: say what it says
            return decline(request, "answer this", closest=[hits[lead.hit]], said=" ".join(lead.best.text.split()))
        chosen = self._choose(lead, eligible, units, parts, hits)
        return self._compose(request, hits, chosen, question)

    @staticmethod
    def _row_sections(request: AnswerRequest, hits: list[Hit], units: list[_Unit]) -> list[tuple[int, str, list[Unit]]]:
        """(hit, part, rows) for each of the top three passages that holds two or more numbered
        requirement rows and is the part of the standard asked about (named by its id, or by a
        word of its title), best ranked first. The retrieval gives such passages whole."""
        refs = clause_refs(request.question)
        asked = set(tokenize(request.question))
        out = []
        for i, hit in enumerate(hits[:3]):
            chunk = hit.chunk
            rows = [u.unit for u in units if u.hit == i and u.unit.kind == "requirement" and u.unit.label]
            if len({u.label for u in rows}) < 2:
                continue
            path = chunk.heading.split(" > ") if chunk.heading else []
            part = next((p for p in path if chunk.section and p.startswith(chunk.section)), chunk.section)
            named = any(clause_match(chunk.section, chunk.heading, r) for r in refs)
            # the part the question is about: named by its id ("in V4") or by a word of its title ("the SBOM chapter")
            if not named and not asked & (set(tokenize(part)) - ROW_TITLE_WORDS):
                continue
            if len({h.chunk.doc_id for h in hits}) > 1:  # "V2" of which standard: several are searched
                part = f"{chunk.title}, {part}"
            out.append((i, part, rows))
        return out

    def _counted_rows(self, request: AnswerRequest, hits: list[Hit], units: list[_Unit]) -> Answer | None:
        """For a question on how many requirements a part of a standard holds: the count of the
        numbered requirement rows of the best fitting top passage (_row_sections), quoting its
        first and last row. None when no top passage fits: the question is then answered as any
        other."""
        sections = self._row_sections(request, hits, units)
        if not sections:
            return None
        i, part, rows = sections[0]
        chunk = hits[i].chunk
        labels = list(dict.fromkeys(u.label for u in rows))
        first, last = rows[0], rows[-1]
        citations = [
            cite(1, chunk, first.start, first.end, clause_label(chunk.section, first.label)),
            cite(2, chunk, last.start, last.end, clause_label(chunk.section, last.label)),
        ]
        first_row, last_row = (" ".join(c.quote.split()) for c in citations)
        text = (
            f"{part} lists {len(labels)} numbered requirements, {labels[0]} to {labels[-1]} (counted from its table).\n"
            f"First: {first_row} [1]\nLast: {last_row} [2]"
        )
        return Answer(
            question=request.question, text=text, citations=tuple(citations), passages=tuple(hits),
            abstained=False, search_query=request.query,
        )

    def _listed_rows(self, request: AnswerRequest, hits: list[Hit], units: list[_Unit]) -> Answer | None:
        """For a question asking for the requirements of a part of a standard ("list the logging
        requirements"): every numbered row of the fitting top passages (_row_sections, at most
        two parts and answer_max_rows rows), each with its id and level, as a checklist. None
        when no top passage fits."""
        lines, citations = [], []
        for i, part, rows in self._row_sections(request, hits, units)[:2]:
            chunk = hits[i].chunk
            labels = list(dict.fromkeys(u.label for u in rows))
            head = f"{part} lists {len(labels)} numbered requirements:"
            lines.append(f"\n{head}" if lines else head)  # a second part after a blank line
            for row in rows[: self.settings.answer_max_rows - len(citations)]:
                n = len(citations) + 1
                citations.append(cite(n, chunk, row.start, row.end, clause_label(chunk.section, row.label)))
                level = f" (level: {row.levels})" if row.levels else ""
                lines.append(f"- {' '.join(citations[-1].quote.split())} [{n}]{level}")
        if not citations:
            return None
        return Answer(
            question=request.question, text="\n".join(lines), citations=tuple(citations), passages=tuple(hits),
            abstained=False, search_query=request.query,
        )

    @staticmethod
    def _names_class(unit: _Unit, hits: list[Hit], wanted: str, names) -> bool:
        """Whether a unit (or its heading) speaks of the class of thing a question asks for by
        name ("scanner" of "which vulnerability scanner ...", "cloud provider" of "which cloud
        providers are approved?": all its words)."""
        text = unit.text + " " + hits[unit.hit].chunk.heading
        return set(tokenize(wanted)) <= credited(set(tokenize(text)), names)

    def evidence(self, hits: list[Hit], best_sentence_dense: float, unknown: float = 0.0) -> float:
        """How strongly the passages support an answer (about 0..1); compared with
        abstain_threshold. `unknown` is the share of the question's keyword weight that the
        index has never seen ("which lab tests cobalt purity?")."""
        s = self.settings
        top = hits[:3]
        dense = max(h.dense for h in top)
        coverage = max(h.lexical for h in top)
        return (
            s.evidence_weight_dense * dense
            + s.evidence_weight_words * coverage
            + s.evidence_weight_sentence * best_sentence_dense
            - s.evidence_weight_unknown * unknown
        )

    # ------------------------------------------------------------ units and scores

    def _units(self, hits: list[Hit]) -> list[_Unit]:
        out: list[_Unit] = []
        for i, hit in enumerate(hits):
            chunk = hit.chunk
            for j, unit in enumerate(passage_units(chunk)):
                pieces = [_Piece(i, j, p, chunk.text[p.start : p.end]) for p in unit.pieces]
                out.append(_Unit(i, j, unit, pieces))
        return out

    def _score(self, request: AnswerRequest, hits: list[Hit], units: list[_Unit], parts: tuple[Question, ...]) -> None:
        """Scores of every piece and unit against the question and each of its parts."""
        s = self.settings
        query = request.query
        texts = [query] if len(parts) == 1 else [query] + [p.text for p in parts]
        weights = [self.weigh(t) for t in texts]
        for k, part in enumerate(parts if len(parts) > 1 else (), start=1):
            if part.before:  # "What criteria does it use?": what "it" stands for counts, less than the part's own words
                weights[k].update({t: w * s.answer_context_weight for t, w in self.weigh(part.before).items() if t not in weights[k]})
        if query != request.question:  # a follow-up: the words carried from earlier count less than its own
            own = set(self.weigh(request.question))
            weights[0] = {t: w if t in own else w * s.answer_carried_weight for t, w in weights[0].items()}
        aside = set(tokenize(set_aside(request.question)))
        if aside:  # what the asker sets aside ("besides consent, ...") is no answer: a sentence about it scores less
            weights = [{t: -w * s.set_aside_weight if t in aside else w for t, w in x.items()} for x in weights]
        asks = " ".join(asking_sentences(request.question))
        asked_words = set(tokenize(asks))
        # "... won't give us emissions data. What does ESRS let us do instead?": a document's name is no
        # subject; with fewer than two words of its own, the asking sentence leaves the subject to the scene
        focused = query == request.question and len(asked_words - request.naming) >= 2 and not _REFERS_BACK.search(asks)
        if focused:  # the scenario around what is asked ("when our build pulls from npm, ...") is no answer to it
            weights[0] = {t: w if t in asked_words else w * s.answer_context_weight for t, w in weights[0].items()}
        for k, w in enumerate(weights):  # "who must they tell?": "notify", as retrieval searched it
            w.update(self._stop_word_names(asks if k == 0 and focused else texts[k], w, request.names))
        totals = [sum(max(v, 0.0) for v in w.values()) or 1.0 for w in weights]
        question_tokens = set(weights[0])
        asks_front = bool(_ASKS_FRONT.search(request.question))
        asks_link = bool(_ASKS_LINK.search(request.question))
        scoping = asks_text_scope(request.question)
        # "we're a 40-person company, do we need records?": the sentence with a number of persons settles it
        counts = asker_counts(request.question) if not parts[0].typed else set()
        own_duty = asks_own_duty(request.question)  # "how often do we have to review them?": not the Commission's reviews
        roles = asker_roles(request.question)  # "we make candles ...": the manufacturers' rules, not the importers'
        pieces = [p for u in units for p in u.pieces]
        opening = self._opening(request, hits, units, parts[0]) if len(parts) == 1 else None
        for unit in units:
            hit = hits[unit.hit]
            heading_tokens = set(tokenize(hit.chunk.heading))
            front = not asks_front and _front_matter(hit)
            scope = scoping and scope_section(hit.chunk.heading)
            own_role = bool(roles) and unit.role in roles
            for i, piece in enumerate(unit.pieces):
                own = set(tokenize(piece.text))
                tokens = credited(own, request.names)
                scores = []
                for w, total in zip(weights, totals):
                    share = matched(w, own, request.names) / total
                    heading = matched(w, heading_tokens, request.names) / total
                    scores.append(s.answer_weight_words * share + s.answer_weight_heading * heading)
                base = s.answer_weight_passage * hit.dense + s.answer_weight_rank / (1 + unit.hit)
                if _NORMATIVE.search(piece.text) or unit.unit.kind == "requirement":
                    base += s.answer_normative_bonus
                if len(piece.text) < 25:
                    base -= 0.1
                if url_chars(piece.text) > 0.3 * len(piece.text) and not asks_link:
                    base -= s.answer_pointer_penalty  # a list of references, not an answer
                elif pointer_only(piece.text):
                    base -= s.answer_pointer_penalty  # "See section 15.1." only says where to read on
                if piece.text.rstrip().endswith("?"):
                    base -= s.answer_question_penalty  # "But what about SSL certificate pinning?" asks; it states nothing
                if front:
                    base -= s.answer_front_matter_penalty
                if scope:  # whom the text applies to is said in its scope section
                    base += s.answer_fact_bonus
                if counts_same(piece.text, counts) and (own & question_tokens) - counts:
                    base += s.answer_fact_bonus  # ... and of what the question is about: "90 days" is no password rule's "7 days"
                if own_duty and authority_bound(piece.text):
                    base -= s.answer_authority_penalty
                if own_role:
                    base += s.answer_role_bonus
                if unit is opening:  # "what counts as sensitive data?": Article 9's first paragraph, as if its entry
                    base += s.answer_definition_bonus
                if not _introduces(unit.pieces, i):  # a list's introduction is no echo: its items say what it announces
                    base -= self._echo(tokens, question_tokens)
                piece.words = matched(weights[0], own, request.names) / totals[0]
                piece.score = scores[0] + base
                piece.part_scores = [x + base for x in scores[1:]]
        if self.embedder is not None and pieces:
            shortlist = sorted(pieces, key=lambda p: -p.score)[: s.answer_shortlist]
            for part_index in range(1, len(texts)):  # each part keeps its own best candidates
                shortlist += sorted(pieces, key=lambda p: -p.part_scores[part_index - 1])[:4]
            shortlist = list({id(p): p for p in shortlist}.values())
            contexts = {id(p): self._in_context(p, hits, units) for p in shortlist}
            vectors = self.embedder.encode_cached([contexts[id(p)] for p in shortlist], max_tokens=s.answer_sentence_tokens)
            queries = [self.embedder.encode_query(asks if focused and k == 0 else t) for k, t in enumerate(texts)]
            # evidence reads a sentence against the whole message too: a vague asking sentence ("what
            # do we have to do now?") leaves what it is about to the scene before it
            scene = focused and bool(set(tokenize(query)) - asked_words)  # words outside what it asks
            whole = self.embedder.encode_query(query) if scene else None
            for piece, vector in zip(shortlist, vectors):
                sims = [max(float(vector @ q), 0.0) for q in queries]
                piece.dense = sims[0]
                piece.closest = max(sims[0], float(vector @ whole)) if whole is not None else sims[0]
                piece.score += s.answer_weight_dense * sims[0]
                piece.part_scores = [x + s.answer_weight_dense * sim for x, sim in zip(piece.part_scores, sims[1:])]
        for unit in units:
            intros = [_read_with(unit.pieces, i) for i in range(len(unit.pieces))]
            for k, part in enumerate(parts):
                found = self._fact_pieces(unit, part, intros) if part.typed else []
                unit.facts.append(found)

                def best(scores: list[float]) -> tuple[float, int]:
                    # an item is read with the sentence that introduces its list; an item stating the
                    # fact asked is what that sentence announces ("shall apply from:" + "(a) 18 February 2025")
                    scores = [
                        x if j is None else max(x, scores[j] if i in found else (x + scores[j]) / 2)
                        for i, (x, j) in enumerate(zip(scores, intros))
                    ]
                    # a typed question is answered by a sentence that states such a fact
                    top = max(found or range(len(scores)), key=lambda i: scores[i])
                    return scores[top] + self._bonus(unit, part, question_tokens, found), top

                if k == 0:  # the lead is scored against the whole question
                    unit.score, unit.top = best([p.score for p in unit.pieces])
                    unit.typed = not part.typed or bool(found)
                if len(parts) > 1:  # each part against its own words
                    unit.part_scores.append(best([p.part_scores[k] for p in unit.pieces])[0])

    @staticmethod
    def _opening(request: AnswerRequest, hits: list[Hit], units: list[_Unit], question: Question) -> _Unit | None:
        """For a definition question, the first unit of the best-ranked section titled by the
        term or by the documents' other name for it ("sensitive data", given once for "special
        categories of personal data", and "Article 9 Processing of special categories of
        personal data"): where a text without an entry for a term says what it is."""
        if question.kind != "definition" or not question.term:
            return None
        term = set(tokenize(question.term))
        if any(unit.unit.term and term <= set(tokenize(unit.unit.term)) for unit in units):
            return None  # an entry says what it is
        wanted = [term] + [set(n.tokens) for n in request.names if n.asked <= term]
        for unit in sorted(units, key=lambda u: (u.hit, u.index)):
            chunk = hits[unit.hit].chunk
            title = set(tokenize(section_title(chunk.heading)))
            if chunk.section and chunk.text.startswith(chunk.section) and any(w and w <= title for w in wanted):
                return unit
        return None

    def _stop_word_names(self, text: str, weights: dict[str, float], names: tuple[OtherName, ...]) -> dict[str, float]:
        """Weights of the words texts use for an everyday stop word of `text` ("notify" for
        "tell" in "who must they tell?"), at each name's credit of their own weight: a stop word
        has no weight of its own to lend them."""
        words = set(tokenize(text, keep_stopwords=True))
        out: dict[str, float] = {}
        for name in names:
            if not name.asked <= STOPWORDS & words:  # a word the index lacks ("EV") stays unknown
                continue
            for token, weight in self.weigh(name.name).items():
                if token not in weights:
                    out[token] = max(out.get(token, 0.0), weight * name.credit)
        return out

    @staticmethod
    def _in_context(piece: _Piece, hits: list[Hit], units: list[_Unit]) -> str:
        """A sentence as the embedder reads it: after the title of its section, an item after the
        sentence that introduces its list ("shall apply from: (a) 18 February ..."), a requirement
        row without its ids and level marks."""
        heading = hits[piece.hit].chunk.heading
        label = heading.split(" > ")[-1] if heading else ""
        unit = next(u for u in units if u.hit == piece.hit and u.index == piece.unit)
        first = unit.pieces[0]
        intro = first.text if piece.piece.kind == "item" and first is not piece and first.piece.kind == "sentence" else ""
        # a requirement row by its words: its ids and level marks pull the vector off its topic
        text = requirement_text(piece.text) if unit.unit.kind == "requirement" else piece.text
        return " ".join(t for t in (f"{label}:" if label else "", intro, text) if t)

    def _echo(self, tokens: set[str], question_tokens: set[str]) -> float:
        """Penalty of a sentence that mostly repeats the question's words."""
        if not tokens:
            return 0.0
        novelty = len(tokens - question_tokens) / len(tokens)
        gap = self.settings.answer_echo_novelty - novelty
        return self.settings.answer_echo_penalty * gap / self.settings.answer_echo_novelty if gap > 0 else 0.0

    def _bonus(self, unit: _Unit, part: Question, question_tokens: set[str], facts: list[int]) -> float:
        """What a unit earns for holding the kind of fact the (part of the) question asks for
        (`facts`: its pieces stating that fact)."""
        s = self.settings
        text = unit.text
        if part.kind == "definition" and part.term:
            key = term_key(part.term)
            if unit.unit.term:  # an entry defining this term, or another one
                return s.answer_definition_bonus if key in term_keys(unit.unit.term) else 0.0
            # "A refiner is ...", "Refiner: a company that ..."
            first = unit.pieces[0].text
            if defines(first, part.term) or (unit.unit.kind == "definition" and mentions(unit.pieces[0].text[:80], key)):
                return s.answer_definition_bonus * 0.6
            return 0.0
        if part.typed:
            return s.answer_fact_bonus if facts else 0.0
        if part.kind == "actor":
            if _ASKS_MEMBERS.search(part.text) and _STATES_MEMBERS.search(text):
                return s.answer_fact_bonus  # "who sits on the Board?": "The Board shall be composed of ..."
            found = {m.group(0).lower() for m in _ACTOR.finditer(text)}
            own = {w for w in found if not set(tokenize(w)) <= question_tokens}
            return s.answer_fact_bonus * 0.5 if own else 0.0
        levels = asked_levels(part.text) if unit.unit.levels else set()
        if levels and asks_added(part.text):  # "anything stricter at level 2?", "what does L3 add to L2?": the rows of L2 and not of L1
            level = max(levels, key=int)
            applies = applies_at(unit.unit.levels, level)
            below = [applies_at(unit.unit.levels, str(n)) for n in range(1, int(level))]
            if applies is not None:
                return s.answer_level_weight if applies and not any(below) else -s.answer_level_weight
        if len(levels) == 1 and part.kind in ("list", "open"):  # "which checks must be automated at L1?": the rows of L1
            applies = applies_at(unit.unit.levels, next(iter(levels)))
            if applies is not None:
                return s.answer_level_weight if applies else -s.answer_level_weight
        elif levels and applies_at(unit.unit.levels, next(iter(levels))) is not None:
            return s.answer_level_weight  # "is hiding that L1 or only L2?": a row says its level
        if part.kind == "list" and _items(unit) >= 2:
            intros = [p.text for i, p in enumerate(unit.pieces) if _introduces(unit.pieces, i)]
            if asks_contents(part.text) and any(_STATES_CONTENTS.search(t) for t in intros):
                return s.answer_fact_bonus  # the list of what it contains, not any list on the subject
            items = set(tokenize(asked_items(part.text)))
            if items and any(items <= set(tokenize(t)) for t in intros):  # "which risks ...?": "risk categories:" and its items
                return s.answer_items_bonus
            return s.answer_fact_bonus * 0.5
        if part.kind != "yesno":
            return 0.0
        bonus = s.answer_fact_bonus * 0.3 if _SETTLES.search(unit.best.text) else 0.0
        if asks_obligation(part.text):  # "do we even need to keep records?": who is spared it answers as well
            own = set(tokenize(part.text))
            if any(_EXEMPTS.search(p.text) and own & set(tokenize(p.text)) for p in unit.pieces):
                bonus += s.answer_exemption_bonus
        return bonus

    @staticmethod
    def _fact_pieces(unit: _Unit, question: Question, intros: list[int | None]) -> list[int]:
        """Indexes of the unit's pieces that state the kind of fact asked and share words with
        the question (or are close to it). An item is read after the sentence introducing its
        list: it states the fact when it does so read that way ("shall apply from:" + "(a) 18
        February 2025 ..."), and that sentence's bound is its bound ("at least the following
        shares:" + "(a) 16 % cobalt" is no maximum)."""
        pieces = unit.pieces
        kind, counted, bound = question.kind, question.unit, question.bound

        def stated(i: int) -> bool:
            j = intros[i]
            if j is None:
                return states(kind, pieces[i].text, counted, bound, question.text)
            if not states(kind, f"{pieces[j].text} {pieces[i].text}", counted, bound, question.text):
                return False
            return states(kind, pieces[i].text, counted, asked=question.text) or not states(kind, pieces[j].text, counted, asked=question.text)

        return [i for i, p in enumerate(pieces) if (p.words > 0 or p.dense > 0.3 or intros[i] is not None) and stated(i)]

    @staticmethod
    def _eligible(unit: _Unit, question: Question) -> bool:
        """A unit can lead only when it holds the kind of fact a typed question asks for."""
        return not question.typed or unit.typed

    # ------------------------------------------------------------ choosing units

    def _choose(
        self, lead: _Unit, eligible: list[_Unit], units: list[_Unit], parts: tuple[Question, ...], hits: list[Hit]
    ) -> list[tuple[_Unit, str]]:
        """(unit, role) pairs: the lead, the best unit of each further part, then others close
        to the lead, without near-duplicates."""
        s = self.settings
        chosen: list[tuple[_Unit, str]] = [(lead, "lead")]
        for k in range(len(parts) if len(parts) > 1 else 0):  # the lead may answer another part than the first
            fitting = [u for u in units if not parts[k].typed or u.facts[k]]
            if not parts[k].typed and not parts[k].term:  # "who decides the fines ...": not a clause sharing only "decide"
                fitting = [u for u in fitting if u.score >= s.answer_part_keep * lead.score]
            if not fitting:
                continue
            best = max(fitting, key=lambda u: u.part_scores[k])
            # the other side of a comparison is worded like the first but is no duplicate of it
            own_term = bool(parts[k].term) and mentions(best.pieces[0].text[:120], term_key(parts[k].term))
            if all(best is not u for u, _ in chosen) and (own_term or not self._duplicate(best, chosen)):
                chosen.append((best, "part"))
        if len(chosen) > 1:  # the parts answered in the order they were asked
            answers = sorted(chosen, key=lambda c: max(range(len(parts)), key=lambda k: c[0].part_scores[k]))
            if all(p.term and mentions(lead.text, term_key(p.term)) for p in parts):
                # "is the JDD the same thing as the Copper Mark?": a unit speaking of both sides answers it first
                answers = [(lead, "lead")] + [a for a in answers if a[0] is not lead]
            chosen = [(answers[0][0], "lead")] + [(u, "part") for u, _ in answers[1:]]
        if any(p.kind == "compare" for p in parts) or asks_comparison(parts[0].text):
            other = self._parallel(lead, units)
            if other is not None and all(other is not u for u, _ in chosen):  # "how do the lower and higher tier differ?"
                chosen.insert(1, (other, "part"))
        listed = self._list_pointed_at(lead, units) or self._list_elsewhere(lead, units, hits)
        if listed is not None and all(listed is not u for u, _ in chosen):  # "... linked to any of these serious abuses"
            chosen.insert(1, (listed, "part"))
        referred = self._paragraph_referred(lead, units, hits)
        if referred is not None and all(referred is not u for u, _ in chosen):  # "the assessment referred to in paragraph 1"
            chosen.insert(1, (referred, "part"))
        passages = {lead.hit}
        most = s.answer_max_list_units if parts[0].kind == "list" else s.answer_max_units
        for unit in sorted(eligible, key=lambda u: -u.score):
            if len(chosen) >= most:
                break
            keep = s.answer_keep_list if parts[0].kind == "list" else s.answer_keep_other
            if any(unit is u for u, _ in chosen) or unit.score < keep * lead.score:
                continue
            if unit.hit not in passages and len(passages) >= 2:
                continue
            if self._duplicate(unit, chosen):
                continue
            passages.add(unit.hit)
            chosen.append((unit, "more"))
        return chosen

    def _parallel(self, lead: _Unit, units: list[_Unit]) -> _Unit | None:
        """The other side of a comparison a text sets out in parallel: the unit opening with most
        of the lead's opening words but stating other numbers ("4. Infringements of the following
        provisions shall ... be subject to administrative fines up to 10 000 000 EUR" and "5.
        Infringements of the following provisions shall ... up to 20 000 000 EUR"), else None."""
        size = self.settings.answer_parallel_words
        opening = tokenize(lead.text)[:size]
        numbers = stated_numbers(lead.text)
        best, share = None, 0.0
        for unit in units:
            if unit is lead or not stated_numbers(unit.text) - numbers:
                continue
            theirs = set(tokenize(unit.text)[:size])
            mine = sum(1 for t in opening if t in theirs) / max(len(opening), 1)
            if mine > share:
                best, share = unit, mine
        return best if share >= self.settings.answer_parallel_overlap else None

    @staticmethod
    def _list_pointed_at(lead: _Unit, units: list[_Unit]) -> _Unit | None:
        """The list just before the lead in its passage when the lead's sentence points back to
        it by the list's own words ("... linked to any of these serious abuses" after "... names
        these serious abuses: • ..."), else None."""
        m = _POINTS_BACK.search(lead.best.text)
        before = [u for u in units if u.hit == lead.hit and u.index == lead.index - 1 and u.unit.kind == "list"]
        if not m or not before:
            return None
        named = set(tokenize(m.group(1)))
        intro = set(tokenize(before[0].pieces[0].text))
        return before[0] if named and named <= intro else None

    @staticmethod
    def _list_elsewhere(lead: _Unit, units: list[_Unit], hits: list[Hit]) -> _Unit | None:
        """The list the lead's sentence points to in another clause of its document ("the
        abuses listed in Annex II", "the risk categories listed in point 2 of Annex X") when
        that clause was retrieved, else None."""
        pointers = lists_elsewhere(lead.best.text)
        doc_id = hits[lead.hit].chunk.doc_id if pointers else ""
        for _, ref, point in pointers:
            for unit in units:
                chunk = hits[unit.hit].chunk
                if unit is lead or chunk.doc_id != doc_id or not clause_match(chunk.section, chunk.heading, ref):
                    continue
                if _items(unit) < 2:
                    continue
                if point and not re.match(rf"\s*\(?{point}[.)]", unit.pieces[0].text):
                    continue
                return unit
        return None

    @staticmethod
    def _paragraph_referred(lead: _Unit, units: list[_Unit], hits: list[Hit]) -> _Unit | None:
        """The paragraph of the lead's own article that its sentence builds on ("3. A data
        protection impact assessment referred to in paragraph 1 shall in particular be required
        ...": paragraph 1 says when one is required at all), when it was retrieved, else None."""
        m = _REFERS_TO_PARAGRAPH.search(lead.best.text)
        if not m:
            return None
        chunk = hits[lead.hit].chunk
        for unit in units:
            other = hits[unit.hit].chunk
            if unit is not lead and other.doc_id == chunk.doc_id and other.section == chunk.section and unit.unit.label == f"({m.group(1)})":
                return unit
        return None

    def _duplicate(self, unit: _Unit, chosen: list[tuple[_Unit, str]]) -> bool:
        """A unit restating one already quoted: most of its words shared, and no number of its
        own (the 2030 targets are worded like the 2025 ones, but are news)."""
        text = unit.text
        words, numbers = set(tokenize(text)), stated_numbers(text)
        for other, _ in chosen:
            if unit.unit.kind == other.unit.kind == "requirement" and unit.unit.label != other.unit.label:
                continue  # two numbered requirements worded alike are two requirements
            if unit.hit == other.hit and unit.unit.label and other.unit.label and unit.unit.label != other.unit.label:
                continue  # so are two numbered paragraphs of one passage ("3. The distributors shall inform the manufacturer")
            theirs = other.text
            shared = set(tokenize(theirs))
            if numbers - stated_numbers(theirs):
                continue
            if words and shared and len(words & shared) / min(len(words), len(shared)) >= self.settings.answer_duplicate_overlap:
                return True
        return False

    def _quote(self, unit: _Unit, question: Question) -> list[_Piece]:
        """The pieces of a unit to quote (see _pieces_to_quote), without lines of web addresses
        ("Sources: https://...") unless the question asks where to find something."""
        pieces = self._pieces_to_quote(unit, question)
        if _ASKS_LINK.search(question.text):
            return pieces
        return [p for p in pieces if not links_only(p.text)] or pieces

    def _pieces_to_quote(self, unit: _Unit, question: Question) -> list[_Piece]:
        """The pieces of a unit to quote: all of a short unit; of a long one the best pieces and
        what they need (the items of a list they introduce, the sentence a "This ..." leans on,
        an exception that follows)."""
        s = self.settings
        pieces = unit.pieces
        if unit.unit.size <= s.answer_whole_unit_chars or unit.unit.kind in ("definition", "requirement"):
            return pieces
        best = unit.best.score
        typed = [k for k, part in enumerate(question.parts or (question,)) if part.typed]
        # the sentences stating each asked fact
        facts = [i for k in typed for i in sorted(unit.facts[k], key=lambda i: -pieces[i].score)[:2]]
        if facts:  # a typed question: the sentences stating the fact (and what they need, below)
            keep = set(facts)
            stating = {i for k in typed for i in unit.facts[k]}
            for i in facts:  # a list of such facts is quoted whole ("(a) 16 % cobalt; (b) 85 % lead; ...")
                intro = i if pieces[i].text.rstrip().endswith(":") else _intro(pieces, i)
                if intro is not None:
                    items = [j for j in _items_after(pieces, intro) if j in stating]
                    keep |= set(items[: s.answer_max_sentences])
        else:
            keep = {i for i, p in enumerate(pieces) if p.score >= s.answer_keep_same * best}
            keep = set(sorted(keep, key=lambda i: -pieces[i].score)[: s.answer_max_sentences])
        for i in sorted(keep):
            text = pieces[i].text
            # "Additional techniques MAY be used. These include:" brings that sentence and its list
            announces = not question.typed and i + 1 < len(pieces) and pieces[i + 1].text.rstrip().endswith(":")
            if announces:
                keep.add(i + 1)
            if not question.typed and (announces or text.rstrip().endswith(":") or (i == 0 and unit.unit.kind == "list")):
                keep |= set(_items_after(pieces, i + 1 if announces else i))  # the whole list
            intro = _intro(pieces, i)
            if intro is not None:
                keep.add(intro)  # an item needs the sentence that introduces its list
            if _LEANS_BACK.match(text) and i > 0:
                keep.add(i - 1)
            if i + 1 < len(pieces) and pieces[i + 1].piece.kind != "item" and _EXCEPTION.search(pieces[i + 1].text):
                keep.add(i + 1)
        order = sorted(keep)
        if question.kind == "yesno" or facts:  # the sentence that settles it, or states the fact, goes first
            top = max((i for i in order if i in facts or not facts), key=lambda i: pieces[i].score)
            intro = _intro(pieces, top)
            if intro is None:  # it goes first, with the list it introduces or announces ("... These include:")
                announced = top + 1 if top + 1 in order and _introduces(pieces, top + 1) else top
                # "In such cases, SME operators shall provide ..." after the sentence it leans on
                leaned = top - 1 if top - 1 in order and _LEANS_BACK.match(pieces[top].text) else top
                head = sorted({leaned, top, announced})
                if _introduces(pieces, announced):
                    head += [i for i in _items_after(pieces, announced) if i in order]
                order = head + [i for i in order if i not in head]
            else:  # an item is read after its list's introduction, the list in its own order
                order = [i for i in order if i >= intro] + [i for i in order if i < intro]
        return [pieces[i] for i in order]

    # ------------------------------------------------------------ clause questions

    def _clause_answer(
        self, request: AnswerRequest, hits: list[Hit], units: list[_Unit], named: list[int], refs: list[ClauseRef]
    ) -> Answer:
        """"What does 5.2.3 say?": the clause's units in reading order, as many whole units as
        fit answer_clause_chars; a paragraph, point or requirement alone when one is named
        ("Article 26(7)", "MSTG-STORAGE-1"). When several documents have that clause (the
        question names none: it would be searched alone), each one's is quoted in ranked order,
        headed by its document: nothing says which one was meant."""
        wanted = {f"({p})" for r in refs for p in r.parts[:1]} | {plain_id(r.label) if r.numeric else r.label for r in refs}  # "(7)", "2.1", "AR 10"
        documents = list(dict.fromkeys(hits[i].chunk.doc_id for i in named))
        chosen: list[tuple[_Unit, str]] = []
        for doc_id in documents:
            mine = [u for u in units if u.hit in named and hits[u.hit].chunk.doc_id == doc_id]
            exact = [u for u in mine if u.unit.label in wanted or (u.unit.aka and u.unit.aka in wanted)]
            mine = exact or mine
            size = 0
            for k, unit in enumerate(mine):
                if k and size + unit.unit.size > self.settings.answer_clause_chars:
                    break
                chosen.append((unit, "clause" if k else "lead" if not chosen else "document"))
                size += unit.unit.size
        if not chosen:
            return decline(request, "quote that clause", closest=[hits[i] for i in named])
        return self._compose(request, hits, chosen, Question(request.question, "clause"))

    # ------------------------------------------------------------ the answer text

    def _compose(self, request: AnswerRequest, hits: list[Hit], chosen: list[tuple[_Unit, str]], question: Question) -> Answer:
        """Lead and part units as paragraphs, other units as a short list with their clause ids;
        one citation per run of consecutive quoted pieces, its marker after the run."""
        citations: list[Citation] = []
        body: list[str] = []
        more: list[str] = []
        lead_doc = hits[chosen[0][0].hit].chunk.doc_id
        several = any(role == "document" for _, role in chosen)  # one clause id, several documents: say whose
        # "do we need it at L1?": each requirement says whether it applies at the level asked
        yes_no = question.kind == "yesno" or any(p.kind == "yesno" for p in question.parts)
        levels_asked = asked_levels(question.text) if yes_no else set()
        added = asks_added(question.text)  # "anything stricter at L2?" quotes L2's own rows: that they apply there goes unsaid
        for unit, role in chosen:
            chunk = hits[unit.hit].chunk
            pieces = self._quote(unit, question) if role != "clause" else unit.pieces
            label = clause_label(chunk.section, unit.unit.label if unit.unit.kind != "list" or unit.unit.label[:2] != "(a" else "")
            text = self._runs(chunk, pieces, label, citations)
            verdict = level_verdict(unit.unit.levels, levels_asked)
            verdict = "" if added and "not at" not in verdict else verdict
            levels = f"{unit.unit.levels}; {verdict}" if verdict else unit.unit.levels
            if role == "more":
                level = f" ({levels})" if levels else ""
                where = label if chunk.doc_id == lead_doc else f"{chunk.title}, {label}" if label else chunk.title
                more.append(f"- {where}{level}: {text}" if where else f"- {text}")
            else:
                if levels:
                    text += f" (level: {levels})"
                if several and role in ("lead", "document"):  # the clause whole, or the requirement asked
                    text = f"{chunk.title}, {label if unit.unit.kind == 'requirement' else clause_label(chunk.section, '')}:\n{text}"
                body.append(text)
        text = "\n\n".join(body)
        if more:
            text += "\n\nAlso relevant:\n" + "\n".join(more)
        return Answer(
            question=request.question,
            text=text,
            citations=tuple(citations),
            passages=tuple(hits),
            abstained=False,
            search_query=request.query,
        )

    @staticmethod
    def _runs(chunk, pieces: list[_Piece], label: str, citations: list[Citation]) -> str:
        """Quoted text of some pieces of one passage, a citation for each run of consecutive
        pieces (in the order given), items on lines of their own."""
        runs: list[list[_Piece]] = []
        for piece in pieces:
            if runs and piece.piece.start >= runs[-1][-1].piece.end and _adjacent(chunk.text, runs[-1][-1], piece):
                runs[-1].append(piece)
            else:
                runs.append([piece])
        parts: list[str] = []
        for run in runs:
            n = len(citations) + 1
            citations.append(cite(n, chunk, run[0].piece.start, run[-1].piece.end, label))
            lines: list[str] = []
            for k, piece in enumerate(run):
                words = " ".join(piece.text.split())
                # an item or row, or what follows a line with no closing stop (a title), on a line of its own
                titled = k > 0 and "\n" in chunk.text[run[k - 1].piece.end : piece.piece.start] and not re.search(r"[.;:,!?]$", lines[-1])
                if lines and (piece.piece.kind in ("item", "row") or titled):
                    lines.append("\n" + words)
                else:
                    lines.append((" " if lines else "") + words)
            parts.append("".join(lines) + f" [{n}]")
        return " ".join(parts)


def _names_holder(text: str, office: str) -> bool:
    """Whether a text names someone next to the office asked about ("The chair is Jane Smith",
    "CEO Michele Brulhart", "chaired by Jane Smith")."""
    for m in re.finditer(rf"\b{re.escape(office.split()[0][:5])}\w*", text, re.I):
        if _PERSON.search(text[max(0, m.start() - 40) : m.end() + 40]):
            return True
    return False


def _adjacent(text: str, before: _Piece, after: _Piece) -> bool:
    """Nothing but white space between two pieces of a passage."""
    return not text[before.piece.end : after.piece.start].strip()


def _front_matter(hit: Hit) -> bool:
    """A title page, disclaimer, licence, version note or list of references: a document's
    opening title block, or a section whose heading, or the heading of a part it is in, names
    such matter."""
    chunk = hit.chunk
    if chunk.ordinal == 0 and not chunk.section:  # a title block: mostly short lines that end no sentence
        lines = [line for line in chunk.text.split("\n") if line.strip()]
        if sum(len(line) < 60 and not line.rstrip().endswith(".") for line in lines) >= 0.6 * len(lines):
            return True
        if _VERSION_NOTE.match(chunk.text):  # "Version: 1.0 (2026-11) This document is an unofficial guide ..."
            return True
        if _ACT_TITLE.match(chunk.text):  # a legal act's title, the acts it builds on ("Having regard to ...")
            return True
    labels = chunk.heading.split(" > ") if chunk.heading else []
    # under a front-matter heading at any level ("1 About this guide > 1.2 How this guide treats its information")
    return any(_FRONT_MATTER.search(label) or _BACK_MATTER.search(label) for label in labels)
