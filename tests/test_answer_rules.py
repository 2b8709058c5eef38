"""How the extractive answerer chooses, quotes and declines, on a small document whose every
section tests one rule; and the answerer interface every answerer shares."""

import re

import pytest

from assistant.answering import DECLINE_PREFIX, AnswerRequest, check_markers, make_answerer
from assistant.errors import AssistantError
from assistant.settings import Settings
from assistant.types import Citation
from conftest import make_assistant

EXAMPLE = """Example Orientation Guide
Version 1.0 (2026-11)
Unofficial guide to the Example Sourcing Standard

# 1 About the standard

The Example Sourcing Standard for Copper and Zinc (EXS) is a standard for responsible sourcing in metals supply chains. The EXS is used by refiners, traders and mining companies around the world.

# 2 Owners

The EXS has four co-owners: the Alpha Association, the Beta Institute, the Gamma Council and the Delta Initiative.

# 3 Red flags

There are three location red flags:

- the material comes from, or passed through, a conflict-affected area;
- the declared country of origin has reserves too small for the volumes claimed;
- the material transits a country known for smuggling.

# 4 Versions

The current EXS is revision 3, dated 26 August 2022. Earlier texts were a draft of 2020 and a first edition of 2021. Sources: https://example.org/exs/revision-3/download (download page); https://example.org/exs/history.

# 5 Records

Every site shall keep records of its due diligence. Records include supplier questionnaires, risk reports, mitigation plans, training logs and audit reports, and they shall be legible, dated and traceable to the person who created them. Records may be kept on paper or in electronic form, provided that electronic records are backed up once a week to a separate location. Records shall be kept for seven years from the date they are created. However, records of grievances that were closed without any finding may be deleted after three years. The site shall give the assessor read access to any record within five working days of a request, and access to commercially sensitive records may be restricted to named staff.

# 6 Policy

The sourcing policy shall be reviewed every 24 months. Each review is recorded in the management review minutes.

# 7 Approval

The sourcing policy shall be approved by the board of directors before it is published.

# 8 Logo

The rules on logo use are not covered by this guide; open the official Claims Guide before making any claim.

# 9 Glossary

Look-up secret: A record of secrets shared between a claimant and a provider, used one at a time.

Refiner: A company that turns concentrate into refined metal.

Smelter: A company that turns concentrate into crude metal for a refiner.

# 10 Frequently asked questions

## 10.1 Who owns the EXS?

The EXS has four co-owners: the Alpha Association, the Beta Institute, the Gamma Council and the Delta Initiative. See section 2.

# 11 Site security

Every site shall keep its records room locked outside working hours, and only staff named by the site manager may hold a key to it. Keys shall be handed back to the site manager when a member of staff leaves or changes role. Visitors shall sign the register at the gate, show an identity document and be accompanied by a member of staff at all times while they are on the site. The register shall be kept with the other due diligence records and shown to the assessor on request. Further measures may be used to keep unauthorised people out of the records room. These include:

- a camera watching the door of the records room;
- a lock that opens only with a personal badge;
- a weekly check of the register against the list of badges issued.

# 12 Transition

The Council shall, by 1 March 2027, publish a template for the transition report. The template shall set out the headings of the report, the evidence to attach to each heading and the format in which figures are given, so that reports from different sites can be compared with each other. Sites may ask the Council for advice while they prepare their first report, and the Council shall publish the questions it receives, without naming the site, together with its answers. Each report shall be signed by a member of the site's top management, who confirms that it is complete and accurate. The transition report shall apply from:

(a) 1 January 2028, for refiners;

(b) 1 July 2029, for traders.

Training on the transition report is offered to site staff from 1 September 2027.

# 13 Levels

Level R: Resilience Against Tampering

A site at level R also protects its records against tampering by its own staff.

# 14 Recycled content

Battery makers shall keep a record of where the metal in each battery model comes from, kept by model and by plant for every year of production. The record shall name each supplier of recovered metal and the waste it was recovered from. Makers may rely on a supplier's certificate when the supplier has been audited within the last two years, and they shall share the record with the assessor on request. A record that is found to be wrong shall be corrected within thirty days, and the correction shall be signed by the person who made it. Records of models no longer produced may be archived once the assessor has seen them. From 2030, every battery model shall contain at least the following minimum shares of recycled metal:

(a) 16 % cobalt;

(b) 85 % lead;

(c) 6 % lithium.

From 2035, every battery model shall contain at least the following minimum shares of recycled metal:

(a) 26 % cobalt;

(b) 90 % lead;

(c) 12 % lithium.

# 15 Packages

Sites download packages from npm and Maven Central in every build of their tracking software, and they mirror the most used ones in a registry of their own.

The package manager shall verify the checksum of each package against the one the registry publishes.

# 16 Suspension

The model policy names these serious abuses:

- torture and degrading treatment;
- forced or compulsory labour;
- war crimes.

A member must immediately suspend a supplier linked to any of these serious abuses. Sources: https://example.org/model-policy (para 1; "Regarding serious abuses", para 2)

# 17 Standards and guides

The EXS and the Claims Guide are not the same thing: the EXS sets sourcing requirements, while the Claims Guide sets the rules for public claims.

# 18 Assessment

Refiners carry out EXS due diligence on every lot they buy.

Each refinery is assessed once a year by an independent assessor that the Council has approved.

# 19 Incidents

A carrier shall record every incident on its trucks in an incident log.

A carrier shall notify the refinery of any incident within one day.

# 20 Scope

The EXS covers copper and zinc produced at refineries and smelters.

# 21 Users

Traders of copper and zinc are among the companies eligible to use the EXS.

# 22 Cathode ledger

Every site shall keep a cathode ledger listing the weight, grade and origin of each cathode lot it buys.

# 23 Small recyclers

A recycler processing fewer than 100 tonnes of cathodes a year need not keep a cathode ledger. In such cases, the recycler shall keep its purchase invoices for five years. The Council publishes a template for the yearly tonnage declaration on its website, in English and in Spanish. Council staff check a sample of the declarations every spring and write to the recyclers whose figures look inconsistent with their customs records. A recycler that grows past the threshold during a year starts its ledger in the following January and tells the Council when it does so. Declarations that arrive after the end of March are published with a note saying so, and the Council keeps every declaration it receives for ten years.

# 24 Weighing

Each site weighs every cathode lot on arrival and writes the weight on the delivery note. An accredited laboratory shall test the site scale every six months. Once that test is overdue, the site shall stop weighing lots on the scale until it is calibrated again. Delivery notes are kept with the cathode ledger and shown to the assessor on request. Sites that share a scale with a neighbouring plant may use it, provided the plant gives them a copy of each calibration certificate. The Council does not approve makes or models of scales, and it does not publish a list of laboratories. Assessors compare a sample of the recorded weights with the invoices of the same lots at each assessment.

# 25 Penalties

1. The member bodies shall lay down the rules on penalties for infringements of the EXS by the sites they admit.

2. The penalties shall be effective, proportionate and dissuasive.

# 26 Referenced codes

When a code the EXS refers to is out of date, the Council decides whether the EXS keeps, restricts or withdraws its reference to that code.
"""


