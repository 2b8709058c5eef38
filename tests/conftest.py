"""Shared fixtures: real PDFs from the factory, real Chroma in temporary folders, the real model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings
from pdf_factory import make_standard_pdf


def make_assistant(index_dir: Path, **overrides) -> Assistant:
    return Assistant(Settings(index_dir=index_dir, **overrides))


@pytest.fixture(scope="session")
def sample_pdf(tmp_path_factory):
    return make_standard_pdf(tmp_path_factory.mktemp("pdfs") / "widget_standard.pdf")


@pytest.fixture(scope="session")
def indexed(tmp_path_factory, sample_pdf):
    """One read-only index holding the sample standard (tests that write make their own)."""
    assistant = make_assistant(tmp_path_factory.mktemp("index"))
    results = assistant.ingest([sample_pdf.path])
    assert [r.status for r in results] == ["added"], results
    return assistant


@pytest.fixture(scope="session")
def app_standard(tmp_path_factory):
    """An index of the requirements standard in OWASP's shape (pdf_factory.make_requirements_pdf)."""
    from pdf_factory import make_requirements_pdf

    folder = tmp_path_factory.mktemp("app")
    assistant = make_assistant(folder / "index")
    assert assistant.ingest([make_requirements_pdf(folder / "app_standard.pdf")])[0].status == "added"
    return assistant


@pytest.fixture
def fresh(tmp_path):
    return make_assistant(tmp_path / "index")


def index_state(assistant: Assistant) -> dict:
    """Everything a failed ingest must leave untouched: documents and chunk counts of both stores."""
    store = assistant.store
    store.refresh()
    chunks_file = store.sidecar_file("chunks")
    return {
        "documents": {d.doc_id: (d.content_hash, d.chunks) for d in assistant.documents()},
        "chroma": store.chroma_count() if store.documents or (Path(assistant.settings.index_dir) / "chroma").exists() else 0,
        "sidecar": sum(1 for _ in open(chunks_file)) if chunks_file.exists() else 0,
        "bm25": len(store.keyword(["site"], 1000)),
        "checksum": store.checksum(),
    }


def read_json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on (for servers a test starts, or one that is down)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
