"""Evidence units (assistant/units.py): the parts of a passage an answer quotes."""

from assistant.types import Chunk
from assistant.units import clause_label, passage_units


def chunk(text: str, heading: str = "", section: str = "", levels: str = "") -> Chunk:
    return Chunk("d:1:00000", "d", "Doc", "1", "d.pdf", 1, 1, section, heading, text, levels=levels)


def texts(c: Chunk) -> list[str]:
    return [c.text[u.start : u.end] for u in passage_units(c)]


def test_an_articles_paragraph_keeps_its_points_and_the_next_paragraph_is_a_unit_of_its_own():
    text = (
        "Article 49 Management system\n"
        "1. Each economic operator shall:\n"
        "(a) adopt a policy;\n"
        "(b) keep records for 10 years;\n"
        "2. The system shall be documented."
    )
    c = chunk(text, "Chapter VII > Article 49 Management system", "Article 49")
    units = passage_units(c)
    assert [u.label for u in units] == ["(1)", "(2)"]
    assert [p.kind for p in units[0].pieces] == ["sentence", "item", "item"]
    assert clause_label(c.section, units[0].label) == "Article 49(1)"


def test_a_sentence_ending_with_a_colon_takes_numbered_lines_as_its_items():
    text = "5.2.10 Restricted\nThe CSP SHALL:\n1. Offer an alternate authenticator.\n2. Give meaningful notice."
    units = passage_units(chunk(text, "5 > 5.2.10 Restricted", "5.2.10"))
    assert len(units) == 1 and units[0].kind == "list"
    assert [p.kind for p in units[0].pieces] == ["sentence", "item", "item"]


def test_a_short_paragraph_followed_by_bullets_introduces_them():
    text = "Additional techniques MAY be used.\n\u2022 CAPTCHA before an attempt.\n\u2022 A white list of IP addresses."
    units = passage_units(chunk(text))
    assert len(units) == 1 and len(units[0].pieces) == 3


def test_definition_entries_and_requirement_rows():
    definition = chunk("(47) \u2018producer\u2019 means any manufacturer:\n(a) under its own name;\n(b) reselling.", "Article 3 > producer", "Article 3")
    unit = passage_units(definition)[0]
    assert unit.kind == "definition" and unit.term == "producer" and unit.label == "(47)" and len(unit.pieces) == 3

    table = chunk(
        "2.7 MSTG-STORAGE-7 No sensitive data is exposed through the user interface. \u2713 \u2713\n"
        "2.8 MSTG-STORAGE-8 No sensitive data is included in backups. \u2713",
        "V2 > Security Verification Requirements",
        "V2",
        levels="L1,L2",
    )
    rows = passage_units(table)
    assert [(u.kind, u.label, u.aka, u.levels) for u in rows] == [
        ("requirement", "2.7", "MSTG-STORAGE-7", "L1, L2"),
        ("requirement", "2.8", "MSTG-STORAGE-8", "L2"),  # its own level, not the row's before or after
    ]
    assert clause_label("V2", "2.8") == "2.8"


def test_a_glossary_entry_chunk_is_one_definition_unit():
    c = chunk("Red flag: A fact that points to a risk.", "8 Glossary > Red flag", "8")
    unit = passage_units(c)[0]
    assert unit.kind == "definition" and unit.term == "Red flag"


def test_a_table_is_one_unit_with_one_piece_per_row_and_the_heading_is_not_quoted():
    text = "4.3 Review frequency\nRisk level Review frequency Approver\nLow Every 36 months Officer\nHigh Every 6 months Manager"
    units = passage_units(chunk(text, "4 > 4.3 Review frequency", "4.3"))
    assert len(units) == 1 and units[0].kind == "table" and len(units[0].pieces) == 3
    assert "4.3 Review frequency" not in texts(chunk(text, "4 > 4.3 Review frequency", "4.3"))[0]


def test_a_run_in_title_leads_the_paragraph_under_it():
    text = (
        "MASVS-R: Resiliency Against Reverse Engineering and Tampering\n"
        "The app is resilient against tampering and reverse engineering.\n"
        "Plain prose that is no title\n"
        "The next paragraph stands alone."
    )
    assert texts(chunk(text)) == [
        "MASVS-R: Resiliency Against Reverse Engineering and Tampering\nThe app is resilient against tampering and reverse engineering.",
        "Plain prose that is no title",
        "The next paragraph stands alone.",
    ]


def test_a_long_line_starting_with_a_number_is_running_text_not_a_requirement_row():
    row = "4.3.2 Phishing or Pharming Use authenticators that resist impersonation. " * 10  # a flattened table
    units = passage_units(chunk(row.strip()))
    assert units[0].kind == "paragraph" and len(units[0].pieces) > 1  # read by sentence
    assert passage_units(chunk("2.1 MSTG-STORAGE-1 System credential storage is used.  \u2713 \u2713"))[0].kind == "requirement"


