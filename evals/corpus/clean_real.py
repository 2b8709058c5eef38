"""Turn the raw copies of the real texts into the sources `build_real_corpus` typesets.

    python -m evals.corpus.clean_real [--cache evals/.cache/real] [names...]

`evals/real_sources.md` lists the stored files each text is read from. Each `read_file` piece is
copied as it came into `CACHE/raw/NAME/`: `<file>__<offset>.txt` for a text of several files,
`off_<offset>.txt` for one long file. This script joins the pieces in reading order and applies
only the layout clean-up `real_sources.md` describes for that text (markup, page furniture and
line layout; never the wording), writing `CACHE/NAME/source.md` or `source.txt`. Rebuilding the
cache is then: copy the pieces, run this, run `build_real_corpus`.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "evals" / ".cache" / "real"

# reading order of the texts made of several files (file names without ".md")
ORDER = {
    "nist": [
        "cover", "errata", "sec1_2_introduction", "sec3_definitions", "sec4_aal", "sec5_authenticators",
        "sec6_lifecycle", "sec7_session", "sec8_security", "sec9_privacy", "sec10_usability",
        "references", "appA_memorized",
    ],
    "masvs": [
        "0x01-Foreword", "0x02-Frontispiece", "0x03-Using_the_MASVS", "0x04-Assessment_and_Certification",
        "0x06-V1-", "0x07-V2-", "0x08-V3-", "0x09-V4-", "0x10-V5-", "0x11-V6-", "0x12-V7-", "0x15-V8-",
        "0x90-Appendix-A", "0x91-Appendix-B",
    ],
    "scvs": [
        "frontispiece", "preface", "using-scvs", "assessment-and-certification", "v1-inventory",
        "v2-software-bill-of-materials", "v3-build-environment", "v4-package-management",
        "v5-component-analysis", "v6-pedigree-and-provenance", "guidance-open-source-policy",
        "appendix-a-glossary", "appendix-b-references",
    ],
}


def joined(raw: Path, order: list[str] | None) -> list[tuple[str, str]]:
    """(file, text) in reading order, each file's pieces joined by offset; one long file when
    `order` is None."""
    pieces = sorted(raw.glob("*.txt"))
    if order is None:
        return [("", "".join(p.read_text(encoding="utf-8") for p in sorted(pieces, key=lambda p: int(p.stem.split("_")[-1]))))]
    files: list[tuple[str, str]] = []
    for prefix in order:
        mine = sorted((p for p in pieces if p.stem.split("__")[0].startswith(prefix)), key=lambda p: int(p.stem.split("__")[-1]))
        if not mine:
            raise SystemExit(f"{raw}: no piece of {prefix!r}")
        files.append((mine[0].stem.split("__")[0], "".join(p.read_text(encoding="utf-8") for p in mine)))
    return files


def _cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)


def _plain(fragment: str, br: str) -> str:
    fragment = re.sub(r"[;,]?\s*(<br\s*/?>\s*)+", br, fragment.strip())
    fragment = re.sub(r"<[^>]+>", "", fragment)
    fragment = re.sub(r"[ \t\u00a0]+", " ", html.unescape(fragment)).replace(f":{br}", ": ")
    return fragment.strip(" ;,")


def clean_nist(files: list[tuple[str, str]]) -> str:
    """HTML anchors, wrappers and images removed; description boxes and the author table as
    plain paragraphs; in-cell line breaks of pipe tables joined with "; "; entities decoded."""
    out = []
    for _, text in files:
        def table(m: re.Match) -> str:
            paras = [_plain(c, ", ") for c in _cells(m.group(0))]
            return "\n\n" + "\n\n".join(p for p in paras if p) + "\n\n"

        text = re.sub(r"<table.*?</table>", table, text, flags=re.S)
        text = re.sub(r"<a name=\"[^\"]*\"></a>\s?", "", text)
        text = re.sub(r"</?div[^>]*>", "", text)
        text = re.sub(r"^!\[[^\]]*\]\([^)]*\)\s*$", "", text, flags=re.M)
        text = re.sub(r"^(<br\s*/?>\s*)+$", "", text, flags=re.M)
        lines = []
        for line in text.split("\n"):
            if line.lstrip().startswith(("|", "**")) and "|" in line and "<br" in line:
                line = "|".join(_plain(c, "; ") for c in line.split("|"))
            lines.append(html.unescape(line).replace("\u00a0", " "))
        out.append("\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", "\n\n".join(out)).strip() + "\n"


_LABEL_ALONE = re.compile(r"(\d{1,3}\.|\(\d{1,3}\)|\([a-z]{1,2}\)|\([ivx]{1,6}\))")
_FOOTNOTE_MARK = re.compile(r"\s?\(\n\*?\d{1,3}\n\)")


def _join_labels(lines: list[str]) -> list[str]:
    """A paragraph or point number standing on its own line joined to the text after it."""
    out: list[str] = []
    for line in lines:
        if out and _LABEL_ALONE.fullmatch(out[-1].strip()) and line.strip():
            out[-1] = f"{out[-1].strip()} {line.strip()}"
        else:
            out.append(line)
    return out


def clean_legal(files: list[tuple[str, str]]) -> str:
    """An EUR-Lex consolidated text: the consolidation header (up to the first "▼B"), the
    amendment markers and the footnotes removed, a sentence split by a marker joined again,
    paragraph and point numbers joined to their text."""
    text = files[0][1]
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == "▼B")
    lines = lines[start + 1 :]
    last_annex = max(i for i, line in enumerate(lines) if re.fullmatch(r"ANNEX(?: [IVXL]+)?", line.strip()))
    end = next(
        (i for i in range(last_annex, len(lines) - 2)
         if lines[i].strip() == "(" and re.fullmatch(r"\*?\d{1,3}", lines[i + 1].strip()) and lines[i + 2].startswith(") ")),
        len(lines),
    )
    text = _FOOTNOTE_MARK.sub("", "\n".join(lines[:end]))
    text = re.sub(r"\s*◄\s*(?=[,.;:])", "", text).replace(" ◄", "").replace("◄", "")
    out: list[str] = []
    join_next = False
    for line in text.split("\n"):
        marker = re.fullmatch(r"([►▼])[A-Z]\d*", line.strip())
        if marker:  # "From / ►M2 / 18 August 2027, ...": one sentence again
            join_next = marker.group(1) == "►" and bool(out) and not re.search(r"[.;:)]$", out[-1].strip())
            continue
        if join_next:
            out[-1] = out[-1].rstrip() + ("" if out[-1].rstrip().endswith("‘") else " ") + line.strip()
        else:
            out.append(line)
        join_next = False
    return "\n".join(_join_labels(out)).strip() + "\n"


def clean_masvs(files: list[tuple[str, str]]) -> str:
    """Images, HTML comments and line-break tags removed; headings, lists, links and pipe tables
    with their level marks kept as written."""
    text = "\n\n".join(t for _, t in files)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"<img[^>]*>", "", text)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"<br\s*/?>", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def clean_scvs(files: list[tuple[str, str]]) -> str:
    """Page front matter, images and page-break blocks removed; hard line wraps inside
    paragraphs joined; table padding collapsed."""
    out = []
    for _, text in files:
        text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        text = re.sub(r"<div[^>]*page-break[^>]*>.*?</div>", "", text, flags=re.S)
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
        lines: list[str] = []
        for line in text.split("\n"):
            if line.startswith("|"):
                line = re.sub(r"[ \t]{2,}", " ", line)
            plain = bool(line.strip()) and not re.match(r"\s*([#|>]|[-*+]\s|\d+[.)]\s)", line)
            if plain and lines and lines[-1].strip() and not re.match(r"\s*[#|]", lines[-1]):
                lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"
            else:
                lines.append(line)
        out.append("\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", "\n\n".join(out)).strip() + "\n"


_POINT_LABEL = r"\((?:\d{1,3}|[a-z]{1,2}|[ivx]{1,6})\)"  # "(12)", "(a)", "(iv)"
_LABEL = rf"\d{{1,3}}\.|{_POINT_LABEL}"  # a paragraph or point number on a line of its own
# a page's header; the extraction sometimes prints the first line's paragraph or point number
# between the page number and "EN" ("L 119/54\n7.\n\nEN ..."): it is put back before its text
_OJ_HEADER = re.compile(
    rf"\A\s*(L \d+/\d+|\d{{1,2}}\.\d{{1,2}}\.\d{{4}})\s*\n(?:(?P<label>{_LABEL})\s*\n)?"
    r"\s*(EN\s*\n\s*Official Journal of the European Union|Official Journal of the European Union\s*\n\s*EN)\s*\n"
    r"(\s*(L \d+/\d+|\d{1,2}\.\d{1,2}\.\d{4})\s*\n)?"
)
_OJ_FOOT = re.compile(r"\n\s*(L \d+/\d+|\d{1,2}\.\d{1,2}\.\d{4})\s*\Z")  # the last page prints its date at the foot
_MASTHEAD = re.compile(r"\A\s*I\s*\n\s*\(Legislative acts\)\s*\n\s*REGULATIONS\s*\n")
_WRAPPED_REFERENCE = re.compile(r"\(\w+\) (?:and|or|to) \(")  # "Article 58(1),\n(2) and (3) ...": a reference wrapped
_POINT = re.compile(rf"{_POINT_LABEL} ")
_LETTER_SPACED_SECTION = re.compile(r"S\s*e\s*c\s*t\s*i\s*o\s*n\s+(\d+)")


def _footnotes(lines: list[str]) -> tuple[list[str], set[str]]:
    """A page's lines without the footnotes at its foot, and their numbers. A footnote block is
    the longest run of lines at the foot whose numbered lines count up by one and are each
    marked in the page's text above ("... of the Council (4) seeks ...")."""
    for start, line in enumerate(lines):
        m = re.match(r"\((\d{1,3})\) [A-Z]", line)  # a note opens a sentence; "(2) and (3) ..." wraps a line above
        if not m:
            continue
        above = "\n".join(lines[:start])
        numbers = [re.match(r"\((\d{1,3})\) ", l) for l in lines[start:]]
        numbers = [int(n.group(1)) for n in numbers if n]
        consecutive = numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        marked = all(re.search(rf"(?<!point)(?<!points)(?<!paragraph) \({n}\)(?=[\s,.;:)]|$)", above) for n in numbers)
        if consecutive and marked:
            return lines[:start], {str(n) for n in numbers}
    return lines, set()


