"""Split a Document into Chunks that follow its structure.

Headings (numbered clauses "5.2.3", requirement ids "V6.2.1", "Step 2", "Annex II",
"Appendix C", Markdown '#' lines, glossary terms) open sections; a heading always stays with
its body. A section that fits `max_chars` is one chunk; a longer one is split between
sentences with a small overlap. Tables and lists are kept whole when they fit. Every chunk
records its first and last page, its section id and its heading path.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from .loaders import slugify
from .text import (
    GLOSSARY_ENTRY,
    GLOSSARY_TITLE,
    HEADING_KEYWORDS,
    RECITALS,
    defined_term,
    id_only,
    level_columns,
    level_header,
    list_item,
    numbered_paragraph,
    only_level_marks,
    opens_recitals,
    requirement_id,
    split_leading_marks,
    split_sentences,
    strip_bullet,
    table_row,
    trailing_level_marks,
)
from .types import Chunk, Document

CHUNKER_VERSION = 18  # bump when chunk boundaries change, so unchanged files are indexed again

# ---------------------------------------------------------------- heading detection

_NUMBERED = re.compile(
    r"^(?P<id>(?:[A-Z]{1,2}-?)?\d{1,2}(?:\.\d{1,3}){0,5})(?:\.|\)|(?<=[A-Z]\d):|(?<=[A-Z]\d\d):)?\s+(?P<title>\S.*)$"
)
_KEYWORDS = "|".join(HEADING_KEYWORDS)
_KEYWORD = re.compile(
    rf"^(?P<kw>{_KEYWORDS})\s+(?P<num>[IVXL]{{1,6}}|\d{{1,3}}[A-Za-z]?|[A-Z])\b\s*[:.\-\u2013\u2014]?\s*(?P<title>.*)$",
    re.I,
)
_TOP_KEYWORDS = {"annex", "appendix", "schedule", "chapter", "part"}
_PARAGRAPHED = {"article", "section", "clause", "criterion", "principle", "module"}  # may hold "1." paragraphs
_QUESTION_START = re.compile(r"^(what|how|who|when|where|why|which|can|do|does|is|are|should|must|may)\b", re.I)
_NOT_TERMS = {"source", "sources", "note", "notes", "example", "examples", "see", "see also", "reference", "references"}
_CONTENTS = re.compile(r"^(table of )?contents$", re.I)
_NAMED = {
    "introduction", "overview", "scope", "glossary", "definitions", "references", "revision history",
    "annexes", "appendices", "foreword", "preface", "acknowledgements", "acknowledgments", "disclaimer",
    "disclaimers", "background", "purpose", "bibliography", "abbreviations", "acronyms",
    "terms and definitions", "table of contents", "contents", "summary", "executive summary",
}
_LEADER = r"(\.{3,}|\u2026|\s\.\s\.\s)"  # the dots between a contents entry and its page number
_TOC_LINE = re.compile(rf"{_LEADER}\s*\d{{1,4}}$")
_TRAILING_PAGE = re.compile(r"\s(\d{1,3})$")
_KEYWORD_BEFORE_NUMBER = re.compile(
    rf"\b({_KEYWORDS}|criteria|phase|level|tier|track|version|rev|grade|class|category|rule|item|no)\.?\s+\d{{1,3}}$", re.I
)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")


@dataclass(frozen=True)
class Heading:
    section: str  # id or "" for unnumbered headings
    title: str
    kind: str  # "numbered", "keyword", "named", "markdown", "term", "styled" (set in a heading font)
    level: int = 1
    parts: tuple[int, ...] = ()  # numeric parts of a numbered id, for order checks

    @property
    def label(self) -> str:
        return f"{self.section} {self.title}".strip() if self.section else self.title


def _roman(text: str) -> bool:
    return bool(re.fullmatch(r"[IVXL]+", text))


def parse_heading(line: str, *, markdown_only: bool = False, hashes: bool = True) -> Heading | None:
    """Recognise a heading line; None for body text. Order checks happen in the caller.
    `hashes`: whether "# Title" lines are headings (Markdown, and the loaders' DOCX and HTML
    text); in a PDF "#" is printed text, such as a table's number column."""
    md = _MD_HEADING.match(line) if hashes else None
    if md:
        level = len(md.group(1))
        inner = md.group(2).strip()
        sub = parse_heading(inner) if inner else None
        if sub and sub.kind in ("numbered", "keyword"):
            return Heading(sub.section, sub.title, "markdown", level, sub.parts)
        return Heading("", inner, "markdown", level)
    if markdown_only:
        return None
    text = line.strip()
    if not 2 <= len(text) <= 160 or _TOC_LINE.search(text):
        return None
    kw = _KEYWORD.match(text)
    if kw:
        title = kw.group("title").strip()
        if title and (
            not (title[0].isupper() or title[0].isdigit() or title[0] in "\"'(")
            or len(title.split()) > 14
            or title.endswith((".", ",", ";"))
        ):
            return None
        if kw.group("kw").lower() in ("section", "clause", "part") and not title:
            return None  # "Section 4" alone is usually a cross-reference line
        word = kw.group("kw").capitalize()
        num = kw.group("num")
        if kw.group("kw").isupper() and _roman(num.upper()):
            num = num.upper()
        return Heading(f"{word} {num}", title, "keyword")
    m = _NUMBERED.match(text)
    if m:
        title = m.group("title").strip()
        ident = m.group("id")
        parts = tuple(int(p) for p in re.sub(r"^[A-Z]{1,2}-?", "", ident).split("."))
        if not title[0].isupper() and not title[0] in "\"'(" or id_only(title):
            return None  # lower case, or a second id column ("1.3 MSTG-ARCH-3"): a table row
        if trailing_level_marks(title):
            return None  # "3.1 Application uses a repeatable build ✓ ✓ ✓": a requirement-table row
        if len(title) > 120 or len(title.split()) > 16 or title.endswith((".", ",", ";")) and len(title) > 40:
            return None
        if title.endswith(":") and len(title.split()) > 3:
            return None  # a line that introduces a list
        question = title.endswith("?") or _QUESTION_START.match(title)
        if re.search(r"[.,;]\s*\S", title) and len(title.split()) > 10 and not question:
            return None  # a sentence, unless it is a question heading ("16.9 What is ..., and ...?")
        if "." not in ident and not ident[0].isalpha() and (parts[0] > 40 or parts[0] == 0):
            return None
        trailing = _TRAILING_PAGE.search(title)
        if trailing and not _KEYWORD_BEFORE_NUMBER.search(title) and len(title.split()) > 1:
            return None  # table-of-contents line "5.2 Risk assessment 18"
        return Heading(ident, title, "numbered", len(parts), parts)
    if opens_recitals(text):
        return Heading(RECITALS, "", "named", 1)
    low = text.lower().rstrip(":")
    if low in _NAMED or (text.isupper() and low in _NAMED):
        return Heading("", text.rstrip(":"), "named", 1)
    return None


