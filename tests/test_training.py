"""Trainer and supplier tools on generated PDFs: the requirement checklist of a requirements
table (ids, levels, pages, each once) and of a clause-numbered standard, in every format."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook

from assistant.cli import main
from assistant.text import strength
from conftest import index_state, make_assistant
from pdf_factory import REQUIREMENT_SECTIONS


@pytest.fixture(scope="module")
def requirements(app_standard):
    return app_standard


def _passage_holds(assistant, doc_id: str, text: str) -> bool:
    flat = " ".join(text.split())
    return any(flat in " ".join(c.text.split()) for c in assistant.document_chunks(doc_id)[1])


def test_every_numbered_requirement_appears_once_with_its_id_level_and_page(requirements):
    rows = requirements.checklist("app-standard")
    expected = {number: (ident, marks, page) for page, (_, _, table) in enumerate(REQUIREMENT_SECTIONS, start=2) for number, ident, _, marks in table}
    numbered = [r for r in rows if r.clause in expected]
    assert sorted(r.clause for r in numbered) == sorted(expected)  # each once
    for r in numbered:
        ident, marks, page = expected[r.clause]
        assert ident in r.text and r.strength == "mandatory" and r.page == page
        assert r.level == ("L1, L2" if marks == 2 else "L2")
    wrapped = next(r for r in numbered if r.clause == "1.3")
    assert wrapped.text.endswith("on every platform the app supports.")  # a row broken over lines stays one
    # every row quotes a passage of the document
    assert all(_passage_holds(requirements, "app-standard", r.text) for r in rows)


def test_prose_outside_the_numbered_parts_is_no_requirement_and_strength_follows_the_modal(requirements):
    rows = requirements.checklist("app-standard")
    texts = " ".join(r.text for r in rows)
    assert "Foreword" not in texts and "enjoy this text" not in texts
    objective = next(r for r in rows if r.text.startswith("Apps should pin"))
    assert (objective.clause, objective.strength, objective.level) == ("V2", "recommended", "")
    only_v2 = requirements.checklist("app-standard", "V2")
    assert {r.clause for r in only_v2} == {"V2", "2.1", "2.2"}


@pytest.mark.parametrize(
    "text, kind",
    [
        ("The site shall keep records.", "mandatory"),
        ("1.1 REQ-1 Verify that keys are stored in the key store.", "mandatory"),
        ("Suppliers are required to sign the code.", "mandatory"),
        ("The report should be shared.", "recommended"),
        ("Records may be kept on paper.", "permitted"),
        ("What must a site do first?", ""),  # a question states no requirement
        ("Requirements are written with the word shall.", ""),  # the word named, not used
        ("The required documents are listed in the annex.", ""),  # an adjective, not an obligation
    ],
)
def test_the_strength_of_a_statement(text, kind):
    assert strength(text) == kind


def test_a_document_writing_key_words_in_capitals_obliges_only_with_them():
    assert strength("Data may leak to backups.", key_words=True) == ""
    assert strength("The verifier MAY permit it.", key_words=True) == "permitted"
    assert strength("Verifiers SHALL NOT impose rules.", key_words=True) == "mandatory"


def test_a_clause_numbered_standard_gives_each_statement_once_with_its_clause(indexed):
    rows = indexed.checklist("widget-standard")
    assert rows and all(r.clause for r in rows)
    assert len({" ".join(r.text.lower().split()) for r in rows}) == len(rows)  # repeats merged
    assert all(_passage_holds(indexed, "widget-standard", r.text) for r in rows)
    review = next(r for r in rows if "every 18 months" in r.text)
    assert review.clause == "5.2.3" and review.strength == "mandatory"


def test_list_items_stay_with_the_statement_introducing_them(tmp_path):
    doc = tmp_path / "battery_rules.md"
    doc.write_text(
        "# Battery rules\n\n## 4 Recycled content\n\n"
        "From 2030, every battery model shall contain at least the following shares of recycled metal:\n\n"
        "(a) 16 % cobalt;\n\n(b) 85 % lead;\n\n(c) 6 % lithium.\n\n"
        "Further measures may be used. These include:\n\n- a camera at the door;\n- a weekly check that the site must log.\n",
        encoding="utf-8",
    )
    assistant = make_assistant(tmp_path / "index")
    assistant.ingest([doc])
    rows = assistant.checklist("battery-rules")
    shares = next(r for r in rows if r.text.startswith("From 2030"))
    assert re.search(r"following shares of recycled metal:\n\(a\) 16 % cobalt;\n\(b\) 85 % lead;\n\(c\) 6 % lithium\.$", shares.text)
    assert not any(r.text.startswith("(b)") for r in rows)  # an item is not a requirement of its own
    # items of a list that no requirement introduces are read on their own
    assert any(r.text == "- a weekly check that the site must log." for r in rows)


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "xlsx"])
def test_the_checklist_command_writes_every_format(requirements, tmp_path, capsys, fmt):
    out = tmp_path / f"checklist.{fmt}"
    index = str(requirements.settings.index_dir)
    assert main(["--index", index, "checklist", "app-standard", "--format", fmt, "--out", str(out)]) == 0
    expected = requirements.checklist("app-standard")
    if fmt == "json":
        assert json.loads(out.read_text()) == [r.to_json() for r in expected]
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        assert [(r["clause"], r["level"], r["text"]) for r in rows] == [(r.clause, r.level, r.text) for r in expected]
    elif fmt == "xlsx":
        sheet = load_workbook(out).active
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][:3] == ("done", "doc_id", "clause") and len(values) == len(expected) + 1
        assert values[1][2] == expected[0].clause and values[1][6] == expected[0].page
    else:
        text = out.read_text()
        assert text.startswith("# Checklist: Example App Verification Standard")
        assert text.count("| [ ] |") == len(expected) and "| 1.3 | L2 | mandatory |" in text


def test_checklist_bad_input_says_so_and_changes_nothing(requirements, capsys):
    index = str(requirements.settings.index_dir)
    before = index_state(make_assistant(requirements.settings.index_dir))
    for args, message in [
        (["checklist", "nope"], "no document 'nope'"),
        (["checklist", "app-standard", "--section", "V9"], "has no section 'V9'"),
        (["checklist", "app-standard", "--format", "xlsx"], "give --out FILE"),
        (["checklist", "app-standard", "--out", "/no/such/folder/x.md"], "does not exist"),
    ]:
        assert main(["--index", index, *args]) == 1
        assert message in capsys.readouterr().err
    assert index_state(make_assistant(requirements.settings.index_dir)) == before


# ------------------------------------------------------------------ glossary


def test_a_term_is_defined_by_its_glossary_entry_quoted_whole_and_cited(indexed, sample_pdf):
    from pdf_factory import GLOSSARY, glossary_section_id

    definition = dict(GLOSSARY)["Red flag"]
    for spelling in ("red flag", "Red-flags", "RED FLAG?"):
        answer = indexed.define(spelling)
        assert not answer.abstained and answer.answerer == "glossary"
        [citation] = answer.citations
        assert " ".join(citation.quote.split()) == f"Red flag: {definition}"
        assert citation.page == sample_pdf.clause_pages[glossary_section_id()] and answer.text.endswith("[1]")


def test_a_term_only_the_text_defines_is_found_where_it_is_coined(tmp_path):
    doc = tmp_path / "passport_rules.md"
    doc.write_text(
        "# Passport rules\n\n## 1 Scope\n\nThese rules apply to every battery placed on the market.\n\n"
        "## 2 Records\n\nEach battery shall have an electronic record ('battery passport'). "
        "The battery passport shall hold the model and the plant.\n",
        encoding="utf-8",
    )
    assistant = make_assistant(tmp_path / "index")
    assistant.ingest([doc])
    answer = assistant.define("battery passport")
    assert answer.citations[0].quote == "Each battery shall have an electronic record ('battery passport')."
    assert answer.citations[0].section == "2"


def test_a_term_no_document_defines_is_declined_with_the_closest_passages(indexed, capsys):
    answer = indexed.define("unicorn")
    assert answer.abstained and "do not define \u201cunicorn\u201d" in answer.text and answer.passages
    assert main(["--index", str(indexed.settings.index_dir), "define", "red", "flag", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answerer"] == "glossary" and data["citations"][0]["quote"].startswith("Red flag:")
    assert main(["--index", str(indexed.settings.index_dir), "define", " ?? "]) == 1
    assert "give a term to define" in capsys.readouterr().err


# ------------------------------------------------------------------ quiz


def parse_gift(text: str) -> list[dict]:
    """A strict reader of the GIFT subset Moodle imports: "::title:: before {answers} after",
    answers "=right" / "~wrong" tokens and "####feedback", special characters escaped."""
    items = []
    for block in [b for b in text.split("\n\n") if b.strip() and not b.lstrip().startswith(("//", "$CATEGORY"))]:
        m = re.fullmatch(r"::(?P<title>(?:[^:\\]|\\.)+)::(?P<before>(?:[^{}\\]|\\.)*)\{(?P<answers>(?:[^{}\\]|\\.)*)\}(?P<after>(?:[^{}\\]|\\.)*)", block.strip())
        assert m, f"not GIFT: {block!r}"
        body, _, feedback = re.split(r"(?<!\\)(####)", m.group("answers"), maxsplit=1) if "####" in m.group("answers") else (m.group("answers"), "", "")
        tokens = re.findall(r"(?<!\\)([=~])((?:[^=~\\]|\\.)*)", body)
        unescape = lambda s: re.sub(r"\\(.)", r"\1", s).strip()  # noqa: E731
        items.append({
            "right": [unescape(t) for k, t in tokens if k == "="],
            "wrong": [unescape(t) for k, t in tokens if k == "~"],
            "before": unescape(m.group("before")), "after": unescape(m.group("after")), "feedback": unescape(feedback),
        })
    return items


def test_quiz_items_quote_their_answer_and_have_one_right_option_that_is_not_given_away(indexed):
    from assistant.questions import value_key
    from assistant.training import BLANK

    items = indexed.quiz("widget-standard", n=8)
    assert len(items) == 8 and any(i.kind == "choice" for i in items)
    for item in items:
        assert item.answer in item.quote  # the answer key's evidence holds it
        assert _passage_holds(indexed, "widget-standard", item.quote)
        assert item.question.count(BLANK) == 1 and item.question.replace(BLANK, item.answer) == " ".join(item.quote.split())
        assert value_key(item.answer) not in {value_key(o) for o in item.options if o != item.answer}
        rest = item.question.replace(BLANK, " ")
        assert all(o not in rest for o in item.options)  # no option is given away by the question
        if item.kind == "choice":
            assert len(item.options) == 4 and len({value_key(o) for o in item.options}) == 4 and item.options.count(item.answer) == 1
    assert indexed.quiz("widget-standard", n=8) == items  # the same quiz every time


@pytest.mark.parametrize("fmt", ["md", "json", "gift", "docx"])
def test_the_quiz_command_writes_every_format(indexed, tmp_path, fmt):
    out = tmp_path / f"quiz.{fmt}"
    assert main(["--index", str(indexed.settings.index_dir), "quiz", "widget-standard", "--n", "5", "--format", fmt, "--out", str(out)]) == 0
    items = indexed.quiz("widget-standard", n=5)
    if fmt == "json":
        assert json.loads(out.read_text()) == [i.to_json() for i in items]
    elif fmt == "gift":
        parsed = parse_gift(out.read_text())
        assert len(parsed) == len(items)
        for item, q in zip(items, parsed):
            assert q["right"] == [item.answer] and sorted(q["wrong"]) == sorted(o for o in item.options if o != item.answer)
            assert f"{q['before']} {item.answer} {q['after']}".replace(" ,", ",").replace(" .", ".").strip() == " ".join(item.quote.split())
            assert f"page {item.page}" in q["feedback"]
    elif fmt == "docx":
        from docx import Document

        text = "\n".join(p.text for p in Document(out).paragraphs)
        assert all(item.question in text and item.answer in text for item in items) and "Answer key" in text
    else:
        text = out.read_text()
        assert text.count("\n## Answer key") == 1 and text.count("**") == 2 * len(items)


def test_quiz_bad_input_says_so(indexed, capsys):
    index = str(indexed.settings.index_dir)
    for args, message in [
        (["quiz", "widget-standard", "--n", "0"], "between 1 and 200"),
        (["quiz", "widget-standard", "--format", "docx"], "give --out FILE"),
        (["quiz", "nope"], "no document 'nope'"),
    ]:
        assert main(["--index", index, *args]) == 1
        assert message in capsys.readouterr().err


# ------------------------------------------------------------------ study sheet


def test_a_study_sheet_quotes_key_points_terms_and_checklist_of_its_section(indexed, tmp_path):
    sheet = indexed.study_sheet("widget-standard", "4")
    assert sheet.points and sheet.title.endswith("section 4")
    for point in sheet.points:
        assert _passage_holds(indexed, "widget-standard", point.text) and point.clause.startswith(("4", "Step"))
    terms = dict(sheet.terms)
    assert "Red flag" in terms and terms["Red flag"].text.startswith("Red flag:")
    assert list(sheet.checklist) == indexed.checklist("widget-standard", "4")
    # the requirements with a value come first among the key points
    assert any("within 120 days" in p.text for p in sheet.points)

    out = tmp_path / "sheet.docx"
    assert main(["--index", str(indexed.settings.index_dir), "study-sheet", "widget-standard", "--section", "4", "--format", "docx", "--out", str(out)]) == 0
    from docx import Document

    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "Key points" in text and "Terms used" in text and sheet.points[0].text in text


def test_a_study_sheet_needs_a_section(indexed, capsys):
    assert main(["--index", str(indexed.settings.index_dir), "study-sheet", "widget-standard", "--section", " "]) == 1
    assert "give the section" in capsys.readouterr().err


@pytest.mark.parametrize(
    "sentence, actor",
    [
        ("The verifier SHALL limit attempts.", "verifier"),
        ("Each site shall keep records.", "site"),
        ("Member States shall ensure that producers register.", "Member States"),
        ("It shall be reviewed every year.", None),  # a pronoun binds no one by name
        ("Either of them may apply.", None),
        ("In 2027 the rule shall apply.", None),
    ],
)
def test_whom_a_requirement_binds(sentence, actor):
    from assistant.text import bound_actor

    span = bound_actor(sentence)
    assert (sentence[span[0] : span[1]] if span else None) == actor


def test_a_quiz_asks_whom_a_requirement_binds_only_of_parties_the_document_binds_often(indexed):
    from assistant.text import term_key

    items = indexed.quiz("widget-standard", n=60)
    asked = [i for i in items if re.match(r"^(?:The |Each |Every )?_____ (?:shall|must)", i.question)]
    assert asked, "some items ask whom a requirement binds"
    rows = indexed.checklist("widget-standard")
    for item in asked:
        bound = sum(bool(re.match(rf"^(?:The |Each |Every )?{re.escape(item.answer)} (?:shall|must)", " ".join(r.text.split()))) for r in rows)
        assert bound >= 3
        assert len({term_key(o) for o in item.options}) == len(item.options)


def test_a_verification_row_is_mandatory_at_its_level_whatever_verb_it_uses(tmp_path):
    from assistant.training import checklist
    from assistant.types import Chunk

    row = "2.12 REQ-STORE-12 The app educates the user about the best practices the user should follow. \u2713 \u2713"
    chunk = Chunk("d:1:00000", "d", "Doc", "1", "d.pdf", 3, 3, "V2", "V2 > Security Verification Requirements", row, levels="L1,L2")
    [item] = checklist([chunk])
    assert (item.clause, item.level, item.strength, item.page) == ("2.12", "L1, L2", "mandatory", 3)