def _despaced(line: str, vocabulary: set[str]) -> str:
    """A letter-spaced title ("Tr an s p ar enc y a nd mo da li tie s") written plainly, split
    into the fewest words the document uses elsewhere."""
    squeezed = line.replace(" ", "")
    parts = re.split(r"([^A-Za-z]+)", squeezed)
    out = []
    for part in parts:
        if not part.isalpha():
            out.append(part + (" " if part.strip() in {","} else ""))
            continue
        low = part.lower()
        best: list[list[str] | None] = [[]] + [None] * len(low)
        for end in range(1, len(low) + 1):
            for begin in range(max(0, end - 20), end):
                if best[begin] is not None and low[begin:end] in vocabulary:
                    candidate = best[begin] + [part[begin:end]]
                    if best[end] is None or len(candidate) < len(best[end]):
                        best[end] = candidate
        out.append(" ".join(best[-1]) if best[-1] else part)
    return "".join(out)


def clean_gdpr(files: list[tuple[str, str]]) -> str:
    """An Official Journal text extracted page by page: page headers, the masthead, footnotes and
    their markers removed; letter-spaced section headings written plainly; each heading and
    its title line on a line of its own; each paragraph, point, recital or definition on one
    line with its number; words split at a line end joined again."""
    text = files[0][1].replace("\u00ad\n", "")
    vocabulary = {w.lower() for w in re.findall(r"[A-Za-z]+", text) if len(w) > 1 or w in "aI"}
    lines: list[str] = []
    for number, page in enumerate(text.split("\f")):
        page = _OJ_HEADER.sub(lambda m: f"{m.group('label')}\n" if m.group("label") else "", page)
        page = _OJ_FOOT.sub("", page) if page.strip() else page
        if number == 0:
            page = _MASTHEAD.sub("", page)
        page_lines = [l.rstrip() for l in page.split("\n") if l.strip()]
        page_lines, notes = _footnotes(page_lines)
        for n in notes:
            page_lines = [re.sub(rf" \({n}\)(?=[\s,.;:)]|$)", "", l) for l in page_lines]
        lines += page_lines
    preamble = next((i for i, l in enumerate(lines) if l.strip() == "Whereas:"), 0)
    out: list[str] = []
    for line in lines[:preamble]:  # the title block: a line of its own each, wrapped lines joined
        if out and line[:1].islower() and not re.search(r"[.,:;)\d]$", out[-1]) and not out[-1].isupper():
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line.strip())
    lines = lines[preamble:]
    title_next = previous_is_title = False
    last = ""  # the last line as printed (a wrapped line runs to the margin, about 115 characters)
    for line in lines:
        stripped = line.strip()
        section = _LETTER_SPACED_SECTION.fullmatch(stripped)
        if section:
            stripped = f"Section {section.group(1)}"
        words = stripped.split()
        if title_next and len(words) > 1 and sum(map(len, words)) / len(words) < 3.2:
            stripped = _despaced(stripped, vocabulary)
        heading = bool(re.fullmatch(r"(CHAPTER [IVXL]+|Section \d+|Article \d+)", stripped))
        previous = out[-1] if out else ""
        label_alone = bool(re.fullmatch(_LABEL, previous))
        starts_unit = heading or title_next or stripped == "Whereas:" or _POINT.match(stripped) or re.fullmatch(_LABEL, stripped)
        starts_unit = starts_unit and not _WRAPPED_REFERENCE.match(stripped)
        ended = bool(re.search(r"[.;:!?]$", last)) and len(last) < 100
        if out and (label_alone or not (starts_unit or ended or previous_is_title)):
            out[-1] = f"{previous} {stripped}"
        else:
            out.append(stripped)
        previous_is_title = heading or title_next
        title_next = heading
        last = stripped
    return "\n".join(out).strip() + "\n"