def _indexed_example(tmp_path_factory, file_name: str):
    """An assistant with the example guide saved as `file_name` and indexed alone."""
    folder = tmp_path_factory.mktemp(file_name.split(".")[0])
    path = folder / file_name
    path.write_text(EXAMPLE, encoding="utf-8")
    assistant = make_assistant(folder / "index")
    assert assistant.ingest([path])[0].status == "added"
    return assistant


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    return _indexed_example(tmp_path_factory, "example_guide.md")


def test_the_answer_leads_with_the_sentence_that_answers_not_the_one_repeating_the_question(example):
    answer = example.ask("Who owns the Example Sourcing Standard?")
    lead = answer.text.split("\n\n")[0]
    assert "Alpha Association" in lead and "Delta Initiative" in lead
    assert not lead.startswith("The Example Sourcing Standard for Copper")


def test_a_sentence_announcing_a_list_brings_its_items(example):
    answer = example.ask("what are the location red flags?")
    for item in ("conflict-affected area", "reserves too small", "smuggling"):
        assert item in answer.text


def test_a_sentence_followed_by_a_list_intro_brings_the_items(example):
    answer = example.ask("what other measures can keep unauthorised people out of the records room?")
    assert "Further measures may be used" in answer.text
    for item in ("camera watching the door", "personal badge", "weekly check of the register"):
        assert item in answer.text
    assert "identity document" not in answer.text  # the rest of the long paragraph is left out


def test_a_question_for_a_cost_the_documents_never_give_is_declined_with_the_closest_clauses(example):
    answer = example.ask("how much does an EXS assessment cost?")
    assert answer.abstained and answer.citations == ()
    assert answer.text.startswith(DECLINE_PREFIX) and "Closest:" in answer.text
    assert answer.passages  # the closest clauses it points to


def test_a_question_for_one_thing_by_its_class_is_declined_when_the_passage_names_none(example):
    answer = example.ask("which vendor should we use to back up our electronic records?")
    assert answer.abstained and "do not name a vendor" in answer.text  # the backup rule names no vendor
    answer = example.ask("which association co-owns the EXS?")
    assert not answer.abstained and "Alpha Association" in answer.text


def test_a_document_saying_it_does_not_cover_a_topic_makes_a_decline_that_points_there(example):
    answer = example.ask("what are the rules for putting the logo on our packaging?")
    assert answer.abstained
    assert answer.passages[0].chunk.section == "8"
    assert "8 Logo (page" in answer.text  # the decline names the clause, with its title
    assert "open the official Claims Guide" in answer.text  # and says what that clause says


def test_the_title_page_is_not_quoted_as_an_answer(example):
    answer = example.ask("what is the latest version of the EXS?")
    assert not answer.abstained
    assert "revision 3" in answer.text
    assert "Version 1.0" not in answer.text


def test_a_first_page_opening_with_its_version_note_is_front_matter():
    from assistant.answering.extractive import _front_matter
    from assistant.types import Chunk, Hit

    def opening(text: str, ordinal: int = 0) -> Hit:
        return Hit(Chunk("g:1:00000", "g", "Guide", "1.0", "g.pdf", 1, 1, "", "", text, ordinal=ordinal), 1.0)

    # a title page run into one line with its disclaimer, which names the owners' "partner organizations"
    disclaimer = "Version: 1.0 (2026-11) This document is an unofficial guide; no partner organization has endorsed it."
    assert _front_matter(opening(disclaimer))
    assert not _front_matter(opening(disclaimer, ordinal=3))  # not the document's opening
    assert not _front_matter(opening("About the Standard\nThe standard is a grouping of controls used by architects."))
    # a legal act's title and the acts it builds on, perhaps after the journal's number and date
    assert _front_matter(opening("REGULATION (EU) 2023/1115 OF THE EUROPEAN PARLIAMENT AND OF THE COUNCIL\nof 31 May 2023 on the making available on the Union market of certain commodities"))
    assert _front_matter(opening("2023/2772 22.12.2023 Commission Delegated Regulation (EU) 2023/2772 of 31 July 2023 supplementing Directive 2013/34/EU"))
    assert not _front_matter(opening("The regulation (this document) applies to refiners of every size."))

    def section(heading: str) -> Hit:
        return Hit(Chunk("g:1:00004", "g", "Guide", "1.0", "g.pdf", 2, 2, "1.2", heading, "This guide words each statement ...", ordinal=4), 1.0)

    # a section of an "About this guide" part is front matter, whatever its own title
    assert _front_matter(section("1 About this guide > 1.2 How this guide treats its information"))
    assert not _front_matter(section("5 The five steps > 5.2 Step 2"))


