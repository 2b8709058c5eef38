"""The Streamlit UI under streamlit.testing's AppTest, over real indexes built in temp folders."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from streamlit.testing.v1 import AppTest

from assistant.export import conversation_docx, conversation_markdown
from assistant.feedback import FeedbackStore, default_path
from conftest import index_state, make_assistant
from pdf_factory import make_html_named_pdf, make_standard_pdf
from assistant.uploads import check_upload, safe_file_name

APP = str(Path(__file__).resolve().parents[1] / "ui" / "app.py")
QUESTION = "How often must the supplier risk assessment be updated?"
HOSTILE_TEXT = (
    "Hostile notes\n\nVersion 0.1\n\n1 Scripts\n\n"
    "The site shall keep the incident register <script>alert(1)</script> on paper for **twelve** "
    "years at $5 a :red[month] | see [link](javascript:alert(2)).\n"
)


def plain(markdown: str) -> str:
    """Markdown source with its backslash escapes removed (the text a reader sees, bar bold)."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.fixture(scope="module")
def ui_index(tmp_path_factory):
    """Two versions of the sample standard and a text file full of markup (read-only)."""
    folder = tmp_path_factory.mktemp("ui")
    v21 = make_standard_pdf(folder / "widget_standard.pdf")
    v30 = make_standard_pdf(folder / "widget_standard_v3.pdf", version="3.0")
    hostile = folder / "hostile_notes.txt"
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    index = folder / "index"
    results = make_assistant(index).ingest([v21.path, v30.path, hostile])
    assert [r.status for r in results] == ["added"] * 3, results
    return index


@pytest.fixture
def no_login(monkeypatch):
    for name in ("JDD_UI_PASSWORD", "JDD_UI_ADMIN_PASSWORD", "JDD_FEEDBACK_DB"):
        monkeypatch.delenv(name, raising=False)


def start(monkeypatch, index: Path) -> AppTest:
    monkeypatch.setenv("JDD_INDEX_DIR", str(index))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    return at


def texts(block) -> list[str]:
    return [plain(m.value) for m in block.markdown] + [plain(c.value) for c in block.caption]


def last_answer(at: AppTest):
    return at.session_state["messages"][-1]["answer"]


def no_unsafe_html(at: AppTest) -> None:
    assert len(at.html) == 0
    for element in (*at.markdown, *at.caption):
        assert not element.proto.allow_html, element.value


# ------------------------------------------------------------------ chat


def test_empty_state_explains_what_to_ask_and_how_to_add_documents(monkeypatch, no_login, ui_index):
    at = start(monkeypatch, ui_index)
    page = " ".join(texts(at.main))
    assert at.title[0].value == "Standards assistant"
    assert "Joint Due Diligence Standard" in page
    assert "Add or remove documents" in page
    # the official documents' pages are links, not a file path to look up
    assert "[Joint Due Diligence Standard for Copper, Lead, Molybdenum, Nickel and Zinc](https://coppermark.org/standards/jdds/)" in page
    assert "sources.toml" not in page
    assert at.pills[0].options  # example questions
    sidebar = " ".join(texts(at.sidebar))
    assert "Responsible Widget Sourcing Standard" in sidebar and "version 3.0" in sidebar and "8 pages" in sidebar


def test_chat_answer_with_source_card_and_follow_up(monkeypatch, no_login, ui_index):
    at = ask(start(monkeypatch, ui_index), QUESTION)
    assistant = at.chat_message[1]
    assert any("18 months" in t for t in texts(assistant))
    assert any("§5.2.3" in t and re.search(r"p\. \d+", t) for t in texts(assistant))
    assert at.status[0].label.startswith("Found ") and "passages" in at.status[0].label
    quote = next(c.quote for c in last_answer(at).citations if "18 months" in c.quote)
    assert any(quote in t for t in texts(assistant))  # the exact quote is on the card

    ask(at, "and how soon after a change of ownership?")
    follow_up = at.chat_message[3]
    assert any("30 days" in t for t in texts(follow_up))
    assert any("Follow-up read as" in t and "risk assessment" in t for t in texts(follow_up))
    # the first answer keeps its own citations after later turns and reruns
    assert any("§5.2.3" in t for t in texts(at.chat_message[1]))
    assert len(at.session_state["messages"]) == 4
    no_unsafe_html(at)


