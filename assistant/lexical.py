"""Word-level text handling shared by BM25, answer selection and abstention.

One tokenizer for everything keyword-based: lower case, English stop words dropped, Snowball
stems, and clause ids ("5.2.3", "v6.2.1") kept whole so they can be matched exactly.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

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
    doesn aren won t ll ve re d m vs like whats hows whos wheres whens whys thats theres dont cant wont
    isnt arent doesnt else nothing everything kind kinds sort sorts meant ok okay honestly basically
    anyway maybe perhaps thanks""".split()
)

_TOKEN = re.compile(r"[a-z]{0,2}\d+(?:\.\d+)+[a-z]?|[a-z0-9]+(?:'[a-z]+)?")
_stemmer = Stemmer.Stemmer("english")


# American -ize spellings, written the British way before stemming: the stemmer strips "-ization"
# ("organization" -> "organ") but keeps "-isation" ("organisation" -> "organis"), so the two
# spellings of one word would never meet (EU texts write "pseudonymisation", users "pseudonymization")
_IZE = re.compile(r"^(\w{3,}?)iz(e|es|ed|ing|er|ers|ation|ations|able)$")


@lru_cache(maxsize=50_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(_IZE.sub(r"\1is\2", word))


_COMPOUND = re.compile(r"\b[a-z]+(?:-[a-z]+)+\b")


def joined_compounds(text: str) -> list[str]:
    """The token of each hyphenated word of `text` spelt as one word ("remanufactur" for
    "re-manufacturing")."""
    return _joined(_folded(text))


def _joined(folded: str) -> list[str]:
    return [_stem(m.group(0).replace("-", "")) for m in _COMPOUND.finditer(folded)]


def _folded(text: str) -> str:
    """Lower case without accents ("Côte d'Ivoire" -> "cote d'ivoire", "Überprüfung" ->
    "uberprufung", "ß" -> "ss"): a translated text's words stay whole words, and a question typed
    without its accents meets them."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if not unicodedata.combining(c))


def tokenize(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Stemmed keyword tokens of `text` (clause ids kept whole). A hyphenated word gives its
    parts and the parts joined, so "re-manufacturing" meets "remanufacturing"."""
    text = _folded(text).replace("\u2019", "'")
    tokens = _joined(text)
    for raw in _TOKEN.findall(text):
        raw = raw.split("'")[0] if "'" in raw else raw
        if not keep_stopwords and raw in STOPWORDS:
            continue
        if "." in raw or raw.isdigit():
            tokens.append(raw)
        elif len(raw) > 1:
            tokens.append(_stem(raw))
    return tokens


class OtherName(NamedTuple):
    """Another name, stated by the documents, for words a question uses ("EXS" for "Example
    Sourcing Standard"; "memorized secret" for "password")."""

    asked: frozenset[str]  # the question's tokens it stands for
    name: str
    tokens: frozenset[str]
    credit: float = 1.0  # how much of the asked words' weight a text stating it earns (a guessed synonym: less)


# "fine" the noun, a penalty ("a fine", "the maximum fine", "fines", "fined"), not the adjective
# ("is it fine to ...?", "that is fine"): a pattern for any rule that reads money words
_BEFORE_A_FINE = ("a", "the", "any", "no", "what", "which", "such", "one", "our", "my", "your", "their", "its", "maximum",
                  "max", "biggest", "largest", "highest", "lowest", "minimum", "administrative", "possible", "big", "hefty", "huge")
FINE_NOUN = "(?:fines|fined|" + "|".join(f"(?<=\\b{word} )fine" for word in _BEFORE_A_FINE) + ")"

# the Union's countries, by name and adjective ("the French authority", "in Spain and Italy")
_EU_COUNTRIES = "(?-i:" + "|".join(  # written with a capital: "we polish the metal" names no country
    "Austria|Austrian|Belgium|Belgian|Bulgaria|Bulgarian|Croatia|Croatian|Cyprus|Cypriot|Czechia|Czech Republic|Czech|"
    "Denmark|Danish|Estonia|Estonian|Finland|Finnish|France|French|Germany|German|Greece|Greek|Hungary|Hungarian|"
    "Ireland|Irish|Italy|Italian|Latvia|Latvian|Lithuania|Lithuanian|Luxembourg|Malta|Maltese|Netherlands|Dutch|"
    "Poland|Polish|Portugal|Portuguese|Romania|Romanian|Slovakia|Slovak|Slovenia|Slovenian|Spain|Spanish|Sweden|"
    "Swedish|EU country|EU countries".split("|")
) + ")"

# everyday words of a question and the words regulatory and technical texts use for them
# ("tell the regulator" is written "notify the supervisory authority"): each entry is general
# English, for any text, never one document's term (those come from the documents themselves)
_PLAIN_WORDS: dict[str, tuple[str, ...]] = {
    "tell|told|telling": ("notify", "inform"),
    "notify|notifies|notified|notifying": ("communicate", "inform"),
    "appoint|appoints|appointed|appointing": ("designate",),
    "regulator|regulators": ("supervisory authority", "competent authority"),
    "hack|hacked|hacking|hacker|hackers": ("breach",),
    "sell|sells|selling|sold": ("place on the market", "make available on the market"),
    "keep|keeps|keeping|kept": ("retain", "retention"),
    "delete|deleted|deleting": ("erase", "erasure", "dispose"),
    "check|checks|checked|checking": ("verify", "verification"),
    "fix|fixes|fixed|fixing": ("remedy", "remediate", "correct"),
    "wrong": ("failed", "incorrect", "invalid"),
    "try|tries|tried": ("attempt",),
    "idle|idling": ("inactivity", "inactive"),
    "boss|bosses": ("senior management",),
    "staff": ("personnel", "employees"),
    "each year|every year|per year|yearly": ("annual", "annually"),
    "ban|bans|banned|forbidden": ("prohibit", "prohibited"),
    "allowed": ("permitted",),  # not "ok": "ok and for traders?" opens a follow-up
    "phone|phones|smartphone|smartphones": ("mobile device",),
    "texting|texted": ("SMS",),
    "log in|logs in|logging in|login": ("authenticate", "authentication"),  # "logs in" and "logs out" are one topic
    "swap|swapped|swapping": ("replace", "replaceable"),
    "dev|devs": ("developers",),
    "print|prints|printed|printing|dump|dumps|dumped|dumping": ("written", "write"),
    "fingerprint|fingerprints|face recognition": ("biometric",),
    "reply|replies": ("respond", "response"),
    "ask for|asks for|asked for|asking for": ("request",),
    "decide|decides|deciding|decided": ("determine",),
    "legal basis|legal bases|legal ground|legal grounds": ("lawful", "lawfulness"),
    "reduce|reduces|reducing|reduced|bring down|brings down|bring (?:it|that|this|them|the risk|that risk|the risks) down": (
        "mitigate", "mitigation"),
    "start applying|start to apply|started applying|take effect|takes effect|took effect|come into effect|"
    "comes into effect|came into effect": ("entry into force",),
    # a country of the Union is what EU law calls a Member State
    _EU_COUNTRIES: ("Member State",),
    # an act that stops applying is repealed
    "stop being in force|stopped being in force|stops being in force|no longer in force|stop applying|stops applying|"
    "stopped applying|no longer applies|no longer apply|cease to apply|ceases to apply|ceased to apply": ("repealed",),
    # money: a fine is a penalty, what one pays a cost, postage the shipping
    FINE_NOUN: ("penalty", "penalties"),
    "pay|pays|paid|paying": ("cost", "costs", "charge"),
    "postage": ("shipping",),
    # selling online: a shop on the web is an online offer, what a product page shows it indicates
    "webshop|webshops|web shop|web shops|e-shop|e-shops|eshop|online shop|online shops|online store|online stores|web store": (
        "online",),
    "product page|product pages|listing|listings": ("offer",),
    "show|shows|showing|display|displays|displaying": ("indicate",),
    "violate|violates|violated|violating|violation|violations": ("infringement", "non-compliance"),
    # breaking a rule (not a chair): the rule's word or a document's short name follows
    "(?:break|breaks|breaking|broke|broken)(?= (?:the |these |those |any |our |its |their )?"
    "(?:rules?|laws?|regulations?|requirements?|obligations?|(?-i:[A-Z]{3,6})\\b))": ("infringement", "non-compliance"),
}
# idioms: phrases whose words say something else alone ("back" of "get back to us", "face" of
# "a face scan", "sign" of "sign in"): a text is matched by the idiom's formal words, never by
# its own words, whose weight those formal words share
_IDIOMS: dict[str, tuple[str, ...]] = {
    "hang on to|hold on to|hold onto|hang onto": ("keep", "retain", "retention"),
    "throw away|get rid of": ("erase", "erasure", "dispose"),
    "text message|text messages": ("SMS",),
    "sign in|signs in|signing in": ("authenticate", "authentication"),
    "aimed at|meant for|targeted at|geared towards|geared toward": ("intended for", "used by"),
    # a setting switched on or off: texts say whether it is enabled or disabled, in either polarity
    "switched on|switch on|switches on|turned on|turn on|turns on|switched off|switch off|switches off|turned off|"
    "turn off|turns off": ("enabled", "disabled"),
    "face scan|face scans": ("biometric",),
    "answer back|get back to|gets back to|got back to|getting back to|hear back": ("respond", "response", "inform"),
    "kick in|kicks in|kicked in": ("entry into force",),
    "on the hook": ("responsibility", "liable"),
    "done nothing|did nothing|do nothing|does nothing|doing nothing|not acted|failed to act": ("failure to act",),
    "send back|sends back|sent back|sending back|give back|gives back|bring back|take back|takes back|taken back": ("return", "returning"),
}
_PLAIN = [(re.compile(rf"\b(?:{words})\b", re.I), formal) for words, formal in {**_PLAIN_WORDS, **_IDIOMS}.items()]
_IDIOM = re.compile(rf"\b(?:{'|'.join(_IDIOMS)})\b", re.I)


IDIOM_MARK = "~"  # "~back": the word "back" as part of an idiom, which no text's "back" matches


def idiom_words(text: str) -> frozenset[str]:
    """The tokens of `text` that occur only inside an idiom ("back" of "how long do they have to
    get back to us?"; not "sign" of "sign in to sign the form")."""
    inside = {t for m in _IDIOM.finditer(text) for t in tokenize(m.group(0))}
    return frozenset(inside - set(tokenize(_IDIOM.sub(" ", text))))


def idiom_token(token: str) -> str:
    """A question token as it stands in an idiom: marked, so that only the idiom's formal words
    match it."""
    return f"{IDIOM_MARK}{token}"


def plain_token(token: str) -> str:
    """A token without its idiom mark (whose weight is the word's own)."""
    return token.removeprefix(IDIOM_MARK)


def formal_words(text: str) -> list[tuple[str, str]]:
    """(everyday word as the text writes it, a word texts use for it) for each everyday word of
    `text` that has one ("tell" -> "notify", "inform")."""
    out = []
    for pattern, formal in _PLAIN:
        m = pattern.search(text)
        if m:
            out.extend((m.group(0), word) for word in formal)
    return out


def credited(tokens: frozenset[str] | set[str], names: tuple[OtherName, ...] | list[OtherName]) -> frozenset[str]:
    """`tokens` plus the question tokens a text states by another name: a text saying "EXS"
    covers "Example Sourcing Standard" as if it said it."""
    extra = [n.asked for n in names if n.tokens <= tokens]
    return frozenset(tokens).union(*extra) if extra else frozenset(tokens)


def matched(weights: dict[str, float], tokens: frozenset[str] | set[str], names: tuple[OtherName, ...] | list[OtherName] = ()) -> float:
    """The weight of the question tokens a text holds: by their own words, or by another name
    at that name's credit."""
    if not names:
        return sum(w for t, w in weights.items() if t in tokens)
    credit = {t: 1.0 for t in weights if t in tokens}
    for name in names:
        if name.tokens <= tokens:
            for t in name.asked:
                credit[t] = max(credit.get(t, 0.0), name.credit)
    return sum(w * credit.get(t, 0.0) for t, w in weights.items())


# regional spellings of one word: "labour"/"labor", "centre"/"center", "licence"/"license",
# "catalogue"/"catalog", "travelled"/"traveled", "anaemia"/"anemia" (as stems)
_REGIONAL = ((re.compile(r"our"), "or"), (re.compile(r"tre?\b"), "ter"), (re.compile(r"nc\b"), "ns"),
             (re.compile(r"ogu\b"), "og"), (re.compile(r"yz"), "ys"), (re.compile(r"ll"), "l"), (re.compile(r"ae|oe"), "e"))


def _regional(stem: str) -> str:
    for pattern, plain in _REGIONAL:
        stem = pattern.sub(plain, stem)
    return stem


def dictionary_stems(words) -> frozenset[str]:
    """Stems of whole English words (the embedding model's vocabulary): what the speller
    never takes for a typo of another such word."""
    return frozenset(_stem(w) for w in words if w.isascii() and w.isalpha() and len(w) >= 4)


class Speller:
    """Corrects a misspelt word to a word of the index ("pasword" -> "password"): the known
    token one edit away (two for long words) that most chunks contain. Deletion neighbourhoods
    make a look-up cheap whatever the vocabulary size. With a `dictionary` (stems of English
    words), a word of the dictionary is never corrected to another one ("chased" is no typo of
    "case", "repeatedly" none of "repeal") unless the two are one word's regional spellings."""

    def __init__(self, vocabulary: dict[str, int], dictionary: frozenset[str] = frozenset()):
        # stop words count as known (a misspelt "shoud" is corrected to "should", then dropped)
        self.vocabulary = {**{w: 0 for w in STOPWORDS if w.isalpha() and len(w) >= 4}, **vocabulary}
        self.dictionary = dictionary
        self._deletes: dict[str, list[str]] = {}
        for token in self.vocabulary:
            if token.isalpha() and len(token) >= 4:
                for variant in _deletions(token, 2 if len(token) >= 9 else 1):
                    self._deletes.setdefault(variant, []).append(token)

    def correct(self, token: str) -> str:
        """`token` itself when known, too short or not a word; else its best correction or itself."""
        if token in self.vocabulary or len(token) < 5 or not token.isalpha():
            return token
        depth = 2 if len(token) >= 9 else 1
        candidates = {c for v in _deletions(token, depth) | {token} for c in self._deletes.get(v, ())}
        candidates |= {v for v in _deletions(token, depth) if v in self.vocabulary and len(v) >= 4}
        candidates = {c for c in candidates if _distance(token, c) <= depth}
        if token in self.dictionary:
            candidates = {c for c in candidates if c not in self.dictionary or _regional(c) == _regional(token)}
        return max(candidates, key=lambda c: (self.vocabulary[c], c)) if candidates else token


def _deletions(word: str, depth: int) -> set[str]:
    found = {word}
    for _ in range(depth):
        found |= {w[:i] + w[i + 1 :] for w in found for i in range(len(w))}
    found.discard(word)
    return found


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (with adjacent transpositions counted as one edit)."""
    previous = list(range(len(b) + 1))
    before: list[int] = []
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, before[j - 2] + 1)
            current.append(cost)
        before, previous = previous, current
    return previous[-1]
