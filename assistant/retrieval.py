"""Hybrid search: dense (Chroma) and BM25 candidates, fused, then rescored for standards.

Rescoring adds what matters when people ask about numbered documents: a clause id in the
question ("what does 5.2.3 say", "Annex II", "Step 2") sends that clause to the top, words
of the question found in a chunk's heading path count extra, and neighbouring chunks of one
split section are merged into one passage when both are relevant.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import numpy as np

from .lexical import STOPWORDS, OtherName, formal_words, idiom_token, idiom_words, joined_compounds, matched, plain_token, tokenize
from .settings import Settings
from .store import Store
from .questions import (
    acronyms_asked,
    asking_sentences,
    asks_relation,
    asks_row_count,
    asks_row_list,
    asks_scope,
    asks_something,
    defined_term_asked,
    keyword_text,
    names_asked,
    question_kind,
    set_aside,
    states,
)
from .text import clause_match, clause_refs, list_goes_on, lists_elsewhere, requirement_id, scope_section, section_title, split_sentences, term_key
from .types import Chunk, Hit
from .units import informative_sections, passage_units

# words of a version string that name no document ("rev. 3", "version 2.1", "June 2017")
_NOT_NAMES = frozenset(
    tokenize("rev revision version edition draft final public consultation january february march april may june july "
             "august september october november december")
)


_DOC_TYPES = r"(?:regulation|directive|act|code|standard|guide|guidance|guidelines|rules|criteria|framework|law)s?"


# a document the question frames itself by: "under the EU conflict minerals regulation", "in the
# chain of custody standard" (kinds of text only: "the sourcing policy" is a part of one); not one
# it sets against the one it asks about ("the new rules instead of the old timber regulation")
_FRAMED_BY = re.compile(
    r"\b(?<!instead\s)(?<!in place\s)(?:under|in|according to|per|of)\s+(?P<name>the\s+(?P<words>(?:[\w-]+\s+){1,4}?)"
    r"(?:regulation|directive|act|law|guidance|guidelines|standard|convention|treaty)s?)\b",
    re.I,
)
# words before a kind of text that name no particular one ("the revised standard")
_NOT_TITLES = frozenset(
    tokenize("eu european union international national official current latest new revised updated draft final "
             "whole entire full original previous old relevant applicable above same present")
)


def _name_like(query: str) -> tuple[set[str], set[str]]:
    """Tokens the question writes as a name: (those written so, an acronym or a word with digits:
    "MASVS", "800-63B"; those that are name-like only by standing just before a kind of document:
    "the battery regulation")."""
    words = re.findall(r"[\w./-]+", query)
    written: set[str] = set()
    before_kind: set[str] = set()
    for i, word in enumerate(words):
        if requirement_id(word) or clause_refs(word):
            continue  # "MSTG-CODE-9", "5.2.3": a clause, not a document
        if bool(re.fullmatch(r"[A-Z0-9][A-Z0-9./-]{1,}", word) and re.search(r"[A-Z]", word)) or bool(re.search(r"\d", word) and re.search(r"[A-Za-z]", word)):
            written |= set(tokenize(word))
        elif i + 1 < len(words) and re.fullmatch(_DOC_TYPES, words[i + 1], re.I):
            before_kind |= set(tokenize(word))
    return written, before_kind - written


# what a question likens its subject to: "like under GDPR", "as in the cobalt code", "unlike MASVS"
_LIKENED = re.compile(r"\b(?:like|unlike|as (?:in|under)|similar to)\s+((?:(?:under|in)\s+)?(?:the\s+)?[\w./-]+(?:\s+[\w./-]+){0,2})", re.I)

_CONNECTORS = frozenset("of and for the on in to".split())


def _id_words(doc) -> set[str]:
    """The words of a document's id and version ("eudr", "800-63b"), numbers alone left out."""
    return {t for t in tokenize(doc.doc_id.replace("-", " ") + " " + doc.version) if not re.fullmatch(r"[\d.]+", t)}


def _initialisms(text: str) -> set[str]:
    """The initialisms a title block's capitalised phrases make, three letters or more:
    "gdpr" from "(General Data Protection Regulation)", "masvs" from "Mobile Application
    Security Verification Standard": how people name a document it never names itself."""
    out: set[str] = set()
    run: list[str] = []
    for word in re.findall(r"[\w'-]+|[^\w\s]", text) + ["."]:
        if word.lower() in _CONNECTORS:
            continue  # "Responsible Sourcing of Minerals": no initial of its own
        if word[0].isupper():
            run.append(word[0].lower())
        else:  # a word in lower case, a number or a mark ends the phrase
            out |= {"".join(run[:j]) for j in range(3, len(run) + 1)}
            run = []
    return out


@dataclass(frozen=True)
class Retrieval:
    hits: list[Hit]
    unknown: float = 0.0  # keyword weight share of query words the index has never seen (halved for one word)
    names: tuple[OtherName, ...] = ()  # the documents' other names for words of the query, searched too
    absent: str = ""  # the document the question is framed by, when no indexed one is titled so
    unrelated: str = ""  # "how 800-63B relates to GDPR", asked of documents that never name each other
    unnamed: str = ""  # a name the question asks about that no searched passage mentions ("Côte d'Ivoire")
    naming: frozenset[str] = frozenset()  # the query's words that name a document ("esr" of "what does ESRS let us do?")


def _words(text: str) -> str:
    """The words of a text in lower case, one space apart (for matching a quoted title)."""
    return " ".join(re.findall(r"[\w'-]+", text.lower()))


