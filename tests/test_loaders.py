from pathlib import Path

import pytest

from assistant.errors import EncryptedPdfError, LoadError, NoTextLayerError
from assistant.loaders import load_document, looks_run_together
from pdf_factory import (
    make_encrypted_pdf,
    make_html_named_pdf,
    make_image_only_pdf,
    make_run_together_pdf,
    make_standard_pdf,
    make_truncated_pdf,
)


def test_pdf_pages_are_one_based_and_running_lines_are_removed(sample_pdf):
    doc = load_document(sample_pdf.path)
    assert [p.number for p in doc.pages] == list(range(1, sample_pdf.pages + 1))
    for page in doc.pages:
        assert "Page " not in page.text.split("\n")[-1]
        assert f"{sample_pdf.title} - Version" not in page.text
    page_of_523 = sample_pdf.clause_pages["5.2.3"]
    assert "5.2.3 Supplier risk assessment" in doc.pages[page_of_523 - 1].text


def test_title_and_version_come_from_metadata_or_overrides(sample_pdf):
    doc = load_document(sample_pdf.path)
    assert doc.title == sample_pdf.title
    assert doc.version == sample_pdf.version
    assert doc.doc_id == "widget-standard"
    doc = load_document(sample_pdf.path, title="My copy", version="rev. 9", doc_id="Mine")
    assert (doc.title, doc.version, doc.doc_id) == ("My copy", "rev. 9", "mine")


def test_version_from_first_page_then_file_name(tmp_path):
    built = make_standard_pdf(tmp_path / "standard_v3.2.pdf", version="4.0", set_metadata=False, running_header=False)
    assert load_document(built.path).version == "4.0"  # printed on the first page
    path = tmp_path / "code_of_practice_rev.7.txt"
    path.write_text("Code of practice\n\n1 Scope\nThis code covers widgets.", encoding="utf-8")
    assert load_document(path).version == "rev. 7"


def test_run_together_pages_are_reextracted_with_pdfium(tmp_path):
    built = make_run_together_pdf(tmp_path / "glued.pdf")
    from pypdf import PdfReader

    assert looks_run_together(PdfReader(built.path).pages[0].extract_text())
    doc = load_document(built.path)
    assert not any(looks_run_together(p.text) for p in doc.pages)
    assert "the application shall verify" in doc.pages[0].text.lower().replace("\n", " ")


@pytest.mark.parametrize(
    "maker, error, message",
    [
        (lambda p: p.write_bytes(b"") or p, LoadError, "empty"),
        (lambda p: make_encrypted_pdf(p), EncryptedPdfError, "encrypted"),
        (lambda p: make_image_only_pdf(p), NoTextLayerError, "no text layer (scanned?)"),
        (lambda p: make_html_named_pdf(p), LoadError, "is an HTML page"),
    ],
)
def test_bad_pdfs_have_clear_messages(tmp_path, maker, error, message):
    path = tmp_path / "bad.pdf"
    maker(path)
    with pytest.raises(error) as caught:
        load_document(path)
    assert message in str(caught.value)
    assert "bad.pdf" in str(caught.value)


def test_truncated_pdf(tmp_path, sample_pdf):
    path = make_truncated_pdf(sample_pdf.path, tmp_path / "cut.pdf")
    with pytest.raises(LoadError, match="truncated or damaged"):
        load_document(path)


def test_non_utf8_text_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("Caf\u00e9 r\u00e8gles".encode("latin-1"))
    with pytest.raises(LoadError, match="not UTF-8"):
        load_document(path)


def test_markdown_html_text_and_docx(tmp_path):
    md = tmp_path / "guide.md"
    md.write_text("# Guide v1.2\n\n## 1 Scope\n\nThe **guide** covers [widgets](https://example.org).\n", encoding="utf-8")
    doc = load_document(md)
    assert doc.format == "md" and doc.version == "1.2"
    assert "widgets (https://example.org)" in doc.pages[0].text and "**" not in doc.pages[0].text

    html = tmp_path / "page.html"
    html.write_text(
        "<html><head><title>Policy page</title><script>alert(1)</script></head>"
        "<body><h2>3.1 Policy</h2><p>The site shall adopt a policy.</p></body></html>",
        encoding="utf-8",
    )
    doc = load_document(html)
    assert doc.title == "Policy page"
    assert "## 3.1 Policy" in doc.pages[0].text and "alert" not in doc.pages[0].text

    txt = tmp_path / "plain.txt"
    txt.write_text("First page\fSecond page", encoding="utf-8")
    assert [p.number for p in load_document(txt).pages] == [1, 2]

    import docx

    d = docx.Document()
    d.add_heading("Widget rules", level=1)
    d.add_heading("2.1 Records", level=2)
    d.add_paragraph("Records shall be kept for seven years.")
    d.add_page_break()
    d.add_paragraph("Second page text.")
    d.save(tmp_path / "rules.docx")
    doc = load_document(tmp_path / "rules.docx")
    assert doc.format == "docx" and len(doc.pages) == 2
    assert "## 2.1 Records" in doc.pages[0].text


def test_unsupported_suffix(tmp_path):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(LoadError, match="unsupported file type"):
        load_document(path)
