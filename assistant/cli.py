"""`jdd`: a thin command line over the Assistant facade."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import AssistantError
from .settings import Settings
from .types import Answer


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if args.index:
        overrides["index_dir"] = Path(args.index)
    return Settings(**overrides)


def _assistant(args: argparse.Namespace):
    from .service import Assistant

    return Assistant(_settings(args))


def format_answer(answer: Answer) -> str:
    """Answer text followed by its notices and its numbered sources with exact quotes."""
    return answer.text + format_tail(answer)


def format_tail(answer: Answer) -> str:
    """What follows an answer's text: its notices and its numbered sources with exact quotes."""
    lines = [""]
    if answer.notices:
        lines.append("")
        lines.extend(f"Note: {n}" for n in answer.notices)
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        for c in answer.citations:
            where = f"{c.title}" + (f" ({c.version})" if c.version else "")
            section = f", section {c.section}" if c.section else ""
            lines.append(f"[{c.n}] {where}{section}, page {c.page} [{c.source}]")
            lines.append(f"    \u201c{' '.join(c.quote.split())}\u201d")
    return "\n".join(lines) if len(lines) > 1 else ""


def print_streamed(items) -> Answer:
    """Print an answer as it is written, then its notices and sources; when checking changed
    the text (markers removed, or the extractive answer after a failed model), the checked
    text follows under a rule. Returns the Answer."""
    shown: list[str] = []
    answer = None
    for item in items:
        if isinstance(item, Answer):
            answer = item
        else:
            shown.append(item)
            print(item, end="", flush=True)
    assert answer is not None
    if not shown:
        print(answer.text, end="")
    elif " ".join("".join(shown).split()) != " ".join(answer.text.split()):  # checking changed it: show what stands
        print("\n" + "-" * 40 + "\n" + answer.text, end="")
    print(format_tail(answer), flush=True)
    return answer


# ------------------------------------------------------------------ commands


