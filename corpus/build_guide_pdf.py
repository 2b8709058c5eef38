"""Build corpus/guide/jdd_orientation_guide.pdf from the Markdown guide (needs the dev extras).

    python corpus/build_guide_pdf.py            # or: make corpus

The Markdown file is the source; the PDF is committed so that a first start ingests a real PDF
with page numbers (and the PDF path of the assistant runs on our own corpus). Every page carries
a header saying the guide is unofficial. The output is deterministic for the same input.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "guide" / "jdd_orientation_guide.md"
TARGET = HERE / "guide" / "jdd_orientation_guide.pdf"
HEADER = "UNOFFICIAL orientation guide - not the JDD or any official standard"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


class GuidePdf(FPDF):
    def __init__(self, font: str):
        super().__init__(format="A4")
        self.font_name = font
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(True, margin=20)

    def header(self):
        self.set_font(self.font_name, "", 8)
        self.set_text_color(120, 120, 120)
        self.set_y(10)
        self.cell(0, 5, HEADER, align="C")
        self.ln(10)
        self.set_text_color(0, 0, 0)

    def footer(self):
        self.set_y(-14)
        self.set_font(self.font_name, "", 8)
        self.set_text_color(120, 120, 120)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _font(pdf: FPDF) -> str:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("DejaVu", "", str(regular))
        pdf.add_font("DejaVu", "B", str(bold))
        return "DejaVu"
    return "Helvetica"


def _plain(text: str, unicode_font: bool) -> str:
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text).replace("`", "")
    if not unicode_font:
        text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'").replace("\u201c", '"')
        text = text.replace("\u201d", '"').encode("latin-1", "replace").decode("latin-1")
    return text


def build(source: Path = SOURCE, target: Path = TARGET) -> Path:
    pdf = GuidePdf("Helvetica")
    font = _font(pdf)
    pdf.font_name = font
    unicode_font = font != "Helvetica"
    lines = source.read_text(encoding="utf-8").splitlines()
    title = lines[0].lstrip("# ").strip()
    pdf.set_title(title)
    pdf.set_subject("Version 1.0 - unofficial orientation guide")
    pdf.set_creation_date(datetime(2026, 11, 1, tzinfo=timezone.utc))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            text = _plain(" ".join(paragraph), unicode_font)
            if text.startswith("Sources:"):
                pdf.set_font(font, "", 8)
                pdf.set_text_color(90, 90, 90)
                pdf.multi_cell(width, 4.2, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                pdf.set_text_color(0, 0, 0)
            else:
                pdf.set_font(font, "", 10)
                pdf.multi_cell(width, 5.2, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
            paragraph.clear()

    for line in lines[1:]:
        stripped = line.strip()
        heading = re.match(r"^(#{2,4})\s+(.*)$", stripped)
        if heading:
            flush()
            level = len(heading.group(1))
            size = {2: 14, 3: 11.5, 4: 10.5}[level]
            if level == 2 and pdf.get_y() > pdf.h - 60:
                pdf.add_page()
            pdf.ln(3 if level == 2 else 1)
            pdf.set_font(font, "B", size)
            pdf.multi_cell(width, size * 0.5, _plain(heading.group(2), unicode_font), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
        elif stripped.startswith(("- ", "* ")):
            flush()
            pdf.set_font(font, "", 10)
            bullet = "\u2022" if unicode_font else "-"
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(width - 4, 5.2, f"{bullet} {_plain(stripped[2:], unicode_font)}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(0.8)
        elif not stripped:
            flush()
        else:
            paragraph.append(stripped)
    flush()
    pdf.output(str(target))
    return target


if __name__ == "__main__":
    out = build(*(Path(a) for a in sys.argv[1:3]))
    print(f"wrote {out}")
