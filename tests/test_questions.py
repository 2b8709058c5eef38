"""Question kinds, parts and terms (assistant/questions.py), and how kinds of fact are recognised."""

import pytest

from assistant.questions import analyse, asks_own_duty, asked_bound, asks_relation, asked_unit, compared_sides, defined_term_asked, names_asked, states


@pytest.mark.parametrize(
    "question, kind",
    [
        ("How long must a password be?", "size"),  # a length, not a time
        ("how long do we have to fix a serious problem?", "duration"),
        ("how much experience does the compliance officer need", "duration"),
        ("How often must the risk assessment be updated?", "frequency"),
        ("when did the JDD first come out?", "date"),
        ("when must a breach be reported?", "when"),
        ("By when do we have to register our new DPO?", "duration"),  # a deadline, not the condition that sets it off
        ("how many working days does the authority have to notify it?", "duration"),  # "four working days" is a span, not a count
        ("When does the carbon footprint declaration become mandatory for EV batteries?", "start"),
        ("when do the due diligence obligations actually kick in?", "start"),
        ("When did GDPR actually start applying?", "start"),
        ("When does the CSP have to revoke the binding of an authenticator?", "when"),  # "binding" the noun
        ("how many red flags are there?", "quantity"),
        ("how random do session tokens have to be?", "quantity"),  # bits of entropy
        ("Is there a company size threshold under which the chapter does not apply?", "quantity"),
        ("what recycling efficiency do recyclers have to hit?", "quantity"),  # a measure after its modifier
        ("what collection targets apply for waste batteries?", "quantity"),
        ("how much does an assessment cost?", "money"),
        ("What fines can we get for that?", "money"),
        ("Who decides the fines for breaking the rules?", "actor"),  # asks who, not how much
        ("is it fine to sell used toys online?", "yesno"),  # "fine" the adjective: no penalty asked
        ("could we be fined for that?", "money"),
        ("What requirements do those penalties have to meet?", "list"),  # asks the requirements
        ("Who owns the Joint Due Diligence Standard?", "actor"),
        ("who in the company has to be in charge of the policy?", "actor"),  # "charge" is no cost here
        ("what counts as a red flag?", "definition"),
        ("is she a data subject?", "definition"),
        ("Does the mere fact that a safer model exists mean ours counts as a dangerous product?", "yesno"),  # a rule settles it
        ("what is the package manager supposed to check?", "open"),  # a duty, not a term
        ("GDPR has two levels of fines, right?", "yesno"),
        ("What kinds of penalties can a company face for breaking the regulation?", "list"),  # the kinds, not an amount
        ("what fine does the mining law set?", "money"),  # a statement to confirm, not a question for an amount
        ("which metals does the JDD cover?", "list"),
        ("What SBOM formats does SCVS mention?", "list"),  # things asked for by a plural noun
        ("What process does the verifier use?", "open"),  # a noun ending in -ss is no plural
        ("In which situations is a DPIA required?", "list"),
        ("which social and environmental risks do we have to look at?", "list"),  # three words before the plural
        ("which of the following is true?", "open"),  # "is" is no plural  # a question word after the preposition: no setting
        ("what has to go into the carbon footprint declaration?", "list"),  # what it contains
        ("What does the due diligence policy include?", "list"),  # not a definition of "policy include"
        ("To whom must the breach report be sent?", "actor"),
        ("what's the difference between a module and a pack?", "compare"),
        ("why was the JDD made?", "why"),
        ("can we block third-party keyboards?", "yesno"),
        ("What does 5.2.3 say?", "clause"),
        ("MSTG-CODE-9 - what's that one about?", "clause"),
    ],
)
def test_question_kinds(question, kind):
    assert analyse(question).kind == kind


@pytest.mark.parametrize(
    "question, term",
    [
        ("what counts as a 'producer' under the EU battery regulation? is it only the maker?", "producer"),
        ("In the battery regulation what does re-manufacturing mean exactly?", "re-manufacturing"),
        ("What does 'state of health' of a battery mean?", "state of health"),
        ("ASM - what's that?", "ASM"),
        ("I'm new to this - what exactly is MASVS-R?", "MASVS-R"),
        ("who counts as an importer under the battery rules?", "importer"),
        ("What exactly counts as deforestation under the EUDR? Does it only count if people cleared it?", "deforestation"),
        ("what is a processor in GDPR?", "processor"),
        ("what is a spare part in stock?", "spare part in stock"),  # "stock" names no text
        ("What makes a business a 'fulfilment service provider' under the GPSR?", "fulfilment service provider"),
        ("When does a change like that count as a substantial modification that turns us into the maker?", "substantial modification"),
        ("what makes an audit valid?", ""),  # a quality asked of it, no class it belongs to
        ("Is that a problem?", ""),  # not a term
        ("what is it?", ""),
    ],
)
def test_the_term_a_definition_question_asks_about(question, term):
    assert defined_term_asked(question) == term


