"""The text rules of assistant/text.py, one by one: each test fails without its rule."""

import pytest

from assistant.lexical import OtherName, credited, tokenize
from assistant.text import (
    aliases,
    authority_bound,
    bound_role,
    clause_match,
    clause_refs,
    defined_term,
    entry_term,
    glossary_heading_term,
    leading_name,
    declares_informative,
    level_columns,
    lists_elsewhere,
    title_line,
    levels_for,
    normalise,
    pointer_only,
    requirement_id,
    requirement_ids,
    requirement_text,
    section_title,
    spelled_out_pattern,
    split_leading_marks,
    split_sentences,
    states_scope,
    term_key,
    term_keys,
    trailing_level_marks,
    windows,
)


def test_normalise_unifies_what_pdfs_vary():
    assert normalise("e\ufb03cient") == "efficient"  # NFKC ligature
    assert normalise("ten\u00a0days") == "ten days"  # non-breaking space
    assert normalise("co\u2011owner") == "co-owner"  # non-breaking hyphen
    assert normalise("respon\u00adsible") == "responsible"  # soft hyphen
    assert normalise("\uff11\uff12 months") == "12 months"  # full-width digits
    assert normalise("  a   b \n c  ") == "a b\nc"


def test_sentences_do_not_break_at_abbreviations_or_clause_numbers():
    text = "See Art. 5 of the Code, e.g. the policy. Clause 5.2. applies too. Next sentence."
    assert split_sentences(text) == ["See Art. 5 of the Code, e.g. the policy.", "Clause 5.2. applies too.", "Next sentence."]
    assert split_sentences("3. Records shall be kept. No more than 100. Additional techniques apply.") == [
        "3. Records shall be kept.",
        "No more than 100.",
        "Additional techniques apply.",
    ]


@pytest.mark.parametrize(
    "line, ident, alt",
    [
        ("2.1 MSTG-STORAGE-1 System credential storage facilities need to be used", "2.1", "MSTG-STORAGE-1"),
        ("2.10 MSTG-STORAGE-1 0 The app does not hold sensitive data", "2.10", "MSTG-STORAGE-10"),  # id broken by the PDF
        ("5.4 MSTG-NETWORK- 4 The app either uses its own certificate store", "5.4", "MSTG-NETWORK-4"),  # broken after its hyphen
        ("V1.2.3 Verify that the application uses a single vetted authentication mechanism", "V1.2.3", ""),
        ("MSTG-AUTH-1 If the app provides users access", "MSTG-AUTH-1", ""),
        ("5.2.3 shall apply to every supplier", "", ""),  # lower case: a sentence going on, not a requirement
        ("The 2.1 requirement", "", ""),
    ],
)
def test_requirement_ids(line, ident, alt):
    assert requirement_id(line) == ident
    assert requirement_ids(line) == (ident, alt)


def test_level_marks_belong_to_the_row_before_them():
    assert split_leading_marks("\u2713 \u2713 1.2.4 Verify that all components are up to date") == (
        "\u2713 \u2713",
        "1.2.4 Verify that all components are up to date",
    )
    assert split_leading_marks("\u2713 applies to all") == ("", "\u2713 applies to all")  # no row follows
    assert trailing_level_marks("No sensitive data is written to logs. \u2713 \u2713") == 2
    assert trailing_level_marks("text \u2713 \u2713 \u2713 1053") == 3  # a reference column after the marks
    assert trailing_level_marks("no marks here.") == 0


def test_levels_are_the_last_columns_of_a_cumulative_table():
    columns = level_columns("# MSTG-ID Description L1 L2")
    assert columns == ["L1", "L2"]
    assert levels_for(2, columns) == "L1, L2"
    assert levels_for(1, columns) == "L2"
    assert levels_for(3, columns) == ""  # more marks than columns: unknown


def test_level_columns_named_after_the_description_column():
    assert level_columns("# MSTG-ID Description R") == ["R"]  # one level column, not numbered
    assert level_columns("| # | MSTG-ID | Description | R |") == ["R"]
    assert levels_for(1, level_columns("# MSTG-ID Description R")) == "R"
    assert level_columns("MASVS-L1 is the baseline level") == []  # one numbered level in prose is no header
    assert level_columns("The description of section A") == []


