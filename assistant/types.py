"""Plain data passed between modules: pages, documents, chunks, hits, citations, answers.

All are frozen dataclasses. Chunks round-trip through Chroma's flat metadata with
`to_metadata` / `from_metadata`; answers turn into the JSON contract with `to_json`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


# evidence units that get a vector of their own besides their passage's windows
_OWN_VECTOR = ("requirement", "definition")


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    text: str
    headings: tuple[tuple[str, int], ...] = ()  # lines printed in a heading style, with their level (1 = largest)


@dataclass(frozen=True)
class Document:
    doc_id: str
    title: str
    version: str
    source: str  # file name as the user knows it
    pages: tuple[Page, ...]
    content_hash: str = ""
    format: str = ""


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    title: str
    version: str
    source: str
    page_start: int
    page_end: int
    section: str  # "5.2.3", "Step 2", "Annex II" or "" before the first heading
    heading: str  # heading path: "5 Conformance > 5.2 Step 2 ..."
    text: str
    ordinal: int = 0  # position in the document, for neighbours and reading order
    page_marks: str = ""  # "offset:page,..." where a later page starts inside `text`
    levels: str = ""  # level columns of the requirement table the chunk holds rows of ("L1,L2")
    windows: int = 1  # vectors stored for the chunk: one per window of its text (see dense_windows)

    def page_at(self, offset: int) -> int:
        """The page on which the character at `offset` of `text` was printed."""
        page = self.page_start
        for mark in filter(None, self.page_marks.split(",")):
            at, number = mark.split(":")
            if int(at) <= offset:
                page = int(number)
        return page

    @property
    def embed_text(self) -> str:
        """What is keyword-indexed: the whole heading path in front of the text."""
        if not self.heading or self.text.startswith(self.heading):
            return self.text
        return f"{self.heading}\n{self.text}"

    @property
    def dense_text(self) -> str:
        """What is embedded: the last two headings of the path in front of the text. The
        embedder reads only the first 128 word pieces, so a long path would crowd out the text."""
        labels = self.heading.split(" > ")[-2:] if self.heading else []
        lead = " > ".join(labels)
        if not lead or self.text.startswith(labels[-1]) and len(labels) == 1:
            return self.text
        return f"{lead}\n{self.text}"

    def dense_windows(self, size: int) -> list[str]:
        """What is embedded, window by window: the last two headings in front of each window of
        about `size` characters of the text, so every part of a long chunk is seen by the embedder
        (it reads only the first 128 word pieces of each). A passage holding several numbered
        requirements or definition entries also gets one vector per requirement or entry, of its
        words alone: a window of three table rows under their heading reads as a blend of their
        topics, so a question about one of them ("where do we keep credentials?") matches none of
        the windows well."""
        from .text import requirement_text, windows
        from .units import passage_units

        labels = self.heading.split(" > ")[-2:] if self.heading else []
        lead = " > ".join(labels)
        out = [self.dense_text] if len(self.text) <= size else [
            f"{lead}\n{w}" if lead and not w.startswith(labels[-1]) else w for w in windows(self.text, size)
        ]
        units = passage_units(self)
        if len(units) > 1:  # a unit's words alone: ids, marks and headings pull its vector off its topic
            out += [requirement_text(self.text[u.start : u.end]) for u in units if u.kind in _OWN_VECTOR]
        return out

    def window_ids(self) -> list[str]:
        """Ids of the chunk's vectors in the dense store: its own id, then id~1, id~2, ..."""
        return [self.chunk_id] + [f"{self.chunk_id}~{k}" for k in range(1, self.windows)]

    @staticmethod
    def id_of_window(window_id: str) -> str:
        """The chunk id a vector's id belongs to ("doc:1:00012~2" -> "doc:1:00012")."""
        return window_id.split("~", 1)[0]

    def to_metadata(self) -> dict[str, str | int]:
        data = asdict(self)
        data.pop("text")
        return data

    @classmethod
    def from_metadata(cls, meta: dict, text: str) -> Chunk:
        return cls(
            chunk_id=str(meta["chunk_id"]),
            doc_id=str(meta["doc_id"]),
            title=str(meta.get("title", "")),
            version=str(meta.get("version", "")),
            source=str(meta.get("source", "")),
            page_start=int(meta.get("page_start", 1)),
            page_end=int(meta.get("page_end", meta.get("page_start", 1))),
            section=str(meta.get("section", "")),
            heading=str(meta.get("heading", "")),
            text=text,
            ordinal=int(meta.get("ordinal", 0)),
            page_marks=str(meta.get("page_marks", "")),
            levels=str(meta.get("levels", "")),
            windows=int(meta.get("windows", 1)),
        )

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Chunk:
        return cls(**data)


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # higher is better
    dense: float = 0.0  # cosine similarity of the query to the chunk (0 if not a dense candidate)
    lexical: float = 0.0  # share of the question's keyword weight found in the chunk


@dataclass(frozen=True)
class Citation:
    n: int
    chunk_id: str
    doc_id: str
    title: str
    version: str
    source: str
    page: int
    section: str
    heading: str
    quote: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    passages: tuple[Hit, ...] = ()
    abstained: bool = False
    timings_ms: dict[str, float] = field(default_factory=dict)
    search_query: str = ""  # the question as retrieval saw it (after follow-up rewriting)
    answerer: str = ""  # what wrote the answer ("extractive", "openai:MODEL", ...); set by answering.finish
    notices: tuple[str, ...] = ()  # plain sentences the user must see (a fallback, removed markers)

    def to_json(self, qid: str | None = None) -> dict:
        data: dict = {}
        if qid is not None:
            data["id"] = qid
        data.update(
            question=self.question,
            answer=self.text,
            abstained=self.abstained,
            citations=[c.to_json() for c in self.citations],
            passages=[
                {
                    "rank": i,
                    "chunk_id": h.chunk.chunk_id,
                    "doc_id": h.chunk.doc_id,
                    "source": h.chunk.source,
                    "page": h.chunk.page_start,
                    "page_end": h.chunk.page_end,
                    "section": h.chunk.section,
                    "heading": h.chunk.heading,
                    "score": round(h.score, 4),
                    "text": h.chunk.text,
                }
                for i, h in enumerate(self.passages, start=1)
            ],
            timings_ms={k: round(v, 1) for k, v in self.timings_ms.items()},
            answerer=self.answerer,
            notices=list(self.notices),
            search_query=self.search_query or self.question,
        )
        return data


@dataclass(frozen=True)
class DocumentInfo:
    """One indexed document as `jdd docs` lists it."""

    doc_id: str
    title: str
    version: str
    source: str
    pages: int
    chunks: int
    content_hash: str
    format: str = ""
    ingested_at: str = ""
    pipeline: str = ""  # chunking and embedding settings it was indexed with

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class IngestResult:
    """What happened to one input file."""

    path: str
    status: str  # "added", "replaced", "unchanged", "failed"
    doc_id: str = ""
    pages: int = 0
    chunks: int = 0
    error: str = ""