def test_a_long_unit_is_quoted_by_its_relevant_sentences_with_the_exception_that_follows(example):
    answer = example.ask("how long must records be kept?")
    assert "seven years" in answer.text
    assert "deleted after three years" in answer.text  # the exception belongs to the rule
    assert "backed up once a week" not in answer.text  # the rest of the long paragraph is left out


def test_near_duplicates_are_quoted_once(example):
    answer = example.ask("who are the co-owners of the EXS?")
    assert answer.text.count("Alpha Association") == 1


def test_a_definition_question_finds_the_entry_whatever_the_spelling(example):
    answer = example.ask("what is a look up secret?")
    assert answer.citations[0].quote.startswith("Look-up secret:")


def test_every_part_of_a_multi_part_question_is_answered(example):
    answer = example.ask("how often is the sourcing policy reviewed, and who approves it?")
    assert "every 24 months" in answer.text
    assert "board of directors" in answer.text


def test_the_answer_has_a_readable_shape_and_its_markers_match_its_citations(example):
    answer = example.ask("who owns the EXS?")
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.n for c in answer.citations}
    if "Also relevant:" in answer.text:
        listed = answer.text.split("Also relevant:\n", 1)[1].split("\n")
        assert all(line.startswith("- ") for line in listed if line and not line.startswith(" "))
    for citation in answer.citations:
        assert citation.quote in next(h.chunk.text for h in answer.passages if h.chunk.chunk_id == citation.chunk_id)


def test_the_answerer_is_chosen_by_setting_and_an_unknown_one_is_refused(tmp_path):
    settings = Settings(index_dir=tmp_path, answerer="extractive")
    assert make_answerer(settings, lambda text: {}, None).name == "extractive"
    with pytest.raises(AssistantError, match="unknown answerer 'gpt'"):
        make_answerer(Settings(index_dir=tmp_path, answerer="gpt"), lambda text: {}, None)


def test_markers_without_a_citation_are_removed_with_a_notice():
    citation = Citation(1, "c", "d", "T", "1", "d.pdf", 1, "5", "5 X", "quote")
    text, notices = check_markers("A claim [1]. Another claim [3].", [citation])
    assert text == "A claim [1]. Another claim."
    assert notices and "[3]" in notices[0]
    assert check_markers("Fine [1].", [citation]) == ("Fine [1].", [])


def test_the_json_answer_names_its_answerer_and_how_the_question_was_searched(example):
    data = example.ask("who owns the EXS?", history=["what is the EXS?"]).to_json("q1")
    assert data["answerer"] == "extractive" and data["notices"] == []
    assert data["search_query"] == "who owns the EXS?"  # a complete question is not rewritten
    follow = example.ask("and who approves it?", history=["how often is the sourcing policy reviewed?"]).to_json()
    assert follow["search_query"] != follow["question"] and "sourcing policy" in follow["search_query"]


def test_an_answer_request_carries_the_search_query():
    request = AnswerRequest("and for traders?", (), ("who must comply?",), "and for traders? comply")
    assert request.query == "and for traders? comply"
    assert AnswerRequest("q", ()).query == "q"


def test_a_spelled_out_name_is_also_searched_by_its_acronym_not_the_reverse(example):
    retriever = example.retriever
    names = retriever.other_names(retriever.query_tokens("Who owns the Example Sourcing Standard?"))
    assert [n.name for n in names] == ["EXS"]
    assert retriever.other_names(retriever.query_tokens("Who owns the EXS?")) == []


def test_only_a_misspelt_word_corrected_into_a_stop_word_is_dropped(example):
    tokens = example.retriever.query_tokens("Who owns the EXS? Whoo shoud keep records?")
    assert "own" in tokens  # "owns" is a word of the question, though its stem is a stop word
    assert "shoud" not in tokens and "should" not in tokens


def test_a_hyphenated_word_is_searched_joined_only_when_the_index_spells_it_so(example):
    retriever = example.retriever
    tokens = retriever.query_tokens("Are the co-owners told about glued-in records?")
    assert "coowner" in tokens  # the guide's "co-owners" is indexed joined as well
    assert "glu" in tokens and "gluedin" not in tokens  # one unseen word, not two
    # so one odd word counts once towards how much of the question the index has never seen
    assert retriever.retrieve("Are glued-in records kept?").unknown < 0.5


def test_a_rule_sparing_someone_a_duty_answers_whether_one_must_do_it(example):
    # the rule itself shares more words with the question; the exemption settles it as much
    answer = example.ask("Do we have to keep a cathode ledger?")
    assert answer.text.startswith("A recycler processing fewer than 100 tonnes")


def test_a_settling_sentence_that_leans_on_the_one_before_comes_after_it(example):
    answer = example.ask("Do small recyclers have to keep their purchase invoices?")
    assert answer.text.startswith("A recycler processing fewer than 100 tonnes")
    assert "In such cases, the recycler shall keep its purchase invoices" in answer.text
    assert "Council staff check a sample" not in answer.text  # a long paragraph is quoted by its relevant sentences


def test_a_sentence_opening_with_that_or_this_is_quoted_with_the_one_it_refers_to(example):
    # "Once that test is overdue, ..." says nothing alone: the sentence naming the test comes too
    answer = example.ask("Can we go on weighing lots if it is overdue?")
    assert "An accredited laboratory shall test the site scale every six months" in answer.text
    assert answer.text.index("test the site scale") < answer.text.index("Once that test is overdue")


def test_a_question_framed_by_a_document_the_index_lacks_is_declined_as_such(example):
    answer = example.ask("Under the EU conflict minerals regulation, how long shall records be kept?")
    assert answer.abstained
    assert "do not include the EU conflict minerals regulation" in answer.text
    assert "seven years" not in answer.text
    # a document the index holds, by words of its title block, or no particular one: answered
    for framed in ("Under the Example Sourcing Standard", "Under the EU sourcing standard", "In the revised standard"):
        answer = example.ask(f"{framed}, how long shall records be kept?")
        assert not answer.abstained and "seven years" in answer.text, framed
    # a document set against the one asked about frames nothing
    assert example.retriever.retrieve("How long shall records be kept instead of the old timber regulation?").absent == ""