def test_multi_part_questions_split_into_their_parts():
    question = analyse("How often is a high risk reviewed and who approves it?")
    assert [p.kind for p in question.parts] == ["frequency", "actor"]
    # context before the question joins it, it is not a part of its own
    assert analyse("under the cobalt code, how long do we have to fix it?").parts == ()
    # each sentence that asks is a part; a sentence of context is not
    two = analyse("We remanufacture packs. Do we need a new declaration? And from when?")
    assert [p.kind for p in two.parts] == ["yesno", "when"]
    assert analyse("Different question - how long do we keep files?").kind == "duration"
    # "or" offers the answers to one question
    assert analyse("is sending codes by SMS still allowed, or is it banned now?").parts == ()
    # a part whose subject is a pronoun for what the part before asked about is read with its words
    leaning = analyse("How does the Commission classify a country as high risk? What criteria does it use?")
    assert leaning.parts[1].text == "What criteria does it use"
    assert leaning.parts[1].before.startswith("How does the Commission classify a country")
    assert analyse("How often is a high risk reviewed and who approves the review?").parts[1].before == ""
    # a question word after a preposition opens a part: "..., and by what date?", "to whom ...?"
    dated = analyse("What must the annual report contain, and by what date is it due?")
    assert [p.kind for p in dated.parts] == ["list", "date"]
    sent = analyse("To whom do we send the notice and within how many days?")
    assert [p.text for p in sent.parts] == ["To whom do we send the notice", "within how many days"]
    # "in what order" qualifies the question before it; it asks nothing of its own
    assert analyse("What main parts does the statement need and in what order?").parts == ()


@pytest.mark.parametrize(
    "kind, text, found",
    [
        ("duration", "shall be kept for at least five years", True),
        ("duration", "keep it on paper for **twelve** years", True),
        ("duration", "as set out in Section 5.1.1", False),  # a clause number is no time limit
        ("quantity", "the factors specified in Table 7-1", False),  # nor a table's number a count
        ("duration", "an efficiency of 65 % by 31 December 2025", True),  # the date a time limit ends
        ("duration", "the report of 2025", False),
        ("size", "SHALL be at least 8 characters in length", True),
        ("frequency", "updated at least once every 18 months", True),
        ("frequency", "periodically audited by that notified body", False),  # no frequency given
        ("quantity", "limit consecutive failed attempts to no more than 100", True),
        ("quantity", "such as \"Password1!\"", False),  # a digit inside a word
        ("quantity", "From 18 August 2027, economic operators shall", False),  # a date is no count
        ("quantity", "2.15 MSTG-STORAGE-1 5 wiped after an excessive number of attempts", False),  # ids
        ("quantity", "5.4 MSTG-NETWORK- 4 The app pins the endpoint certificate", False),  # an id broken after its hyphen
        ("quantity", "2.2.3 Verify that users are notified after updates \u2713 \u2713 \u2713 620 5.1.1.2", False),  # CWE and reference columns
        ("quantity", "2.2.1 Verify that no more than 100 failed attempts per hour are possible \u2713 \u2713 \u2713 307", True),
        ("quantity", "SP 800-63-2 permitted the use of randomly generated PINs", False),  # a document's designation
        ("money", "a net turnover of less than EUR 40 million", True),
        ("money", "cost-based and proportionate fees", False),  # a fee, but no amount
        ("date", "From 18 August 2027", True),
        ("when", "SHALL be erased when the subscriber logs out", True),
        # the date a rule starts to apply, not a deadline for someone else
        ("start", "From 18 August 2027, economic operators shall fulfil the obligations", True),
        ("start", "The carbon footprint declaration shall apply from: (a) 18 February 2025 or later", True),
        ("start", "This requirement applies to all sites from 1 January 2025.", True),
        ("start", "The Commission shall, by 18 February 2024, adopt a delegated act", False),
        ("start", "Article 7 shall apply from the date of entry into force", False),  # no date stated
        ("quantity", "All printing ASCII [[RFC 20]](#RFC20) characters SHOULD be acceptable", False),  # a code
        ("quantity", "Repetitive or sequential characters (e.g. 'aaaaaa', '1234abcd')", False),
        ("quantity", "as defined in Section 12.1 of the standard", False),  # a dotted clause number
        ("quantity", "A.2 Length", False),  # an appendix clause
        ("date", "Regulation (EC) No 45/2001 applies to the Union institutions", False),  # an act's number
    ],
)
def test_kinds_of_fact(kind, text, found):
    assert states(kind, text) is found


