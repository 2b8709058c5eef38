"""Answerers turn ranked passages into cited answers; `make_answerer` picks one from settings."""

from __future__ import annotations

from ..errors import AssistantError
from ..settings import Settings
from .base import DECLINE_PREFIX, Answerer, AnswerRequest, check_markers, cite, decline, finish
from .extractive import ExtractiveAnswerer

ANSWERERS = ("extractive",)

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
    "make_answerer",
]


def make_answerer(settings: Settings, weigh, embedder) -> Answerer:
    """The answerer JDD_ANSWERER names. `weigh` gives the IDF weight of a question's words."""
    if settings.answerer == "extractive":
        return ExtractiveAnswerer(settings, weigh, embedder)
    raise AssistantError(
        f"unknown answerer '{settings.answerer}' (JDD_ANSWERER); choose one of: {', '.join(ANSWERERS)}"
    )