def _title_like(line: str, lower: bool = False, long: bool = False) -> bool:
    """A short line that reads like a heading title (printed under "Article 4", say), or with
    `lower`, like the end of a heading printed over two lines. With `long`, a title may run to
    30 words ("Carbon footprint of electric vehicle batteries, rechargeable industrial ...")."""
    if lower:  # the tail of a heading: "timelines", "and Zinc marks", "I get it?"
        return 0 < len(line) <= 60 and not re.search(r"[.;,:]$", line) and len(line.split()) <= 6
    words, chars = (30, 220) if long else (10, 80)
    return (
        0 < len(line) <= chars
        and line[:1].isupper()
        and not re.search(r"[.;,:]$", line)
        and len(line.split()) <= words
        and not numbered_paragraph(line)
    )


def _contents_key(line: str) -> str:
    """How a heading is listed in a table of contents and printed in the text alike:
    "1. Purpose ..... 3" and "1 Purpose" share the key "1 purpose"."""
    line = re.sub(rf"{_LEADER}.*$", "", line)
    line = re.sub(r"\s\d{1,4}$", "", line.strip())
    return " ".join(re.findall(r"[a-z0-9]+", line.lower()))


def _listed(heading: Heading, following: str) -> bool:
    """A numbered heading directly followed by its sibling or a later section is a line of a
    list of headings; a real heading is followed by its body or by its first sub-clause."""
    if heading.kind != "numbered":
        return False
    nxt = parse_heading(following)
    if nxt is None or nxt.kind != "numbered" or not nxt.parts:
        return False
    child = len(nxt.parts) > len(heading.parts) and nxt.parts[: len(heading.parts)] == heading.parts
    return not child and nxt.parts != heading.parts


