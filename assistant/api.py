"""The HTTP API (`jdd serve`): the same Assistant as the CLI and the UI, for other tools.

    POST   /ask                 {"question", "session"?, "doc"?, "doc_version"?} -> the answer object
    GET    /documents           the indexed documents
    POST   /documents           multipart upload (one or more files): checked by content, then ingested
    DELETE /documents/{doc_id}  remove a document
    GET    /health              {"status": "ok", "documents": N}

Keys (sent as `Authorization: Bearer KEY`): JDD_API_KEY lets a client ask and list,
JDD_API_ADMIN_KEY also lets it change the corpus. Without keys the server answers anyone who can
reach it, so `jdd serve` then binds only to 127.0.0.1. A session keeps its earlier questions on
the server (a bounded number of sessions and questions, forgotten after an idle hour), so a
follow-up ("and for traders?") is read with them.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import OrderedDict
from typing import Annotated

from fastapi import Depends, FastAPI, File, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from .errors import AssistantError, NotFoundError
from .service import MAX_QUESTION_CHARS, Assistant
from .types import Citation, DocumentInfo, IngestResult

SESSION_LIMIT = 1000  # sessions kept; the least recently used goes first
SESSION_TURNS = 10  # earlier questions kept per session
SESSION_IDLE_S = 3600.0


# ------------------------------------------------------------------ the JSON contract as models


class AskIn(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="The question, in plain words.")
    session: str | None = Field(
        None, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$",
        description="Any id the client chooses: questions with the same session are one conversation.",
    )
    doc: str | None = Field(None, max_length=200, description="Only this document id.")
    doc_version: str | None = Field(None, max_length=100, description="Only documents of this version.")


class PassageOut(BaseModel):
    rank: int
    chunk_id: str
    doc_id: str
    source: str
    page: int
    page_end: int
    section: str
    heading: str
    score: float
    text: str


class AnswerOut(BaseModel):
    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    passages: list[PassageOut]
    timings_ms: dict[str, float]
    answerer: str
    notices: list[str]
    search_query: str


class HealthOut(BaseModel):
    status: str
    documents: int


class ErrorOut(BaseModel):
    detail: str


ERRORS = {400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 403: {"model": ErrorOut}}


# ------------------------------------------------------------------ sessions


class Sessions:
    """Earlier questions per session id: bounded in number and length, forgotten when idle."""

    def __init__(self, limit: int = SESSION_LIMIT, turns: int = SESSION_TURNS, idle_s: float = SESSION_IDLE_S):
        self.limit, self.turns, self.idle_s = limit, turns, idle_s
        self._lock = threading.Lock()
        self._data: OrderedDict[str, tuple[float, list[str]]] = OrderedDict()

    def history(self, session: str | None) -> list[str]:
        if not session:
            return []
        with self._lock:
            self._expire()
            found = self._data.get(session)
            return list(found[1]) if found else []

    def add(self, session: str | None, question: str) -> None:
        if not session:
            return
        with self._lock:
            _, questions = self._data.pop(session, (0.0, []))
            self._data[session] = (time.monotonic(), (questions + [question])[-self.turns :])
            while len(self._data) > self.limit:
                self._data.popitem(last=False)

    def _expire(self) -> None:
        now = time.monotonic()
        for key in [k for k, (at, _) in self._data.items() if now - at > self.idle_s]:
            del self._data[key]


# ------------------------------------------------------------------ the app


def create_app(assistant: Assistant, *, api_key: str = "", admin_key: str = "", max_upload_bytes: int = 50 * 1024 * 1024) -> FastAPI:
    app = FastAPI(
        title="Standards assistant API",
        version="1",
        description="Cited answers from the indexed responsible-sourcing standards (the JDD, the Copper Mark criteria, their guidance).",
    )
    sessions = Sessions()

    def bearer(request: Request) -> str:
        header = request.headers.get("authorization", "")
        return header[7:].strip() if header.lower().startswith("bearer ") else ""

    def asker(request: Request) -> None:
        given = bearer(request)
        keys = [k for k in (api_key, admin_key) if k]
        if keys and not any(hmac.compare_digest(given.encode(), k.encode()) for k in keys):
            raise HTTPException(401, "a valid API key is needed: Authorization: Bearer KEY", headers={"WWW-Authenticate": "Bearer"})

    def admin(request: Request) -> None:
        given = bearer(request)
        if admin_key:
            if not hmac.compare_digest(given.encode(), admin_key.encode()):
                raise HTTPException(403 if given else 401, "changing the corpus needs the admin key (JDD_API_ADMIN_KEY)")
        elif api_key:
            raise HTTPException(403, "changing the corpus is switched off: the server has no JDD_API_ADMIN_KEY")

    @app.exception_handler(AssistantError)
    def assistant_error(_request: Request, exc: AssistantError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404 if isinstance(exc, NotFoundError) else 400)

    @app.get("/health", response_model=HealthOut)
    def health() -> dict:
        return {"status": "ok", "documents": len(assistant.documents())}

    @app.post("/ask", response_model=AnswerOut, responses={**ERRORS, 404: {"model": ErrorOut}}, dependencies=[Depends(asker)])
    def ask(body: AskIn) -> dict:
        history = sessions.history(body.session)
        answer = assistant.ask(
            body.question, history=history, doc_ids=[body.doc] if body.doc else None,
            versions=[body.doc_version] if body.doc_version else None,
        )
        sessions.add(body.session, body.question)
        return answer.to_json()

    @app.get("/documents", response_model=list[DocumentInfo], responses=ERRORS, dependencies=[Depends(asker)])
    def documents() -> list[DocumentInfo]:
        return assistant.documents()

    @app.post("/documents", response_model=list[IngestResult], responses=ERRORS, dependencies=[Depends(admin)])
    async def upload(files: Annotated[list[UploadFile], File(description="PDF, DOCX, HTML, Markdown or text files")]) -> list[IngestResult]:
        received = []
        for f in files:
            data = await f.read(max_upload_bytes + 1)  # one byte more than allowed tells it is too big
            received.append((f.filename or "upload.txt", data))
        return assistant.ingest_uploads(received, max_upload_bytes)

    @app.delete("/documents/{doc_id}", response_model=DocumentInfo, responses={**ERRORS, 404: {"model": ErrorOut}}, dependencies=[Depends(admin)])
    def remove(doc_id: str) -> DocumentInfo:
        return assistant.remove(doc_id)

    return app


def check_bind(host: str, api_key: str, admin_key: str) -> None:
    """Without keys the API answers anyone who reaches it: only this machine may."""
    if not (api_key or admin_key) and host not in ("127.0.0.1", "localhost", "::1"):
        raise AssistantError(
            f"refusing to listen on {host} without keys: set JDD_API_KEY (and JDD_API_ADMIN_KEY to let "
            "clients change the corpus), or serve on 127.0.0.1"
        )