def _progress_bar(desc: str, unit: str, quiet: bool):
    """A progress bar on stderr and the (name, done, total) callback that moves it."""
    from tqdm import tqdm

    bar = tqdm(total=None, unit=unit, desc=desc, disable=quiet, file=sys.stderr)

    def progress(name: str, done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.set_postfix_str(name[:40])
        bar.refresh()

    return bar, progress


def cmd_ingest(args) -> int:
    assistant = _assistant(args)
    bar, progress = _progress_bar("Ingesting", "file", args.quiet)
    results = assistant.ingest(args.paths, title=args.title, version=args.version, doc_id=args.doc_id, progress=progress)
    bar.close()
    failed = [r for r in results if r.status == "failed"]
    _print_results(results)
    counts = {s: sum(r.status == s for r in results) for s in ("added", "replaced", "unchanged", "failed")}
    print(", ".join(f"{n} {s}" for s, n in counts.items()) + f"; {len(assistant.documents())} documents in {args.index or assistant.settings.index_dir}")
    return 1 if failed or not results else 0


def _print_results(results) -> None:
    """One line per ingested file; failures go to stderr with their message."""
    for r in results:
        if r.status == "failed":
            print(f"FAILED     {r.error}", file=sys.stderr)
        else:
            print(f"{r.status:<10} {r.doc_id} ({r.pages} pages, {r.chunks} chunks) from {r.path}")


def cmd_docs(args) -> int:
    docs = _assistant(args).documents()
    if args.json:
        print(json.dumps([d.to_json() for d in docs], indent=2, ensure_ascii=False))
        return 0
    if not docs:
        print("No documents in the index. Add some with: jdd ingest PATH")
        return 0
    print(f"{'DOC_ID':<32} {'VERSION':<12} {'PAGES':>5} {'CHUNKS':>6}  TITLE  [SOURCE]")
    for d in docs:
        print(f"{d.doc_id:<32} {d.version or '-':<12} {d.pages:>5} {d.chunks:>6}  {d.title}  [{d.source}]")
    return 0


def cmd_remove(args) -> int:
    info = _assistant(args).remove(args.doc_id)
    print(f"removed {info.doc_id} ({info.chunks} chunks) - {info.title}")
    return 0


def _filters(args) -> dict:
    return {
        "top_k": args.top_k,
        "doc_ids": args.doc or None,
        "versions": args.doc_version or None,
    }


def cmd_ask(args) -> int:
    assistant = _assistant(args)
    if args.batch:
        return _ask_batch(assistant, args)
    if not args.question:
        raise AssistantError('give a question: jdd ask "QUESTION" (or --batch FILE.jsonl)')
    question = " ".join(args.question)
    if args.json:
        print(json.dumps(assistant.ask(question, **_filters(args)).to_json(), ensure_ascii=False, indent=2))
    else:
        print_streamed(assistant.ask_stream(question, **_filters(args)))
    return 0


def _ask_batch(assistant, args) -> int:
    from .evaluation import earlier_questions, load_question_file

    items = load_question_file(args.batch)
    sessions: dict[str, list[str]] = {}
    for item in items:
        qid = item["id"]
        history = earlier_questions(item, sessions)
        answer = assistant.ask(item["question"], history=list(history), **_filters(args))
        history.append(item["question"])
        if args.json:
            print(json.dumps(answer.to_json(qid), ensure_ascii=False), flush=True)
        else:
            print(f"## {qid}: {item['question']}\n{format_answer(answer)}\n", flush=True)
    return 0


def _write_output(data: str | bytes, out: str | None, binary_format: str = "") -> None:
    """Print text to standard output, or write it (or a binary file, which needs --out) to OUT."""
    if out in (None, "-"):
        if isinstance(data, bytes):
            raise AssistantError(f"--format {binary_format} writes a file: give --out FILE")
        print(data, end="" if data.endswith("\n") else "\n")
        return
    path = Path(out)
    if path.parent and not path.parent.is_dir():
        raise AssistantError(f"cannot write {path}: the folder {path.parent} does not exist")
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    print(f"wrote {path}", file=sys.stderr)


def cmd_checklist(args) -> int:
    from .export import checklist_csv, checklist_markdown, checklist_xlsx

    assistant = _assistant(args)
    rows = assistant.checklist(args.doc_id, args.section or "")
    title = next((d.title for d in assistant.documents() if d.doc_id == args.doc_id), args.doc_id)
    if args.section:
        title += f", section {args.section}"
    data: str | bytes
    if args.format == "json":
        data = json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        data = checklist_csv(rows)
    elif args.format == "xlsx":
        data = checklist_xlsx(rows, title)
    else:
        data = checklist_markdown(rows, title)
    _write_output(data, args.out, args.format)
    return 0


def cmd_quiz(args) -> int:
    from .export import quiz_docx, quiz_gift, quiz_markdown

    assistant = _assistant(args)
    items = assistant.quiz(args.doc_id, args.section or "", args.n)
    if not items:
        where = f"section {args.section} of {args.doc_id}" if args.section else args.doc_id
        raise AssistantError(
            f"no requirement of {where} states a value to ask about (a number with its unit, a date) "
            "or names a party it binds often enough to ask whom it binds"
        )
    if len(items) < args.n:
        print(f"note: only {len(items)} of the {args.n} questions asked for could be drawn: the other requirements state no value "
              "to ask about and bind no party often named", file=sys.stderr)
    title = next((d.title for d in assistant.documents() if d.doc_id == args.doc_id), args.doc_id)
    if args.section:
        title += f", section {args.section}"
    writers = {
        "json": lambda: json.dumps([i.to_json() for i in items], ensure_ascii=False, indent=2) + "\n",
        "gift": lambda: quiz_gift(items, title),
        "docx": lambda: quiz_docx(items, title),
        "md": lambda: quiz_markdown(items, title),
    }
    _write_output(writers[args.format](), args.out, args.format)
    return 0


def cmd_study_sheet(args) -> int:
    from .export import study_sheet_docx, study_sheet_markdown

    sheet = _assistant(args).study_sheet(args.doc_id, args.section)
    _write_output(study_sheet_docx(sheet) if args.format == "docx" else study_sheet_markdown(sheet), args.out, args.format)
    return 0


def cmd_define(args) -> int:
    answer = _assistant(args).define(" ".join(args.term), doc_ids=args.doc or None)
    print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2) if args.json else format_answer(answer))
    return 0


def cmd_eval(args) -> int:
    if args.eval_index:
        args.index = args.eval_index
    assistant = _assistant(args)
    out = Path(args.out) if args.out else assistant.evaluation_folder()
    bar, progress = _progress_bar("Evaluating", "step", args.quiet)
    report = assistant.evaluate(args.questions, baseline=args.baseline, out_dir=out, progress=progress)
    bar.close()
    ours, base = report["metrics"]["ours"], report["metrics"].get("baseline")
    for name in ("evidence_recall@5", "fact_recall", "answer_rate", "decline_rate", "latency_p95_ms"):
        if name in ours:
            line = f"{name:<20} {ours[name]:>8.3f}"
            if base and name in base:
                line += f"   baseline {base[name]:>8.3f}"
            print(line)
    print(f"report: {out / 'report.md'} (with chart.png and results.json)")
    return 0


