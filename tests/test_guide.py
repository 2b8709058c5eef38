"""The starter guide: built PDF matches the Markdown, every page says it is unofficial, and
questions a new participant asks are answered from the right guide section."""

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import make_assistant

GUIDE_MD = Path(__file__).resolve().parent.parent / "corpus" / "guide" / "jdd_orientation_guide.md"
GUIDE_PDF = GUIDE_MD.with_suffix(".pdf")


@pytest.fixture(scope="module")
def guide(tmp_path_factory):
    assistant = make_assistant(tmp_path_factory.mktemp("guide-index"))
    (result,) = assistant.ingest([GUIDE_PDF])
    assert result.status == "added", result.error
    return assistant


def test_every_page_says_unofficial():
    for page in PdfReader(GUIDE_PDF).pages:
        assert "UNOFFICIAL orientation guide" in page.extract_text()


def test_every_markdown_section_is_a_section_of_the_pdf(guide):
    numbered = re.findall(r"^#{2,3} (\d+(?:\.\d+)?) ", GUIDE_MD.read_text(encoding="utf-8"), re.M)
    sections = {c.section for c in guide.store.chunks}
    parents_with_children = {n for n in numbered if any(m.startswith(n + ".") for m in numbered)}
    missing = [n for n in numbered if n not in sections and n not in parents_with_children]
    assert not missing


@pytest.mark.parametrize(
    "question, section, fact",
    [
        ("what is a CAHRA?", "14.3", "conflict-affected and high-risk"),
        ("which metals does the JDD cover nowadays?", "4.3", "molybdenum"),
        ("how long do we have to fix a partially met criterion?", "11.2", "12 months"),
        ("what are the five steps of the JDD?", "5", "Step 2"),
        ("What does section 9.3 say?", "9.3", "Track"),
        ("what's the latest version of the JDD?", "3.1", "rev. 3"),
    ],
)
def test_guide_answers_cite_the_right_section(guide, question, section, fact):
    answer = guide.ask(question)
    assert not answer.abstained, answer.text
    passages = {h.chunk.chunk_id: h.chunk.text for h in answer.passages}
    cited = [
        c
        for c in answer.citations
        if c.section == section
        or c.section.startswith(section + ".")
        or f"See section {section}." in passages.get(c.chunk_id, "")  # an FAQ entry pointing there
    ]
    assert cited, [c.section for c in answer.citations]
    assert any(fact.lower() in c.quote.lower() for c in answer.citations), answer.text
    assert all(c.source == GUIDE_PDF.name and c.page >= 1 for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    [
        "how do I reset my password?",
        "what are the exact Step 3 deadlines for reporting a risk to senior management?",
    ],
)
def test_guide_declines_what_it_does_not_say(guide, question):
    assert guide.ask(question).abstained
