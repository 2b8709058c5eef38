"""Ingest, re-ingest, replace and remove against real Chroma and BM25 in a temp folder."""

import shutil

import numpy as np
import pytest

from assistant.types import Chunk
from conftest import index_state, make_assistant
from pdf_factory import Clause, make_standard_pdf, sample_clauses


def ingest_markdown(assistant, folder, **texts: str) -> None:
    """Write each text to folder/NAME.md and index them all."""
    paths = []
    for name, text in texts.items():
        path = folder / f"{name.replace('_', '-')}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    assistant.ingest(paths)


def filler_sections(body: str, topics: list[str], label: str = "") -> str:
    """Sections 3, 4, ... titled by `topics`, each with `body` ("{topic}" in it replaced by the
    topic in lower case): passages that share the words a test's question uses."""
    return "".join(
        f"## {label}{n} {topic}\n\n{body.replace('{topic}', topic.lower())}\n\n" for n, topic in enumerate(topics, start=3)
    )


def test_ingest_lists_document_in_both_stores(fresh, sample_pdf):
    (result,) = fresh.ingest([sample_pdf.path])
    assert result.status == "added" and result.pages == sample_pdf.pages
    (doc,) = fresh.documents()
    assert (doc.doc_id, doc.title, doc.version, doc.pages) == (
        "widget-standard", sample_pdf.title, sample_pdf.version, sample_pdf.pages)
    assert fresh.store.chroma_count("widget-standard") == doc.chunks == result.chunks
    assert fresh.store.keyword(["grievanc"], 5)
    copy = fresh.source_path("widget-standard")
    assert copy is not None and copy.read_bytes() == sample_pdf.path.read_bytes()


def test_reingest_unchanged_file_is_skipped_and_counts_stay(fresh, sample_pdf):
    fresh.ingest([sample_pdf.path])
    before = index_state(fresh)
    (again,) = fresh.ingest([sample_pdf.path])
    assert again.status == "unchanged"
    assert index_state(fresh) == before
    # a new process sees the same index
    assert index_state(make_assistant(fresh.settings.index_dir)) == before


def test_changed_file_replaces_its_old_chunks(fresh, tmp_path):
    path = tmp_path / "policy.pdf"
    make_standard_pdf(path, version="1.0")
    fresh.ingest([path])
    old_text = "within 120 days"
    assert any(old_text in c.text for c in fresh.store.chunks)

    clauses = [c for c in sample_clauses() if c.section != "Step 2"]
    clauses.append(Clause("9", "Transition", ["Version 2.0 replaces version 1.0 entirely and removes the old Step 2 wording."]))
    make_standard_pdf(path, version="2.0", clauses=clauses)
    (result,) = fresh.ingest([path])
    assert result.status == "replaced"
    (doc,) = fresh.documents()
    assert doc.version == "2.0"
    assert fresh.store.chroma_count() == doc.chunks == len(fresh.store.chunks)
    assert not any(old_text in c.text for c in fresh.store.chunks)
    assert all(c.version == "2.0" for c in fresh.store.chunks)
    hits = fresh.search("on-the-ground assessment within 120 days of a flagged lot", top_k=10)
    assert all(h.chunk.version == "2.0" for h in hits)


def test_remove_deletes_from_both_stores(fresh, sample_pdf, tmp_path):
    other = tmp_path / "other.pdf"
    shutil.copy(sample_pdf.path, other)
    fresh.ingest([sample_pdf.path, other])
    assert {d.doc_id for d in fresh.documents()} == {"widget-standard", "other"}
    info = fresh.remove("other")
    assert info.doc_id == "other"
    assert [d.doc_id for d in fresh.documents()] == ["widget-standard"]
    assert fresh.store.chroma_count("other") == 0
    assert fresh.source_path("other") is None
    assert fresh.store.chroma_count() == len(fresh.store.chunks)
    assert all(c.doc_id == "widget-standard" for c in fresh.store.chunks)
    assert all(h.chunk.doc_id == "widget-standard" for h in fresh.search("grievance register", top_k=10))


