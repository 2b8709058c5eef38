"""Run the dev questions against a fresh index of the dev corpora and report the metrics.

    python -m evals.run [--real] [--only CORPUS ...] [--separate] [--out FILE] [--answers FILE] [--index DIR]

Corpora (built into a temporary folder each run; all share one index, so a question must also
find the right document; with --separate, each corpus has an index of its own, as for a user who
indexes a single text):
  widget  the sample standard from tests/pdf_factory.py (generated PDF)
  dev     evals/corpus/build_dev_corpus.py (generated PDFs in two layouts)
  guide   corpus/guide/ (the starter orientation guide)
and, with --real, public texts none of us wrote, typeset from the local cache (see
evals/real_sources.md; their text is never committed):
  nist    NIST SP 800-63B (numbered clauses, SHALL statements, tables)
  masvs   OWASP MASVS 1.x (requirement tables with level columns, glossary)
  legal   EU Batteries Regulation 2023/1542 (Articles, paragraphs, points, 68 definitions, annexes)
  scvs    OWASP SCVS 1.0 (requirement tables with L1/L2/L3 columns, glossary)
  gdpr    the GDPR, Regulation (EU) 2016/679 (recitals, Articles, 26 definitions)
  eudr    the EU Deforestation Regulation 2023/1115 (recitals, Articles, 40 definitions, annex table)
  esrs    ESRS 1 General requirements, Delegated Regulation 2023/2772 (numbered paragraphs, "AR n", appendices)
  gpsr    the General Product Safety Regulation (EU) 2023/988 (Articles, paragraphs, points, 30 definitions, annexes)
  msr     the Market Surveillance Regulation (EU) 2019/1020 (Articles, paragraphs, points, 26 definitions, annexes)
Each corpus has its questions in evals/questions_<corpus>.jsonl (and later sets in
evals/questions_<corpus>2.jsonl, ...).
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
from assistant.evaluation import breakdown, evaluate  # noqa: E402

OWN = ("widget", "dev", "guide")
REAL = ("nist", "masvs", "legal", "scvs", "gdpr", "eudr", "esrs", "gpsr", "msr")
CACHE = ROOT / "evals" / ".cache" / "real"


def real_available() -> list[str]:
    """The real corpora whose text is in the local cache."""
    return [n for n in REAL if (CACHE / n / "source.md").exists() or (CACHE / n / "source.txt").exists()]


def build_corpus(folder: Path, only: set[str] | None = None) -> list[Path]:
    """The dev documents of the chosen corpora (default: our own three), generated into `folder`."""
    from pdf_factory import make_standard_pdf

    from evals.corpus.build_dev_corpus import build

    only = set(only or OWN)
    files: list[Path] = []
    if "widget" in only:
        files.append(make_standard_pdf(folder / "widget_standard.pdf").path)
    if "dev" in only:
        files += list(build(folder))
    if "guide" in only:
        files += guide_files()
    for name in REAL:
        if name in only:
            files.append(real_pdf(name))
    return files


def real_pdf(name: str) -> Path:
    """The typeset PDF of a cached real text (built on first use)."""
    from evals.corpus.build_real_corpus import build

    pdf = CACHE / name / f"{name}.pdf"
    if not pdf.exists():
        if not (CACHE / name).exists():
            raise SystemExit(f"{name}: its text is not in {CACHE}; see evals/real_sources.md")
        build(name, CACHE)
    return pdf


def guide_files() -> list[Path]:
    guide = ROOT / "corpus" / "guide"
    pdfs = sorted(guide.glob("*.pdf"))
    return pdfs or sorted(guide.glob("*.md"))


def load_questions(corpora: list[str] | tuple[str, ...] = OWN) -> list[dict]:
    """The questions of the chosen corpora, in file order."""
    out: list[dict] = []
    for corpus in corpora:  # "questions_eudr.jsonl", then a later set "questions_eudr2.jsonl"
        for path in sorted((ROOT / "evals").glob(f"questions_{corpus}*.jsonl")):
            out += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def run(questions: list[dict], settings: Settings, files: list[Path]) -> dict:
    assistant = Assistant(settings)
    started = time.perf_counter()
    results = assistant.ingest(files)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        raise SystemExit(f"dev corpus failed to ingest: {[r.error for r in failed]}")
    ingest_s = time.perf_counter() - started
    rows = evaluate(assistant, questions)["rows"]
    report = breakdown(rows)
    report["ingest_seconds"] = round(ingest_s, 1)
    report["rows"] = rows
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--real", action="store_true", help="also the real public texts in the local cache")
    parser.add_argument("--only", action="append", choices=OWN + REAL, help="one corpus alone (repeatable)")
    parser.add_argument(
        "--out", help="report file (default: evals/results/latest.json; with real texts, evals/.cache/latest_real.json,"
        " as their answers quote text we may not commit)"
    )
    parser.add_argument("--answers", help="also write the answer objects (JSON contract) here, one per line")
    parser.add_argument("--show", choices=["none", "misses", "all"], default="misses")
    parser.add_argument("--index", help="keep the index in this folder and reuse it (unchanged files are skipped)")
    parser.add_argument(
        "--separate", action="store_true",
        help="each corpus in an index of its own (as a user who indexes one text), the metrics over all of them",
    )
    args = parser.parse_args(argv)
    corpora = list(args.only or (OWN + tuple(real_available()) if args.real else OWN))
    groups = [[c] for c in corpora] if args.separate else [corpora]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        reports = []
        for group in groups:
            index, corpus = (Path(args.index) if args.index else tmp / "index"), tmp / "corpus"
            if args.separate:
                index, corpus = index / group[0], corpus / group[0]
            reports.append(run(load_questions(group), Settings(index_dir=index), build_corpus(corpus, set(group))))
    rows = [row for r in reports for row in r["rows"]]
    report = breakdown(rows)
    report["ingest_seconds"] = round(sum(r["ingest_seconds"] for r in reports), 1)
    report["rows"] = rows
    if args.show != "none":
        for row in report["rows"]:
            scores = row["scores"]
            miss = any(v < 1.0 for k, v in scores.items() if k != "citation_precision")
            if args.show == "all" or miss:
                q, r = row["question"], row["result"]
                print(f"- {q['id']} [{q['kind']}/{q.get('qtype', '')}] {q['question']}")
                print(f"    scores {scores}  abstained={r['abstained']}")
                print(f"    top sections {[p['section'] for p in r['passages']]} expected {q.get('expected_sections')}")
                print(f"    answer: {r['answer'][:300]!r}")
    real = any(c in REAL for c in corpora)
    out = Path(args.out) if args.out else (CACHE.parent / "latest_real.json" if real else ROOT / "evals" / "results" / "latest.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    if args.answers:
        with open(args.answers, "w", encoding="utf-8") as fh:
            for row in report["rows"]:
                fh.write(json.dumps(row["result"], ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "rows"}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