def test_a_question_for_when_a_rule_applies_gets_its_start_date_not_a_deadline_for_someone_else(example):
    answer = example.ask("When does the transition report become mandatory for traders?")
    assert not answer.abstained
    lead = answer.text.split("\n\n")[0]
    # the list's introduction is no echo of the question, and an item is read after it
    assert lead.startswith("The transition report shall apply from:")
    assert "1 July 2029" in lead
    assert "1 March 2027" not in lead


def test_a_follow_up_asks_the_same_kind_of_thing_as_the_question_before(example):
    first = "When does the transition report become mandatory for traders?"
    answer = example.ask("and for refiners?", history=[first])
    lead = answer.text.split("\n\n")[0]
    assert lead.startswith("The transition report shall apply from:") and "1 January 2028" in lead


def test_a_list_introduction_repeating_the_question_is_no_echo(example):
    # "The transition report shall apply from:" holds nothing but the question's words; its
    # items are the answer, so it is not pushed below another sentence with a date
    answer = example.ask("When does the transition report apply?")
    assert answer.text.startswith("The transition report shall apply from:")
    assert "1 September 2027" not in answer.text.split("\n\n")[0]


def test_a_comparison_defines_both_sides_even_when_their_entries_read_alike(example):
    answer = example.ask("what's the difference between a refiner and a smelter?")
    quotes = [c.quote for c in answer.citations]
    assert any(q.startswith("Refiner:") for q in quotes)
    assert any(q.startswith("Smelter:") for q in quotes)  # worded like the first, but no duplicate of it


def test_a_run_in_title_is_quoted_with_its_paragraph_on_a_line_of_its_own(example):
    answer = example.ask("what is Level R?")
    assert answer.citations[0].quote.startswith("Level R: Resilience Against Tampering")
    assert "Tampering\nA site at level R also protects its records" in answer.text


def test_a_list_of_the_numbers_asked_is_quoted_whole(example):
    answer = example.ask("what minimum shares of recycled metal will a battery model need from 2030?")
    lead = answer.text.split("\n\n")[0]
    for share in ("16 % cobalt", "85 % lead", "6 % lithium"):
        assert share in lead
    assert "supplier's certificate" not in lead  # the rest of the long paragraph is left out


def test_a_unit_worded_like_the_lead_but_with_numbers_of_its_own_is_no_duplicate(example):
    answer = example.ask("what minimum shares of recycled metal will a battery model need?")
    assert "16 % cobalt" in answer.text and "26 % cobalt" in answer.text


def test_a_question_for_an_upper_limit_is_not_answered_with_a_lower_one(example):
    answer = example.ask("what is the maximum share of recycled cobalt a battery model may contain?")
    assert answer.abstained  # the documents give only minimum shares
    assert "Closest:" in answer.text


def test_a_line_of_web_addresses_is_quoted_only_when_asked_where_to_find_something(example):
    answer = example.ask("what is the latest version of the EXS?")
    assert "revision 3" in answer.text and "https://" not in answer.text
    answer = example.ask("where can I download the latest EXS online?")
    assert "https://example.org/exs/revision-3/download" in answer.text


def test_the_scenario_around_what_is_asked_is_no_answer_to_it(example):
    answer = example.ask("when our build pulls a package down from npm or maven central, what is the package manager supposed to check?")
    assert answer.text.startswith("The package manager shall verify the checksum")


def test_a_list_question_about_one_level_lists_the_requirements_of_that_level(app_standard):
    answer = app_standard.ask("Which data storage checks are needed at L1?")
    lead, _, more = answer.text.partition("Also relevant:")
    assert "(level: L1, L2)" in lead
    # the two rows that apply at L1 are both quoted, though worded alike; the L2-only ones come after
    assert "credentials are kept in the system key store" in answer.text and "written to application logs" in answer.text
    assert all(answer.text.index(x) < answer.text.index("backups made by") for x in ("key store", "application logs") if "backups made by" in answer.text)


def test_a_named_version_is_answered_by_a_rule_stating_a_version_and_declined_otherwise(app_standard):
    stated = app_standard.ask("Is TLS 1.2 enough for our app, or does it want 1.3?")
    assert not stated.abstained and "TLS 1.2 or later" in stated.text
    declined = app_standard.ask("does the app's certificate pinning need TLS 1.3?")
    assert declined.abstained and "TLS 1.3" in declined.text


def test_two_numbered_requirements_worded_alike_are_no_duplicates():
    from assistant.answering.extractive import ExtractiveAnswerer, _Piece, _Unit
    from assistant.units import Piece, Unit

    def unit(kind: str, label: str, text: str) -> _Unit:
        piece = Piece(0, len(text), "row")
        return _Unit(0, 0, Unit(0, len(text), kind, (piece,), label), [_Piece(0, 0, piece, text)])

    answerer = ExtractiveAnswerer(Settings(), weigh=lambda text: {})
    first = unit("requirement", "5.11", "An automated process of identifying component quantity is used")
    second = unit("requirement", "5.12", "An automated process of identifying component license is used")
    assert not answerer._duplicate(second, [(first, "lead")])
    restated = unit("paragraph", "", "An automated process of identifying component quantity is used")
    assert answerer._duplicate(restated, [(first, "lead")])  # a passage restating one is still left out
    # a number spelt out is a number of its own: the deadline for orders beside the one for notices
    notices = unit("paragraph", "", "Marketplaces shall process the notices within three working days from receipt.")
    orders = unit("paragraph", "", "Marketplaces shall process the orders within two working days from receipt.")
    assert not answerer._duplicate(orders, [(notices, "lead")])
    # two numbered paragraphs of one passage are two provisions, however alike their words
    first = unit("paragraph", "(1)", "The manufacturer shall notify an accident to the authorities without undue delay.")
    third = unit("paragraph", "(3)", "The distributors shall inform the manufacturer of an accident without undue delay.")
    assert not answerer._duplicate(third, [(first, "lead")])
    assert answerer._duplicate(unit("paragraph", "", third.text), [(first, "lead")])