@pytest.mark.parametrize(
    "line, term",
    [
        ("(8) \u2018processor\u2019 means a natural or legal person which processes", "processor"),
        ("(11) \u2018light means of transport battery\u2019 or \u2018LMT battery\u2019 means a battery", "light means of transport battery (LMT battery)"),
        ('"Verifier" refers to an entity that verifies', "Verifier"),
        ("The term 'lot' is used throughout", ""),
    ],
)
def test_definition_entries(line, term):
    assert defined_term(line) == term


def test_glossary_entries_and_their_keys():
    assert entry_term("\u2022 Cross-Site Scripting (XSS) \u2013 A security vulnerability") == "Cross-Site Scripting (XSS)"
    assert entry_term("Red flag: A fact or circumstance") == "Red flag"
    assert term_keys("Cross-Site Scripting (XSS)") == {term_key("Cross-Site Scripting (XSS)"), "crosssitescripting", "xss"}
    assert term_key("Look-Up Secrets") == term_key("look up secret") == "lookupsecret"
    assert glossary_heading_term("14 Glossary > 14.3 CAHRA (conflict-affected and high-risk area)") == (
        "CAHRA (conflict-affected and high-risk area)"
    )
    assert glossary_heading_term("5 Steps > 5.3 Step 3") == ""


def test_clause_references():
    refs = clause_refs("what does Article 26(7) say, and 5.2.3?")
    assert [(r.label, r.parts) for r in refs] == [("5.2.3", ()), ("Article 26", ("7",))]
    assert [r.label for r in clause_refs("can you summarise cobalt code clause 5.2.6 for me")] == ["5.2.6"]
    assert [r.label for r in clause_refs("MSTG-STORAGE-1 - what is that about?")] == ["MSTG-STORAGE-1"]
    assert clause_refs("a 2.5 % share") == []
    # versions of a technology are no clauses, nor a bare number of the same form beside them
    assert clause_refs("our repo only does TLS 1.2 - is that enough or does it want 1.3?") == []
    assert [r.label for r in clause_refs("Does 2.1.1 apply to TLS 1.2?")] == ["2.1.1"]
    # a verification standard's chapter by its "V" id, which is its section; a lower-case "v2" is a version
    (chapter,) = clause_refs("What does V3 of SCVS cover?")
    assert clause_match("V3", "V3 Build Environment Requirements", chapter) == 2
    assert clause_match("3", "3 Definitions and Abbreviations", chapter) == 0  # not another text's section 3
    assert clause_refs("Is MASVS v2 out yet?") == []


def test_a_requirement_named_by_id_matches_the_chunk_holding_its_row():
    ref = clause_refs("what does MSTG-STORAGE-10 require?")[0]
    text = "Security Verification Requirements\n2.10 MSTG-STORAGE-1 0 The app does not hold data. \u2713"
    assert clause_match("V2", "V2 Data Storage", ref, text) == 2
    assert clause_match("V2", "V2 Data Storage", ref) == 0  # without the text it cannot be seen
    # a verification standard's "V" prefix is optional: "V2.1.1" is the row "2.1.1", "2.1" the section "V2.1"
    rows = "Password Security\n2.1.1 Verify that passwords are at least 12 characters long. \u2713 \u2713 \u2713 521 5.1.1.2"
    assert clause_match("V2.1", "V2 Authentication > V2.1 Password Security", clause_refs("what does V2.1.1 require?")[0], rows) == 2
    assert clause_match("V2.1", "V2 Authentication > V2.1 Password Security", clause_refs("what does 2.1 cover?")[0]) == 2


def test_a_paragraph_id_under_a_prefix_is_a_clause_reference():
    (ref,) = clause_refs("What does AR 10 say about severity?")
    assert ref.label == "AR 10"
    text = "Characteristics of severity\nAR 10. The severity is determined by scale, scope and remedy.\nAR 11. Any one counts."
    assert clause_match("Annex I", "Annex I > Application Requirements", ref, text) == 2
    assert clause_match("Annex I", "Annex I > Application Requirements", ref, "AR 1. Scale counts.") == 0  # not AR 1
    assert clause_refs("Is TLS 1.2 enough?") == []


def test_requirement_text_is_the_row_without_ids_and_level_marks():
    row = "2.1 MSTG-STORAGE-1 System credential storage facilities need to be used to store keys. \u2713 \u2713"
    assert requirement_text(row) == "System credential storage facilities need to be used to store keys."
    assert requirement_text("5.4 MSTG-NETWORK- 4 The app pins the endpoint certificate. \u2713") == "The app pins the endpoint certificate."
    assert requirement_text("(12) \u2018producer\u2019 means any manufacturer") == "(12) \u2018producer\u2019 means any manufacturer"