@pytest.mark.parametrize(
    "text, found",
    [
        ("The policy shall be reviewed every 24 months.", True),
        ("The assessment is updated at least once every three (3) years.", True),
        ("Sites are audited twice a year.", True),
        ("The report is published annually.", True),
        ("The site must carry out the improvement plan within 12 months.", False),  # a deadline, not a recurrence
        ("Records shall be kept for seven years.", False),
    ],
)
def test_how_often_is_answered_by_a_recurrence_not_a_span_of_time(text, found):
    assert states("frequency", text) is found


@pytest.mark.parametrize(
    "question, unit",
    [
        ("How many years do we have to keep the records?", "year"),
        ("How many wrong password tries should we allow?", "tri"),
        ("what's the minimum number of charge cycles a battery has to achieve?", "cycl"),
        ("how much experience does the officer need?", ""),  # measured, not counted
        ("How many of the receipts will they check?", ""),
        ("What's the maximum number of characters 800-63B lets us set?", "charact"),  # a designation after it
        ("what's the maximum carbon footprint allowed, in kg CO2e per kWh?", "kg"),  # the unit it is asked in
        ("What percentage of waste portable batteries has to be collected by 2030?", "percent"),  # a share
        ("what share of recycled lithium is required?", "percent"),
        ("What is the maximum battery weight allowed in a smartphone?", "kg"),  # a mass, in any unit of mass
        ("How heavy can a portable battery be?", "kg"),
        ("what's the minimum number of stakeholders or interviews ESRS requires?", "stakehold"),  # the first of two
    ],
)
def test_what_a_count_question_counts(question, unit):
    assert asked_unit(question) == unit
    assert analyse(question).unit == unit


@pytest.mark.parametrize(
    "kind, text, unit, found",
    [
        ("duration", "Codes sent by post are valid for at most 7 days.", "year", False),
        ("duration", "Records shall be kept for seven (7) years.", "year", True),
        ("duration", "Notify it within four working days after the measure is taken.", "day", True),  # working days are days
        ("duration", "Notify it within four working days after the measure is taken.", "month", False),
        ("quantity", "PINs of 6 or more digits and secrets of at least 8 characters.", "entri", False),
        ("quantity", "Failed attempts on one account are limited to no more than 100.", "tri", True),
        ("quantity", "There are three location red flags:", "flag", True),
        ("quantity", "Power capability at 80 % state of charge.", "cycl", False),
        # how many of them: a share of them counts them ("how many companies are checked each year?")
        ("quantity", "The annual checks shall cover at least 3 % of the operators placing products on the market.", "compani", True),
        ("quantity", "The annual checks shall cover at least 3 % of the operators.", "day", False),  # not days
        # a share is stated as a percentage, not by a formula that has numbers of its own
        ("quantity", "The rate is the percentage obtained by dividing the weight collected at 12 points by the weight sold.", "percent", False),
        ("quantity", "(c) 73 % by 31 December 2030.", "percent", True),
        ("quantity", "In April 2024, certified sites produced more than 30% of mined copper.", "percent", True),  # no space
        # a mass is stated in a unit of mass: a symbol's size in cm is no battery's weight
        ("quantity", "The symbol shall cover 3 % of the side, up to a maximum size of 5 × 5 cm.", "kg", False),
        ("quantity", "A portable battery is sealed and weighs 5 kg or less.", "kg", True),
        ("quantity", "Each pallet may carry at most 2 tonnes.", "kg", True),
    ],
)
def test_a_number_of_another_unit_does_not_answer_a_count(kind, text, unit, found):
    assert states(kind, text, unit) is found
    assert states(kind, text)  # without the unit, any number would do