def test_dense_search_is_exact_and_the_same_in_every_process(fresh, sample_pdf, tmp_path):
    other = tmp_path / "other.md"
    other.write_text(
        "# Other rules\n\n## 1 Records\n\nRecords of the other scheme are kept for three years.\n\n"
        "## 2 Training\n\nStaff are trained once a year on the other scheme.\n",
        encoding="utf-8",
    )
    fresh.ingest([sample_pdf.path, other])
    vector = fresh.embedder.encode_query("how long must records be kept?")

    def dense(store, n: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        return store.ranked(store.similarities(vector), n, allowed)

    ranked = dense(fresh.store, 10)
    # every stored vector compared: the same as a full dot product over Chroma's copy of them
    stored = fresh.store.collection.get(include=["embeddings"])
    sims: dict[str, float] = {}
    for rid, vec in zip(stored["ids"], stored["embeddings"]):
        chunk_id = Chunk.id_of_window(rid)
        sims[chunk_id] = max(sims.get(chunk_id, -1.0), float(np.dot(vec, vector)))
    expected = sorted(sims, key=lambda c: -sims[c])[:10]
    assert [c for c, _ in ranked] == expected
    assert [s for _, s in ranked] == pytest.approx([sims[c] for c in expected], abs=1e-5)
    # another process, and one whose vectors file is gone (read back from Chroma), rank alike
    assert dense(make_assistant(fresh.settings.index_dir).store, 10) == ranked
    fresh.store.sidecar_file("vectors").unlink()
    rebuilt = dense(make_assistant(fresh.settings.index_dir).store, 10)
    assert [c for c, _ in rebuilt] == expected and [s for _, s in rebuilt] == pytest.approx([s for _, s in ranked])
    # a document filter, and the vectors kept right after a document is removed
    assert {c for c, _ in dense(fresh.store, 10, {"other"})} <= {c.chunk_id for c in fresh.store.chunks if c.doc_id == "other"}
    fresh.remove("other")
    assert [c for c, _ in dense(fresh.store, 5)] == [c for c in expected if not c.startswith("other:")][:5]


def test_filter_by_document_and_version(fresh, sample_pdf, tmp_path):
    older = tmp_path / "widget_old.pdf"
    make_standard_pdf(older, version="1.0")
    fresh.ingest([sample_pdf.path, older])
    hits = fresh.search("grievance register", top_k=10, doc_ids=["widget-old"])
    assert hits and {h.chunk.doc_id for h in hits} == {"widget-old"}
    hits = fresh.search("grievance register", top_k=10, versions=["2.1"])
    assert hits and {h.chunk.version for h in hits} == {"2.1"}
    assert fresh.search("grievance register", doc_ids=["nope"]) == []


def test_official_text_outranks_an_unofficial_guide_saying_the_same(fresh, sample_pdf, tmp_path):
    guide = tmp_path / "guide.md"
    guide.write_text(
        "# Widget guide (unofficial)\n\n## 3 How long must records be kept\n\n"
        "Records must be kept for seven years: the widget standard says how long records must be kept.\n",
        encoding="utf-8",
    )
    fresh.ingest([guide, sample_pdf.path])
    neutral = make_assistant(fresh.settings.index_dir, unofficial_penalty=0.0)
    assert neutral.search("How long must records be kept?")[0].chunk.doc_id == "guide"  # the closer wording
    hits = fresh.search("How long must records be kept?")
    assert hits[0].chunk.doc_id == "widget-standard" and hits[0].chunk.section == "3.3"
    assert any(h.chunk.doc_id == "guide" for h in hits)  # still shown, just not first


def test_normative_text_outranks_a_part_the_document_declares_informative(fresh, tmp_path):
    doc = tmp_path / "secrets.md"
    doc.write_text(
        "# Secrets standard\n\n## 5 Requirements\n\nThis section is normative.\n\n### 5.1 Length\n\n"
        "A secret chosen by the user shall be at least 12 characters long.\n\n"
        "## 9 Usability\n\nThis section is informative.\n\n### 9.1 Secret length\n\n"
        "How long must a secret chosen by the user be? Users find long secrets chosen by themselves tiring to type.\n",
        encoding="utf-8",
    )
    fresh.ingest([doc])
    question = "how long must a secret chosen by the user be?"
    neutral = make_assistant(fresh.settings.index_dir, informative_penalty=0.0)
    assert neutral.search(question)[0].chunk.section == "9.1"  # the closer wording, in an informative part
    hits = fresh.search(question)
    assert hits[0].chunk.section == "5.1"
    assert any(h.chunk.section == "9.1" for h in hits)  # still shown, just not first


def test_an_informative_part_of_a_named_document_keeps_the_documents_bonus(fresh, tmp_path, sample_pdf):
    doc = tmp_path / "secrets.md"
    doc.write_text(
        "# Secrets standard\n\n## 9 Usability\n\nThis section is informative.\n\n### 9.1 Secret length\n\n"
        "Users find long secrets chosen by themselves tiring to type.\n",
        encoding="utf-8",
    )
    fresh.ingest([doc, sample_pdf.path])
    question = "in the secrets standard, are long secrets tiring to type?"

    def score(**overrides) -> float:
        hits = make_assistant(fresh.settings.index_dir, **overrides).search(question)
        return next(h.score for h in hits if h.chunk.section == "9.1")

    plain = score(document_bonus=0.0, informative_penalty=0.0)
    assert score(informative_penalty=0.0) == pytest.approx(plain + fresh.settings.document_bonus)
    assert score() == pytest.approx(plain + fresh.settings.document_bonus - fresh.settings.informative_penalty)


def test_a_failed_remove_leaves_no_mark_of_an_interrupted_write(fresh, sample_pdf):
    from assistant.errors import NotFoundError

    fresh.ingest([sample_pdf.path])
    with pytest.raises(NotFoundError):
        fresh.remove("no-such-doc")
    assert not (fresh.settings.index_dir / ".pending").exists()


def test_a_document_named_in_lower_case_by_a_word_only_it_uses(fresh, tmp_path):
    for name, title, text in (
        ("scvs", "Software Component Verification Standard", "Packages are pulled from a repository that ties each version to its source."),
        ("masvs", "Mobile Application Security Verification Standard", "Sensitive transactions require step-up authentication."),
    ):
        doc = tmp_path / f"{name}.md"
        doc.write_text(f"# {name.upper()}: {title}\n\n## 4 Rules\n\n### 4.10 Rule ten\n\n{text}\n", encoding="utf-8")
    fresh.ingest([tmp_path / "scvs.md", tmp_path / "masvs.md"])
    for question in ("scvs 4.10 - what's that requirement?", "what does 4.10 of the SCVS say?"):
        hits = fresh.search(question)
        assert {h.chunk.doc_id for h in hits} == {"scvs"}, question
    assert {h.chunk.doc_id for h in fresh.search("what does 4.10 say?")} == {"scvs", "masvs"}  # named by neither
    # and each one's 4.10 is quoted, headed by its document: nothing says which one was meant
    answer = fresh.ask("what does 4.10 say?")
    heads = sorted(b.split("\n")[0] for b in answer.text.split("\n\n"))
    assert heads == ["MASVS: Mobile Application Security Verification Standard, 4.10:", "SCVS: Software Component Verification Standard, 4.10:"]
    assert "Packages are pulled" in answer.text and "step-up authentication" in answer.text
    assert "Also relevant" not in answer.text
    # a document named: its clause alone, with no heading
    assert fresh.ask("what does 4.10 of the SCVS say?").text.startswith("Packages are pulled")


def test_an_acronym_of_a_title_names_the_document_that_never_writes_it(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        data_rules="# Regulation on data (General Data Protection Regulation)\n\n## Article 99 Entry into force\n\n"
        "This Regulation shall apply from 25 May 2018.\n",
        code="# Refining code\n\n## 4 Dates\n\nThe code shall apply from 1 May 2020.\n",
    )
    retrieval = fresh.retriever.retrieve("From when does the GDPR apply?")
    assert {h.chunk.doc_id for h in retrieval.hits} == {"data-rules"}
    assert retrieval.unknown == 0.0  # the acronym is no unknown word: it named the document
    # and its passages hold the name: "apply" is all the rest of the question, so the whole of it is held
    assert retrieval.hits[0].lexical == pytest.approx(1.0)


def test_a_single_indexed_document_is_named_by_its_id_as_when_others_are(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        eudr="# Regulation (EU) 2023/1115 of the European Parliament on deforestation-free products\n\n"
        "## Article 38 Entry into force and date of application\n\nThis Regulation shall apply from 30 December 2024.\n\n"
        "## Article 12 Reviews\n\nOperators shall review their due diligence system at least once a year.\n",
    )
    retrieval = fresh.retriever.retrieve("From when does the EUDR apply?")
    assert retrieval.unknown == 0.0  # "EUDR" named the one document: no word the text lacks
    assert retrieval.hits[0].chunk.section == "Article 38" and retrieval.hits[0].lexical == pytest.approx(1.0)
    answer = fresh.ask("From when does the EUDR apply?")
    assert not answer.abstained and "30 December 2024" in answer.text
    # a word of its title block that any text of its kind writes ("EU") is no name of it: it is searched
    asked = "Which rules does the EU set for reviews?"
    assert fresh.retriever._document_mentions(fresh.retriever.query_tokens(asked), asked)[2] == frozenset()


def test_a_word_only_the_scene_holds_counts_less_towards_the_unknown(fresh, tmp_path):
    ingest_markdown(fresh, tmp_path, code="# Refining code\n\n## 4 Reports\n\nThe refiner shall publish its report each year.\n")
    in_scene = fresh.retriever.retrieve("Our zebra depot is in Lisbon. When must the refiner publish its report?").unknown
    asked = fresh.retriever.retrieve("When must the refiner publish its report for our zebra depot in Lisbon?").unknown
    assert 0 < in_scene < asked and in_scene == pytest.approx(asked * fresh.settings.unknown_scene_weight)


def test_a_title_word_names_a_document_only_beside_another_of_its_names(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        reporting="# Sustainability Reporting Standards: ESRS 1 General requirements\n\n## 3 Users\n\n"
        "Users of sustainability statements are investors, lenders and civil society.\n",
        code="# Refining code\n\n## 4 Reports\n\nThe refiner shall publish a report each year.\n",
    )
    tokens = fresh.retriever.query_tokens("Who does ESRS 1 count as a user of the sustainability statement?")
    named, naming, _ = fresh.retriever._document_mentions(tokens, "Who does ESRS 1 count as a user of the sustainability statement?")
    assert set(named) == {"reporting"}
    assert naming == {"esr", "1"}  # "sustainability" is what is asked about: it stays in the search
    # title words beside each other but not in the title's order name nothing: "the regulation protect(s)"
    ingest_markdown(fresh, tmp_path, data_rules="# Data Protection Regulation\n\n## 1 Reports\n\nThis Regulation protects people who report. "
                    "The protection this Regulation gives covers their data.\n")
    asked = "How does the regulation protect people like me who report fraud at our plant to the authority?"
    assert "protect" not in fresh.retriever._document_mentions(fresh.retriever.query_tokens(asked), asked)[1]


def split_section(section: str, heading: str, *texts: str) -> list[Chunk]:
    """Consecutive chunks of one section, as the chunker splits a long one."""
    return [Chunk(f"d:1:{n:05d}", "d", "D", "1", "d.pdf", 1, 1, section, heading, text, ordinal=n) for n, text in enumerate(texts)]


def merging_retriever(chunks: list[Chunk]):
    """A retriever whose store knows only the chunks' neighbours: enough to join passages."""
    from assistant.retrieval import Retriever
    from assistant.settings import Settings

    class Chunks:
        def neighbours(self, c):
            i = chunks.index(c)
            return (chunks[i - 1] if i else None), (chunks[i + 1] if i + 1 < len(chunks) else None)

    return Retriever(Chunks(), None, Settings())


def test_a_passage_ending_in_a_list_introduction_brings_the_list_from_the_next_chunk():
    from assistant.types import Hit

    first, second, other = split_section(
        "Article 83",
        "Article 83 Fines",
        "4. Lower fines apply.\n5. Breaches of the following are fined up to 20 000 000 EUR:",
        "(a) the basic principles;\n(b) the rights of the data subject.",
        "9. Member States lay down rules.",
    )
    merged = merging_retriever([first, second, other])._merge_neighbours([Hit(first, 1.0), Hit(other, 0.5)], top_k=5)
    assert merged[0].chunk.text.endswith("(b) the rights of the data subject.")  # the items it announces
    assert merged[1].chunk.text == other.text  # a passage ending in a full stop stays as it is


def test_a_passage_whose_list_the_split_cut_brings_the_rest_of_the_list():
    from assistant.types import Hit

    first, second, third, other = split_section(
        "Article 25",
        "Article 25 Penalties",
        "2. Those penalties shall include:",
        "(a) fines;\n(b) confiscation of the products;",
        "(c) exclusion from public procurement; and\n(d) a ban on simplified due diligence.",
        "3. Member States shall notify final judgments.",
    )
    merged = merging_retriever([first, second, third, other])._merge_neighbours([Hit(first, 1.0), Hit(other, 0.5)], top_k=5)
    assert merged[0].chunk.text.endswith("(d) a ban on simplified due diligence.")  # (a) to (d), across two splits
    assert merged[1].chunk.text == other.text  # the list ended: the next paragraph stays apart


def test_a_list_goes_on_only_with_its_next_item():
    from assistant.text import list_goes_on

    assert list_goes_on("(h) the register;", "(i) the audit")  # a letter
    assert list_goes_on("(iii) the site; or", "(iv) the lot")  # a roman numeral
    assert list_goes_on("(3) 'producer' means ...;", "(4) 'importer' means ...")
    assert not list_goes_on("(c) confiscation.", "(d) exclusion")  # the item closed the list
    assert not list_goes_on("(c) confiscation;", "(a) another list")  # another list begins
    assert not list_goes_on("Those penalties shall include", "(a) fines")  # no item to go on from


def test_a_passage_beginning_inside_a_paragraph_brings_the_paragraphs_start():
    from assistant.retrieval import continues_paragraph
    from assistant.types import Hit

    # the chunker split paragraph 1 between sentences and repeated the last sentence before the split
    first, second, third = split_section(
        "Article 11",
        "Article 11 Removability",
        "Article 11 Removability\n1. Batteries shall be removable by the end-user. Instructions shall be online.",
        "Instructions shall be online. This paragraph is without prejudice to other law.\n2. By way of derogation, ...",
        "2. By way of derogation, ...\n3. The Commission shall publish guidelines.",
    )
    assert continues_paragraph(first.text, second.text)
    assert not continues_paragraph(second.text, third.text)  # it begins with a paragraph of its own
    retriever = merging_retriever([first, second, third])
    merged = retriever._merge_neighbours([Hit(second, 1.0), Hit(third, 0.3)], top_k=5)
    # paragraph 1 whole, on one line, with its number
    assert merged[0].chunk.text.split("\n")[1] == (
        "1. Batteries shall be removable by the end-user. Instructions shall be online. This paragraph is without prejudice to other law."
    )
    assert merged[1].chunk.text == third.text  # paragraph 2 began in its own chunk: nothing to bring


def test_an_acronym_no_document_uses_is_searched_as_the_phrase_they_write_out(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        privacy="# Privacy rules\n\n## Article 37 Designation\n\nThe controller shall designate a data protection officer where it "
        "monitors people on a large scale. The data protection officer may be a staff member.\n\n"
        "## Article 35 Assessment\n\nA data processing inventory shall be kept up to date.\n",
    )
    retrieval = fresh.retriever.retrieve("Do we need a DPO?")
    assert retrieval.hits[0].chunk.section == "Article 37"
    assert retrieval.unknown == 0.0  # "DPO" is no unknown word: the documents write it out
    assert fresh.retriever.store.spelled_out("DPI") == ""  # "data processing inventory" is seen once only


def test_a_section_whose_title_the_question_quotes_comes_first(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        rules="# Data rules\n\n## 3 Keeping files\n\nRecords of all processing and of all activities shall be kept for seven years; "
        "processing records and activity records are kept on paper.\n\n"
        "## 7 Records of processing activities\n\nEach controller shall maintain a register of the operations it carries out.\n",
    )
    question = "We are 40 people. Do we even need to keep records of processing activities?"
    neutral = make_assistant(fresh.settings.index_dir, title_bonus=0.0)
    assert neutral.search(question)[0].chunk.section == "3"  # more of the question's words
    assert fresh.search(question)[0].chunk.section == "7"  # the section it names by its title


def test_a_question_naming_no_document_is_answered_from_the_one_that_has_most_to_say_about_it(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        privacy_rules="# Privacy rules\n\n## 1 Access\n\n"
        "A data subject may ask the controller for a copy of the personal data held about them.\n\n"
        "## 2 Time to respond\n\nThe controller shall give the data subject the information on their personal data "
        "without undue delay and within one month of the request.\n\n"
        "## 3 Erasure\n\nA data subject may ask the controller to erase personal data held about them.\n\n"
        "## 4 Breaches\n\nThe controller shall tell the data subjects concerned when their personal data has been breached.\n",
        sourcing_code="# Sourcing code\n\n## 1 Customers\n\n"
        "The company shall reply to reasonable requests from its customers within 30 days.\n\n"
        "## 2 Smelters\n\nThe company shall audit each smelter in its supply chain every three years.\n\n"
        "## 3 Ore\n\nOre from conflict areas shall be traced back to the mine.\n",
    )
    question = "A customer asked for all the personal data we hold on them. How long have we got to reply?"
    neutral = make_assistant(fresh.settings.index_dir, focus_weight=0.0)
    assert neutral.search(question)[0].chunk.doc_id == "sourcing-code"  # the words "customer" and "reply"
    hits = fresh.search(question)
    assert hits[0].chunk.doc_id == "privacy-rules"
    # a question naming its document is not moved by the others
    named = "In the sourcing code, how long have we got to reply to a customer?"
    assert fresh.search(named)[0].chunk.doc_id == "sourcing-code"
    # nor is a question naming a clause, which has no topic to weigh documents by
    clause = "what does section 2 say about personal data?"
    scores = [{(h.chunk.doc_id, h.chunk.section): h.score for h in a.search(clause)} for a in (neutral, fresh)]
    assert scores[0][("sourcing-code", "2")] == pytest.approx(scores[1][("sourcing-code", "2")])


def test_a_sentence_that_continues_the_one_before_is_scored_with_it(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        customs_rules="# Customs Rules\n\n## 5 Register\n\nBy 30 December 2024, the secretariat shall set up a register "
        "of statements.\n\n## 6 Interface\n\nThe secretariat shall build an electronic interface between national "
        "customs systems and the register. This interface shall be in place by 30 June 2028.\n",
    )
    answer = fresh.ask("By when must the electronic link between national customs systems and the register be running?")
    assert "30 June 2028" in answer.text.split("\n")[0]  # "This interface ..." is read with the sentence it continues


def test_a_question_for_a_web_address_is_declined_when_no_passage_writes_one(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        portal_rules="# Portal Rules\n\n## 3 Information system\n\nOperators shall file their statements in the "
        "information system kept by the Commission.\n\n## 4 Guidance\n\nThe guidance is published on the "
        "secretariat's site at www.example-secretariat.org/guidance.\n",
    )
    answer = fresh.ask("What's the web address of the information system where we file statements?")
    assert answer.abstained and "do not give a web address" in answer.text
    assert not fresh.ask("What is the URL of the guidance?").abstained  # a passage writes one


def test_a_common_word_before_a_kind_of_text_names_no_document(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        orientation_guide="# Orientation Guide\n\nThis guide explains the Joint Due Diligence Standard for metals.\n\n## 1 Steps\n\n"
        "Due diligence has five steps. Each due diligence step is explained below.\n",
        timber_code="# Timber Code\n\n## 4 Products\n\nPallets used only to carry another product are not covered by "
        "due diligence. Due diligence covers sawn wood.\n",
    )
    retriever = fresh.retriever

    def named(question: str) -> set[str]:
        return set(retriever._document_mentions(retriever.query_tokens(question), question)[0])

    # "diligence" stands before "rules" and the guide's title block has it, but both texts write it often
    assert named("Do the pallets also fall under the timber due diligence rules?") == {"timber-code"}
    # a word only the guide writes, before a kind of text, names it
    assert named("What steps does the joint standard set?") == {"orientation-guide"}


def test_a_document_the_question_likens_its_subject_to_is_not_the_one_it_asks_about(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        privacy_rules="# Privacy Rules\n\n## 9 Fines\n\nA breach of these rules is fined up to 4 % of the yearly turnover.\n",
        sourcing_code="# Sourcing Code\n\n## 9 Sanctions\n\nA member that files its report late is suspended for a year.\n",
    )
    assert {h.chunk.doc_id for h in fresh.search("what is the fine under the privacy rules?")} == {"privacy-rules"}
    likened = "what happens if we file late? is it a fine on turnover like under the privacy rules?"
    assert {h.chunk.doc_id for h in fresh.search(likened)} == {"sourcing-code"}


def test_a_question_about_a_name_no_text_writes_is_declined(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        sourcing_code="# Sourcing Code\n\n## 3 Country risk\n\nThe secretariat classifies countries as low, standard "
        "or high risk and publishes the list every year. Ghana is classified as standard risk.\n\n## 4 Scope\n\nThis "
        "code applies to every company that buys cocoa, wherever it is established.\n",
    )
    answer = fresh.ask("Is Côte d'Ivoire classified as a high-risk country? We buy our cocoa there.")
    assert answer.abstained and "do not mention Côte d'Ivoire" in answer.text
    assert answer.passages  # the closest clauses, to read on
    assert not fresh.ask("Is Ghana classified as a high-risk country?").abstained  # a name the text writes
    # whether a text applies to someone: the name is an example of whom it may apply to
    assert fresh.retriever.retrieve("Does the code apply to a shop in Lisbon that buys cocoa?").unnamed == ""
    assert fresh.retriever.retrieve("Do we screen cocoa brands like Lindt?").unnamed == ""  # a name as an example


def test_a_question_about_an_acronym_no_text_writes_is_declined(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        reporting_rules="# Reporting Rules\n\n## 8 Presentation\n\nThe statement shall be presented in the management report "
        "in a digital format. A data protection impact assessment is made before any new processing, and each data "
        "protection impact assessment is kept.\n",
        refining_code="# Refining Code\n\n## 2 Reports\n\nEach refiner publishes an SBOM of its tools every year.\n",
    )
    answer = fresh.ask("Which digital format (XBRL or similar) do we have to use for the statement?")
    assert answer.abstained and "do not mention XBRL" in answer.text
    # written out by the text, or qualifying a word after it, or written by a text: no decline
    assert fresh.retriever.retrieve("When is a DPIA needed for new processing?").unnamed == ""
    assert fresh.retriever.retrieve("Do we need a DPIA?").unnamed == ""
    assert fresh.retriever.retrieve("Must the statement give GPS coordinates?").unnamed == ""
    assert fresh.retriever.retrieve("Who publishes SBOMs?").unnamed == ""


def test_how_two_documents_relate_is_declined_when_neither_names_the_other(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        privacy_rules="# Privacy Rules\n\n## 9 Fines\n\nA breach of these rules is fined up to 4 % of the yearly turnover.\n",
        sourcing_code="# Sourcing Code\n\n## 9 Sanctions\n\nA member that files its report late is suspended for a year.\n",
        claims_guide="# Claims Guide\n\n## 1 Purpose\n\nThe Claims Guide sets the rules for public claims and builds on "
        "the Sourcing Code: a member may claim conformity only after its Sourcing Code audit.\n",
    )
    answer = fresh.ask("How does the sourcing code map to the privacy rules?")
    assert answer.abstained
    assert "do not say how sourcing code relates to privacy rules" in answer.text
    # one of them names the other: a passage can say how they relate
    assert not fresh.ask("How does the claims guide relate to the sourcing code?").abstained
    # a comparison asks what each says, which each can answer for itself
    assert fresh.retriever.retrieve("How do the fines in the privacy rules differ from those in the sourcing code?").unrelated == ""


def test_a_list_question_follows_a_top_passage_to_the_list_it_points_to(tmp_path):
    fillers = filler_sections(
        "Members shall keep {topic} records and review them every year.",
        ["Training", "Grievances", "Transport", "Payments", "Audits", "Reports"],
    )
    text = (
        "# Member Code\n\n## 1 Scope\n\nThis code applies to every member.\n\n"
        "## 2 Checks before buying\n\nBefore buying, members shall check their suppliers for the abuses listed in Annex II.\n\n"
        + fillers
        + "## Annex II Grave harms\n\nThe following count:\n\n- torture;\n- forced labour;\n- war crimes.\n"
    )
    assistant = make_assistant(tmp_path / "index", top_k=2)
    ingest_markdown(assistant, tmp_path, member_code=text)
    hits = assistant.search("which abuses must members check suppliers for before buying?")
    assert [h.chunk.section for h in hits] == ["2", "Annex II"]
    assert "war crimes" in assistant.ask("which abuses must members check suppliers for before buying?").text
    # a pointer after words the question does not use is not followed
    assert "Annex II" not in [h.chunk.section for h in assistant.search("which records must members keep every year?")]


def test_a_question_about_whom_a_text_applies_to_finds_its_scope_section(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        sourcing_code="# Sourcing Code\n\n## 2 Companies in scope\n\nThe Code binds every refinery that processes more than "
        "250 tonnes a year, and every company that sells ore to such a refinery.\n\n"
        "## 5 Trader records\n\nA trader shall keep records of its purchases for five years.\n",
    )
    question = "we are a small trader. does the code even apply to us?"
    neutral = make_assistant(fresh.settings.index_dir, scope_bonus=0.0)
    assert neutral.search(question)[0].chunk.section == "5"  # the word "trader"
    assert fresh.search(question)[0].chunk.section == "2"
    assert fresh.search("how long must a trader keep records?")[0].chunk.section == "5"  # asks no scope


def test_whether_a_text_applies_is_answered_from_its_scope_section_however_the_question_is_worded(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        privacy_rules="# Privacy Rules\n\n## Article 2 Territorial scope\n\n1. These Rules bind controllers established in "
        "the Union.\n\n2. They also bind a controller established elsewhere where it offers goods or services to "
        "persons in the Union.\n\n3. Offices of the Union's own institutions follow Regulation 45.\n\n## Article 7 Offices\n\nEach supervisory office keeps a public register of its "
        "decisions and publishes it once a year.\n\n## Article 9 Parcels\n\nA parcel that is shipped shall show the "
        "sender's postal address.\n",
    )
    question = "Does it apply to an online shop in Texas with no office here that ships to buyers in France?"
    answer = fresh.ask(question)
    assert not answer.abstained
    # not the sections sharing "ships" or "office"; of the scope section, the paragraph that speaks to the case
    assert answer.citations[0].section == "Article 2(2)"
    # whom one rule applies to is no question for the scope section
    assert fresh.ask("Does the postal address rule apply to parcels that are shipped?").citations[0].section == "Article 9"


def test_everyday_words_are_also_searched_as_the_words_texts_use_for_them(fresh, tmp_path):
    from assistant.lexical import OtherName, formal_words, matched

    assert ("tell", "notify") in formal_words("how fast must we tell the regulator?")
    assert formal_words("what must the notice contain?") == []
    assert ("deciding", "determine") in formal_words("what if the processor starts deciding the purposes itself?")
    assert ("legal bases", "lawful") in formal_words("what other legal bases are there?")
    # a setting switched on is settled by a text saying whether it is enabled or disabled
    found = formal_words("our WebView has JavaScript switched on by default: is that a problem?")
    assert ("switched on", "enabled") in found and ("switched on", "disabled") in found
    # the acts regulations name otherwise: appointing is designating, notifying a person communicating to them
    assert ("appoint", "designate") in formal_words("who has to appoint a data protection officer?")
    assert ("notify", "communicate") in formal_words("when must we notify a breach to the people affected?")
    # what someone asks for, texts call a request
    assert ("asking for", "request") in formal_words("a customer emailed asking for all the data we hold on them")
    # what an app prints to a log, texts say is written to it
    assert ("print", "written") in formal_words("can the app print the access token to the device log?")
    # a fine is a penalty; breaking a rule (not a chair) is an infringement; what one pays, a cost
    assert ("fines", "penalties") in formal_words("who decides the fines for breaking the GPSR?")
    assert ("breaking", "infringement") in formal_words("who decides the fines for breaking the GPSR?")
    assert ("fine", "penalty") in formal_words("what is the maximum fine we could get?")
    assert not [f for f in formal_words("is it fine to sell used toys?") if f[1] == "penalty"]  # the adjective
    assert not [f for f in formal_words("the seat broke and the child was hurt") if f[1] == "infringement"]
    assert ("pay", "costs") in formal_words("can we make customers pay the postage?")
    assert ("postage", "shipping") in formal_words("can we make customers pay the postage?")
    assert ("send back", "return") in formal_words("must customers send back the stools at their cost?")
    # a country of the Union is a Member State, by its name with a capital
    assert ("Spain", "Member State") in formal_words("we sell the same hoodies in Spain and Italy")
    assert not [f for f in formal_words("we polish the metal") if f[1] == "Member State"]
    assert ("idle", "inactivity") in formal_words("how long may a session stay idle?")
    # an act that stops applying is repealed
    assert ("stop being in force", "repealed") in formal_words("when did the old directive stop being in force?")
    # a shop on the web sells online; a product page is the offer, and what it shows it indicates
    asked = "we sell through our own webshop: what must each product page show?"
    assert {("webshop", "online"), ("product page", "offer"), ("show", "indicate")} <= set(formal_words(asked))
    # what one hangs on to, texts say is kept (as well as retained)
    assert ("hang on to", "keep") in formal_words("how long do we need to hang on to the audit reports?")
    # who is on the hook is who is liable; a risk brought down is mitigated; doing nothing is a failure to act
    assert ("on the hook", "liable") in formal_words("who's legally on the hook, them or us?")
    assert ("bring that risk down", "mitigate") in formal_words("what can we do to bring that risk down?")
    assert ("done nothing", "failure to act") in formal_words("the authority has done nothing. What can we do?")
    # what is done each year, texts call annual
    assert ("each year", "annual") in formal_words("how many companies must the authorities check each year?")
    # a passage stating another name earns that name's credit of the asked word's weight
    name = OtherName(frozenset({"wrong"}), "failed", frozenset({"fail"}), 0.5)
    assert matched({"wrong": 2.0, "tri": 1.0}, {"fail"}, [name]) == 1.0
    assert matched({"wrong": 2.0, "tri": 1.0}, {"wrong", "fail"}, [name]) == 2.0  # its own word counts whole

    ingest_markdown(
        fresh,
        tmp_path,
        account_rules="# Account rules\n\n## 4 Lockout\n\nThe verifier shall limit consecutive failed attempts on one "
        "account to no more than 100.\n\n## 5 Passwords\n\nA password shall have at least 8 characters.\n\n"
        "## 6 Tokens\n\nA token shall be locked in a safe.\n",
    )
    question = "How many wrong password tries should we allow before locking the account?"
    assert fresh.search(question)[0].chunk.section == "4"
    plain = make_assistant(fresh.settings.index_dir, formal_credit=0.0)
    assert plain.search(question)[0].chunk.section != "4"  # by its own words it is about passwords and locking


def test_the_words_of_an_idiom_match_only_through_its_formal_words(fresh, tmp_path):
    from assistant.lexical import idiom_words

    assert idiom_words("Can staff sign in with a face scan?") == {"sign", "face", "scan"}
    assert idiom_words("How long do they have to get back to us?") == {"back"}
    assert idiom_words("sign in to sign the form") == set()  # "sign" stands alone as well
    assert idiom_words("how do we log in?") == set()  # "logs in" and "logs out" are one topic
    ingest_markdown(
        fresh,
        tmp_path,
        site_rules="# Site rules\n\n## 4 Register\n\nVisitors sign the register at the gate. No photograph "
        "of a face and no scan of an identity card shall be kept.\n\n## 5 Biometrics\n\nBiometric "
        "authentication shall be used only together with a physical token.\n\n## 6 Badges\n\nEvery "
        "visitor shall wear a badge.\n",
    )
    # "face" and "scan" of "a face scan", "sign" of "sign in" are not the register's: the section on biometrics answers
    assert fresh.search("Can we sign in with a face scan?")[0].chunk.section == "5"
    assert fresh.search("May we keep a scan of a face?")[0].chunk.section == "4"  # the words themselves, no idiom


def test_a_question_asking_from_when_a_text_applies_finds_the_date_it_applies_from(fresh, tmp_path):
    from assistant.lexical import formal_words

    assert ("start applying", "entry into force") in formal_words("When did the rules start applying?")
    fillers = filler_sections(
        "These packaging rules apply to {topic} and apply to every producer of it.", ["Labels", "Refills", "Deposits", "Imports"], "Article "
    )
    ingest_markdown(
        fresh,
        tmp_path,
        packaging_rules="# Packaging Rules\n\n## Article 2 Scope\n\nThese packaging rules apply to producers of packaging "
        "and apply to packaging sold online.\n\n" + fillers + "## Article 40 Final provisions\n\nPublication is in the "
        "official gazette. They shall apply from 1 March 2027. Done at the capital.\n",
    )
    question = "When do the packaging rules start applying?"
    neutral = make_assistant(fresh.settings.index_dir, start_bonus=0.0, top_k=3)
    assert neutral.search(question)[0].chunk.section != "Article 40"  # "apply" is on every page
    boosted = make_assistant(fresh.settings.index_dir, top_k=3)
    assert boosted.search(question)[0].chunk.section == "Article 40"
    assert "1 March 2027" in boosted.ask(question).text
    # a question asking no start date is not moved
    assert boosted.search("Do the packaging rules apply to refills?")[0].chunk.section == "Article 4"


def test_the_rule_stating_a_number_of_what_the_asker_counts_of_themselves_settles_a_yes_no_question(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        data_rules="# Data Rules\n\n## Article 30 Records of processing\n\n1. Each company shall keep a record of its "
        "processing. The record shall contain:\n\n(a) the name of the company;\n\n(b) the purposes of the processing.\n\n"
        "2. The record shall be in writing.\n\n3. The company shall show the record to the authority on request.\n\n"
        "4. Paragraph 1 shall not apply to a company employing fewer than 250 persons, unless its processing is not "
        "occasional.\n",
    )
    answer = fresh.ask("We're a 40-person company. Do we even need to keep a record of our processing?")
    assert "fewer than 250 persons" in answer.text.split("\n")[0]


def test_a_comparison_quotes_the_other_side_a_text_sets_out_in_parallel(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        fine_rules="# Fine Rules\n\n## Article 9 Fines\n\n1. When setting a fine, the authority shall consider how "
        "grave the breach was and whether it was done on purpose.\n\n2. Breaches of the following rules shall be fined "
        "up to 1 000 EUR or 1 % of turnover:\n\n(a) the rules on records;\n\n(b) the rules on staff training.\n\n"
        "3. Breaches of the following rules shall be fined up to 5 000 EUR or 3 % of turnover:\n\n(a) the rules on "
        "consent;\n\n(b) the rights of customers.\n\n4. Whether a breach calls for a lower or a higher fine, the "
        "authority shall give reasons for the fine, and the fines shall differ with the breach.\n",
    )
    question = "How do the lower fines and the higher fines for breaches of the rules differ?"
    body = fresh.ask(question).text.split("Also relevant")[0]
    assert "5 000 EUR" in body and "1 000 EUR" in body  # both sides, not one and a line under "Also relevant"
    plain = make_assistant(fresh.settings.index_dir, answer_parallel_overlap=1.01)
    body = plain.ask(question).text.split("Also relevant")[0]
    assert not ("5 000 EUR" in body and "1 000 EUR" in body)


def test_what_a_question_sets_aside_weighs_less_in_the_search(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        data_rules="# Data Rules\n\n## 6 Consent\n\nConsent is one ground for processing. Consent shall be freely "
        "given, and consent may be withdrawn; a ground for processing based on consent ends with it.\n\n"
        "## 7 Lawful processing\n\nProcessing shall be lawful on other grounds only when it is needed for a contract, "
        "for a legal duty, to protect someone's life, or for a task in the public interest.\n",
    )
    question = "besides consent, what other grounds for processing are there?"
    assert fresh.search(question)[0].chunk.section == "7"
    assert fresh.ask(question).citations[0].section == "7"  # not the sentence on consent, which holds every word
    plain = make_assistant(fresh.settings.index_dir, set_aside_weight=1.0)
    assert plain.search(question)[0].chunk.section == "6"


def test_a_short_name_a_text_gives_once_is_also_searched_as_the_words_it_stands_for(fresh, tmp_path):
    fillers = filler_sections(
        "The controller shall keep data on {topic} safe and shall protect such data.", ["Customers", "Suppliers", "Staff", "Visitors"], "Article "
    )
    ingest_markdown(
        fresh,
        tmp_path,
        data_rules="# Data Rules\n\n## Article 1 Purpose\n\nMember States may set further rules for the processing of "
        "special categories of personal data (\u2018sensitive data\u2019).\n\n" + fillers + "## Article 9 Special categories "
        "of personal data\n\n1. Processing of personal data revealing health, religion or trade union membership shall be "
        "prohibited.\n\n## Article 10 The Board\n\nThe rules are overseen by the Data Protection Board of the Union (the "
        "\u2018Union Board\u2019). The Union Board meets twice a year. The Union Board publishes its minutes.\n",
    )
    question = "What counts as sensitive data?"
    assert "Article 9" in [h.chunk.section for h in fresh.search(question)[:2]]
    # the text has no entry for the term: the first paragraph of the Article titled by its other name says what it is
    assert any(c.section.startswith("Article 9") for c in fresh.ask(question).citations)
    names = fresh.retriever.other_names(fresh.retriever.query_tokens(question))
    assert [n.name for n in names] == ["special categories of personal data"]
    plain = make_assistant(fresh.settings.index_dir, short_name_uses=0)
    assert "Article 9" not in [h.chunk.section for h in plain.search(question)[:2]]
    # a name the text goes on using is its own term: no other words are searched for it
    assert fresh.retriever.other_names(fresh.retriever.query_tokens("What does the Union Board do?")) == []


def test_a_rare_word_is_also_searched_as_the_class_a_text_names_it_an_example_of(fresh, tmp_path):
    fillers = filler_sections(
        "Login codes for {topic} are allowed with a password, and the password SHALL be checked against a blocklist.",
        ["Accounts", "Devices", "Backups", "Servers", "Reports", "Audits"],
        "",
    )
    ingest_markdown(
        fresh,
        tmp_path,
        login_rules="# Login Rules\n\n## 1 Channels\n\nCodes may be sent via the PSTN (SMS or voice) or by a push "
        "notification to a phone. Second factors (e.g., a password) may be added.\n\n" + fillers + "## 9 Telephone network\n\nUse of the PSTN for out-of-band "
        "verification is RESTRICTED, and verifiers SHALL offer another authenticator too.\n\n## 10 Messages\n\n"
        "Messages to subscribers SHALL be written in plain language and SHALL be sent promptly.\n",
    )
    question = "are login codes by SMS still allowed?"
    names = fresh.retriever.other_names(fresh.retriever.query_tokens(question))
    assert [(n.name, n.credit) for n in names] == [("PSTN", fresh.settings.example_credit)]
    ranked = [h.chunk.section for h in fresh.search(question, top_k=10)]
    assert ranked.index("9") < ranked.index("6")  # above a passage of the same login-code wording that names no channel
    plain = make_assistant(fresh.settings.index_dir, example_credit=0.0)
    ranked = [h.chunk.section for h in plain.search(question, top_k=10)]
    assert ranked.index("9") > ranked.index("6")
    # a word the text writes on every page needs no class searched for it (the password of "Login codes ...")
    asked = fresh.retriever.query_tokens("how long must a password be?")
    assert fresh.retriever.other_names(asked) == []
    assert [n.name for n in make_assistant(fresh.settings.index_dir, example_max_passages=100).retriever.other_names(asked)] == ["Second factors"]


def test_a_term_no_entry_defines_is_found_where_the_text_gives_it_as_a_name_in_quotes(fresh, tmp_path):
    fillers = filler_sections(
        "The operator shall keep {topic} records, and every operator shall show them to the inspector.",
        ["Reports", "Audits", "Transport", "Payments"],
        "Article ",
    )
    ingest_markdown(
        fresh,
        tmp_path,
        mine_rules="# Mine Rules\n\n## Article 1 Purpose\n\nThese rules keep mines safe.\n\n## Article 2 Scope\n\nThese "
        "rules bind any company that runs a mine or a smelter in the country (\u2018operator\u2019).\n\n" + fillers,
    )
    assert "operator" in fresh.retriever.store.named_terms() and "operator" not in fresh.retriever.store.term_entries()
    answer = fresh.ask("What is an operator?")
    assert answer.citations[0].section == "Article 2"
    plain = make_assistant(fresh.settings.index_dir, term_bonus=0.0)
    assert plain.search("What is an operator?")[0].chunk.section != "Article 2"  # "operator" is on every page


def test_a_number_from_another_document_than_the_one_about_the_question_is_no_answer(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        privacy_rules="# Privacy Rules\n\n## Article 5 Breaches\n\n1. After a personal data breach that puts people at high "
        "risk, the controller shall email the affected people without undue delay.\n\n2. The email shall describe the "
        "breach in clear and plain language.\n\n## Article 6 Records\n\nThe controller shall keep a record of each breach.\n",
        sourcing_code="# Sourcing Code\n\n## 5 Customers\n\nThe company shall answer requests from its customers within "
        "30 days.\n\n## 6 Reports\n\nThe company shall publish a report every year.\n",
    )
    # the privacy rules speak to it and give no number; the code's 30 days are about customer requests
    answer = fresh.ask("How many days do we have to email affected customers after a breach that puts them at high risk?")
    assert answer.abstained and "Article 5" in answer.text
    answer = fresh.ask("How many days do we have to answer customer requests?")
    assert not answer.abstained and "30 days" in answer.text


def test_who_holds_an_office_is_answered_only_by_a_passage_naming_someone(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        board_rules="# Board rules\n\n## 3 The Board\n\nThe Board shall elect a chair from among its members for a "
        "term of two years. The chair convenes the Board and sets its agenda.\n\n## 4 The Secretariat\n\n"
        "The Secretariat is led by Jane Smith, the executive director, who reports to the Board.\n",
    )
    answer = fresh.ask("Who is the current chair of the Board?")
    assert answer.abstained and "name the chair" in answer.text  # the rules on electing a chair name no one
    answer = fresh.ask("Who is the executive director of the Secretariat?")
    assert not answer.abstained and "Jane Smith" in answer.text


def test_how_fast_is_searched_for_what_is_asked_not_for_speed(indexed):
    assert "fast" not in indexed.retriever.query_tokens("how fast do we have to update the risk assessment?")
    assert "fast" in indexed.retriever.query_tokens("is a fast risk assessment enough?")


def test_a_word_on_every_page_stands_for_a_rare_everyday_word_with_less_credit(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        session_rules="# Session rules\n\n## 1 Tokens\n\nA token shall be kept in a safe after each login and used to "
        "authenticate.\n\n## 2 Passwords\n\nA password shall have 8 characters to authenticate.\n\n## 3 Keys\n\n"
        "Keys shall be rotated yearly to authenticate.\n",
    )
    login = "can staff login with a token?"
    names = fresh.retriever.formal_names(login, fresh.retriever.query_tokens(login))
    (name,) = [n for n in names if n.name == "authenticate"]
    assert name.credit < 0.8 * fresh.settings.formal_credit  # "authenticate" tells passages apart less than "login"


def test_a_follow_up_replacing_the_subject_is_searched_for_its_own_subject(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        records_rules="# Records rules\n\n## 1 Smelters\n\nSmelters shall keep their delivery records and their "
        "smelting records for at least five years after the delivery.\n\n"
        "## 2 Traders\n\nTraders shall keep their records for two years.\n\n"
        "## 3 Audits\n\nAn auditor visits each site once a year and reads a sample of its files.\n\n"
        "## 4 Training\n\nNew staff are trained in due diligence within their first month.\n\n"
        "## 5 Complaints\n\nAnyone may send a complaint, which is answered within thirty days.\n",
    )
    history = ["how long must smelters keep their delivery records?"]
    query = fresh.search_query("and for traders?", history)
    assert fresh.retriever.retrieve(query).hits[0].chunk.section == "1"  # the carried words outweigh "traders"
    answer = fresh.ask("and for traders?", history=history)
    assert answer.passages[0].chunk.section == "2"


def test_the_document_focus_is_bounded_and_set_by_the_official_texts():
    from types import SimpleNamespace

    from assistant.retrieval import Retriever
    from assistant.settings import Settings

    affinity = {"standard": 0.60, "code": 0.55, "guide": 0.80}  # the guide is the unofficial one
    store = SimpleNamespace(document_affinity=lambda sims, rows: dict(affinity))
    settings = Settings(focus_weight=1.0, focus_max=0.15)
    focus = Retriever(store, None, settings)._focus(None, None, set(), {"guide"})
    # the guide's closeness does not lower the standard it restates; the code loses its gap to the standard
    assert focus == pytest.approx({"standard": 0.0, "code": 0.05, "guide": 0.0})
    affinity["code"] = 0.10  # far off the question: it loses at most focus_max
    assert Retriever(store, None, settings)._focus(None, None, set(), {"guide"})["code"] == pytest.approx(0.15)
    assert Retriever(store, None, settings)._focus(None, None, {"code"}, {"guide"}) == {}  # a named document: no focus


def test_whom_a_standard_is_for_is_answered_from_its_about_section(fresh, tmp_path):
    from assistant.lexical import formal_words

    assert ("devs", "developers") in formal_words("is it just for devs?")
    assert ("aimed at", "used by") in formal_words("who is this standard aimed at?")
    fillers = filler_sections(
        "Components for {topic} shall be listed, and each component shall be verified before a build.",
        ["Inventory", "Build", "Packages", "Analysis"],
    )
    ingest_markdown(
        fresh,
        tmp_path,
        component_standard="# Component Standard\n\n## About the Standard\n\nThe Component Standard is a set of controls "
        "which can be used by architects, developers, auditors and buyers to verify their software supply chain.\n\n"
        "## 2 Levels\n\nThe standard has three levels of controls.\n\n" + fillers,
    )
    answer = fresh.ask("who is this standard aimed at? is it just for devs?")
    assert not answer.abstained
    # the section about the standard is no front matter to pass over when the question asks whom it is for
    assert "architects, developers, auditors and buyers" in answer.citations[0].quote


def test_a_paragraph_building_on_another_of_its_article_brings_that_one(fresh, tmp_path):
    from assistant.answering.extractive import _REFERS_TO_PARAGRAPH

    assert _REFERS_TO_PARAGRAPH.search("An assessment referred to in paragraph 1 shall be required").group(1) == "1"
    assert not _REFERS_TO_PARAGRAPH.search("the processing referred to in paragraph 1 of Article 6")  # another article's
    assert not _REFERS_TO_PARAGRAPH.search("the lawfulness referred to in paragraph 1(e) of Article 6")
    # a paragraph another one is subject to, or derogates from, qualifies it: "of this Article" is its own
    assert _REFERS_TO_PARAGRAPH.search("Subject to paragraph 3 of this Article, Articles 3 to 13 shall apply from").group(1) == "3"
    assert _REFERS_TO_PARAGRAPH.search("By way of derogation from paragraph 2, small firms may wait").group(1) == "2"
    fillers = filler_sections(
        "The controller shall keep records of {topic} and shall show them to the authority on request.",
        ["Contracts", "Transfers", "Breaches", "Codes"],
        "Article ",
    )
    ingest_markdown(
        fresh,
        tmp_path,
        data_rules="# Data Rules\n\n## Article 1 Subject matter\n\nThese rules protect personal data.\n\n" + fillers
        + "## Article 35 Impact assessment\n\n1. Where a type of processing is likely to result in a high risk to the rights "
        "of persons, the controller shall carry out an assessment of its impact before the processing.\n\n2. The "
        "controller shall seek the advice of its officer.\n\n3. An impact assessment referred to in paragraph 1 shall in "
        "particular be required in the case of:\n(a) profiling on which decisions about persons are based;\n(b) "
        "processing of health data on a large scale;\n(c) monitoring of a public area on a large scale.\n",
    )
    answer = fresh.ask("In which situations is an impact assessment specifically required?")
    body = answer.text.split("Also relevant")[0]
    assert "monitoring of a public area" in body
    assert "likely to result in a high risk" in body  # the paragraph the cases build on



def test_the_paragraph_a_rule_is_subject_to_comes_with_it(fresh, tmp_path):
    fillers = filler_sections(
        "The operator shall keep records of {topic} and shall show them to the authority on request.",
        ["Contracts", "Transfers", "Breaches", "Codes"],
        "Article ",
    )
    ingest_markdown(
        fresh,
        tmp_path,
        forest_rules="# Forest Rules\n\n## Article 1 Subject matter\n\nThese rules protect forests.\n\n" + fillers
        + "## Article 38 Date of application\n\n1. These rules enter into force on the twentieth day after their publication.\n\n"
        "2. Subject to paragraph 3 of this Article, Articles 3 to 13 shall apply from 30 December 2024.\n\n"
        "3. For operators that by 31 December 2020 were micro-undertakings, the Articles referred to in paragraph 2 "
        "shall apply from 30 June 2025.\n",
    )
    answer = fresh.ask("From when do Articles 3 to 13 apply?")
    body = answer.text.split("Also relevant")[0]
    assert "30 December 2024" in body and "30 June 2025" in body  # the exception paragraph 2 is subject to


def test_a_question_the_text_asks_is_no_answer(fresh, tmp_path):
    fillers = filler_sections("Apps shall protect {topic} data with encryption at rest.", ["Storage", "Logs", "Backups", "Keys"])
    ingest_markdown(
        fresh,
        tmp_path,
        app_rules="# App Rules\n\n## 1 Network\n\nBut what about certificate pinning for the app?\n\nIt is required only "
        "for the endpoints that take payments.\n\n" + fillers,
    )
    question = "Does the standard require certificate pinning for the app?"
    assert fresh.ask(question).citations[0].quote.startswith("It is required only")
    plain = make_assistant(fresh.settings.index_dir, answer_question_penalty=0.0)
    assert plain.ask(question).citations[0].quote.startswith("But what about")  # the echo of the question


def test_what_we_must_do_is_not_answered_by_a_duty_of_the_authorities(fresh, tmp_path):
    ingest_markdown(
        fresh,
        tmp_path,
        timber_rules="# Timber Rules\n\n## Article 12 Due diligence systems\n\n1. Operators shall keep a due diligence "
        "system.\n\n2. Operators shall review their due diligence system at least once a year.\n\n"
        "## Article 34 Review\n\n1. At least every five years, the Commission shall review the due diligence "
        "procedures of operators.\n\n## Article 40 Entry into force\n\nThese Rules apply from 1 January 2026.\n",
    )
    question = "How often do we have to review our due diligence procedures?"
    assert fresh.ask(question).citations[0].section == "Article 12(2)"
    # without the rule, the Commission's review shares more of the question's words and leads
    neutral = make_assistant(fresh.settings.index_dir, answer_authority_penalty=0.0)
    assert neutral.ask(question).citations[0].section == "Article 34(1)"
    # a question about what the authority does is answered by its duty
    assert fresh.ask("How often does the Commission review these rules?").citations[0].section == "Article 34(1)"