def test_a_comparison_is_answered_first_by_the_unit_speaking_of_both_sides(example):
    answer = example.ask("is the EXS the same thing as the Claims Guide?")
    assert answer.text.startswith("The EXS and the Claims Guide are not the same thing")


def test_the_list_a_leading_sentence_points_back_to_is_quoted_with_it(example):
    answer = example.ask("list the serious abuses that mean we must immediately suspend a supplier")
    assert "suspend a supplier linked to any of these serious abuses" in answer.text
    assert "torture" in answer.text and "war crimes" in answer.text
    assert "https://" not in answer.text  # the line of sources is not quoted


def test_a_sentence_pointing_back_to_the_list_before_it_brings_that_list():
    from assistant.answering.extractive import ExtractiveAnswerer, _Piece, _Unit
    from assistant.units import Piece, Unit

    def unit(index: int, kind: str, *texts: str) -> _Unit:
        pieces = [Piece(0, len(t), "item" if t.startswith("\u2022") else "sentence") for t in texts]
        return _Unit(0, index, Unit(0, 1, kind, tuple(pieces)), [_Piece(0, index, p, t) for p, t in zip(pieces, texts)])

    listed = unit(0, "list", "The model policy names these serious abuses:", "\u2022 torture;", "\u2022 forced labour.")
    pointing = unit(1, "paragraph", "A company must suspend a supplier linked to any of these serious abuses.")
    other = unit(1, "paragraph", "A company must suspend a supplier linked to any of these armed groups.")
    find = ExtractiveAnswerer._list_pointed_at
    assert find(pointing, [listed, pointing]) is listed
    assert find(other, [listed, other]) is None  # it points at something the list does not name
    assert find(listed, [listed, pointing]) is None  # nothing before it


def test_a_question_naming_levels_favours_the_requirement_rows_that_state_them():
    from assistant.answering.extractive import ExtractiveAnswerer, _Piece, _Unit
    from assistant.questions import analyse
    from assistant.units import Piece, Unit

    def row(levels: str) -> _Unit:
        text = "Verify that the keyboard cache is disabled."
        piece = Piece(0, len(text), "row")
        return _Unit(0, 0, Unit(0, len(text), "requirement", (piece,), "1.3", levels=levels), [_Piece(0, 0, piece, text)])

    settings = Settings()
    bonus = ExtractiveAnswerer(settings, weigh=lambda text: {})._bonus
    weighing = analyse("Is turning that off an L1 requirement or only for L2?")
    assert bonus(row("L2"), weighing, set(), []) == settings.answer_level_weight  # the row says its level
    assert bonus(row(""), weighing, set(), []) == 0.0
    listing = analyse("Which storage checks are needed at L1?")
    assert bonus(row("L1, L2"), listing, set(), []) == settings.answer_level_weight
    assert bonus(row("L2"), listing, set(), []) == -settings.answer_level_weight  # not needed at L1
    # "anything stricter at level 2?": what L2 adds, not what L1 already asks
    added = analyse("and at level 2, is there anything stricter on top of that?")
    assert bonus(row("L2"), added, set(), []) == settings.answer_level_weight
    assert bonus(row("L1, L2"), added, set(), []) == -settings.answer_level_weight
    assert bonus(row("L2, L3"), analyse("what does L3 add on top of L2?"), set(), []) == -settings.answer_level_weight


def test_each_part_gets_its_own_best_unit_in_the_order_asked():
    from assistant.answering.extractive import ExtractiveAnswerer, _Piece, _Unit
    from assistant.questions import analyse
    from assistant.units import Piece, Unit

    def row(label: str, text: str, score: float, part_scores: list[float]) -> _Unit:
        piece = Piece(0, len(text), "row")
        unit = _Unit(0, 0, Unit(0, len(text), "requirement", (piece,), label), [_Piece(0, 0, piece, text)])
        unit.score, unit.part_scores, unit.facts = score, part_scores, [[], []]
        return unit

    parts = analyse("Does an SBOM have to be timestamped at level 1, and do its components need file hashes?").parts
    hashes = row("2.18", "Components defined in SBOM have one or more file hashes", 0.8, [0.3, 0.7])
    stamp = row("2.7", "SBOM is timestamped", 0.6, [0.5, 0.2])
    # the whole question's best unit answers the second part: the first part's own best leads
    chosen = ExtractiveAnswerer(Settings(), weigh=lambda text: {})._choose(hashes, [hashes, stamp], [hashes, stamp], parts, [])
    assert [(u.unit.label, role) for u, role in chosen] == [("2.7", "lead"), ("2.18", "part")]


def test_the_sentence_that_settles_it_leads_with_the_list_it_announces(example):
    answer = example.ask("Is a camera at the records room door one of the measures a site may use?")
    assert answer.text.startswith("Further measures may be used to keep unauthorised people out of the records room. These include:\n- a camera")


def test_a_question_for_the_members_of_a_body_favours_the_sentence_naming_them():
    from assistant.answering.extractive import ExtractiveAnswerer, _Piece, _Unit
    from assistant.questions import analyse
    from assistant.units import Piece, Unit

    def paragraph(text: str) -> _Unit:
        piece = Piece(0, len(text), "sentence")
        return _Unit(0, 0, Unit(0, len(text), "paragraph", (piece,)), [_Piece(0, 0, piece, text)])

    settings = Settings()
    bonus = ExtractiveAnswerer(settings, weigh=lambda text: {})._bonus
    question = analyse("Who sits on the review board?")
    named = paragraph("The review board shall be composed of three assessors and a member of the Council.")
    set_up = paragraph("The review board is hereby set up as a body of the Council.")
    assert bonus(named, question, {"review", "board"}, []) == settings.answer_fact_bonus
    assert bonus(set_up, question, {"review", "board"}, []) < settings.answer_fact_bonus
    # who takes part without being a member is part of the answer too
    observer = paragraph("The Council may take part in the meetings of the review board without voting rights.")
    assert bonus(observer, question, {"review", "board"}, []) == settings.answer_fact_bonus