@pytest.mark.parametrize(
    "question, sides",
    [
        ("what's the difference between a battery module and a battery pack?", ("battery module", "battery pack")),
        ("whats the difference between a single-factor device and a multi-factor one?", ("single-factor device", "multi-factor device")),
        ("In a nutshell, how is L2 different from L1?", ("L2", "L1")),
        ("JDD Annex II vs OECD Annex II - what's the difference?", ("JDD Annex II", "OECD Annex II")),
        ("is the JDD the same thing as the Copper Mark?", ("JDD", "Copper Mark")),
        ("how does the JDD compare with the Copper Mark criteria?", ("JDD", "Copper Mark criteria")),
        # what differs is named before "between"; the text's name qualifies the second side
        ("What's the difference in obligations between a big trader and a small trader under EUDR?", ("big trader", "small trader")),
        ("what is the difference?", None),
    ],
)
def test_a_comparison_asks_what_each_side_is(question, sides):
    assert compared_sides(question) == sides
    if sides:
        question = analyse(question)
        assert question.kind == "compare"
        assert [(p.kind, p.term) for p in question.parts] == [("definition", side) for side in sides]


def test_a_sentence_setting_only_the_other_bound_does_not_answer_a_limit():
    assert asked_bound("What's the exact maximum number of characters we may set as the upper limit?") == "max"
    assert asked_bound("what is the minimum length of a password?") == "min"
    assert asked_bound("how long must a password be?") == ""
    assert not states("size", "Memorized secrets SHALL be at least 8 characters in length", bound="max")
    assert states("size", "Memorized secrets SHALL be at least 8 characters in length", bound="min")
    assert states("quantity", "no more than 100 consecutive failed attempts", bound="max")
    assert not states("quantity", "a capacity greater than 2 kWh", bound="max")
    assert states("quantity", "SHALL be 8 characters", bound="max")  # no bound said: it may answer


def test_words_of_emphasis_are_not_part_of_what_is_asked():
    from assistant.questions import asking_sentences

    assert asking_sentences("In which situations is a DPIA specifically required?") == ["In which situations is a DPIA required?"]


def test_when_people_say_a_word_they_ask_what_it_means_in_one_question():
    question = analyse("when people say 'refiner', who do they mean?")
    assert (question.kind, question.term, question.parts) == ("definition", "refiner", ())
    assert len(analyse("when must a breach be reported, and who must be told?").parts) == 2


@pytest.mark.parametrize(
    "question, scope",
    [
        ("does the cobalt refining code even apply to us?", True),
        ("Does GDPR apply to a US online shop?", True),
        ("Are traders in scope?", True),
        ("When does the carbon footprint declaration apply?", False),  # from when, not to whom
        ("what rules apply to passwords?", False),
        ("Is a lost laptop covered as a breach?", False),  # what a term covers
    ],
)
def test_questions_about_whom_a_text_applies_to(question, scope):
    from assistant.questions import asks_scope

    assert asks_scope(question) is scope


@pytest.mark.parametrize(
    "question, whole_text",
    [
        ("does the cobalt refining code even apply to us?", True),
        ("Does GDPR apply to a US online shop?", True),
        ("Does it apply to an online shop in Texas?", True),
        ("does the JDD cover molybdenum?", True),
        ("Are traders in scope?", True),
        ("does the 7-year retention apply to grievance records?", False),  # one rule's reach
        ("does the password rule apply to PINs?", False),
        ("what rules apply to passwords?", False),
    ],
)
def test_a_question_about_whom_the_whole_text_applies_to(question, whole_text):
    from assistant.questions import asks_text_scope

    assert asks_text_scope(question) is whole_text


@pytest.mark.parametrize(
    "question, wanted",
    [
        ("which vulnerability scanner does the SCVS recommend for our libraries?", "scanner"),
        ("which lab should we use to test cobalt purity?", "lab"),
        ("which Copper Mark criterion can the JDD stand in for?", "criterion"),
        ("which metals does the JDD cover?", ""),  # a list, whose items need not name their class
        ("at which level must we detect rooted phones?", ""),
        ("which is stricter?", ""),
        # after the scene the asker sets, and named by several words
        ("We're a rubber importer. Which accredited body or outside audit firm do we have to use?", "firm"),
    ],
)
def test_the_class_of_the_one_thing_a_which_question_asks_for(question, wanted):
    from assistant.questions import asked_class

    assert asked_class(question) == wanted


