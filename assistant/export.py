"""Files for people: a conversation with its citations as Markdown or Word (DOCX), and a
requirement checklist as Markdown, CSV, Excel (XLSX) or JSON.

A turn is an Answer (it carries its question). Each answer is followed by its numbered sources:
document title, version, section, page, file and the exact quote. Declined answers appear with
their decline text and no sources.

Document text is untrusted (an ingested file may contain "<script>" or Markdown links), so the
Markdown export escapes it; `escape_markdown` is also what the UI uses before st.markdown."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import datetime, timezone

from .types import Answer, Citation

EXPORT_TITLE = "Conversation with the standards assistant"
EXPORT_NOTE = (
    "Answers are sentences quoted from the indexed documents; check the cited page of the "
    "official document before relying on them."
)

# Characters with a meaning in Markdown (CommonMark, GFM, HTML, and Streamlit's extensions such
# as $math$, :colour[text] and :emoji:). Brackets cover links and images; the rest of a link's
# syntax is harmless once they are escaped.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$&:])")
# For files meant to be read as text too: the same minus ':' and '&', which are harmless there.
_MARKDOWN_SPECIAL_READABLE = re.compile(r"([\\`*_\[\]<>#|~$])")
# A list item or block quote marker at the start of the text.
_LEADING_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)|^([-+>])(?=\s|$)")
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # never meant to be seen


def escape_markdown(text: str, *, readable: bool = False) -> str:
    """`text` made literal for Markdown: every character Markdown (or Streamlit) could treat as
    syntax is backslash-escaped and line breaks become spaces, so "<script>", "**x**" or
    "[a](javascript:...)" display as typed. `readable=True` escapes fewer characters (for files)."""
    pattern = _MARKDOWN_SPECIAL_READABLE if readable else _MARKDOWN_SPECIAL
    escaped = pattern.sub(r"\\\1", " ".join(_CONTROL.sub("", text).split()))
    return _LEADING_MARKER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)


def citation_line(c: Citation) -> str:
    """'Title (version), section 5.2.3, page 5 [file.pdf]' as plain text."""
    where = c.title + (f" ({c.version})" if c.version else "")
    section = f", section {c.section}" if c.section else ""
    source = f" [{c.source}]" if c.source else ""
    return f"{where}{section}, page {c.page}{source}"


def _exported_at() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def conversation_markdown(turns: Iterable[Answer]) -> str:
    """The conversation as a Markdown document: each question as a heading, the answer, then its
    numbered sources with their quotes as block quotes."""
    md = lambda s: escape_markdown(s, readable=True)  # noqa: E731
    lines = [f"# {EXPORT_TITLE}", "", f"Exported {_exported_at()}. {EXPORT_NOTE}", ""]
    for i, answer in enumerate(turns, start=1):
        lines += [f"## {i}. {md(answer.question)}", "", md(answer.text), ""]
        if answer.citations:
            lines += ["**Sources**", ""]
            for c in answer.citations:
                lines.append(f"{c.n}. {md(citation_line(c))}")
                lines.append(f"   > {md(c.quote)}")
                lines.append("")
        elif answer.abstained:
            lines += ["_No sources: the indexed documents do not cover this question._", ""]
    return "\n".join(lines).rstrip() + "\n"


def conversation_docx(turns: Iterable[Answer]) -> bytes:
    """The conversation as a Word document (python-docx): question headings, answers, and
    numbered sources with quotes in the 'Quote' style."""
    from docx import Document
    from docx.shared import Pt

    clean = lambda s: _XML_UNSAFE.sub("", s)  # noqa: E731 - Word rejects control characters
    doc = Document()
    doc.core_properties.title = EXPORT_TITLE
    doc.add_heading(EXPORT_TITLE, level=1)
    note = doc.add_paragraph(f"Exported {_exported_at()}. {EXPORT_NOTE}")
    note.runs[0].italic = True
    for i, answer in enumerate(turns, start=1):
        doc.add_heading(clean(f"{i}. {answer.question}"), level=2)
        doc.add_paragraph(clean(answer.text))
        if not answer.citations:
            continue
        label = doc.add_paragraph().add_run("Sources")
        label.bold = True
        for c in answer.citations:
            source = doc.add_paragraph()
            source.add_run(f"[{c.n}] ").bold = True
            source.add_run(clean(citation_line(c)))
            source.paragraph_format.space_after = Pt(2)
            doc.add_paragraph(clean(" ".join(c.quote.split())), style="Quote")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ checklists


def checklist_markdown(rows, title: str) -> str:
    """A checklist to tick: one table row per requirement, with its clause, level, strength and page."""
    lines = [
        f"# Checklist: {escape_markdown(title, readable=True)}",
        "",
        f"{len(rows)} requirements, quoted from the document; check the cited page before relying on them.",
        "",
        "| Done | Clause | Level | Strength | Requirement | Page |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        cells = [escape_markdown(" ".join(v.split()), readable=True) for v in (r.clause, r.level, r.strength, r.text)]
        lines.append(f"| [ ] | {' | '.join(cells)} | {r.page} |")
    return "\n".join(lines) + "\n"


def checklist_csv(rows) -> str:
    import csv

    from .training import CHECKLIST_FIELDS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CHECKLIST_FIELDS)
    writer.writeheader()
    for r in rows:
        writer.writerow(r.to_json())
    return out.getvalue()


def checklist_xlsx(rows, title: str) -> bytes:
    """One sheet, a header row and a row per requirement; cells hold text, never formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from .training import CHECKLIST_FIELDS

    book = Workbook()
    sheet = book.active
    sheet.title = "Checklist"
    sheet.append(["done", *CHECKLIST_FIELDS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        values = r.to_json()
        sheet.append(["", *(values[f] for f in CHECKLIST_FIELDS)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # "= ..." in a requirement stays text, never a formula
    for column, width in zip("ABCDEFGH", (6, 18, 16, 10, 12, 90, 6, 40)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        row[5].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    book.properties.title = f"Checklist: {title}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()



# ------------------------------------------------------------------ quizzes

_LETTERS = "ABCDEFGH"


def quiz_markdown(items, title: str, *, readable: bool = True) -> str:
    """Questions first (options lettered), then the answer key with clause, page and quote.
    `readable=False` escapes for rendering on screen (Streamlit's own syntax too)."""
    esc = lambda s: escape_markdown(s, readable=readable)  # noqa: E731
    lines = [f"# Quiz: {esc(title)}", ""]
    for i, item in enumerate(items, start=1):
        lines.append(f"{i}. {esc(item.question)}")
        lines.extend(f"   - {_LETTERS[k]}. {esc(o)}" for k, o in enumerate(item.options))
        lines.append("")
    lines += ["## Answer key", ""]
    for i, item in enumerate(items, start=1):
        letter = f"{_LETTERS[item.options.index(item.answer)]}. " if item.options else ""
        lines.append(f"{i}. **{letter}{esc(item.answer)}** (clause {esc(item.clause)}, page {item.page}): \u201c{esc(' '.join(item.quote.split()))}\u201d")
    return "\n".join(lines) + "\n"


_GIFT_SPECIAL = re.compile(r"([~=#{}:\\])")


def _gift(text: str) -> str:
    return _GIFT_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def quiz_gift(items, title: str) -> str:
    """Moodle GIFT: each item a missing-word question (the blank where the answer goes), one
    correct option (=) and its wrong ones (~), or a short answer for a fill-in; the clause,
    page and quote as general feedback (####)."""
    from .training import BLANK

    lines = [f"// {' '.join(title.split())}", f"$CATEGORY: {_gift(title)}", ""]
    for i, item in enumerate(items, start=1):
        before, after = item.question.split(BLANK, 1)
        choices = " ".join(("=" if o == item.answer else "~") + _gift(o) for o in item.options) or f"={_gift(item.answer)}"
        feedback = _gift(f"Clause {item.clause}, page {item.page}: {item.quote}")
        lines.append(f"::Q{i}:: {_gift(before)} {{{choices} ####{feedback}}} {_gift(after)}".rstrip())
        lines.append("")
    return "\n".join(lines)


def quiz_docx(items, title: str) -> bytes:
    from docx import Document

    clean = lambda s: _XML_UNSAFE.sub("", " ".join(s.split()))  # noqa: E731
    doc = Document()
    doc.core_properties.title = f"Quiz: {title}"
    doc.add_heading(clean(f"Quiz: {title}"), level=1)
    for i, item in enumerate(items, start=1):
        doc.add_paragraph(clean(f"{i}. {item.question}"))
        for k, option in enumerate(item.options):
            doc.add_paragraph(clean(f"{_LETTERS[k]}. {option}"), style="List Bullet")
    doc.add_heading("Answer key", level=2)
    for i, item in enumerate(items, start=1):
        letter = f"{_LETTERS[item.options.index(item.answer)]}. " if item.options else ""
        para = doc.add_paragraph(f"{i}. ")
        para.add_run(clean(letter + item.answer)).bold = True
        para.add_run(" " + clean(f"(clause {item.clause}, page {item.page})"))
        doc.add_paragraph(clean(item.quote), style="Quote")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------------ study sheets


def study_sheet_markdown(sheet, *, readable: bool = True) -> str:
    """Key points, terms used and the checklist, each quoted and cited. `readable=False`
    escapes for rendering on screen (Streamlit's own syntax too)."""
    esc = lambda s: escape_markdown(" ".join(s.split()), readable=readable)  # noqa: E731
    lines = [f"# Study sheet: {esc(sheet.title)}", "", "Every point is quoted from the document; the clause and page say where.", "", "## Key points", ""]
    lines += [f"- \u201c{esc(p.text)}\u201d ({esc(p.clause)}, page {p.page})" for p in sheet.points] or ["- (no statements found)"]
    if sheet.terms:
        lines += ["", "## Terms used", ""]
        lines += [f"- **{esc(term)}**: \u201c{esc(p.text)}\u201d ({esc(p.clause)}, page {p.page})" for term, p in sheet.terms]
    if sheet.checklist:
        lines += ["", "## Checklist", "", "| Done | Clause | Level | Strength | Requirement | Page |", "| --- | --- | --- | --- | --- | --- |"]
        lines += [f"| [ ] | {esc(r.clause)} | {esc(r.level)} | {r.strength} | {esc(r.text)} | {r.page} |" for r in sheet.checklist]
    return "\n".join(lines) + "\n"


def study_sheet_docx(sheet) -> bytes:
    from docx import Document

    clean = lambda s: _XML_UNSAFE.sub("", " ".join(s.split()))  # noqa: E731
    doc = Document()
    doc.core_properties.title = f"Study sheet: {sheet.title}"
    doc.add_heading(clean(f"Study sheet: {sheet.title}"), level=1)
    doc.add_heading("Key points", level=2)
    for p in sheet.points:
        para = doc.add_paragraph(style="List Bullet")
        para.add_run(clean(f"\u201c{p.text}\u201d"))
        para.add_run(clean(f" ({p.clause}, page {p.page})")).italic = True
    if sheet.terms:
        doc.add_heading("Terms used", level=2)
        for term, p in sheet.terms:
            para = doc.add_paragraph(style="List Bullet")
            para.add_run(clean(term) + ": ").bold = True
            para.add_run(clean(f"\u201c{p.text}\u201d"))
            para.add_run(clean(f" ({p.clause}, page {p.page})")).italic = True
    if sheet.checklist:
        doc.add_heading("Checklist", level=2)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, name in zip(table.rows[0].cells, ("Clause", "Level", "Strength", "Requirement", "Page")):
            cell.text = name
        for r in sheet.checklist:
            for cell, value in zip(table.add_row().cells, (r.clause, r.level, r.strength, r.text, str(r.page))):
                cell.text = clean(value)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
