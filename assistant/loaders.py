"""Read files into Documents: PDF (pypdf, pypdfium2 as fallback), DOCX, HTML, Markdown, text.

Every failure is a LoadError whose message names the file and says what to do. The type of
a file is checked by its content, not only its name, so an HTML page saved as ".pdf" is reported
as such instead of crashing the PDF parser.
"""

from __future__ import annotations

import hashlib
import logging
import re
import zipfile
from collections import Counter
from pathlib import Path

from .errors import EncryptedPdfError, LoadError, NoTextLayerError
from .text import normalise
from .types import Document, Page

SUPPORTED_SUFFIXES = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".text"}

logging.getLogger("pypdf").setLevel(logging.ERROR)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "document"


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sniff_format(path: Path, data: bytes) -> str:
    """The file's real type from its bytes, falling back to its suffix for text formats."""
    head = data[:2048].lstrip()
    suffix = path.suffix.lower()
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as zf:
                if "word/document.xml" in zf.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
        return "zip"
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or (b"<html" in lowered and b"<body" in data[:8192].lower()):
        return "html"
    if suffix in (".html", ".htm"):
        return "html"
    if suffix in (".md", ".markdown"):
        return "md"
    return "txt"


MAX_UNPACKED_BYTES = 200 * 2**20  # a Word document unpacking to more than this is refused
MAX_LINE_CHARS = 200_000  # a "paragraph" longer than this is a data dump, not a document


def load_document(
    path: str | Path,
    *,
    title: str | None = None,
    version: str | None = None,
    doc_id: str | None = None,
) -> Document:
    """Load one file. Title, version and doc_id default to what the file says about itself."""
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise LoadError(f"{name}: no such file")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise LoadError(
            f"{name}: unsupported file type '{path.suffix or '(none)'}'; "
            "supported are PDF, DOCX, HTML, Markdown and plain text"
        )
    data = path.read_bytes()
    if not data.strip():
        raise LoadError(f"{name} is empty (0 bytes of text); nothing to ingest")
    fmt = sniff_format(path, data)
    suffix = path.suffix.lower()
    if suffix == ".pdf" and fmt != "pdf":
        kind = {"html": "an HTML page", "docx": "a Word document", "zip": "a ZIP archive"}.get(fmt, "not a PDF")
        raise LoadError(f"{name} is named .pdf but is {kind}; save the real PDF and ingest that")
    if suffix == ".docx" and fmt != "docx":
        raise LoadError(f"{name} is named .docx but is not a Word document")
    if fmt in ("pdf", "docx") and suffix not in (".pdf", ".docx"):
        raise LoadError(f"{name} holds a {fmt.upper()} file; rename it to .{fmt} and ingest it again")

    meta: dict[str, str] = {}
    if fmt == "pdf":
        pages, meta = _load_pdf(path, data)
    elif fmt == "docx":
        pages, meta = _load_docx(path)
    elif fmt == "html":
        pages, meta = _load_html(_decode(name, data))
    else:
        pages = _split_pages(_markdown_to_text(_decode(name, data)) if fmt == "md" else _decode(name, data))
    pages = [Page(p.number, normalise(p.text), p.headings) for p in pages]  # every format, before anything is matched
    longest = max((len(line) for p in pages for line in p.text.split("\n")), default=0)
    if longest > MAX_LINE_CHARS:
        raise LoadError(
            f"{name} has a line of {longest:,} characters with no line break; it looks like data, not a document "
            f"(a paragraph is at most {MAX_LINE_CHARS:,} characters here)"
        )

    if not any(p.text.strip() for p in pages):
        if fmt == "pdf":
            raise NoTextLayerError(f"{name} has no text layer (scanned?); OCR is not supported")
        raise LoadError(f"{name} contains no readable text")

    found_title = title or _clean_title(meta.get("title", "")) or _title_from_text(pages) or path.stem
    found_version = version or _find_version(
        " ".join([meta.get("subject", ""), meta.get("keywords", ""), meta.get("title", "")]),
        pages[0].text[:2000] if pages else "",
        path.stem,
    )
    return Document(
        doc_id=slugify(doc_id or path.stem),
        title=found_title.strip(),
        version=found_version,
        source=name,
        pages=tuple(pages),
        content_hash=file_hash(data),
        format=fmt,
    )


# ---------------------------------------------------------------- PDF


