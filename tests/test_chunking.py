import re

from assistant.chunking import chunk_document, parse_heading, split_sentences
from assistant.loaders import load_document
from assistant.types import Document, Page
from pdf_factory import GLOSSARY, TABLE_ROWS, TABLE_SECTION, make_standard_pdf, sample_clauses


def chunks_of(built):
    return chunk_document(load_document(built.path))


def test_every_clause_is_a_section_with_its_heading_and_page(sample_pdf):
    chunks = chunks_of(sample_pdf)
    sections = {c.section for c in chunks}
    for clause in sample_clauses():
        assert clause.section in sections, clause.section
        first = next(c for c in chunks if c.section == clause.section)
        assert first.text.startswith(clause.heading_line), first.text[:80]
        assert first.page_start == sample_pdf.clause_pages[clause.section]
        assert first.heading.endswith(clause.heading_line)


def test_heading_path_is_embedded_and_nested(sample_pdf):
    chunk = next(c for c in chunks_of(sample_pdf) if c.section == "5.2.3")
    assert chunk.heading == "5 Supplier management > 5.2 Supplier contracts > 5.2.3 Supplier risk assessment"
    assert chunk.embed_text.startswith(chunk.heading)


def test_sentences_are_never_cut_and_long_sections_split_with_overlap(sample_pdf):
    chunks = chunks_of(sample_pdf)
    for chunk in chunks:
        assert len(chunk.text) <= 1400 * 1.3
        assert re.search(r"[.:;!?)\w]$", chunk.text.strip())
    long = [c for c in chunks if c.section == "Step 2"]
    assert len(long) >= 2
    last_sentence = split_sentences(long[0].text.split("\n")[-1])[-1]
    assert long[1].text.startswith(last_sentence)  # one sentence of overlap


def test_table_is_kept_whole_in_one_chunk(sample_pdf):
    holders = [c for c in chunks_of(sample_pdf) if TABLE_ROWS[2][1] in c.text]
    assert len(holders) == 1 and holders[0].section == TABLE_SECTION
    for row in TABLE_ROWS:
        assert " ".join(row) in holders[0].text


def test_glossary_entries_are_their_own_chunks(sample_pdf):
    chunks = chunks_of(sample_pdf)
    for term, definition in GLOSSARY:
        entry = [c for c in chunks if c.heading.endswith("> " + term)]
        assert len(entry) == 1, term
        assert entry[0].text.startswith(f"{term}: {definition.split()[0]}")


def test_pages_inside_a_chunk_follow_the_page_breaks(sample_pdf):
    chunks = chunks_of(sample_pdf)
    crossing = [c for c in chunks if c.page_end > c.page_start]
    assert crossing
    for chunk in crossing:
        assert chunk.page_at(0) == chunk.page_start
        assert chunk.page_at(len(chunk.text) - 1) == chunk.page_end


def test_chunk_ids_are_stable(sample_pdf):
    first = [c.chunk_id for c in chunks_of(sample_pdf)]
    assert first == [c.chunk_id for c in chunks_of(sample_pdf)]
    assert len(set(first)) == len(first)
    assert all(cid.startswith("widget-standard:2-1:") for cid in first)


def test_heading_recognition():
    assert parse_heading("5.2.3 Supplier risk assessment").section == "5.2.3"
    assert parse_heading("V6.2.1 Grievance records").section == "V6.2.1"
    assert parse_heading("Annex II: Copper Industry Key Facts").section == "Annex II"
    assert parse_heading("Appendix C Audit evidence").section == "Appendix C"
    assert parse_heading("Step 2 Criteria: Red Flags Identification").section == "Step 2"
    assert parse_heading("5.2 Step 2 Criteria: Red Flags Identification").section == "5.2"
    assert parse_heading("GLOSSARY").title == "GLOSSARY"
    # body text, contents lines and list items are not headings
    assert parse_heading("Step 2 requires the site to identify risks.") is None
    assert parse_heading("5.2 Step 2 Criteria: Red Flags Identification and Risk Assessment ........ 18") is None
    assert parse_heading("5.1 Step 1 Criteria: Management System 13") is None
    assert parse_heading("12 months after the assessment the site shall report.") is None
    assert parse_heading("2. The supplier shall keep records of every shipment it receives.") is None
    # a requirement-table row ends in its level marks, perhaps then a reference column
    assert parse_heading("3.1 Application uses a repeatable build \u2713 \u2713 \u2713") is None
    assert parse_heading("1.1.2 Verify the use of threat modeling \u2713 \u2713 1053") is None
    assert parse_heading("V2: Software Bill of Materials (SBOM) Requirements").section == "V2"