def _follows(prev: tuple[int, ...] | None, cur: tuple[int, ...]) -> bool:
    """Whether numbered id `cur` can come after `prev` in a document (child, sibling, uncle)."""
    if prev is None:
        return True
    if len(cur) == len(prev) + 1 and cur[:-1] == prev and cur[-1] <= 3:
        return True
    for depth in range(1, min(len(cur), len(prev)) + 1):
        if cur[: depth - 1] == prev[: depth - 1] and 0 < cur[depth - 1] - prev[depth - 1] <= 3:
            return all(p <= 2 for p in cur[depth:])
    return False


# ---------------------------------------------------------------- blocks and sentences

@dataclass
class _Unit:
    text: str
    page_start: int
    page_end: int
    kind: str  # "heading", "sentence", "list", "table", "row" (a numbered requirement)
    new_block: bool = False  # starts a new paragraph when joined
    breaks: tuple[tuple[int, int], ...] = ()  # (offset in text, page) where a later page begins

    @property
    def size(self) -> int:
        return len(self.text) + 1


@dataclass
class _Section:
    heading: Heading | None
    path: list[str]
    section_id: str
    lines: list[tuple[str, int]] = field(default_factory=list)


def _is_prose_continuation(prev: str, line: str, width: float = 75.0) -> bool:
    """True when `prev` is a full line of running text that does not end a sentence, so
    `line` most likely continues it."""
    return bool(prev) and bool(line) and not re.search(r"[.:;!?)\"'\u201d\u2019]$", prev) and len(prev) >= 0.8 * width