def test_view_page_shows_the_cited_pdf_page(monkeypatch, no_login, ui_index):
    at = ask(start(monkeypatch, ui_index), QUESTION)
    assert len(at.image) == 0
    at.toggle[0].set_value(True).run()
    assert not at.exception
    assert len(at.image) == 1


def test_declined_question_has_no_source_cards(monkeypatch, no_login, ui_index):
    at = ask(start(monkeypatch, ui_index), "What is the capital of France?")
    answer = last_answer(at)
    assert answer.abstained
    assistant = at.chat_message[1]
    assert plain(assistant.markdown[0].value).strip() == answer.text
    assert len(at.toggle) == 0 and "Sources" not in texts(assistant)
    assert [e.label for e in at.expander if e.label == "What was searched"]


def test_filters_limit_answers_to_a_document_or_a_version(monkeypatch, no_login, ui_index):
    at = start(monkeypatch, ui_index)
    at.multiselect(key="filter_docs").set_value(["widget-standard-v3"]).run()
    ask(at, QUESTION)
    cited = {c.doc_id for c in last_answer(at).citations}
    assert cited == {"widget-standard-v3"}
    assert any("· 3.0 ·" in t for t in texts(at.chat_message[1]))

    at.multiselect(key="filter_docs").set_value([]).run()
    at.multiselect(key="filter_versions").set_value(["2.1"]).run()
    ask(at, QUESTION)
    assert {c.doc_id for c in last_answer(at).citations} == {"widget-standard"}
    assert {h.chunk.version for h in last_answer(at).passages} == {"2.1"}


def test_document_text_with_script_and_markdown_is_shown_literally(monkeypatch, no_login, ui_index):
    at = ask(start(monkeypatch, ui_index), "How many years must the site keep the incident register?")
    assistant = at.chat_message[1]
    raw = " ".join(m.value for m in assistant.markdown)
    assert "<script>" not in raw and "\\<script\\>" in raw  # escaped, so shown as text
    assert "**twelve**" not in raw and "\\*\\*twelve\\*\\*" in raw
    assert "[link](javascript" not in raw and "\\[link\\]" in raw
    assert any("<script>alert(1)</script> on paper for **twelve** years" in t for t in texts(assistant))
    no_unsafe_html(at)
    # a text file has no pages to show: "View page" shows the cited passage, still as text
    msg = at.session_state["messages"][-1]
    n = next(c.n for c in msg["answer"].citations if c.doc_id == "hostile-notes")
    at.toggle(key=f"view-{msg['id']}-{n}").set_value(True).run()
    assert len(at.image) == 0
    assert any("has no printed pages" in t for t in texts(at.chat_message[1]))
    no_unsafe_html(at)


# ------------------------------------------------------------------ feedback and export


def test_feedback_thumbs_store_a_row(monkeypatch, no_login, ui_index):
    store = FeedbackStore(default_path(ui_index))
    before = len(store.rows())
    at = ask(start(monkeypatch, ui_index), QUESTION)
    at.feedback[0].set_value(1).run()
    assert not at.exception
    rows = store.rows()
    assert len(rows) == before + 1
    assert rows[-1].rating == "up" and rows[-1].question == QUESTION
    assert set(rows[-1].chunk_ids) == {c.chunk_id for c in last_answer(at).citations}


def test_export_markdown_and_docx(monkeypatch, no_login, ui_index):
    at = start(monkeypatch, ui_index)
    assert all(b.proto.disabled for b in at.download_button)  # nothing to export yet
    ask(at, QUESTION)
    assert [b.proto.disabled for b in at.download_button] == [False, False]
    turns = [m["answer"] for m in at.session_state["messages"] if m.get("answer")]
    quote = turns[0].citations[0].quote
    assert quote in conversation_markdown(turns)
    word = docx.Document(io.BytesIO(conversation_docx(turns)))
    assert any(quote in p.text for p in word.paragraphs)


def test_new_conversation_clears_the_chat(monkeypatch, no_login, ui_index):
    at = ask(start(monkeypatch, ui_index), QUESTION)
    next(b for b in at.button if b.label == "New conversation").click().run()
    assert at.session_state["messages"] == [] and len(at.chat_message) == 0


# ------------------------------------------------------------------ corpus management


@pytest.fixture
def own_index(tmp_path, sample_pdf):
    index = tmp_path / "index"
    assert make_assistant(index).ingest([sample_pdf.path])[0].status == "added"
    return index


