"""What a question asks for: its kind, the kind of fact that answers it, the term it wants
defined, and its parts when it asks several things at once.

"How long must a password be?" asks for a length (a number with a unit), "how long do we have
to fix it?" for a duration, "who approves?" for an organisation or a role, "what counts as a
red flag?" for the definition of "red flag". The answerer prefers units holding such a fact and
declines when none does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from .lexical import FINE_NOUN, STOPWORDS, tokenize
from .text import CELL_ID, clause_refs, without_level_marks

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|forty|"
    r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|single|double|dozen|half"
)
_NUMBER = rf"(?:\d[\d,.]*|{_NUMBER_WORDS})"
# number words that state a count ("one" and "single" mostly do not: "one or more", "a single account")
_COUNT_WORDS = (
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred|thousand|million|dozen|half"
)
_SEP = r"(?:[\s\-*_]{1,4}|\s*\(\d+\)\s*)"  # between a number and its unit: "12 months", "twelve (12) years", "6-month"
_TIME_UNIT = r"(?:working |calendar |business )?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)"
_SIZE_UNIT = r"(?:characters?|chars?|digits?|bits?|bytes?|letters?|words?|symbols?|pages?|tonnes?|tons?|kg|kilograms?|metres?|meters?|km|kilometres?|%|percent|per cent)"

_CURRENCY = r"(?:[$\u20ac\u00a3\u00a5]|\b(?:EUR|USD|GBP|CHF|JPY|CNY)\b)"
# clause numbers and cross-references, which are numbers that answer nothing
_REFERENCES = re.compile(
    r"\b(?:[A-Z]{1,3}-?)?\d+(?:\.\d+)+\b|\b(?:sections?|articles?|annex(?:es)?|appendix|appendices|chapters?|points?|"
    r"paragraphs?|subparagraphs?|steps?|tables?|figures?|regulation|directive|decision|levels?|aal|ial|fal|no\.?)"
    r"\s*\(?[\dIVXL]+(?:[./-]\d+)*(?:/[A-Z]+)?\)?(?:\(\w+\))*(?:\s*(?:,|and|or|to)\s*\(?[\dIVXL]+(?:\.\d+)*\)?(?:\(\w+\))*)*|\[[^\]]*\]|\(\d{1,3}\)|"
    r"\b[A-Z]{2,}(?:-[A-Z0-9]+)+\b|\b\d+/\d+(?:/[A-Z]+)?\b|\b[A-Z]\.\d+(?:\.\d+)*\b",  # ..., an appendix clause "A.2"
    re.I,
)
# documents named by series and number: "SP 800-63-2", "ISO 27001", "EN 62660-2"
_DESIGNATIONS = re.compile(r"\b(?!(?:EUR|USD|GBP|CHF|JPY|CNY)\b)[A-Z]{2,}(?:/[A-Z]{2,})?\s+\d+[A-Z]?(?:[-.:]\d+[A-Z]?)*\b")

_MONTHS = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
_DATE = rf"(?:\d{{1,2}}\s+)?(?:{_MONTHS}\s+)?(?:\d{{1,2}},?\s+)?(?:1[89]|20)\d{{2}}\b"  # "18 August 2027", "May 5, 2026", "2027"

# a time limit by its length or the date it ends: "within 72 hours", "by 31 December 2025"
_DATED = rf"\b{_NUMBER}{_SEP}{_TIME_UNIT}\b|\b(?:by|before|until|no later than|not later than)\s+{_DATE}"

# how each kind of fact looks in a sentence (after references are taken out: see `states`)
FACT_PATTERNS: dict[str, re.Pattern] = {
    "money": re.compile(
        rf"{_CURRENCY}\s?\d|\d[\d,.\s]*(?:million|billion|thousand)?\s?(?:{_CURRENCY}|euros?|dollars?|pounds)\b|"
        r"\b(free of charge|no (?:fee|charge|cost)s?|at (?:no|their own|its own|the \w+'s own) (?:cost|expense))\b",
        re.I,
    ),
    # a time limit: "within 72 hours", "without undue delay", or the date it ends ("by 31 December 2025")
    "duration": re.compile(
        rf"{_DATED}|\b(immediately|promptly|without (undue )?delay|at any time|forthwith|"
        rf"as soon as (possible|practicable)|no later than|not later than|deadline)\b",
        re.I,
    ),
    # a frequency says how often: "every 18 months", "annually", "twice a year" ("periodically" does not)
    # a recurrence: "every 18 months", "once every three years", "twice a year", "annually" (not
    # "within 12 months": a deadline says when, not how often)
    "frequency": re.compile(
        rf"\b(?:every|each|intervals? of|cycles? of)\s+(?:\w+\s+){{0,2}}?{_NUMBER}{_SEP}{_TIME_UNIT}\b"
        rf"|\b{_NUMBER}\s+times?\s+(?:a|per|each|every)\s+(?:\w+\s+)?(?:year|month|week|day|hour)s?\b"
        r"|\b(annual(ly)?|yearly|monthly|weekly|daily|hourly|quarterly|biennial(ly)?|"
        r"semi-?annual(ly)?)\b|\b(every|each|once a|twice a|once per|per|a)\s+(?:\w+\s+)?(year|month|week|day|hour|quarter)s?\b",
        re.I,
    ),
    "date": re.compile(
        rf"\b(1[89]|20)\d{{2}}\b|\b(january|february|march|april|june|july|august|september|october|november|"
        rf"december)\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b",
        re.I,
    ),
    # "when must ...": a date, a time limit or the condition that sets it off
    "when": re.compile(
        rf"\b(1[89]|20)\d{{2}}\b|\b(january|february|march|april|june|july|august|september|october|november|"
        rf"december)\b|\b{_NUMBER}{_SEP}{_TIME_UNIT}\b|\b(within|before|after|until|upon|once|whenever|when|if|where|"
        r"as soon as|prior to|no later than|not later than|immediately|promptly|without (undue )?delay|from)\b",
        re.I,
    ),
    # "when does it apply?": the date a rule starts to apply, not a deadline set for someone else
    # ("From 18 August 2027, operators shall ...", "shall apply from: (a) 18 February 2025 ...")
    "start": re.compile(
        rf"\b(?:from|as from|as of|with effect from|starting(?: on| from)?|beginning(?: on)?|on or after|effective(?: from)?)"
        rf"\s+(?:either\s+)?{_DATE}|\b(?:appl(?:y|ies|ied)|applicable|mandatory|compulsory|in(?:to)? force|binding|effective)\b"
        rf"[^.;:]{{0,40}}?\b(?:on|in|from)\s+{_DATE}",
        re.I,
    ),
    # a number standing alone: not the digits of a name or code ("RFC20", "1234abcd")
    "quantity": re.compile(rf"(?<![A-Za-z\d])\d[\d,.]*(?![A-Za-z\d])|%|\b({_COUNT_WORDS})\b", re.I),
    "size": re.compile(rf"\b{_NUMBER}{_SEP}?{_SIZE_UNIT}|\b{_NUMBER}\s*-?\s*(?:digit|character|bit|byte)", re.I),
}


# labels that number things: a requirement's ids at the start of its row, list and paragraph numbers
_LABELS = re.compile(
    rf"(?m)(?:^|[:;]\s+)\s*(?:[A-Z]{{0,3}}-?\d+(?:\.\d+)*\s+{CELL_ID}|\(?\d{{1,3}}[.)]|\([a-z]{{1,4}}\))\s"
)


# dates and spans of time, which are no answer to "how many" or "what percentage"
_TIMES = re.compile(
    rf"\b\d{{1,2}}\s+(january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{{4}}\b"
    rf"|\b(january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{{4}}\b"
    rf"|\b(1[89]|20)\d{{2}}\b|\b{_NUMBER}{_SEP}{_TIME_UNIT}\b",
    re.I,
)


# what stands between a number and its unit of time without being counted ("four working days")
_DAY_QUALIFIER = r"(?:working|business|calendar|clear|full)"
# what a number counts: the word after it ("8 characters", "seven (7) years", "6 or more digits", "30%")
_COUNTED = re.compile(
    rf"(?<![\w.,]){_NUMBER}(?:\s+or\s+(?:more|fewer|less|greater|longer|shorter))?(?:{_SEP}|(?=%))"
    rf"(?:{_DAY_QUALIFIER}{_SEP})?(?P<w>[A-Za-z%]+)?",  # "four working days" counts days
    re.I,
)
# units of measure, which a number must be stated with to answer "how many years" or "how many characters"
_UNITS = frozenset(
    tokenize("seconds minutes hours days weeks months years decades characters chars digits bits bytes letters words symbols "
             "pages tonnes tons kg kilograms grams metres meters km kilometres litres liters percent kwh wh mah kw watts volts")
)
# "how many wrong password tries should ...", "the minimum number of charge cycles", "how many years do ..."
_ASKED_UNIT = re.compile(
    r"\b(?:how many|number of)\s+(?P<np>(?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*?)(?=\s+(?:of|do|does|did|is|are|was|were|"
    r"must|should|shall|can|could|may|might|will|would|have|has|had|to|for|in|on|at|before|after|per|that|which|we|i|you|they|"
    r"it|the|a|an|under|allowed|needed|required|requires?|or|and|nor)\b|\s+\d|\s*[?,.]|$)",
    re.I,
)


# a unit of measure the answer is asked in: "..., in kg CO2e per kWh?", "how long, in days?"
_IN_UNIT = re.compile(r"\b(?:in|as)\s+(?P<u>[A-Za-z%]+)(?:\s+[\w/-]+){0,3}\s*\??\s*$")


# a question asking for a mass ("how heavy ...", "the maximum weight"), and the units a mass is stated in
# ("mass balance" is a chain-of-custody model, not a mass)
_ASKS_MASS = re.compile(r"\b(?:weight|weigh|weighs|heavy|heavier|mass(?!\s+balance))\b", re.I)
_MASS_UNITS = frozenset(tokenize("kg kilogram kilograms gram grams tonne tonnes ton tons lb lbs pound pounds"))

# a question asking for a share: "what percentage of ...", "the share of recycled cobalt"
_ASKS_SHARE = re.compile(r"\b(?:percentage|percent|per cent|proportion)\b|\b(?:what|which|minimum|maximum)\s+share\b|\bshare\s+of\b", re.I)


def asked_unit(text: str) -> str:
    """The stem of what a count question counts ("how many wrong password tries" -> "tri",
    "the maximum number of characters" -> "charact"), of the unit of measure it asks the
    answer in ("in kg CO2e per kWh?" -> "kg"), "percent" for a share ("what percentage of
    ..."), "kg" for a mass ("how heavy ...", "the maximum weight", stated in any unit of mass),
    or ""."""
    if _ASKS_SHARE.search(text):
        return tokenize("percent")[0]
    if _ASKS_MASS.search(text):  # "the maximum battery weight": a mass, not a size in cm or a share
        return "kg"
    m = _ASKED_UNIT.search(text)
    tokens = tokenize(m.group("np")) if m else []
    if tokens and tokens[-1] not in ("time", "money"):
        return tokens[-1]
    measured = _IN_UNIT.search(text)
    unit = tokenize(measured.group("u").replace("%", "percent")) if measured else []
    return unit[0] if unit and unit[0] in _UNITS else ""


# an example in brackets: "(e.g., two spaces rather than one)", "(for example, 30 days)"
_EXAMPLE = re.compile(r"\((?:e\.g\.|for example|for instance)[^()]*\)", re.I)

# a span looked back over ("within the past 12 months, a supplier is known to have ..."): when
# something happened, no time limit to act within
_LOOKBACK = re.compile(rf"\bwithin\s+the\s+(?:past|last|previous|preceding)\s+{_NUMBER}{_SEP}{_TIME_UNIT}", re.I)
_ASKS_BACK = re.compile(r"\b(?:how far back|how recent(?:ly)?|past|last|previous|preceding|look(?:s|ing)? back)\b", re.I)
# "by when must the interface be running?" asks for the date a time limit ends, which "immediately"
# or "without undue delay" does not give
_ASKS_BY_DATE = re.compile(r"\bby (?:when|what date|which date)\b", re.I)
_DATED_LIMIT = re.compile(_DATED, re.I)
# "what's the deadline ...?", "how soon ...?": a time limit to act within, which a span something
# lasts does not give ("keep the records for five years", "valid for a period of 3 years")
_ASKS_LIMIT = re.compile(r"\b(?:deadlines?|how (?:soon|fast|quickly))\b", re.I)
_LASTS = re.compile(rf"\bfor\s+(?:a\s+(?:period|term|maximum|minimum)\s+of\s+)?(?:(?:at least|up to|a maximum of|a minimum of)\s+)?{_NUMBER}{_SEP}{_TIME_UNIT}", re.I)
# a span that belongs to a thing: "how many days' notice ...", "two weeks' leave": a span of
# something else ("additional periods of three working days" of a suspension) gives no notice
_SPAN_OF = re.compile(rf"\b{_TIME_UNIT}['\u2019]\s+(?P<thing>[a-z]{{3,}})", re.I)

# kinds of fact that are amounts, which can be bounded
_AMOUNTS = frozenset({"quantity", "size", "duration", "money"})

# the bound a question asks for, and the bound a sentence sets
_ASKS_BOUND = {
    "max": re.compile(r"\b(maximum|max|upper limit|at most|longest|highest|ceiling|cap)\b", re.I),
    "min": re.compile(r"\b(minimum|min|lower limit|at least|shortest|lowest)\b", re.I),
}
_SETS_BOUND = {
    "max": re.compile(
        r"\b(at most|maximum|max|no more than|not more than|up to|or (?:less|fewer)|less than|fewer than|(?:not|never) exceed\w*|"
        r"limit(?:ed|s)? to|shorter than|below)\b", re.I
    ),
    "min": re.compile(
        r"\b(at least|minimum|min|no (?:less|fewer) than|not (?:less|fewer) than|or (?:more|longer|greater)|greater than|more than|"
        r"longer than|exceed(?:s|ing)?|above)\b", re.I
    ),
}


def asked_bound(text: str) -> str:
    """"max" for a question asking an upper limit ("the maximum ...", "at most"), "min" for a
    lower one ("the minimum ...", "at least"), else ""."""
    found = [b for b, pattern in _ASKS_BOUND.items() if pattern.search(text)]
    return found[0] if len(found) == 1 else ""


# the level a question asks about: "at L1", "level 2", "for level-1 apps", "IG1"
_ASKS_LEVEL = re.compile(r"\b(?:L|level\s?-?|lvl\s?|IG)([1-5])\b", re.I)


# "what does L2 add on top of L1?", "is there anything stricter at level 2?": what only that level requires
# "anything stricter at L2?", "what does L3 add?", "which checks are only needed at L3?", "L3 only"
_ASKS_ADDED = re.compile(
    r"\b(?:on top|stricter|additional(?:ly)?|in addition|extra|beyond|adds?|added|only (?:\w+\s+){0,2}?(?:at|for|in)"
    r"|(?:L|level\s*)\d\s+only)\b",
    re.I,
)


def asks_added(text: str) -> bool:
    """Whether a question naming a level asks what that level requires beyond the levels below it."""
    return bool(_ASKS_ADDED.search(text)) and bool(asked_levels(text))


# "do I have to do due diligence again?", "must we keep records?", "is a DPIA required for this?"
_ASKS_OBLIGATION = re.compile(
    r"\b(?:do|does|did|will|would)\s+(?:\w+\s+){1,3}?(?:still\s+|even\s+|really\s+|also\s+|actually\s+)?(?:have|has|need|got)\s+to\b"
    r"|\b(?:must|should|shall)\s+(?:i|we|you|they|he|she|it|our|the|a|an)\b"
    r"|\b(?:am|are|is)\s+(?:\w+\s+){1,3}?(?:required|obliged|obligated|bound|mandatory|necessary|exempt)\b",
    re.I,
)


# a question about the asker's own duties: "how often do we have to review them?", "must I keep ..."
_ASKS_OWN_DUTY = re.compile(
    r"\b(?:do|does|must|should|shall|will|would|can|could|may|are|am)\s+(?:we|i)\b"
    r"|\b(?:we|i)\s+(?:have to|need to|must|should|are required to|are obliged to|am required to)\b",
    re.I,
)


def asks_own_duty(text: str) -> bool:
    """Whether a question asks what the asker must or may do ("how often do we have to review
    them?"), not what an authority does ("how long do they have to get back to us?")."""
    return any(_ASKS_OWN_DUTY.search(sentence) for sentence in asking_sentences(text))


# the asker's own role: "we're a cocoa importer", "I'm the EU importer", "As a distributor, ..." (not
# "who is treated as the operator?", which asks the role), or the act it is named by ("we import ...",
# "we're a bank using a scoring tool", "we're a small shop importing toys")
_ASKER_ROLE = re.compile(r"(?:\b(?:we(?:'re|\s+are)|i(?:'m|\s+am))|(?:^|[.?!,;:]\s*)as)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?P<noun>[a-z-]+(?:er|or))s?\b", re.I)
_ASKER_ACT = re.compile(
    r"\bwe(?:'re|\s+are)?\s+(?:(?:a|an)\s+(?:[\w-]+\s+){1,3}?)?(?:also\s+|only\s+|just\s+)?"
    r"(?P<verb>make|making|manufacture|manufacturing|produce|producing|import|importing|distribute|distributing|deploy|"
    r"deploying|retail|resell|reselling|use|using)\b",
    re.I,
)
# the roles an act is named by: who makes a thing is its manufacturer or producer, who uses one under
# their own authority its user or deployer
_ROLE_ALIASES = {"make": ("manufactur", "produc"), "retail": ("distribut",), "resell": ("distribut",), "use": ("user", "deploy")}


def role_key(word: str) -> str:
    """A role and the act it is named by, as one key: "importers" and "import" -> "import",
    "distributor" and "distribute" -> "distribut"."""
    word = word.lower()
    if len(word) > 5:
        word = re.sub(r"(?:er|or)s?$", "", word)
    return (tokenize(word) or [word])[0]


def asker_roles(text: str, *, weak: bool = True) -> frozenset[str]:
    """The role keys the asker gives themselves ("We're a retailer ...", "we manufacture bunk
    beds"): a rule binding that role is theirs. `weak`: also from "we use ...", which names a
    user's role only sometimes ("we use SMS codes" makes no one a deployer)."""
    out: set[str] = set()
    found = [role_key(m.group("noun")) for m in _ASKER_ROLE.finditer(text)]
    found += [role_key(m.group("verb")) for m in _ASKER_ACT.finditer(text)]
    if not weak:
        found = [key for key in found if key != "use"]
    for key in found:
        out.add(key)
        out.update(_ROLE_ALIASES.get(key, ()))
    return frozenset(out)


def asks_obligation(text: str) -> bool:
    """Whether a question asks if the asker must do something ("do we even need to keep
    records?"): a rule that exempts someone from it answers as much as the rule itself."""
    return bool(_ASKS_OBLIGATION.search(text))


def asked_levels(text: str) -> set[str]:
    """The verification levels a question names ({"1"} for "which checks at L1?", {"1", "2"}
    for "is that L1 or only L2?")."""
    return {m.group(1) for m in _ASKS_LEVEL.finditer(text)}


def applies_at(levels: str, level: str) -> bool | None:
    """Whether a requirement with these levels ("L1, L2", "IG2, IG3") applies at `level` ("1");
    None when its levels are not numbered."""
    numbers = re.findall(r"(?<![\d.])([1-5])(?![\d.])", levels)
    return level in numbers if numbers else None


def level_verdict(levels: str, asked: set[str]) -> str:
    """Whether a requirement with these levels applies at each level a question names, in the
    standard's own level names: "applies at L2, not at L1" for "L2, L3" asked about levels 1 and
    2; "" when its levels are not numbered or none is asked. Read off the level columns, so a
    yes/no question on a level gets its yes or no."""
    prefix = re.match(r"\s*([A-Za-z]*)\s*[1-5]", levels)
    verdicts = {level: applies_at(levels, level) for level in sorted(asked)}
    if prefix is None or not verdicts or None in verdicts.values():
        return ""
    yes = [f"{prefix.group(1)}{n}" for n, v in verdicts.items() if v]
    no = [f"{prefix.group(1)}{n}" for n, v in verdicts.items() if not v]
    said = ([f"applies at {', '.join(yes)}"] if yes else []) + ([f"not at {', '.join(no)}"] if no else [])
    return ", ".join(said)


def states(kind: str, text: str, unit: str = "", bound: str = "", asked: str = "") -> bool:
    """Whether `text` states a fact of this kind (clause numbers, references and labels do not
    count: "see Section 5.1.1" or "2.15 MSTG-STORAGE-15 ..." states no number; nor, for a count
    or a share, does a date or a span of time). With the `unit` a question counts, a number of
    another unit is no answer: "7 days" does not say how many years, nor "8 characters" how
    many entries; a unit of measure itself must be stated with a number. With the `bound` a
    question asks, a sentence setting only the other bound is no answer: "at least 8
    characters" does not say how long a password may be at most. A span looked back over
    ("within the past 12 months") is no time limit, unless the question (`asked`) looks back too;
    nor, for a question asking a deadline or how soon, is a span something lasts ("kept for five
    years"). A span the question gives to a thing ("how many days' notice") must be that thing's:
    the sentence names it."""
    pattern = FACT_PATTERNS.get(kind)
    if not pattern:
        return False
    text = _without_references(text)
    if kind in _AMOUNTS:  # "(e.g., the use of two spaces rather than one)" illustrates; it sets no amount
        text = _EXAMPLE.sub(" ", text)
    if kind == "duration" and not _ASKS_BACK.search(asked):
        text = _LOOKBACK.sub(" ", text)
    if kind == "duration" and _ASKS_LIMIT.search(asked):
        text = _LASTS.sub(" ", text)
    span_of = _SPAN_OF.search(asked) if kind == "duration" else None
    thing = set(tokenize(span_of.group("thing"))) if span_of else set()
    if thing and not thing <= set(tokenize(text)):
        return False
    if kind == "quantity":
        text = _TIMES.sub(" ", text)
    if not pattern.search(text):
        return False
    if kind == "duration" and _ASKS_BY_DATE.search(asked) and not _DATED_LIMIT.search(text):
        return False
    if bound and kind in _AMOUNTS:
        other = "min" if bound == "max" else "max"
        if _SETS_BOUND[other].search(text) and not _SETS_BOUND[bound].search(text):
            return False
    if not unit or kind not in ("quantity", "size", "duration"):
        return True
    for m in _COUNTED.finditer(text):
        counted = tokenize((m.group("w") or "").replace("%", "percent"))
        if counted and (counted[0] == unit or (unit == "kg" and counted[0] in _MASS_UNITS)):
            return True
        if unit not in _UNITS and not (counted and counted[0] in _UNITS):
            return True
        if unit not in _UNITS and counted and counted[0] == "percent" and re.match(r"\s*of\s", text[m.end() :]):
            return True  # "how many companies are checked?": "at least 9 % of the operators", a share of them
    return False


# counted words that count the same thing: "a 40-person company", "40 people", "250 persons", "250 employees"
_SAME_COUNT = {"peopl": "person", "employe": "person", "staff": "person", "worker": "person", "individu": "person"}


def _counted_stems(text: str) -> set[str]:
    stems = set()
    for m in _COUNTED.finditer(_without_references(text)):
        counted = tokenize(m.group("w") or "")
        if counted:
            stems.add(_SAME_COUNT.get(counted[0], counted[0]))
    return stems


def asker_counts(question: str) -> set[str]:
    """What the asker counts of themselves, as word stems: "we're a 40-person company. do we
    need records?" -> {"person"}; "is a 3 kg battery portable?" -> {"kg"}."""
    return _counted_stems(question)


def counts_same(text: str, counts: set[str]) -> bool:
    """Whether a sentence states a number of what the asker counted: "an enterprise employing
    fewer than 250 persons" settles whether the rule binds a 40-person company."""
    return bool(counts and _counted_stems(text) & counts)


# the values a sentence states that a quiz can ask for: an amount with its unit ("12 months",
# "seven (7) years", "16 %"), a date ("1 March 2027")
_VALUE = re.compile(
    rf"(?<![\w.,])(?P<n>{_NUMBER}){_SEP}(?P<unit>{_TIME_UNIT}|{_SIZE_UNIT})(?![\w])"
    rf"|\b(?P<date>\d{{1,2}}\s+{_MONTHS}\s+(?:19|20)\d{{2}})\b",
    re.I,
)
_WORD_NUMBERS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_WORD_NUMBERS.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "ninety": "90", "hundred": "100"})


