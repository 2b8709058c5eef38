"""`jdd bench`: ingest speed, cold and warm `ask` latency and peak memory, measured the way a
user meets them: each phase runs as its own process (the real `jdd` command where possible),
and memory is the peak resident set size the kernel reports for that process.

Phases:
  ingest    `jdd ingest` of the corpus into a new index: pages/s and chunks/s, model load included
  baseline  the plain LangChain-tutorial pipeline (pypdf pages, 1000/200 character splitter,
            sentence-transformers, Chroma) on the same PDFs, for a ratio measured in the same run
  cold      `jdd ask` wall time on the new index, three runs
  warm      one process asks every question of the question file twice over; p50 / p95 latency
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .errors import AssistantError

COLD_QUESTION = "What does the standard require for the supplier risk assessment?"


def _measure(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of this one child, and its stdout.

    os.wait4 gives the child's own resource usage (RUSAGE_CHILDREN would be a running maximum
    over every child so far)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        proc = subprocess.Popen(cmd, stdout=out_file, stderr=err_file)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    if proc.returncode:
        raise AssistantError(f"benchmark step failed: {' '.join(cmd[:5])}\n{err.decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out.decode()


def default_corpus(folder: Path) -> list[Path]:
    """About 110 pages of generated standards (needs the dev extras: fpdf2)."""
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "tests"))
    sys.path.insert(0, str(root))
    try:
        from pdf_factory import make_standard_pdf

        from evals.corpus.build_dev_corpus import build
    except ImportError as exc:
        raise AssistantError("the default benchmark corpus needs the dev extras (make setup-dev) or --corpus DIR") from exc
    files = list(build(folder))
    pages = sum(_pdf_pages(f) for f in files)
    guide = sorted((root / "corpus" / "guide").glob("*.pdf"))
    files += guide
    pages += sum(_pdf_pages(f) for f in guide)
    files.append(make_standard_pdf(folder / "widget_standard.pdf", min_pages=max(8, 110 - pages)).path)
    return files


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def warm_latencies(index: str, questions_file: str, rounds: int = 2) -> dict:
    """Runs inside the `warm` child: after a warm-up on other text, ask each question `rounds`
    times. The first round meets every question new; later rounds show the effect of the
    vector cache (a user re-asking or rephrasing). p50/p95 are over all asks."""
    from .evaluation import percentile, timed
    from .service import Assistant
    from .settings import Settings

    questions = _questions(questions_file)
    assistant = Assistant(Settings(index_dir=Path(index)))
    assistant.ask(COLD_QUESTION)  # loads the model and the index
    per_round = [timed(assistant.ask, questions) for _ in range(rounds)]
    every = [t for times in per_round for t in times]
    return {
        "questions": len(questions),
        "asks": len(every),
        "p50_ms": percentile(every, 0.5),
        "p95_ms": percentile(every, 0.95),
        "max_ms": round(max(every), 1),
        "first_round_p50_ms": percentile(per_round[0], 0.5),
        "first_round_p95_ms": percentile(per_round[0], 0.95),
    }


def _questions(questions_file: str) -> list[str]:
    """The questions of a JSON-lines question file, in order."""
    return [json.loads(line)["question"] for line in Path(questions_file).read_text().splitlines() if line.strip()]


def baseline_ingest(paths: list[str], index: str) -> dict:
    """The LangChain tutorial pipeline (assistant.evaluation.TutorialBaseline) ingesting the
    same files, for comparison (runs inside the `baseline` child)."""
    from .evaluation import TutorialBaseline

    return TutorialBaseline(index).add_files(paths)


def baseline_asks(index: str, questions_file: str) -> dict:
    """The tutorial pipeline answering the question file on its index (the `baseline warm`
    child): p50 / p95 after the model is loaded."""
    from .evaluation import TutorialBaseline, question_latencies

    questions = _questions(questions_file)
    tutorial = TutorialBaseline(index)
    tutorial.ask(COLD_QUESTION)
    return question_latencies(tutorial.ask, questions * 2)


def run_bench(args) -> dict:
    jdd = [sys.executable, "-m", "assistant.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.corpus:
            from .service import expand_paths

            files, missing = expand_paths([args.corpus])
            if missing or not files:
                raise AssistantError(f"no documents found at {args.corpus}")
        else:
            files = default_corpus(tmp / "corpus")
        index = tmp / "index"
        wall, rss_ingest, out = _measure(jdd + ["--index", str(index), "ingest", "-q"] + [str(f) for f in files])
        docs = json.loads(_measure(jdd + ["--index", str(index), "docs", "--json"])[2])
        pages = sum(d["pages"] for d in docs)
        chunks = sum(d["chunks"] for d in docs)
        report: dict = {
            "corpus": {"files": len(files), "pages": pages, "chunks": chunks},
            "ingest": {
                "seconds": round(wall, 2),
                "pages_per_s": round(pages / wall, 1),
                "chunks_per_s": round(chunks / wall, 1),
                "peak_rss_mb": round(rss_ingest),
            },
        }
        pdfs = [str(f) for f in files if f.suffix.lower() == ".pdf"]
        if getattr(args, "baseline", True) and pdfs:
            code = (
                "import json,sys; from assistant.bench import baseline_ingest; "
                "print(json.dumps(baseline_ingest(sys.argv[2:], sys.argv[1])))"
            )
            b_wall, b_rss, b_out = _measure([sys.executable, "-c", code, str(tmp / "baseline")] + pdfs)
            b = json.loads(b_out.strip().splitlines()[-1])
            report["baseline"] = {
                "seconds": round(b_wall, 2),
                "pages_per_s": round(b["pages"] / b_wall, 1),
                "chunks": b["chunks"],
                "peak_rss_mb": round(b_rss),
            }
            questions_file = args.questions if args.questions and Path(args.questions).exists() else None
            if questions_file:
                code = "import json,sys; from assistant.bench import baseline_asks; print(json.dumps(baseline_asks(sys.argv[1], sys.argv[2])))"
                _, a_rss, a_out = _measure([sys.executable, "-c", code, str(tmp / "baseline"), questions_file])
                report["baseline"]["warm_ask"] = json.loads(a_out.strip().splitlines()[-1]) | {"peak_rss_mb": round(a_rss)}
        colds = []
        cold_rss = 0.0
        for _ in range(3):
            c_wall, c_rss, _ = _measure(jdd + ["--index", str(index), "ask", "--json", COLD_QUESTION])
            colds.append(c_wall)
            cold_rss = max(cold_rss, c_rss)
        report["cold_ask"] = {"seconds_median": round(statistics.median(colds), 2), "seconds_max": round(max(colds), 2), "peak_rss_mb": round(cold_rss)}
        questions = args.questions if args.questions and Path(args.questions).exists() else None
        if questions:
            code = (
                "import json,sys; from assistant.bench import warm_latencies; "
                "print(json.dumps(warm_latencies(sys.argv[1], sys.argv[2])))"
            )
            _, w_rss, w_out = _measure([sys.executable, "-c", code, str(index), questions])
            report["warm_ask"] = json.loads(w_out.strip().splitlines()[-1]) | {"peak_rss_mb": round(w_rss)}
        scale = getattr(args, "scale", 1) or 1
        if scale > 1:
            report["scale"] = _scaled(jdd, files, scale, tmp, report, questions)
        report["peak_rss_mb"] = max(v.get("peak_rss_mb", 0) for k, v in report.items() if isinstance(v, dict) and k != "baseline")
    report["summary"] = _summary(report)
    return report


def _scaled(jdd: list[str], files: list[Path], scale: int, tmp: Path, base: dict, questions: str | None) -> dict:
    """The corpus `scale` times over (copies under other names) ingested in one run: per-page
    time against the single corpus's, and ask latency and memory on the larger index."""
    import shutil

    folder = tmp / "scaled"
    folder.mkdir()
    for k in range(1, scale + 1):
        for f in files:
            shutil.copy(f, folder / f"{f.stem}-copy{k}{f.suffix}")
    index = tmp / "index-scaled"
    wall, rss, _ = _measure(jdd + ["--index", str(index), "ingest", "-q", str(folder)])
    docs = json.loads(_measure(jdd + ["--index", str(index), "docs", "--json"])[2])
    pages = sum(d["pages"] for d in docs)
    per_page = wall / max(pages, 1)
    base_per_page = base["ingest"]["seconds"] / max(base["corpus"]["pages"], 1)
    out = {
        "times": scale,
        "pages": pages,
        "chunks": sum(d["chunks"] for d in docs),
        "ingest_seconds": round(wall, 2),
        "seconds_per_page": round(per_page, 4),
        "per_page_vs_single": round(per_page / base_per_page, 2),
        "ingest_peak_rss_mb": round(rss),
    }
    if questions:
        code = "import json,sys; from assistant.bench import warm_latencies; print(json.dumps(warm_latencies(sys.argv[1], sys.argv[2])))"
        _, w_rss, w_out = _measure([sys.executable, "-c", code, str(index), questions])
        out["warm_ask"] = json.loads(w_out.strip().splitlines()[-1]) | {"peak_rss_mb": round(w_rss)}
    out["peak_rss_mb"] = max(out["ingest_peak_rss_mb"], out.get("warm_ask", {}).get("peak_rss_mb", 0))
    return out


