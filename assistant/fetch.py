"""Download the official documents listed in corpus/sources.toml, checked, into a folder.

`jdd corpus fetch [--dest DIR]` calls :func:`fetch_and_ingest`. Each source succeeds or fails
on its own: a source without a direct `url` is skipped (the user downloads it by hand from its
landing page); anything that goes wrong with one download (offline, HTTP error, a login or
cookie page instead of the PDF, a wrong checksum, a stalled connection, a file that is too big)
gives a failed :class:`FetchResult` with a message naming the landing page, and the next source
is tried.

A download is written to a temporary file in the destination folder (same filesystem) and only
a fully checked file is moved into place, atomically, as ``<dest>/<id>.pdf``. On failure the
temporary file is deleted, so a half-written or wrong file never sits where ingest looks.

Standard library only (urllib, hashlib, tomllib, tempfile).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import socket
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import AssistantError

Progress = Callable[[str, int, int], None]  # (source id, sources done, sources total), as in service.ingest

USER_AGENT = "jdd-assistant/0.1 (corpus fetch; +https://coppermark.org/standards/jdds/)"
CHUNK = 64 * 1024
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_DEADLINE = 600.0  # seconds for one whole download, however slowly the bytes trickle in

_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # what loaders.slugify keeps, so doc_id == source id
_SHA_RE = re.compile(r"[0-9a-f]{64}")
_KINDS = {"standard", "guidance", "assurance", "external"}
_REQUIRED = ("id", "title", "landing_page")
_TEXT_FIELDS = ("publisher", "version", "date", "url", "sha256", "kind", "notes")


@dataclass(frozen=True)
class Source:
    """One official document from the manifest (fields as documented in corpus/sources.toml)."""

    id: str
    title: str
    publisher: str
    version: str
    date: str
    landing_page: str
    url: str
    sha256: str
    languages: tuple[str, ...]
    kind: str
    notes: str


@dataclass(frozen=True)
class FetchResult:
    """What happened to one source: "downloaded" (path is the checked PDF), "skipped" (no url)
    or "failed" (path is None; message says what went wrong and where to get the file by hand)."""

    source_id: str
    status: str
    path: Path | None
    message: str


class _Failed(Exception):
    """Internal: one download failed with a message meant for the user."""


# ---------------------------------------------------------------------------- manifest


def load_sources(path: Path) -> list[Source]:
    """Read the manifest. Raises AssistantError, naming the file and the entry, when the file
    is missing or not valid TOML, or when an entry lacks a required field or has a bad value."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise AssistantError(f"{path}: no such file (the manifest of official documents)") from None
    except tomllib.TOMLDecodeError as exc:
        raise AssistantError(f"{path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise AssistantError(f"{path}: cannot read: {exc.strerror or exc}") from None

    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise AssistantError(f"{path} has no [[source]] entries")

    sources: list[Source] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        where = f"{path}, source #{n}"
        if not isinstance(entry, dict):
            raise AssistantError(f"{where}: expected a [[source]] table")
        if isinstance(entry.get("id"), str) and entry["id"]:
            where = f"{path}, source '{entry['id']}'"
        missing = [k for k in _REQUIRED if not (isinstance(entry.get(k), str) and entry[k].strip())]
        if missing:
            raise AssistantError(f"{where}: missing required field(s): {', '.join(missing)}")
        for key in _TEXT_FIELDS:
            if not isinstance(entry.get(key, ""), str):
                raise AssistantError(f"{where}: field '{key}' must be a string")
        languages = entry.get("languages", [])
        if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
            raise AssistantError(f"{where}: field 'languages' must be a list of strings")

        sid = entry["id"].strip()
        if not _ID_RE.fullmatch(sid):
            raise AssistantError(f"{where}: id must be lower-case letters, digits and single hyphens (e.g. 'jdd-rev3')")
        if sid in seen:
            raise AssistantError(f"{where}: duplicate id '{sid}'")
        seen.add(sid)
        url = entry.get("url", "").strip()
        if url and not url.lower().startswith(("http://", "https://")):
            raise AssistantError(f"{where}: url must start with http:// or https://")
        sha = entry.get("sha256", "").strip().lower()
        if sha and not _SHA_RE.fullmatch(sha):
            raise AssistantError(f"{where}: sha256 must be 64 hexadecimal characters or empty")
        kind = entry.get("kind", "").strip()
        if kind and kind not in _KINDS:
            raise AssistantError(f"{where}: kind must be one of {', '.join(sorted(_KINDS))}")

        sources.append(
            Source(
                id=sid,
                title=entry["title"].strip(),
                publisher=entry.get("publisher", "").strip(),
                version=entry.get("version", "").strip(),
                date=entry.get("date", "").strip(),
                landing_page=entry["landing_page"].strip(),
                url=url,
                sha256=sha,
                languages=tuple(languages),
                kind=kind,
                notes=entry.get("notes", "").strip(),
            )
        )
    return sources


# ---------------------------------------------------------------------------- fetching


def fetch_sources(
    sources: Iterable[Source],
    dest: Path,
    *,
    timeout: float = 30.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    opener=None,
    progress: Progress | None = None,
    deadline: float = DEFAULT_DEADLINE,
) -> list[FetchResult]:
    """Download every source that has a `url` to ``dest/<id>.pdf``; one result per source.

    `timeout` bounds each connect and each wait for data (a stalled connection fails after it);
    `deadline` bounds one whole download; `max_bytes` caps its size. `opener` is anything with
    ``open(request, timeout=...)`` (an ``urllib.request.OpenerDirector``) or a callable with that
    signature; the default follows redirects and honours the usual proxy variables. A file
    already in place whose sha256 matches the manifest is not downloaded again.
    Raises AssistantError only when `dest` cannot be created; never for one bad source."""
    sources = list(sources)
    dest = Path(dest)
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AssistantError(f"cannot create the download folder {dest}: {exc.strerror or exc}") from None
    open_url = _open_function(opener)

    results: list[FetchResult] = []
    for done, source in enumerate(sources):
        if progress:
            progress(source.id, done, len(sources))
        results.append(_fetch_one(source, dest, open_url, timeout=timeout, max_bytes=max_bytes, deadline=deadline))
    if progress:
        progress("", len(sources), len(sources))
    return results


def fetch_and_ingest(assistant, sources_path: Path, dest: Path, *, ingest_progress=None, **kw) -> tuple[list[FetchResult], list]:
    """Fetch every source in the manifest (keyword arguments go to :func:`fetch_sources`), then
    ingest the downloaded PDFs with ``assistant.ingest``. Returns (fetch results, ingest results);
    the document ids are the source ids, since each file is saved as ``<id>.pdf``."""
    results = fetch_sources(load_sources(sources_path), dest, **kw)
    paths = [r.path for r in results if r.status == "downloaded" and r.path is not None]
    ingested = assistant.ingest(paths, progress=ingest_progress) if paths else []
    return results, ingested


def _open_function(opener):
    if opener is None:
        opener = urllib.request.build_opener()
    if hasattr(opener, "open"):
        return opener.open
    if callable(opener):
        return opener
    raise TypeError("opener must be an urllib OpenerDirector or a callable(request, timeout=...)")


def _by_hand(source: Source) -> str:
    return f"download it by hand from {source.landing_page}"


def _fetch_one(source: Source, dest: Path, open_url, *, timeout: float, max_bytes: int, deadline: float) -> FetchResult:
    if not source.url:
        return FetchResult(
            source.id, "skipped", None,
            f"no direct URL in the manifest; {_by_hand(source)} and save it as {dest / (source.id + '.pdf')}",
        )
    final = dest / f"{source.id}.pdf"
    if source.sha256 and final.is_file():
        try:
            if _sha256_file(final) == source.sha256:
                return FetchResult(source.id, "downloaded", final, "already in place (checksum matches)")
        except OSError:
            pass  # unreadable: download again and replace it
    try:
        message = _download(source, final, open_url, timeout=timeout, max_bytes=max_bytes, deadline=deadline)
    except _Failed as exc:
        return FetchResult(source.id, "failed", None, str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad source must never stop the others
        return FetchResult(source.id, "failed", None, f"unexpected error ({exc.__class__.__name__}: {exc}); {_by_hand(source)}")
    return FetchResult(source.id, "downloaded", final, message)


def _download(source: Source, final: Path, open_url, *, timeout: float, max_bytes: int, deadline: float) -> str:
    """Stream the URL into a temporary file next to `final`, check it, and move it into place."""
    request = urllib.request.Request(
        source.url, headers={"User-Agent": USER_AGENT, "Accept": "application/pdf,*/*;q=0.5"}
    )
    tmp = tempfile.NamedTemporaryFile(dir=final.parent, prefix=f".{source.id}.", suffix=".part", delete=False)
    tmp_path = Path(tmp.name)
    moved = False
    try:
        digest = hashlib.sha256()
        head = b""
        tail = b""
        size = 0
        content_type = ""
        started = time.monotonic()
        try:
            response = open_url(request, timeout=timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise _Failed(f"HTTP {exc.code} {exc.reason} from {source.url}; {_by_hand(source)}") from None
        except urllib.error.URLError as exc:
            raise _Failed(_network_message(source, exc.reason, timeout)) from None
        except (OSError, http.client.HTTPException) as exc:
            raise _Failed(_network_message(source, exc, timeout)) from None
        with response:
            status = getattr(response, "status", None) or response.getcode()
            if status is not None and not 200 <= status < 300:
                raise _Failed(f"HTTP {status} from {source.url}; {_by_hand(source)}")
            content_type = response.headers.get("Content-Type", "") or ""
            length = response.headers.get("Content-Length")
            if length and length.strip().isdigit() and int(length) > max_bytes:
                raise _Failed(
                    f"{source.url} is {int(length):,} bytes, over the {max_bytes:,}-byte limit; {_by_hand(source)}"
                )
            read = getattr(response, "read1", None) or response.read
            while True:
                if time.monotonic() - started > deadline:
                    raise _Failed(
                        f"download of {source.url} timed out: not finished after {deadline:g} s; "
                        f"try again later or {_by_hand(source)}"
                    )
                try:
                    chunk = read(CHUNK)
                except (OSError, http.client.HTTPException) as exc:
                    raise _Failed(_network_message(source, exc, timeout, during_read=True)) from None
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise _Failed(f"{source.url} is over the {max_bytes:,}-byte limit; {_by_hand(source)}")
                if len(head) < 2048:
                    head += chunk[: 2048 - len(head)]
                tail = (tail + chunk)[-4096:]
                digest.update(chunk)
                try:
                    tmp.write(chunk)
                except OSError as exc:
                    raise _Failed(f"cannot write to {final.parent}: {exc.strerror or exc}") from None
        try:
            tmp.flush()
            os.fsync(tmp.fileno())
            tmp.close()
        except OSError as exc:
            raise _Failed(f"cannot write to {final.parent}: {exc.strerror or exc}") from None

        _check_pdf(source, head, tail, content_type, size)
        actual = digest.hexdigest()
        if source.sha256 and actual != source.sha256:
            raise _Failed(
                f"checksum mismatch for {source.url}: expected sha256 {source.sha256[:12]}..., got {actual[:12]}... "
                f"(a different edition, or a damaged download); {_by_hand(source)}"
            )
        try:
            os.replace(tmp_path, final)
        except OSError as exc:
            raise _Failed(f"cannot save {final}: {exc.strerror or exc}") from None
        moved = True
    finally:
        if not moved:
            tmp.close()
            tmp_path.unlink(missing_ok=True)
    if source.sha256:
        return f"{size:,} bytes, checksum matches"
    return f"{size:,} bytes; no checksum in the manifest, this file has sha256 {actual}"


def _check_pdf(source: Source, head: bytes, tail: bytes, content_type: str, size: int) -> None:
    """The bytes must be a whole PDF, whatever the server claimed; name what came instead."""
    if size == 0:
        raise _Failed(f"{source.url} returned an empty file; {_by_hand(source)}")
    if head[:1024].find(b"%PDF-") != -1:  # the same rule as loaders.sniff_format
        if b"%%EOF" not in tail:
            raise _Failed(
                f"{source.url} returned an incomplete PDF (no end-of-file marker; the download was cut off?); "
                f"try again or {_by_hand(source)}"
            )
        return
    lowered = head.lstrip().lower()
    is_html = "html" in content_type.lower() or lowered.startswith((b"<!doctype", b"<html", b"<head", b"<?xml")) or any(
        tag in lowered for tag in (b"<html", b"<body", b"<head", b"<script")
    )
    if is_html:
        raise _Failed(
            f"{source.url} returned an HTML page instead of a PDF (a login, cookie or consent wall, "
            f"or a page that links to the file); {_by_hand(source)}"
        )
    shown = content_type.split(";")[0].strip() or "no content type"
    raise _Failed(f"{source.url} did not return a PDF (got {shown}, starting {head[:8]!r}); {_by_hand(source)}")


def _network_message(source: Source, reason, timeout: float, *, during_read: bool = False) -> str:
    """A message a person can act on for a failed connection or read."""
    by_hand = _by_hand(source)
    if isinstance(reason, (TimeoutError, socket.timeout)) or "timed out" in str(reason).lower():
        what = "stalled while downloading" if during_read else "did not respond"
        return f"{source.url} timed out: {what} for {timeout:g} s; try again later or {by_hand}"
    if isinstance(reason, socket.gaierror):
        return f"cannot resolve the host of {source.url} (offline, or a DNS failure); {by_hand}"
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot connect to {source.url}: connection refused (offline, or the server is down); {by_hand}"
    if isinstance(reason, http.client.IncompleteRead):
        return f"the download of {source.url} was cut off; try again or {by_hand}"
    if isinstance(reason, (ConnectionError, http.client.HTTPException)):
        return f"the connection to {source.url} was closed unexpectedly ({reason.__class__.__name__}); try again or {by_hand}"
    detail = getattr(reason, "strerror", None) or str(reason) or reason.__class__.__name__
    return f"cannot reach {source.url} ({detail}; offline?); {by_hand}"


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
