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

    chunk_max_chars: int = Field(1400, description="Longest chunk before a section is split at sentences.")
    chunk_min_chars: int = Field(250, description="Split pieces shorter than this merge with a neighbour.")
    chunk_overlap_sentences: int = Field(1, description="Sentences repeated at the start of the next piece.")

    top_k: int = Field(5, description="Passages handed to the answerer.")
    candidates: int = Field(40, description="Dense and BM25 candidates each, before fusion.")
    fusion: Literal["rrf", "weighted"] = Field("rrf", description="How dense and BM25 lists are fused.")
    rrf_k: int = Field(60, description="Reciprocal rank fusion constant.")
    dense_share: float = Field(0.5, description="Weight of the dense list in fusion (the BM25 list has the rest).")
    merge_ratio: float = Field(0.6, description="A neighbouring piece of the same section joins a passage when it scores this share of it.")
    unofficial_penalty: float = Field(
        0.25, description="Score taken from passages of documents titled unofficial when official ones are indexed."
    )
    heading_weight: float = Field(0.25, description="Rescoring weight of question words found in the heading path.")
    coverage_weight: float = Field(0.25, description="Rescoring weight of question words found anywhere in the chunk.")

    answer_max_sentences: int = Field(6, description="Most sentences in an extractive answer.")
    answer_keep_same: float = Field(0.6, description="Keep a sentence of the best passage scoring this share of the best sentence.")
    answer_keep_other: float = Field(0.8, description="Keep a sentence of another passage scoring this share of the best sentence.")
    answer_shortlist: int = Field(12, description="Sentences compared with the question by embedding.")
    answer_sentence_tokens: int = Field(64, description="Word pieces of each shortlisted sentence the embedder reads.")
    abstain_threshold: float = Field(0.28, description="Evidence strength below which the assistant declines.")

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