class _Structure:
    """Walks lines and assigns them to sections, checking numbered headings stay in order."""

    def __init__(
        self, markdown_only: bool, line_width: float = 80.0, heading_counts: dict[str, int] | None = None, hashes: bool = True
    ):
        self.markdown_only = markdown_only
        self.hashes = hashes
        self.heading_counts = heading_counts or {}  # how often each heading-like line occurs
        self.listing = False  # the line before was a heading named in a list of headings
        self.last_styled = 0  # heading style of the line before
        self.line_width = line_width  # typical length of a full line of body text
        self.stack: list[tuple[int, Heading]] = []
        self.last_numbered: tuple[int, ...] | None = None
        self.first_numbered: tuple[int, ...] | None = None
        self.numbered_base = 0  # extra depth when numbering restarts inside an annex
        self.outer_numbered: tuple[int, ...] | None = None  # main-body numbering before an annex
        self.sections: list[_Section] = [_Section(None, [], "")]
        self.glossary_level: int | None = None
        # per open heading (by identity): the section id its section got ("Annex I.10") and the
        # heading style it was printed in (0: none), so what it holds inherits the same id
        self.opened: dict[int, tuple[str, int]] = {}

    def feed(self, line: str, page: int, prev: str, following: str = "", styled: int = 0, next_styled: int = 0) -> bool:
        """Take one line; True when the following line was used as this heading's title.
        `styled`, `next_styled`: the level of the heading style this line and the following one
        are printed in (0: body text)."""
        if styled and self.last_styled == styled and self.sections[-1].heading is not None and len(self.sections[-1].lines) == 1:
            self._extend_heading(line, page)  # a heading printed over two lines in one style
            return False
        self.last_styled = styled
        parsed = parse_heading(line, markdown_only=self.markdown_only, hashes=self.hashes)
        heading = parsed
        if heading and heading.kind == "named" and styled:
            heading = replace(heading, level=styled)
        if heading is None and styled and not self._in_contents():
            heading = Heading("", line.strip(), "styled", styled)
        if heading and self._in_contents() and self.heading_counts.get(_contents_key(line), 0) > 1:
            heading = None  # an entry of the table of contents, printed again where the section starts
        if heading and not self.markdown_only and (self.listing or _listed(heading, following)):
            heading = None  # a list of headings (contents, a table of sections) names them, it does not open them
        self.listing = heading is None and parsed is not None and not self.markdown_only
        wrapped = following[:1].islower() and len(line.strip()) >= 0.8 * self.line_width
        if heading and heading.kind == "numbered":
            if wrapped or (re.match(r"^\S+\.\s", line.strip()) and len(heading.title.split()) > 10):
                heading = None  # a numbered sentence that wraps onto the next line, not a heading
            else:
                heading = self._check_numbered(heading, line, prev)
        if (
            heading
            and heading.kind in ("numbered", "keyword")
            and not heading.title.endswith(("?", ".", ":"))
            and (following[:1].islower() or following.endswith("?"))
            and _title_like(following, lower=True)
        ):
            # a long heading printed over two lines: "11 The assurance process and its" / "timelines"
            heading = replace(heading, title=f"{heading.title} {following}")
            self._open(heading, page, f"{line.strip()} {following}", styled)
            return True
        if heading and heading.kind == "keyword" and (
            wrapped
            or (_is_prose_continuation(prev, line, self.line_width) and (len(heading.title.split()) > 4 or not heading.title))
            or (not heading.title and line.strip().endswith("."))
        ):
            heading = None  # "Section 7 of the Code applies ..." or "... in accordance with / Article 8." wrapped
        if heading and heading.kind == "numbered" and self._in_articles() and re.match(r"^\d+\.\s", line.strip()):
            heading = None  # numbered paragraphs inside an Article are body text
        if heading and heading.kind == "keyword" and not heading.title and (_title_like(following, long=True) or next_styled):
            self.last_styled = next_styled  # a title printed over two lines continues on the next one
            heading = Heading(heading.section, following, "keyword", heading.level)
            self._open(heading, page, f"{line.strip()} {following}", styled)
            return True
        if heading is None and self._in_glossary() and not self.markdown_only:
            heading = self._glossary_term(line)
        if heading is None and self.stack and self.stack[-1][1].kind == "term" and numbered_paragraph(line):
            self._reopen_parent(page)  # "2. In addition to ..." ends the last entry of a definitions list
        if heading is None:
            self.sections[-1].lines.append((line, page))
        else:
            self._open(heading, page, line, styled)
        return False

    def _in_articles(self) -> bool:
        inner = [h for _, h in self.stack if h.kind != "term"]
        return bool(inner) and inner[-1].kind == "keyword" and inner[-1].section.split()[0].lower() in _PARAGRAPHED

    def _extend_heading(self, line: str, page: int) -> None:
        """Add the second line of a two-line heading to the heading just opened."""
        section = self.sections[-1]
        heading = replace(section.heading, title=f"{section.heading.title} {line.strip()}".strip())
        section.heading = heading
        section.path[-1] = heading.label
        self.opened[id(heading)] = self.opened.pop(id(self.stack[-1][1]), (section.section_id, 0))
        self.stack[-1] = (self.stack[-1][0], heading)
        text, first_page = section.lines[0]
        section.lines[0] = (f"{text} {line.strip()}", first_page)

    def _in_contents(self) -> bool:
        return any(_CONTENTS.match(h.title) for _, h in self.stack)

    def _reopen_parent(self, page: int) -> None:
        """Continue the section a glossary entry sits in, after the entry."""
        self.stack.pop()
        path = [h.label for _, h in self.stack]
        section_id = self.sections[-1].section_id
        self.sections.append(_Section(self.stack[-1][1] if self.stack else None, path, section_id, [("", page)]))

    def _in_glossary(self) -> bool:
        return any(GLOSSARY_TITLE.search(h.title) and h.kind != "term" for _, h in self.stack)

    def _glossary_term(self, line: str) -> Heading | None:
        """A glossary line "Term: definition" or a numbered entry "(8) 'processor' means ..."
        opens an entry of its own."""
        term = defined_term(line)
        if not term:
            m = GLOSSARY_ENTRY.match(strip_bullet(line))
            if not m or len(m.group("term").split()) > 8 or m.group("term").strip().lower() in _NOT_TERMS:
                return None
            term = m.group("term").strip()
        parent_level = max(level for level, h in self.stack if h.kind != "term")
        return Heading("", term, "term", parent_level + 1)

    def _check_numbered(self, heading: Heading, line: str, prev: str) -> Heading | None:
        if _is_prose_continuation(prev, line, self.line_width) and len(heading.title.split()) > 6:
            return None
        if self.numbered_base and self.outer_numbered and len(heading.parts) == 1 and _follows(
            self.outer_numbered, heading.parts
        ):
            self.numbered_base = 0  # main numbering resumes after an annex ("8 Glossary")
            self.last_numbered = self.outer_numbered
            self.outer_numbered = None
        if not _follows(self.last_numbered, heading.parts):
            if heading.parts == self.first_numbered and self._only_contents_so_far():
                self.last_numbered = None  # the earlier run of headings was a table of contents
            else:
                return None
        if self.first_numbered is None:
            self.first_numbered = heading.parts
        self.last_numbered = heading.parts
        return Heading(heading.section, heading.title, "numbered", heading.level + self.numbered_base, heading.parts)

    def _only_contents_so_far(self) -> bool:
        numbered = [s for s in self.sections if s.heading and s.heading.kind == "numbered"]
        body = sum(len(text) for s in numbered for text, _ in s.lines)
        return bool(numbered) and body < 40 * len(numbered)

    def _open(self, heading: Heading, page: int, line: str, style: int = 0) -> None:
        """Open a section for `heading`, printed in heading style `style` (0: none)."""
        level = heading.level
        if heading.kind == "keyword":
            kw = heading.section.split()[0].lower()
            same = [lv for lv, h in self.stack if h.kind == "keyword" and h.section.split()[0].lower() == kw]
            if same:
                level = same[-1]
            elif kw in _TOP_KEYWORDS:
                level = 1
            else:
                parents = [(lv, h) for lv, h in self.stack if h.kind in ("numbered", "keyword", "markdown")]
                level = parents[-1][0] + 1 if parents else 1
            if kw in _TOP_KEYWORDS and level == 1:
                if not self.numbered_base:
                    self.outer_numbered = self.last_numbered
                self.last_numbered = None
                self.first_numbered = None
                self.numbered_base = 1
        elif heading.kind in ("named", "markdown", "styled") and level == 1 and not self.markdown_only:
            self.numbered_base = 0
        if heading.kind == "styled" and style:
            # "Application Requirements" printed as large as "10 Transitional provisions" is its
            # sibling, not a part of it
            bigger = [lv for lv, h in self.stack if h.kind == "numbered" and 0 < style <= self.opened.get(id(h), ("", 0))[1]]
            level = min([level, *bigger])
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, heading))
        path = [h.label for _, h in self.stack]
        # an unnumbered heading's section is its closest numbered ancestor's, as that one's section was named
        section_id = next((self.opened.get(id(h), (h.section, 0))[0] for _, h in reversed(self.stack[:-1]) if h.section), "")
        section_id = heading.section or section_id
        if self.numbered_base and heading.kind == "numbered":
            annex = next((h.section for _, h in self.stack if h.kind == "keyword" and h.section), "")
            section_id = f"{annex}.{heading.section}" if annex else section_id  # "Annex I.2"
        self.opened[id(heading)] = (section_id, style)
        self.sections.append(_Section(heading, path, section_id))
        self.sections[-1].lines.append((line.lstrip("#").strip(), page))


