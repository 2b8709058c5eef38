"""Typeset the real public texts of the dev set into PDFs, in a local cache only.

    python -m evals.corpus.build_real_corpus [--cache evals/.cache/real]

The texts themselves are not ours to commit: `evals/real_sources.md` says where each came from,
and each lives in `CACHE/NAME/source.md` (Markdown) or `CACHE/NAME/source.txt` (plain text of a
legal act). This script lays each out as a PDF the way such documents are printed (a cover, a
running header, page numbers, numbered headings, justified paragraphs with hanging list items,
bordered requirement tables with check-mark level columns, "Article N" headings with their title
on the next line) and writes `CACHE/NAME/NAME.pdf`. The output is deterministic.

The PDFs are what the assistant ingests, so everything it sees comes through the same PDF
extraction a user's file goes through.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "evals" / ".cache" / "real"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_FIXED_DATE = datetime(2025, 1, 15, 9, 0, 0, tzinfo=timezone.utc)

# name -> (title, version, running header, body font)
DOCUMENTS = {
    "nist": ("Digital Identity Guidelines: Authentication and Lifecycle Management", "SP 800-63B (June 2017)", "NIST SP 800-63B", "Serif"),
    "masvs": ("Mobile Application Security Verification Standard", "1.x", "OWASP MASVS", "Sans"),
    "scvs": ("Software Component Verification Standard", "1.0", "OWASP SCVS", "Sans"),
    "esrs": ("European Sustainability Reporting Standards: ESRS 1 General requirements", "Delegated Regulation (EU) 2023/2772", "ESRS 1", "Serif"),
    "gdpr": ("", "", "", "Serif"),
    "legal": ("", "", "", "Serif"),
    "gpsr": ("", "", "", "Serif"),
    "msr": ("", "", "", "Serif"),
}
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


class Pdf(FPDF):
    def __init__(self, header_text: str, body: str):
        super().__init__(format="A4")
        self.header_text = header_text
        slant = "Oblique" if body == "Sans" else "Italic"
        for style, suffix in (("", ""), ("B", "-Bold"), ("I", f"-{slant}"), ("BI", f"-Bold{slant}")):
            self.add_font(body, style, str(FONT_DIR / f"DejaVu{body}{suffix}.ttf"))
        self.body = body
        self.set_margins(22, 22, 22)
        self.set_auto_page_break(True, margin=20)
        self.set_creation_date(_FIXED_DATE)

    def header(self):
        if self.page_no() == 1 or not self.header_text:
            return
        self.set_font(self.body, "I", 8)
        self.set_y(10)
        self.cell(0, 5, self.header_text, align="R")
        self.ln(9)

    def footer(self):
        self.set_y(-14)
        self.set_font(self.body, "", 8)
        self.cell(0, 5, str(self.page_no()), align="C")

    # ------------------------------------------------------------ blocks

    def para(self, text: str, indent: float = 0.0, size: float = 10, style: str = "", align: str = "J") -> None:
        self.set_font(self.body, style, size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(self.epw - indent, size * 0.5, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.6)

    def hanging(self, label: str, text: str, indent: float, size: float = 10) -> None:
        """A list item or numbered paragraph: label in the margin, text indented after it."""
        self.set_font(self.body, "", size)
        width = 8
        y = self.get_y()
        if y > self.page_break_trigger - 10:
            self.add_page()
            y = self.get_y()
        self.set_xy(self.l_margin + indent, y)
        self.cell(width, size * 0.5, label)
        self.set_xy(self.l_margin + indent + width, y)
        self.multi_cell(self.epw - indent - width, size * 0.5, text, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.2)

    def heading(self, text: str, level: int) -> None:
        size = {1: 15, 2: 13, 3: 11.5}.get(level, 10.5)
        if self.get_y() > self.page_break_trigger - 30:
            self.add_page()
        self.ln(3 if level > 1 else 5)
        self.set_font(self.body, "B", size)
        self.multi_cell(self.epw, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def grid(self, rows: list[list[str]]) -> None:
        """A bordered table: first row is the header; narrow columns for short cells (levels)."""
        columns = max(len(r) for r in rows)
        rows = [r + [""] * (columns - len(r)) for r in rows]
        longest = [max(len(r[i]) for r in rows) for i in range(columns)]
        words = [max((len(w) for r in rows for w in r[i].split()), default=1) for i in range(columns)]
        weights = [max(4, words[i] + 1, min(longest[i], 60)) for i in range(columns)]
        total = sum(weights)
        widths = tuple(self.epw * w / total for w in weights)
        self.set_font(self.body, "", 8.5)
        with self.table(col_widths=widths, text_align="LEFT", line_height=4.4, first_row_as_headings=True) as table:
            for row in rows:
                cells = table.row()
                for value in row:
                    cells.cell(value)
        self.ln(3)

    def cover(self, title: str, version: str, lines: list[str]) -> None:
        self.add_page()
        self.set_y(70)
        self.set_font(self.body, "B", 20)
        self.multi_cell(self.epw, 10, title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(6)
        self.set_font(self.body, "", 12)
        for line in [version, *lines]:
            if line:
                self.multi_cell(self.epw, 7, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.add_page()


def _inline(text: str) -> str:
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?!\w)", r"\1", text)
    text = text.replace("`", "").replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return text.replace("\\", "").strip()


def render_markdown(pdf: Pdf, source: str) -> None:
    """Headings, paragraphs (wrapped lines joined), bullet and numbered lists, pipe tables."""
    para: list[str] = []
    item: list = []  # [depth, label, text] of the list item being read
    table: list[list[str]] = []
    in_code = False

    def flush() -> None:
        if para:
            pdf.para(_inline(" ".join(para)))
            para.clear()
        if item:
            depth, label, text = item
            pdf.hanging(label, _inline(text), 4 + 6 * depth)
            item.clear()
        if table:
            # a level column marked "x" is printed with a check mark, as in the published PDFs
            pdf.grid([["\u2713" if c.strip().lower() == "x" else _inline(c) for c in row] for row in table])
            table.clear()

    for raw in source.split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code:
            pdf.para(line, size=8.5, align="L")
            continue
        if stripped.startswith("|"):
            if para or item:
                flush()
            if not re.fullmatch(r"\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?", stripped):
                table.append([c.strip() for c in stripped.strip("|").split("|")])
            continue
        if table or not stripped or re.fullmatch(r"([-*_])\s*(\1\s*){2,}", stripped):
            flush()
            if not stripped:
                continue
        heading = re.match(r"^(#{1,6})\s+(.*?)\s*#*$", stripped)
        if heading:
            flush()
            if _inline(heading.group(2)):
                pdf.heading(_inline(heading.group(2)), len(heading.group(1)))
            continue
        bullet = re.match(r"^(\s*)([-*+]|\d{1,2}[.)])\s+(.*)$", line)
        if bullet:
            flush()
            depth = len(bullet.group(1).replace("\t", "    ")) // 2
            item.extend([depth, "\u2022" if bullet.group(2) in "-*+" else bullet.group(2), bullet.group(3)])
            continue
        if item:
            item[2] += " " + stripped  # a list item wrapped onto the next line
            continue
        para.append(stripped.lstrip("> "))
    flush()


def render_legal(pdf: Pdf, source: str) -> None:
    """A legal act: CHAPTER and SECTION headings, "Article N" centred with its title in italics on
    the next line, numbered paragraphs and lettered points with hanging labels."""
    lines = [line.strip() for line in source.split("\n")]

    def title_under(i: int, not_title: str, longest: int, style: str) -> int:
        """Print the title line under heading line `i`, if the next line is one; the next index."""
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if nxt and not re.match(not_title, nxt) and len(nxt) < longest:
            pdf.para(nxt, style=style, align="C")
            return i + 2
        return i + 1

    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        if re.match(r"^(CHAPTER|SECTION|TITLE|ANNEX)\b", line) or re.match(r"^Annex [IVX]+$", line):
            pdf.heading(line, 2)
            i = title_under(i, r"^(Article|\d+\.|\()", 120, "B")
            continue
        if re.match(r"^Article \d+[a-z]?$", line):
            if pdf.get_y() > pdf.page_break_trigger - 30:
                pdf.add_page()
            pdf.ln(3)
            pdf.para(line, align="C")
            i = title_under(i, r"^(\d+\.|\()", 160, "BI")
            continue
        m = re.match(r"^(\d{1,2}\.|\(\d{1,3}\)|\([a-z]{1,2}\)|\([ivx]{1,5}\))\s+(.*)$", line)
        if m:
            label = m.group(1)
            indent = 0 if re.match(r"^\d", label) else (12 if re.match(r"^\([ivx]+\)$", label) and label not in ("(i)", "(v)", "(x)") else 6)
            pdf.hanging(label, m.group(2), indent)
        else:
            pdf.para(line)
        i += 1


def build(name: str, cache: Path = CACHE) -> Path:
    folder = cache / name
    title, version, header, body = DOCUMENTS.get(name, ("", "", "", "Serif"))
    md, txt = folder / "source.md", folder / "source.txt"
    source_file = md if md.exists() else txt
    source = source_file.read_text(encoding="utf-8")
    if not title:  # a legal act: its first non-empty lines are its title
        head = [line.strip() for line in source.split("\n") if line.strip()][:3]
        title, header = head[0], head[0][:80]
    pdf = Pdf(header, body)
    pdf.set_title(title)
    pdf.set_subject(version)
    pdf.cover(title, version, [])
    if source_file.suffix == ".md":
        render_markdown(pdf, source)
    else:
        render_legal(pdf, source)
    target = folder / f"{name}.pdf"
    pdf.output(str(target))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", default=str(CACHE))
    parser.add_argument("names", nargs="*", help="documents to build (default: every cached one)")
    args = parser.parse_args(argv)
    cache = Path(args.cache)
    names = args.names or sorted(p.name for p in cache.iterdir() if (p / "source.md").exists() or (p / "source.txt").exists())
    for name in names:
        print(build(name, cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