def clean_eudr(files: list[tuple[str, str]]) -> str:
    """A Markdown rendering of an EUR-Lex act laid out as the Official Journal prints it: the title
    on its lines, "CHAPTER n" and "Article n" on a line each with the title on the next, emphasis,
    footnote markers and the running-header quote removed, indented sub-points and lines of the
    signature block flush, "HAVE ADOPTED THIS REGULATION:" after the last recital (where the
    Journal prints it), each row of the annex table as "commodity: product; product"."""
    text = files[0][1]
    text = re.sub(r"\s?\(<sup>\d{1,3}</sup>\)", "", text)
    text = re.sub(r"^>.*$", "", text, flags=re.M)
    adopted = "HAVE ADOPTED THIS REGULATION:"
    text = text.replace(adopted, "", 1)
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip().replace("**", "").replace("*", "")
        if not line or re.fullmatch(r"\|[-| ]+\|", line):
            continue
        title = re.fullmatch(r"# (REGULATION .*? OF THE COUNCIL) (of \d+ \w+ \d{4}) (.*?) (\(Text with EEA relevance\))", line)
        heading = re.fullmatch(r"#{2,3} ((?:CHAPTER|Article) \d+) — (.*)", line)
        row = re.fullmatch(r"\|(.*)\|(.*)\|", line)
        if title:
            out.extend(title.groups())
        elif heading:
            if heading.group(1) == "CHAPTER 1":
                out.append(adopted)
            out.extend(heading.groups())
        elif line.startswith("# "):
            out.append(line[2:])
        elif row:
            commodity, products = (c.strip() for c in row.groups())
            if commodity != "Relevant commodity":  # the header row
                out.append(f"{commodity}: " + "; ".join(p.strip() for p in products.split("<br>")))
        else:
            out.append(line)
    return "\n".join(out).strip() + "\n"


