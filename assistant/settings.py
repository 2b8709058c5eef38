"""All settings in one place: environment variables with the prefix JDD_, an optional jdd.toml,
or keyword overrides (tests pass overrides; nothing mutates globals)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="JDD_", toml_file="jdd.toml", extra="ignore")

    index_dir: Path = Field(Path("index"), description="Folder holding the Chroma store and the BM25 sidecar.")
    chroma_host: str = Field("", description="Chroma server host; empty means a persistent folder inside index_dir.")
    chroma_port: int = Field(8000, description="Chroma server port, used with chroma_host.")
    collection: str = Field("chunks", description="Chroma collection name.")

    api_key: str = Field("", description="Key an HTTP API client sends (Authorization: Bearer ...) to ask and list documents; empty: no key, and jdd serve listens on 127.0.0.1 only.")
    api_admin_key: str = Field("", description="Key an HTTP API client sends to add or remove documents; without it (and with api_key set) the API cannot change the corpus.")

    model_path: Path | None = Field(
        None, description="sentence-transformers model folder; default: the packaged all-MiniLM-L6-v2."
    )
    model_cache: Path = Field(
        Path.home() / ".cache" / "jdd-assistant",
        description="Where the ONNX export of the embedding model is kept (made once from model_path).",
    )
    embed_backend: Literal["onnx", "torch"] = Field(
        "onnx", description="onnx: fast, light onnxruntime export; torch: sentence-transformers directly."
    )
    embed_quantize: bool = Field(True, description="Use the int8-quantized ONNX model (faster ingest).")
    embed_max_tokens: int = Field(128, description="Longest input the embedder reads, in word pieces.")
    embed_batch: int = Field(16, description="Texts per embedding batch.")
    embed_window_chars: int = Field(
        480, description="A chunk longer than this gets one vector per window of about this many characters (the embedder reads 128 word pieces)."
    )

    chunk_max_chars: int = Field(1400, description="Longest chunk before a section is split at sentences.")
    chunk_min_chars: int = Field(250, description="Split pieces shorter than this merge with a neighbour.")
    chunk_overlap_sentences: int = Field(1, description="Sentences repeated at the start of the next piece.")

    top_k: int = Field(5, description="Passages handed to the answerer.")
    candidates: int = Field(40, description="Dense and BM25 candidates each, before fusion.")
    fusion: Literal["rrf", "weighted"] = Field("rrf", description="How dense and BM25 lists are fused.")
    rrf_k: int = Field(60, description="Reciprocal rank fusion constant.")
    dense_share: float = Field(0.5, description="Weight of the dense list in fusion (the BM25 list has the rest).")
    merge_ratio: float = Field(0.6, description="A neighbouring piece of the same section joins a passage when it scores this share of it.")
    merge_pool: int = Field(5, description="Neighbours are looked for among this many times top_k of the best-scored pieces.")
    formal_credit: float = Field(0.5, description="Share of an everyday word's weight that a passage earns by the word texts use for it (\"notify\" for \"tell\", \"place on the market\" for \"sell\"): a guess, so less than the word itself.")
    unofficial_penalty: float = Field(
        0.25, description="Score taken from passages of documents titled unofficial when official ones are indexed."
    )
    informative_penalty: float = Field(
        0.3, description="Score taken from passages of parts a document declares informative (\"This section is informative.\", \"Annex B (informative)\") and from a legal act's recitals: the normative text is the one to quote unless the explanation fits the question much better."
    )
    clause_bonus: float = Field(0.6, description="Added to a passage that is the clause the question names (\"5.2.3\", \"Article 4\"); 40% of it for one under it.")
    title_bonus: float = Field(0.3, description="Added to the passages of a section whose title the question quotes (\"do we need records of processing activities?\" and \"Article 30 Records of processing activities\").")
    scope_bonus: float = Field(0.2, description="Added to the passages of a section titled as a scope (\"Article 3 Territorial scope\", \"Companies in scope\") when the question asks whom or what a text applies to (\"does the code even apply to us?\").")
    start_bonus: float = Field(0.15, description="Added in retrieval to a passage with a sentence saying from which date something applies, beside a word of the question (\"It shall apply from 25 May 2018.\"), when the question asks from when a text applies (\"when did it start applying?\").")
    start_rows: int = Field(30, description="How many of the best passages are read for such a sentence (start_bonus).")
    term_bonus: float = Field(0.6, description="Added to the glossary or definition entry of the term a definition question asks about.")
    name_share: float = Field(0.3, description="A name-like word (\"MASVS\", \"the battery regulation\") in this share of one document's passages, and in a fifth of that share at most in any other, names that document.")
    example_credit: float = Field(0.5, description="Share of a question word's weight that a passage earns by the class a text names it an example of (\"PSTN\" for \"SMS\", from \"the PSTN (SMS or voice)\"): the class is broader than the example, so less than the word itself.")
    example_max_passages: int = Field(4, description="A question word is also searched as the class a text names it an example of only when the indexed texts write it in at most this many passages (\"SMS\", in 3 passages of 1,400; \"password\", in 31, matches well enough by itself).")
    short_name_uses: int = Field(2, description="A short name a text gives in quotes and brackets (\"special categories of personal data (‘sensitive data’)\") makes a question using it search the words it stands for too, when its text writes it at most this many times (a text that goes on using the name needs no help).")
    document_bonus: float = Field(0.15, description="Added to passages of a document the question names by its title.")
    focus_weight: float = Field(1.0, description="When a question names no document and several are indexed, a passage loses this times the gap between its document's affinity and the best official document's, up to focus_max (affinity: the mean similarity of a document's focus_rows closest vectors to the question), so a question about breach notices is answered from the text about them, not from a code on the same words.")
    focus_max: float = Field(0.15, description="The most a passage loses by the document focus: it tips the balance between documents that share a question's words, and never buries a short document that states the answer.")
    focus_rows: int = Field(5, description="Vectors per document averaged for its affinity to a question.")
    heading_weight: float = Field(0.25, description="Rescoring weight of question words found in the heading path.")
    coverage_weight: float = Field(0.25, description="Rescoring weight of question words found anywhere in the chunk.")

    answerer: str = Field(
        "extractive",
        description="What writes answers: extractive (quotes only, no LLM); openai (any OpenAI-compatible server: "
        "vLLM, llama.cpp, a hosted API); ollama. The last two need the llm extra: pip install -e '.[llm]'.",
    )
    llm_base_url: str = Field("", description="The LLM server's address, e.g. http://127.0.0.1:8080/v1 (openai) or http://127.0.0.1:11434 (ollama); empty: the provider's default.")
    llm_model: str = Field("", description="The model name the LLM server knows, e.g. llama3.1:8b (ollama) or gpt-4o-mini.")
    llm_api_key: str = Field("", description="API key of the LLM server (openai); empty: OPENAI_API_KEY, else a placeholder local servers accept.")
    llm_timeout_s: float = Field(60.0, gt=0, description="Seconds to wait for the LLM before answering extractively instead.")
    llm_max_tokens: int = Field(512, gt=0, description="Longest answer the LLM may write, in tokens.")
    llm_temperature: float = Field(0.0, ge=0, description="LLM sampling temperature (0: the most likely words).")
    answer_max_units: int = Field(4, description="Most evidence units (clauses, paragraphs, entries, rows) in one answer.")
    answer_max_rows: int = Field(30, description="Most requirement rows quoted when a question asks for the requirements of a part of a standard as a list (\"list the logging requirements\").")
    answer_max_list_units: int = Field(8, description="Most evidence units in the answer to a list question (\"which checks are needed at L1?\").")
    answer_max_sentences: int = Field(8, description="Most sentences or items quoted from one long unit.")
    answer_whole_unit_chars: int = Field(650, description="A unit up to this long is quoted whole; a longer one by its relevant sentences.")
    answer_clause_chars: int = Field(1100, description="How much of a clause named in the question is quoted, in whole units.")
    answer_keep_same: float = Field(0.75, description="Quote another sentence of a long unit scoring this share of its best sentence.")
    answer_parallel_words: int = Field(12, description="How many opening words of two units are compared to find the other side of a comparison set out in parallel.")
    answer_parallel_overlap: float = Field(0.6, description="For a comparison question, a unit whose opening words include this share of the lead's (and that states other numbers) is quoted as the other side: the higher tier of fines worded like the lower one.")
    answer_keep_other: float = Field(0.85, description="Add another unit scoring this share of the leading unit.")
    answer_part_keep: float = Field(0.7, description="A further part of a multi-part question that asks no kind of fact (who, what, which) and names no term is answered by its own best unit only when that unit scores at least this share of the lead's score against the whole question: a passage sharing one word of the part is no answer to it.")
    answer_keep_list: float = Field(0.8, description="Add another unit to the answer to a list question scoring this share of the leading unit: each item may match the question less well than the first.")
    answer_shortlist: int = Field(16, description="Sentences compared with the question by embedding.")
    answer_sentence_tokens: int = Field(64, description="Word pieces of each shortlisted sentence the embedder reads.")
    answer_weight_words: float = Field(0.30, description="Weight of the IDF-weighted share of the question's words found in a sentence.")
    answer_weight_heading: float = Field(0.10, description="Weight of the question's words found in the sentence's heading path.")
    answer_weight_passage: float = Field(0.20, description="Weight of the passage's dense similarity to the question.")
    answer_weight_rank: float = Field(0.05, description="Bonus of the first passage (divided by rank for the others).")
    answer_weight_dense: float = Field(0.45, description="Weight of the sentence's own embedding similarity to the question.")
    answer_normative_bonus: float = Field(0.02, description="Bonus of a sentence that states a requirement (shall, must, should, may) or is a requirement row.")
    answer_fact_bonus: float = Field(0.15, description="Bonus of a unit holding the kind of fact asked (a number with a unit, a date, an actor).")
    answer_question_penalty: float = Field(0.3, description="Taken from a sentence of the text that is itself a question (\"But what about SSL certificate pinning?\"): it raises the subject, it states nothing.")
    answer_pointer_penalty: float = Field(0.3, description="Taken from a sentence that only says where to read on (\"See section 15.1.\") and from one that is mostly web addresses, unless the question asks where to find something.")
    list_pointer_chars: int = Field(60, description="A top passage's pointer to a list kept elsewhere (\"the risk categories listed in point 2 of Annex X\") is followed, for a question asking for a list, when this many characters before it share a word with the question.")
    answer_items_bonus: float = Field(0.25, description="Bonus of a list introduced by the plural noun a \"which ...\" question asks for (\"which risks ...?\" and \"Social and environmental risk categories:\" + its items), over a sentence that only mentions them.")
    answer_definition_bonus: float = Field(0.45, description="Bonus of the definition entry of the term a definition question asks about.")
    answer_authority_penalty: float = Field(
        0.2,
        description="Taken from a sentence binding a public authority (\"the Commission shall carry out a review "
        "every five years\") when the question asks what the asker must do (\"how often do we have to review our "
        "procedures?\"): an authority's duty is not the asker's.",
    )
    answer_role_bonus: float = Field(
        0.08,
        description="Added to a unit whose rule opens by binding the role the asker gives themselves (\"we make "
        "candles ...\": \"Manufacturers shall ...\" rather than \"Importers shall ...\"; \"we're a retailer\": "
        "distributors).",
    )
    answer_exemption_bonus: float = Field(0.3, description="Added to a unit for a yes-no question asking whether one must do something (\"do I have to do due diligence again?\") when one of its sentences frees someone of that duty (\"SME operators shall not be required to exercise due diligence ...\") and shares a word of the question part.")
    answer_level_weight: float = Field(
        0.15,
        description="Added to a requirement that applies at the one level a list or open question asks about (\"which checks are needed at L1?\"), taken from one that does not; added to every requirement row when another question names levels (\"is that L1 or only L2?\": a row states its level).",
    )
    answer_context_weight: float = Field(
        0.3,
        description="Weight of the words of a question's context (a sentence or clause before what it asks: \"when our build pulls from npm, what must the package manager check?\") against the words of what it asks (1.0), when what it asks names its own subject; and of the part before a question part whose subject is a pronoun for it (\"... classify a country as high risk? What criteria does it use?\").",
    )
    set_aside_weight: float = Field(0.3, description="What a question sets aside (\"besides consent, what other legal bases are there?\") is what the asker knows already: its words weigh this share of their weight in the search, and a sentence holding them loses as much in the answer.")
    answer_carried_weight: float = Field(0.5, description="Weight of the words a follow-up carries over from the earlier question, against its own words (1.0); in the search too when the follow-up puts something of its own in the earlier subject's place (\"and for traders?\").")
    answer_echo_novelty: float = Field(0.4, description="A sentence whose share of words not in the question is below this only echoes it.")
    answer_echo_penalty: float = Field(0.25, description="Score taken from an echoing sentence, scaled by how far below answer_echo_novelty it is.")
    answer_front_matter_penalty: float = Field(0.3, description="Score taken from title pages, disclaimers and version notes unless the question asks about them.")
    answer_duplicate_overlap: float = Field(0.6, description="A unit sharing this share of its words with one already quoted is a near-duplicate and left out.")
    evidence_weight_dense: float = Field(0.4, description="Evidence: weight of the best similarity of the top three passages to the question.")
    evidence_weight_words: float = Field(0.15, description="Evidence: weight of the best share of the question's keyword weight a top passage holds.")
    evidence_weight_sentence: float = Field(0.45, description="Evidence: weight of the leading unit's best sentence similarity to the question (to what it asks, or to the whole message with its scene if closer).")
    evidence_weight_unknown: float = Field(0.15, description="Evidence: taken per share of the question's keyword weight that no searched passage holds.")
    unknown_scene_weight: float = Field(0.5, description="A word no searched passage holds counts this share towards the unknown when it sits only in the scene the asker sets (\"we hand out free bags of coffee at trade fairs\"), not in the sentence that asks: the asker's situation is told in their own words, what they ask must be in the text.")
    abstain_threshold: float = Field(0.33, description="Evidence strength below which the assistant declines (calibrated in evals/README.md).")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))
