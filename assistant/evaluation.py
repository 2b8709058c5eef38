"""Evaluation on a team's own questions (`jdd eval`), and the metrics, in one place, with their
averaging rules.

Every metric is a mean over questions (macro average), each question weighing the same:
- evidence_recall@k (answerable): share of the question's evidence_keywords found in the text
  of the top-k passages (case-insensitive, whitespace collapsed).
- all_evidence_hit@k (answerable): 1 if every evidence keyword is in the top-k passages, else 0.
- section_hit@k (answerable): 1 if any expected section is the section of a top-k passage, or
  a parent of it ("5.2" for a passage in "5.2.3", "Article 48" for "Article 48(2)"), or a
  heading of its heading path (for sections without a number: "Verification Levels in Detail"),
  else 0.
- mrr (answerable, with expected sections): 1 / rank of the first passage in an expected
  section (among the first 10), 0 when none is.
- ndcg@10 (answerable, with expected sections): passages in an expected section count 1, others
  0; DCG over the first 10 passages divided by the DCG of the same passages in the best order
  (0 when none is in an expected section).
- answer_rate (answerable): 1 if the assistant answered (did not decline); 1 - answer_rate is
  the share declined wrongly.
- decline_rate (unanswerable): 1 if the assistant declined.
- fact_recall (answerable): share of the question's answer_facts (default: evidence_keywords)
  found in the answer text or its quotes; a declined answer scores 0.
- citation_precision (answered answerable): share of citations whose section is expected.
- latency p50 / p95: over all questions, milliseconds of each `ask` (the answer and its search).

`breakdown` reports the means overall, per corpus, per kind of question (qtype) and per corpus
and qtype, each with the number of questions behind it (n_<metric>).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
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
        found = [_found(k, passage_text) for k in evidence]
        out[f"evidence_recall@{K}"] = sum(found) / len(evidence)
        out[f"all_evidence_hit@{K}"] = float(all(found))
    if sections:
        out[f"section_hit@{K}"] = float(any(_section_matches(s, p["section"], p.get("heading", "")) for s in sections for p in passages))
        relevant = [any(_section_matches(s, p["section"], p.get("heading", "")) for s in sections) for p in result["passages"][:10]]
        out["mrr"] = next((1.0 / (i + 1) for i, r in enumerate(relevant) if r), 0.0)
        dcg = sum(1.0 / math.log2(i + 2) for i, r in enumerate(relevant) if r)
        ideal = sum(1.0 / math.log2(i + 2) for i in range(sum(relevant)))
        out["ndcg@10"] = dcg / ideal if ideal else 0.0
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


# ------------------------------------------------------------------ jdd eval

KINDS = ("answerable", "unanswerable")
# the metrics a report shows, in its order (shares, higher is better)
REPORTED = (
    f"evidence_recall@{K}", f"all_evidence_hit@{K}", f"section_hit@{K}", "mrr", "ndcg@10",
    "fact_recall", "citation_precision", "answer_rate", "decline_rate",
)


def earlier_questions(q: dict, sessions: dict[str, list[str]]) -> list[str]:
    """The earlier questions of a question line's conversation: those of its session asked so
    far (kept in `sessions`; the caller appends the line's question once asked), else the
    `history` the line gives."""
    session = q.get("session")
    if session not in (None, ""):
        return sessions.setdefault(str(session), [])
    return list(q.get("history") or [])


def timed(ask, questions: list[str]) -> list[float]:
    """Milliseconds `ask` takes on each question, in order."""
    import time

    times = []
    for q in questions:
        started = time.perf_counter()
        ask(q)
        times.append((time.perf_counter() - started) * 1000)
    return times


def question_latencies(ask, questions: list[str]) -> dict:
    """p50 / p95 milliseconds of `ask` over the questions (for jdd bench's baseline figures)."""
    times = timed(ask, questions)
    return {"asks": len(times), "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95)}


def load_question_file(path) -> list[dict]:
    """A question file (JSON lines; see evals/README.md), checked line by line: each line an
    object with a non-empty "question"; "kind" answerable (default) or unanswerable; the lists
    lists of strings. A bad line is reported with its number."""
    import json
    from pathlib import Path

    from .errors import AssistantError

    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"cannot read the question file {path}: {exc}") from exc
    out = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            q = json.loads(line)
        except ValueError as exc:
            raise AssistantError(f"{path} line {number}: not JSON ({exc})") from exc
        if not isinstance(q, dict) or not isinstance(q.get("question"), str) or not q["question"].strip():
            raise AssistantError(f'{path} line {number}: needs a "question"')
        q.setdefault("id", str(number))
        q["id"] = str(q["id"])
        q.setdefault("kind", "answerable")
        if q["kind"] not in KINDS:
            raise AssistantError(f'{path} line {number}: "kind" must be answerable or unanswerable, not {q["kind"]!r}')
        for field in ("answer_facts", "evidence_keywords", "expected_sections", "history"):
            value = q.setdefault(field, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise AssistantError(f'{path} line {number}: "{field}" must be a list of strings')
        out.append(q)
    if not out:
        raise AssistantError(f"{path} holds no questions")
    return out


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank), to 0.1; 0 for none."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1) if ordered else 0.0


class TutorialBaseline:
    """The plain LangChain tutorial pipeline over the same documents, for comparison: each PDF's
    pages as pypdf reads them (PyPDFLoader's way), other files as text, split by
    RecursiveCharacterTextSplitter 1000/200, embedded with the same model, kept in Chroma;
    the answer is the top passage, and it never declines."""

    def __init__(self, folder, top_k: int = K):
        import chromadb
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        from .embedding import default_model_path

        transformers_logging.disable_progress_bar()
        self.top_k = top_k
        self.model = SentenceTransformer(str(default_model_path()), device="cpu")
        self.collection = chromadb.PersistentClient(path=str(folder)).get_or_create_collection("tutorial", embedding_function=None)

    def add_files(self, files) -> dict:
        """Split, embed and store the files; their pages and chunks."""
        from langchain_text_splitters import RecursiveCharacterTextSplitter
        from pypdf import PdfReader

        from .loaders import load_document

        splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
        texts, metas, pages_read = [], [], 0
        for path in files:
            path = Path(path)
            if path.suffix.lower() == ".pdf":
                pages = [(i + 1, p.extract_text() or "") for i, p in enumerate(PdfReader(path).pages)]
            else:
                pages = [(p.number, p.text) for p in load_document(path).pages]
            pages_read += len(pages)
            for number, page in pages:
                for piece in splitter.split_text(page):
                    texts.append(piece)
                    metas.append({"source": path.name, "page": number})
        vectors = self.model.encode(texts, batch_size=32) if texts else []
        start = self.collection.count()
        for i in range(0, len(texts), 1000):
            self.collection.add(
                ids=[str(start + j) for j in range(i, min(i + 1000, len(texts)))],
                embeddings=[v.tolist() for v in vectors[i : i + 1000]],
                documents=texts[i : i + 1000],
                metadatas=metas[i : i + 1000],
            )
        return {"pages": pages_read, "chunks": len(texts)}

    def ask(self, question: str) -> dict:
        """The answer object of the JSON contract, as far as the tutorial pipeline has one."""
        vector = self.model.encode([question])[0].tolist()
        found = self.collection.query(query_embeddings=[vector], n_results=self.top_k, include=["documents", "metadatas"])
        passages = [
            {"text": text, "section": "", "heading": "", "page": meta["page"], "source": meta["source"]}
            for text, meta in zip(found["documents"][0], found["metadatas"][0])
        ]
        top = passages[0]["text"] if passages else ""
        citations = [{"n": 1, "section": "", "heading": "", "quote": top}] if passages else []
        return {"question": question, "answer": top, "abstained": False, "citations": citations, "passages": passages}


def evaluate(assistant, questions: list[dict], *, baseline: bool = False, progress=None) -> dict:
    """Each question through the real pipeline (a session's questions in file order are one
    conversation), and with `baseline` through the tutorial pipeline too; the metrics of both,
    their ratios, latencies, the settings and a hash of the corpus."""
    import hashlib
    import tempfile
    import time

    docs = assistant.documents()
    if not docs:
        from .errors import AssistantError

        raise AssistantError("the index is empty: ingest the documents first (jdd ingest PATH)")
    steps = len(questions) * (2 if baseline else 1) + (1 if baseline else 0)
    done = 0

    def tick(label: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(label, done, steps)

    assistant.ask("What does this document cover?")  # the model and the index load once, before anything is timed
    sessions: dict[str, list[str]] = {}
    rows, latencies = [], []
    for q in questions:
        history = earlier_questions(q, sessions)
        started = time.perf_counter()
        answer = assistant.ask(q["question"], history=list(history)).to_json(q["id"])
        latencies.append((time.perf_counter() - started) * 1000)
        history.append(q["question"])
        rows.append({"question": q, "result": answer, "scores": score_question(q, answer)})
        tick(q["id"])
    ours = breakdown(rows)
    report = {
        "metrics": {"ours": {**ours["summary"], "latency_p50_ms": percentile(latencies, 0.5), "latency_p95_ms": percentile(latencies, 0.95)}},
        "by_kind": {kind or "(none)": scores for kind, scores in ours["by_qtype"].items()},
        "questions": len(questions),
        "corpus": {
            "documents": [{"doc_id": d.doc_id, "title": d.title, "version": d.version, "pages": d.pages, "content_hash": d.content_hash} for d in docs],
            "hash": hashlib.sha256("\n".join(sorted(d.content_hash for d in docs)).encode()).hexdigest()[:16],
            "pages": sum(d.pages for d in docs),
        },
        "settings": {k: str(v) for k, v in assistant.settings.model_dump().items() if "key" not in k},
        "rows": rows,
    }
    if baseline:
        files = [p for d in docs if (p := assistant.source_path(d.doc_id)) is not None]
        with tempfile.TemporaryDirectory(prefix="jdd-baseline-") as tmp:
            started = time.perf_counter()
            tutorial = TutorialBaseline(tmp)
            tutorial.add_files(files)
            build_s = time.perf_counter() - started
            tick("baseline index")
            b_rows, b_latencies = [], []
            for q in questions:
                started = time.perf_counter()
                result = tutorial.ask(q["question"])
                b_latencies.append((time.perf_counter() - started) * 1000)
                b_rows.append({"question": q, "scores": score_question(q, result)})
                tick(q["id"])
        b_summary = aggregate([r["scores"] for r in b_rows])
        report["metrics"]["baseline"] = {**b_summary, "latency_p50_ms": percentile(b_latencies, 0.5), "latency_p95_ms": percentile(b_latencies, 0.95)}
        report["baseline_index_seconds"] = round(build_s, 1)
        report["baseline_files"] = len(files)
        for row, b in zip(report["rows"], b_rows):
            row["baseline_scores"] = b["scores"]
        theirs = report["metrics"]["baseline"]
        report["metrics"]["ratio"] = {
            name: round(value / theirs[name], 2)
            for name, value in report["metrics"]["ours"].items()
            if name in theirs and not name.startswith("n_") and theirs[name]
        }
    return report


def write_report(report: dict, out_dir) -> list:
    """results.json, report.md and chart.png in `out_dir`; the paths written."""
    import json
    from pathlib import Path

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    _chart(report, out / "chart.png")
    (out / "report.md").write_text(report_markdown(report), encoding="utf-8")
    return [out / "results.json", out / "report.md", out / "chart.png"]


def report_markdown(report: dict) -> str:
    ours, base = report["metrics"]["ours"], report["metrics"].get("baseline")
    corpus = report["corpus"]
    lines = [
        "# Evaluation report",
        "",
        f"**What was measured:** {report['questions']} questions (their answers, passages and quotes) run through the assistant "
        f"as a user asks them, questions of one session as one conversation.",
        f"**On what:** {len(corpus['documents'])} documents, {corpus['pages']} pages (corpus hash {corpus['hash']}): "
        + "; ".join(f"{d['title']}" + (f" ({d['version']})" if d["version"] else "") for d in corpus["documents"][:8])
        + (" ..." if len(corpus["documents"]) > 8 else "") + ".",
        "**Against what:** "
        + ("the plain LangChain tutorial pipeline (pypdf pages, RecursiveCharacterTextSplitter 1000/200, the same embedding "
           "model, Chroma top-5; its answer is the top passage) on the same documents, in the same run." if base else "no baseline (run with --baseline for one)."),
        "",
        "![ours and the baseline, metric by metric](chart.png)",
        "",
        "| metric | ours | " + ("baseline | ratio | " if base else "") + "questions |",
        "| --- | --- | " + ("--- | --- | " if base else "") + "--- |",
    ]
    for name in REPORTED:
        if name not in ours:
            continue
        row = f"| {name} | {ours[name]:.3f} | "
        if base:
            b = base.get(name)
            row += (f"{b:.3f} | " if b is not None else "– | ") + (f"{ours[name] / b:.2f}x | " if b else "– | ")
        lines.append(row + f"{ours.get('n_' + name, '')} |")
    for name in ("latency_p50_ms", "latency_p95_ms"):
        row = f"| {name.replace('_ms', '')} (ms) | {ours[name]:.0f} | "
        if base:
            row += f"{base[name]:.0f} | {ours[name] / base[name]:.2f}x | " if base[name] else "– | – | "
        lines.append(row + f"{report['questions']} |")
    lines += ["", "Metrics are means over the questions that define them (definitions in `assistant/evaluation.py`). "
              "The baseline never declines: its decline rate is 0 by construction, and it has no clause ids to match.", ""]
    if report.get("by_kind") and len(report["by_kind"]) > 1:
        lines += ["## By kind of question", "", "| kind | questions | fact recall | answer rate | decline rate |", "| --- | --- | --- | --- | --- |"]
        for kind, s in report["by_kind"].items():
            n = max(s.get("n_answer_rate", 0), s.get("n_decline_rate", 0))
            cells = [f"{s[m]:.2f}" if m in s else "–" for m in ("fact_recall", "answer_rate", "decline_rate")]
            lines.append(f"| {kind or '(none)'} | {n} | {' | '.join(cells)} |")
        lines.append("")
    lines += ["## Question by question", "", "| id | question | kind | outcome | evidence recall | fact recall |", "| --- | --- | --- | --- | --- | --- |"]
    for r in report["rows"]:
        q, sc = r["question"], r["scores"]
        if q["kind"] == "unanswerable":
            outcome = "declined (right)" if r["result"]["abstained"] else "**answered, should decline**"
        else:
            outcome = "**declined**" if r["result"]["abstained"] else "answered"
        cells = [f"{sc[m]:.2f}" if m in sc else "–" for m in (f"evidence_recall@{K}", "fact_recall")]
        text = " ".join(q["question"].split()).replace("|", "\\|")
        lines.append(f"| `{q['id']}` | {text[:120]} | {q['kind']} | {outcome} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def _chart(report: dict, path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ours, base = report["metrics"]["ours"], report["metrics"].get("baseline")
    names = [n for n in REPORTED if n in ours]
    fig, ax = plt.subplots(figsize=(9, 4.2), dpi=110)
    width = 0.38 if base else 0.6
    xs = range(len(names))
    ax.bar([x - (width / 2 if base else 0) for x in xs], [ours[n] for n in names], width, label="ours", color="#2b6cb0")
    if base:
        ax.bar([x + width / 2 for x in xs], [base.get(n, 0.0) for n in names], width, label="LangChain tutorial pipeline", color="#a0aec0")
    ax.set_xticks(list(xs))
    ax.set_xticklabels(names, rotation=30, ha="right", fontsize=8)
    ax.set_ylim(0, 1.2)
    ax.set_ylabel("mean over questions")
    ax.set_title(f"{report['questions']} questions, {report['corpus']['pages']} pages")
    ax.legend(fontsize=8, loc="upper center", ncol=2, frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
