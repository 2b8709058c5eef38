"""Answerers turn ranked passages into cited answers; `make_answerer` picks one from settings."""

from __future__ import annotations

from ..errors import AssistantError
from ..settings import Settings
from .base import DECLINE_PREFIX, Answerer, AnswerRequest, check_markers, cite, decline, finish, ground
from .extractive import ExtractiveAnswerer

ANSWERERS = ("extractive", "openai", "ollama")

__all__ = [
    "ANSWERERS",
    "DECLINE_PREFIX",
    "Answerer",
    "AnswerRequest",
    "ExtractiveAnswerer",
    "check_markers",
    "cite",
    "decline",
    "finish",
    "ground",
    "make_answerer",
]


def make_answerer(settings: Settings, weigh, embedder, model=None) -> Answerer:
    """The answerer JDD_ANSWERER names. `weigh` gives the IDF weight of a question's words;
    `model` (a LangChain chat model) replaces the one the JDD_LLM_* settings describe."""
    extractive = ExtractiveAnswerer(settings, weigh, embedder)
    if settings.answerer == "extractive" and model is None:
        return extractive
    if settings.answerer in ("openai", "ollama") or model is not None:
        from .llm import LLMAnswerer, chat_model

        model = model if model is not None else chat_model(settings)
        name = getattr(model, "model_name", None) or getattr(model, "model", None) or type(model).__name__
        kind = settings.answerer if settings.answerer != "extractive" else "llm"
        return LLMAnswerer(settings, model, extractive, f"{kind}:{name}")
    raise AssistantError(
        f"unknown answerer '{settings.answerer}' (JDD_ANSWERER); choose one of: {', '.join(ANSWERERS)}"
    )