def _load_pdf(path: Path, data: bytes) -> tuple[list[Page], dict[str, str]]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    name = path.name
    if b"%%EOF" not in data[-2048:]:
        raise LoadError(f"{name} is truncated or damaged (no end-of-file marker); download it again")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception:  # noqa: BLE001 - pypdf raises several types for unsupported crypto
                opened = 0
            if not opened:
                raise EncryptedPdfError(
                    f"{name} is encrypted and needs a password; save an unprotected copy and ingest that"
                )
        if len(reader.pages) == 0:
            raise LoadError(f"{name} has no pages; nothing to ingest")
        read = [_page_text(page) for page in reader.pages]
        raw_pages = [text for text, _ in read]
        meta = _pdf_metadata(reader)
    except (EncryptedPdfError, LoadError):
        raise
    except FileNotDecryptedError as exc:
        raise EncryptedPdfError(f"{name} is encrypted and needs a password") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise LoadError(f"{name} is not a readable PDF ({exc.__class__.__name__}: {exc})") from exc
    except Exception as exc:  # noqa: BLE001 - damaged PDFs raise arbitrary errors deep in pypdf
        raise LoadError(f"{name} is damaged and could not be read ({exc.__class__.__name__})") from exc

    texts = [normalise(t) for t in raw_pages]
    bad = [i for i, t in enumerate(texts) if looks_run_together(t)]
    if bad:
        for i, alt in zip(bad, _pdfium_pages(path, bad)):
            alt = normalise(alt)
            if alt and text_quality(alt) > text_quality(texts[i]):
                texts[i] = alt
    texts = strip_running_lines(texts)
    styled = styled_lines(texts, [[] if i in bad else fragments for i, (_, fragments) in enumerate(read)])
    return [Page(i + 1, t, styled[i]) for i, t in enumerate(texts)], meta


Fragment = tuple[str, float, bool]  # text, printed size, bold


def _page_text(page) -> tuple[str, list[Fragment]]:
    """A page's text, and its text fragments with the size and weight they are printed in."""
    fragments: list[Fragment] = []

    def visit(text, cm, tm, font, size):
        if not text.strip() or not size:
            return
        scale = abs(tm[3] * cm[3]) if tm and cm and tm[3] * cm[3] else 1.0
        name = str(font.get("/BaseFont", "")).lower() if font else ""
        fragments.append((text, round(size * scale, 1), any(w in name for w in ("bold", "black", "heavy", "semibold"))))

    return page.extract_text(visitor_text=visit) or "", fragments


def styled_lines(texts: list[str], fragments: list[list[Fragment]]) -> list[tuple[tuple[str, int], ...]]:
    """Per page, the lines printed larger than the body text or in bold on a line of their own,
    with a level: 1 for the largest heading style, 2 for the next, and so on. A bold line at the
    body size counts only when prose follows it (a bold table header does not)."""
    weight: Counter[float] = Counter()
    for page in fragments:
        for text, size, _ in page:
            weight[size] += len(text.strip())
    if not weight:
        return [() for _ in texts]
    body = weight.most_common(1)[0][0]
    found: list[list[tuple[str, tuple[float, bool]]]] = []
    for text, page in zip(texts, fragments):
        candidates: dict[str, tuple[float, bool]] = {}
        run: list[Fragment] = []
        for fragment in page + [("", 0.0, False)]:
            _, size, bold = fragment
            if run and (size, bold) != run[-1][1:]:
                style = run[0][1:]
                candidates.setdefault(_collapse(" ".join(f[0] for f in run)), style)
                run = []
            if size >= body * 1.08 or (bold and size >= body * 0.95):
                run.append(fragment)
                candidates.setdefault(_collapse(fragment[0]), (size, bold))
        lines = [line.strip() for line in text.split("\n")]
        marks = [candidates.get(_collapse(line)) if line else None for line in lines]
        page_found = []
        for i, (line, style) in enumerate(zip(lines, marks)):
            if not style or not re.match(r"[\w\"'\u2018\u201c(]", line) or len(line) > 160 or len(line.split()) > 20:
                continue
            if style[0] < body * 1.08:  # bold at the body size: a heading only when prose follows
                end = i
                while end + 1 < len(lines) and marks[end + 1] == style:
                    end += 1  # a heading printed over several lines
                after = next((l for l in lines[end + 1 :] if l), "")
                if re.search(r"[.,;:]$", lines[end]) or len(after) < 40:
                    continue
            page_found.append((line, style))
        found.append(page_found)
    styles = sorted({style for page in found for _, style in page}, key=lambda s: (-s[0], not s[1]))
    rank = {style: i + 1 for i, style in enumerate(styles)}
    return [tuple((line, rank[style]) for line, style in page) for page in found]