def test_a_requirement_named_with_the_chapter_prefix_is_quoted_alone(app_standard):
    answer = app_standard.ask("what does V1.2 require?")
    assert answer.text.startswith("1.2 REQ-STORE-2 Verify that no sensitive data is written to application logs.")
    assert "REQ-STORE-1" not in answer.text


def test_a_requirement_row_is_compared_by_its_words_alone():
    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.types import Chunk, Hit

    row = "6.5 MSTG-PLATFORM-5 JavaScript is disabled in WebViews unless explicitly required. \u2713 \u2713"
    chunk = Chunk("d:1:00000", "d", "D", "1", "d.pdf", 1, 1, "V6", "V6 Platform > Verification Requirements", f"# MSTG-ID Description L1 L2\n{row}", levels="L1,L2")
    answerer = ExtractiveAnswerer(Settings(), weigh=lambda text: {})
    units = answerer._units([Hit(chunk, 1.0)])
    piece = next(p for u in units for p in u.pieces if p.text.startswith("6.5"))
    assert answerer._in_context(piece, [Hit(chunk, 1.0)], units) == "Verification Requirements: JavaScript is disabled in WebViews unless explicitly required."


def test_a_question_for_what_something_contains_favours_the_list_of_its_contents():
    from assistant.answering.extractive import ExtractiveAnswerer, _Piece, _Unit
    from assistant.questions import analyse
    from assistant.units import Piece, Unit

    def listing(intro: str, items: list[str]) -> _Unit:
        texts = [intro, *items]
        pieces = [Piece(0, len(t), "sentence" if i == 0 else "item") for i, t in enumerate(texts)]
        return _Unit(0, 0, Unit(0, 1, "list", tuple(pieces)), [_Piece(0, 0, p, t) for p, t in zip(pieces, texts)])

    settings = Settings()
    bonus = ExtractiveAnswerer(settings, weigh=lambda text: {})._bonus
    question = analyse("what has to go into the carbon footprint declaration?")
    contents = listing("The declaration shall contain at least the following information:", ["(a) the model;", "(b) the plant."])
    acts = listing("The Commission shall adopt:", ["(a) a delegated act;", "(b) an implementing act."])
    assert bonus(contents, question, set(), []) == settings.answer_fact_bonus
    assert bonus(acts, question, set(), []) == settings.answer_fact_bonus * 0.5
    at_least = listing("The notification shall at least:", ["(a) describe the breach;", "(b) name a contact point."])
    assert bonus(at_least, analyse("what info do we need to put in the breach report?"), set(), []) == settings.answer_fact_bonus
    assert bonus(contents, analyse("which acts must the Commission adopt?"), set(), []) == settings.answer_fact_bonus * 0.5


def test_a_verb_that_only_carries_its_noun_is_not_what_the_answer_must_repeat(example):
    # "carry out" is the echo; the noun says what is asked: who assesses
    answer = example.ask("Who carries out the EXS assessments?")
    assert answer.text.startswith("Each refinery is assessed once a year by an independent assessor")


def test_an_everyday_stop_word_is_answered_by_the_word_texts_use_for_it(example):
    # "tell" is a stop word ("tell me about ..."); "who must they tell?" is answered by "notify"
    answer = example.ask("If a carrier has an incident on a truck, who is the carrier supposed to tell?")
    assert answer.text.startswith("A carrier shall notify the refinery")


def test_whether_a_text_applies_to_the_asker_is_answered_by_who_is_eligible(example):
    answer = example.ask("We are a small copper trader. Does the EXS even apply to us?")
    assert answer.text.startswith("Traders of copper and zinc are among the companies eligible to use the EXS.")


def test_things_asked_for_as_approved_by_their_class_are_declined_when_none_is_named(example):
    from assistant.questions import asked_class

    assert asked_class("Which cloud providers are approved under 800-63B?") == "cloud provider"
    assert asked_class("which authenticators are allowed at AAL3?") == ""  # a list, which may name its items only
    # the assessors the Council approves are named by no one: no firm is, though "assessed" is there
    answer = example.ask("which assessment firms are approved by the Council?")
    assert answer.abstained and "do not name an assessment firm" in answer.text


def test_a_yes_no_question_on_a_level_is_told_whether_each_requirement_applies_at_it(app_standard):
    answer = app_standard.ask("Do we have to exclude sensitive data from OS backups at level 1?")
    assert answer.text.startswith("1.4 ") and "(level: L2; not at L1)" in answer.text
    both = app_standard.ask("Is keeping credentials in the key store an L1 requirement or an L2 one?")
    assert both.text.startswith("1.1 ") and "(level: L1, L2; applies at L1, L2)" in both.text
    listing = app_standard.ask("Which data storage checks are needed at L1?")
    assert "applies at" not in listing.text  # a list of the level's rows needs no verdict on each
    added = app_standard.ask("Is there anything stricter at L2 for data storage?")
    assert "(level: L2)" in added.text and "applies at" not in added.text  # only L2's own rows: no verdict needed


def test_a_level_verdict_reads_the_level_columns_in_the_standards_own_names():
    from assistant.questions import level_verdict

    assert level_verdict("L2, L3", {"1", "2"}) == "applies at L2, not at L1"
    assert level_verdict("IG2, IG3", {"1"}) == "not at IG1"
    assert level_verdict("R", {"1"}) == "" and level_verdict("L1", set()) == ""


def test_a_paragraph_named_by_its_prefixed_id_is_quoted_alone(fresh, tmp_path):
    guide = tmp_path / "reporting.md"
    guide.write_text(
        "# Reporting standard\n\n## Application requirements\n\n"
        "AR 1. The undertaking shall describe its value chain in its report.\n\n"
        "AR 2. Severity is judged by scale, scope and whether the harm can be remedied.\n\n"
        "AR 3. The undertaking may use sector averages where data is missing.\n",
        encoding="utf-8",
    )
    assert fresh.ingest([guide])[0].status == "added"
    answer = fresh.ask("What does AR 2 say?")
    assert answer.text.startswith("AR 2. Severity is judged") and "AR 3" not in answer.text
    assert [c.section for c in answer.citations] == ["AR 2"]


