"""Metric definitions, in one place, with their averaging rules.

Every metric is a mean over questions (macro average), each question weighing the same:
- evidence_recall@k (answerable): share of the question's evidence_keywords found in the text
  of the top-k passages (case-insensitive, whitespace collapsed).
- section_hit@k (answerable): 1 if any expected section is the section of a top-k passage, or
  a parent of it ("5.2" for a passage in "5.2.3", "Article 48" for "Article 48(2)"), or a
  heading of its heading path (for sections without a number: "Verification Levels in Detail"),
  else 0.
- answer_rate (answerable): 1 if the assistant answered (did not decline); 1 - answer_rate is
  the share declined wrongly.
- decline_rate (unanswerable): 1 if the assistant declined.
- fact_recall (answerable): share of the question's answer_facts (default: evidence_keywords)
  found in the answer text or its quotes; a declined answer scores 0.
- citation_precision (answered answerable): share of citations whose section is expected.

`breakdown` reports the means overall, per corpus, per kind of question (qtype) and per corpus
and qtype, each with the number of questions behind it (n_<metric>).
"""

from __future__ import annotations

import re
from statistics import mean

K = 5


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("-\n", "")).lower()


def _found(keyword: str, text: str) -> bool:
    return _norm(keyword) in text


def _section_matches(expected: str, section: str, heading: str = "") -> bool:
    expected, section = expected.lower(), section.lower()
    if section == expected or section.startswith((expected + ".", expected + "(")):
        return True
    labels = [label.lower() for label in heading.split(" > ")] if heading else []
    return any(label == expected or label.startswith((expected + " ", expected + ":")) for label in labels)


def score_question(q: dict, result: dict) -> dict:
    """Per-question scores from the question record and the answer object (JSON contract)."""
    out: dict[str, float] = {}
    passages = result["passages"][:K]
    if q["kind"] == "unanswerable":
        out["decline_rate"] = float(result["abstained"])
        return out
    evidence = q.get("evidence_keywords") or []
    sections = q.get("expected_sections") or []
    passage_text = _norm(" ".join(p["text"] for p in passages))
    if evidence:
        out[f"evidence_recall@{K}"] = sum(_found(k, passage_text) for k in evidence) / len(evidence)
    if sections:
        out[f"section_hit@{K}"] = float(any(_section_matches(s, p["section"], p.get("heading", "")) for s in sections for p in passages))
    out["answer_rate"] = float(not result["abstained"])
    facts = q.get("answer_facts") or evidence
    if facts:
        answer_text = _norm(result["answer"] + " " + " ".join(c["quote"] for c in result["citations"]))
        out["fact_recall"] = 0.0 if result["abstained"] else sum(_found(f, answer_text) for f in facts) / len(facts)
    if sections and result["citations"] and not result["abstained"]:
        cites = result["citations"]
        out["citation_precision"] = sum(any(_section_matches(s, c["section"], c.get("heading", "")) for s in sections) for c in cites) / len(cites)
    return out


def aggregate(per_question: list[dict]) -> dict[str, float]:
    """Macro averages of each metric over the questions that define it, plus counts."""
    names = sorted({name for scores in per_question for name in scores})
    summary = {}
    for name in names:
        values = [scores[name] for scores in per_question if name in scores]
        summary[name] = round(mean(values), 4)
        summary[f"n_{name}"] = len(values)
    return summary


def breakdown(rows: list[dict]) -> dict:
    """Summary overall, by corpus, by qtype and by corpus and qtype. `rows` hold "question"
    (the question record) and "scores" (score_question's result)."""

    def group(key) -> dict[str, dict]:
        keys = sorted({key(r["question"]) for r in rows})
        return {k: aggregate([r["scores"] for r in rows if key(r["question"]) == k]) for k in keys}

    return {
        "summary": aggregate([r["scores"] for r in rows]),
        "by_corpus": group(lambda q: q.get("corpus", "")),
        "by_qtype": group(lambda q: q.get("qtype", "")),
        "by_corpus_qtype": group(lambda q: f"{q.get('corpus', '')}/{q.get('qtype', '')}"),
    }
