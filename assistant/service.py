"""The one facade every front-end uses: ingest, remove, list, search and ask.

Nothing outside this module touches the store, the retriever or the answerer. The facade is
safe for concurrent callers: questions and listings share a read lock, ingest and remove take
the write lock, so a question never sees a half-written index.
"""

from __future__ import annotations

import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from . import conversation
from .answering import Answerer, AnswerRequest, cite, decline, finish, make_answerer
from .chunking import CHUNKER_VERSION, chunk_document
from .errors import AssistantError, LoadError, NotFoundError
from .loaders import SUPPORTED_SUFFIXES, file_hash, load_document, slugify
from .settings import Settings
from .text import normalise
from .types import Answer, Chunk, DocumentInfo, Hit, IngestResult

Progress = Callable[[str, int, int], None]  # (file name, files done, files total)


class ReadWriteLock:
    """Many readers at once or one writer; a waiting writer holds back new readers."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer: int | None = None  # thread id of the writer
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:  # the writer may read what it writes
                reentrant = True
            else:
                reentrant = False
                while self._writer is not None or self._writers_waiting:
                    self._cond.wait()
                self._readers += 1
        try:
            yield
        finally:
            if not reentrant:
                with self._cond:
                    self._readers -= 1
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                reentrant = True
            else:
                reentrant = False
                self._writers_waiting += 1
                while self._writer is not None or self._readers:
                    self._cond.wait()
                self._writers_waiting -= 1
                self._writer = me
        try:
            yield
        finally:
            if not reentrant:
                with self._cond:
                    self._writer = None
                    self._cond.notify_all()


MAX_QUESTION_CHARS = 2000  # a longer "question" is a pasted document


class Assistant:
    """Loads lazily: listing documents never loads the model; asking loads it once."""

    def __init__(self, settings: Settings | None = None, *, chat_model=None):
        """`chat_model`: a LangChain chat model to write answers with (tests, or a team's own
        model object); by default JDD_ANSWERER and the JDD_LLM_* settings choose."""
        self.settings = settings or Settings()
        self._chat_model = chat_model
        self._store = None
        self._embedder = None
        self._retriever = None
        self._answerer: Answerer | None = None
        self._parts_lock = threading.Lock()
        self.lock = ReadWriteLock()

    # ------------------------------------------------------------ parts

    @property
    def store(self):
        with self._parts_lock:
            if self._store is None:
                from .store import Store

                self._store = Store(self.settings)
            return self._store

    @property
    def embedder(self):
        with self._parts_lock:
            if self._embedder is None:
                from .embedding import Embedder

                self._embedder = Embedder(self.settings)
            return self._embedder

    @property
    def retriever(self):
        if self._retriever is None:
            from .retrieval import Retriever

            store, embedder = self.store, self.embedder
            with self._parts_lock:
                if self._retriever is None:
                    self._retriever = Retriever(store, embedder, self.settings)
        return self._retriever

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            retriever, embedder = self.retriever, self.embedder
            with self._parts_lock:
                if self._answerer is None:
                    self._answerer = make_answerer(self.settings, retriever.query_weights, embedder, self._chat_model)
        return self._answerer

    def warm_up(self) -> None:
        """Load the model and build the answerer now, so the first question is quick."""
        if self.documents():
            _ = self.answerer

    def _refreshed(self) -> None:
        """Reload the index if another process changed it (under the write lock: readers
        never see it half loaded)."""
        if self.store.stale():
            with self.lock.write():
                self.store.refresh()

    # ------------------------------------------------------------ documents

    def documents(self) -> list[DocumentInfo]:
        self._refreshed()
        with self.lock.read():
            return sorted(self.store.documents.values(), key=lambda d: (d.title.lower(), d.version))

    def document_chunks(self, doc_id: str, section: str = "") -> tuple[DocumentInfo, list[Chunk]]:
        """One document's passages in reading order (of one section when given); a clear
        error for a document or section the index does not hold."""
        from .training import in_section

        self._refreshed()
        with self.lock.read():
            info = self.store.documents.get(doc_id)
            if info is None:
                known = ", ".join(sorted(self.store.documents)) or "none"
                raise AssistantError(f"no document '{doc_id}' in the index (indexed: {known}); see jdd docs")
            chunks = sorted((c for c in self.store.chunks if c.doc_id == doc_id), key=lambda c: c.ordinal)
        if section:
            chunks = [c for c in chunks if in_section(c, section)]
            if not chunks:
                raise AssistantError(f"{doc_id} has no section '{section}'")
        return info, chunks

    def checklist(self, doc_id: str, section: str = ""):
        """Every normative statement of a document or section, once each (training.checklist)."""
        from .training import checklist

        return checklist(self.document_chunks(doc_id, section)[1])

    def study_sheet(self, doc_id: str, section: str):
        """A handout for one section: its key points, the glossary terms it uses with their
        definitions, and its checklist; every line quoted and cited (training.StudySheet)."""
        from .training import Point, StudySheet, checklist, key_points, terms_used

        if not section.strip():
            raise AssistantError("give the section the study sheet is for: --section 5.2")
        from .units import passage_units

        info, chunks = self.document_chunks(doc_id, section)
        with self.lock.read():
            entries = [self.store.by_id[cid] for cid in dict.fromkeys(c for ids in self.store.term_entries().values() for c in ids)]
        # the terms the document's glossary or definition entries define, by the entries' own words
        known = list(dict.fromkeys(
            u.term for c in entries if c.doc_id == doc_id for u in passage_units(c) if u.kind == "definition" and u.term
        ))
        used = terms_used(chunks, known)[:15]
        found = self._definitions(used, [doc_id])
        terms = [
            (term, Point(" ".join(d.chunk.text[d.start : d.end].split()), d.clause, d.chunk.page_at(d.start)))
            for term in used
            if (d := next(iter(found[term]), None)) is not None
        ]
        title = f"{info.title}, section {section}"
        return StudySheet(title, tuple(key_points(chunks)), tuple(terms), tuple(checklist(chunks)))

    def quiz(self, doc_id: str, section: str = "", n: int = 10):
        """Quiz items drawn from the requirements of a document or section (training.quiz)."""
        from .training import checklist, quiz

        if not 1 <= n <= 200:
            raise AssistantError("--n must be between 1 and 200")
        items = quiz(checklist(self.document_chunks(doc_id, section)[1]), n, seed=f"{doc_id}|{section}")
        reword = getattr(self.answerer, "reword_quiz_question", None) if self.settings.answerer != "extractive" or self._chat_model else None
        if reword is not None:  # with an LLM: better wording, checked against the source sentence
            from .training import reworded

            items = reworded(items, reword)
        return items

    def evaluation_folder(self) -> Path:
        """Where the latest evaluation report of this index is kept (the UI shows it)."""
        return Path(self.settings.index_dir) / "evaluation"

    def evaluate(self, questions_file, *, baseline: bool = False, out_dir=None, progress: Progress | None = None) -> dict:
        """Run a question file through the assistant (and the tutorial pipeline with
        `baseline`), write results.json, report.md and chart.png to `out_dir` (default:
        evaluation_folder()), and return the report (assistant.evaluation)."""
        from .evaluation import evaluate, load_question_file, write_report

        questions = load_question_file(questions_file)
        report = evaluate(self, questions, baseline=baseline, progress=progress)
        write_report(report, out_dir or self.evaluation_folder())
        return report

    def define(self, term: str, *, doc_ids: list[str] | None = None) -> Answer:
        """A term's definition, quoted whole and cited: its glossary or definition entries
        first, else the first sentence of the text that defines it; a decline pointing to the
        closest passages when no document defines it."""
        from .text import term_key

        term = normalise(term).strip().strip("?!.:;\"'\u2018\u2019\u201c\u201d").strip()
        if not term_key(term):
            raise AssistantError('give a term to define: jdd define "red flag"')
        if len(term) > 120:
            raise AssistantError("that is too long for a term (120 characters at most)")
        question = f"What is {term}?"
        found = self._definitions([term], doc_ids)[term]
        if not found:
            hits = self.search(question, doc_ids=doc_ids)
            return finish(decline(AnswerRequest(question, tuple(hits), search_query=term), f"define \u201c{term}\u201d"), "glossary")
        found = found[:3]
        citations = tuple(cite(n, d.chunk, d.start, d.end, d.clause) for n, d in enumerate(found, start=1))
        text = "\n\n".join(f"{d.chunk.text[d.start : d.end].strip()} [{n}]" for n, d in enumerate(found, start=1))
        passages = tuple(Hit(d.chunk, 1.0) for d in found)
        return finish(Answer(question, text, citations, passages, search_query=term), "glossary")

    def _definitions(self, terms: list[str], doc_ids: list[str] | None) -> dict[str, list]:
        """Where each term is defined in the chosen documents (training.definitions), read under
        one lock: the documents' passages are gathered once for all the terms."""
        from .text import term_keys
        from .training import definitions

        self._refreshed()
        with self.lock.read():
            if not self.store.documents:
                raise AssistantError(f"the index at {self.settings.index_dir} is empty; add documents with: jdd ingest PATH")
            wanted = set(doc_ids) if doc_ids else set(self.store.documents)
            index = self.store.term_entries()
            chunks = sorted((c for c in self.store.chunks if c.doc_id in wanted), key=lambda c: (c.doc_id, c.ordinal))
            out = {}
            for term in terms:
                ids = dict.fromkeys(cid for key in term_keys(term) for cid in index.get(key, ()))
                entries = [self.store.by_id[cid] for cid in ids if self.store.by_id[cid].doc_id in wanted]
                out[term] = definitions(term, entries, chunks)
            return out

    def ingest_uploads(
        self, files: Sequence[tuple[str, bytes]], max_bytes: int, *, progress: Progress | None = None
    ) -> list[IngestResult]:
        """Uploaded files (name as the client gave it, bytes): each checked by its content and
        size (uploads.check_upload), the good ones ingested under their base names; one
        IngestResult per file, in the order given."""
        from .uploads import check_upload, safe_file_name

        results: list[IngestResult | Path] = []
        with tempfile.TemporaryDirectory(prefix="jdd-upload-") as tmp:
            for name, data in files:
                path = Path(tmp) / safe_file_name(name)
                problem = check_upload(name, data, max_bytes)
                if not problem and path in results:
                    problem = f"{path.name} is uploaded twice; send it once"
                if problem:
                    results.append(IngestResult(path.name, "failed", error=problem))
                    continue
                path.write_bytes(data)
                results.append(path)
            paths = [r for r in results if isinstance(r, Path)]
            done = {r.path: r for r in (self.ingest(paths, progress=progress) if paths else [])}
        # the client knows its file by the name it sent, not by our temporary folder
        return [replace(done[str(r)], path=r.name) if isinstance(r, Path) else r for r in results]

    def remove(self, doc_id: str) -> DocumentInfo:
        with self.lock.write():
            return self.store.remove_document(doc_id)

    def source_path(self, doc_id: str) -> Path | None:
        """The indexed copy of a document's file, e.g. to render a cited PDF page."""
        self._refreshed()
        with self.lock.read():
            return self.store.source_path(doc_id)

    def ingest(
        self,
        paths: Iterable[str | Path],
        *,
        title: str | None = None,
        version: str | None = None,
        doc_id: str | None = None,
        progress: Progress | None = None,
    ) -> list[IngestResult]:
        """Add or replace documents. Each file succeeds or fails on its own: a failed file is
        left out. The files that succeed are committed together, once, at the end: a run that
        is killed half-way leaves the index as it was. Unchanged files (same content hash) are
        skipped.

        While one file is embedded (onnxruntime, which leaves the interpreter free) the next
        one is read and chunked, and Chroma opens, in background threads. Questions go on
        meanwhile: only the final swap into the index holds them back."""
        files, missing = expand_paths(paths)
        self._refreshed()  # another process (the UI, a second jdd) may have changed the index
        results = [IngestResult(str(p), "failed", error=f"{p}: no such file or folder") for p in missing]
        if (title or version or doc_id) and len(files) > 1:
            raise AssistantError("--title, --version and --doc-id apply to one file; ingest files one at a time")
        seen: dict[str, Path] = {}
        jobs: list[Path] = []
        for path in files:
            key = slugify(doc_id or path.stem)
            if key in seen:
                message = f"{path.name} has the same document id '{key}' as {seen[key]}; rename one"
                results.append(IngestResult(str(path), "failed", error=message))
            else:
                seen[key] = path
                jobs.append(path)
        overrides = {"title": title, "version": version, "doc_id": doc_id}
        ready: list[tuple[IngestResult, tuple]] = []  # embedded files, committed together below
        with ThreadPoolExecutor(2) as pool:
            opening = pool.submit(lambda: self.store.collection) if jobs else None
            upcoming = pool.submit(self._prepare, jobs[0], **overrides) if jobs else None
            for done, path in enumerate(jobs):
                if progress:
                    progress(path.name, done, len(jobs))
                prepared = upcoming.result()
                upcoming = pool.submit(self._prepare, jobs[done + 1], **overrides) if done + 1 < len(jobs) else None
                if isinstance(prepared, IngestResult):
                    results.append(prepared)
                    continue
                try:
                    opening.result()
                except AssistantError as exc:  # the store cannot be opened: nothing can be written
                    results.append(IngestResult(str(path), "failed", error=str(exc)))
                    continue
                embedded = self._embed(path, *prepared)
                if isinstance(embedded, IngestResult):
                    results.append(embedded)
                else:
                    ready.append(embedded)
        if ready:
            try:
                with self.lock.write():
                    self.store.replace_documents([entry for _, entry in ready])
                results += [result for result, _ in ready]
            except AssistantError as exc:
                results += [replace(result, status="failed", error=str(exc)) for result, _ in ready]
        if progress:
            progress("", len(jobs), len(jobs))
        return results

    def _prepare(self, path: Path, *, title, version, doc_id):
        """Read and chunk one file: (document, chunks, replaces) or a finished IngestResult
        (unchanged, or failed with a message)."""
        try:
            data_hash = file_hash(path.read_bytes())
            key = slugify(doc_id or path.stem)
            existing = self.store.documents.get(key)
            if (
                existing is not None
                and existing.content_hash == data_hash
                and existing.pipeline == self.pipeline_id()
                and (title is None or title == existing.title)
                and (version is None or version == existing.version)
            ):
                return IngestResult(str(path), "unchanged", key, existing.pages, existing.chunks)
            doc = load_document(path, title=title, version=version, doc_id=doc_id)
            chunks = chunk_document(
                doc,
                max_chars=self.settings.chunk_max_chars,
                min_chars=self.settings.chunk_min_chars,
                overlap=self.settings.chunk_overlap_sentences,
            )
            if not chunks:
                raise LoadError(f"{path.name} has no text to index")
            return doc, chunks, existing is not None
        except AssistantError as exc:
            return IngestResult(str(path), "failed", error=str(exc))
        except OSError as exc:
            return IngestResult(str(path), "failed", error=f"{path.name}: {exc.strerror or exc}")

    def _embed(self, path: Path, doc, chunks, replaces: bool):
        """Embed a prepared file: (its result, what the store commits), or a failed IngestResult."""
        from .store import document_info

        try:
            size = self.settings.embed_window_chars
            texts = [c.dense_windows(size) for c in chunks]
            chunks = [replace(c, windows=len(t)) for c, t in zip(chunks, texts)]
            vectors = self.embedder.encode([w for t in texts for w in t])
            info = document_info(doc, len(chunks), self.pipeline_id())
        except AssistantError as exc:
            return IngestResult(str(path), "failed", error=str(exc))
        result = IngestResult(str(path), "replaced" if replaces else "added", doc.doc_id, len(doc.pages), len(chunks))
        return result, (info, chunks, vectors, path)

    def pipeline_id(self) -> str:
        """Changes when re-indexing is needed for the same file (chunker or embedder changed)."""
        s = self.settings
        model = s.model_path.name if s.model_path else "all-MiniLM-L6-v2"
        quant = "int8" if s.embed_quantize and s.embed_backend == "onnx" else "fp32"
        return (
            f"chunk{CHUNKER_VERSION}-{s.chunk_max_chars}-{s.chunk_min_chars}-{s.chunk_overlap_sentences}"
            f"/{model}-{quant}-{s.embed_max_tokens}-w{s.embed_window_chars}-units2-tok3"  # "-units2": vectors per requirement and entry, of their words alone; "-tok3": -ize and -ise spellings stem alike, accents folded
        )

    # ------------------------------------------------------------ questions

    def search(
        self, query: str, *, top_k: int | None = None, doc_ids: list[str] | None = None, versions: list[str] | None = None
    ) -> list[Hit]:
        self._refreshed()
        with self.lock.read():
            return self.retriever.search(normalise(query), top_k=top_k, doc_ids=doc_ids, versions=versions)

    def as_retriever(
        self, *, top_k: int | None = None, doc_ids: list[str] | None = None, versions: list[str] | None = None
    ):
        """Our hybrid retrieval as a LangChain BaseRetriever (see lc_retriever), to plug into a
        team's own chains."""
        from .lc_retriever import AssistantRetriever

        return AssistantRetriever(assistant=self, top_k=top_k, doc_ids=doc_ids, versions=versions)

    def ask(
        self,
        question: str,
        *,
        history: list[str] | None = None,
        top_k: int | None = None,
        doc_ids: list[str] | None = None,
        versions: list[str] | None = None,
    ) -> Answer:
        """Answer `question`; `history` holds the earlier questions of the same conversation."""
        answer = None
        for item in self.ask_stream(question, history=history, top_k=top_k, doc_ids=doc_ids, versions=versions):
            answer = item
        assert isinstance(answer, Answer)
        return answer

    def ask_stream(
        self,
        question: str,
        *,
        history: list[str] | None = None,
        top_k: int | None = None,
        doc_ids: list[str] | None = None,
        versions: list[str] | None = None,
    ) -> Iterator[str | Answer]:
        """The answer as it is written: pieces of text (a generated answer comes word by word,
        an extractive one whole), then the final, checked Answer, whose text is what to show
        (it may differ from the pieces: markers removed, or the extractive answer when the
        model failed; its notices say why)."""
        question = normalise(question)
        if not question:
            raise AssistantError("the question is empty")
        if len(question) > MAX_QUESTION_CHARS:
            raise AssistantError(f"the question is too long ({len(question):,} characters; {MAX_QUESTION_CHARS:,} at most): ask it in fewer words")
        self._refreshed()
        with self.lock.read():
            if not self.store.documents:
                raise AssistantError(
                    f"the index at {self.settings.index_dir} is empty; add documents with: jdd ingest PATH"
                )
            self._check_filters(doc_ids, versions)
            history = [normalise(h)[:MAX_QUESTION_CHARS] for h in history or []]
            answerer = self.answerer
            started = time.perf_counter()
            # with an LLM, a follow-up is rewritten by it; otherwise by the rule (conversation.rewrite)
            query = getattr(answerer, "rewrite", self.search_query)(question, history)
            own = question if query != question and conversation.replaces_subject(question) else ""
            retrieval = self.retriever.retrieve(query, top_k=top_k, doc_ids=doc_ids, versions=versions, own=own)
            retrieved = time.perf_counter()
            request = AnswerRequest(
                question, tuple(retrieval.hits), tuple(history), query, retrieval.unknown, retrieval.names, retrieval.naming
            )
            if retrieval.absent:  # "under the X regulation" with no X indexed: no passage speaks for it
                items: Iterable[str | Answer] = [decline(request, f"include {retrieval.absent}")]
            elif retrieval.unrelated:  # "how does 800-63B map to GDPR?": neither text names the other
                items = [decline(request, f"say {retrieval.unrelated}")]
            elif retrieval.unnamed:  # "is Côte d'Ivoire high risk?" of texts that name no country
                items = [decline(request, f"mention {retrieval.unnamed}")]
            elif hasattr(answerer, "stream"):
                items = answerer.stream(request)
            else:
                items = [answerer.answer(request)]
            answer = None
            for item in items:
                if isinstance(item, Answer):
                    answer = finish(item, answerer.name)
                    if isinstance(items, list):
                        yield answer.text
                else:
                    yield item
            finished = time.perf_counter()
        assert answer is not None
        timings = {"retrieve": (retrieved - started) * 1000, "answer": (finished - retrieved) * 1000}
        yield replace(answer, timings_ms=timings)

    def _check_filters(self, doc_ids: list[str] | None, versions: list[str] | None) -> None:
        """A document or version filter that names nothing in the index is a mistake to say,
        not a question the documents do not answer."""
        docs = self.store.documents
        unknown = [d for d in doc_ids or [] if d not in docs]
        if unknown:
            raise NotFoundError(f"no document {', '.join(repr(d) for d in unknown)} in the index (indexed: {', '.join(sorted(docs))}); see jdd docs")
        missing = [v for v in versions or [] if v not in {d.version for d in docs.values()}]
        if missing:
            known = sorted({d.version for d in docs.values() if d.version})
            raise NotFoundError(f"no document of version {', '.join(repr(v) for v in missing)} in the index (versions: {', '.join(known) or 'none'})")

    @staticmethod
    def search_query(question: str, history: list[str]) -> str:
        """Rewrite a follow-up using the conversation so far: it carries the subject of the
        conversation (see conversation.subject)."""
        return conversation.rewrite(question, history)


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Path]]:
    """Files to ingest (folders searched recursively, hidden files skipped) and paths not found."""
    files: list[Path] = []
    missing: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(path)
    return files, missing