def stated_values(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of the amounts and dates a sentence states, kind being the unit's
    stem ("month", "percent") or "date"."""
    out = []
    for m in _VALUE.finditer(text):
        if m.group("date"):
            kind = "date"
        else:
            unit = tokenize(m.group("unit").replace("%", "percent").replace("per cent", "percent"))
            kind = unit[-1] if unit else ""
        if kind:
            out.append((m.start(), m.end(), kind))
    return out


def value_key(value: str) -> str:
    """What a value says, however it is written: "seven (7) years", "7 years" and "7-year" share
    a key; so do "16 %" and "16 percent"."""
    words = re.findall(r"[\w%]+", value.lower().replace("per cent", "percent").replace("%", " percent"))
    words = [_WORD_NUMBERS.get(w, w) for w in words]
    numbers = [w for w in words if re.fullmatch(r"[\d,.]+", w)]
    rest = tokenize(" ".join(w for w in words if w not in numbers))
    return " ".join(dict.fromkeys(numbers + rest))


@lru_cache(maxsize=8192)
def stated_numbers(text: str) -> frozenset[str]:
    """The numbers a text states, without its labels, clause numbers and references ("See
    section 2." states none; "(a) 16 % cobalt" states 16), a number spelt out with its unit too
    ("within two working days" states 2)."""
    plain = _without_references(text)
    found = set(re.findall(r"\d+(?:[.,]\d+)*", plain))
    for start, end, kind in stated_values(plain):
        if kind != "date":
            found |= {w for w in value_key(plain[start:end]).split() if re.fullmatch(r"[\d,.]+", w)}
    return frozenset(found)


def _without_references(text: str) -> str:
    """The text without labels, clause numbers, references, document designations and the
    columns after a requirement row's level marks ("✓ ✓ 521 5.1.1.2": a CWE number and a
    clause of another standard): numbers that state nothing."""
    text = "\n".join(without_level_marks(line) for line in text.split("\n"))
    return _REFERENCES.sub(" ", _DESIGNATIONS.sub(" ", _LABELS.sub(" ", text)))


# what a question asks the amount of ("what is the minimum ...", "what recycling efficiency ...")
_MEASURES = r"(?:maximum|minimum|max|min|highest|lowest|threshold|limit|target|percentage|share|proportion|rate|number|amount|efficiency)"

# "how long must a password be?", "what length ...": the size of a thing, not a span of time
_ASKS_SIZE = re.compile(
    r"\bhow (long|short|big|large|small|many characters|many digits|many bits)\b[^?]*?\b(be|is|are)\s*(\?|$|,|at (least|most)\b)"
    r"|\b(minimum|maximum|min|max)\.? (length|size)\b|\bhow many (characters|digits|bits|bytes)\b|\bwhat length\b",
    re.I,
)
# questions of each kind, tried in order
_ASKS: list[tuple[str, re.Pattern]] = [
    (
        "money",
        re.compile(
            r"\b(cost|costs|price|prices|priced|fee|fees|charges|charged|charge for|expensive|cheap|penalt(y|ies))\b"
            rf"|\b{FINE_NOUN}\b"
            r"|\bhow much\b.*\b(pay|paid)\b",
            re.I,
        ),
    ),
    ("size", _ASKS_SIZE),
    ("frequency", re.compile(r"\bhow (often|frequently)\b|\bat what (interval|frequency)\b|\bhow regularly\b", re.I)),
    (
        "duration",
        re.compile(
            rf"\bhow (long|soon|quickly|fast)\b|\bdeadline\b|\bby when\b|\bwithin how\b|\bhow many (?:{_DAY_QUALIFIER}\s+)?(seconds|minutes|hours|days|weeks|months|years)\b"
            r"|\btime limit\b|\bhow much (time|experience|training|notice|warning)\b|\bhow far (ahead|in advance)\b|\bhow (early|late)\b",
            re.I,
        ),
    ),
    (
        "start",
        re.compile(
            r"^\s*(?:when|from when|since when|as (?:of|from) when|(?:from|as of) (?:what|which) (?:date|day|year))\b.*"
            r"\b(appl(?:y|ies|ying)|kicks? in|takes? effect|comes? into (?:force|effect)|enters? into (?:force|application)|in force|"
            r"(?:become|becomes|is|are) (?:mandatory|compulsory|obligatory|binding|effective|applicable|required))\b",
            re.I,
        ),
    ),
    (
        "date",
        re.compile(
            r"^\s*when\s+(was|were|did|will|would|has|have|had)\b|\bin what year\b|\b(what|which) year\b|\bwhat date\b"
            r"|\bsince when\b|\b(date|year) of\b|^\s*(from|since) (what|which) (date|day|year)\b",
            re.I,
        ),
    ),
    (
        "when",
        re.compile(r"^\s*when\b(?!\s+people\b)(?!.*\b(considered|regarded|treated as|counts? as|means?)\b)|\bfrom when\b", re.I),
    ),
    (
        "quantity",
        re.compile(
            # "how random must session tokens be?": a measure of randomness, the bits of entropy
            rf"\bhow many\b|\bhow much\b|\bhow random\b|\b(what|which)(?:'s| is| are| was)? (?:the )?(?:{_MEASURES}\b|"
            # "what recycling efficiency do ...", "what collection targets apply ...", not "what rate limiting ..."
            rf"(?:[\w-]+ ){{1,2}}?{_MEASURES}s?\b(?=\s+(?:do|does|did|is|are|was|were|must|should|shall|will|would|can|could|have|has|"
            r"had|apply|applies|of|for|in|to|on|under|required|needed|that|we|they)\b|\s*[?,.]|$))|\b(is there|are there) (?:a |any )?(?:\w+ ){0,3}"
            r"(threshold|limit|minimum|maximum|cap)\b",
            re.I,
        ),
    ),
    (
        "actor",
        re.compile(
            r"^\s*(who|whom|whose)\b(?!\s+(counts|qualifies|is considered|is regarded))|\b(?:by|to|for|from|with) whom\b|\b(which|what) (organi[sz]ations?|"
            r"bod(y|ies)|person|people|role|roles|party|parties|entity|entities|authority|authorities|committee|company|companies|"
            r"team|staff|officer|institution)\b|\bwhose (job|responsibility|task|duty)\b",
            re.I,
        ),
    ),
]

_DEFINITION = [
    re.compile(r"^\s*what(?:'s|s| is| are)\s+meant by\s+(?:an?\s+|the\s+)?(?P<t>.+?)\s*\??$", re.I),
    re.compile(r"^\s*what(?:'s|s| is| are| does)\s+(?:an?\s+|the\s+)?(?:term\s+|word\s+|meaning of\s+|definition of\s+)?(?P<t>.+?)(?:\s+mean|\s+stand for|\s+refer to)?\s*\??$", re.I),
    re.compile(r"^\s*(?:define|definition of|meaning of|explain the term)\s+(?:an?\s+|the\s+)?(?P<t>.+?)\s*\??$", re.I),
    re.compile(r"^\s*(?:what|who) (?:counts|qualifies|is considered|is regarded) as\s+(?:an?\s+|the\s+)?(?P<t>.+?)\s*\??$", re.I),
    re.compile(r"^\s*(?:when|what) (?:is|are) (?:something|someone|an?\s+\w+)\s+(?:considered|regarded as|treated as)\s+(?:an?\s+|the\s+)?(?P<t>.+?)\s*\??$", re.I),
    re.compile(r"^\s*(?:is|are|does|do)\s+.{1,80}?\s+(?:counts? as|considered|regarded as|qualify as|make (?:us|me|them|it) an?)\s+(?:an?\s+|the\s+)?(?P<t>[\w\- ]{2,40})\s*\??$", re.I),
    re.compile(r"^\s*(?:is|are)\s+(?:she|he|it|that|this|they|we|i)\s+(?:an?)\s+(?P<t>[\w\- ]{2,40})\s*\??$", re.I),
    # "what makes a business a 'fulfilment service provider'?", "when does a change count as a substantial modification?"
    re.compile(r"^\s*what makes\s+(?:[\w-]+\s+){1,3}?(?:an?|the)\s+(?P<t>.+?)\s*\??$", re.I),
    re.compile(
        r"^\s*when\s+(?:does|do|is|are|would|will)\s+.{1,60}?\s+(?:counts? as|considered|regarded as|treated as|qualify as)\s+"
        r"(?:an?\s+|the\s+)?(?P<t>[\w\- ]{2,40}?)(?:\s+(?:that|which|under|in)\b.*)?\s*\??$",
        re.I,
    ),
    re.compile(r"^\s*(?P<t>[\w\- ]{2,40}?)\s*[-:,]+\s*what(?:'s| is) (?:that|it|this)\s*\??$", re.I),
    re.compile(r"^\s*when people say\s+['\"\u2018\u201c]?(?P<t>[^'\"\u2019\u201d?]+)['\"\u2019\u201d]?.*$", re.I),
]
# a qualifier after the term: "a producer under the battery regulation", "lot in the cobalt code"
_QUALIFIER = re.compile(
    r"\s+(?:under|in|for|according to|as per|as used in|within|for the purposes? of)\s+(?:the\s+|this\s+|our\s+)?[\w\- ]{0,40}"
    r"\b(?:regulation|directive|act|code|standard|guide|guidance|guidelines|rules|law|document|criteria|masvs|jdd|framework)s?\b.*$"
    # or a text's short name, written in capitals ("deforestation under the EUDR", "a controller in GDPR")
    r"|\s+(?:under|in|for|according to|as per|within)\s+(?:the\s+)?(?-i:[A-Z][A-Z0-9\-]{1,9})\b.*$",
    re.I,
)
_NOT_A_TERM = re.compile(
    r"\b(shall|must|should|required?|requirements?|do|does|need|happens?|includes?|contains?|difference|between|purpose|rules?|steps?|"
    r"process|deadline|when|how|why|who|which|say|says|cover|covers|about|in section|in article|of the|for|thing|things|problem|"
    r"issue|deal|option|idea|good|bad|ok|okay|allowed|enough|supposed|expected|meant|obliged|going)\b"
    r"|^(it|this|that|they|these|those|them|there|so|one)$",
    re.I,
)
# words that frame a question rather than carry its subject: "different question - ..."
_META = re.compile(
    r"^\s*(?:ok(?:ay)?|so|and|also|thanks|thank you|hi|hello|quick question|one more( thing| question)?|(?:a )?(?:different|new|another|other) "
    r"(?:question|topic|thing)|on another (?:note|topic)|next question|follow[- ]up)\s*[-:,.!\u2013\u2014]+\s*",
    re.I,
)
_YES_NO = re.compile(r"^\s*(is|are|does|do|did|can|could|must|may|might|should|shall|will|would|has|have|am|was|were)\b", re.I)
# what a question for the contents of something asks with: "what has to go into the declaration?"
_CONTENTS = r"(?:include|includes|contain|contains|go in|go into|put in|put into|be in|consist of|comprise)"
_LIST = re.compile(
    r"^\s*(?:(?:in|under|for|on|at|to|from|with|by)\s+)?(which (?:\w+\s+){0,3}\w+s\b(?<!\bis)(?<!\bwas)(?<!\bdoes)(?<!\bhas)|list|name|what are (the|all)|what kinds?|what types?|what (info|information|data|documents?|records?|items?|steps?|"
    r"elements?|categories|principles|rights|signs|risks|factors|conditions|measures|obligations|requirements)\b)"
    r"|\b(list|name) (the|all)\b|\bgive me (the|all)\b|\bwhat (must|should|shall|does|do|has to|have to|needs? to)\s(?:.{1,60}\s)?"
    rf"(?:{_CONTENTS}|cover|record|state)\b"
    # "what SBOM formats does SCVS mention?": things asked for by a plural noun
    r"|^\s*what\s+(?:[\w-]+\s+){0,3}[\w-]+s(?<!ss)(?<!us)(?<!is)\s+(?:do|does|did|are|were|must|should|shall|can|could|will|would|have|has)\b",
    re.I,
)
_COMPARE = re.compile(r"\b(difference|differ|differs|different from|compared?|comparison|versus|vs\.?|same (thing )?as|distinguish)\b", re.I)
# a question about how one text relates to another ("how does 800-63B map to GDPR?", "does the
# JDD align with the Copper Mark criteria?"): a cross-walk, which only a text naming the other gives
_RELATION = re.compile(
    r"\b(?:maps?|mapped|mapping|relates?|relationship|aligns?|aligned|alignment|corresponds?|correspondence|overlaps?|crosswalk|cross-walk)\b", re.I
)


def asks_relation(text: str) -> bool:
    """Whether a question asks how texts relate to each other (a mapping, an alignment, an
    overlap), as against what each one says (a comparison: "how is L2 different from L1?")."""
    return bool(_RELATION.search(text))


_WHY = re.compile(r"^\s*(why|what (is|was) the (purpose|point|aim|goal|reason))\b|\bwhat for\b|\bin the first place\b", re.I)
# a sentence led by where it is asked about: "In the battery regulation what does ... mean?" (not
# a question word after the preposition: "In which situations is ... required?" asks which)
_SETTING = re.compile(
    r"^\s*(?:in|under|for|according to|as per|within|regarding|about|on)\s+(?!(?:which|what|whose|whom|how)\b)(?:[\w'-]+\s+){1,6}?(?=(?:what|how|who|whom|when|which|where|why|is|are|does|do|can|must|should)\b)",
    re.I,
)
# a sentence led by a condition: "When someone taps 'log out', is it enough to ...?" (not "when
# people say 'refiner', who do they mean?", which asks what a word means)
_PEOPLE_SAY = re.compile(r"^\s*when people say\b", re.I)
_CONDITION = re.compile(r"^\s*(when(?!\s+people\s+say\b)|if|after|before|once|while|where|whenever)\b[^?]*?,\s", re.I)
_QUOTED = re.compile(r"['\"\u2018\u201c]([^'\"\u2019\u201d]{2,60})['\"\u2019\u201d]")
_ASKS_MEANING = re.compile(r"\b(mean|means|meant|meaning|stand for|stands for|refers? to|definition|define|counts? as|what(?:'s|s| is| are))\b", re.I)
_CLAUSE = re.compile(r"\b(say|says|cover|covers|about|require|requires|summari[sz]e|explain|in)\b", re.I)
# a question word after a preposition that asks for a date, a span or a person: "by what date
# ...", "for how long ...", "to whom ..." (not "in what order", which qualifies the question before)
_PREPOSED_WH = r"(?:by|until|till)\s+(?:what|which|when)|(?:for|within)\s+how\s+(?:long|many|much)|(?:to|with|by|from)\s+whom|from when|since when"
_QUESTION_START = re.compile(
    r"^\s*(what|how|who|whom|whose|when|which|where|why|is|are|does|do|did|can|could|must|should|shall|may|might|will|"
    rf"would|has|have|had|am|was|were|list|name|give|define|explain|summari[sz]e|tell|{_PREPOSED_WH})\b",
    re.I,
)
# where a sentence asking several things splits: "..., and how long must they be kept?" (not at
# "or": "is it enough, or does it want 1.3?" offers the answers to one question)
_PART_SPLIT = re.compile(
    r"(?:[;,]\s*(?:and\s+)?|\s+and\s+(?:also\s+)?)"
    rf"(?=(?:what|how|who|whom|when|which|where|why|is|are|does|do|did|can|could|must|should|may|will|would|has|have|{_PREPOSED_WH})\b)",
    re.I,
)


@dataclass(frozen=True)
class Question:
    text: str
    kind: str  # "money", "size", "frequency", "duration", "start", "date", "when", "quantity", "actor", "definition",
    #            "list", "compare", "why", "yesno", "clause", "open"
    term: str = ""  # the term a definition question asks about
    parts: tuple["Question", ...] = ()  # sub-questions of a multi-part question
    unit: str = ""  # what a count question counts (a stem: "year", "entri"), see asked_unit
    bound: str = ""  # "max" or "min" when it asks an upper or lower limit, see asked_bound
    before: str = ""  # the part before, when this part's subject is a pronoun for what that one asked about

    @property
    def typed(self) -> bool:
        """Whether the question asks for a kind of fact (a number, a date, a cost) that an
        answer must state."""
        return self.kind in FACT_PATTERNS


# "how fast", "how soon", "how often": what kind of answer is asked, not what it is about; so is
# "how long" asking a span of time ("how long must we keep it?" is not about "as long as necessary"),
# not when it asks a size (a text states a length with "long": "at most 64 characters long")
_HOW_DEGREE = re.compile(r"\b(how)\s+(?:fast|soon|quickly|quick|often|frequently|early|late)\b", re.I)
_HOW_LONG = re.compile(r"\b(how)\s+long\b", re.I)


# a verb that only carries the noun after it ("who carries out assessments?" asks who assesses);
# texts write the act with other verbs or none ("sites are assessed by ...")
_SUPPORT_VERB = re.compile(
    r"\b(?:carr(?:y|ies|ied|ying)\s+out|(?:perform|conduct|undertak)(?:e|es|s|ed|ing)?(?=\s+(?:the|a|an|its|their|our|this|these|such)\b))\s*",
    re.I,
)


# "what does JDD stand for?" asks what the letters mean, not about standing; "who counts as a
# user?" asks who is one, not about counting
_STANDS_FOR = re.compile(r"\b(?:(?:stands?|stood|short)\s+for|(?:counts?|counted)(?=\s+as\b))", re.I)


# "besides consent, what other legal bases are there?": consent is what the asker sets aside
_SET_ASIDE_WORDS = r"(?:besides|apart from|aside from|other than|except for|in addition to|on top of)"
_SET_ASIDE = rf"{_SET_ASIDE_WORDS}\s+(?P<x>[^,?;]{{1,60}}?)"
_SET_ASIDE_FIRST = re.compile(rf"^\s*{_SET_ASIDE}\s*,", re.I)
_SET_ASIDE_LAST = re.compile(rf"\b(?:other|else)\b.*\s{_SET_ASIDE}\s*\??\s*$", re.I)


# when the asker did something, by the season ("we set up our procedures last spring"): texts set no rule by season
_SEASON = re.compile(r"\b(?:last|this|next|early|late|in|in the|during the)\s+(?:spring|summer|autumn|fall|winter)\b", re.I)


def keyword_text(text: str) -> str:
    """A question without the words that only say what kind of answer it asks ("how fast do we
    have to report?" is about reporting, not speed; "what does JDD stand for?"), that only
    carry a noun ("carry out"), that set something aside ("besides") or that say in which
    season the asker did something ("last spring")."""
    text = _SEASON.sub(" ", text)
    if not _ASKS_SIZE.search(text):
        text = _HOW_LONG.sub(r"\1", text)
    text = _STANDS_FOR.sub("", _SUPPORT_VERB.sub("", _HOW_DEGREE.sub(r"\1", text)))
    return re.sub(rf"\b{_SET_ASIDE_WORDS}\b", " ", text, flags=re.I)  # "besides consent, ...": framing words


def set_aside(text: str) -> str:
    """What a question asks for others than ("besides consent, what other legal bases are
    there?" and "which other authenticators are there apart from passwords?" -> "consent",
    "passwords"), or "": the passages about it are the ones the asker already knows."""
    for sentence in re.split(r"(?<=[.!?])\s+", strip_meta(text)):
        m = _SET_ASIDE_FIRST.search(sentence) or _SET_ASIDE_LAST.search(sentence)
        if m:
            return m.group("x").strip()
    return ""


def strip_meta(text: str) -> str:
    """The question without words that frame it ("Different question - how long ...")."""
    previous = None
    while previous != text:
        previous, text = text, _META.sub("", text, count=1)
    return text.strip()


def asking_sentences(text: str) -> list[str]:
    """The sentences of a message that ask something (context sentences dropped); a leading
    clause before the question word goes too ("in the cobalt code, what counts as a lot?")."""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", strip_meta(text)) if s.strip()]
    asking = [s for s in sentences if s.endswith("?")] or [s for s in sentences if _QUESTION_START.match(strip_meta(s))]
    asking = asking or sentences[-1:] or [text]
    out = []
    for sentence in asking:
        sentence = re.sub(r"^\s*(?:and|also|so|but|or|then)\s+(?=\w)", "", strip_meta(sentence), flags=re.I)
        if not _QUESTION_START.match(sentence) or _CONDITION.match(sentence):
            cuts = [m for m in re.finditer(r",\s+|\s[-\u2013\u2014]\s+|:\s+", sentence) if _QUESTION_START.match(sentence[m.end() :])]
            lead = _SETTING.match(sentence)  # "In the battery regulation what does ... mean?"
            if not cuts and lead:
                sentence = sentence[lead.end() :]
            # a context clause before the question goes; a one- or two-word subject stays ("ASM - what's that?")
            cuts = [m for m in cuts if len(sentence[: m.start()].split()) >= 3]
            if cuts:
                sentence = sentence[cuts[-1].end() :]
        out.append(re.sub(r"\s*\b(exactly|exact|actually|really|precisely|just|specifically|particularly)\b", "", sentence).strip())
    return out


def last_sentence(text: str) -> str:
    """The (last) sentence that asks the question."""
    return asking_sentences(text)[-1]


# a statement asked to be confirmed: "GDPR has two levels of fines, right?"
_TAG_QUESTION = re.compile(r"[,\s]\s*(?:right|correct|true|is that (?:right|correct|so)|isn't (?:it|that)|aren't they|don't they|doesn't it)\s*\??\s*$", re.I)


# "does the code even apply to us?", "are traders covered?", "are we in scope?": whom the text covers
_APPLIES_TO = re.compile(
    r"\b(?:do|does|did|will|would|is|are)\b[^?]{0,80}?\b(?:(?:apply|applies|applicable) to(?! (?:the|its) \w+ of)|in scope|within (?:the |its )?scope|covered by|falls? under)\b"
    r"|\b(?:does|do) (?:it|this|the \w+(?: \w+)?) (?:even |actually |really )?(?:apply|cover)\b|\bscope\b",
    re.I,
)


def asks_scope(text: str) -> bool:
    """Whether a question asks whom or what a text applies to ("Does GDPR apply to a US online
    shop?"): what its scope clauses answer. Not when it asks from when ("when does it apply?")."""
    return bool(_APPLIES_TO.search(text)) and question_kind(text) not in ("start", "date", "when")


# what "does ... apply to" asks about: the text itself ("does it / the code / GDPR apply to us?")
_APPLY_SUBJECT = re.compile(r"\b(?:do|does|did|will|would)\s+(?P<s>[^?,]{1,60}?)\s+(?:even |actually |really |also )?(?:apply|cover)\b", re.I)
_TEXT_NOUN = re.compile(
    r"^(?:it|this|that|they|(?:the|this|that|these|our|your)?\s*(?:[\w-]+\s+){0,3}(?:code|standard|regulation|directive|law|act|rules|"
    r"guide|guidance|criteria|framework|document|text|convention|requirements))$",
    re.I,
)
_ACRONYM = re.compile(r"(?:the\s+)?[A-Z][A-Z\d-]{1,9}")  # "GDPR", "the JDD"


# a name written with capitals ("Côte d'Ivoire", "the Netherlands", "YubiKey"), not an acronym
_PROPER_NAME = re.compile(
    r"\b(?<!['\u2018\u201c])([A-ZÀ-Ý][a-zà-ÿ]+[A-Za-zÀ-ÿ]*(?:(?:\s|-|\s(?:d'|de\s|del\s|of\s|the\s|and\s))[A-ZÀ-Ý][a-zà-ÿ]+[A-Za-zÀ-ÿ]*)*)"
)


_EXAMPLE_BEFORE = re.compile(r"\b(?:like|such as|e\.g\.?|for example|for instance|including|say)\s*,?\s*(?:the\s+)?$", re.I)


def names_asked(text: str) -> list[str]:
    """Names the question asks about: "Is Côte d'Ivoire classified as high risk?" -> ["Côte
    d'Ivoire"]. Not names in the scene it sets, its first word, or a name given as an example
    ("keyboards like SwiftKey"). A question whether a text applies to someone names them as an
    example of whom it may apply to ("does GDPR apply to a shop that ships to France?"): none."""
    if asks_text_scope(text):
        return []
    out: list[str] = []
    for rest in _asking_rests(text):
        # "keyboards like SwiftKey": a name given as an example of what is asked about
        out += [m.group(1) for m in _PROPER_NAME.finditer(rest) if not _EXAMPLE_BEFORE.search(rest[: m.start()])]
    return out


def _asking_rests(text: str) -> list[str]:
    """The asking sentences of a question without quoted words and without their first word
    ("Which authority ...": a sentence's first word is capitalised anyway), where the names
    and acronyms it asks about are looked for."""
    return [re.sub(r"^\s*\S+", " ", _QUOTED.sub(" ", sentence)) for sentence in asking_sentences(text)]


# an acronym standing on its own in a question ("which format (XBRL, ...)?", "... or EBITDA, above
# which ..."), not one qualifying the word after it ("GPS coordinates", "MFA required", "GDPR apply")
_ACRONYM_ALONE = re.compile(r"(?<![\w-])([A-Z]{2,6}s?)(?![\w-])(?!\s*(?!(?:or|and|nor)\b)[a-z(\d])")


def acronyms_asked(text: str) -> list[str]:
    """The acronyms the asking sentences of a question name on their own: "Which digital format
    (XBRL, ESEF or similar) ...?" -> ["XBRL"]. Not its first word, nor one qualifying a noun."""
    return [m.group(1) for rest in _asking_rests(text) for m in _ACRONYM_ALONE.finditer(rest)]


def asks_text_scope(text: str) -> bool:
    """Whether a question asks whom a whole text applies to ("does the code even apply to
    us?", "Does GDPR apply to a US online shop?", "are traders in scope?"), which its scope
    section answers, as against whom one rule applies to ("does the 7-year retention apply to
    grievance records?")."""
    if not asks_scope(text):
        return False
    m = _APPLY_SUBJECT.search(text)
    if m is None:
        return True  # "are we in scope?", "is a trader covered by the code?"
    subject = m.group("s").strip()
    return bool(_TEXT_NOUN.match(subject) or _ACRONYM.fullmatch(subject))


# "who is the current chair of the Board?", "who's the CEO of the Copper Mark?", "who chairs the
# Forum?": a person in an office
_ASKS_HOLDER = re.compile(
    r"^\s*(?:and\s+|so\s+)?who(?:\s+is|\s+was|'s)\s+(?:the\s+|its\s+|their\s+)?(?:current\s+|present\s+|new\s+|acting\s+)?"
    r"(?P<role>ceo|chief executive(?: officer)?|chair(?:man|woman|person)?|president|vice[- ]president|"
    r"(?:executive |managing )?director(?:[- ]general)?|secretary[- ]general|head)\b"
    r"|^\s*(?:and\s+|so\s+)?who\s+(?:currently\s+)?(?P<act>chairs|heads|presides\s+over)\b",  # "who chairs the Forum?"
    re.I,
)
_OFFICE_OF_ACT = {"chairs": "chair", "heads": "head", "presides": "chair"}


_ASKS_WEB_ADDRESS = re.compile(
    r"\b(?:web ?address|internet address|url|website address|web link)\b|\b(?:what|which)(?:'s| is| are)? (?:the )?(?:website|link)\b",
    re.I,
)


def asks_web_address(text: str) -> bool:
    """Whether a question asks for a web address ("what's the web address?", "what is the URL of
    the portal?"), which only a passage writing one can give."""
    return bool(_ASKS_WEB_ADDRESS.search(text))


def asked_holder(text: str) -> str:
    """The office whose holder a question asks for by name, as the question writes it ("who is
    the current chair of the Board?" -> "chair", "Who is the CEO?" -> "CEO"), or ""."""
    m = _ASKS_HOLDER.search(text)
    if not m:
        return ""
    return m.group("role") or _OFFICE_OF_ACT[m.group("act").split()[0].lower()]


# "which vulnerability scanner does the SCVS recommend ...?": the thing asked for by its class
_WHICH_ONE = re.compile(
    r"^\s*(?:and\s+|so\s+)?which\s+(?P<np>(?:[\w-]+\s+){0,5}?[\w-]+?)\s+(?:does|do|did|should|must|can|could|would|will|"
    r"is|was|has|shall|may|might)\b",
    re.I,
)


# "which cloud providers are approved under 800-63B?": things asked for by their class, to be named
_WHICH_APPROVED = re.compile(
    r"^\s*(?:and\s+|so\s+)?which\s+(?P<np>(?:[\w-]+\s+){0,3}?[\w-]+s)\s+(?:are|were)\s+"
    r"(?:approved|recommended|endorsed|certified|accredited)\b",
    re.I,
)


def asked_class(text: str) -> str:
    """The noun a question naming one thing by its class asks for ("which vulnerability scanner
    does the SCVS recommend?" -> "scanner"), or "". A plural ("which metals ...") asks for a
    list, which may name its items without the class word; but one asking which are approved
    or recommended asks for things of that class by name, the whole class ("which cloud
    providers are approved?" -> "cloud provider")."""
    text = " ".join(asking_sentences(text))  # "We're a rubber importer. Which audit firm ...?"
    m = _WHICH_APPROVED.search(text)
    if m:
        words = m.group("np").split()
        return " ".join(words[:-1] + [words[-1][:-1]]).lower()
    m = _WHICH_ONE.search(text)
    if not m:
        return ""
    head = m.group("np").split()[-1].lower()
    return "" if head.endswith("s") or head in STOPWORDS else head


_WHICH_MANY = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:which|what)\s+(?P<np>(?:[\w-]+\s+){0,4}?[\w-]+s)\s+(?:do|does|did|should|must|can|could|would|"
    r"will|are|were|have|has|shall|may|might|need)\b",
    re.I,
)


# "what are the serious abuses in Annex II?", "list the serious abuses in OECD annex II"
_ITEMS_ASKED = re.compile(
    r"^\s*(?:and\s+|so\s+|please\s+|can you\s+|could you\s+)?(?:(?:what|which)\s+are|list|name|give me)\s+(?:the\s+|all\s+(?:the\s+)?)?"
    r"(?P<np>(?:[\w-]+\s+){0,3}?[\w-]+s)(?=\s+(?:in|of|for|under|that|which|listed|named|we|i|you|to|a|an)\b|\s*[?.]?\s*$)",
    re.I,
)
# a question about a fine or fee that asks something else of it: who sets it, when, why, or a
# "what/which X" whose X is no amount ("what requirements do the penalties have to meet?")
_MONEY_WORDS = r"(?:cost|costs|price|prices|fee|fees|charge|charges|fine|fines|penalty|penalties|amount|sum)"
_ASKS_NO_AMOUNT = re.compile(
    rf"^\s*(?:and\s+|so\s+)?(?:who|whom|whose|when|where|why|(?:what|which)\s+(?!{_MONEY_WORDS}\b|{_MEASURES}\b|is\b|are\b|was\b|were\b|'s\b|will\b|would\b|can\b|could\b|do\b|does\b|did\b|the\b|a\b|an\b|level\b|size\b|kinds?\b)[a-z]+)\b",
    re.I,
)
# "what kinds of penalties ...", "which types of records ...": the kinds are the items asked for
_KINDS_OF = re.compile(r"^\s*(?:and\s+|so\s+)?(?:what|which)\s+(?:kinds|types|sorts|forms|categories)\s+of\b", re.I)
_KIND_WORDS = frozenset("kind kinds type types sort sorts form forms category categories piece pieces set sets lot lots".split())


def asked_items(text: str) -> str:
    """The plural noun a question asks for the members of ("which social and environmental risks
    do we have to look at?", "what are the serious abuses in Annex II?"), or "": a list
    introduced by it names them."""
    m = _WHICH_MANY.search(text) or _ITEMS_ASKED.search(text)
    words = m.group("np").lower().split() if m else [""]
    # "which combinations of authenticators ...": combinations; "what kinds of records ...": records
    of = words.index("of") if "of" in words[1:] else 0
    head = words[of - 1] if of and words[of - 1] not in _KIND_WORDS else words[-1]
    return "" if head in STOPWORDS or head.endswith("ss") else head


# "how many controls are there in V2?", "the number of requirements in the SBOM chapter": a count of a
# standard's numbered requirements, which its text need not state: the rows can be counted
_ROW_NOUNS = ("requirement", "control", "criterion", "criteria", "check", "rule")
_ASKS_ROWS = re.compile(rf"\b(?:how many|number of)\s+(?:\w+\s+){{0,2}}?(?:{'|'.join(n if n.startswith('criteri') else n + 's?' for n in _ROW_NOUNS)})\b", re.I)
# the words of a requirement table's title that every such table has ("V2 ... Requirements",
# "Security Verification Requirements", "Control Objective"): they name no part of the standard
ROW_TITLE_WORDS = frozenset(tokenize(" ".join(_ROW_NOUNS) + " verification"))


def asks_row_count(text: str) -> bool:
    """Whether a question asks how many requirements (controls, criteria, checks) a part of a
    standard holds."""
    return bool(_ASKS_ROWS.search(text))


def asks_row_list(text: str) -> bool:
    """Whether a question asks for the requirements (controls, criteria, checks) of a part of a
    standard as a list ("list the logging requirements", "what are the requirements in V4?"):
    a checklist of all its rows (the rows of one level, "which checks are needed at L1?", are
    chosen as for any list)."""
    items = tokenize(asked_items(text))
    if not items or items[-1] not in ROW_TITLE_WORDS or asked_levels(text):
        return False
    return question_kind(text) == "list" and not asks_row_count(text)


def asks_contents(text: str) -> bool:
    """Whether a question asks what something contains ("what has to go into the carbon
    footprint declaration?", "what must the policy include?")."""
    return bool(re.search(rf"\b{_CONTENTS}\b", text, re.I))


def asks_something(text: str) -> bool:
    """Whether a line is worded as a question ("How long must records be kept", "Who owns the
    JDD?"): an FAQ entry's title."""
    return text.rstrip().endswith("?") or bool(_QUESTION_START.match(text))


def question_kind(text: str) -> str:
    """The kind of one (single-part) question; see Question.kind."""
    text = last_sentence(text)
    if _TAG_QUESTION.search(text) and not _QUESTION_START.match(text):
        return "yesno"
    if clause_refs(text) and _CLAUSE.search(text) and len(text.split()) <= 12 and not asked_items(text):
        return "clause"  # not "what are the serious abuses in Annex II?", which asks for items
    if _KINDS_OF.match(text):
        return "list"  # "what kinds of penalties can we face?" asks for the kinds, not an amount
    for kind, pattern in _ASKS:
        if kind == "money" and _ASKS_NO_AMOUNT.match(text):
            continue  # "who decides the fines?" asks who; "what rules do the penalties follow?" asks rules
        if pattern.search(text):
            return kind
    if defined_term_asked(text):
        return "definition"
    if _COMPARE.search(text):
        return "compare"
    if _WHY.search(text):
        return "why"
    if _LIST.search(text):
        return "list"
    if _YES_NO.match(text):
        return "yesno"
    return "open"


def defined_term_asked(text: str) -> str:
    """The term a definition question asks about ("what counts as a red flag?" -> "red flag"), or ""."""
    for sentence in asking_sentences(text):
        term = _term_of(sentence)
        if term:
            return term
    return ""


# "does the mere fact that a safer model exists mean ours counts as dangerous?": whether a circumstance
# makes a thing one, which a rule settles ("... shall not constitute grounds for ..."), not the entry
_CIRCUMSTANCE = re.compile(r"\b(?:the\s+(?:mere\s+|simple\s+|very\s+)?fact\s+that|(?:just|simply|merely|only)\s+because)\b", re.I)


def _term_of(text: str) -> str:
    if _CIRCUMSTANCE.search(text):
        return ""
    quoted = _QUOTED.search(text)
    if quoted and _ASKS_MEANING.search(text) and not clause_refs(quoted.group(1)):
        return quoted.group(1).strip()  # "what does 'state of health' of a battery mean?"
    for pattern in _DEFINITION:
        m = pattern.match(text)
        if not m:
            continue
        term = _QUALIFIER.sub("", m.group("t")).strip(" '\"\u2018\u2019\u201c\u201d?.")
        term = re.sub(r"^(an?|the)\s+", "", term, flags=re.I)
        words = term.split()
        if not 1 <= len(words) <= 5 or _NOT_A_TERM.search(term) or clause_refs(term):
            continue
        return term
    return ""


def split_parts(text: str) -> list[str]:
    """The sub-questions of a message that asks several things: each asking sentence, and
    within one, the parts joined by "and" or a comma ("what ... and how long ...?")."""
    parts: list[str] = []
    for sentence in asking_sentences(text):
        lead = ""
        for piece in (p.strip(" ,;?") for p in _PART_SPLIT.split(sentence)):
            if not piece:
                continue
            if not _QUESTION_START.match(piece) or len(piece.split()) < 2 or _PEOPLE_SAY.match(piece):
                # context ("under the cobalt code, ...", "when people say 'refiner', ...") joins the next part
                lead = f"{lead} {piece}".strip()
                continue
            parts.append(f"{lead}, {piece}" if lead else piece)
            lead = ""
        if lead:
            if parts:
                parts[-1] = f"{parts[-1]} {lead}"
            else:
                parts.append(lead)
    return parts if len(parts) > 1 else [text.strip()]


# the two sides of a comparison: "the difference between X and Y", "X vs Y", "how is X different
# from Y", "X compared with Y", "is X the same thing as Y"
_SIDES = [
    re.compile(r"\bdifferences?\s+(?:in\s+(?:\w+\s+){1,2}?)?between\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)\s*(?:[?.!,;]|$)", re.I),
    re.compile(r"^(?P<a>.+?)\s+(?:vs\.?|versus)\s+(?P<b>.+?)\s*(?:[-\u2013\u2014:,?]|$)", re.I),
    re.compile(r"(?:\bhow\s+|^)(?:is|are|does|do)\s+(?P<a>.+?)\s+(?:different|differ)\s+from\s+(?P<b>.+?)\s*(?:[?.!,;]|$)", re.I),
    re.compile(r"^(?:is|are)\s+(?P<a>.+?)\s+the same(?:\s+thing)?\s+as\s+(?P<b>.+?)\s*(?:[?.!,;]|$)", re.I),
    re.compile(r"\bhow\s+(?:does|do)\s+(?P<a>.+?)\s+compare\s+(?:to|with)\s+(?P<b>.+?)\s*(?:[?.!,;]|$)", re.I),
    re.compile(r"^(?:\w+\s+){0,3}?(?P<a>[\w\- ]+?)\s+compared\s+(?:to|with)\s+(?P<b>.+?)\s*(?:[?.!,;]|$)", re.I),
]


def asks_comparison(text: str) -> bool:
    """Whether a question compares, whatever else it asks for ("how do the lower and the higher
    fines differ?" asks for amounts too)."""
    return bool(_COMPARE.search(text))


def compared_sides(text: str) -> tuple[str, str] | None:
    """The two things a comparison question compares, as terms ("what's the difference between
    a battery module and a battery pack?" -> ("battery module", "battery pack")); "one" takes the
    noun of the first ("a single-factor device and a multi-factor one" -> "multi-factor device")."""
    sentences = (last_sentence(text), strip_meta(text))  # "X vs Y - what's the difference?" names them before
    for pattern, sentence in ((p, t) for p in _SIDES for t in sentences):
        m = pattern.search(sentence)
        if not m:
            continue
        # "... and a small trader under the EUDR": the text's name qualifies the second side, it is not part of it
        a, b = (re.sub(r"^(?:an?|the)\s+", "", _QUALIFIER.sub("", side).strip(" '\"\u2018\u2019\u201c\u201d"), flags=re.I) for side in (m["a"], m["b"]))
        if re.search(r"\bones?$", b) and len(a.split()) >= 2:
            b = re.sub(r"\bones?$", " ".join(a.split()[1:]), b)
        if all(1 <= len(side.split()) <= 6 for side in (a, b)):
            return a, b
    return None


# a question part whose subject is a pronoun for what the part before it asked about
_LEANS_ON_BEFORE = re.compile(r"\b(?:it|they|them|its|their|this|that|these|those)\b", re.I)


def analyse(text: str) -> Question:
    """Kind, term and parts of a question. A comparison asks two things: what each side is."""
    subs = []
    for part in split_parts(text):
        kind = question_kind(part)
        term = defined_term_asked(part) if kind == "definition" else ""
        # "... decide whether a country is high risk? What criteria does it use?": the second part's
        # subject is what the first asked about
        before = subs[-1].text if subs and _LEANS_ON_BEFORE.search(part) else ""
        subs.append(Question(part, kind, term, unit=asked_unit(part), bound=asked_bound(part), before=before))
    if len(subs) == 1:
        sides = compared_sides(text) if subs[0].kind == "compare" else None
        if sides:
            return replace(subs[0], parts=tuple(Question(f"what is {side}?", "definition", side) for side in sides))
        return subs[0]
    return Question(text, subs[0].kind, subs[0].term, tuple(subs), subs[0].unit, subs[0].bound)
