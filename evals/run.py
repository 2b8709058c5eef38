"""Run the dev questions against a fresh index of the dev corpora and report the metrics.

    python -m evals.run [--questions evals/questions.jsonl] [--out evals/results/latest.json]

Corpora (built into a temporary folder each run):
  widget  the sample standard from tests/pdf_factory.py (generated PDF)
  dev     evals/corpus/build_dev_corpus.py (generated PDFs in two layouts)
  guide   corpus/guide/ (the starter orientation guide)
All are ingested into one index, so questions must also find the right document.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from evals.metrics import aggregate, score_question  # noqa: E402


def build_corpus(folder: Path, only: set[str] | None = None) -> list[Path]:
    """The dev documents, generated into `folder` (only some corpora if `only` is given)."""
    from pdf_factory import make_standard_pdf

    from evals.corpus.build_dev_corpus import build

    files: list[Path] = []
    if not only or "widget" in only:
        files.append(make_standard_pdf(folder / "widget_standard.pdf").path)
    if not only or "dev" in only:
        files += list(build(folder))
    if not only or "guide" in only:
        files += guide_files()
    return files


def guide_files() -> list[Path]:
    guide = ROOT / "corpus" / "guide"
    pdfs = sorted(guide.glob("*.pdf"))
    return pdfs or sorted(guide.glob("*.md"))


def load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(questions: list[dict], settings: Settings, files: list[Path]) -> dict:
    assistant = Assistant(settings)
    started = time.perf_counter()
    results = assistant.ingest(files)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise SystemExit(f"dev corpus failed to ingest: {[r.error for r in failed]}")
    ingest_s = time.perf_counter() - started
    histories: dict[str, list[str]] = {}
    rows = []
    for q in questions:
        history = histories.setdefault(q["session"], []) if q.get("session") else []
        answer = assistant.ask(q["question"], history=list(history)).to_json(q["id"])
        history.append(q["question"])
        scores = score_question(q, answer)
        rows.append({"question": q, "result": answer, "scores": scores})
    summary = aggregate([r["scores"] for r in rows])
    by_corpus = {}
    for corpus in sorted({q.get("corpus", "") for q in questions}):
        by_corpus[corpus] = aggregate([r["scores"] for r in rows if r["question"].get("corpus", "") == corpus])
    return {"summary": summary, "by_corpus": by_corpus, "ingest_seconds": round(ingest_s, 1), "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", default=str(ROOT / "evals" / "questions.jsonl"))
    parser.add_argument("--out", default=str(ROOT / "evals" / "results" / "latest.json"))
    parser.add_argument("--show", choices=["none", "misses", "all"], default="misses")
    parser.add_argument("--index", help="keep the index in this folder and reuse it (unchanged files are skipped)")
    parser.add_argument("--only", action="append", choices=["widget", "dev", "guide"], help="one corpus alone (repeatable)")
    args = parser.parse_args(argv)
    questions = load_questions(Path(args.questions))
    only = set(args.only or [])
    if only:
        questions = [q for q in questions if q.get("corpus") in only]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        index = Path(args.index) if args.index else tmp / "index"
        report = run(questions, Settings(index_dir=index), build_corpus(tmp / "corpus", only or None))
    if args.show != "none":
        for row in report["rows"]:
            scores = row["scores"]
            miss = any(v < 1.0 for k, v in scores.items() if k != "citation_precision")
            if args.show == "all" or miss:
                q, r = row["question"], row["result"]
                print(f"- {q['id']} [{q['kind']}] {q['question']}")
                print(f"    scores {scores}  abstained={r['abstained']}")
                print(f"    top sections {[p['section'] for p in r['passages']]} expected {q.get('expected_sections')}")
                if q["kind"] != "unanswerable" and not r["abstained"]:
                    print(f"    answer: {r['answer'][:300]}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({"summary": report["summary"], "by_corpus": report["by_corpus"]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