@pytest.mark.parametrize(
    "question, wanted",
    [
        ("which social and environmental risks do we have to look at?", "risks"),
        ("what documents must a site keep?", "documents"),
        ("which metals does the JDD cover?", "metals"),
        ("what are the serious abuses in Annex II?", "abuses"),
        ("What are the location red flags?", "flags"),
        ("list the serious abuses in OECD annex II", "abuses"),
        ("which combinations of authenticators are acceptable for AAL3?", "combinations"),
        ("what kinds of records must we keep?", "records"),
        ("which vulnerability scanner does the SCVS recommend?", ""),  # one thing, not a list
        ("what does the process look like?", ""),  # "process" is no plural
        ("how many red flags are there?", ""),
    ],
)
def test_the_plural_noun_a_which_question_asks_for_the_members_of(question, wanted):
    from assistant.questions import asked_items

    assert asked_items(question) == wanted


def test_the_words_saying_what_kind_of_answer_is_asked_are_not_searched():
    from assistant.questions import keyword_text

    assert keyword_text("how fast do we have to tell the regulator?") == "how do we have to tell the regulator?"
    assert keyword_text("How soon, and how often, must we report?") == "How, and how, must we report?"
    assert keyword_text("how long must a password be?") == "how long must a password be?"  # "64 characters long"
    assert keyword_text("How long do we keep the file?") == "How do we keep the file?"  # a span: not "as long as"
    asked = "how long does the code have to be, and how long can it stay valid?"
    assert keyword_text(asked) == asked  # a size asked first: "long" stays
    assert keyword_text("is fast login allowed?") == "is fast login allowed?"
    assert keyword_text("who carries out the assessments?") == "who the assessments?"
    assert keyword_text("Who performs the audit?") == "Who the audit?"
    assert keyword_text("does the code of conduct apply?") == "does the code of conduct apply?"  # a noun
    assert keyword_text("what does JDD stand for?") == "what does JDD ?"
    assert keyword_text("can a trader stand in for the refiner?") == "can a trader stand in for the refiner?"
    assert keyword_text("who counts as a user?") == "who  as a user?"  # asks who is one, not about counting
    assert keyword_text("how do we count employees?") == "how do we count employees?"
    # the season in which the asker did something is no topic of the texts
    assert "spring" not in keyword_text("We set up our procedures last spring. How often must we review them?")
    assert "spring" in keyword_text("which spring steel grades are covered?")


def test_what_a_level_adds_is_asked_with_a_level_named():
    from assistant.questions import asks_added

    assert asks_added("and at level 2, is there anything stricter on top of that?")
    assert asks_added("what does L3 add on top of L2?")
    assert not asks_added("is there anything extra we must do?")  # no level: not about levels
    assert not asks_added("which checks are needed at L1?")
    assert asks_added("Which password checks are only needed at L3?")  # rows of L3 and not below
    assert asks_added("which rows are L3 only?")
    assert not asks_added("is that L1 or only L2?")  # which of the two, not what one adds


def test_a_span_looked_back_over_is_no_time_limit():
    flag = "within the past 12 months, a supplier is known to have obtained material from a red-flag location."
    assert not states("duration", flag)  # "how fast must a red flag be reported?" is not answered by it
    assert states("duration", flag, asked="how far back must we look at a supplier's sources?")
    assert states("duration", "The site shall report a red flag within 12 months.")


def test_a_span_something_lasts_is_no_deadline():
    kept = "Operators shall keep a record of such updates for five years."
    asked = "What's the deadline each year for publishing our report?"
    assert not states("duration", kept, asked=asked)  # how long records are kept sets no deadline
    assert states("duration", "The report shall be published within four months of the year end.", asked=asked)
    assert not states("duration", "The certificate is valid for a period of 3 years.", asked="how soon must we renew it?")
    assert states("duration", kept, asked="how long do we keep the records?")  # a question on how long it lasts


def test_a_span_the_question_gives_to_a_thing_must_be_that_things():
    asked = "How many days' notice does the authority give before an inspection?"
    assert not states("duration", "The suspension is extended by periods of three working days.", asked=asked)
    assert states("duration", "The authority shall give 14 days' notice of an inspection.", asked=asked)
    assert states("duration", "The suspension is extended by periods of three working days.", asked="How many days is it extended by?")


