"""Evidence units: the parts of a passage an answer quotes whole or in part.

A passage (a chunk's text, one block per line) holds units that follow the standard: a numbered
requirement with its id and level marks, an Article's numbered paragraph with its points, a
list with the sentence that introduces it, a definition entry, a table, or a plain paragraph.
Each unit is made of pieces (sentences, list items, table rows) with exact offsets into the
passage, so a quote is always copied from the text.

Labels say where a unit sits: "(7)" for paragraph 7 of an Article, "2.1" for a requirement,
"(22)" for a numbered definition; `clause_label` joins them to the passage's section
("Article 26(7)", "Article 3(22)").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .text import (
    closing_formula,
    GLOSSARY_ENTRY,
    RECITALS,
    declares_informative,
    defined_term,
    glossary_heading_term,
    item_label,
    level_columns,
    level_header,
    levels_for,
    list_item,
    numbered_paragraph,
    prefixed_paragraph,
    requirement_id,
    requirement_ids,
    sentence_spans,
    strip_bullet,
    table_row,
    term_key,
    title_line,
    trailing_level_marks,
)
from .types import Chunk


@dataclass(frozen=True)
class Piece:
    start: int  # offsets into the passage text
    end: int
    kind: str  # "sentence", "item", "row"


@dataclass(frozen=True)
class Unit:
    start: int
    end: int
    kind: str  # "paragraph", "list", "definition", "requirement", "table"
    pieces: tuple[Piece, ...]
    label: str = ""  # "(7)", "2.1", "(22)"; "" for a plain paragraph
    term: str = ""  # the term a definition entry defines
    levels: str = ""  # "L1, L2" for a requirement-table row, or the marks as printed ("✓ ✓")
    aka: str = ""  # a requirement's second id ("MSTG-STORAGE-1" beside "2.1")

    @property
    def size(self) -> int:
        return self.end - self.start


# a requirement row is a line of a table: one longer than this is running text that happens to
# start with a number (a flattened table, a paragraph after a reference list) and is read by sentence
_LONGEST_ROW = 600


def clause_label(section: str, label: str) -> str:
    """Where a unit sits, as a reader cites it: "Article 26" + "(7)" -> "Article 26(7)";
    a requirement's own id stands alone ("2.1"); no label -> the section."""
    if not label:
        return section
    if not label.startswith("("):
        return label if not section or not label.rstrip(".").isdigit() else f"{section}({label.rstrip('.')})"
    return f"{section}{label}" if section else label


def informative_sections(chunks: Sequence[Chunk]) -> set[tuple[str, str]]:
    """(document, section) pairs of the parts documents declare informative ("This section is
    informative.", "Annex B (informative)"), with their sub-sections."""
    declared = {(c.doc_id, c.section) for c in chunks if c.section and declares_informative(f"{c.heading}\n{c.text}")}
    declared |= {(c.doc_id, c.section) for c in chunks if c.section == RECITALS}
    under = {(c.doc_id, c.section) for c in chunks if any(c.doc_id == d and c.section.startswith(f"{s}.") for d, s in declared)}
    return declared | under


def passage_units(chunk: Chunk) -> list[Unit]:
    """The evidence units of a passage, in reading order."""
    text = chunk.text
    lines: list[tuple[int, str]] = []
    at = 0
    for line in text.split("\n"):
        lines.append((at, line))
        at += len(line) + 1
    last_label = chunk.heading.split(" > ")[-1] if chunk.heading else ""
    # the level columns of the requirement table the passage belongs to, as the chunker found them
    columns = [c for c in chunk.levels.split(",") if c] or level_columns(text)
    entry = _entry_term(chunk)
    units: list[Unit] = []
    i = 0
    while i < len(lines):
        at, line = lines[i]
        stripped = line.strip()
        wordless = not any(ch.isalnum() for ch in stripped)  # "—" in an empty table cell says nothing
        if wordless or (i == 0 and last_label and stripped == last_label) or _is_heading_line(stripped, chunk) or level_header(stripped):
            i += 1
            continue
        # a run of three or more short unpunctuated lines is a table: one unit, one piece per row
        j = i
        while j < len(lines) and table_row(lines[j][1]) and not requirement_id(lines[j][1]) and not list_item(lines[j][1]):
            j += 1
        if j - i >= 3:
            rows = tuple(Piece(a, a + len(l), "row") for a, l in lines[i:j] if l.strip())
            units.append(Unit(rows[0].start, rows[-1].end, "table", rows))
            i = j
            continue
        ident, aka = requirement_ids(stripped)
        term = defined_term(stripped) or (entry if i == 0 or (not units and entry) else "")
        previous = lines[i - 1][1].strip() if i else ""
        if units and units[-1].kind == "paragraph" and _breaks_off(previous) and not list_item(stripped) and not _next_paragraph(units[-1], stripped):
            # the line goes on with the sentence the one before broke off ("... all of" + "MASVS-L1 (i.e. ...")
            more = [Piece(at + a, at + b, "sentence") for a, b in _line_pieces(line)]
            last = units[-1]
            joined = Piece(last.pieces[-1].start, more[0].end, "sentence")  # the broken sentence, whole again
            units[-1] = Unit(last.start, more[-1].end, last.kind, last.pieces[:-1] + (joined, *more[1:]), last.label, last.term)
            i += 1
            continue
        if ident and not term and len(stripped) <= _LONGEST_ROW:
            marks = trailing_level_marks(stripped)
            levels = levels_for(marks, columns) or (" ".join("\u2713" * marks) if marks else "")
            units.append(Unit(at, at + len(line), "requirement", (Piece(at, at + len(line), "row"),), ident, "", levels, aka))
            i += 1
            continue
        # a block: this line and the list items (or points) that belong to it
        pieces = [Piece(at + a, at + b, "item" if list_item(line) else "sentence") for a, b in _line_pieces(line)]
        kind = "definition" if term else "paragraph"
        label = _label(stripped, term)
        numbered = bool(numbered_paragraph(stripped))
        if list_item(stripped) and not term:
            kind = "list"
        takes_items = (
            stripped.endswith(":")
            or numbered
            or term
            or kind != "paragraph"
            # a short paragraph followed by a list introduces it, even without a colon
            or (len(stripped) <= 300 and i + 1 < len(lines) and list_item(lines[i + 1][1]))
        )
        k = i + 1
        while takes_items and k < len(lines) and _item_of(lines[k][1], stripped, numbered):
            a, l = lines[k]
            pieces.append(Piece(a, a + len(l), "item"))
            k += 1
        if k > i + 1 and kind == "paragraph":
            kind = "list"
        title = units[-1] if units and units[-1].kind == "paragraph" and len(units[-1].pieces) == 1 else None
        if title and kind in ("paragraph", "list") and title_line(text[title.start : title.end]) and not title_line(stripped):
            units[-1] = Unit(title.start, pieces[-1].end, kind, title.pieces + tuple(pieces), label, term)  # a title leads its paragraph
        else:
            units.append(Unit(pieces[0].start, pieces[-1].end, kind, tuple(pieces), label, term))
        i = k
    return [part for unit in units for part in _without_closing(unit, text)]