def test_a_line_going_on_with_the_sentence_the_line_before_broke_off_joins_it():
    text = (
        "For any of the controls in the list below to be effective, the app must fulfil at least all of\n"
        "MASVS-L1 (i.e., solid security controls must be in place). Note that protections never replace controls."
    )
    (unit,) = passage_units(chunk(text))
    assert unit.kind == "paragraph"
    first = text[unit.pieces[0].start : unit.pieces[0].end]
    assert first.startswith("For any of the controls") and first.endswith("must be in place).")  # one sentence again


def test_the_next_numbered_paragraph_is_no_rest_of_a_sentence_left_without_its_full_stop():
    text = (
        "2. Operators shall review the due diligence system at least once a year. They shall keep a record of such updates for five years\n"
        "3. Operators who are not SMEs shall report publicly on an annual basis on their due diligence system."
    )
    paragraphs = passage_units(chunk(text))
    assert [u.label for u in paragraphs] == ["(2)", "(3)"]
    assert text[paragraphs[0].pieces[-1].start : paragraphs[0].pieces[-1].end].endswith("for five years")
    # a line that goes on with a broken sentence and happens to start with another number still joins it
    (one,) = passage_units(chunk("2. The records of the checks shall be kept by the authority for a period of at least\n5. years after the check."))
    assert one.label == "(2)"


def test_each_requirement_of_a_table_passage_gets_a_vector_of_its_own_words():
    text = (
        "Security Verification Requirements\n"
        "# MSTG-ID Description L1 L2\n"
        "2.1 MSTG-STORAGE-1 System credential storage facilities need to be used to store keys. \u2713 \u2713\n"
        "2.2 MSTG-STORAGE-2 No sensitive data should be stored outside of the app container. \u2713 \u2713\n"
        "2.3 MSTG-STORAGE-3 No sensitive data is written to application logs. \u2713 \u2713"
    )
    c = chunk(text, "V2 Data Storage > Security Verification Requirements", "V2", levels="L1,L2")
    windows = c.dense_windows(480)
    assert windows[0].startswith("V2 Data Storage > Security Verification Requirements\n")  # the passage, under its heading
    assert windows[-3:] == [
        "System credential storage facilities need to be used to store keys.",
        "No sensitive data should be stored outside of the app container.",
        "No sensitive data is written to application logs.",
    ]
    plain = chunk("Records are kept. They are kept for ten years.", "V2 > Records", "V2")
    assert plain.dense_windows(480) == [plain.dense_text]  # no requirements or entries: one vector


def test_the_heading_line_and_a_table_header_are_no_units():
    text = "V1: Inventory Requirements\nAll components are listed.\n# Description L1 L2 L3\n1.1 Components are known \u2713 \u2713 \u2713"
    c = chunk(text, "V1 Inventory Requirements", "V1", levels="L1,L2,L3")
    assert texts(c) == ["All components are listed.", "1.1 Components are known \u2713 \u2713 \u2713"]


def test_a_line_without_a_word_is_no_unit():
    # an empty table cell printed as a dash ("Article 5" of an annex's table, then "—")
    assert texts(chunk("Article 5\n\u2014", "Annex I > Article 5", "Article 5")) == []


def test_a_paragraph_numbered_under_a_prefix_is_cited_by_that_id():
    text = "AR 9. Severity is judged by three factors:\n(a) scale;\n(b) scope.\nAR 10. Likelihood counts too."
    c = chunk(text, "Annex I > Application Requirements", "Annex I")
    units = passage_units(c)
    assert [u.label for u in units] == ["AR 9", "AR 10"]
    assert clause_label(c.section, units[0].label) == "AR 9"  # not "Annex I", the whole annex
    assert [u.label for u in passage_units(chunk("EU 2023. The year of adoption."))] == [""]  # a year numbers no paragraph


def test_the_formula_closing_a_legal_act_is_no_part_of_its_last_paragraph():
    text = (
        "Article 38 Entry into force\n"
        "3. For micro-undertakings this Regulation shall apply from 30 June 2025. "
        "This Regulation shall be binding in its entirety and directly applicable in all Member States. "
        "Done at Brussels, 31 May 2023.\n"
        "For the Council"
    )
    c = chunk(text, "Article 38 Entry into force", "Article 38")
    found = texts(c)
    assert found[0] == "3. For micro-undertakings this Regulation shall apply from 30 June 2025."
    assert found[1].startswith("This Regulation shall be binding") and found[1].endswith("Done at Brussels, 31 May 2023.")
    assert passage_units(c)[0].label == "(3)"