def _idf(count: float, n: int) -> float:
    """Inverse document frequency of a word found in `count` of `n` chunks (always > 0)."""
    return math.log(1 + (n + 1) / (count + 0.5))


class Retriever:
    def __init__(self, store: Store, embedder, settings: Settings):
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self._derived: dict[str, tuple[list[Chunk], object]] = {}  # name -> (the chunks it was read from, the table)

    def _per_index(self, name: str, build):
        """A table read from the passages (`build(chunks)`), built once per index state: again
        only when the store's chunks change."""
        chunks = self.store.chunks
        cached = self._derived.get(name)
        if cached is None or cached[0] is not chunks:
            cached = self._derived[name] = (chunks, build(chunks))
        return cached[1]

    def search(self, query: str, **kwargs) -> list[Hit]:
        """Best passages for `query`, best first, with scores in [0, ~2] (higher is better)."""
        return self.retrieve(query, **kwargs).hits

    def retrieve(
        self,
        query: str,
        *,
        top_k: int | None = None,
        doc_ids: list[str] | None = None,
        versions: list[str] | None = None,
        own: str = "",
    ) -> Retrieval:
        """Like search, plus how much of the query the index has never seen (for abstention).
        `own`: a follow-up's own words, when the query carries an earlier subject that the
        follow-up replaces ("and for traders?"): the carried words weigh less. The caller (the
        Assistant) keeps the store fresh."""
        top_k = top_k or self.settings.top_k
        allowed = self._allowed_docs(doc_ids, versions)
        if allowed is not None and not allowed:
            return Retrieval([])
        n = self.settings.candidates
        tokens = self.query_tokens(query)
        weights = self.term_weights(tokens)
        if own:
            mine = set(self.query_tokens(own))
            weights = {t: w if t in mine else w * self.settings.answer_carried_weight for t, w in weights.items()}
        aside = set(self.query_tokens(set_aside(query)))
        if aside:  # "besides consent, what other legal bases ...": the passages on consent are not what is asked
            weights = {t: w * self.settings.set_aside_weight if t in aside else w for t, w in weights.items()}
        named, naming, namers = self._document_mentions(tokens, query)
        mentioned = set(named)
        if mentioned and allowed is None:
            allowed = mentioned  # a question about a named document is answered from it
        elif allowed is None:  # "... a percentage of turnover like under GDPR?" asks about another document
            likened = self._likened_documents(query)
            allowed = set(self.store.documents) - likened if likened else None
        names = self.other_names(tokens) + self.spelled_out(query, tokens)
        searched = self._without_names(query, naming) if naming else query
        if names:  # "password" is also searched as "memorized secret", "Example Standard" as "EXS"
            searched = f"{searched} ({'; '.join(n.name for n in names)})"
        names += self.formal_names(query, tokens)  # "tell" is also searched as "notify", by its words (the model reads meaning)
        vector = self.embedder.encode_query(searched)
        if own:  # the follow-up's own meaning weighs as much as the whole carried query's
            vector = vector + self.embedder.encode_query(own)
            vector = vector / max(float(np.linalg.norm(vector)), 1e-12)
        sims = self.store.similarities(vector)
        dense = self.store.ranked(sims, n, allowed)
        keyword_tokens, scale = self._keyword_query(tokens, weights, names)
        keyword = self.store.keyword(keyword_tokens, n, allowed, scale)
        fused = self._fuse(dense, keyword)
        dense_sim = dict(dense)

        refs = clause_refs(query)
        found_ref = False  # whether some searched passage is a clause the question names
        if refs:
            for chunk in self.store.chunks:
                if allowed is not None and chunk.doc_id not in allowed:
                    continue
                if any(clause_match(chunk.section, chunk.heading, r, chunk.text) for r in refs):
                    fused.setdefault(chunk.chunk_id, 0.0)
                    found_ref = True
        term = defined_term_asked(query)
        key = term_key(term) if term else ""
        entries = set(self.store.term_entries().get(key) or self.store.named_terms().get(key, ()))
        for chunk_id in entries:  # "what counts as a producer?": the entry defining it
            fused.setdefault(chunk_id, 0.0)
        titled = self._titled(query, allowed)
        for chunk_id in titled:  # "... those records of processing activities?": Article 30's title
            fused.setdefault(chunk_id, 0.0)

        total_weight = sum(weights.values()) or 1.0
        # a passage of a document the question names by a name it never writes ("EUDR") holds that name
        unwritten = {d: {t for t in words & namers if d not in self.store.doc_shares(t)} for d, words in named.items()}
        scopes = self._scope_chunks() if asks_scope(query) else {}
        for chunk_id, doc_id in scopes.items():  # "does GDPR apply to a US shop?": its scope sections, however worded
            if allowed is None or doc_id in allowed:
                fused.setdefault(chunk_id, 0.0)
        secondary = self._secondary_documents()
        focus = {} if found_ref else self._focus(sims, allowed, mentioned, secondary)  # "what does 2.11 say?" has no topic
        informative = self._informative_sections()
        hits: list[Hit] = []
        for chunk_id, base in fused.items():
            chunk = self.store.by_id.get(chunk_id)
            if chunk is None:
                continue
            chunk_tokens, heading_tokens = self.store.chunk_tokens(chunk_id)
            heading_share = matched(weights, heading_tokens, names) / total_weight
            coverage = matched(weights, chunk_tokens | unwritten.get(chunk.doc_id, set()), names) / total_weight
            ref_bonus = max((clause_match(chunk.section, chunk.heading, r) for r in refs), default=0)
            if not ref_bonus and any(clause_match(chunk.section, chunk.heading, r, chunk.text) for r in refs):
                ref_bonus = 1.5  # it holds the named requirement as a row: below the section that is it
            if chunk.doc_id in secondary:
                base -= self.settings.unofficial_penalty
            elif chunk.doc_id in mentioned:
                base += self.settings.document_bonus
            base -= focus.get(chunk.doc_id, 0.0)
            if (chunk.doc_id, chunk.section) in informative:
                base -= self.settings.informative_penalty
            score = base + self.settings.heading_weight * heading_share + self.settings.coverage_weight * coverage
            score += self.settings.clause_bonus * {2: 1.0, 1.5: 0.8, 1: 0.4}.get(ref_bonus, 0.0)
            if chunk_id in entries:
                score += self.settings.term_bonus
            if chunk_id in titled:
                score += self.settings.title_bonus
            if chunk_id in scopes:
                score += self.settings.scope_bonus
            hits.append(Hit(chunk, score, dense=dense_sim.get(chunk_id, 0.0), lexical=coverage))
        hits.sort(key=lambda h: -h.score)
        kind = question_kind(query)
        if kind == "start" and self.settings.start_bonus > 0:
            hits = self._stating_start(hits, query, weights, names)
        if kind == "list":
            hits = self._follow_lists(hits, weights, names, top_k)
        if any(h.dense == 0.0 for h in hits[: top_k * 2]):
            hits = self._fill_dense(hits, vector, top_k * 2)
        known, _ = self.store.document_frequencies()
        if allowed is not None:  # searching some documents: a word only other documents hold is unknown here
            unseen = [t for t in weights if not any(d in allowed for d in self.store.doc_shares(t))]
        else:
            unseen = [t for t in weights if t not in known]
        unseen = [t for t in unseen if t not in namers]  # "GDPR" names its document, though its text never says it
        unseen = [t for t in unseen if not any(t in n.asked for n in names)]  # "DPO", written out by the text
        # a word of the scene the asker sets ("we hand out free bags of coffee at trade fairs") is weaker
        # evidence that the text does not say what is asked than a word of the asking sentence itself
        asking = set(self.query_tokens(" ".join(asking_sentences(query)))) if unseen else set()
        unseen_weight = sum(weights[t] * (1.0 if t in asking else self.settings.unknown_scene_weight) for t in unseen)
        # one odd word ("...for a training slide") is weaker evidence of an off-topic question than two
        unknown = unseen_weight / total_weight * min(1.0, len(unseen) / 2)
        unrelated = self._unrelated(query, named) if asks_relation(query) else ""
        unnamed = self._unnamed(query, allowed) or self._unnamed_acronym(query, allowed, namers, names)
        passages = self._merge_neighbours(hits, top_k)
        if asks_row_count(query) or asks_row_list(query):  # "how many controls are there in V2?": the whole table
            passages = self._whole_sections(passages)
        return Retrieval(passages, unknown, tuple(names), self.absent_document(query), unrelated, unnamed, frozenset(naming))

    def _unnamed(self, query: str, allowed: set[str] | None) -> str:
        """The first name the question asks about ("Is Côte d'Ivoire classified as high risk?",
        "which authority enforces it in the Netherlands?") that no searched document writes, or
        "": a text that never names a country says nothing about that country, however well it
        speaks to the rest of the question."""
        speller = self.store.speller()
        for name in names_asked(query):
            tokens = {speller.correct(t) for t in tokenize(name)}
            if tokens and not self._written(tokens, allowed):
                return name
        return ""

    def _written(self, tokens: set[str], allowed: set[str] | None) -> bool:
        """Whether a searched document (all when `allowed` is None) writes any of these words."""
        return any(d in (allowed or self.store.documents) for t in tokens for d in self.store.doc_shares(t))

    def _unnamed_acronym(self, query: str, allowed: set[str] | None, namers: frozenset[str], names: list[OtherName]) -> str:
        """The first acronym the question asks about on its own ("which format (XBRL, ...)?") that
        no searched document writes, names itself by, or writes out ("DPIA"), or ""."""
        for acronym in acronyms_asked(query):
            tokens = set(tokenize(acronym)) | set(tokenize(acronym.rstrip("s")))  # "PGMs" where a text writes "PGM"
            if not tokens or tokens & namers or any(tokens & set(n.asked) for n in names):
                continue
            if not self._written(tokens, allowed):
                return acronym
        return ""

    def _focus(
        self, sims: np.ndarray | None, allowed: set[str] | None, mentioned: set[str], secondary: set[str]
    ) -> dict[str, float]:
        """Score taken from each document's passages by how much less than the closest
        official document it has to say about the question, up to focus_max (nothing when the
        question names a document or a clause, or only one document is searched). `sims`: the
        query's similarities; `secondary`: the unofficial documents."""
        if mentioned or self.settings.focus_weight <= 0:
            return {}
        affinity = self.store.document_affinity(sims, self.settings.focus_rows)
        if allowed is not None:
            affinity = {d: a for d, a in affinity.items() if d in allowed}
        if len(affinity) < 2:
            return {}
        # the official texts set the bar: an unofficial guide restating them is about them all
        official = [a for d, a in affinity.items() if d not in secondary]
        best = max(official or affinity.values())
        s = self.settings
        return {d: min(s.focus_weight * max(best - a, 0.0), s.focus_max) for d, a in affinity.items()}

    def _unrelated(self, query: str, named: dict[str, set[str]]) -> str:
        """For a question on how named documents relate ("how does 800-63B map to GDPR?"):
        "how 800-63B relates to GDPR" when none of them ever names another (by the words the
        question names it with), so no passage can give the mapping; "" otherwise."""
        if len(named) < 2:
            return ""
        for doc_id in named:
            if any(self.store.doc_shares(t).get(doc_id) for other, words in named.items() if other != doc_id for t in words):
                return ""
        words = re.findall(r"[\w./-]+", query)
        spans: dict[str, tuple[int, int]] = {}  # each document as the question writes it ("battery regulation")
        for i, word in enumerate(words):
            doc_id = next((d for d, naming in named.items() if d not in spans and set(tokenize(word)) & naming), None)
            if doc_id is not None:
                end = i + 1
                while end < len(words) and (set(tokenize(words[end])) & named[doc_id] or re.fullmatch(_DOC_TYPES, words[end], re.I)):
                    end += 1
                spans[doc_id] = (i, end)
        names = [" ".join(words[a:b]).strip("./-") for a, b in sorted(spans.values())]
        if len(names) < 2:
            return ""
        return f"how {', '.join(names[:-1])} relate{'s' if len(names) == 2 else ''} to {names[-1]}"

    def absent_document(self, query: str) -> str:
        """The document a question is framed by ("under the EU conflict minerals regulation, ...")
        when no indexed document has all its naming words in its title or title block: "" when
        it names none, or one the index holds. A title block says more than the title read
        from a PDF ("REGULATION (EU) 2023/1542 ... concerning batteries and waste batteries")."""
        framed = list(_FRAMED_BY.finditer(query))
        if not framed:
            return ""
        labels = self._document_labels()
        covers = {c.doc_id: c.text[:400] for c in self.store.chunks if c.ordinal == 0}
        titles = [
            set(tokenize(f"{d.title} {covers.get(d.doc_id, '')}")) | labels.get(d.doc_id, set())
            for d in self.store.documents.values()
        ]
        for m in framed:
            words = set(tokenize(m.group("words"))) - _NOT_TITLES
            if words and not any(words <= title for title in titles):
                return m.group("name")
        return ""

    def other_names(self, tokens: list[str]) -> list[OtherName]:
        """The documents' other names for what a question names: their term for an everyday word
        it uses ("memorized secret" for "password"), and the acronym of a name it spells out by
        the name's leading capitalised words ("EXS" for "Example Sourcing Standard", from "the
        Example Sourcing Standard for Copper and Zinc (EXS)"). Not an acronym's spelled-out name:
        a text that coins an acronym goes on using it; nor the words a short name given in quotes
        stands for ("special categories of personal data (‘sensitive data’)") unless the text
        seldom uses that name again (`short_name_uses`), and then for part of the weight; and the
        class a text names what the question says as an example of ("PSTN" for "SMS", from "the
        PSTN (SMS or voice)"), for part of the weight (`example_credit`), when the question's word is
        rare in the texts (`example_max_passages`)."""
        have = set(tokens)
        names: dict[str, OtherName] = {}
        for alias in self.store.aliases():
            if alias.uses:  # "sensitive data", named once for "special categories of personal data": a guess, for part of the weight
                if alias.uses <= self.settings.short_name_uses and alias.name_tokens <= have and not alias.term_tokens <= have:
                    names.setdefault(alias.term, OtherName(alias.name_tokens, alias.term, alias.term_tokens, self.settings.formal_credit))
            elif alias.acronym:
                if len(alias.term_tokens) >= 2 and alias.term_tokens <= have and not alias.name_tokens <= have:
                    names.setdefault(alias.name, OtherName(alias.term_tokens, alias.name, alias.name_tokens))
            elif alias.name_tokens <= have and not alias.term_tokens <= have:
                # "SMS" is also searched as "PSTN", the class the text names it an example of: if rare, for part of the weight
                if alias.example and not self._rare(alias.name_tokens):
                    continue
                credit = self.settings.example_credit if alias.example else 1.0
                names.setdefault(alias.term, OtherName(alias.name_tokens, alias.term, alias.term_tokens, credit))
        return list(names.values())

    def _rare(self, tokens: frozenset[str]) -> bool:
        """Whether the texts write these words in at most `example_max_passages` passages: a
        text that keeps writing "password" needs no class searched for it."""
        known, _ = self.store.document_frequencies()
        return all(known.get(t, 0) <= self.settings.example_max_passages for t in tokens)

    def _titled(self, query: str, allowed: set[str] | None) -> set[str]:
        """Passages of the sections whose title the question quotes, word for word: a title of
        two or more keywords that few sections share ("Records of processing activities", not
        "Control Objective" above every chapter), and that is no glossary entry's term (a
        question using a term does not ask for its definition)."""

        def build(chunks: list[Chunk]) -> dict[str, list[Chunk]]:
            titles: dict[str, list[Chunk]] = {}
            entries = {cid for ids in self.store.term_entries().values() for cid in ids}  # glossary entries are terms, not sections
            for chunk in chunks:
                if chunk.chunk_id in entries:
                    continue
                title = section_title(chunk.heading)
                if len(tokenize(title)) >= 2 and not asks_something(title):  # an FAQ's question is no section's name
                    titles.setdefault(_words(title), []).append(chunk)
            return {t: c for t, c in titles.items() if len({(x.doc_id, x.section) for x in c}) <= 2}

        asked = f" {_words(query)} "
        return {
            c.chunk_id
            for title, found in self._per_index("titles", build).items()
            if f" {title} " in asked
            for c in found
            if allowed is None or c.doc_id in allowed
        }

    def formal_names(self, query: str, tokens: list[str]) -> list[OtherName]:
        """The words texts use for the question's everyday words ("notify" for "tell", "place on
        the market" for "sell"), when the index holds them and the question does not already.
        Each earns formal_credit of the everyday word's weight, and no more than its own: a rare
        word ("login") stood for by one on every page ("authenticate") tells passages apart
        no better than that one does."""
        known, _ = self.store.document_frequencies()
        have = set(tokens)
        out = []
        idioms = idiom_words(query)
        for plain, formal in formal_words(query):
            words = frozenset(tokenize(formal))
            if words and all(t in known for t in words) and not words <= have:
                asked = frozenset(idiom_token(t) if t in idioms else t for t in tokenize(plain)) or frozenset({plain.lower()})
                own = self.term_weights(list(words))
                mine = sum(self.term_weights(list(asked)).values()) if {plain_token(t) for t in asked} <= known.keys() else 0.0
                worth = sum(own.values()) / len(own)
                credit = self.settings.formal_credit * (min(1.0, worth / mine) if mine else 1.0)
                out.append(OtherName(asked, formal, words, credit))
        return out

    def spelled_out(self, query: str, tokens: list[str]) -> list[OtherName]:
        """An acronym of the question that no document uses, searched as the phrase the documents
        write out for it ("DPO": "data protection officer"; "DPIA": "data protection impact
        assessment")."""
        known, _ = self.store.document_frequencies()
        out = []
        for word in dict.fromkeys(re.findall(r"\b[A-Z]{2,6}(?=s?\b)", query)):
            token = word.lower()
            if token in tokens and token not in known:
                phrase = self.store.spelled_out(word)
                if phrase:
                    out.append(OtherName(frozenset({token}), phrase, frozenset(tokenize(phrase))))
        return out

    def _keyword_query(
        self, tokens: list[str], weights: dict[str, float], names: list[OtherName]
    ) -> tuple[list[str], dict[str, float]]:
        """BM25 tokens and their scales: the question's, plus each other name's tokens sharing
        the weight of the words they stand for (so a long name does not outweigh its acronym)."""
        extra: dict[str, float] = {}
        for name in names:
            new = self.term_weights([t for t in name.tokens if t not in weights])
            share = sum(weights.get(t, 0.0) for t in name.asked) / max(len(new), 1)
            for t, w in new.items():  # an everyday stop word ("tell") lends no weight: the name's credit of the word's own
                extra[t] = max(extra.get(t, 0.0), min(w, share) if share else w * name.credit)
        return tokens + list(extra), self._bm25_scale({**weights, **extra})

    def query_tokens(self, text: str) -> list[str]:
        """Keyword tokens of a question, misspelt words corrected ("pasword" -> "password"; a
        misspelt stop word such as "shoud" is dropped). A hyphenated word spelt as one word is
        searched only when the index knows that spelling: "glued-in" is one word the documents
        do not use, not two."""
        idioms = idiom_words(text)  # "back" of "get back to us": matched only by the idiom's formal words
        text = keyword_text(text)  # "how fast ..." asks for a time, it is not about speed
        speller = self.store.speller()
        known, _ = self.store.document_frequencies()
        unused = {t for t in joined_compounds(text) if t not in known}
        out = []
        for token in tokenize(text):
            if token in unused:
                continue
            if token in idioms:
                out.append(idiom_token(token))
                continue
            fixed = speller.correct(token)
            if fixed == token or fixed not in STOPWORDS:
                out.append(fixed)
        return out

    def query_weights(self, text: str) -> dict[str, float]:
        """term_weights of a question's (corrected) tokens that the index knows: a word no
        passage holds cannot tell passages apart (`Retrieval.unknown` accounts for it)."""
        known, _ = self.store.document_frequencies()
        return self.term_weights([t for t in self.query_tokens(text) if plain_token(t) in known])

    def term_weights(self, tokens: list[str]) -> dict[str, float]:
        """IDF weight of each distinct query token; words the index never saw weigh most.

        A word found in most chunks of one document ("cobalt" in a cobalt standard) names the
        document, not a topic in it, so its weight uses that within-document frequency."""
        df, share = self.store.document_frequencies()
        n = max(len(self.store.chunks), 1)
        return {t: _idf(max(df.get(plain_token(t), 0), share.get(plain_token(t), 0.0) * n), n) for t in dict.fromkeys(tokens)}

    def _secondary_documents(self) -> set[str]:
        """Documents that call themselves unofficial (the starter guide), when official ones are
        indexed too: on a tie, the official text is the one to quote."""
        docs = self.store.documents.values()
        unofficial = {d.doc_id for d in docs if "unofficial" in d.title.lower()}
        return unofficial if len(unofficial) < len(self.store.documents) else set()

    def _scope_chunks(self) -> dict[str, str]:
        """The passages of sections titled as a scope, with their documents (read once per
        index state)."""
        return self._per_index("scopes", lambda chunks: {c.chunk_id: c.doc_id for c in chunks if scope_section(c.heading)})

    def _informative_sections(self) -> set[tuple[str, str]]:
        """(document, section) pairs of the parts documents declare informative ("This section
        is informative.", "Annex B (informative)"), with their sub-sections (read once per index
        state)."""
        return self._per_index("informative", informative_sections)

    def _document_labels(self) -> dict[str, set[str]]:
        """Per document, the name-like words of its id, version and title block (read once per
        index state: they change only when documents do)."""
        return self._per_index("labels", self._read_labels)[0]

    def _document_initialisms(self) -> dict[str, set[str]]:
        """Per document, the initialisms of its title block (read with the labels)."""
        return self._per_index("labels", self._read_labels)[1]

    def _read_labels(self, chunks: list[Chunk]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        covers = {c.doc_id: c.text for c in chunks if c.ordinal == 0}  # title blocks
        labels = {
            d.doc_id: (_id_words(d) | set().union(*_name_like(covers.get(d.doc_id, "")[:400]))) - _NOT_NAMES
            for d in self.store.documents.values()
        }
        initials = {d.doc_id: _initialisms(f"{d.title}\n{covers.get(d.doc_id, '')[:600]}") for d in self.store.documents.values()}
        return labels, initials

    def _document_mentions(
        self, tokens: list[str], query: str = "", likening: bool = True
    ) -> tuple[dict[str, set[str]], set[str], frozenset[str]]:
        """Documents the question names ("in the cobalt code ...", "under 800-63B", "does MASVS
        ..."), each with the words naming it, and the naming words. A document is named by two
        words of its title, by a name-like word of its id, version or title block found in no
        other document's, or by a name-like word found in a good share of its passages and
        (almost) nowhere else (that last only with other documents to compare with). With a single
        document indexed, a question naming it ("when does the EUDR apply?") names it all the same:
        the name is no unknown word and no topic to search for."""
        documents = list(self.store.documents.values())
        if not documents:
            return {}, set(), frozenset()
        _, share = self.store.document_frequencies()
        labels = self._document_labels()
        initials = self._document_initialisms()
        docs: dict[str, set[str]] = {}
        naming: set[str] = set()
        # a document the question compares with is not the one it asks about: "... a percentage of
        # turnover like under GDPR?"
        likened = set(tokenize(" ".join(m.group(1) for m in _LIKENED.finditer(query)))) if likening else set()
        present = set(tokens) - likened
        strict, before_kind = _name_like(query)
        names = strict | before_kind
        for doc in documents:
            title = set(tokenize(doc.title)) | labels[doc.doc_id]
            words = {t for t in present & title if share.get(t, 0.0) >= 0.2}
            own = {t for t in present & names & labels[doc.doc_id] if not any(t in v for d, v in labels.items() if d != doc.doc_id)}
            # a word only before a kind of text ("the ... due diligence rules") names a document whose
            # title block has it only when other texts hardly write it ("diligence" is every standard's)
            own = {t for t in own if t in strict or self._mostly_in(t, doc.doc_id)}
            # a label written in lower case ("scvs 4.10") names the document when no other one uses the word
            own |= {t for t in present & labels[doc.doc_id] - names if set(self.store.doc_shares(t)) == {doc.doc_id}}
            if len(documents) == 1:  # nothing to tell its words ("EU", "secrets") from its name: its id written as one ("EUDR")
                own &= strict & _id_words(doc)
            # an acronym of its title it never uses itself ("GDPR"), when no other document's title makes it
            own |= {
                t for t in present & names & initials.get(doc.doc_id, set())
                if not self.store.doc_shares(t) and not any(t in v for d, v in initials.items() if d != doc.doc_id)
            }
            if len(words) >= 2 or (words and len(title) <= 2):
                docs.setdefault(doc.doc_id, set()).update(words)
                # a title word names the document written beside another of its names ("ESRS 1", "the
                # cobalt code"); alone it is what the question is about ("... the sustainability statement")
                order = {t: i for i, t in reversed(list(enumerate(tokenize(doc.title))))}
                pairs = [
                    (a, b) for a, b in zip(tokens, tokens[1:])
                    if (a in own or b in own) and {a, b} <= words | own
                    or a in words and b in words and order.get(a, 0) < order.get(b, 0)  # in the title's order, not "regulation protect"
                ]
                naming |= {t for pair in pairs for t in pair if t in words}
            if own:
                docs.setdefault(doc.doc_id, set()).update(own)
                naming |= own
        # "the regulation": the only document titled so (only for kinds of text no standard uses as an everyday word)
        kinds = set(tokenize(" ".join(re.findall(r"\b(?:the|this)\s+(regulation|directive)\b", query, re.I))))
        for kind in kinds:
            titled = [d.doc_id for d in documents if kind in tokenize(d.title)]
            if len(titled) == 1:
                docs.setdefault(titled[0], set()).add(kind)
        for t in names & present if len(documents) > 1 else ():
            shares = self.store.doc_shares(t)
            if not shares:
                continue
            best = max(shares, key=shares.get)
            if shares[best] >= self.settings.name_share and self._mostly_in(t, best):
                docs.setdefault(best, set()).add(t)
                naming.add(t)
        namers = frozenset(naming)
        if len([t for t in present if t not in naming]) < 3:
            naming = set()  # too little left to search for: keep the names in the query
        return docs, naming, namers

    def _mostly_in(self, token: str, doc_id: str) -> bool:
        """Whether a document writes a word in at least 5 times the share of its passages that
        any other document does."""
        shares = self.store.doc_shares(token)
        return shares.get(doc_id, 0.0) >= 5 * max((v for d, v in shares.items() if d != doc_id), default=0.0)

    def _likened_documents(self, query: str) -> set[str]:
        """The documents a question likens its subject to ("like under GDPR"): not the ones it
        asks about."""
        phrase = " ".join(m.group(1) for m in _LIKENED.finditer(query))
        if not phrase:
            return set()
        likened = set(self._document_mentions(self.query_tokens(phrase), phrase, likening=False)[0])
        return likened if len(likened) < len(self.store.documents) else set()

    @staticmethod
    def _without_names(query: str, naming: set[str]) -> str:
        words = re.findall(r"\S+", query)
        kept = [w for w in words if not (set(tokenize(w)) and set(tokenize(w)) <= naming)]
        return " ".join(kept)

    def _bm25_scale(self, weights: dict[str, float]) -> dict[str, float]:
        """How much to keep of each token's BM25 contribution (1.0 = all of it): its weight
        from term_weights over its plain IDF."""
        df, _ = self.store.document_frequencies()
        n = max(len(self.store.chunks), 1)
        return {t: w / _idf(df.get(t, 0), n) for t, w in weights.items()}

    def _allowed_docs(self, doc_ids: list[str] | None, versions: list[str] | None) -> set[str] | None:
        if not doc_ids and not versions:
            return None
        docs = self.store.documents.values()
        return {
            d.doc_id
            for d in docs
            if (not doc_ids or d.doc_id in doc_ids) and (not versions or d.version in versions)
        }

    def _fuse(self, dense: list[tuple[str, float]], keyword: list[tuple[str, float]]) -> dict[str, float]:
        """Fused scores normalised so that rank 1 in both lists scores 1.0."""
        fused: dict[str, float] = {}
        if self.settings.fusion == "rrf":
            k = self.settings.rrf_k
            share = self.settings.dense_share
            for ranked, weight in ((dense, share), (keyword, 1.0 - share)):
                for rank, (cid, _) in enumerate(ranked, start=1):
                    fused[cid] = fused.get(cid, 0.0) + weight * (k + 1) / (k + rank)
            return fused
        top_kw = keyword[0][1] if keyword else 1.0
        for cid, sim in dense:
            fused[cid] = fused.get(cid, 0.0) + 0.5 * max(sim, 0.0)
        for cid, score in keyword:
            fused[cid] = fused.get(cid, 0.0) + 0.5 * score / top_kw
        return fused

    def _stating_start(self, hits: list[Hit], query: str, weights: dict[str, float], names: list[OtherName]) -> list[Hit]:
        """For a question asking from when something applies ("when did GDPR start applying?"),
        `start_bonus` to the best `start_rows` passages with a sentence saying from which date
        something applies beside a word of the question ("It shall apply from 25 May 2018."):
        the final article of a regulation shares few words with such a question. Only this kind
        of fact: a time limit or an amount stated in another context reads like an answer to a
        question the texts do not answer."""
        out = list(hits)
        for i, hit in enumerate(hits[: self.settings.start_rows]):
            for sentence in split_sentences(hit.chunk.text):
                if states("start", sentence, asked=query) and matched(weights, set(tokenize(sentence)), names) > 0:
                    out[i] = replace(hit, score=hit.score + self.settings.start_bonus)
                    break
        out.sort(key=lambda h: -h.score)
        return out

    def _follow_lists(self, hits: list[Hit], weights: dict[str, float], names: list[OtherName], top_k: int) -> list[Hit]:
        """"Which risks must we look at?" when a top passage speaks of "the risk categories listed
        in point 2 of Annex X": that clause (the part holding the point) ranks just below the
        passage pointing to it. Only a pointer right after words of the question is followed."""
        asked = set(weights)
        total = sum(weights.values()) or 1.0
        raised: dict[str, float] = {}
        for hit in hits[:top_k]:
            chunk = hit.chunk
            for at, ref, point in lists_elsewhere(chunk.text):
                if not asked & set(tokenize(chunk.text[max(0, at - self.settings.list_pointer_chars) : at])):
                    continue
                targets = [
                    c for c in self.store.chunks
                    if c.doc_id == chunk.doc_id and c.chunk_id != chunk.chunk_id and clause_match(c.section, c.heading, ref)
                ]
                if point:
                    targets = [c for c in targets if re.search(rf"(?m)^\s*{point}\.\s", c.text)] or targets
                for target in targets[:1]:
                    raised[target.chunk_id] = max(raised.get(target.chunk_id, -math.inf), hit.score - 1e-3)
        if not raised:
            return hits
        out = [replace(h, score=max(h.score, raised[h.chunk.chunk_id])) if h.chunk.chunk_id in raised else h for h in hits]
        present = {h.chunk.chunk_id for h in hits}
        for chunk_id in [c for c in raised if c not in present]:  # not among the candidates at all
            coverage = matched(weights, self.store.chunk_tokens(chunk_id)[0], names) / total
            out.append(Hit(self.store.by_id[chunk_id], raised[chunk_id], lexical=coverage))
        out.sort(key=lambda h: -h.score)
        return out

    def _whole_sections(self, hits: list[Hit]) -> list[Hit]:
        """The top passages of a section that holds requirement rows, each widened to the whole
        section (the chunks before and after it with the same section id), so that a count of
        its rows is a count of the whole table; the passages merged in leave the list."""
        out: list[Hit] = []
        absorbed: set[str] = set()  # chunks now inside a widened passage
        widened: set[int] = set()
        for rank, hit in enumerate(hits):
            if rank >= 3 or not hit.chunk.section or hit.chunk.chunk_id in absorbed:
                out.append(hit)
                continue
            before, after = self.store.neighbours(hit.chunk)
            earlier, later = [], []
            while before is not None and before.section == hit.chunk.section:
                earlier.insert(0, before)
                before = self.store.neighbours(before)[0]
            while after is not None and after.section == hit.chunk.section:
                later.append(after)
                after = self.store.neighbours(after)[1]
            section = earlier + [hit.chunk] + later
            if not any(sum(u.kind == "requirement" for u in passage_units(c)) >= 2 for c in section):
                out.append(hit)
                continue
            chunk = hit.chunk
            for other in reversed(earlier):
                chunk = merge_chunks(other, chunk)
            for other in later:
                chunk = merge_chunks(chunk, other)
            absorbed.update(c.chunk_id for c in earlier + later)
            widened.add(len(out))
            out.append(replace(hit, chunk=chunk))
        return [h for i, h in enumerate(out) if i in widened or h.chunk.chunk_id not in absorbed]

    def _fill_dense(self, hits: list[Hit], vector, upto: int) -> list[Hit]:
        """Dense similarity for top hits that came only from BM25 or a clause reference."""
        missing = [h.chunk.chunk_id for h in hits[:upto] if h.dense == 0.0]
        stored = self.store.vectors(missing)
        sims = {cid: float(np.max(rows @ vector)) for cid, rows in stored.items()}
        return [replace(h, dense=sims[h.chunk.chunk_id]) if h.chunk.chunk_id in sims else h for h in hits]

    def _merge_neighbours(self, hits: list[Hit], top_k: int) -> list[Hit]:
        """Join adjacent pieces of one split section when both rank near the top."""
        pool = {h.chunk.chunk_id: h for h in hits[: top_k * self.settings.merge_pool]}
        used: set[str] = set()
        out: list[Hit] = []
        for hit in hits:
            if len(out) >= top_k:
                break
            cid = hit.chunk.chunk_id
            if cid in used:
                continue
            used.add(cid)
            merged = hit
            before, after = self.store.neighbours(hit.chunk)
            last = hit.chunk  # the last chunk the passage holds
            for neighbour, first in ((before, False), (after, True)):
                if neighbour is None or neighbour.chunk_id in used or neighbour.section != hit.chunk.section:
                    continue
                other = pool.get(neighbour.chunk_id)
                if self.settings.merge_ratio > 0 and (other is None or other.score < self.settings.merge_ratio * hit.score):
                    continue
                used.add(neighbour.chunk_id)
                last = neighbour if first else last
                merged = replace(
                    merged,
                    chunk=merge_chunks(merged.chunk, neighbour) if first else merge_chunks(neighbour, merged.chunk),
                    dense=max(merged.dense, other.dense if other else 0.0),
                    lexical=max(merged.lexical, other.lexical if other else 0.0),
                )
            after = self.store.neighbours(last)[1]
            # "... whichever is higher:" ends the passage, or its list stops at "(c) ...;": the items that follow come with it
            while after is not None and after.chunk_id not in used and after.section == hit.chunk.section and (
                _announces(merged.chunk.text) or list_goes_on(merged.chunk.text, after.text[_overlap(merged.chunk.text, after.text):])
            ):
                used.add(after.chunk_id)
                merged = replace(merged, chunk=merge_chunks(merged.chunk, after))
                after = self.store.neighbours(after)[1]
            if before is not None and before.chunk_id not in used and before.section == hit.chunk.section and continues_paragraph(before.text, merged.chunk.text):
                used.add(before.chunk_id)  # it begins inside a paragraph: the paragraph's start (its number, its subject) comes with it
                merged = replace(merged, chunk=merge_chunks(before, merged.chunk))
            out.append(merged)
        return out


def _announces(text: str) -> bool:
    """A passage whose last line introduces a list ("... shall at least:"), the list cut off by
    the split into chunks."""
    return text.rstrip().endswith(":")


def _overlap(first: str, second: str) -> int:
    """Length of the text the split repeated: the longest end of `first` (over 20 characters)
    that `second` begins with."""
    probe = second[:21]
    start = first.find(probe, max(0, len(first) - len(second))) if len(probe) == 21 else -1
    while start != -1:
        if second.startswith(first[start:]):
            return len(first) - start
        start = first.find(probe, start + 1)
    return 0


def continues_paragraph(first: str, second: str, size: int | None = None) -> bool:
    """Whether the chunk `second` begins inside a paragraph that began in the chunk `first`
    before it: the sentence the split repeated (`size` characters, found when not given) is not
    the start of its line in `first`, and the line goes on in `second`."""
    size = _overlap(first, second) if size is None else size
    if not size:
        return False
    started_before = len(first) - size > first.rfind("\n") + 1
    goes_on = second[size:size + 1] == " " and bool(second[size:].split("\n", 1)[0].strip())
    return started_before and goes_on


def merge_chunks(first: Chunk, second: Chunk) -> Chunk:
    """One passage from two consecutive chunks, dropping the overlap the split repeated. A
    paragraph the split cut stays one line."""
    text_b = second.text
    overlap = _overlap(first.text, text_b)
    joint = " " if continues_paragraph(first.text, text_b, overlap) else "\n"
    while overlap < len(text_b) and text_b[overlap] in " \n":
        overlap += 1
    rest = text_b[overlap:]
    if not rest:
        return first
    start = len(first.text) + 1  # where `rest` begins in the merged text
    marks = [m for m in first.page_marks.split(",") if m]
    last_page = first.page_at(len(first.text) - 1)
    if second.page_at(overlap) > last_page:
        marks.append(f"{start}:{second.page_at(overlap)}")
    for mark in filter(None, second.page_marks.split(",")):
        at, page = mark.split(":")
        if int(at) > overlap:
            marks.append(f"{int(at) - overlap + start}:{page}")
    return replace(
        first,
        text=f"{first.text}{joint}{rest}",
        page_end=max(first.page_end, second.page_end),
        page_marks=",".join(marks),
    )
