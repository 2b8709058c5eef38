"""Follow-up detection: a question that leans on the one before is read with it; a complete new
question, or one that says it changes the topic, is not."""

import pytest

from assistant.conversation import asked, is_follow_up, rewrite
from assistant.service import Assistant


@pytest.mark.parametrize(
    "question",
    [
        "and for traders?",
        "and at AAL3?",
        "how often must it be updated?",
        "what is its purpose?",
        "who approves them?",
        "Is that a problem?",
        "how many hours a week must its phone line be staffed?",
        "what about industrial batteries with external storage?",
        "ok and how is that rate calculated?",
    ],
)
def test_a_question_without_its_own_subject_is_a_follow_up(question):
    assert is_follow_up(question)


@pytest.mark.parametrize(
    "question",
    [
        "How does a JDD assessment work and who carries it out?",  # "it" refers inside the question
        "What does the standard require for the supplier risk assessment?",
        "our smelter had about 500 receipts last year. how many will the auditors check?",
        "Different question - how long do we have to keep replacement batteries available?",
        "Different topic: does MASVS also set requirements for our backend web services?",
        "What does 5.2.3 say about it?",  # names its clause
    ],
)
def test_a_question_with_its_own_subject_is_not_a_follow_up(question):
    assert not is_follow_up(question)


def test_three_turns_carry_the_subject_only_where_needed():
    first = "What is the supplier risk assessment in 5.2.3?"
    second = "and how often must it be updated?"
    third = "How does a JDD assessment work and who carries it out?"
    queries = [Assistant.search_query(q, [first, second, third][:i]) for i, q in enumerate([first, second, third])]
    assert queries[0] == first
    assert "supplier risk assessment" in queries[1] and queries[1].startswith(second)
    assert queries[2] == third  # a complete new question is searched as asked
    assert rewrite(second, []) == second  # no history, nothing to carry


def test_a_follow_up_of_no_kind_of_its_own_asks_what_the_question_before_asked():
    first = "How long can someone stay logged in at AAL2 before they must authenticate again?"
    assert asked("and at AAL3?", [first]).kind == "duration"
    # through a chain of follow-ups
    start = "When does the carbon footprint declaration become mandatory for EV batteries?"
    assert asked("what about industrial batteries?", [start, "and for LMT batteries?"]).kind == "start"
    counted = asked("ok and if it's the fingerprint reader instead?", ["How many wrong password tries should we allow?"])
    assert (counted.kind, counted.unit) == ("quantity", "tri")
    # a follow-up with a kind of its own keeps it; a new question is read alone; so is one after a definition
    assert asked("and who approves it?", [first]).kind == "actor"
    assert asked("Different question - is a lot a batch?", [first]).kind != "duration"
    assert asked("and at AAL3?", ["what is a memorized secret?"]).kind == "open"
    assert asked("and at AAL3?", []).kind == "open"


def test_a_chain_of_follow_ups_carries_the_subject_not_the_last_follow_ups_words():
    turns = ["What is the JDD?", "and when did it start?", "and who runs it?"]
    assert Assistant.search_query(turns[1], turns[:1]) == "and when did it start? JDD"
    assert Assistant.search_query(turns[2], turns[:2]) == "and who runs it? JDD"  # not "start JDD"
    # a question naming its own subject starts a new one
    assert Assistant.search_query("and how often is it updated?", ["What is the JDD?", "What is a red flag?"]).endswith("red flag")


def test_the_subject_carried_is_what_the_question_before_asked_before_its_scene():
    earlier = ("We are a software vendor. Our scoring model wrongly refused loans to hundreds of people in one "
               "country last week. How soon must we report this?")
    carried = rewrite("And if it hit applicants in several Member States?", [earlier])
    assert carried.split("?")[1].split()[0] == "report"  # not only the vendor, the model and the loans


@pytest.mark.parametrize(
    "question, replaces",
    [
        ("and for traders?", True),
        ("what about AAL3?", True),
        ("ok and if it's the fingerprint reader instead?", True),
        ("how often must it be updated?", False),  # "it" is the earlier subject, still asked about
        ("and how long must they be kept?", False),
        ("what about it?", False),  # nothing of its own
        ("and at level 2, is there anything stricter on top of that?", False),  # adds to the earlier subject
    ],
)
def test_a_follow_up_naming_something_in_the_earlier_subjects_place(question, replaces):
    from assistant.conversation import replaces_subject

    assert replaces_subject(question) is replaces
