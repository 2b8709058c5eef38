"""Uploads (the UI's and the API's): each file is checked by its content before it goes
anywhere near the index, then ingested under its own name (Assistant.ingest_uploads).

A browser upload's name and MIME type are whatever the client says; a "standard.pdf" saved from
an expired download link is often an HTML login page. So the bytes decide: a PDF starts with
%PDF-, a DOCX is a zip holding word/document.xml, and text formats must decode as UTF-8."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import PurePath

ALLOWED_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".text")
TEXT_SUFFIXES = (".html", ".htm", ".md", ".markdown", ".txt", ".text")
MEGABYTE = 1024 * 1024  # as Streamlit counts its upload limit


def upload_limit_mb() -> int:
    """The largest upload the UI and the API accept, in MB (JDD_UI_MAX_UPLOAD_MB, default 50)."""
    try:
        return max(1, int(os.environ.get("JDD_UI_MAX_UPLOAD_MB", "50")))
    except ValueError:
        return 50


def safe_file_name(name: str) -> str:
    """The upload's base name (no folders, no leading dots), kept as the user knows it because
    the document id is derived from it."""
    base = "".join(ch for ch in name if ch.isprintable()).replace("\\", "/")  # control characters out
    base = PurePath(base).name.lstrip(".").strip()
    return base or "upload.txt"


def check_upload(name: str, data: bytes, max_bytes: int) -> str | None:
    """None if `data` really is the kind of file `name` says, else a message for the user."""
    shown = safe_file_name(name)
    suffix = PurePath(shown).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        return f"{shown}: unsupported file type; add PDF, DOCX, HTML, Markdown or plain text files"
    if not data:
        return f"{shown} is empty"
    if len(data) > max_bytes:
        return f"{shown} is {_megabytes(len(data))}; the limit is {_megabytes(max_bytes)}"
    head = data[:1024].lstrip()
    if suffix == ".pdf":
        if head.startswith(b"%PDF-"):
            return None
        if head[:512].lower().startswith((b"<!doctype html", b"<html")) or b"<html" in head.lower():
            return (
                f"{shown} is not a PDF: it is a web page (often a login or error page saved "
                "instead of the document). Download the PDF again from the publisher's site"
            )
        return f"{shown} is not a PDF (it does not start with %PDF-); it may be damaged or another type of file"
    if suffix == ".docx":
        if _is_docx(data):
            return None
        return f"{shown} is not a Word document (DOCX); if it is an old .doc file, save it as .docx first"
    if suffix in TEXT_SUFFIXES:
        if head.startswith(b"%PDF-") or data[:4] == b"PK\x03\x04" or b"\x00" in data[:8192]:
            return f"{shown} is a binary file, not {suffix[1:].upper()} text; check the file type"
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return f"{shown} is not UTF-8 text; save it with UTF-8 encoding and try again"
    return None


def _is_docx(data: bytes) -> bool:
    if data[:4] != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _megabytes(size: int) -> str:
    mb = size / MEGABYTE
    if mb < 1:
        return f"{size / 1024:.0f} KB"
    return f"{mb:.1f} MB" if mb < 10 else f"{mb:.0f} MB"
