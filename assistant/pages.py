"""Render a cited PDF page as an image, with the quoted text highlighted.

The UI shows the page an answer cites so a reader can check the quote in its context. The quote
is located in pdfium's text layer by comparing letters and digits only (lower-cased, NFKC), so
line breaks, hyphenation at line ends, ligatures and extra spaces in the PDF do not stop a
match. A quote that runs on to the next page is highlighted as far as it is printed on this one.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw

from .errors import AssistantError

HIGHLIGHT_FILL = (255, 214, 0, 90)  # translucent yellow
HIGHLIGHT_OUTLINE = (230, 160, 0, 200)
MIN_PARTIAL_WORDS = 4  # shortest piece of a quote worth highlighting on its own


def render_page(
    pdf_path: str | Path, page_number: int, highlight: str | None = None, scale: float = 1.5
) -> Image.Image:
    """The 1-based `page_number` of the PDF at `pdf_path` as an RGB image, with the text of
    `highlight` (if given and found on the page) covered by translucent yellow boxes.

    Raises AssistantError with a readable message if the file cannot be opened or the page
    does not exist."""
    try:
        pdf = pdfium.PdfDocument(str(pdf_path))
    except (pdfium.PdfiumError, OSError) as exc:
        raise AssistantError(f"could not open {Path(pdf_path).name} to show the page: {exc}") from exc
    try:
        if not 1 <= page_number <= len(pdf):
            raise AssistantError(f"{Path(pdf_path).name} has no page {page_number} (it has {len(pdf)})")
        page = pdf[page_number - 1]
        rotation = page.get_rotation()
        if rotation:
            page.set_rotation(0)  # draw on the unrotated page, then turn the image (in memory only)
        image = page.render(scale=scale).to_pil().convert("RGB")
        boxes = highlight_boxes(page, highlight) if highlight else []
        if boxes:
            image = _draw_boxes(image, boxes, page.get_bbox(), scale)
        if rotation:
            image = image.rotate(-rotation, expand=True)
        return image
    finally:
        pdf.close()


def highlight_boxes(page: pdfium.PdfPage, quote: str) -> list[tuple[float, float, float, float]]:
    """Boxes (left, bottom, right, top, in PDF units) covering `quote` on `page`, one per line
    of text. Empty if the quote is not printed on the page."""
    textpage = page.get_textpage()
    letters, char_index = _page_letters(textpage)
    spans = find_spans(letters, quote)
    boxes: list[tuple[float, float, float, float]] = []
    for start, end in spans:
        indices = sorted({char_index[i] for i in range(start, end)})
        boxes.extend(_line_boxes(textpage, indices))
    return boxes


def find_spans(letters: str, quote: str) -> list[tuple[int, int]]:
    """Where `quote` occurs in `letters` (a page's normalised letters), as [start, end) spans.

    The whole quote is tried first; failing that, each sentence; failing that, the longest
    opening or closing run of words of at least MIN_PARTIAL_WORDS (a quote cut by a page break)."""
    whole = _normalise(quote)
    if not whole:
        return []
    at = letters.find(whole)
    if at >= 0:
        return [(at, at + len(whole))]
    spans = []
    for sentence in re.split(r"(?<=[.;:!?])\s+", quote):
        spans.extend(_longest_piece(letters, sentence.split()))
    return spans


def _longest_piece(letters: str, words: list[str]) -> list[tuple[int, int]]:
    """The longest run of `words` from the start or from the end that occurs in `letters`."""
    for size in range(len(words), MIN_PARTIAL_WORDS - 1, -1):
        for piece in (words[:size], words[len(words) - size :]):
            needle = _normalise(" ".join(piece))
            at = letters.find(needle) if needle else -1
            if at >= 0:
                return [(at, at + len(needle))]
    return []


def _normalise(text: str) -> str:
    """Lower-cased letters and digits only, with compatibility forms (ligatures) expanded."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def _page_letters(textpage: pdfium.PdfTextPage) -> tuple[str, list[int]]:
    """The page's normalised letters and, for each, the index of the pdfium char it came from."""
    letters: list[str] = []
    char_index: list[int] = []
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
        if not code:
            continue
        for ch in _normalise(chr(code)):
            letters.append(ch)
            char_index.append(i)
    return "".join(letters), char_index


def _line_boxes(textpage: pdfium.PdfTextPage, indices: list[int]) -> list[tuple[float, float, float, float]]:
    """Union of the characters' boxes, one box per printed line."""
    lines: list[list[float]] = []
    for i in indices:
        try:
            left, bottom, right, top = textpage.get_charbox(i, loose=True)
        except pdfium.PdfiumError:
            continue
        if right <= left or top <= bottom:
            continue
        line = lines[-1] if lines else None
        middle = (bottom + top) / 2
        if line is not None and line[1] <= middle <= line[3] and left >= line[2] - (top - bottom):
            line[0], line[1] = min(line[0], left), min(line[1], bottom)
            line[2], line[3] = max(line[2], right), max(line[3], top)
        else:
            lines.append([left, bottom, right, top])
    return [tuple(line) for line in lines]


def _draw_boxes(image: Image.Image, boxes, page_box, scale: float) -> Image.Image:
    """Paint PDF-unit boxes on the rendered page image as translucent rectangles."""
    page_left, _, _, page_top = page_box
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    pad = 1.5 * scale
    for left, bottom, right, top in boxes:
        draw.rectangle(
            (
                (left - page_left) * scale - pad,
                (page_top - top) * scale - pad,
                (right - page_left) * scale + pad,
                (page_top - bottom) * scale + pad,
            ),
            fill=HIGHLIGHT_FILL,
            outline=HIGHLIGHT_OUTLINE,
        )
    return Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