def _joined(lines: list[tuple[str, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Lines of one paragraph as one string (words hyphenated at a line end rejoined), and the
    (offset, page) where each line begins."""
    text = ""
    starts: list[tuple[int, int]] = []
    for line, page in lines:
        if text.endswith("-") and line[:1].islower() and not text.endswith(" -"):
            text = text[:-1]
        elif text:
            text += " "
        starts.append((len(text), page))
        text += line
    return text, starts


def _blocks(lines: list[tuple[str, int]]) -> list[_Unit]:
    """Turn a section's lines into units: heading, sentences, whole list items, table rows and
    numbered requirements (one unit each, with the level marks printed at the end of their row)."""
    units: list[_Unit] = []
    para: list[tuple[str, int]] = []
    table: list[tuple[str, int]] = []
    row: list[tuple[str, int]] = []

    def flush_para() -> None:
        if not para:
            return
        text, starts = _joined(para)
        offsets = [at for at, _ in starts]
        first = True
        offset = 0
        for sent in split_sentences(text):
            begin = text.find(sent, offset)
            end = begin + len(sent) - 1
            offset = begin + len(sent)
            page_a = starts[bisect.bisect_right(offsets, max(begin, 0)) - 1][1]
            page_b = starts[bisect.bisect_right(offsets, max(end, 0)) - 1][1]
            breaks = _page_breaks(starts, begin, end, page_a)
            units.append(_Unit(sent, page_a, page_b, "sentence", new_block=first, breaks=breaks))
            first = False
        para.clear()

    def flush_row() -> None:
        if not row:
            return
        text, starts = _joined(row)
        breaks = _page_breaks(starts, 0, len(text), row[0][1])
        units.append(_Unit(text, row[0][1], row[-1][1], "row", True, breaks))
        row.clear()

    def flush_table() -> None:
        if not table:
            return
        if len(table) >= 3:
            pages = [p for _, p in table]
            starts, at = [], 0
            for line, page in table:
                starts.append((at, page))
                at += len(line) + 1
            breaks = _page_breaks(starts, 0, at, pages[0])
            units.append(_Unit("\n".join(t for t, _ in table), min(pages), max(pages), "table", True, breaks))
        else:
            para.extend(table)
            flush_para()
        table.clear()

    for i, (line, page) in enumerate(lines):
        if i == 0:
            units.append(_Unit(line, page, page, "heading", True))
            continue
        if row:
            marks, line = split_leading_marks(line)
            if marks:  # "✓ ✓ 1.2.4 Verify ...": the marks close the row before
                row.append((marks, page))
                flush_row()
            elif only_level_marks(line):
                row.append((line, page))
                flush_row()
                continue
            elif not line.strip() or requirement_id(line) or trailing_level_marks(row[-1][0]):
                flush_row()
            else:
                row.append((line, page))  # the requirement's text wraps onto the next line
                continue
        if not line.strip():
            flush_table()
            flush_para()
            continue
        if requirement_id(line):
            flush_table()
            flush_para()
            row.append((line, page))
            continue
        if level_header(line):  # "# ID Description L1 L2" on a line of its own, not the end of a paragraph
            flush_table()
            flush_para()
            units.append(_Unit(line, page, page, "table", True))
            continue
        tableish = table_row(line) and not list_item(line)
        if numbered_paragraph(line) and line.split(" ", 1)[-1][:1].isupper():
            flush_table()
            flush_para()  # "2. The controller shall ..." starts a paragraph of its own
        if list_item(line):
            flush_table()
            flush_para()
            para.append((line, page))
            # a list item runs on over following lines until a new item or paragraph
            continue
        if tableish and (table or _next_is_tableish(lines, i)) and not (para and _is_prose_continuation(para[-1][0], line)):
            flush_para()
            table.append((line, page))
            continue
        flush_table()
        if para and list_item(para[0][0]) and re.search(r"[.;:!?]$", para[-1][0]) and line[:1].isupper():
            flush_para()
        para.append((line, page))
    flush_row()
    flush_table()
    flush_para()
    for unit in units:
        if unit.kind == "sentence" and list_item(unit.text) and unit.new_block:
            unit.kind = "list"
    return units


def _page_breaks(starts: list[tuple[int, int]], begin: int, end: int, page: int) -> tuple[tuple[int, int], ...]:
    """Offsets (relative to `begin`) inside [begin, end] where a line from a later page starts.
    `starts` holds (offset, page) of each line, in order."""
    out = []
    first = bisect.bisect_right(starts, (begin, float("inf")))
    for at, number in starts[first:]:
        if at > end:
            break
        if number > page:
            out.append((at - begin, number))
            page = number
    return tuple(out)


def _next_is_tableish(lines: list[tuple[str, int]], i: int) -> bool:
    following = [line for line, _ in lines[i + 1 : i + 3]]
    return len(following) == 2 and all(table_row(line) for line in following)


def _join(units: list[_Unit]) -> tuple[str, str]:
    """The piece's text and its page marks ("offset:page" where a new page starts)."""
    text = ""
    marks: list[str] = []
    page = units[0].page_start if units else 1
    for unit in units:
        if text:
            text += "\n" if unit.new_block or unit.kind in ("heading", "table", "list", "row") else " "
        if unit.page_start > page:
            page = unit.page_start
            marks.append(f"{len(text)}:{page}")
        for at, number in unit.breaks:
            if number > page:
                page = number
                marks.append(f"{len(text) + at}:{page}")
        text += unit.text
    return text, ",".join(marks)


def _atoms(units: list[_Unit], max_chars: int) -> list[list[_Unit]]:
    """Units that must stay together: a short list with the sentence that introduces it."""
    atoms: list[list[_Unit]] = []
    group: list[_Unit] = []

    def close() -> None:
        if group:
            if sum(u.size for u in group) <= max_chars // 2:
                atoms.append(list(group))
            else:
                atoms.extend([u] for u in group)
            group.clear()

    for unit in _table_rows(units, max_chars):
        if unit.kind == "list":
            if not group and atoms and len(atoms[-1]) == 1 and atoms[-1][0].text.endswith(":"):
                group.append(atoms.pop()[0])  # "... as follows:" belongs with its items
            group.append(unit)
        elif group and not unit.new_block:
            group.append(unit)  # a further sentence of the same item
        else:
            close()
            atoms.append([unit])
    close()
    return atoms


def _table_rows(units: list[_Unit], max_chars: int) -> list[_Unit]:
    """Units with every table longer than max_chars cut into one unit per row."""
    out: list[_Unit] = []
    for unit in units:
        if unit.kind != "table" or unit.size <= max_chars:
            out.append(unit)
            continue
        at = 0
        page = unit.page_start
        for line in unit.text.split("\n"):
            end = at + len(line)
            inside = tuple((b - at, p) for b, p in unit.breaks if at < b <= end)
            page = max([p for b, p in unit.breaks if b <= at], default=page)
            out.append(_Unit(line, page, max([page] + [p for _, p in inside]), "table", True, inside))
            at = end + 1
    return out


def _pack(units: list[_Unit], max_chars: int, min_chars: int, overlap: int) -> list[list[_Unit]]:
    """Greedy packing of units into pieces of at most max_chars, never cutting a unit, a table
    or a short list. A piece ends at the start of a paragraph when one began past the middle of
    it (no overlap needed there); otherwise between sentences, repeating `overlap` sentences."""
    if sum(u.size for u in units) <= max_chars:
        return [units]
    pieces: list[list[_Unit]] = []
    current: list[_Unit] = []
    for atom in _atoms(units, max_chars):
        size = sum(u.size for u in current)
        if current and size + sum(u.size for u in atom) > max_chars and any(u.kind != "heading" for u in current):
            cut = _paragraph_cut(current, max_chars)
            if cut:
                pieces.append(current[:cut])
                current = current[cut:]
            else:
                pieces.append(current)
                tail = [u for u in current[-overlap:] if u.kind == "sentence"] if overlap else []
                if sum(u.size for u in tail) > max_chars // 3:
                    tail = []
                current = [_Unit(u.text, u.page_start, u.page_end, u.kind, False, u.breaks) for u in tail]
        current.extend(atom)
    if current:
        if pieces and sum(u.size for u in current) < min_chars:
            pieces[-1].extend(u for u in current if u not in pieces[-1])
        else:
            pieces.append(current)
    return pieces


def _paragraph_cut(units: list[_Unit], max_chars: int) -> int:
    """Index of the last unit that starts a paragraph past the middle of the piece, or 0."""
    size = 0
    best = 0
    for i, unit in enumerate(units):
        if i and unit.new_block and unit.kind != "heading" and size >= 0.45 * max_chars:
            best = i
        size += unit.size
    return best


def _level_header(lines: list[tuple[str, int]]) -> list[str]:
    """Level columns named in a requirement table's header row ("# Description L1 L2 L3")."""
    for text, _ in lines:
        if level_header(text):
            return level_columns(text)
    return []


def chunk_document(doc: Document, *, max_chars: int = 1400, min_chars: int = 250, overlap: int = 1) -> list[Chunk]:
    """Chunks of one document, in reading order, with stable ids."""
    lines = [(line, page.number) for page in doc.pages for line in page.text.split("\n")]
    lengths = sorted(len(text) for text, _ in lines if len(text) > 20)
    width = lengths[int(len(lengths) * 0.75)] if lengths else 80.0  # a full line of running text
    markdown_only = doc.format == "md"
    hashes = doc.format != "pdf"
    counts = Counter(_contents_key(text) for text, _ in lines if parse_heading(text, markdown_only=markdown_only, hashes=hashes))
    structure = _Structure(markdown_only=markdown_only, line_width=width, heading_counts=counts, hashes=hashes)
    styled = {(page.number, line): level for page in doc.pages for line, level in page.headings}
    prev = ""
    skip = False
    for i, (line, page) in enumerate(lines):
        if skip:  # the line was taken as the title of the heading before it
            skip = False
            continue
        after = next(((text.strip(), p) for text, p in lines[i + 1 : i + 3] if text.strip()), ("", page))
        following = after[0]
        skip = structure.feed(line, page, prev, following, styled.get((page, line.strip()), 0), styled.get((after[1], following), 0))
        prev = line.strip() if line.strip() else prev
    chunks: list[Chunk] = []
    version_slug = slugify(doc.version) if doc.version else "0"
    for section in structure.sections:
        if section.heading is not None and _CONTENTS.match(section.heading.title):
            continue  # a table of contents only repeats headings, and matches every query
        is_term = section.heading is not None and section.heading.kind == "term"
        # a glossary entry reads as one paragraph ("Term: definition ..."), not heading + body
        lines = section.lines if section.heading and not is_term else [("", 1)] + section.lines
        if not is_term and not any(text.strip() for text, _ in lines[1:]):
            continue  # heading with no body: its label lives on in its children's heading path
        units = _blocks(lines)
        units = [u for u in units if u.text]
        heading_path = " > ".join(section.path)
        levels = _level_header(section.lines) if any(u.kind == "row" for u in units) else []
        for piece in _pack(units, max_chars, min_chars, overlap):
            text, marks = _join(piece)
            if not text.strip():
                continue
            ordinal = len(chunks)
            chunks.append(
                Chunk(
                    chunk_id=f"{doc.doc_id}:{version_slug}:{ordinal:05d}",
                    doc_id=doc.doc_id,
                    title=doc.title,
                    version=doc.version,
                    source=doc.source,
                    page_start=min(u.page_start for u in piece),
                    page_end=max(u.page_end for u in piece),
                    section=section.section_id,
                    heading=heading_path,
                    text=text,
                    ordinal=ordinal,
                    page_marks=marks,
                    levels=",".join(levels),
                )
            )
    return chunks
