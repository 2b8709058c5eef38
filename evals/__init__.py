"""Evaluation: question sets (JSONL), a runner, metrics, expected scores."""