def _collapse(text: str) -> str:
    return " ".join(normalise(text).split())


def _pdf_metadata(reader) -> dict[str, str]:
    meta = reader.metadata or {}
    out = {}
    for key in ("title", "subject", "keywords"):
        try:
            value = getattr(meta, key, None) or meta.get("/" + key.capitalize())
        except Exception:  # noqa: BLE001 - broken metadata must not stop the text
            value = None
        out[key] = str(value) if value else ""
    return out


def _pdfium_pages(path: Path, indexes: list[int]) -> list[str]:
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pragma: no cover - it is a hard dependency
        return ["" for _ in indexes]
    out = []
    try:
        pdf = pdfium.PdfDocument(str(path))
        for i in indexes:
            page = pdf[i]
            out.append(page.get_textpage().get_text_range())
        pdf.close()
    except Exception:  # noqa: BLE001 - the fallback is best effort; pypdf's text stays
        out.extend("" for _ in range(len(indexes) - len(out)))
    return out


_LONG_TOKEN = re.compile(r"[A-Za-z]{25,}")


def looks_run_together(text: str) -> bool:
    """True when a page's words seem glued together ("theapplicationshallverify")."""
    letters = sum(c.isalpha() for c in text)
    if letters < 80:
        return False
    tokens = text.split()
    long_chars = sum(len(t) for t in tokens if _LONG_TOKEN.search(t))
    spaces = text.count(" ") + text.count("\n")
    return long_chars / letters > 0.15 or spaces / max(letters, 1) < 0.08


def text_quality(text: str) -> float:
    """Higher is better: penalises run-together tokens, rewards ordinary word lengths."""
    tokens = text.split()
    if not tokens:
        return 0.0
    letters = sum(c.isalpha() for c in text) or 1
    long_chars = sum(len(t) for t in tokens if _LONG_TOKEN.search(t))
    return 1.0 - long_chars / letters + min(len(tokens) / letters * 4, 1.0) * 0.1


_PAGE_NUMBER_LINE = re.compile(r"^(?:page\s*)?[-–]?\s*\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?\s*[-–]?$", re.I)