def test_windows_cut_long_text_at_line_ends_then_sentences():
    text = "First line.\n" + " ".join(f"Sentence number {i} is here." for i in range(40))
    parts = windows(text, 200)
    assert len(parts) > 3 and all(len(p) <= 200 for p in parts)
    assert parts[0].startswith("First line.")
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())


def test_other_names_a_text_states():
    found = aliases(
        "A Memorized Secret authenticator, commonly referred to as a password, is a secret. "
        "It is run by the Responsible Minerals Initiative (RMI) and the International Lead Association (ILA)."
    )
    assert ("Memorized Secret authenticator", "password") in found
    assert ("Responsible Minerals Initiative", "RMI") in found
    assert ("International Lead Association", "ILA") in found
    # a bracketed word that is no acronym of the words before it
    assert aliases("the Alliance for Responsible Cobalt (the 'Code')") == []
    assert aliases("Translators and Reviewers Chinese (Traditional)") == []
    assert aliases("Mining Standard Initiative (XYZ)") == []


def test_short_names_a_text_gives_in_quotes_and_brackets():
    from assistant.text import named_as

    assert named_as("for the processing of special categories of personal data (\u2018sensitive data\u2019). It") == [
        ("special categories of personal data", "sensitive data")
    ]
    assert named_as("the Alliance for Responsible Cobalt (the 'Code')") == [("Alliance for Responsible Cobalt", "Code")]
    assert named_as("the Responsible Minerals Initiative (RMI)") == []  # an acronym: aliases() reads those


def test_examples_a_text_names_in_brackets_after_their_class():
    from assistant.text import examples_given

    assert examples_given("a secret sent via the PSTN (SMS or voice) to the device") == [("PSTN", "SMS"), ("PSTN", "voice")]
    assert examples_given("physical characteristics (e.g., fingerprint, iris, facial characteristics)") == [
        ("physical characteristics", "fingerprint"),
        ("physical characteristics", "iris"),
        ("physical characteristics", "facial characteristics"),
    ]
    assert examples_given("a direct computer interface (e.g., a USB port)") == [("direct computer interface", "USB port")]
    # a single bracketed word with no "e.g." names no example; nor a restatement, a clause, a reference or quotes
    assert examples_given("Translators and Reviewers Chinese (Traditional)") == []
    assert examples_given("replacement of a lost (i.e., forgotten) secret") == []
    assert examples_given("the session SHALL be terminated (logged out or closed)") == []
    assert examples_given("as set out in Chapter IV (controller and processor)") == []
    assert examples_given("the CSP (see Section 4 or 5)") == []
    assert examples_given("in a transparent manner (\u2018lawfulness, fairness and transparency\u2019)") == []


def test_a_name_is_known_by_its_leading_capitalised_words():
    assert leading_name("Example Sourcing Standard for Copper and Zinc") == "Example Sourcing Standard"
    assert leading_name("Memorized Secret authenticator") == "Memorized Secret"
    assert leading_name("a formal licence") == ""


def test_a_text_using_another_name_covers_the_words_it_stands_for():
    name = OtherName(frozenset(tokenize("Example Sourcing Standard")), "EXS", frozenset(tokenize("EXS")))
    covered = credited(set(tokenize("The EXS has four co-owners")), [name])
    assert set(tokenize("Example Sourcing Standard")) <= covered
    assert credited(set(tokenize("The standard has four co-owners")), [name]) == set(tokenize("The standard has four co-owners"))


def test_a_title_line_is_short_capitalised_and_unpunctuated():
    assert title_line("MASVS-R: Resiliency Against Reverse Engineering and Tampering")
    assert title_line("Examples of Red Flags")
    assert not title_line("Plain prose that is no title")  # lower-case words
    assert not title_line("The app is resilient.")  # a sentence
    assert not title_line("(a) Scope of the Code")  # a list item
    assert not title_line("2.1 MSTG-STORAGE-1 System Credential Storage")  # a requirement row


def test_a_part_declaring_itself_informative():
    assert declares_informative("10 Usability\nThis section is informative. ISO/IEC 9241-11 defines ...")
    assert declares_informative("Annex B (informative) Worked examples")
    assert not declares_informative("This section is normative.")
    assert not declares_informative("The report shall be informative and concise.")