def test_the_office_whose_holder_a_question_asks_for():
    from assistant.questions import asked_holder

    assert asked_holder("Who is the current chair of the European Data Protection Board?") == "chair"
    assert asked_holder("who's the CEO of the Copper Mark?") == "CEO"
    assert asked_holder("Who owns the JDD?") == ""
    assert asked_holder("who is responsible for revoking a lost token?") == ""
    assert asked_holder("Who chairs the Widget Interoperability Forum?") == "chair"  # the office by its act
    assert asked_holder("who leads the assessment?") == ""  # an assessor, not an office holder


def test_an_amount_given_as_an_example_in_brackets_sets_no_amount():
    example = "Remove repeated spaces before verifying (e.g., the use of two spaces rather than one)."
    assert not states("quantity", example, "entri")
    assert not states("duration", "Keep the log for a while (for example, 30 days) if useful.")
    assert states("duration", "Keep the log for 30 days (e.g., in a ring buffer).")  # the amount is outside the brackets
    assert states("quantity", "Block the account after no more than 100 failed attempts.", "entri")


@pytest.mark.parametrize(
    "question, relation",
    [
        ("How does 800-63B map to GDPR requirements?", True),
        ("Does the JDD align with the Copper Mark criteria?", True),
        ("what is the relationship between the code and the guide?", True),
        ("how do the two standards overlap?", True),
        ("How is L2 different from L1?", False),  # a comparison: what each says
        ("what are the requirements related to passwords?", False),  # "related" is only "about"
    ],
)
def test_a_question_on_how_texts_relate_is_told_from_a_comparison(question, relation):
    assert asks_relation(question) is relation


def test_a_question_for_the_items_in_a_named_clause_asks_for_a_list_not_the_clause():
    from assistant.questions import question_kind

    assert question_kind("what are the serious abuses in Annex II?") == "list"
    assert question_kind("list the serious abuses in OECD annex II") == "list"
    assert question_kind("what does Annex II say?") == "clause"


def test_what_a_question_sets_aside_is_not_what_it_asks_for():
    from assistant.questions import keyword_text, set_aside

    assert set_aside("besides consent, what other legal bases are there for processing someone's data?") == "consent"
    assert set_aside("which other authenticators are there apart from passwords?") == "passwords"
    assert set_aside("Apart from the fine, what else can the authority do?") == "the fine"
    assert set_aside("Can data be used for purposes other than those it was collected for?") == ""  # a condition, no aside
    assert set_aside("what is consent?") == ""
    assert keyword_text("besides consent, what other bases are there?").split() == "consent, what other bases are there?".split()


def test_what_the_asker_counts_of_themselves():
    from assistant.questions import asker_counts, counts_same

    assert asker_counts("We're a 40-person company. Do we even need to keep records?") == {"person"}
    assert asker_counts("we have 12 employees, do we need a DPO?") == {"person"}  # people of a firm, however named
    assert asker_counts("is a 3 kg battery a portable battery?") == {"kg"}
    assert asker_counts("Do we need records under Article 30?") == set()  # a clause number counts nothing
    assert counts_same("It shall not apply to an enterprise employing fewer than 250 persons.", {"person"})
    assert not counts_same("The record shall be kept for 5 years.", {"person"})


@pytest.mark.parametrize(
    "question, names",
    [
        ("Is Côte d'Ivoire classified as a high-risk country? We buy our cocoa there.", ["Côte d'Ivoire"]),
        ("Which authority enforces the regulation in the Netherlands?", ["Netherlands"]),
        ("We're a shop in the Netherlands. Are we a producer?", []),  # a name of the scene, not of what is asked
        ("Which risks does the Copper Mark cover?", ["Copper Mark"]),  # a document's name (found in the texts)
        ("Should we block keyboards like SwiftKey?", []),  # an example of what is asked about
        ("Does GDPR apply to a US shop that ships to France?", []),  # whom a text applies to
        ("What does 'Remanufacturing' mean?", []),  # a quoted term
    ],
)
def test_names_a_question_asks_about(question, names):
    assert names_asked(question) == names


def test_a_question_for_a_web_address():
    from assistant.questions import asks_web_address

    assert asks_web_address("What's the name of the portal, and what's the web address?")
    assert asks_web_address("what is the URL of the register?")
    assert not asks_web_address("Must we publish the report on our website?")  # no address asked for