@pytest.fixture(scope="module")
def exs(tmp_path_factory):
    """The example guide saved as "exs.md": its id names it, so "the EXS" in a question names it."""
    return _indexed_example(tmp_path_factory, "exs.md")


@pytest.mark.parametrize(
    "question, expected",
    [
        ("Our records are on paper in a cabinet. What does the EXS allow?", "paper or in electronic form"),
        ("Our scale at the plant was tested by a laboratory last year. What does the EXS require?", "test the site scale every six months"),
    ],
)
def test_an_asking_sentence_naming_only_the_document_leaves_the_subject_to_the_scene(exs, question, expected):
    # "What does the EXS allow?" has one word of its own besides the document's name: what is
    # asked about is in the scene (the records on paper, the scale), not what the EXS is
    lead = exs.ask(question).text.split("\n\n")[0]
    assert expected in lead



ACT = """Regulation on Example Reporting

Article 1
Subject matter
1. Undertakings shall report their water use every year.
2. The report shall be published on the undertaking's website.

Article 2
Entry into force and application
This Regulation shall enter into force on the twentieth day following that of its publication. It shall apply from 1 March 2025 for financial years beginning on or after 1 March 2025. This Regulation shall be binding in its entirety and directly applicable in all Member States. Done at Brussels, 3 February 2025.
"""


def test_the_formula_closing_an_act_is_not_quoted_with_its_last_paragraph(tmp_path):
    path = tmp_path / "act.txt"
    path.write_text(ACT, encoding="utf-8")
    assistant = make_assistant(tmp_path / "index")
    assert assistant.ingest([path])[0].status == "added"
    answer = assistant.ask("From which financial year does the regulation apply, and when did it come into force?")
    assert "1 March 2025" in answer.text
    assert "Done at Brussels" not in answer.text and "binding in its entirety" not in answer.text


def test_how_many_requirements_a_part_holds_is_counted_from_its_table(app_standard):
    answer = app_standard.ask("How many requirements are there in the data storage chapter?")
    assert not answer.abstained
    assert answer.text.startswith("V1 Data Storage Requirements lists 4 numbered requirements, 1.1 to 1.4")
    assert [c.quote.split()[0] for c in answer.citations] == ["1.1", "1.4"]  # the first and the last row, quoted
    assert app_standard.ask("how many requirements are in V2?").text.startswith("V2 Network Requirements lists 2 numbered requirements, 2.1 to 2.2")


def test_the_requirements_of_a_part_asked_as_a_list_are_all_its_rows_with_their_levels(app_standard):
    answer = app_standard.ask("List the data storage requirements.")
    assert not answer.abstained
    assert answer.text.startswith("V1 Data Storage Requirements lists 4 numbered requirements:")
    assert [c.quote.split()[0] for c in answer.citations] == ["1.1", "1.2", "1.3", "1.4"]  # every row, in order
    assert all("(level: " in line for line in answer.text.splitlines()[1:])  # each with its own level
    assert not app_standard.ask("Which data storage requirements apply at L2?").text.startswith("V1 Data Storage")


def test_a_count_of_rows_names_its_standard_when_several_are_searched(tmp_path, sample_pdf):
    from pdf_factory import make_requirements_pdf

    assistant = make_assistant(tmp_path / "index")
    assert [r.status for r in assistant.ingest([make_requirements_pdf(tmp_path / "app_standard.pdf"), sample_pdf.path])] == ["added", "added"]
    answer = assistant.ask("how many requirements are in V2?")
    assert answer.text.startswith("Example App Verification Standard, V2 Network Requirements lists 2 numbered requirements")


def test_a_count_of_something_no_part_is_titled_by_is_no_count_of_rows(app_standard):
    # the question names no part of the standard: the rows of the best-ranked table do not count its checks
    answer = app_standard.ask("How many checks does the app run on a password?")
    assert "numbered requirements" not in answer.text


def test_a_table_split_over_several_passages_is_counted_whole(tmp_path):
    from pdf_factory import make_requirements_pdf

    assistant = make_assistant(tmp_path / "index", chunk_max_chars=260, chunk_min_chars=80)
    assert assistant.ingest([make_requirements_pdf(tmp_path / "app_standard.pdf")])[0].status == "added"
    v1 = [c for c in assistant.store.chunks if c.section == "V1"]
    assert len(v1) > 2  # the table is split: no one passage holds every row
    answer = assistant.ask("How many requirements are there in the data storage chapter?")
    assert answer.text.startswith("V1 Data Storage Requirements lists 4 numbered requirements, 1.1 to 1.4")


def test_a_further_part_is_not_answered_by_a_passage_sharing_only_one_of_its_words(example):
    question = "Who decides the fines for breaking the EXS, and what requirements do those penalties have to meet?"
    answer = example.ask(question)
    assert answer.citations[0].section == "25(1)"  # the member bodies lay down the penalties: that says who
    assert all(c.section != "26" for c in answer.citations)  # "the Council shall decide" on codes is no answer



