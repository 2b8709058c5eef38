"""The text rules, in one place: normalisation, sentences, list items, table rows, level
markers, definition entries and clause ids.

The loaders, the chunker, the retriever, the evidence units and the answerer all read text
through these rules, so a heading keyword the chunker knows ("Module 3") is one the question
parser knows too, and a list item is a list item everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# ---------------------------------------------------------------- normalisation

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2043": "-", "\u2212": "-"})
_DROP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\x00"))


def normalise(text: str) -> str:
    """NFKC, one kind of space and hyphen, no soft hyphens or zero-width characters, line ends
    as "\\n", runs of spaces collapsed and lines stripped. Everything that is matched (documents
    and questions) goes through this first, so a non-breaking space or hyphen never hides a word."""
    text = unicodedata.normalize("NFKC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_DASHES).translate(_DROP)
    lines = [re.sub(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+", " ", line).strip() for line in text.split("\n")]
    return _BROKEN_URL.sub(r"\1", "\n".join(lines)).strip()


# a web address the PDF wrapped onto the next line ("https://example.org/supply-ch" + "ains/"):
# the line ends inside an address and the next one goes on with a path, so it is joined back
_BROKEN_URL = re.compile(r"(https?://[^\s]*[\w\-/])\n(?!(?:and/or|he/she|his/her|s/he)\b)(?=[\w\-.~%()#?=&+]*/)")


# ---------------------------------------------------------------- sentences

ABBREVIATIONS = frozenset(
    """e.g i.e etc no nos art arts fig vs cf approx mr ms mrs dr st inc ltd co corp rev v para paras p pp sec
    incl ref resp vol ch al jr sr dept est min max ed eds op viz nr""".split()
)
_SENT_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9\u2022])")


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences without breaking abbreviations or clause numbers."""
    out: list[str] = []
    start = 0
    for m in _SENT_END.finditer(text):
        before = text[start : m.start()]
        word = re.search(r"(\S+)$", before)
        token = word.group(1).rstrip(".!?\"'\u201d\u2019)]").lower() if word else ""
        # a number ends a sentence ("no more than 100. Additional ...") unless it is the label
        # the sentence starts with ("3. Records shall ...")
        if token in ABBREVIATIONS or re.fullmatch(r"[a-z]", token) or (re.fullmatch(r"[\d.]+", token) and before.strip() == word.group(1)):
            continue
        out.append(text[start : m.start() + len(m.group(0).rstrip())].strip())
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of one line of prose."""
    spans = []
    cursor = 0
    for sentence in split_sentences(text):
        begin = text.find(sentence, cursor)
        cursor = begin + len(sentence)
        spans.append((begin, cursor))
    return spans


def windows(text: str, size: int) -> list[str]:
    """`text` cut into pieces of at most about `size` characters, at line ends, else between
    sentences (a single longer sentence stays whole), for an embedder that reads only the
    start of a long text."""
    pieces: list[str] = []
    for line in text.split("\n"):
        if len(line) <= size:
            pieces.append(line)
        else:
            pieces += [line[a:b] for a, b in sentence_spans(line)] or [line]
    out: list[str] = []
    current = ""
    for piece in pieces:
        if current and len(current) + len(piece) + 1 > size:
            out.append(current)
            current = piece
        else:
            current = f"{current}\n{piece}" if current else piece
    if current.strip():
        out.append(current)
    return out or [text]


# ---------------------------------------------------------------- list items, tables, levels

# a bullet, "(a)", "a)", "(iv)", "(1)" or "1)" at the start of a line
_LIST_ITEM = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u25e6\u2013*\-]|\(?[a-z]\)|\(?[ivx]{1,4}\)|\(\d{1,3}\)|\d{1,2}\))\s+")
# a numbered paragraph "1. " (as inside an Article)
_NUMBERED_PARAGRAPH = re.compile(r"^\s*(\d{1,2})\.\s+(?=\S)")
# the label at the start of a list item or numbered paragraph: "(a)", "1.", "(iv)", "(12)"
_ITEM_LABEL = re.compile(r"^\s*(\(?[a-z]{1,4}\)|\(?\d{1,3}[.)]|[\u2022\u25cf\u25aa\u25e6\u2013*\-])\s+")
# check marks used in requirement tables to show at which levels a requirement applies
LEVEL_MARKS = "\u2713\u2714\u2611\u2705\u25cf\u25a0"
# a run of marks at the end of a row, perhaps followed by a reference column ("✓ ✓ 1053", "✓ 5.1.1")
_LEVEL_RUN = re.compile(rf"(?:^|\s)((?:[{LEVEL_MARKS}]\s*)+)(?:[\d.,§ ]{{1,16}})?$")
_ONLY_MARKS = re.compile(rf"^\s*(?:[{LEVEL_MARKS}]\s*)+(?:[\d.,§ ]{{1,16}})?$")
_LEADING_MARKS = re.compile(rf"^\s*((?:[{LEVEL_MARKS}]\s*)+)(?=\S)")
# a requirement id starting a line: "2.1", "V2.1.3", "1.2.3", "MSTG-STORAGE-1", optionally followed
# by a second id column ("2.1 MSTG-STORAGE-1 ...")
_ALNUM_ID = r"[A-Z]{2,}(?:-[A-Z0-9]+)+"
# such an id in a requirement table's narrow column, which the PDF may break before its last
# digit ("MSTG-STORAGE-1 5" for MSTG-STORAGE-15, "MSTG-NETWORK- 4" for MSTG-NETWORK-4)
CELL_ID = rf"{_ALNUM_ID}(?:-?\s\d\b)?"
_REQUIREMENT_ID = re.compile(
    rf"^\s*(?P<id>(?:[A-Z]{{1,3}}-?)?\d{{1,2}}(?:\.\d{{1,3}}){{1,4}}|{_ALNUM_ID})(?![\w.-])"
    rf"(?:\s+(?P<alt>{CELL_ID}))?(?=\s+[A-Z\u2018\u201c'\"(]|\s*$)"
)
_LEVEL_HEADER = re.compile(r"\b(L|Level\s?)([1-5])\b")


def requirement_id(line: str) -> str:
    """The id a numbered requirement (or a requirement-table row) starts with: "2.1",
    "V6.2.1", "MSTG-STORAGE-1"; "" when the line does not start with one."""
    m = _REQUIREMENT_ID.match(line)
    return m.group("id") if m else ""


def requirement_ids(line: str) -> tuple[str, str]:
    """The id a requirement row starts with and its second id column, if any ("2.10
    MSTG-STORAGE-1 0 ..." -> ("2.10", "MSTG-STORAGE-10"), the id the PDF broke mended)."""
    m = _REQUIREMENT_ID.match(line)
    if not m:
        return "", ""
    return m.group("id"), (m.group("alt") or "").replace(" ", "")


def requirement_text(text: str) -> str:
    """What a requirement row says, without its ids and level check marks ("2.1 MSTG-STORAGE-1
    System credential storage ... keys. ✓ ✓" -> "System credential storage ... keys."): the
    embedder matches the words of a question better without them."""
    text = " ".join(text.split())
    m = _REQUIREMENT_ID.match(text)
    body = text[m.end() :].lstrip() if m else text
    return without_level_marks(body) or text


def split_leading_marks(line: str) -> tuple[str, str]:
    """("✓ ✓", "1.2.4 Verify ...") for a line whose level marks belong to the row before it."""
    m = _LEADING_MARKS.match(line)
    if not m or not requirement_id(line[m.end():]):
        return "", line
    return m.group(1).strip(), line[m.end():]


def id_only(text: str) -> bool:
    """Text that is nothing but an identifier ("MSTG-STORAGE-1"): a table cell, not a title."""
    return bool(re.fullmatch(_ALNUM_ID, text.strip()))


def strip_bullet(line: str) -> str:
    """The line without a leading bullet ("• Term – definition" -> "Term – definition")."""
    return re.sub(r"^\s*[\u2022\u25cf\u25aa\u25e6*\-]\s+", "", line)


def list_item(line: str) -> bool:
    """A line that starts a list item: a bullet, "(a)", "a)", "(iv)", "(1)" or "1)"."""
    return bool(_LIST_ITEM.match(line))


def numbered_paragraph(line: str) -> str:
    """The number of a numbered paragraph ("2. The controller shall ...") or ""."""
    m = _NUMBERED_PARAGRAPH.match(line)
    return m.group(1) if m else ""


# the id of a paragraph numbered under a short capitalised prefix: "AR 9", "QC 1"
_PREFIXED_ID = r"[A-Z]{2,4} \d{1,3}"
# such a paragraph: "AR 9. In assessing ...", "QC 1. ..."
_PREFIXED_PARAGRAPH = re.compile(rf"^\s*({_PREFIXED_ID})\.\s+(?=[A-Z(])")


def prefixed_paragraph(line: str) -> str:
    """The id of a paragraph numbered under a prefix ("AR 9" for "AR 9. In assessing ...",
    an application requirement) or ""."""
    m = _PREFIXED_PARAGRAPH.match(line)
    return m.group(1) if m else ""


def item_label(line: str) -> str:
    """The label a list item or numbered paragraph starts with, as written: "(a)", "2.", "(12)"."""
    m = _ITEM_LABEL.match(line)
    return m.group(1) if m and m.group(1)[0] not in "\u2022\u25cf\u25aa\u25e6\u2013*-" else ""


_ROMAN = {"i": 1, "v": 5, "x": 10}


def _label_values(label: str) -> set[int]:
    """The ordinal a list label may stand for: "(3)" 3, "(c)" 3, "(iv)" 4, "(i)" 9 or 1."""
    bare = label.strip("().").lower()
    if bare.isdigit():
        return {int(bare)}
    values = {ord(bare) - 96} if len(bare) == 1 else set()
    if set(bare) <= set(_ROMAN):
        numbers = [_ROMAN[c] for c in bare]
        values.add(sum(-n if i + 1 < len(numbers) and n < numbers[i + 1] else n for i, n in enumerate(numbers)))
    return values


def list_goes_on(first: str, second: str) -> bool:
    """Whether `second` goes on with the list `first` ends in: the last line of `first` is an
    item left open ("(c) confiscation of revenues ...;", "... ; and") and `second` starts with
    the next item ("(d) temporary exclusion ..."), as where a split into chunks cut a list."""
    last = first.rstrip().rsplit("\n", 1)[-1]
    following = second.lstrip().split("\n", 1)[0]
    a, b = item_label(last), item_label(following)
    if not (a and b) or not re.search(r"[;,](?:\s+(?:and|or))?$", last.rstrip()):
        return False
    return any(v + 1 in _label_values(b) for v in _label_values(a))


def table_row(line: str) -> bool:
    """A line that looks like a table row: cells joined by " | ", or short and unpunctuated."""
    line = line.strip()
    return bool(line) and (" | " in line or (len(line) < 70 and not re.search(r"[.:;,!?]$", line)))


# a part of a standard that says it only explains: "This section is informative.", "Annex B (informative)"
_INFORMATIVE = re.compile(r"\bthis (?:section|appendix|annex|chapter|part|clause) is informative\b|\(informative\)", re.I)


def declares_informative(text: str) -> bool:
    """Whether a heading or text declares its part of the standard informative (explanation,
    not requirement), as standards following the ISO convention do."""
    return bool(_INFORMATIVE.search(text))


# the section id given to a legal act's recitals: the numbered "(1) ... (173)" paragraphs of its
# preamble, between "Whereas:" and "HAVE ADOPTED THIS REGULATION:". They explain the Articles
# (often in the same words) but lay down nothing, so they are informative.
RECITALS = "Recitals"
_RECITALS_START = re.compile(r"^whereas\s*:?$", re.I)


def opens_recitals(line: str) -> bool:
    """The line that opens a legal act's recitals ("Whereas:")."""
    return bool(_RECITALS_START.match(line.strip()))


# the formula closing a legal act after its last Article: "This Regulation shall be binding in its
# entirety and directly applicable in all Member States." and "Done at Brussels, 31 May 2023."
_CLOSING_FORMULA = re.compile(
    r"^\s*(?:This (?:Regulation|Directive|Decision|Act) shall be binding in its entirety\b"
    r"|Done at [A-Z][\w'-]*(?: [A-Z][\w'-]*)*,? (?:on )?(?:the )?\d{1,2}(?:st|nd|rd|th)? \w+ \d{4}\b)"
)


def closing_formula(sentence: str) -> bool:
    """A sentence of the formula that closes a legal act ("Done at Brussels, 31 May 2023."):
    no part of the last paragraph it is printed after."""
    return bool(_CLOSING_FORMULA.match(sentence))


_TITLE_SMALL_WORDS = frozenset("a an and against as at by for from in of on or the to with".split())


def title_line(line: str) -> bool:
    """A line that reads as a run-in title over the paragraph under it ("MASVS-R: Resiliency
    Against Reverse Engineering and Tampering"): short, its words capitalised but for small
    ones, no closing punctuation; not a list item or a requirement row."""
    line = line.strip()
    words = [w for w in line.split() if w.lower() not in _TITLE_SMALL_WORDS]
    if not 0 < len(line) <= 80 or not 1 <= len(words) <= 10 or re.search(r"[.;,:!?]$", line):
        return False
    if list_item(line) or requirement_id(line) or " | " in line:
        return False
    return all(w[:1].isupper() or not w[:1].isalpha() for w in words)


def only_level_marks(line: str) -> bool:
    """A line holding nothing but level check marks ("✓ ✓")."""
    return bool(_ONLY_MARKS.match(line))


def trailing_level_marks(line: str) -> int:
    """How many level check marks end the line ("... keys. ✓ ✓" -> 2)."""
    m = _LEVEL_RUN.search(line)
    return sum(ch in LEVEL_MARKS for ch in m.group(1)) if m else 0


def without_level_marks(line: str) -> str:
    """The line without the level check marks that end it ("... keys. ✓ ✓" -> "... keys.")."""
    m = _LEVEL_RUN.search(line)
    return line[: m.start()].rstrip() if m and trailing_level_marks(line) else line.rstrip()


# a requirement table's header line ending in short level columns after its description column
# ("# MSTG-ID Description R", "| Requirement | A | AA |")
_COLUMNS_AFTER_DESCRIPTION = re.compile(
    r"\b(?:Description|Requirements?|Controls?|Criteri(?:on|a))\b(?P<cols>(?:\s*\|?\s*[A-Z][A-Z0-9+]{0,2})+)\s*\|?\s*$", re.M
)


def level_columns(text: str) -> list[str]:
    """Level column names in a table header: two or more numbered levels ("# Description L1 L2
    L3" -> ["L1", "L2", "L3"]), else the short columns that end the line after its description
    column ("# MSTG-ID Description R" -> ["R"])."""
    named = [f"L{m.group(2)}" for m in _LEVEL_HEADER.finditer(text)]
    if len(named) >= 2:
        return named
    m = _COLUMNS_AFTER_DESCRIPTION.search(text)
    return re.findall(r"[A-Z][A-Z0-9+]{0,2}", m.group("cols")) if m else []


def level_header(line: str) -> bool:
    """A requirement table's header row ("# ID Description L1 L2"): no text of its own."""
    return table_row(line) and bool(level_columns(line))


def levels_for(marks: int, columns: list[str]) -> str:
    """The levels a row with `marks` check marks applies to. Levels in such tables are
    cumulative (a level-1 requirement applies at every higher level), so k marks are the
    last k columns. Empty when unknown."""
    if not marks or not columns or marks > len(columns):
        return ""
    return ", ".join(columns[-marks:])


# ---------------------------------------------------------------- definitions

_OPEN_Q = "'\"\u2018\u201c\u00ab"
_CLOSE_Q = "'\"\u2019\u201d\u00bb"
# "(8) 'processor' means ...", "“Term” refers to ...", "'Term' shall mean ..."
_QUOTED_DEFINITION = re.compile(
    rf"^\s*(?:\(?\d{{1,3}}[.)]\s*|\(?[a-z]{{1,3}}\)\s*)?[{_OPEN_Q}](?P<term>[^{_CLOSE_Q}\n]{{1,80}})[{_CLOSE_Q}]"
    rf"(?:\s+or\s+[{_OPEN_Q}](?P<alias>[^{_CLOSE_Q}\n]{{1,60}})[{_CLOSE_Q}])?"
    r"(?:\s*\([^)]{1,40}\))?(?:\s+of\s+[^,]{1,40})?\s*,?\s+(?:means|refers to|shall mean|is defined as|denotes|includes)\b",
    re.I,
)
# "Term: definition" or "Term - definition" (a glossary line)
GLOSSARY_ENTRY = re.compile(r"^(?P<term>[A-Z][\w'\u2019()/&,. \-]{0,70}?)\s*(?::|\s[\u2013\u2014-]\s)\s*(?P<def>\S.*)$")


def defined_term(line: str) -> str:
    """The term a definition entry defines ("(8) 'processor' means ..." -> "processor"; with an
    alias, "(11) 'light means of transport battery' or 'LMT battery' means" -> "light means of
    transport battery (LMT battery)"), or ""."""
    m = _QUOTED_DEFINITION.match(line)
    if not m:
        return ""
    return m.group("term").strip() + (f" ({m.group('alias').strip()})" if m.group("alias") else "")


def term_key(term: str) -> str:
    """A spelling-insensitive key for a term: case, hyphens, spaces and a plural -s ignored
    ("Data-Subjects" and "data subject" share a key)."""
    key = re.sub(r"[^a-z0-9]+", "", term.lower())
    return key[:-1] if key.endswith("s") and len(key) > 3 and not key.endswith("ss") else key


GLOSSARY_TITLE = re.compile(r"glossary|definitions|terms|abbreviations|acronyms", re.I)


def glossary_heading_term(heading: str) -> str:
    """The term a heading names when it is an entry of a glossary ("14 Glossary > 14.3 CAHRA
    (conflict-affected and high-risk area)" -> "CAHRA (conflict-affected and high-risk area)")."""
    labels = heading.split(" > ") if heading else []
    if len(labels) < 2 or not GLOSSARY_TITLE.search(labels[-2]) or GLOSSARY_TITLE.search(labels[-1]):
        return ""
    return re.sub(r"^(?:[A-Z]{0,2}\d+(?:\.\d+)*\.?|[A-Z]\.)\s+", "", labels[-1]).strip()


def entry_term(first_line: str) -> str:
    """The term a glossary or definition entry starts with ("Red flag: A fact ..." -> "Red flag",
    "(8) 'processor' means ..." -> "processor"), or ""."""
    term = defined_term(first_line)
    if term:
        return term
    m = GLOSSARY_ENTRY.match(strip_bullet(first_line))
    return m.group("term").strip() if m and len(m.group("term").split()) <= 8 else ""


def defines(sentence: str, term: str) -> bool:
    """Whether a sentence of running text defines `term`: "A red flag is a fact that ...",
    "Due diligence, in this Code, means ...", "'producer' means ...", "... known as a
    grievance mechanism" does not count (it names, it does not define)."""
    words = [re.escape(w) for w in re.findall(r"[A-Za-z0-9]+", term)]
    if not words:
        return False
    name = r"[\s-]*".join(words) + r"s?"
    quoted = entry_term(sentence.strip())
    if quoted and term_key(quoted) in term_keys(term) | {term_key(term)}:
        return True
    if re.search(rf"\((?:the\s+|hereinafter\s+)?[{_OPEN_Q}]{name}[{_CLOSE_Q}]\)", sentence, re.I):
        return True  # the sentence coins it: "... an electronic record ('battery passport')"
    lead = rf"^\W*(?:an?\s+|the\s+)?{name}\s*(?:\([^)]{{1,40}}\)\s*)?(?:,[^,]{{1,80}},\s*)?"
    # "X means ...", "X is defined as ...", or "A red flag is a ..." (not "The site is audited")
    if re.match(lead + r"(?:means|refers to|stands for|(?:is|are) (?:defined|understood) as|denotes)\b", sentence.strip(), re.I):
        return True
    if re.match(lead + r"(?:is|are)\s+(?:an?|any|one|something|anything|those|that|the\s+\w+\s+(?:of|that|which|by))\b", sentence.strip(), re.I):
        return True
    if len(words) < 2:
        return False
    # the head word in the predicate: "An out-of-band authenticator is a physical device that ..."
    # defines an out-of-band device
    modifier, head = r"[\s-]*".join(words[:-1]), words[-1]
    return bool(re.match(rf"^\W*(?:an?\s+|the\s+)?{modifier}[\s-]+[\w-]+\s+(?:is|are)\s+(?:an?|any|one)\s+(?:[\w-]+\s+){{0,2}}{head}s?\b", sentence.strip(), re.I))


def term_keys(term: str) -> set[str]:
    """Keys a term is known by: itself and any name in brackets ("Cross-Site Scripting (XSS)"
    -> the keys of "Cross-Site Scripting (XSS)", "Cross-Site Scripting" and "XSS")."""
    keys = {term_key(term)}
    m = re.match(r"^(.*?)\s*\(([^()]{1,60})\)\s*$", term)
    if m:
        keys |= {term_key(m.group(1)), term_key(m.group(2))}
    return {k for k in keys if k}


# "A memorized secret — commonly referred to as a password", "X, also known as Y", "X (called Y)"
_ALIAS = re.compile(
    r"(?P<x>(?:[\w-]+ ){0,2}[\w-]+)\s*(?:\u2014|\u2013|-|,|\()\s*(?:is |are )?(?:commonly |also |often |sometimes |generally |usually )?"
    r"(?:referred to as|known as|called)\s+(?:an? |the )?[\"'*\u201c\u2018]?(?P<y>[\w-]+(?: [\w-]+)?)",
    re.I,
)


# "the Example Sourcing Standard for Copper and Zinc (EXS)", "Responsible Minerals Initiative (RMI)"
_ACRONYM = re.compile(
    r"(?P<x>(?:[A-Z][\w'-]*\s+(?:(?:and|of|for|the|on|in|to|&)\s+)*){1,9})\((?P<y>[A-Z][A-Z0-9&-]{0,8}[A-Z0-9])s?\)"
)


def leading_name(name: str) -> str:
    """The leading capitalised words of a name: "Example Sourcing Standard for Copper and Zinc"
    -> "Example Sourcing Standard"."""
    words = name.split()
    n = next((i for i, w in enumerate(words) if not w[:1].isupper()), len(words))
    return " ".join(words[:n])


def aliases(text: str) -> list[tuple[str, str]]:
    """(term, other name) pairs a text states: "A Memorized Secret authenticator — commonly
    referred to as a password" -> ("Memorized Secret authenticator", "password"), and acronyms
    it spells out: "the Responsible Minerals Initiative (RMI)" -> ("Responsible Minerals
    Initiative", "RMI")."""
    found = [(m.group("x"), m.group("y")) for m in _ALIAS.finditer(text)]
    for m in _ACRONYM.finditer(text):
        words = m.group("x").split()
        acronym = m.group("y")
        # the acronym's letters start the name's capitalised words, closest to the brackets
        capitals = [w for w in words if w[0].isupper()]
        while capitals and capitals[0][0].upper() != acronym[0].upper():
            capitals.pop(0)
        if len(capitals) >= 2 and sum(c[0].upper() in acronym.upper() for c in capitals) >= min(2, len(acronym)):
            start = words.index(capitals[0])
            found.append((" ".join(words[start:]), acronym))
    return found


# a short name a text gives in brackets and quotes right after the words it stands for: "processing
# of special categories of personal data (‘sensitive data’)", "the Board of the Alliance (the 'Board')"
_NAMED_AS = re.compile(
    r"(?P<x>(?:[\w-]+ ){0,4}[\w-]+)\s*\((?:the\s+)?[\"'‘“](?P<y>[^\"'’”()]{3,40})[\"'’”]\)"
)
_NOT_LEADING = frozenset("a an the of for to in on by with and or from that which this these those its their".split())


def named_as(text: str) -> list[tuple[str, str]]:
    """(words, short name) pairs of the short names a text gives in quotes and brackets
    ("special categories of personal data (‘sensitive data’)" -> ("special categories of personal
    data", "sensitive data")): up to five words before the brackets, without leading small words."""
    out = []
    for m in _NAMED_AS.finditer(text):
        words = m.group("x").split()
        while words and words[0].lower() in _NOT_LEADING:
            words.pop(0)
        if words:
            out.append((" ".join(words), m.group("y").strip()))
    return out


# examples a text gives in brackets right after the class they belong to: "via the PSTN (SMS or
# voice)", "a physical characteristic (e.g., fingerprint, iris)" (not "lost (i.e., forgotten)": a
# restatement is no example, and its first word is often the broader one)
_EXAMPLES = re.compile(
    r"(?P<x>(?:[\w-]+ ){0,3}[\w-]+)\s*\(\s*(?P<marker>(?:e\.g\.|for example|such as|including)\s*,?\s*)?(?P<y>[^()\"'\u2018\u201c][^()]{1,79})\)"
)
_EXAMPLE_ITEMS = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")
# words that make the text before the brackets a clause, not the name of a class ("the session
# SHALL be terminated (logged out or closed)")
_NOT_A_CLASS = frozenset("shall should may must will can be is are was were been not".split())
_BEFORE_CLASS = _NOT_LEADING | frozenset("via through using at as any all each such other into onto".split())


def examples_given(text: str) -> list[tuple[str, str]]:
    """(class, example) pairs of the examples a text names in brackets after a class: "sent via
    the PSTN (SMS or voice)" -> ("PSTN", "SMS"), ("PSTN", "voice"). The class is the words after
    the last small word before the brackets (at most four); each example one to three words, no
    numbers or references. Brackets holding a single item count only with a marker ("e.g.",
    "such as"): "(Traditional)" or "(at enrollment)" names no example."""
    out = []
    for m in _EXAMPLES.finditer(text):
        if re.match(r"(?:i\.e\.|that is)", m.group("y"), re.I):
            continue
        items = [re.sub(r"^(?:an?|the)\s+", "", i.strip(" .;:")) for i in _EXAMPLE_ITEMS.split(m.group("y").strip())]
        items = [i for i in items if i and i.lower() not in ("etc", "etc.")]
        if not items or (len(items) < 2 and not m.group("marker")) or len(items) > 8:
            continue
        if any(len(i.split()) > 3 or i.split()[0].lower() in _BEFORE_CLASS or re.search(r"\d|\b(?:see|section|article|annex|e\.?g)\b", i, re.I) for i in items):
            continue
        words = m.group("x").split()
        if any(w.lower() in _NOT_A_CLASS or re.search(r"\d|^[IVXL]+$|^\W", w) for w in words):
            continue
        last = max((i for i, w in enumerate(words) if w.lower() in _BEFORE_CLASS), default=-1)
        words = words[last + 1 :]
        if words:
            out.extend((" ".join(words), item) for item in items)
    return out


# ---------------------------------------------------------------- web addresses

_URL = re.compile(r"https?://\S+")
# a web address as texts write it: "https://...", "www.example.org", "ec.europa.eu/..."
_WEB_ADDRESS = re.compile(rf"{_URL.pattern}|\bwww\.[\w-]+\.\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:org|com|eu|net|int|gov|info)\b(?:/\S*)?")


def writes_web_address(text: str) -> bool:
    """Whether a text writes a web address."""
    return bool(_WEB_ADDRESS.search(text))


_CONNECTING = r"(?:(?:of|and|for|the|on|in|to)\s+)?"


def spelled_out_pattern(acronym: str) -> re.Pattern:
    """The phrases whose words begin with an acronym's letters, in order ("data protection impact
    assessment" for "DPIA", "software bill-of-materials" for "SBOM"); a small word may join two of
    them ("chain of custody" for "COC")."""
    letters = [re.escape(c) for c in acronym.lower()]
    words = [rf"{c}[\w']*" for c in letters]
    body = words[0] + "".join(rf"(?:[\s-]+{_CONNECTING}){w}" for w in words[1:])
    return re.compile(rf"\b{body}\b", re.I)


def url_chars(text: str) -> int:
    """How many characters of `text` are web addresses."""
    return sum(len(u) for u in _URL.findall(text))


def links_only(text: str) -> bool:
    """A sentence that is mostly web addresses, or a line of sources that opens with one
    ("Sources: https://... (para 1; 'Regarding risk management', para 2)"): a list of sources,
    not a statement."""
    return url_chars(text) > 0.5 * len(re.sub(r"\s", "", text)) or bool(_SOURCE_LINE.match(text))


_SOURCE_LINE = re.compile(r"\s*(?:sources?|references?|see also)\s*:\s*<?https?://", re.I)

# a sentence that only sends the reader elsewhere: "See section 15.1.", "(See sections 6.2 and 6.3 of this guide.)"
_POINTER_ONLY = re.compile(
    r"^\W*(?:see|refer to|cf\.?)\s+(?:also\s+)?(?:(?:sections?|\u00a7|articles?|annex(?:es)?|chapters?|clauses?|appendi(?:x|ces)|tables?|"
    r"figures?|paragraphs?|points?)\s*)?[\w.\u00a7()-]+(?:\s*(?:,|and|or|to)\s*[\w.\u00a7()-]+)*(?:\s+(?:of|in)\s+(?:this|the)\s+\w+)?\W*$",
    re.I,
)


def pointer_only(text: str) -> bool:
    """A sentence that states nothing but where to read on ("See section 15.1.")."""
    return bool(_POINTER_ONLY.match(text))


# ---------------------------------------------------------------- requirement strength

# what a normative statement obliges, recommends or allows: "shall", "must", "is required to",
# "may not" and a verification row ("Verify that ...") oblige; "should" recommends; "may" allows
_VERIFY = r"^\W*(?:[\w.-]+\s+){0,2}verify that\b"  # a verification row: "2.1 MSTG-STORAGE-1 Verify that ..."
_MANDATORY = re.compile(
    rf"\b(shall|must|(?:is|are) required(?: to)?|(?:is|are) prohibited|may not|(?:is|are) not (?:allowed|permitted))\b|{_VERIFY}",
    re.I,
)
_RECOMMENDED = re.compile(r"\b(should|(?:is|are) recommended|(?:is|are) encouraged)\b", re.I)
_PERMITTED = re.compile(r"\b(may(?!\s+\d)(?<!\d\sMay)(?<!\d\smay)|(?:is|are) permitted|(?:is|are) allowed)\b", re.I)  # not the month ("1 May 2021", "May 5")


_MENTIONED_MODAL = re.compile(
    r"\b(?:words?|terms?|verbs?)\s+[\"'\u201c\u2018]?(?:shall|must|should|may)(?:\s+not)?[\"'\u201d\u2019]?(?:\s*(?:,|and|or)\s*[\"'\u201c\u2018]?(?:shall|must|should|may)[\"'\u201d\u2019]?)*"
    r"|[\"\u201c\u2018](?:shall|must|should|may)(?:\s+not)?[\"\u201d\u2019]",
    re.I,
)
_KEY_WORDS = re.compile(r"\b(SHALL|MUST|SHOULD|MAY|REQUIRED|RECOMMENDED)\b")


def uses_key_words(text: str) -> bool:
    """Whether a document writes its requirement key words in capitals ("SHALL", "SHOULD",
    "MAY", as RFC 2119 asks): then only those state requirements, and a lowercase "may" is
    just a possibility."""
    return len(_KEY_WORDS.findall(text)) >= 5


# who a requirement binds: the words before its modal ("The verifier SHALL ...", "Each site must ...")
_SUBJECT = re.compile(
    r"^(?:(?:the|a|an|each|every|all|any)\s+)?(?P<actor>(?:[A-Za-z][\w-]*\s+){0,3}?[A-Za-z][\w-]*)\s+"
    r"(?:shall|must|should|may|(?:is|are) required to)\b",
    re.I,
)
_NOT_ACTORS = frozenset(
    "it its they their this these that those there he she we you which who one such either neither both no other another "
    "in on at for by from with where when if as".split()
)


def bound_actor(sentence: str) -> tuple[int, int] | None:
    """(start, end) of whom a requirement sentence binds, without its article ("the verifier"
    -> "verifier"); None when its subject is a pronoun or no one ("It shall ...", "Records ...")."""
    m = _SUBJECT.match(sentence)
    if not m:
        return None
    words = m.group("actor").split()
    if words[0].lower() in _NOT_ACTORS or any(w.lower() in ("not", "also") for w in words) or re.search(r"\d", m.group("actor")):
        return None
    return m.start("actor"), m.end("actor")


# the modal verbs of a rule, which end the words naming whom it binds ("Member States shall", "Importers shall")
_MODAL = r"(?:shall|must|should|may|will)"

# a rule binding a public authority: "the Commission shall ...", "competent authorities shall ...",
# "Member States shall ..." (the rules a regulator follows, not those of whom it regulates)
_AUTHORITY_BOUND = re.compile(
    r"\b(?:Commission(?:\s+services)?|Member States?|Council|European Parliament|"
    r"(?:[Cc]ompetent|[Ss]upervisory|[Cc]ustoms|[Mm]arket surveillance|[Nn]ational|[Pp]ublic)\s+authorit(?:y|ies))"
    rf"(?:\s+(?!{_MODAL})[^\s,;]+){{0,4}}\s+{_MODAL}\b"  # within one clause
)


def authority_bound(sentence: str) -> bool:
    """Whether a rule binds a public authority (the Commission, Member States, a competent or
    supervisory authority) rather than those the text regulates."""
    return bool(_AUTHORITY_BOUND.search(sentence))


# whom a rule binds, by the agent noun it opens with: "Importers shall ...", "3. The manufacturer
# shall ...", "Economic operators shall ...", "Providers of such systems shall ...", also after a
# condition ("Before placing a battery on the market, importers shall ..."): a word ending in -er
# or -or among the first three of the clause with the modal
_BOUND_ROLE = re.compile(
    r"^\W*(?:\(?\w{1,4}[.)]\s+)?(?:[^,;.:]{1,150},\s+)?(?:(?:the|each|any|all|every)\s+)?(?:[A-Za-z-]+\s+){0,2}?"
    r"(?P<role>[A-Za-z-]+?(?:er|or))s?\b"
    rf"(?:\s+(?!{_MODAL})[^\s,;]+){{0,5}}\s+{_MODAL}\b",
    re.I,
)


def bound_role(sentence: str) -> str:
    """The role a rule opens by binding ("importer" for "6. Importers shall keep ..."), or ""."""
    m = _BOUND_ROLE.match(sentence)
    return m.group("role").lower() if m else ""


def strength(text: str, key_words: bool = False) -> str:
    """"mandatory", "recommended" or "permitted" for a normative statement, by its strongest
    modal; "" for prose that states no requirement (a question is none). With `key_words`,
    only modals written in capitals count."""
    if text.rstrip().endswith("?"):
        return ""
    text = _MENTIONED_MODAL.sub(" ", text)  # "the word shall", "\u201cshould\u201d" name a key word, not use it
    if key_words:
        found = set(_KEY_WORDS.findall(text))
        for name, words in (("mandatory", {"SHALL", "MUST", "REQUIRED"}), ("recommended", {"SHOULD", "RECOMMENDED"}), ("permitted", {"MAY"})):
            if found & words:
                return name
        return "mandatory" if re.search(_VERIFY, text, re.I) else ""
    for name, pattern in (("mandatory", _MANDATORY), ("recommended", _RECOMMENDED), ("permitted", _PERMITTED)):
        if pattern.search(text):
            return name
    return ""


# ---------------------------------------------------------------- clause ids

# words that name a numbered part of a document: "Step 2", "Annex II", "Article 4", "Module 3"
HEADING_KEYWORDS = (
    "step", "annex", "appendix", "schedule", "part", "chapter", "section", "article", "criterion",
    "principle", "module", "clause",
)
_DOTTED_ID = re.compile(r"(?<![\w.])([A-Za-z]{0,2}\d{1,2}(?:\.\d{1,3}){1,5})(?![\w]|\.\d)")
_KEYWORD_REF = re.compile(
    rf"\b({'|'.join(HEADING_KEYWORDS)}|criteria|art)\.?\s+([IVXL]{{1,6}}|\d{{1,3}}[A-Za-z]?|[A-Z])\b(?!\.\d)((?:\s?\(\w{{1,4}}\))*)",
    re.I,
)
_SUBPARTS = re.compile(r"\((\w{1,4})\)")
# a verification standard's chapter: "V3" (a capital V; "v2" is more often a version)
_CHAPTER_ID = re.compile(r"(?<![\w.-])(V\d{1,2})(?![\w.-])")
# a paragraph id under a prefix, as `prefixed_paragraph` reads it: "AR 10", "QC 1"
_PREFIXED_REF = re.compile(rf"(?<![\w.-])({_PREFIXED_ID})(?![\w.])")


@dataclass(frozen=True)
class ClauseRef:
    label: str  # "5.2.3", "Step 2", "Annex II", "Article 26"
    numeric: bool  # a bare section number ("5.2.3", or "section 4" -> "4")
    parts: tuple[str, ...] = field(default=())  # paragraph and point inside it: ("7",) or ("1", "a")

    def __str__(self) -> str:
        return self.label + "".join(f"({p})" for p in self.parts)


# what a version number follows: a protocol, language or platform ("TLS 1.2", "Android 13.1",
# "version 2.0", "v1.3"), alone or as the first of several ("TLS 1.2 or 1.3")
_VERSIONED = re.compile(
    r"\b(?:TLS|SSL|DTLS|HTTP|HTTPS|HTTP/|OAuth|OpenID Connect|OIDC|SAML|SSH|IPv|Python|Java|PHP|Node(?:\.js)?|Android|iOS|"
    r"iPadOS|macOS|Windows|Linux|Ubuntu|Debian|Kotlin|Swift|Chrome|Firefox|Unicode|version|versions|release|v)"
    r"\s?(?:\d+(?:\.\d+)*\s*(?:,|or|and|to|/)\s*)*v?$",
    re.I,
)


def _versions(question: str) -> list[re.Match]:
    """The dotted numbers of a question that are versions of a technology: one after a
    technology's name ("TLS 1.2"), and a bare number of the same form beside it ("... or 1.3")."""
    dotted = list(_DOTTED_ID.finditer(question))
    forms = {m.group(1).count(".") for m in dotted if _VERSIONED.search(question[: m.start(1)])}
    return [m for m in dotted if m.group(1)[0].isdigit() and m.group(1).count(".") in forms]


def versions_named(question: str) -> list[str]:
    """The versions of a technology a question names ("TLS 1.2", and a bare "1.3" of the same
    form beside it), as written."""
    out = []
    for m in _versions(question):
        lead = _VERSIONED.search(question[: m.start(1)])
        word = lead.group(0).split()[0] if lead else ""
        bare = not word or word[0].isdigit() or word.lower() in ("version", "versions", "release", "v")
        out.append(m.group(1) if bare else f"{word} {m.group(1)}")
    return out


def states_version(text: str, versions: list[str]) -> bool:
    """Whether a text states a version of the form of those a question names ("TLS 1.2 or
    later" does, for "1.3"; "enforces use of TLS" does not). Requirement ids are no versions:
    give the text without them."""
    forms = {v.split()[-1].count(".") for v in versions}
    return any(n.count(".") in forms for n in re.findall(r"(?<![\d.])\d+(?:\.\d+)+(?![\d.])", text))


_HEADING_ID = re.compile(
    r"^(?:(?:article|annex|appendix|section|chapter|part|step|module|clause|schedule)\s+[\w.]+|V?\d+(?:\.\d+)*|[A-Z]\.\d+(?:\.\d+)*)[:.]?\s+",
    re.I,
)


def section_title(heading: str) -> str:
    """The title of the innermost section of a heading path, without its id ("Article 30 Records
    of processing activities" -> "Records of processing activities")."""
    label = heading.split(" > ")[-1] if heading else ""
    return _HEADING_ID.sub("", _HEADING_ID.sub("", label, count=1), count=1).strip()  # "Annex II.9 9 Maximum ..."


_SCOPE_TITLE = re.compile(r"\b(scope|applicability|field of application|who (?:is|are) covered|companies covered)\b", re.I)


# a sentence saying who may or must use a text: "Traders ... are among the companies named in the
# eligibility list", "companies in scope", "recyclers fall within the scope of this Code"
_STATES_SCOPE = re.compile(r"\b(eligib\w*|in scope|(?:within|outside) (?:the |its )?scope|scope of (?:this|the))\b", re.I)


def states_scope(text: str) -> bool:
    """Whether a sentence says who is eligible for or in the scope of a text."""
    return bool(_STATES_SCOPE.search(text))


def scope_section(heading: str) -> bool:
    """Whether a section says whom or what its text applies to, by its title ("Article 3
    Territorial scope", "3.1 Companies in scope", "Applicability")."""
    return bool(_SCOPE_TITLE.search(section_title(heading)))


def clause_refs(question: str) -> list[ClauseRef]:
    """Clause ids the question names explicitly ("5.2.3", "Annex II", "Article 26(7)",
    "MSTG-STORAGE-1", "V3")."""
    refs: list[ClauseRef] = [ClauseRef(m.group(0), True) for m in re.finditer(rf"\b{_ALNUM_ID}\b", question) if re.search(r"\d", m.group(0))]
    # "TLS 1.2 or 1.3", "... TLS 1.2 - or does it want 1.3?": versions of a technology, not clauses
    versions = {m.start(1) for m in _versions(question)}
    for m in _DOTTED_ID.finditer(question):
        ident = m.group(1)
        if re.fullmatch(r"\d+\.\d+", ident) and re.search(rf"{re.escape(ident)}\s*(%|percent|per cent|kg|t\b|tonnes)", question):
            continue
        if m.start(1) in versions:
            continue
        refs.append(ClauseRef(ident.upper() if ident[0].isalpha() else ident, True))
    for m in _CHAPTER_ID.finditer(question):  # "what does V3 cover?": a verification standard's chapter
        refs.append(ClauseRef(m.group(1), False))
    for m in _PREFIXED_REF.finditer(question):  # "what does AR 10 say?": an application requirement
        if m.start(1) not in versions:
            refs.append(ClauseRef(m.group(1), False))
    for m in _KEYWORD_REF.finditer(question):
        word, num = m.group(1).lower(), m.group(2)
        parts = tuple(_SUBPARTS.findall(m.group(3) or ""))
        if word in ("section", "clause") and num[0].isdigit():
            refs.append(ClauseRef(num, True, parts))
            continue
        word = {"criteria": "criterion", "art": "article"}.get(word, word)
        if re.fullmatch(r"[ivxl]+", num, re.I):
            num = num.upper()
        refs.append(ClauseRef(f"{word.capitalize()} {num}", False, parts))
    return refs


# "the risk categories listed in point 2 of Annex X", "the abuses set out in Annex II": a list kept elsewhere
_LIST_ELSEWHERE = re.compile(
    r"\b(?:listed|set out|specified|enumerated|itemi[sz]ed)\s+in\s+(?:(?:point|paragraph)\s+(?P<point>\d+)\s+of\s+)?"
    r"(?P<ref>(?:Annex|Appendix|Schedule)\s+(?:[IVXLC]+|\d+|[A-Z])\b|Article\s+\d+[a-z]?|Section\s+\d+(?:\.\d+)*)",
    re.I,
)


def lists_elsewhere(text: str) -> list[tuple[int, ClauseRef, str]]:
    """Where `text` points to a list kept in another clause: (offset of the pointer, that clause,
    the point of it named or "")."""
    out = []
    for m in _LIST_ELSEWHERE.finditer(text):
        refs = clause_refs(m.group("ref"))
        if refs:
            out.append((m.start(), refs[0], m.group("point") or ""))
    return out


def clause_match(section: str, heading: str, ref: ClauseRef, text: str = "") -> int:
    """2 when a chunk with this section id, heading path (and text) is that clause, or holds
    the requirement with that id at the start of a line ("2.11 MSTG-STORAGE-11 ..."); 1 when
    it sits under it; 0 otherwise."""
    if ref.numeric:
        # "V2.1.1" and "2.1.1" name one requirement: the verification standards' chapter prefix is optional
        label, own = plain_id(ref.label), plain_id(section)
        if own.upper() == label.upper():
            return 2
        if text and label[:-1] in text and (_requirement_line(text, ref.label) or _requirement_line(text, label)):
            return 2
        if own.startswith(label + "."):
            return 1
        return 0
    pattern = rf"(?<!\w){re.escape(ref.label)}(?![\w])"
    if section.lower() == ref.label.lower():
        return 2
    if text and ref.label in text and any(prefixed_paragraph(line) == ref.label for line in text.split("\n")):
        return 2  # "AR 10. The severity ...": the paragraph with that id
    labels = heading.split(" > ")
    if labels and re.search(pattern, labels[-1], re.I):
        return 2
    if re.search(pattern, heading, re.I):
        return 1
    return 0


def plain_id(ident: str) -> str:
    """A dotted id without its "V" prefix ("V2.1" -> "2.1"); other ids as they are."""
    return ident[1:] if re.fullmatch(r"[Vv]\d+(?:\.\d+)*", ident) else ident


def _requirement_line(text: str, ident: str) -> bool:
    """Whether a line of `text` is the requirement `ident` (its id first, or second after a
    number column)."""
    return any(ident in requirement_ids(line) for line in text.split("\n"))