def test_a_question_by_when_asks_for_a_dated_limit():
    asked = "By when must the interface be up and running?"
    assert not states("duration", "Changes shall be notified immediately to the customs authorities.", asked=asked)
    assert states("duration", "This interface shall be in place by 30 June 2028.", asked=asked)
    assert states("duration", "Changes shall be notified immediately.", asked="how soon must changes be notified?")


def test_a_question_whether_one_must_do_something_is_told_apart():
    from assistant.questions import asks_obligation

    assert asks_obligation("Do we even need to keep those records of processing activities?")
    assert asks_obligation("do I have to do due diligence again on it")
    assert asks_obligation("Is a DPIA required for this?")
    assert not asks_obligation("does the code cover zinc?")
    assert not asks_obligation("Do the pallets themselves fall under the rules?")


def test_an_acronym_is_asked_about_when_it_stands_on_its_own():
    from assistant.questions import acronyms_asked

    assert acronyms_asked("Which digital format (XBRL, ESEF or similar) do we use?") == ["XBRL", "ESEF"]
    assert acronyms_asked("Is there a set share, say 5% of revenue or EBITDA, above which it counts?") == ["EBITDA"]
    assert acronyms_asked("Does the JDD cover PGMs?") == ["PGMs"]
    assert acronyms_asked("Which format (XBRL or similar) is used?") == ["XBRL"]  # a conjunction qualifies nothing
    # qualifying the word after it, a clause or level id, a version, the first word: none
    for question in ("how precise must the GPS coordinates be?", "Does GDPR apply to us?", "What does AR 10 say?",
                     "Which checks apply at L2?", "Is TLS 1.2 enough?", "SBOM: what is it?"):
        assert acronyms_asked(question) == [], question


def test_a_question_on_how_many_requirements_a_part_holds():
    from assistant.questions import asks_row_count

    assert asks_row_count("How many controls are there in the SBOM chapter?")
    assert asks_row_count("what's the number of requirements in V4?")
    assert asks_row_count("how many resilience requirements does MASVS have?")
    assert not asks_row_count("how many days do we have to report a breach?")
    assert not asks_row_count("which controls apply at L1?")


@pytest.mark.parametrize(
    "question, own",
    [
        ("We set up procedures last spring. How often do we have to review them?", True),
        ("must I keep the invoices?", True),
        ("We sent the authority evidence. How long do they have to get back to us?", False),
        ("How often does the Commission review the list?", False),
    ],
)
def test_a_question_about_the_askers_own_duties(question, own):
    assert asks_own_duty(question) is own


@pytest.mark.parametrize(
    "question, roles",
    [
        ("We make scented candles. How long do we keep the technical file?", {"make", "manufactur", "produc"}),
        ("We manufacture bunk beds. What do we have to do?", {"manufactur"}),
        ("I'm the EU importer of safety gloves. What must I keep?", {"import"}),
        ("We're a cocoa importer. Who do we tell?", {"import"}),
        ("We're a retailer in Belgium. Must we tell the maker?", {"retail", "distribut"}),
        ("As a distributor, what must I check?", {"distribut"}),
        ("We're a bank using a scoring tool we bought. How long must we keep its logs?", {"use", "user", "deploy"}),
        ("We're a small e-shop importing bamboo kitchenware.", {"import"}),
        ("How long must importers keep the file?", set()),  # the asker gives no role of their own
        ("We sell the meal on to feed mills. Who is treated as the operator here?", set()),  # asks the role
    ],
)
def test_the_role_the_asker_gives_themselves(question, roles):
    from assistant.questions import asker_roles, role_key

    assert asker_roles(question) == roles
    assert not asker_roles("we use SMS codes. How long may a code stay valid?", weak=False)  # not surely a role
    assert role_key("importers") == role_key("import") and role_key("distributor") == role_key("distribute")


def test_the_requirements_of_a_part_asked_as_a_list():
    from assistant.questions import asks_row_list

    assert asks_row_list("List the logging requirements.")
    assert asks_row_list("what are the requirements in V4?")
    assert not asks_row_list("Which component analysis checks have to be automated already at L1?")  # one level's rows
    assert not asks_row_list("how many requirements are in V2?")  # a count
    assert not asks_row_list("What are the serious abuses in Annex II?")  # no requirement rows asked