def test_a_web_address_wrapped_onto_the_next_line_is_joined_back():
    assert normalise("see https://example.org/standards/supply-ch\nains/ (list)") == "see https://example.org/standards/supply-chains/ (list)"
    assert normalise("https://example.org/risk-assess\nment-(rra)/ next") == "https://example.org/risk-assessment-(rra)/ next"
    assert normalise("at https://example.org/standards/\nThis guide says") == "at https://example.org/standards/\nThis guide says"
    assert normalise("https://example.org/x\nand/or more") == "https://example.org/x\nand/or more"


def test_the_phrases_an_acronym_spells_out():
    pattern = spelled_out_pattern("DPIA")
    assert pattern.search("carry out a data protection impact assessment first").group(0) == "data protection impact assessment"
    assert spelled_out_pattern("SBOM").search("a software bill-of-materials").group(0) == "software bill-of-materials"
    assert spelled_out_pattern("COC").search("the chain of custody records").group(0) == "chain of custody"
    assert not pattern.search("data protection is important")


def test_a_sections_title_without_its_id():
    assert section_title("CHAPTER IV > Article 30 Records of processing activities") == "Records of processing activities"
    assert section_title("Annex II.9 9 Maximum carbon thresholds") == "Maximum carbon thresholds"
    assert section_title("V2 Data Storage and Privacy Requirements") == "Data Storage and Privacy Requirements"


def test_a_definition_may_name_the_term_by_its_modifier_and_its_head_in_the_predicate():
    from assistant.text import defines

    sentence = "An out-of-band authenticator is a physical device that is uniquely addressable."
    assert defines(sentence, "out-of-band device")  # "an out-of-band ... is a physical device"
    assert defines(sentence, "out-of-band authenticator")
    assert not defines("An out-of-band authenticator is a physical token.", "out-of-band device")
    assert not defines("The site is audited every year.", "site")


def test_a_scope_section_is_known_by_its_title():
    from assistant.text import scope_section

    assert scope_section("Chapter I General provisions > Article 3 Territorial scope")
    assert scope_section("3 Applicability > 3.1 Companies in scope")
    assert not scope_section("V1 Architecture > 1.2 Application security")
    assert not scope_section("Scope of audits > 4.2 Audit records")  # only the innermost title counts


def test_a_line_of_sources_is_no_statement_however_much_it_says_besides_its_address():
    from assistant.text import links_only

    assert links_only("Sources: https://example.org/policy (para 1 (i-v); 'Regarding risk management', para 2)")
    assert links_only("https://example.org/a; https://example.org/b")
    assert not links_only("Sources of cobalt include mines and recycled material.")
    assert not links_only("The policy is published at https://example.org/policy and reviewed every year by the board.")


def test_a_pointer_to_a_list_kept_in_another_clause():
    text = "adopt a policy on the raw materials listed in point 1 of Annex X and the risk categories set out in Annex II"
    found = [(text[at:at + 6], ref.label, point) for at, ref, point in lists_elsewhere(text)]
    assert found == [("listed", "Annex X", "1"), ("set ou", "Annex II", "")]
    assert [r.label for _, r, _ in lists_elsewhere("the red flags listed in Section 5.2")] == ["5.2"]
    assert lists_elsewhere("as listed above") == [] and lists_elsewhere("listed in the register") == []


@pytest.mark.parametrize(
    "sentence, only",
    [
        ("See section 15.1.", True),
        ("(See sections 6.2 and 6.3 of this guide.)", True),
        ("See Article 5.", True),
        ("See section 4 for the download page at https://example.org.", False),
        ("Sites shall see that records are kept.", False),
    ],
)
def test_a_sentence_that_only_says_where_to_read_on(sentence, only):
    assert pointer_only(sentence) is only


def test_a_sentence_saying_who_is_eligible_or_in_scope():
    assert states_scope("Traders of copper are among the companies named in the JDD eligibility list.")
    assert states_scope("Recyclers fall within the scope of this Code.")
    assert not states_scope("The site shall keep records for seven years.")


def test_words_that_only_frame_a_question_are_not_searched():
    # "... RootBeer or something else?", "only a face scan and nothing else": no text is about "else"
    assert tokenize("Which library, RootBeer or something else? Only a face scan and nothing else, not everything.") == [
        "librari", "rootbeer", "face", "scan"
    ]
    # "what kinds of corrective action ...?": the kind of thing asked is named by its own words
    assert tokenize("What kinds of corrective action, or what sort of measure?") == ["correct", "action", "measur"]
    # "is it ok to ...", "honestly, ...", "what is it meant for?": how the asker puts it, not what is asked
    assert tokenize("Honestly, is it ok to skip it, or what is the log meant for? Maybe keep it?") == ["skip", "log", "keep"]