def test_evidence_reads_a_sentence_against_the_whole_message_when_the_asking_sentence_is_vague():
    import numpy as np

    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.types import Chunk, Hit

    question = "Our guard rails come loose on beds already sold to customers. What steps must makers take now?"
    rule = "Makers who find that a product they sold is unsafe shall recall it and tell the authority at once."

    class Embedder:  # the vague asking sentence is far from the rule; the message with its scene is close
        def encode_query(self, text):
            return np.array([0.2, 0.98]) if text.startswith("What steps") else np.array([0.9, 0.44])

        def encode_cached(self, texts, max_tokens=None):
            return np.array([[1.0, 0.0]] * len(texts))

    chunk = Chunk("d:1:00000", "d", "D", "1", "d.pdf", 1, 1, "9", "9 Recalls", rule)
    hits = (Hit(chunk, 1.0, dense=0.45, lexical=0.2),)
    answerer = ExtractiveAnswerer(Settings(), weigh=lambda text: {t: 1.0 for t in text.lower().split()}, embedder=Embedder())
    answer = answerer.answer(AnswerRequest(question=question, hits=hits))
    # 0.4 x 0.45 + 0.15 x 0.2 + 0.45 x 0.9 = 0.615 (against the asking sentence alone: 0.3)
    assert not answer.abstained and answer.text.startswith("Makers who find")


def test_the_rule_binding_the_role_the_asker_gives_themselves_leads():
    import numpy as np

    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.types import Chunk, Hit

    question = "We make desk lamps. How many years do we have to keep the technical documentation?"
    importers = Chunk("d:1:00000", "d", "D", "1", "d.pdf", 1, 1, "11", "11 Importers", "Importers shall keep the technical documentation for 8 years.")
    makers = Chunk("d:1:00001", "d", "D", "1", "d.pdf", 1, 1, "9", "9 Manufacturers", "Manufacturers shall keep the technical documentation for 10 years.")
    hits = (Hit(importers, 1.0, dense=0.5, lexical=0.5), Hit(makers, 0.9, dense=0.5, lexical=0.5))

    class Embedder:  # every sentence as close as the other: only the role tells them apart
        def encode_query(self, text):
            return np.array([1.0, 0.0])

        def encode_cached(self, texts, max_tokens=None):
            return np.array([[0.8, 0.6]] * len(texts))

    def lead(**overrides):
        weigh = lambda text: {t: 1.0 for t in text.lower().split()}  # noqa: E731
        answerer = ExtractiveAnswerer(Settings(**overrides), weigh=weigh, embedder=Embedder())
        return answerer.answer(AnswerRequest(question=question, hits=hits)).text

    assert lead().startswith("Manufacturers shall keep")  # "we make": the makers' rule, though ranked second
    assert not lead(answer_role_bonus=0.0).startswith("Manufacturers shall keep")

    # the rule for the role the asker gives themselves sets no number: another role's is no answer
    question = "We're a distributor of desk lamps. How many years do we have to keep the technical documentation?"
    sellers = Chunk("d:1:00001", "d", "D", "1", "d.pdf", 1, 1, "12", "12 Distributors", "Distributors shall check the marking.")
    hits = (Hit(importers, 1.0, dense=0.5, lexical=0.5), Hit(sellers, 0.9, dense=0.5, lexical=0.5))
    assert lead().startswith("The indexed documents do not give")
    hits = (Hit(importers, 1.0, dense=0.5, lexical=0.5),)  # a text that binds no distributor: its rule may be everyone's
    assert lead().startswith("Importers shall keep")


def test_a_number_the_asker_counts_settles_only_a_sentence_about_what_is_asked():
    import numpy as np

    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.types import Chunk, Hit

    question = "Our policy makes everyone change their password every 90 days. Is that what the standard wants?"
    codes = Chunk("d:1:00000", "d", "D", "1", "d.pdf", 1, 1, "6", "6 Codes", "Codes sent by post shall be valid for at most 7 days.")
    change = Chunk("d:1:00001", "d", "D", "1", "d.pdf", 1, 1, "5", "5 Secrets", "Verifiers should not require passwords to be changed periodically.")
    hits = (Hit(codes, 1.0, dense=0.5, lexical=0.5), Hit(change, 0.9, dense=0.5, lexical=0.5))

    class Embedder:  # every sentence as close as the other
        def encode_query(self, text):
            return np.array([1.0, 0.0])

        def encode_cached(self, texts, max_tokens=None):
            return np.array([[0.8, 0.6]] * len(texts))

    from assistant.lexical import tokenize

    weigh = lambda text: {t: 1.0 for t in tokenize(text)}  # noqa: E731
    answer = ExtractiveAnswerer(Settings(), weigh=weigh, embedder=Embedder()).answer(AnswerRequest(question=question, hits=hits))
    assert answer.text.startswith("Verifiers should not")  # "7 days" counts days, but of codes, not of a password's life


def test_a_further_part_takes_the_best_unit_close_enough_to_the_lead():
    import numpy as np

    from assistant.answering.extractive import ExtractiveAnswerer
    from assistant.lexical import tokenize
    from assistant.types import Chunk, Hit

    question = "Who decides the fines, and what requirements do those penalties have to meet?"
    rules = Chunk("d:1:00000", "d", "D", "1", "d.pdf", 1, 1, "25", "25 Penalties",
                  "1. The member bodies shall decide the rules on fines.\n\n2. The penalties shall be effective, proportionate and dissuasive.")
    other = Chunk("d:1:00001", "d", "D", "1", "d.pdf", 1, 1, "7", "7 Conformity",
                  "A product that follows the standards is presumed to meet the requirements they cover.")
    hits = (Hit(rules, 1.0, dense=0.5, lexical=0.5), Hit(other, 0.9, dense=0.5, lexical=0.5))

    class Embedder:  # the further part reads close to the clause on conformity, the whole question far from it
        def encode_query(self, text):
            return np.array([0.0, 1.0]) if text.startswith("what requirements") else np.array([1.0, 0.0])

        def encode_cached(self, texts, max_tokens=None):
            return np.array([[0.2, 0.98] if "presumed" in t else [0.7, 0.71] if "dissuasive" in t else [0.9, 0.44] for t in texts])

    weigh = lambda text: {t: 1.0 for t in tokenize(text)}  # noqa: E731
    answer = ExtractiveAnswerer(Settings(), weigh=weigh, embedder=Embedder()).answer(AnswerRequest(question=question, hits=hits))
    # the clause on conformity fits the part best but is far from the question: the next best answers it
    assert "effective, proportionate and dissuasive" in answer.text
    assert "presumed" not in answer.text