def cmd_serve(args) -> int:
    import uvicorn

    from .api import check_bind, create_app
    from .uploads import MEGABYTE, upload_limit_mb

    settings = _settings(args)
    check_bind(args.host, settings.api_key, settings.api_admin_key)
    assistant = _assistant(args)
    app = create_app(assistant, api_key=settings.api_key, admin_key=settings.api_admin_key, max_upload_bytes=upload_limit_mb() * MEGABYTE)
    print(f"serving the API on http://{args.host}:{args.port} (OpenAPI at /docs); Ctrl-C stops it", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


CHAT_HELP = (
    "Ask about the indexed standards. A question that leans on the one before (\"and for traders?\") "
    "is read with it. /new starts a new topic, /help shows this again, /quit (or an empty line, Ctrl-D) leaves."
)


def cmd_chat(args) -> int:
    assistant = _assistant(args)
    history: list[str] = []
    print(CHAT_HELP)
    while True:
        try:
            question = input("\nyou> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not question or question.lower() in ("quit", "exit", "/quit", "/exit"):
            return 0
        if question.lower() in ("/help", "help", "/?"):
            print(CHAT_HELP)
            continue
        if question.lower() in ("/new", "new"):
            history.clear()
            print("(new topic: earlier questions are forgotten)")
            continue
        print()
        try:
            answer = print_streamed(assistant.ask_stream(question, history=list(history), **_filters(args)))
        except AssistantError as exc:
            print(f"error: {exc}")
            continue
        history.append(question)
        if answer.search_query and answer.search_query != answer.question:
            print(f"(read as: {answer.search_query})")


def cmd_corpus_fetch(args) -> int:
    from .fetch import fetch_and_ingest, load_sources

    fetched, ingested = fetch_and_ingest(
        _assistant(args), Path(args.sources), Path(args.dest), timeout=args.timeout
    )
    for r in fetched:
        if r.status != "skipped":
            print(f"{r.status:<10} {r.source_id}: {r.message}")
    _print_results(ingested)
    skipped = {r.source_id for r in fetched if r.status == "skipped"}
    if skipped:
        print(
            f"\n{len(skipped)} documents have no direct download link. Open each page below, download the "
            f"PDF, save it in {args.dest}, then run: jdd ingest {args.dest}"
        )
        for source in load_sources(Path(args.sources)):
            if source.id in skipped:
                version = f" ({source.version})" if source.version else ""
                print(f"  {source.title}{version}\n      {source.landing_page}")
    failed = [r for r in fetched if r.status == "failed"] + [r for r in ingested if r.status == "failed"]
    return 1 if failed else 0


def cmd_feedback_export(args) -> int:
    from .feedback import default_path, export_csv

    settings = _settings(args)
    db = os.environ.get("JDD_FEEDBACK_DB") or default_path(settings.index_dir)
    if not Path(db).exists():
        raise AssistantError(f"no feedback recorded yet ({db} does not exist)")
    count = export_csv(db, args.out)
    if args.out != "-":
        print(f"wrote {count} feedback rows to {args.out}")
    return 0


def cmd_model(args) -> int:
    from .embedding import export_onnx

    settings = _settings(args)
    print(f"embedding model ready: {export_onnx(settings)}")
    return 0


def cmd_bench(args) -> int:
    from .bench import run_bench

    report = run_bench(args)
    print(json.dumps(report, indent=2) if args.json else report["summary"])
    return 0


# ------------------------------------------------------------------ parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jdd", description="Cited answers from responsible-sourcing standards.")
    parser.add_argument(
        "--index", default=os.environ.get("JDD_INDEX_DIR"), help="index folder (default: $JDD_INDEX_DIR, else index/)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="add or update documents (files or folders)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--title", help="document title (one file only)")
    p.add_argument("--version", dest="version", help="document version (one file only)")
    p.add_argument("--doc-id", help="document id (one file only; default: from the file name)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("docs", help="list indexed documents")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("remove", help="remove a document from the index")
    p.add_argument("doc_id")
    p.set_defaults(func=cmd_remove)

    def add_filters(p):
        p.add_argument("--top-k", type=int, default=None, help="passages to use (default 5)")
        p.add_argument("--doc", action="append", help="only this document id (repeatable)")
        p.add_argument("--doc-version", action="append", help="only documents of this version (repeatable)")

    p = sub.add_parser("ask", help="answer a question with cited passages")
    p.add_argument("question", nargs="*")
    p.add_argument("--json", action="store_true", help="print the answer object (DESIGN.md's JSON contract) instead of text; with --batch, one per line")
    p.add_argument("--batch", help="JSONL file of {id, question, session}")
    add_filters(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("checklist", help="every requirement of a document or section, to tick off")
    p.add_argument("doc_id", help="the document (see jdd docs)")
    p.add_argument("--section", help='only this section and its sub-sections ("5.2", "Article 7", "V2")')
    p.add_argument("--format", choices=["md", "csv", "xlsx", "json"], default="md", help="output format (default md)")
    p.add_argument("--out", help="file to write (default: standard output; xlsx needs a file)")
    p.set_defaults(func=cmd_checklist)

    p = sub.add_parser("quiz", help="multiple-choice and fill-in questions from a document's requirements, with an answer key")
    p.add_argument("doc_id", help="the document (see jdd docs)")
    p.add_argument("--section", help='only this section and its sub-sections ("5.2", "Article 7")')
    p.add_argument("--n", type=int, default=10, help="how many questions (default 10)")
    p.add_argument("--format", choices=["md", "json", "gift", "docx"], default="md", help="output format (default md; gift imports into Moodle)")
    p.add_argument("--out", help="file to write (default: standard output; docx needs a file)")
    p.set_defaults(func=cmd_quiz)

    p = sub.add_parser("study-sheet", help="a handout for a section: key points, terms used, checklist; all quoted and cited")
    p.add_argument("doc_id", help="the document (see jdd docs)")
    p.add_argument("--section", required=True, help='the section ("5.2", "Article 7", "V2")')
    p.add_argument("--format", choices=["md", "docx"], default="md", help="output format (default md)")
    p.add_argument("--out", help="file to write (default: standard output; docx needs a file)")
    p.set_defaults(func=cmd_study_sheet)

    p = sub.add_parser("define", help="a term's definition from the glossaries, quoted and cited")
    p.add_argument("term", nargs="+", help='the term, e.g. "red flag"')
    p.add_argument("--doc", action="append", help="only this document id (repeatable)")
    p.add_argument("--json", action="store_true", help="print the answer object (DESIGN.md's JSON contract)")
    p.set_defaults(func=cmd_define)

    p = sub.add_parser("eval", help="measure the answers on your own questions, with a baseline side by side")
    p.add_argument("--questions", required=True, help="JSONL question file (format: evals/README.md)")
    p.add_argument("--index", dest="eval_index", help="index folder (same as the global --index)")
    p.add_argument("--baseline", action="store_true", help="also run the plain LangChain tutorial pipeline on the same documents")
    p.add_argument("--out", help="folder for results.json, report.md and chart.png (default: INDEX/evaluation)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", help="the HTTP API (POST /ask, /documents, /health) for other tools")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (another than 127.0.0.1 needs JDD_API_KEY)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("chat", help="terminal conversation")
    add_filters(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("corpus", help="the official documents listed in corpus/sources.toml")
    corpus = p.add_subparsers(dest="corpus_command", required=True)
    f = corpus.add_parser("fetch", help="download the sources that have a direct URL, check and ingest them")
    f.add_argument("--dest", default="corpus/official", help="where downloads go (default corpus/official)")
    f.add_argument("--sources", default="corpus/sources.toml", help="the manifest of official documents")
    f.add_argument("--timeout", type=float, default=30.0, help="seconds without data before a download gives up")
    f.set_defaults(func=cmd_corpus_fetch)

    p = sub.add_parser("feedback", help="thumbs up/down given in the chat UI")
    fb = p.add_subparsers(dest="feedback_command", required=True)
    e = fb.add_parser("export", help="write the feedback as CSV")
    e.add_argument("--out", default="-", help="CSV file (default: standard output)")
    e.set_defaults(func=cmd_feedback_export)

    p = sub.add_parser("model", help="prepare the embedding model (ONNX export, once)")
    p.add_argument("action", choices=["prepare"])
    p.set_defaults(func=cmd_model)

    p = sub.add_parser("bench", help="measure ingest speed, ask latency and memory")
    p.add_argument("--corpus", default=None, help="folder or files to ingest (default: a generated ~110-page corpus)")
    p.add_argument("--questions", default="evals/questions_dev.jsonl", help="JSONL questions for warm latency")
    p.add_argument("--no-baseline", dest="baseline", action="store_false", help="skip the LangChain-pipeline comparison")
    p.add_argument("--scale", type=int, default=1, help="also ingest the corpus N times over (copies under other names) and measure per-page time, ask latency and memory at that size")
    p.add_argument("--json", action="store_true", help="print the measurements as JSON")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `jdd ask ... | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
