"""The index: a Chroma collection (dense vectors, cosine) and a BM25 sidecar over the same chunk ids.

Layout of the index folder:
    chroma/          Chroma PersistentClient data (unless a Chroma server is configured)
    catalog.json     documents and their content hashes, and the names of the files below: the
                     commit record (replaced atomically, last)
    chunks-G.jsonl   every chunk in reading order (the BM25 corpus and the neighbour lookup)
    bm25-G/          the bm25s index, rebuilt on every change
    vectors-G.npy    every vector of the chunks, window by window, in their order: dense search
                     is an exact dot product over it (the same ranking in every process, unlike
                     an approximate HNSW search); rebuilt from Chroma when missing
    .pending         present while a write is under way

G names a generation: a write puts a new generation's files beside the current ones and commits
by replacing catalog.json, then removes the old ones. Writes take a file lock. A write killed
half-way (power cut, kill -9) leaves the previous generation in force; the next process to take
the lock finds .pending, removes the unfinished files and puts Chroma back in line with the
committed chunks (from their saved vectors). Dense similarities are cosines (higher is better).

With a Chroma server (JDD_CHROMA_HOST), the server holds everything shared: the chunks (text and
metadata with their vectors) and a second collection, the catalog (a record per document and a
state record naming the current generation). The index folder is then this machine's cache of
it: when the server's generation differs from the cached one, the cache is rebuilt from the
server, so every instance on one server sees the same documents.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .errors import NotFoundError, StoreError
from .lexical import Speller, tokenize
from .text import aliases, entry_term, examples_given, glossary_heading_term, leading_name, named_as, spelled_out_pattern, term_key, term_keys
from .settings import Settings
from .types import Chunk, Document, DocumentInfo

CATALOG = "catalog.json"
CHUNKS = "chunks.jsonl"  # the names before generations (an index written by an older version)
BM25_DIR = "bm25"
VECTORS = "vectors.npy"
PENDING = ".pending"
_STATE_ID = "__state__"  # the catalog record naming the current generation (Chroma server)
SERVER_CHECK_S = 1.0  # how often a question may ask the Chroma server whether the index changed
FILES_DIR = "files"
FORMAT_VERSION = 1

log = logging.getLogger(__name__)
logging.getLogger("chromadb").setLevel(logging.ERROR)
logging.getLogger("bm25s").setLevel(logging.ERROR)


class Alias(NamedTuple):
    """A name and the other name a document gives it."""

    term: str  # "Memorized Secret", "Responsible Minerals Initiative": the name's leading capitalised words
    name: str  # "password", "RMI"
    term_tokens: frozenset[str]
    name_tokens: frozenset[str]
    acronym: bool  # `name` abbreviates `term`
    uses: int = 0  # for a short name given in quotes and brackets ("(‘sensitive data’)"): how often its document writes it; else 0
    example: bool = False  # `name` is an example of `term` ("SMS" of "the PSTN (SMS or voice)"), not another name for it


class Store:
    """Dense + keyword index of chunks, with per-document replace and remove."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.root = Path(settings.index_dir)
        self._collection = None
        self._catalog = None
        self._client = None
        self._open_lock = threading.Lock()
        self._mtime: int | None = None
        self.documents: dict[str, DocumentInfo] = {}
        self.chunks: list[Chunk] = []
        self.by_id: dict[str, Chunk] = {}
        self._bm25 = None
        self._bm25_vocab: set[str] = set()
        self._files = dict(_LEGACY_FILES)
        self._generation = ""
        self._served = ""  # the generation the Chroma server named when last asked
        self._checked = 0.0  # when the server was last asked
        self._load_sidecar()
        self.recover()
        if self.remote:
            self.refresh()

    # ------------------------------------------------------------ opening

    @property
    def remote(self) -> bool:
        """Whether a Chroma server holds the shared state (this folder only caches it)."""
        return bool(self.settings.chroma_host)

    @property
    def catalog_collection(self):
        """On a Chroma server: the documents' records and the state record."""
        _ = self.collection
        with self._open_lock:
            if self._catalog is None:
                self._catalog = self._client.get_or_create_collection(f"{self.settings.collection}-catalog", embedding_function=None)
            return self._catalog

    def _server_generation(self) -> str:
        got = self.catalog_collection.get(ids=[_STATE_ID], include=["metadatas"])
        return str(got["metadatas"][0].get("generation", "")) if got["ids"] else ""

    @property
    def collection(self):
        with self._open_lock:  # ingest opens Chroma in a background thread
            return self._open_collection()

    def _open_collection(self):
        if self._collection is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            try:
                if self.settings.chroma_host:
                    self._client = chromadb.HttpClient(
                        host=self.settings.chroma_host, port=self.settings.chroma_port, settings=chroma_settings
                    )
                else:
                    self.root.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(path=str(self.root / "chroma"), settings=chroma_settings)
                self._collection = self._client.get_or_create_collection(
                    self.settings.collection, embedding_function=None, metadata={"hnsw:space": "cosine"}
                )
            except Exception as exc:  # noqa: BLE001 - chroma raises many types; the user needs one message
                where = self.settings.chroma_host or str(self.root / "chroma")
                raise StoreError(f"could not open the Chroma store at {where}: {exc}") from exc
        return self._collection

    def _load_sidecar(self) -> None:
        catalog_path = self.root / CATALOG
        if not catalog_path.exists():
            self.documents = {}
            self._files = dict(_LEGACY_FILES)
            self._generation = ""
            self._set_chunks([], None)
            self._mtime = None
            return
        try:
            data = json.loads(catalog_path.read_text(encoding="utf-8"))
            self.documents = {d["doc_id"]: DocumentInfo(**d) for d in data.get("documents", [])}
            self._files = {**_LEGACY_FILES, **data.get("files", {})}
            self._generation = str(data.get("generation", ""))
            with open(self.root / self._files["chunks"], encoding="utf-8") as fh:
                self.chunks = [Chunk.from_dict(json.loads(line)) for line in fh if line.strip()]
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise StoreError(f"the index at {self.root} is damaged ({exc}); delete the folder and ingest again") from exc
        self._set_chunks(self.chunks, None)
        self._mtime = catalog_path.stat().st_mtime_ns

    def stale(self) -> bool:
        """Whether another process (or, with a Chroma server, another instance) changed the
        index since it was loaded. The server is asked at most once a second."""
        catalog_path = self.root / CATALOG
        mtime = catalog_path.stat().st_mtime_ns if catalog_path.exists() else None
        if mtime != self._mtime:
            return True
        if self.remote and time.monotonic() - self._checked >= SERVER_CHECK_S:
            self._checked = time.monotonic()
            self._served = self._server_generation()
        return self.remote and self._served != self._generation

    def refresh(self) -> None:
        """Reload the sidecar if another process changed the index; with a Chroma server,
        rebuild this folder's cache when the server holds another generation."""
        if not self.stale():
            return
        self._load_sidecar()
        if self.remote and self._served != self._generation:
            self._pull()

    def _pull(self) -> None:
        """Rebuild the local cache (catalog, chunks, vectors, BM25) from the Chroma server."""
        generation = self._served = self._server_generation()
        records = self.catalog_collection.get(include=["metadatas"])
        documents = {
            str(m["doc_id"]): DocumentInfo(**{f: m.get(f, "") for f in DocumentInfo.__dataclass_fields__})
            for rid, m in zip(records["ids"], records["metadatas"])
            if rid != _STATE_ID
        }
        heads, texts, vectors = {}, {}, {}
        for got in self._pages(["metadatas", "documents", "embeddings"], 2000):
            for rid, meta, text, vector in zip(got["ids"], got["metadatas"], got["documents"], got["embeddings"]):
                vectors[rid] = vector
                if int(meta.get("window", 0)) == 0:
                    heads[rid], texts[rid] = meta, text or ""
        order = {doc_id: i for i, doc_id in enumerate(sorted(documents))}
        chunks = sorted(
            (Chunk.from_metadata(meta, texts[rid]) for rid, meta in heads.items() if str(meta.get("doc_id")) in documents),
            key=lambda c: (order[c.doc_id], c.ordinal),
        )
        missing = [w for c in chunks for w in c.window_ids() if w not in vectors]
        if missing:
            raise StoreError(f"the Chroma server's collection is incomplete ({len(missing)} vectors missing); ingest the documents again")
        matrix = np.asarray([vectors[w] for c in chunks for w in c.window_ids()], dtype=np.float32).reshape(sum(c.windows for c in chunks), -1)
        self._write_sidecar(documents, chunks, matrix, generation=generation)

    @contextlib.contextmanager
    def _write_lock(self):
        """Hold the index's file lock for a write (another process writing waits for it); an
        earlier write that was killed half-way is cleaned up first. The write is marked
        pending until it commits."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self.refresh()
                self._recover()
                (self.root / PENDING).write_text(str(os.getpid()), encoding="utf-8")
                try:
                    yield
                except Exception:  # the write failed in this process (a missing document, a full disk)
                    with contextlib.suppress(Exception):
                        self._recover()  # put both stores back as committed, now, not at the next open
                    raise
                (self.root / PENDING).unlink(missing_ok=True)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def recover(self) -> bool:
        """Clean up after a write that was killed half-way, if no write is under way now (the
        lock is free); True when something was repaired."""
        if not (self.root / PENDING).exists():
            return False
        with open(self.root / ".lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False  # a write is under way: it is not interrupted
            try:
                self.refresh()
                return self._recover()
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _recover(self) -> bool:
        """Under the lock: if a write was interrupted, drop the files it left and make Chroma
        hold exactly the committed chunks' vectors again."""
        if not (self.root / PENDING).exists():
            self._drop_unused_files()
            return False
        self._drop_unused_files()
        wanted = {w: (c, k) for c in self.chunks for k, w in enumerate(c.window_ids())}
        present = self.chroma_ids()
        extra = sorted(present - set(wanted))
        if extra:
            self._delete_ids(extra)
        missing = [w for w in wanted if w not in present]
        if missing:
            matrix = self._dense_matrix()
            rows = {w: i for i, w in enumerate(wanted)}
            ids, embeddings, metadatas, documents = [], [], [], []
            for w in missing:
                chunk, k = wanted[w]
                ids.append(w)
                embeddings.append(matrix[rows[w]].tolist())
                metadatas.append({**chunk.to_metadata(), "window": 0} if k == 0 else {"chunk_id": chunk.chunk_id, "doc_id": chunk.doc_id, "version": chunk.version, "window": k})
                documents.append(chunk.text if k == 0 else "")
            self._add_raw(ids, embeddings, metadatas, documents)
        (self.root / PENDING).unlink(missing_ok=True)
        if extra or missing:
            log.warning("repaired the index at %s after an interrupted write (%d vectors removed, %d restored)", self.root, len(extra), len(missing))
        return bool(extra or missing)

    def _drop_unused_files(self) -> None:
        """Remove sidecar files of generations the catalog does not name (left by an
        interrupted write, or replaced by the last one)."""
        used = set(self._files.values())
        for path in self.root.iterdir():
            name = path.name
            generated = name.startswith((".write-", "chunks-", "vectors-", "bm25-")) or name in _LEGACY_FILES.values()
            if generated and name not in used:
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)

    # ------------------------------------------------------------ reading

    def neighbours(self, chunk: Chunk) -> tuple[Chunk | None, Chunk | None]:
        """The chunks just before and after `chunk` in the same document."""
        i = self._position.get(chunk.chunk_id)
        if i is None:
            return None, None
        before = self.chunks[i - 1] if i > 0 and self.chunks[i - 1].doc_id == chunk.doc_id else None
        after = self.chunks[i + 1] if i + 1 < len(self.chunks) and self.chunks[i + 1].doc_id == chunk.doc_id else None
        return before, after

    def similarities(self, vector: np.ndarray) -> np.ndarray | None:
        """Cosine similarity of a query to every stored vector, row by row (exact: vectors are
        unit length, so the dot product is the cosine); None for an empty index."""
        matrix = self._dense_matrix()
        if matrix is None or not len(matrix):
            return None
        return matrix @ np.asarray(vector, dtype=np.float32)

    def ranked(self, sims: np.ndarray | None, n: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Chunk ids with cosine similarity (of their closest window), best first, from a query's
        `similarities` (computed once for a query's several uses); `allowed` limits to some
        documents."""
        if sims is None:
            return []
        if allowed is not None:
            sims = np.where(np.isin(self._row_docs, sorted(allowed)), sims, -np.inf)
        k = min(3 * n, len(sims))
        top = np.argpartition(-sims, k - 1)[:k]
        best: dict[str, float] = {}
        for row in sorted(top, key=lambda r: (-sims[r], r)):  # ties broken by position: the same order every time
            if np.isfinite(sims[row]):
                best.setdefault(self._row_chunks[row], float(sims[row]))
        return list(best.items())[:n]

    def document_affinity(self, sims: np.ndarray | None, rows: int) -> dict[str, float]:
        """Per document, the mean of its `rows` highest `similarities` to a query (of all its
        vectors when it has fewer): how much a document has to say about what is asked, as
        against one passage that happens to share its words."""
        if sims is None:
            return {}
        out = {}
        for doc_id, doc_rows in self._doc_rows.items():
            mine = sims[doc_rows]
            k = min(rows, len(mine))
            out[doc_id] = float(np.partition(mine, len(mine) - k)[-k:].mean())
        return out

    def keyword(
        self, tokens: list[str], n: int, allowed: set[str] | None = None, scale: dict[str, float] | None = None
    ) -> list[tuple[str, float]]:
        """Chunk ids with BM25 scores, best first; `allowed` limits to some documents and
        `scale` multiplies single tokens' contributions (1.0 when absent)."""
        bm25 = self._bm25_index()
        query = [t for t in dict.fromkeys(tokens) if t in self._bm25_vocab]
        if bm25 is None or not query:
            return []
        if scale and any(scale.get(t, 1.0) != 1.0 for t in query):
            scores = sum(bm25.get_scores([t]) * scale.get(t, 1.0) for t in query)
        else:
            scores = bm25.get_scores(query)
        if allowed is not None:
            mask = np.array([c.doc_id in allowed for c in self.chunks])
            scores = np.where(mask, scores, 0.0)
        top = np.argsort(-scores)[:n]
        return [(self.chunks[i].chunk_id, float(scores[i])) for i in top if scores[i] > 0]

    def chunk_tokens(self, chunk_id: str) -> tuple[frozenset[str], frozenset[str]]:
        """Keyword tokens of a chunk's text (with heading) and of its heading path alone."""
        self.document_frequencies()
        return self._tokens.get(chunk_id, frozenset()), self._heading_tokens.get(chunk_id, frozenset())

    def vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Stored embeddings of some chunks: one row per window."""
        matrix = self._dense_matrix()
        if matrix is None:
            return {}
        return {cid: matrix[self._rows[cid]] for cid in ids if cid in self._rows}

    def _dense_matrix(self) -> np.ndarray | None:
        """The vectors of all chunks, row by row in the order of their windows (loaded once per
        index state; read back from Chroma when the sidecar file is missing or stale)."""
        if self._matrix is None and self.chunks:
            matrix = None
            with contextlib.suppress(OSError, ValueError):
                matrix = np.load(self.root / self._files["vectors"])
            if matrix is None or matrix.shape[0] != self._vector_count:
                matrix = self._vectors_from_chroma([c.chunk_id for c in self.chunks])
            self._matrix = matrix
        return self._matrix

    def _vectors_from_chroma(self, chunk_ids: list[str]) -> np.ndarray:
        """The stored vectors of these chunks, window by window, as Chroma holds them."""
        wanted = [w for cid in chunk_ids for w in self.by_id[cid].window_ids()]
        got = self.collection.get(ids=wanted, include=["embeddings"])
        found = dict(zip(got["ids"], got["embeddings"]))
        missing = [w for w in wanted if w not in found]
        if missing:
            raise StoreError(f"the index at {self.root} is damaged ({len(missing)} vectors missing); delete the folder and ingest again")
        return np.asarray([found[w] for w in wanted], dtype=np.float32).reshape(len(wanted), -1)

    def _matrix_for(self, chunks: list[Chunk], new: np.ndarray | None = None) -> np.ndarray:
        """The vectors of `chunks` (all of them stored already, but for the last len(new) windows,
        whose vectors are `new`), in their order."""
        new_rows = 0 if new is None else len(new)
        count = sum(c.windows for c in chunks)
        old_ids = [w for c in chunks for w in c.window_ids()][: count - new_rows]
        matrix = self._dense_matrix()
        positions = {w: i for i, w in enumerate(w for c in self.chunks for w in c.window_ids())}
        parts = [matrix[[positions[w] for w in old_ids]]] if old_ids and matrix is not None else []
        if new_rows:
            parts.append(np.asarray(new, dtype=np.float32))
        return np.vstack(parts) if parts else np.zeros((0, 0), dtype=np.float32)

    def _bm25_index(self):
        if self._bm25 is None and self.chunks:
            import bm25s

            path = self.root / self._files["bm25"]
            try:
                self._bm25 = bm25s.BM25.load(str(path), show_progress=False, verbosity=0)
                self._bm25_vocab = set(self._bm25.vocab_dict)
            except Exception:  # noqa: BLE001 - a missing or stale sidecar is rebuilt from chunks.jsonl
                self._bm25 = _build_bm25(self.chunks)
                self._bm25_vocab = set(self._bm25.vocab_dict)
        return self._bm25

    def document_frequencies(self) -> tuple[dict[str, int], dict[str, float]]:
        """Token -> number of chunks containing it, and token -> the largest share of one
        document's chunks that contain it (a word in most chunks of one document names that
        document rather than a topic inside it)."""
        if self._df is None:
            df: dict[str, int] = {}
            per_doc: dict[str, dict[str, int]] = {}
            sizes: dict[str, int] = {}
            self._tokens = {c.chunk_id: frozenset(tokenize(c.embed_text)) for c in self.chunks}
            for chunk in self.chunks:
                sizes[chunk.doc_id] = sizes.get(chunk.doc_id, 0) + 1
                counts = per_doc.setdefault(chunk.doc_id, {})
                for token in self._tokens[chunk.chunk_id]:
                    df[token] = df.get(token, 0) + 1
                    counts[token] = counts.get(token, 0) + 1
            self._heading_tokens = {c.chunk_id: frozenset(tokenize(c.heading)) for c in self.chunks}
            share: dict[str, float] = {}
            self._doc_shares = {}
            for doc_id, counts in per_doc.items():
                for token, count in counts.items():
                    share[token] = max(share.get(token, 0.0), count / sizes[doc_id])
                    self._doc_shares.setdefault(token, {})[doc_id] = count / sizes[doc_id]
            self._df = (df, share)
        return self._df

    def doc_shares(self, token: str) -> dict[str, float]:
        """Document id -> share of its chunks that contain `token`."""
        self.document_frequencies()
        return self._doc_shares.get(token, {})

    def term_entries(self) -> dict[str, list[str]]:
        """Term key -> ids of the chunks that are that term's glossary or definition entry
        (a chunk whose heading ends with the term and whose text starts by defining it)."""
        if self._terms is None:
            terms: dict[str, list[str]] = {}
            for chunk in self.chunks:
                label = chunk.heading.split(" > ")[-1] if chunk.heading else ""
                term = entry_term(chunk.text.split("\n", 1)[0]) if label else ""
                if not (term and term_key(term) == term_key(label)):
                    term = glossary_heading_term(chunk.heading)
                if term:
                    for key in term_keys(term):
                        terms.setdefault(key, []).append(chunk.chunk_id)
            self._terms = terms
        return self._terms

    def named_terms(self) -> dict[str, list[str]]:
        """Term key -> ids of the chunks giving that term as a name in quotes and brackets ("an
        identifiable natural person (‘data subject’)"), for the terms no entry defines."""
        if self._named is None:
            entries = self.term_entries()
            named: dict[str, list[str]] = {}
            for chunk_id, given in self._names_given().items():
                for _, name in given:
                    for key in term_keys(name):
                        if key not in entries and chunk_id not in named.get(key, []):
                            named.setdefault(key, []).append(chunk_id)
            self._named = named
        return self._named

    def _names_given(self) -> dict[str, list[tuple[str, str]]]:
        """Chunk id -> the (words, short name) pairs its text gives in quotes and brackets
        (`text.named_as`), read once per index state for named_terms and aliases."""
        if self._given is None:
            self._given = {c.chunk_id: found for c in self.chunks if (found := named_as(c.text))}
        return self._given

    def aliases(self) -> list[Alias]:
        """Other names the documents state: "a memorized secret, commonly referred to as a
        password"; "the Responsible Minerals Initiative (RMI)"; and the classes they give
        examples of ("the PSTN (SMS or voice)")."""
        if self._aliases is None:
            found: dict[tuple[str, str], Alias] = {}
            given = self._names_given()
            texts: dict[str, str] = {}  # a document's text in lower case, to count how often it writes a name it gives
            for chunk in self.chunks:
                for term, name in aliases(chunk.text):
                    lead = leading_name(term)  # "Memorized Secret" of "Memorized Secret authenticator"
                    term = lead if len(tokenize(lead)) >= 2 else term
                    term_tokens, name_tokens = frozenset(tokenize(term)), frozenset(tokenize(name))
                    if name_tokens and term_tokens and not term_tokens <= name_tokens:
                        alias = Alias(term, name, term_tokens, name_tokens, name.isupper() and term[:1].isupper())
                        found.setdefault((term.lower(), name.lower()), alias)
                for term, name in examples_given(chunk.text):
                    term_tokens, name_tokens = frozenset(tokenize(term)), frozenset(tokenize(name))
                    if name_tokens and term_tokens and not term_tokens & name_tokens:
                        found.setdefault((term.lower(), name.lower()), Alias(term, name, term_tokens, name_tokens, False, example=True))
                for term, name in given.get(chunk.chunk_id, ()):
                    term_tokens, name_tokens = frozenset(tokenize(term)), frozenset(tokenize(name))
                    # a name of two words or more: one word ("accountability") stems like others ("account")
                    if len(name_tokens) >= 2 and len(term_tokens) >= 2 and not term_tokens <= name_tokens and (term.lower(), name.lower()) not in found:
                        if chunk.doc_id not in texts:
                            texts[chunk.doc_id] = "\n".join(c.text.lower() for c in self.chunks if c.doc_id == chunk.doc_id)
                        # how often the text goes on using the short name it gave
                        uses = texts[chunk.doc_id].count(name.lower())
                        found[(term.lower(), name.lower())] = Alias(term, name, term_tokens, name_tokens, False, uses)
            self._aliases = list(found.values())
        return self._aliases

    def spelled_out(self, acronym: str) -> str:
        """The phrase the documents write out for an acronym they never use themselves ("data
        protection officer" for "DPO"): the most frequent one whose words begin with its letters,
        seen at least twice; "" when none is."""
        if acronym not in self._spelled:
            pattern = spelled_out_pattern(acronym)
            found = Counter(" ".join(m.group(0).lower().split()) for c in self.chunks for m in pattern.finditer(c.text))
            common = [(phrase, n) for phrase, n in found.most_common(2) if n >= 2]
            # one reading clearly the most frequent: two alike would make the acronym a guess
            self._spelled[acronym] = common[0][0] if common and (len(common) == 1 or common[0][1] >= 2 * common[1][1]) else ""
        return self._spelled[acronym]

    def speller(self) -> Speller:
        """Spelling correction against the index's vocabulary (built once per index state)."""
        if self._speller is None:
            from .embedding import model_words
            from .lexical import dictionary_stems

            self._speller = Speller(self.document_frequencies()[0], dictionary_stems(model_words(self.settings.model_path)))
        return self._speller

    # ------------------------------------------------------------ writing

    def source_path(self, doc_id: str) -> Path | None:
        """The copy of the document's file kept in the index (for showing its pages)."""
        info = self.documents.get(doc_id)
        if info is None:
            return None
        path = self.root / FILES_DIR / f"{doc_id}{Path(info.source).suffix.lower()}"
        return path if path.exists() else None

    def _keep_copy(self, info: DocumentInfo, source: Path | None) -> None:
        if source is None:
            return
        folder = self.root / FILES_DIR
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{info.doc_id}.*"):
            old.unlink()
        tmp = folder / f".{info.doc_id}.tmp"
        shutil.copyfile(source, tmp)
        os.replace(tmp, folder / f"{info.doc_id}{Path(info.source).suffix.lower()}")

    def replace_document(
        self, info: DocumentInfo, chunks: list[Chunk], vectors: np.ndarray, source: Path | None = None
    ) -> None:
        """Put a document's chunks in both stores, replacing any earlier version of it, and keep
        a copy of its file (`source`) so its pages can be shown later."""
        self.replace_documents([(info, chunks, vectors, source)])

    def replace_documents(self, batch: list[tuple[DocumentInfo, list[Chunk], np.ndarray, Path | None]]) -> None:
        """Several documents at once (an ingest run), committed together: the index holds all of
        them afterwards or, if anything fails or the process is killed, none."""
        for info, chunks, vectors, _ in batch:
            if sum(c.windows for c in chunks) != len(vectors):
                raise StoreError(f"internal error: chunk windows and vector counts differ for {info.doc_id}")
        replaced = {info.doc_id for info, *_ in batch}
        new_chunks = [c for _, chunks, _, _ in batch for c in chunks]
        new_ids = [w for c in new_chunks for w in c.window_ids()]
        new_vectors = np.vstack([np.asarray(v, dtype=np.float32) for _, _, v, _ in batch]) if batch else None
        with self._write_lock():
            self._dense_matrix()  # the stored vectors, read before Chroma changes
            old_ids = [w for c in self.chunks if c.doc_id in replaced for w in c.window_ids()]
            backup = self._backup(old_ids)
            try:
                self._delete_ids(old_ids)
                self._add(new_chunks, new_vectors)
            except Exception as exc:  # noqa: BLE001 - restore, then report
                self._restore(new_ids, backup)
                raise StoreError(f"could not write {', '.join(i.source for i, *_ in batch)} to the index: {exc}") from exc
            remaining = [c for c in self.chunks if c.doc_id not in replaced]
            documents = dict(self.documents)
            documents.update({info.doc_id: info for info, *_ in batch})
            try:
                self._write_sidecar(documents, remaining + new_chunks, self._matrix_for(remaining + new_chunks, new_vectors))
            except Exception as exc:  # noqa: BLE001
                self._restore(new_ids, backup)
                raise StoreError(f"could not write the index files in {self.root}: {exc}") from exc
            for info, _, _, source in batch:
                with contextlib.suppress(OSError):  # the index is complete without the copy
                    self._keep_copy(info, source)

    def remove_document(self, doc_id: str) -> DocumentInfo:
        with self._write_lock():
            info = self.documents.get(doc_id)
            if info is None:
                known = ", ".join(sorted(self.documents)) or "none"
                raise NotFoundError(f"no document '{doc_id}' in the index (documents: {known})")
            self._dense_matrix()  # the stored vectors, read before Chroma changes
            ids = [w for c in self.chunks if c.doc_id == doc_id for w in c.window_ids()]
            backup = self._backup(ids)
            self._delete_ids(ids)
            documents = {k: v for k, v in self.documents.items() if k != doc_id}
            for copy in (self.root / FILES_DIR).glob(f"{doc_id}.*"):
                copy.unlink(missing_ok=True)
            remaining = [c for c in self.chunks if c.doc_id != doc_id]
            try:
                self._write_sidecar(documents, remaining, self._matrix_for(remaining))
            except Exception as exc:  # noqa: BLE001
                self._restore([], backup)
                raise StoreError(f"could not write the index files in {self.root}: {exc}") from exc
            return info

    def chroma_ids(self) -> set[str]:
        """Every vector id Chroma holds (none when no Chroma store exists yet: it is not created
        just to be read)."""
        if not (self.chunks or self.remote or (self.root / "chroma").exists()):
            return set()
        return {rid for got in self._pages([], 5000) for rid in got["ids"]}

    def _pages(self, include: list[str], step: int):
        """Everything the Chroma collection holds, `step` records at a time (the fields in
        `include` besides the ids)."""
        for offset in range(0, self.collection.count(), step):
            yield self.collection.get(include=include, limit=step, offset=offset)

    def sidecar_file(self, kind: str) -> Path:
        """The committed file of a kind ("chunks", "vectors", "bm25")."""
        return self.root / self._files[kind]

    def checksum(self) -> str:
        """A digest of both stores as committed: the catalog's documents, the chunk file, and
        the ids Chroma holds (to tell a consistent index from a half-written one)."""
        import hashlib

        digest = hashlib.sha256()
        digest.update(json.dumps(sorted(d.to_json().items() for d in self.documents.values()), default=str).encode())
        path = self.sidecar_file("chunks")
        if path.exists():
            digest.update(path.read_bytes())
        digest.update("\n".join(sorted(self.chroma_ids())).encode())
        return digest.hexdigest()

    def chroma_count(self, doc_id: str | None = None) -> int:
        """Chunks Chroma holds (for one document or all; a chunk's extra windows not counted):
        used by checks and tests."""
        where = {"window": 0} if doc_id is None else {"$and": [{"doc_id": doc_id}, {"window": 0}]}
        return len(self.collection.get(where=where, include=[])["ids"])

    def _backup(self, ids: list[str]) -> dict | None:
        if not ids:
            return None
        return self.collection.get(ids=ids, include=["embeddings", "metadatas", "documents"])

    def _restore(self, new_ids: list[str], backup: dict | None) -> None:
        with contextlib.suppress(Exception):
            self._delete_ids(new_ids)
        if backup and backup["ids"]:
            with contextlib.suppress(Exception):
                self._add_raw(backup["ids"], backup["embeddings"], backup["metadatas"], backup["documents"])

    def _delete_ids(self, ids: list[str]) -> None:
        step = 5000
        for i in range(0, len(ids), step):
            self.collection.delete(ids=ids[i : i + step])

    def _add(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Each chunk's vectors: the first under the chunk's id with its metadata, the others
        (windows of a long chunk) under id~k, pointing to it."""
        ids, metadatas, documents = [], [], []
        for chunk in chunks:
            for k, rid in enumerate(chunk.window_ids()):
                ids.append(rid)
                metadatas.append({**chunk.to_metadata(), "window": 0} if k == 0 else {"chunk_id": chunk.chunk_id, "doc_id": chunk.doc_id, "version": chunk.version, "window": k})
                documents.append(chunk.text if k == 0 else "")
        self._add_raw(ids, [v.tolist() for v in vectors], metadatas, documents)

    def _add_raw(self, ids, embeddings, metadatas, documents) -> None:
        client = self._client
        step = max(1, min(5000, client.get_max_batch_size() if client is not None else 5000))
        for i in range(0, len(ids), step):
            self.collection.add(
                ids=list(ids[i : i + step]),
                embeddings=list(embeddings[i : i + step]),
                metadatas=list(metadatas[i : i + step]),
                documents=list(documents[i : i + step]),
            )

    def _publish(self, documents: dict[str, DocumentInfo], generation: str) -> None:
        """On a Chroma server: make the catalog there say `documents`, then name the new
        generation in its state record (the commit other instances see)."""
        catalog = self.catalog_collection
        known = [rid for rid in catalog.get(include=[])["ids"] if rid != _STATE_ID]
        gone = [rid for rid in known if rid not in documents]
        if gone:
            catalog.delete(ids=gone)
        if documents:
            infos = list(documents.values())
            catalog.upsert(ids=[d.doc_id for d in infos], embeddings=[[1.0]] * len(infos), metadatas=[d.to_json() for d in infos])
        catalog.upsert(ids=[_STATE_ID], embeddings=[[1.0]], metadatas=[{"generation": generation}])

    def _write_sidecar(
        self, documents: dict[str, DocumentInfo], chunks: list[Chunk], matrix: np.ndarray, generation: str = ""
    ) -> None:
        """Write the chunks, vectors and BM25 of a new generation beside the current one, commit
        it by replacing the catalog, then remove the old generation. With a Chroma server a new
        generation (not one pulled from it) is published there first."""
        self.root.mkdir(parents=True, exist_ok=True)
        pulled = bool(generation)
        generation = generation or f"{datetime.now(timezone.utc):%Y%m%d%H%M%S}-{os.getpid()}-{os.urandom(3).hex()}"
        if self.remote and not pulled:
            self._publish(documents, generation)
        files = {"chunks": f"chunks-{generation}.jsonl", "vectors": f"vectors-{generation}.npy", "bm25": f"bm25-{generation}"}
        tmp = Path(tempfile.mkdtemp(prefix=".write-", dir=self.root))
        try:
            with open(tmp / files["chunks"], "w", encoding="utf-8") as fh:
                for chunk in chunks:
                    fh.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            with open(tmp / files["vectors"], "wb") as fh:
                np.save(fh, matrix)
                fh.flush()
                os.fsync(fh.fileno())
            bm25 = _build_bm25(chunks) if chunks else None
            if bm25 is not None:
                bm25.save(str(tmp / files["bm25"]), show_progress=False)
            catalog = {
                "format": FORMAT_VERSION,
                "updated": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "generation": generation,
                "files": files,
                "documents": [d.to_json() for d in sorted(documents.values(), key=lambda d: d.doc_id)],
            }
            (tmp / CATALOG).write_text(json.dumps(catalog, indent=1, ensure_ascii=False), encoding="utf-8")
            for name in files.values():
                if (tmp / name).exists():
                    os.replace(tmp / name, self.root / name)
            _fsync_folder(self.root)
            os.replace(tmp / CATALOG, self.root / CATALOG)  # the commit: readers reload on its change
            _fsync_folder(self.root)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        self._files = files
        self._generation = self._served = generation
        self._checked = time.monotonic()
        self._drop_unused_files()
        self.documents = documents
        self._set_chunks(chunks, bm25, matrix)
        self._mtime = (self.root / CATALOG).stat().st_mtime_ns

    def _set_chunks(self, chunks: list[Chunk], bm25, matrix: np.ndarray | None = None) -> None:
        self.chunks = chunks
        self.by_id = {c.chunk_id: c for c in chunks}
        self._position = {c.chunk_id: i for i, c in enumerate(chunks)}
        self._vector_count = sum(c.windows for c in chunks)  # one vector per window of each chunk
        self._matrix = matrix if matrix is not None and len(matrix) == self._vector_count and self._vector_count else None
        self._row_chunks = [c.chunk_id for c in chunks for _ in range(c.windows)]
        self._row_docs = np.array([c.doc_id for c in chunks for _ in range(c.windows)], dtype=object)
        self._rows: dict[str, list[int]] = {}
        for row, chunk_id in enumerate(self._row_chunks):
            self._rows.setdefault(chunk_id, []).append(row)
        doc_rows: dict[str, list[int]] = {}
        for chunk in chunks:
            doc_rows.setdefault(chunk.doc_id, []).extend(self._rows.get(chunk.chunk_id, []))
        self._doc_rows = {doc_id: np.array(rows, dtype=np.int64) for doc_id, rows in doc_rows.items() if rows}
        self._bm25 = bm25
        self._bm25_vocab = set(bm25.vocab_dict) if bm25 is not None else set()
        self._df: tuple[dict[str, int], dict[str, float]] | None = None
        self._speller: Speller | None = None
        self._doc_shares: dict[str, dict[str, float]] = {}
        self._terms: dict[str, list[str]] | None = None
        self._named: dict[str, list[str]] | None = None
        self._given: dict[str, list[tuple[str, str]]] | None = None
        self._aliases: list[Alias] | None = None
        self._spelled: dict[str, str] = {}


_LEGACY_FILES = {"chunks": CHUNKS, "vectors": VECTORS, "bm25": BM25_DIR}


def _fsync_folder(path: Path) -> None:
    """Make the renames in a folder durable (a power cut after the commit keeps it)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _build_bm25(chunks: list[Chunk]):
    import bm25s

    corpus = [tokenize(c.embed_text) or ["_empty_"] for c in chunks]
    bm25 = bm25s.BM25()
    bm25.index(corpus, show_progress=False)
    return bm25


def document_info(doc: Document, chunks: int, pipeline: str = "") -> DocumentInfo:
    return DocumentInfo(
        doc_id=doc.doc_id,
        title=doc.title,
        version=doc.version,
        source=doc.source,
        pages=len(doc.pages),
        chunks=chunks,
        content_hash=doc.content_hash,
        format=doc.format,
        ingested_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        pipeline=pipeline,
    )
