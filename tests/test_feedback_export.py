"""Feedback store, conversation export, and rendering a cited PDF page with its quote highlighted."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone

import docx
import numpy as np
import pypdf
import pytest

from assistant.errors import AssistantError
from assistant.export import conversation_docx, conversation_markdown, escape_markdown
from assistant.feedback import FeedbackStore, default_path, export_csv
from assistant.pages import find_spans, render_page
from assistant.types import Answer, Citation

QUESTION = "How often must the supplier risk assessment be updated?"
LONG_QUOTE = (
    "The supplier risk assessment shall be updated at least once every 18 months. In addition, it "
    "shall be updated within 30 days of any change in the ownership of the supplier, any new sourcing "
    "country disclosed by the supplier, or any credible allegation of serious harm reported in the media."
)


# ------------------------------------------------------------------ feedback


def test_feedback_rows_and_csv(tmp_path):
    store = FeedbackStore(default_path(tmp_path / "index"))
    assert store.rows() == [] and not store.path.exists()  # reading does not create the file
    first = store.record("q1", "answer one [1]", ["doc:1", "doc:2"], 1)
    store.record("q2", "answer, with \"quotes\"\nand a line", [], 0, created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    store.record("q3", "answer three", ["doc:3"], "down")
    rows = store.rows()
    assert [r.id for r in rows][0] == first
    assert [(r.question, r.rating) for r in rows] == [("q1", "up"), ("q2", "down"), ("q3", "down")]
    assert rows[0].chunk_ids == ("doc:1", "doc:2")
    assert rows[1].created_at == "2026-01-02T03:04:05+00:00"

    out = tmp_path / "feedback.csv"
    assert export_csv(store.path, out) == 3
    with open(out, newline="", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [r["rating"] for r in table] == ["up", "down", "down"]
    assert table[1]["answer"] == "answer, with \"quotes\"\nand a line"
    assert table[0]["chunk_ids"] == "doc:1 doc:2"


def test_feedback_export_without_any_feedback_writes_a_header(tmp_path):
    out = io.StringIO()
    assert export_csv(tmp_path / "none.sqlite", out) == 0
    assert out.getvalue().strip() == "id,created_at,rating,question,answer,chunk_ids"
    assert not (tmp_path / "none.sqlite").exists()


def test_feedback_rejects_unknown_ratings(tmp_path):
    with pytest.raises(ValueError):
        FeedbackStore(tmp_path / "f.sqlite").record("q", "a", [], 3)


def test_feedback_in_an_unwritable_place_is_a_readable_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(AssistantError, match="feedback"):
        FeedbackStore(blocker / "feedback.sqlite").record("q", "a", [], 1)


# ------------------------------------------------------------------ export


@pytest.fixture(scope="module")
def turns(indexed):
    first = indexed.ask(QUESTION)
    follow_up = indexed.ask("and how soon after a change of ownership?", history=[QUESTION])
    declined = indexed.ask("What is the capital of France?")
    assert not first.abstained and declined.abstained
    return [first, follow_up, declined]


def test_markdown_export_lists_numbered_sources_with_quotes(turns):
    text = conversation_markdown(turns)
    assert text.startswith("# Conversation with the standards assistant")
    assert f"## 1. {QUESTION}" in text
    for c in turns[0].citations + turns[1].citations:
        assert c.quote in text
        line = f"{c.title} ({c.version}), section {c.section}, page {c.page} [{c.source}]"
        assert f"{c.n}. {escape_markdown(line, readable=True)}" in text
        assert "widget\\_standard.pdf" in text  # file names are untrusted text too
    assert "## 3. What is the capital of France?" in text
    declined_part = text.split("## 3.")[1]
    assert "do not cover" in declined_part and "Sources" not in declined_part


def test_docx_export_opens_with_python_docx(turns):
    document = docx.Document(io.BytesIO(conversation_docx(turns)))
    paragraphs = [p.text for p in document.paragraphs]
    assert f"1. {QUESTION}" in paragraphs
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes and all(q in " ".join(paragraphs) for q in quotes)
    assert turns[0].citations[0].quote in quotes
    assert any(p.startswith("[1] ") and "section 5.2.3" in p for p in paragraphs)


def hostile_answer() -> Answer:
    quote = "Keep <script>alert(1)</script> for **twelve** years, see [link](javascript:alert(2)).\x07"
    citation = Citation(1, "h:1", "h", "Hostile <b>notes</b>", "0.1", "h.txt", 1, "1", "1 Scripts", quote)
    return Answer(question="<img src=x onerror=alert(3)>?", text=quote + " [1]", citations=(citation,))


def test_exports_keep_untrusted_text_inert():
    text = conversation_markdown([hostile_answer()])
    assert "\\<script\\>" in text and "\\<img src" in text
    assert not re.search(r"(?<!\\)[<>\[\]]", text.replace("# ", "").replace("\n   > ", "\n"))  # all escaped
    assert "**twelve**" not in text and "[link](" not in text and "\x07" not in text
    document = docx.Document(io.BytesIO(conversation_docx([hostile_answer()])))
    assert any("<script>alert(1)</script>" in p.text for p in document.paragraphs)  # Word shows text as is


def test_escape_markdown_makes_syntax_literal():
    assert escape_markdown("**x** <b>") == "\\*\\*x\\*\\* \\<b\\>"
    assert escape_markdown("1. first") == "1\\. first"
    assert escape_markdown("- item\nnext") == "\\- item next"
    assert escape_markdown("$5 :red[x]") == "\\$5 \\:red\\[x\\]"
    assert escape_markdown("Clause 5.2.3 (a)") == "Clause 5.2.3 (a)"


# ------------------------------------------------------------------ pages


def pixels(image) -> np.ndarray:
    return np.asarray(image.convert("RGB"), dtype=np.int16)


def test_render_page_and_highlight_the_quote(sample_pdf):
    page = sample_pdf.clause_pages["5.2.3"]
    plain = render_page(sample_pdf.path, page, None, scale=1.0)
    assert plain.mode == "RGB" and abs(plain.size[0] - 595) <= 1 and abs(plain.size[1] - 842) <= 1
    marked = render_page(sample_pdf.path, page, LONG_QUOTE, scale=1.0)
    changed = np.any(pixels(plain) != pixels(marked), axis=2)
    assert changed.sum() > 5000  # several lines of text covered
    rows = np.nonzero(changed.any(axis=1))[0]
    assert 40 < rows.max() - rows.min() < 120  # four lines, not the whole page
    yellowish = pixels(marked)[changed]
    assert (yellowish[:, 0] > yellowish[:, 2]).mean() > 0.9  # red above blue: yellow tint


def test_quote_not_on_the_page_changes_nothing(sample_pdf):
    plain = render_page(sample_pdf.path, 1, None, scale=0.5)
    same = render_page(sample_pdf.path, 1, "A sentence that this standard never prints anywhere.", scale=0.5)
    assert np.array_equal(pixels(plain), pixels(same))


def test_find_spans_tolerates_spacing_and_partial_quotes():
    letters = "thesiteshallkeeprecordsforsevenyearsrecordsshallbelegible"
    assert find_spans(letters, "The site shall keep\nrecords for seven-\nyears.") == [(0, 36)]
    # the second sentence runs on to another page: its opening words are still found
    spans = find_spans(letters, "The site shall keep records. Records shall be legible and dated by the clerk.")
    assert spans == [(0, 23), (36, len(letters))]
    assert find_spans(letters, "") == []


def test_rotated_page_is_shown_upright_with_its_highlight(sample_pdf, tmp_path):
    reader = pypdf.PdfReader(sample_pdf.path)
    writer = pypdf.PdfWriter()
    writer.add_page(reader.pages[sample_pdf.clause_pages["5.2.3"] - 1]).rotate(90)
    rotated = tmp_path / "rotated.pdf"
    with open(rotated, "wb") as handle:
        writer.write(handle)
    plain = render_page(rotated, 1, None, scale=1.0)
    marked = render_page(rotated, 1, LONG_QUOTE, scale=1.0)
    assert plain.size[0] > plain.size[1]  # landscape, as a viewer shows it
    changed = np.any(pixels(plain) != pixels(marked), axis=2)
    columns = np.nonzero(changed.any(axis=0))[0]
    assert changed.sum() > 5000 and 40 < columns.max() - columns.min() < 120  # lines run top to bottom now


def test_bad_page_or_file_is_a_readable_error(sample_pdf, tmp_path):
    with pytest.raises(AssistantError, match="no page 99"):
        render_page(sample_pdf.path, 99, None)
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("<html>not a pdf</html>")
    with pytest.raises(AssistantError, match="could not open notes.pdf"):
        render_page(not_pdf, 1, None)


def test_cli_exports_feedback_as_csv(tmp_path, capsys):
    import csv

    from assistant.cli import main
    from assistant.feedback import FeedbackStore, default_path

    index = tmp_path / "index"
    assert main(["--index", str(index), "feedback", "export"]) == 1
    assert "no feedback recorded yet" in capsys.readouterr().err
    index.mkdir()
    store = FeedbackStore(default_path(index))
    store.record("How long are records kept?", "Seven years [1]", ["doc:1:00007"], "up")
    store.record("Who signs the policy?", "The chief executive [1]", ["doc:1:00005"], 0)
    out = tmp_path / "feedback.csv"
    assert main(["--index", str(index), "feedback", "export", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["question"] for r in rows] == ["How long are records kept?", "Who signs the policy?"]
    assert "wrote 2 feedback rows" in capsys.readouterr().out
