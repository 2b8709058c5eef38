"""The dev set keeps its scores: evals/baseline.json holds the floors, this test runs the set."""

import json
from pathlib import Path

from assistant.settings import Settings
from evals.metrics import aggregate, score_question
from evals.run import build_corpus, load_questions, run

ROOT = Path(__file__).resolve().parent.parent


def test_dev_set_meets_the_baseline(tmp_path):
    floors = json.loads((ROOT / "evals" / "baseline.json").read_text())["summary"]
    questions = load_questions()
    report = run(questions, Settings(index_dir=tmp_path / "index"), build_corpus(tmp_path / "corpus"))
    summary = report["summary"]
    below = {name: (summary.get(name), floor) for name, floor in floors.items() if summary.get(name, 0.0) < floor}
    assert not below, f"scores below evals/baseline.json: {below}"


def test_metrics_follow_their_definitions():
    q = {"kind": "answerable", "evidence_keywords": ["18 months", "chief executive"], "expected_sections": ["5.2"]}
    result = {
        "abstained": False,
        "answer": "It is updated every 18 months [1]",
        "citations": [{"section": "5.2.3", "quote": "every 18 months"}, {"section": "7", "quote": "x"}],
        "passages": [{"text": "updated every 18\nmonths", "section": "5.2.3"}, {"text": "other", "section": "7"}],
    }
    scores = score_question(q, result)
    assert scores["evidence_recall@5"] == 0.5  # "chief executive" is not in the passages
    assert scores["section_hit@5"] == 1.0  # 5.2.3 sits under 5.2
    assert scores["fact_recall"] == 0.5
    assert scores["citation_precision"] == 0.5
    declined = score_question({"kind": "unanswerable"}, {**result, "abstained": True})
    assert declined == {"decline_rate": 1.0}
    assert aggregate([scores, declined])["n_decline_rate"] == 1
