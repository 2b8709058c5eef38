"""Our hybrid retrieval as a LangChain retriever, for teams that build their own chains:
`Assistant.as_retriever()`. It searches through the Assistant facade like everything else."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever


class AssistantRetriever(BaseRetriever):
    """Documents carry where each passage comes from: doc_id, title, version, clause (section),
    heading, page (first and last), source file, chunk_id and the retrieval score."""

    assistant: Any
    top_k: int | None = None
    doc_ids: list[str] | None = None
    versions: list[str] | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.assistant.search(query, top_k=self.top_k, doc_ids=self.doc_ids, versions=self.versions)
        return [
            Document(
                page_content=h.chunk.text,
                id=h.chunk.chunk_id,
                metadata={
                    "doc_id": h.chunk.doc_id,
                    "title": h.chunk.title,
                    "version": h.chunk.version,
                    "clause": h.chunk.section,
                    "heading": h.chunk.heading,
                    "page": h.chunk.page_start,
                    "page_end": h.chunk.page_end,
                    "source": h.chunk.source,
                    "chunk_id": h.chunk.chunk_id,
                    "score": round(h.score, 4),
                },
            )
            for h in hits
        ]
