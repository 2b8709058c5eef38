"""The bad-input suite: hostile and broken files and questions, each through the CLI and the HTTP
API (whose upload path is the UI's: Assistant.ingest_uploads). Every one gets a clear message,
no traceback, and leaves both stores exactly as they were (checksum included)."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.cli import main
from conftest import index_state, make_assistant
from pdf_factory import (
    make_docx_bomb,
    make_encrypted_pdf,
    make_html_named_pdf,
    make_image_only_pdf,
    make_nested_pdf,
    make_truncated_pdf,
    make_zero_page_pdf,
)


def _bytes(data: bytes):
    return lambda path, _src: path.write_bytes(data)


def _not_a_zip_docx(path, _src):
    path.write_text("just text, renamed to .docx", encoding="utf-8")


def _garbage_pdf(path, _src):
    path.write_bytes(b"%PDF-1.7\n" + os.urandom(4096) + b"\n%%EOF\n")


FILES = [
    ("empty.pdf", _bytes(b""), "empty"),
    ("cut.pdf", lambda p, s: make_truncated_pdf(s, p), "truncated or damaged"),
    ("locked.pdf", lambda p, s: make_encrypted_pdf(p), "encrypted"),
    ("scan.pdf", lambda p, s: make_image_only_pdf(p), "no text layer"),
    ("login.pdf", lambda p, s: make_html_named_pdf(p), "HTML page"),
    ("latin1.txt", _bytes("R\u00e8gles \u00e9t\u00e9".encode("latin-1")), "not UTF-8"),
    ("nopages.pdf", lambda p, s: make_zero_page_pdf(p), "has no pages"),
    ("nested.pdf", lambda p, s: make_nested_pdf(p), "not a readable PDF"),
    ("garbage.pdf", _garbage_pdf, "PDF"),
    ("bomb.docx", lambda p, s: make_docx_bomb(p), "unpacks to 300 MB"),
    ("renamed.docx", _not_a_zip_docx, "not a Word document"),
    ("nul.txt", _bytes(b"The site shall\x00 keep records."), "binary"),
    ("oneline.txt", _bytes(b"word " * 2_000_000), "line of"),
    ("scripts.html", _bytes(b"<html><body><script>fetch('/steal')</script><style>p{}</style></body></html>"), "no readable text"),
    ("blank.md", _bytes(b"  \n\n\t \n"), "empty"),
    ("tool.exe", _bytes(b"MZ\x90\x00"), "unsupported"),
    ("report.md", lambda p, s: p.write_bytes(s.read_bytes()), "PDF"),
]


@pytest.fixture(scope="module")
def base(tmp_path_factory, sample_pdf):
    index = tmp_path_factory.mktemp("hostile") / "index"
    assistant = make_assistant(index)
    assert assistant.ingest([sample_pdf.path])[0].status == "added"
    return assistant


@pytest.mark.parametrize("name, maker, message", FILES, ids=[f[0] for f in FILES])
def test_a_bad_file_is_refused_by_the_cli_and_the_api_and_changes_nothing(base, sample_pdf, tmp_path, capsys, name, maker, message):
    path = tmp_path / name
    maker(path, sample_pdf.path)
    before = index_state(base)
    assert main(["--index", str(base.settings.index_dir), "ingest", "-q", str(path)]) == 1
    err = capsys.readouterr().err
    assert message in err and name in err and "Traceback" not in err
    assert index_state(base) == before
    client = TestClient(create_app(base), raise_server_exceptions=False)
    reply = client.post("/documents", files=[("files", (name, path.read_bytes(), "application/octet-stream"))])
    assert reply.status_code == 200, reply.text
    [result] = reply.json()
    assert result["status"] == "failed" and result["error"]
    assert index_state(base) == before


def test_uploads_over_the_limit_twice_sent_or_with_hostile_names(base, tmp_path):
    before = index_state(base)
    client = TestClient(create_app(base, max_upload_bytes=1024), raise_server_exceptions=False)
    big = ("files", ("big.md", b"# Big\n\n" + b"The site shall keep records. " * 100, "text/markdown"))
    twice = [("files", ("a.md", b"# A\n\ntext one\n", "text/markdown")), ("files", ("a.md", b"# A\n\ntext two\n", "text/markdown"))]
    over = client.post("/documents", files=[big]).json()
    assert over[0]["status"] == "failed" and "the limit is 1 KB" in over[0]["error"]
    sent = client.post("/documents", files=twice).json()
    assert [r["status"] for r in sent] == ["added", "failed"] and "uploaded twice" in sent[1]["error"]
    client.delete("/documents/a")
    assert index_state(base) == before
    # a name with folders and control characters is stored under its base name only
    hostile = client.post("/documents", files=[("files", ("../../etc/pa\x07ss\r\nwd.md", b"# P\n\nThe site shall log.\n", "text/markdown"))]).json()
    [result] = hostile
    assert result["status"] == "added" and "/" not in result["path"] and result["path"].isprintable()
    assert result["doc_id"].replace("-", "").isalnum()
    client.delete(f"/documents/{result['doc_id']}")
    assert index_state(base) == before


def test_a_folder_with_a_symlink_loop_is_ingested_without_hanging(tmp_path, capsys):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    (folder / "notes.md").write_text("# Notes\n\n## 1 Scope\n\nThe site shall keep notes.\n", encoding="utf-8")
    assert main(["--index", str(tmp_path / "index"), "ingest", "-q", str(folder)]) == 0
    assert "1 added" in capsys.readouterr().out


@pytest.mark.parametrize(
    "question, status, message",
    [
        ("", 422, "the question is empty"),
        ("   \t ", 400, "the question is empty"),
        ("x" * 50_000, 422, "too long"),
        ("?!?!...", 200, ""),
        ("\u4f9b\u5e94\u5546\u98ce\u9669\u8bc4\u4f30\u591a\u4e45\u66f4\u65b0\u4e00\u6b21\uff1f", 200, ""),  # another script
        ("records\x00?", 200, ""),
    ],
    ids=["empty", "blank", "50kb", "punctuation", "chinese", "nul"],
)
def test_bad_questions_get_a_clear_answer_or_message_through_the_cli_and_the_api(base, capsys, question, status, message):
    before = index_state(base)
    code = main(["--index", str(base.settings.index_dir), "ask", question])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if status == 200:
        assert code == 0 and out.strip()
    else:
        assert code == 1 and (message in err or "too long" in err)
    client = TestClient(create_app(base), raise_server_exceptions=False)
    reply = client.post("/ask", json={"question": question})
    assert reply.status_code == status, reply.text
    if status == 200:
        assert reply.json()["answer"].strip()
    assert index_state(base) == before