def test_requirement_rows_do_not_hide_the_next_chapter_heading():
    rows = "\n".join(f"1.{i} Component rule number {i} holds \u2713 \u2713" for i in range(1, 6))
    text = f"V1: Inventory Requirements\nVerification Requirements\n# Description L1 L2\n{rows}\nV2: Bill of Materials Requirements\nControl Objective\nBills are machine readable."
    doc = Document("d", "D", "1", "d.pdf", (Page(1, text),), format="pdf")
    chunks = chunk_document(doc)
    assert [c.section for c in chunks][-1] == "V2" and "Bills are machine readable." in chunks[-1].text
    assert all(c.section in ("V1", "V2") for c in chunks)
    # the table's header row stays on a line of its own, even right after a sentence
    glued = "V1: Storage Requirements\nKeep data safe.\n# ID Description L1 L2\n1.1 Keys are kept in the key store. \u2713 \u2713"
    text = chunk_document(Document("d", "D", "1", "d.pdf", (Page(1, glued),), format="pdf"))[0].text
    assert "Keep data safe.\n# ID Description L1 L2\n" in text


def test_table_of_contents_does_not_swallow_the_body():
    toc = "Contents\n1 Overview 3\n2 Scope 4\n2.1 Companies 4\n3 Steps 6"
    body1 = "1 Overview\nThe standard sets requirements for due diligence.\n2 Scope\nIt applies to refiners."
    body2 = "2.1 Companies\nCompanies that trade metal are covered.\n3 Steps\nThere are five steps."
    doc = Document("d", "T", "1", "d.txt", (Page(1, toc), Page(2, body1), Page(3, body2)), format="txt")
    chunks = chunk_document(doc)
    by_section = {c.section: c for c in chunks}
    assert by_section["2.1"].page_start == 3 and "trade metal" in by_section["2.1"].text
    assert by_section["1"].page_start == 2


def test_numbering_restarts_inside_an_annex_and_resumes_after():
    text = (
        "1 Scope\nThe scope is wide.\n2 Rules\nRules apply.\nAnnex I Examples\nSome examples follow.\n"
        "1 First example\nAn example of a rule.\n3 Glossary\nWidget: A small part."
    )
    chunks = chunk_document(Document("d", "T", "1", "d.txt", (Page(1, text),), format="txt"))
    paths = {c.heading for c in chunks}
    assert "Annex I Examples > 1 First example" in paths
    assert any(p.startswith("3 Glossary") for p in paths)


def test_markdown_headings_only_from_hashes():
    text = "# Guide\n\n## 4 Scope\n\n1. The first item.\n2. The second item.\n\n### 4.1 Companies\n\nText here."
    chunks = chunk_document(Document("g", "Guide", "1", "g.md", (Page(1, text),), format="md"))
    assert [c.section for c in chunks] == ["4", "4.1"]
    assert "1. The first item." in chunks[0].text


def test_sentence_splitter_keeps_abbreviations_and_numbers():
    text = "See e.g. clause 5.2.3 of the JDD rev. 3 for details. The site shall act within 30 days. Done."
    assert split_sentences(text) == [
        "See e.g. clause 5.2.3 of the JDD rev. 3 for details.",
        "The site shall act within 30 days.",
        "Done.",
    ]


def test_a_short_list_stays_with_its_introduction_when_a_section_splits():
    filler = " ".join(f"Sentence number {i} explains one more general point about widget sourcing." for i in range(7))
    items = "\n".join(f"{c}) the supplier shall keep record type {c} for audits;" for c in "abcde")
    text = f"1 Scope\n{filler}\nThe records are as follows:\n{items}\n{filler}"
    chunks = chunk_document(Document("d", "T", "1", "d.txt", (Page(1, text),), format="txt"), max_chars=700)
    assert len(chunks) >= 2
    holders = [c for c in chunks if "record type a" in c.text]
    assert len(holders) == 1
    assert "The records are as follows:" in holders[0].text and "record type e" in holders[0].text


def test_an_unnumbered_heading_printed_like_a_numbered_one_is_its_sibling():
    # inside an annex, "Application Requirements" is set in the style of "10 Transitional provisions":
    # it ends section 10 instead of becoming a part of it; what an annex section holds keeps its id
    text = (
        "Annex I Standard\nGeneral requirements\nThe standard follows.\n1 Scope\nThe scope is wide.\n"
        "Drafting conventions\nTerms are used as defined.\n"
        "10 Transitional provisions\nSome rules apply later.\nApplication Requirements\n"
        "Severity\nAR 1. Severity is judged by scale, scope and remedy."
    )
    styled = (
        ("Annex I Standard", 1), ("General requirements", 2), ("1 Scope", 3), ("Drafting conventions", 4),
        ("10 Transitional provisions", 3), ("Application Requirements", 3), ("Severity", 4),
    )
    chunks = chunk_document(Document("d", "T", "1", "d.pdf", (Page(1, text, styled),), format="pdf"))
    last = chunks[-1]
    assert "AR 1." in last.text and last.section == "Annex I"
    assert last.heading.endswith("> Application Requirements > Severity") and "Transitional" not in last.heading
    ruled = next(c for c in chunks if "used as defined" in c.text)
    assert ruled.section == "Annex I.1"  # under "1 Scope" of the annex, not "1"
