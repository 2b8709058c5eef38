"""Tools for supplier staff and trainers, built from a document's evidence units (units.py) and
text rules (text.py): the requirement checklist, the glossary look-up, study sheets and quizzes.

Every row, point and quiz answer quotes the document's own words, with its clause and page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from .lexical import tokenize
from .questions import stated_values, value_key
from .types import Chunk
from .units import Unit, clause_label, informative_sections, passage_units
from .text import bound_actor, defines, links_only, strength, term_key, term_keys, uses_key_words, without_level_marks

CHECKLIST_FIELDS = ("doc_id", "clause", "level", "strength", "text", "page", "heading")


@dataclass(frozen=True)
class ChecklistRow:
    doc_id: str
    clause: str  # the requirement's own id ("2.1"), else the clause it sits in ("Article 7(1)", "5.2.3")
    level: str  # "L1, L2" where the standard has levels, else ""
    strength: str  # mandatory / recommended / permitted
    text: str  # the statement as printed, with the items of a list it introduces
    page: int
    heading: str

    def to_json(self) -> dict:
        return asdict(self)


def in_section(chunk: Chunk, section: str) -> bool:
    """Whether a chunk lies in `section` ("5.2" holds "5.2" and "5.2.3"; "Article 7" holds
    Article 7 and its paragraphs; a heading label counts too)."""
    wanted = section.strip().lower()
    own = chunk.section.lower()
    if own == wanted or own.startswith(wanted + ".") or own.startswith(wanted + "("):
        return True
    labels = [label.strip().lower() for label in chunk.heading.split(" > ")] if chunk.heading else []
    return any(label == wanted or label.startswith(wanted + " ") for label in labels)


def checklist(chunks: Sequence[Chunk], section: str = "") -> list[ChecklistRow]:
    """Every normative statement of one document (its chunks, in reading order), or of one of
    its sections: requirement rows with their id and level, and sentences that oblige,
    recommend or allow (shall, must, is required to, should, may), each with the list items it
    introduces. A statement repeated (a chunk's overlap with the next, a section restated) is
    listed once; a requirement id is listed once."""
    rows: list[ChecklistRow] = []
    seen: set[str] = set()
    informative = informative_sections(chunks)
    key_words = uses_key_words("\n".join(c.text for c in chunks))
    for chunk in chunks:
        if (section and not in_section(chunk, section)) or (chunk.doc_id, chunk.section) in informative:
            continue
        for unit in passage_units(chunk):
            for row in _statements(chunk, unit, key_words):
                key = row.clause if unit.kind == "requirement" else " ".join(row.text.lower().split())
                if key in seen:
                    continue
                # a sentence cut at a chunk's end and found whole in the next one (or the reverse,
                # in the overlap): the whole one, once
                recent = [i for i in range(max(0, len(rows) - 3), len(rows)) if unit.kind != "requirement"]
                texts = {i: " ".join(rows[i].text.lower().split()) for i in recent}
                seen.add(key)
                if any(t.startswith(key) for t in texts.values()):
                    continue
                cut = next((i for i, t in texts.items() if key.startswith(t)), None)
                if cut is not None:
                    rows[cut] = row
                else:
                    rows.append(row)
    if any(r.clause for r in rows):  # a numbered standard: its unnumbered prose (foreword, licence) states no requirement
        rows = [r for r in rows if r.clause]
    return rows


def _statements(chunk: Chunk, unit: Unit, key_words: bool) -> list[ChecklistRow]:
    text = chunk.text
    heading = chunk.heading
    if unit.kind == "requirement":
        row = without_level_marks(text[unit.start : unit.end])
        # a verification row binds at its level ("... best practices the user should follow" is
        # what it verifies, not its strength); only a key word in capitals says otherwise
        kind = (strength(row, key_words) if key_words else "") or "mandatory"
        return [ChecklistRow(chunk.doc_id, unit.label, unit.levels, kind, row, chunk.page_at(unit.start), heading)]
    if unit.kind in ("table", "definition"):
        return []
    clause = clause_label(chunk.section, unit.label)
    out = []
    pieces = unit.pieces
    for i, piece in enumerate(pieces):
        sentence = text[piece.start : piece.end].strip()
        if piece.kind == "item" and _belongs_to_a_statement(text, pieces, i, key_words):
            continue  # listed with the statement that introduces it
        kind = strength(sentence, key_words)
        if not kind:
            continue
        end = piece.end
        if sentence.endswith(":"):  # the items it introduces stay with it
            j = i + 1
            while j < len(pieces) and pieces[j].kind == "item":
                end = pieces[j].end
                j += 1
        statement = text[piece.start : end].strip()
        out.append(ChecklistRow(chunk.doc_id, clause, "", kind, statement, chunk.page_at(piece.start), heading))
    return out


def _belongs_to_a_statement(text: str, pieces, i: int, key_words: bool) -> bool:
    """Whether item i of a unit follows a normative sentence that introduces it."""
    j = i
    while j > 0 and pieces[j - 1].kind == "item":
        j -= 1
    if j == 0:
        return False
    intro = text[pieces[j - 1].start : pieces[j - 1].end].strip()
    return intro.endswith(":") and bool(strength(intro, key_words))


# ------------------------------------------------------------------ glossary


@dataclass(frozen=True)
class Definition:
    chunk: Chunk
    start: int  # the entry, or the defining sentence, in chunk.text
    end: int
    clause: str


def definitions(term: str, entries: Sequence[Chunk], chunks: Sequence[Chunk]) -> list[Definition]:
    """Where `term` is defined: each glossary or definition entry for it (`entries`, the chunks
    the index knows as its entries), whole; when there is none, the first sentence of the text
    (`chunks`, in reading order) that defines it, with the items it introduces."""
    keys = term_keys(term)
    found = []
    for chunk in entries:
        units = passage_units(chunk)
        unit = next((u for u in units if u.kind == "definition" and term_keys(u.term) & keys), None) or (units[0] if units else None)
        if unit is not None:
            kept = [p for p in unit.pieces if not links_only(chunk.text[p.start : p.end])] or list(unit.pieces)
            found.append(Definition(chunk, kept[0].start, kept[-1].end, clause_label(chunk.section, unit.label)))
    if found:
        return found
    for chunk in chunks:
        for unit in passage_units(chunk):
            for i, piece in enumerate(unit.pieces):
                if piece.kind != "item" and defines(chunk.text[piece.start : piece.end], term):
                    end = piece.end
                    for item in unit.pieces[i + 1 :]:  # "X means any of the following:" + its items
                        if item.kind != "item" or not chunk.text[piece.start : piece.end].rstrip().endswith(":"):
                            break
                        end = item.end
                    return [Definition(chunk, piece.start, end, clause_label(chunk.section, unit.label))]
    return []


# ------------------------------------------------------------------ quiz

BLANK = "_____"
_ACTOR_MIN = 3  # a party the document binds this often is one a quiz can ask about


@dataclass(frozen=True)
class QuizItem:
    kind: str  # "choice" (one correct option among four) or "fill-in"
    question: str  # the requirement with its value blanked out
    options: tuple[str, ...]  # empty for a fill-in item
    answer: str
    clause: str
    page: int
    quote: str  # the requirement as printed: the answer key's evidence

    def to_json(self) -> dict:
        return {**asdict(self), "options": list(self.options)}


def quiz(rows: Sequence[ChecklistRow], n: int = 10, seed: str = "") -> list[QuizItem]:
    """Up to `n` items drawn from requirements, spread over them, one per requirement, each
    asking what it states: a value it sets (an amount with its unit, a date), else whom it binds
    ("_____ SHALL ..."), else the level it applies at. Wrong options are of the same kind from
    elsewhere in the document, never one saying the same as the answer or found in the
    statement itself; with fewer than three of them an item is a fill-in. Whom a requirement
    binds is asked only of parties the document binds at least `_ACTOR_MIN` times (the CSP, the
    verifier, Member States), not of any subject a sentence happens to have."""
    import random
    from collections import Counter

    pool: dict[str, dict[str, str]] = {}  # kind of answer -> its key -> as printed
    bound: Counter[str] = Counter()
    found = []
    for row in rows:
        text = " ".join(row.text.split())
        values = stated_values(text)
        for start, end, kind in values:
            pool.setdefault(kind, {}).setdefault(value_key(text[start:end]), text[start:end])
        actor = bound_actor(text)
        if actor:
            key = term_key(text[actor[0] : actor[1]])  # "CSPs" and "CSP" are one party
            bound[key] += 1
            pool.setdefault("actor", {}).setdefault(key, text[actor[0] : actor[1]])
        found.append((row, text, values, actor))
    pool["actor"] = {k: v for k, v in pool.get("actor", {}).items() if bound[k] >= _ACTOR_MIN}
    candidates = []
    for row, text, values, actor in found:
        usable = [(s, e, k) for s, e, k in values if _asks_once(text, text[s:e])]
        if row.strength != "mandatory":
            continue
        if usable:
            candidates.append((row, text, usable[0]))
        elif actor and term_key(text[actor[0] : actor[1]]) in pool["actor"] and text.lower().count(text[actor[0] : actor[1]].lower()) == 1:
            candidates.append((row, text, (*actor, "actor")))
    if not candidates or n <= 0:
        return []
    step = len(candidates) / min(n, len(candidates))
    items = []
    for row, text, (start, end, kind) in (candidates[int(i * step)] for i in range(min(n, len(candidates)))):
        rng = random.Random(f"{seed}|{row.clause}|{text}")
        answer = text[start:end]
        question = f"{text[:start]}{BLANK}{text[end:]}"
        if kind == "actor":
            said = term_key(answer)
            others = [v for key, v in pool["actor"].items() if key != said and v.lower() not in text.lower()]
        else:
            said = {value_key(text[s:e]) for s, e, _ in stated_values(text)}
            others = [v for key, v in pool.get(kind, {}).items() if key not in said]
        rng.shuffle(others)
        if len(others) >= 3:
            options = [answer, *others[:3]]
            rng.shuffle(options)
            items.append(QuizItem("choice", question, tuple(options), answer, row.clause, row.page, row.text))
        else:
            items.append(QuizItem("fill-in", question, (), answer, row.clause, row.page, row.text))
    return items


def reworded(items: Sequence[QuizItem], reword) -> list[QuizItem]:
    """Items whose question an LLM (`reword`: question -> new wording) has made read better,
    each checked against its source sentence: the blank still there exactly once, the answer not
    given away, at least half of the statement's words kept, no longer than twice the original.
    An item whose new wording fails a check (or whose model fails) keeps its own."""
    from dataclasses import replace

    out = []
    for item in items:
        try:
            text = " ".join(str(reword(item.question)).split())
        except Exception:  # noqa: BLE001 - a model that fails leaves the item as it was
            text = ""
        source = set(tokenize(item.question.replace(BLANK, " "))) - set(tokenize(item.answer))
        kept = len(source & set(tokenize(text))) / len(source) if source else 0.0
        ok = (
            text.count(BLANK) == 1
            and item.answer.lower() not in text.lower()
            and value_key(item.answer) not in {value_key(text[s:e]) for s, e, _ in stated_values(text)}
            and kept >= 0.5
            and len(text) <= 2 * len(item.question) + 40
        )
        out.append(replace(item, question=text) if ok else item)
    return out


def _asks_once(text: str, value: str) -> bool:
    """A value the rest of the statement does not give away (it is not stated twice)."""
    key = value_key(value)
    return sum(value_key(text[s:e]) == key for s, e, _ in stated_values(text)) == 1


# ------------------------------------------------------------------ study sheet


@dataclass(frozen=True)
class Point:
    text: str  # quoted from the document
    clause: str
    page: int


@dataclass(frozen=True)
class StudySheet:
    title: str
    points: tuple[Point, ...]  # the section's key statements, in reading order
    terms: tuple[tuple[str, Point], ...]  # (term, its definition) for terms the section uses
    checklist: tuple[ChecklistRow, ...]


_POINT_CHARS = 450  # a unit up to this long is a point whole; a longer one gives its key sentence


def key_points(chunks: Sequence[Chunk], limit: int = 8) -> list[Point]:
    """The statements a reader must take away from a section, in reading order: requirements
    before recommendations before other prose, statements with a value (a number, a date)
    first among equals; a short unit whole, a long one by its strongest sentence."""
    ranked = []
    order = 0
    key_words = uses_key_words("\n".join(c.text for c in chunks))
    weight = {"mandatory": 3, "recommended": 2, "permitted": 1}
    for chunk in chunks:
        for unit in passage_units(chunk):
            if unit.kind in ("table",):
                continue
            text = chunk.text
            whole = text[unit.start : unit.end].strip()
            if unit.kind == "requirement":
                whole = without_level_marks(whole)
            if len(whole) <= _POINT_CHARS:
                candidates = [(unit.start, whole)]
            else:  # a long unit offers each of its sentences
                candidates = [(p.start, text[p.start : p.end].strip()) for p in unit.pieces if p.kind != "item"]
            for start, quote in candidates:
                score = weight.get(strength(quote, key_words), 0) + (0.5 if stated_values(quote) else 0)
                if len(quote) >= 30 and not links_only(quote):
                    ranked.append((score, order, Point(quote, clause_label(chunk.section, unit.label), chunk.page_at(start))))
                    order += 1
    best = sorted(ranked, key=lambda r: (-r[0], r[1]))[:limit]
    seen: set[str] = set()
    out = []
    for _, _, point in sorted(best, key=lambda r: r[1]):
        key = " ".join(point.text.lower().split())
        if key not in seen:
            seen.add(key)
            out.append(point)
    return out


def terms_used(chunks: Sequence[Chunk], known_terms: Sequence[str]) -> list[str]:
    """The glossary terms (of `known_terms`) a section's text uses, in the order it first uses them."""
    text = " ".join(" ".join(c.text.split()) for c in chunks)
    found = []
    for term in known_terms:
        words = [re.escape(w) for w in re.findall(r"[A-Za-z0-9]+", term)]
        m = re.search(r"\b" + r"[\s-]*".join(words) + r"s?\b", text, re.I) if words else None
        if m:
            found.append((m.start(), term))
    return [t for _, t in sorted(found)]