def strip_running_lines(pages: list[str]) -> list[str]:
    """Remove running headers, footers and bare page numbers repeated at page edges."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.lower())

    edges: list[list[int]] = []
    counts: Counter[str] = Counter()
    split = [p.split("\n") for p in pages]
    for lines in split:
        idx = [i for i, line in enumerate(lines) if line.strip()]
        edge = idx[:3] + idx[-3:]
        edges.append(edge)
        counts.update({key(lines[i]) for i in edge})
    threshold = max(2, int(len(pages) * 0.5 + 0.5))
    out = []
    for lines, edge in zip(split, edges):
        drop = set()
        for i in edge:
            line = lines[i].strip()
            if _PAGE_NUMBER_LINE.match(line) or (len(pages) >= 3 and counts[key(line)] >= threshold):
                drop.add(i)
        out.append("\n".join(line for i, line in enumerate(lines) if i not in drop).strip())
    return out


# ---------------------------------------------------------------- DOCX, HTML, Markdown, text


def _load_docx(path: Path) -> tuple[list[Page], dict[str, str]]:
    import zipfile

    import docx

    try:  # a zip bomb (a few KB that unpack to gigabytes) is refused before anything unpacks it
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise LoadError(f"{path.name} is not a readable Word document (not a valid ZIP)") from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise LoadError(
            f"{path.name} unpacks to {unpacked / 2**20:.0f} MB, more than the {MAX_UNPACKED_BYTES // 2**20} MB a Word document "
            "may hold here; it is damaged or not a real document"
        )
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many types for broken files
        raise LoadError(f"{path.name} is not a readable Word document ({exc.__class__.__name__})") from exc
    pages: list[list[str]] = [[]]
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = docx.text.paragraph.Paragraph(child, document)
            if para.paragraph_format.page_break_before and pages[-1]:
                pages.append([])
            text = para.text.strip()
            style = (para.style.name if para.style is not None else "") or ""
            level = re.match(r"Heading (\d)", style)
            if text:
                if level:
                    text = "#" * int(level.group(1)) + " " + text
                elif style == "Title":
                    text = "# " + text
                elif "List" in style:
                    text = "- " + text
                pages[-1].append(text)
            if 'w:type="page"' in child.xml and pages[-1]:
                pages.append([])
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    value = " ".join(cell.text.split())
                    if not cells or cells[-1] != value:
                        cells.append(value)
                pages[-1].append(" | ".join(cells))
            pages[-1].append("")
    props = document.core_properties
    meta = {"title": props.title or "", "subject": props.subject or "", "keywords": props.keywords or ""}
    return [Page(i + 1, "\n".join(lines).strip()) for i, lines in enumerate(pages) if "".join(lines).strip()], meta


def _load_html(text: str) -> tuple[list[Page], dict[str, str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "header", "footer", "template", "svg"]):
        tag.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    lines: list[str] = []
    root = soup.body or soup
    for el in root.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "pre", "dt", "dd"]):
        if el.find_parent(["li", "tr", "pre"]) is not None and el.name != "li":
            continue
        if el.name == "tr":
            cells = [c.get_text(" ", strip=True) for c in el.find_all(["td", "th"])]
            line = " | ".join(c for c in cells if c)
        else:
            line = " ".join(el.get_text(" ", strip=True).split())
            if el.name[0] == "h" and el.name[1:].isdigit():
                line = "#" * int(el.name[1]) + " " + line
            elif el.name == "li":
                line = "- " + line
        if line:
            lines.append(line)
    if not lines:
        lines = [" ".join(root.get_text(" ", strip=True).split())]
    return [Page(1, "\n".join(lines))], {"title": title}


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)")


def _markdown_to_text(text: str) -> str:
    """Plain text with '#' heading lines kept (the chunker reads them) and inline markup removed."""
    out = []
    in_fence = False
    for line in text.split("\n"):
        if line.strip().startswith("```"):
            in_fence = not in_fence
            continue
        if not in_fence:
            line = _MD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(1) else m.group(2), line)
            line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
            line = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", line)
            line = line.replace("`", "")
            if re.fullmatch(r"\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*", line):
                continue  # table separator row
            if line.strip().startswith("|"):
                line = " | ".join(c.strip() for c in line.strip().strip("|").split("|"))
            if re.fullmatch(r"\s*([-*_])\s*(\1\s*){2,}", line):
                line = ""  # horizontal rule
        out.append(line.rstrip())
    return "\n".join(out)


def _split_pages(text: str) -> list[Page]:
    parts = text.split("\f") if "\f" in text else [text]
    return [Page(i + 1, p) for i, p in enumerate(parts)]


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError(f"{name} looks like a binary file, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); "
            "save it as UTF-8 and ingest it again"
        ) from exc


# ---------------------------------------------------------------- title and version


def _clean_title(title: str) -> str:
    title = re.sub(r"^Microsoft Word - ", "", title.strip())
    title = re.sub(r"\.(docx?|pdf)$", "", title, flags=re.I)
    if not title or title.lower() in {"untitled", "document", "title"} or len(title) < 4:
        return ""
    return title


def _title_from_text(pages: list[Page]) -> str:
    for page in pages[:1]:
        for line in page.text.split("\n")[:8]:
            line = line.lstrip("#").strip()
            if 4 <= len(line) <= 150 and sum(c.isalpha() for c in line) >= 4 and not line.endswith("."):
                return line
    return ""


_VERSION_PATTERNS = [
    re.compile(r"(?<![A-Za-z])(rev(?:ision)?\.?\s*\d+(?:\.\d+)*)", re.I),
    re.compile(r"(?<![A-Za-z])version[:\s_]+(v?\d+(?:\.\d+)*[a-z]?)\b", re.I),
    re.compile(r"\bver\.\s*(\d+(?:\.\d+)*)\b", re.I),
    re.compile(r"(?:^|[\s_(-])v\.?\s?(\d+(?:\.\d+)+|\d+)(?=$|[\s_)-])", re.I),
]


def _find_version(*texts: str) -> str:
    for text in texts:
        for pattern in _VERSION_PATTERNS:
            match = pattern.search(text or "")
            if match:
                value = match.group(1).strip()
                if value.lower().startswith("rev"):
                    value = "rev. " + re.sub(r"^rev(?:ision)?\.?\s*", "", value, flags=re.I)
                return value
    return ""