def _summary(r: dict) -> str:
    lines = [
        f"corpus: {r['corpus']['files']} files, {r['corpus']['pages']} pages, {r['corpus']['chunks']} chunks",
        f"ingest: {r['ingest']['seconds']} s = {r['ingest']['pages_per_s']} pages/s, {r['ingest']['chunks_per_s']} chunks/s "
        f"(target >= 12 pages/s), peak RSS {r['ingest']['peak_rss_mb']} MB",
    ]
    if "baseline" in r:
        ratio = r["ingest"]["pages_per_s"] / max(r["baseline"]["pages_per_s"], 1e-9)
        lines.append(
            f"baseline (LangChain tutorial pipeline): {r['baseline']['pages_per_s']} pages/s, "
            f"peak RSS {r['baseline']['peak_rss_mb']} MB; ours is {ratio:.2f}x faster"
        )
        if "warm_ask" in r["baseline"] and "warm_ask" in r:
            b = r["baseline"]["warm_ask"]
            lines.append(
                f"baseline warm ask: p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms (ours: {r['warm_ask']['p95_ms'] / max(b['p95_ms'], 1e-9):.2f}x its p95; "
                "its answer is the top passage, with no answer selection)"
            )
    lines.append(f"cold jdd ask: median {r['cold_ask']['seconds_median']} s, max {r['cold_ask']['seconds_max']} s (target <= 4 s)")
    if "warm_ask" in r:
        w = r["warm_ask"]
        lines.append(
            f"warm ask over {w['asks']} asks: p50 {w['p50_ms']} ms, p95 {w['p95_ms']} ms (target p95 <= 150 ms); "
            f"first time each question is asked: p50 {w['first_round_p50_ms']} ms, p95 {w['first_round_p95_ms']} ms"
        )
    if "scale" in r:
        sc = r["scale"]
        line = (
            f"scaled x{sc['times']}: {sc['pages']} pages ingested in {sc['ingest_seconds']} s; per-page time "
            f"{sc['per_page_vs_single']}x the single corpus's (target <= 1.2x)"
        )
        if "warm_ask" in sc:
            line += f"; warm ask p95 {sc['warm_ask']['p95_ms']} ms (target <= 150 ms)"
        lines.append(line + f"; peak RSS {sc['peak_rss_mb']} MB")
    lines.append(f"peak RSS of any jdd process: {r['peak_rss_mb']} MB (target <= 1024 MB)")
    return "\n".join(lines)