def test_american_and_british_spellings_of_a_word_meet():
    # EU texts write "pseudonymisation" and "authorised"; a user may type "pseudonymization", "authorized"
    assert tokenize("pseudonymization") == tokenize("pseudonymisation")
    assert tokenize("authorized representatives") == tokenize("authorised representatives")
    assert tokenize("organizations") == tokenize("organisations")
    # words that only end like it stay as they are
    assert tokenize("size citizens prize") == ["size", "citizen", "prize"]


def test_accented_words_stay_whole_and_meet_their_unaccented_spelling():
    # a translated standard, or a question typed without accents
    assert tokenize("Côte d'Ivoire") == tokenize("Cote d'Ivoire") == ["cote"]
    assert tokenize("Überprüfung der Lieferkette") == ["uberprufung", "der", "lieferkett"]
    assert tokenize("conformité") == tokenize("conformite")
    assert tokenize("Straße") == tokenize("strasse")


def test_a_web_address_as_texts_write_it():
    from assistant.text import writes_web_address

    assert writes_web_address("see https://coppermark.org/standards/")
    assert writes_web_address("published at www.example.org/guidance")
    assert writes_web_address("on ec.europa.eu/environment")
    assert not writes_web_address("indicating a single contact point and, if available, web and email address")
    assert not writes_web_address("as set out in Article 3.2, e.g. the operator")


def test_an_english_word_is_no_typo_of_another_unless_a_regional_spelling():
    from assistant.embedding import model_words
    from assistant.lexical import Speller, dictionary_stems

    words = model_words()
    assert {"chased", "repeatedly", "labour", "labor"} <= set(words) and not any(w.startswith("#") for w in words)
    dictionary = dictionary_stems(words)
    speller = Speller({"case": 9, "repeal": 9, "labor": 3, "password": 2}, dictionary)
    assert speller.correct("chase") == "chase"  # "chased them": not "case"
    assert speller.correct(tokenize("repeatedly")[0]) == "repeat"  # not "repeal"
    assert speller.correct("labour") == "labor"  # one word, spelt two ways
    assert speller.correct("pasword") == "password"  # a typo is still corrected
    assert Speller({"case": 9}).correct("chase") == "case"  # without a dictionary any near word is taken


@pytest.mark.parametrize(
    "sentence, closing",
    [
        ("Done at Brussels, 31 May 2023.", True),
        ("Done at Strasbourg, 27 April 2016.", True),
        ("This Regulation shall be binding in its entirety and directly applicable in all Member States.", True),
        ("This Regulation shall enter into force on the twentieth day following that of its publication.", False),
        ("Done at the site, the checks are recorded.", False),
    ],
)
def test_the_formula_closing_a_legal_act(sentence, closing):
    from assistant.text import closing_formula

    assert closing_formula(sentence) is closing


@pytest.mark.parametrize(
    "sentence, bound",
    [
        ("6. By 30 June 2028 and at least every five years thereafter, the Commission shall carry out a review.", True),
        ("The competent authorities shall keep records of the checks.", True),
        ("Member States shall lay down the rules on penalties.", True),
        ("2. Operators shall review the due diligence system at least once a year.", False),
        ("Operators shall make that documentation available to the competent authorities upon request.", False),
        ("Where the competent authority finds it, operators shall act at once.", False),  # the authority's is another clause
    ],
)
def test_a_rule_binding_a_public_authority(sentence, bound):
    assert authority_bound(sentence) is bound


@pytest.mark.parametrize(
    "sentence, role",
    [
        ("6. Importers shall keep the copy of technical documentation for 10 years.", "importer"),
        ("3. The manufacturer shall ensure that the documentation is up to date.", "manufacturer"),
        ("Economic operators shall cooperate with the authorities.", "operator"),  # a modifier before the role
        ("(a) the distributor shall inform the manufacturer.", "distributor"),
        ("Such data shall only be kept for as long as necessary.", ""),  # no role opens it
        ("They shall keep that documentation.", ""),
        ("Where a distributor considers that a product is unsafe, the distributor shall act.", "distributor"),  # after a condition
        ("2. Before placing a battery on the market, importers shall verify that:", "importer"),
    ],
)
def test_the_role_a_rule_opens_by_binding(sentence, role):
    assert bound_role(sentence) == role
