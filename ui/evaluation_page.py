"""The "Evaluation" page: the latest evaluation report of this index with its chart, and, for an
administrator, a question file to upload and run on the current index (with the baseline side
by side if wanted) behind a progress bar. Everything goes through the Assistant facade."""

from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

from assistant.errors import AssistantError
from assistant.export import escape_markdown


def render(assistant, role: str) -> None:
    st.title("Evaluation")
    st.caption("How well the assistant answers your own questions on the current index, next to the plain LangChain tutorial pipeline.")
    folder = assistant.evaluation_folder()
    if role == "admin":
        run_form(assistant)
    report, chart = folder / "report.md", folder / "chart.png"
    if not report.exists():
        st.info("No evaluation has been run on this index yet." + (" Upload a question file above." if role == "admin" else ""))
        return
    text = report.read_text(encoding="utf-8")
    head, _, rest = text.partition("![ours and the baseline, metric by metric](chart.png)")
    st.markdown(head)
    if chart.exists():
        st.image(str(chart), caption="Ours and the baseline, metric by metric")
    st.markdown(rest)
    st.download_button("results.json", (folder / "results.json").read_bytes(), "results.json", "application/json", on_click="ignore")


def run_form(assistant) -> None:
    with st.expander("Run an evaluation", icon=":material/play_arrow:"):
        st.caption(
            "A JSON-lines file, one question per line: id, question, optional session, kind (answerable or "
            "unanswerable), answer_facts, evidence_keywords, expected_sections (see evals/README.md)."
        )
        upload = st.file_uploader("Question file", type=["jsonl", "json", "txt"], key="eval_questions")
        baseline = st.checkbox("Also run the LangChain tutorial pipeline (slower)", value=True, key="eval_baseline")
        if upload is None or not st.button("Run", type="primary", key="eval_run"):
            return
        bar = st.progress(0.0, text="Starting…")

        def progress(name: str, done: int, total: int) -> None:
            bar.progress(min(done / total, 1.0) if total else 1.0, text=f"{done} of {total}: {name}")

        with tempfile.TemporaryDirectory(prefix="jdd-eval-") as tmp:
            path = Path(tmp) / "questions.jsonl"
            path.write_bytes(upload.getvalue())
            try:
                report = assistant.evaluate(path, baseline=baseline, progress=progress)
            except AssistantError as exc:
                bar.empty()
                st.error(escape_markdown(str(exc)))
                return
        bar.progress(1.0, text="Done")
        st.success(f"Evaluated {report['questions']} questions; the report below is the new one.")
