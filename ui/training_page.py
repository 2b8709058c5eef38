"""The "Training and checklists" page: pick a document (and a section), then preview and
download its requirement checklist (filtered by strength and level), a study sheet and a quiz.
Everything comes through the Assistant facade; document text is escaped before it is shown."""

from __future__ import annotations

import json

import streamlit as st

from assistant.errors import AssistantError
from assistant.export import (
    checklist_csv,
    checklist_markdown,
    checklist_xlsx,
    escape_markdown,
    quiz_docx,
    quiz_gift,
    quiz_markdown,
    study_sheet_docx,
    study_sheet_markdown,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def md(text: str) -> str:
    return escape_markdown(text)


def render(assistant, docs) -> None:
    st.title("Training and checklists")
    st.caption("Requirement checklists, study sheets and quizzes built from the indexed documents; every line quotes its clause and page.")
    if not docs:
        st.info("Add a document first (Chat page, sidebar).")
        return
    titles = {d.doc_id: f"{d.title} ({d.version})" if d.version else d.title for d in docs}
    left, right = st.columns([3, 2])
    doc_id = left.selectbox("Document", options=list(titles), format_func=titles.get, key="training_doc")
    section = right.text_input("Section", key="training_section", placeholder="all (e.g. 5.2, Article 7, V2)").strip()
    base = f"{doc_id}{'-' + section if section else ''}".replace(" ", "_")
    title = titles[doc_id] + (f", section {section}" if section else "")
    checklist_tab, sheet_tab, quiz_tab = st.tabs(["Checklist", "Study sheet", "Quiz"])
    with checklist_tab:
        render_checklist(assistant, doc_id, section, title, base)
    with sheet_tab:
        render_study_sheet(assistant, doc_id, section, base)
    with quiz_tab:
        render_quiz(assistant, doc_id, section, title, base)


def render_checklist(assistant, doc_id: str, section: str, title: str, base: str) -> None:
    try:
        rows = assistant.checklist(doc_id, section)
    except AssistantError as exc:
        st.warning(md(str(exc)))
        return
    strengths = sorted({r.strength for r in rows})
    levels = sorted({level.strip() for r in rows for level in r.level.split(",") if level.strip()})
    a, b = st.columns(2)
    chosen = a.multiselect("Strength", strengths, default=strengths, key="training_strength")
    wanted_levels = b.multiselect("Level", levels, key="training_level", placeholder="all levels") if levels else []
    shown = [
        r for r in rows
        if r.strength in chosen and (not wanted_levels or any(level.strip() in wanted_levels for level in r.level.split(",")))
    ]
    st.caption(f"{len(shown)} of {len(rows)} requirements")
    st.dataframe(
        [{"clause": r.clause, "level": r.level, "strength": r.strength, "requirement": r.text, "page": r.page} for r in shown],
        hide_index=True,
        width="stretch",
    )
    cols = st.columns(4)
    cols[0].download_button("Markdown", checklist_markdown(shown, title), f"checklist-{base}.md", "text/markdown", on_click="ignore")
    cols[1].download_button("CSV", checklist_csv(shown), f"checklist-{base}.csv", "text/csv", on_click="ignore")
    cols[2].download_button("Excel", checklist_xlsx(shown, title), f"checklist-{base}.xlsx", XLSX, on_click="ignore")
    cols[3].download_button(
        "JSON", json.dumps([r.to_json() for r in shown], ensure_ascii=False, indent=2), f"checklist-{base}.json",
        "application/json", on_click="ignore",
    )


def render_study_sheet(assistant, doc_id: str, section: str, base: str) -> None:
    if not section:
        st.info("Enter a section above: a study sheet covers one section.")
        return
    try:
        sheet = assistant.study_sheet(doc_id, section)
    except AssistantError as exc:
        st.warning(md(str(exc)))
        return
    text = study_sheet_markdown(sheet)
    with st.container(border=True):
        st.markdown(study_sheet_markdown(sheet, readable=False))
    a, b = st.columns(2)
    a.download_button("Markdown", text, f"study-sheet-{base}.md", "text/markdown", on_click="ignore")
    b.download_button("Word", study_sheet_docx(sheet), f"study-sheet-{base}.docx", DOCX, on_click="ignore")


def render_quiz(assistant, doc_id: str, section: str, title: str, base: str) -> None:
    n = st.number_input("Questions", min_value=1, max_value=50, value=10, key="training_n")
    try:
        items = assistant.quiz(doc_id, section, int(n))
    except AssistantError as exc:
        st.warning(md(str(exc)))
        return
    if not items:
        st.info("No requirement here states a value to ask about (a number with its unit, a date) or names a party it binds often enough to ask whom it binds.")
        return
    text = quiz_markdown(items, title)
    with st.container(border=True):
        st.markdown(quiz_markdown(items, title, readable=False))
    cols = st.columns(4)
    cols[0].download_button("Markdown", text, f"quiz-{base}.md", "text/markdown", on_click="ignore")
    cols[1].download_button("Moodle (GIFT)", quiz_gift(items, title), f"quiz-{base}.gift.txt", "text/plain", on_click="ignore")
    cols[2].download_button("Word", quiz_docx(items, title), f"quiz-{base}.docx", DOCX, on_click="ignore")
    cols[3].download_button(
        "JSON", json.dumps([i.to_json() for i in items], ensure_ascii=False, indent=2), f"quiz-{base}.json",
        "application/json", on_click="ignore",
    )