def _without_closing(unit: Unit, text: str) -> list[Unit]:
    """The unit, and the formula closing a legal act as a unit of its own when the extraction ran it
    into the last paragraph ("... shall apply from 30 June 2025. This Regulation shall be binding
    ... Done at Brussels, 31 May 2023.")."""
    at = next((k for k, p in enumerate(unit.pieces) if k and p.kind == "sentence" and closing_formula(text[p.start : p.end])), 0)
    if not at:
        return [unit]
    mine, closing = unit.pieces[:at], unit.pieces[at:]
    return [replace(unit, end=mine[-1].end, pieces=mine), Unit(closing[0].start, closing[-1].end, "paragraph", closing)]


def _breaks_off(line: str) -> bool:
    """A line of running text that stops mid-sentence: long, and ending with a word, not a stop
    (the next line goes on with its sentence)."""
    return len(line) > 60 and bool(re.search(r"[a-z,]$", line)) and not table_row(line) and not list_item(line)


def _next_paragraph(open_unit: Unit, line: str) -> bool:
    """Whether `line` opens the numbered paragraph after the open one ("3. Operators ..." after
    paragraph 2, whose last sentence the text left without its full stop): not the rest of its
    sentence."""
    number = numbered_paragraph(line)
    return bool(number) and open_unit.label == f"({int(number) - 1})"


def _item_of(line: str, intro: str, numbered: bool) -> bool:
    """Whether `line` is an item of the block `intro` starts: a list item or point, or a
    numbered line "1. ..." after an intro that is not itself a numbered paragraph (in an
    Article, "2." after "1. ... shall:" starts the next paragraph)."""
    if defined_term(line.strip()):
        return False
    return list_item(line) or (not numbered and intro.endswith(":") and bool(numbered_paragraph(line)))


def _entry_term(chunk: Chunk) -> str:
    """The term of a glossary entry chunk ("Glossary > Red flag" whose text starts "Red flag:",
    or "Glossary > 14.3 CAHRA (...)" whose body defines it)."""
    if not chunk.heading:
        return ""
    named = glossary_heading_term(chunk.heading)
    if named:
        return named
    last = chunk.heading.split(" > ")[-1]
    m = GLOSSARY_ENTRY.match(strip_bullet(chunk.text.split("\n", 1)[0]))
    if m and term_key(m.group("term")) == term_key(last):
        return last
    term = defined_term(chunk.text.split("\n", 1)[0])
    return term if term and term_key(term) == term_key(last) else ""


def _is_heading_line(line: str, chunk: Chunk) -> bool:
    """The passage's own heading, repeated at its top ("Article 48 Battery due diligence policies")."""
    labels = chunk.heading.split(" > ") if chunk.heading else []
    return bool(labels) and (line in labels or re.sub(r"^(\S+?):\s", r"\1 ", line) in labels)  # "V1: Inventory" as "V1 Inventory"


def _line_pieces(line: str) -> list[tuple[int, int]]:
    """A list item is one piece; a paragraph line is split into sentences."""
    if list_item(line):
        return [(0, len(line))]
    return sentence_spans(line) or [(0, len(line))]


def _label(line: str, term: str) -> str:
    """"(7)" for an Article's paragraph "7. ...", "(22)" for a definition "(22) 'x' means",
    "(a)" for a point."""
    number = numbered_paragraph(line)
    if number:
        return f"({number})"
    prefixed = prefixed_paragraph(line)
    if prefixed:
        return prefixed  # "AR 9": an id that stands alone, as readers cite it
    label = item_label(line)
    if label:
        inner = label.strip("().")
        return f"({inner})"
    return ""


def mentions(unit_text_: str, key: str) -> bool:
    """Whether a unit's text holds a term, spelling-insensitively (see text.term_key)."""
    squashed = re.sub(r"[^a-z0-9]+", "", unit_text_.lower())
    return bool(key) and key in squashed