def upload(at: AppTest, name: str, data: bytes, mime: str) -> AppTest:
    at.file_uploader[0].set_value((name, data, mime)).run()
    next(b for b in at.button if b.label == "Add to the index").click().run()
    assert not at.exception, at.exception
    return at


def test_html_saved_as_pdf_is_refused_and_the_index_is_unchanged(monkeypatch, no_login, own_index, tmp_path):
    before = index_state(make_assistant(own_index))
    fake = make_html_named_pdf(tmp_path / "standard.pdf").read_bytes()
    at = upload(start(monkeypatch, own_index), "standard.pdf", fake, "application/pdf")
    errors = " ".join(e.value for e in at.error)
    assert "standard.pdf is not a PDF" in plain(errors) and "web page" in errors
    assert index_state(make_assistant(own_index)) == before


def test_upload_adds_a_document_and_remove_needs_confirmation(monkeypatch, no_login, own_index):
    at = start(monkeypatch, own_index)
    upload(at, "site_policy.md", b"# Site policy\n\nVersion: 1.0\n\n## 1 Scope\n\nThe policy covers every smelter.\n", "text/markdown")
    assert any("site_policy.md added" in plain(s.value) for s in at.success)
    assert "site-policy" in {d.doc_id for d in make_assistant(own_index).documents()}
    assert any("Site policy" in t for t in texts(at.sidebar))

    at.selectbox[0].set_value("site-policy").run()
    next(b for b in at.button if b.label == "Remove…").click().run()
    assert "site-policy" in {d.doc_id for d in make_assistant(own_index).documents()}  # not yet
    assert any("Remove" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Yes, remove").click().run()
    assert not at.exception
    assert "site-policy" not in {d.doc_id for d in make_assistant(own_index).documents()}
    assert any("Removed Site policy" in plain(s.value) for s in at.success)
    # the outcome stays in view on the next rerun (the panel holding the buttons may close)
    at.run()
    assert any("Removed Site policy" in plain(s.value) for s in at.success)
    assert not any(e.label == "Add or remove documents" and "Removed" in " ".join(texts(e)) for e in at.expander)
    next(b for b in at.button if b.label == "Dismiss").click().run()
    assert not any("Removed Site policy" in plain(s.value) for s in at.success)


# ------------------------------------------------------------------ login


def login(at: AppTest, password: str) -> AppTest:
    at.text_input[0].input(password)
    next(b for b in at.button if b.label.startswith("Log in")).click().run()
    return at


def test_password_gates_the_app(monkeypatch, no_login, ui_index):
    monkeypatch.setenv("JDD_UI_PASSWORD", "open sesame")
    at = start(monkeypatch, ui_index)
    assert len(at.chat_input) == 0 and len(at.text_input) == 1
    login(at, "wrong")
    assert len(at.chat_input) == 0 and "not right" in at.error[0].value
    login(at, "open sesame")
    assert not at.exception
    assert len(at.chat_input) == 1
    assert len(at.file_uploader) == 1  # no admin password set: every user manages documents


def test_admin_password_is_needed_to_manage_documents(monkeypatch, no_login, ui_index):
    monkeypatch.setenv("JDD_UI_PASSWORD", "user-pass")
    monkeypatch.setenv("JDD_UI_ADMIN_PASSWORD", "admin-pass")
    at = login(start(monkeypatch, ui_index), "user-pass")
    assert len(at.chat_input) == 1 and len(at.file_uploader) == 0
    assert any("Only administrators" in c.value for c in at.caption)

    admin = login(start(monkeypatch, ui_index), "admin-pass")
    assert len(admin.chat_input) == 1 and len(admin.file_uploader) == 1


def test_oidc_login_when_secrets_have_an_auth_section(monkeypatch, no_login, ui_index):
    monkeypatch.setenv("JDD_INDEX_DIR", str(ui_index))
    at = AppTest.from_file(APP, default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
        "cookie_secret": "a-long-random-string-for-the-cookie",
        "client_id": "jdd-assistant",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in"] and len(at.chat_input) == 0
    at.user = {"is_logged_in": True, "email": "reader@example.org"}
    at.run()
    assert not at.exception and len(at.chat_input) == 1


# ------------------------------------------------------------------ upload checks


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("1 Scope")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data, problem",
    [
        ("standard.pdf", b"%PDF-1.7\n...", None),
        ("standard.pdf", b"<!DOCTYPE html><html><body>Sign in</body></html>", "web page"),
        ("standard.pdf", b"\x89PNG\r\n", "not a PDF"),
        ("guide.docx", docx_bytes(), None),
        ("guide.docx", b"PK\x03\x04not really a zip", "not a Word document"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "unsupported file type"),
        ("notes.txt", "Clause 5 — café".encode(), None),
        ("notes.txt", "Clause 5 caf\xe9".encode("latin-1"), "not UTF-8"),
        ("notes.md", b"%PDF-1.4 binary", "binary file"),
        ("page.html", b"<html><body><p>ok</p></body></html>", None),
        ("empty.txt", b"", "is empty"),
        ("big.txt", b"x" * 200_000, "big.txt is 195 KB; the limit is 98 KB"),
    ],
)
def test_uploads_are_checked_by_content(name, data, problem):
    found = check_upload(name, data, max_bytes=100_000)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found and found.startswith(safe_file_name(name))


def test_upload_names_lose_their_folders():
    assert safe_file_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_file_name("C:\\Users\\me\\JDD rev3.pdf") == "JDD rev3.pdf"
    assert safe_file_name("../pa\x07ss\r\nwd.md") == "passwd.md"  # control characters out
    assert safe_file_name(".hidden.md") == "hidden.md"


# ------------------------------------------------------------------ training page


def test_training_page_previews_and_offers_every_download(monkeypatch, no_login, ui_index):
    at = start(monkeypatch, ui_index)
    assert not at.exception  # the app holds the page in its navigation; render it on its own

    def page():
        import training_page

        from assistant.service import Assistant
        from assistant.settings import Settings

        assistant = Assistant(Settings())
        training_page.render(assistant, assistant.documents())

    page_test = AppTest.from_function(page, default_timeout=60)
    page_test.run()
    assert not page_test.exception, page_test.exception
    assert page_test.title[0].value == "Training and checklists"
    page_test.selectbox[0].set_value("widget-standard").run()
    frame = page_test.dataframe[0].value
    assert len(frame) > 20 and set(frame["strength"]) >= {"mandatory"}
    labels = [b.label for b in page_test.get("download_button")]
    assert labels.count("Markdown") == 2 and {"CSV", "Excel", "JSON", "Moodle (GIFT)", "Word"} <= set(labels)
    # filters: only recommendations
    page_test.multiselect[0].set_value(["recommended"]).run()
    assert set(page_test.dataframe[0].value["strength"]) == {"recommended"}
    # a section gives the study sheet
    page_test.text_input[0].set_value("5.2").run()
    assert not page_test.exception
    sheet = " ".join(plain(m.value) for m in page_test.markdown)
    assert "Study sheet" in sheet and "18 months" in sheet
    page_test.text_input[0].set_value("99.9").run()
    assert any("no section" in w.value for w in page_test.warning)


def test_evaluation_page_shows_the_latest_report_with_its_chart(monkeypatch, no_login, own_index, tmp_path):
    monkeypatch.setenv("JDD_INDEX_DIR", str(own_index))
    monkeypatch.setenv("JDD_UI_DIR", str(Path(APP).parent))

    def page():
        import os
        import sys

        sys.path.insert(0, os.environ["JDD_UI_DIR"])
        import evaluation_page

        from assistant.service import Assistant
        from assistant.settings import Settings

        evaluation_page.render(Assistant(Settings()), "admin")

    at = AppTest.from_function(page, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    assert any("No evaluation has been run" in i.value for i in at.info)
    assert any(e.label == "Run an evaluation" for e in at.expander)  # an admin may run one
    questions = tmp_path / "questions.jsonl"
    questions.write_text(
        '{"id": "q1", "question": "How often must the supplier risk assessment be updated?", "evidence_keywords": ["18 months"], "expected_sections": ["5.2.3"]}\n'
        '{"id": "q2", "question": "What is the price of a widget licence?", "kind": "unanswerable"}\n',
        encoding="utf-8",
    )
    make_assistant(own_index).evaluate(questions)  # what the page's Run button calls
    at.run()
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "Evaluation report" in shown and "| evidence_recall@5 | 1.000 |" in shown
    assert len(at.get("image")) == 1  # the chart