def clean_esrs(files: list[tuple[str, str]]) -> str:
    """A Markdown rendering of an Official Journal PDF (the ESRS delegated act), up to where the
    second standard of its annex begins: images, emphasis marks, Markdown escapes and footnotes
    (their texts and their markers, which the rendering puts on a line of their own) removed;
    "Whereas:" and "HAS ADOPTED THIS REGULATION:" on lines of their own, as the Journal prints
    them; headings, numbered paragraphs, points and tables kept as rendered."""
    text = files[0][1]
    end = re.search(r"^# Esrs 2 General Disclosures", text, flags=re.M)
    text = text[: end.start()] if end else text
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"(?:^|\n\n)\(\n\d{1,2}\) .*?(?=\n\n|\Z)", "", text, flags=re.S)  # a footnote's text
    text = re.sub(r"\s?\(\n\d{1,2}\)", "", text)  # a footnote's marker
    # the tail of a footnote the rendering split from it: a line ending in its Official Journal reference
    text = re.sub(r"^(?!\d{1,3}\. ).*\(OJ [LC] \d+, [\d.]+, p\. \d+\)\.[ \t]*$", "", text, flags=re.M)
    text = re.sub(r"\\([-#_*()\[\].])", r"\1", text).replace("*", "")
    # "Whereas:" and "HAS ADOPTED THIS REGULATION:" on lines of their own, as the Journal prints them
    text = re.sub(r"\s*(Whereas:|HAS ADOPTED THIS REGULATION:)\s*", r"\n\n\1\n\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


CLEANERS = {
    "gdpr": ("source.txt", clean_gdpr),
    "eudr": ("source.txt", clean_eudr),
    "esrs": ("source.md", clean_esrs),
    "nist": ("source.md", clean_nist),
    "legal": ("source.txt", clean_legal),
    "gpsr": ("source.txt", clean_legal),
    "msr": ("source.txt", clean_legal),
    "masvs": ("source.md", clean_masvs),
    "scvs": ("source.md", clean_scvs),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", default=str(CACHE))
    parser.add_argument("names", nargs="*", help="texts to clean (default: every one with raw pieces)")
    args = parser.parse_args(argv)
    cache = Path(args.cache)
    names = args.names or sorted(p.name for p in (cache / "raw").iterdir() if p.is_dir() and p.name in CLEANERS)
    for name in names:
        target, clean = CLEANERS[name]
        (cache / name).mkdir(parents=True, exist_ok=True)
        text = clean(joined(cache / "raw" / name, ORDER.get(name)))
        (cache / name / target).write_text(text, encoding="utf-8")
        print(cache / name / target, len(text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
