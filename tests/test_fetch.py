"""`jdd corpus fetch`: downloads against a real HTTP server on 127.0.0.1, real PDFs, real ingest."""

from __future__ import annotations

import hashlib
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assistant.errors import AssistantError
from assistant.fetch import FetchResult, Source, fetch_and_ingest, fetch_sources, load_sources
from conftest import make_assistant
from pdf_factory import make_standard_pdf

ROOT = Path(__file__).resolve().parent.parent
LANDING = "https://example.org/widget-standard/"
HTML_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please accept cookies</body></html>"

# A proxy from the environment must not intercept requests to the local server.
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's naming
        server = self.server
        if self.path == "/standard.pdf":
            self._send(200, server.pdf_bytes, "application/pdf")
        elif self.path == "/login.pdf":  # a cookie wall served under the PDF's name
            self._send(200, HTML_PAGE, "text/html; charset=utf-8")
        elif self.path == "/redirect.pdf":
            self.send_response(302)
            self.send_header("Location", "/standard.pdf")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/truncated.pdf":  # close-delimited body cut short: no %%EOF at the end
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(server.pdf_bytes[: len(server.pdf_bytes) // 2])
        elif self.path == "/stall-body.pdf":  # headers and a few bytes, then nothing
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(server.pdf_bytes)))
            self.end_headers()
            self.wfile.write(server.pdf_bytes[:100])
            self.wfile.flush()
            server.release.wait(30)
        elif self.path == "/stall-headers.pdf":  # accepts the connection, never answers
            server.release.wait(30)
        elif self.path == "/trickle.pdf":  # a byte now and then: never idle long enough for the socket timeout
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(server.pdf_bytes)))
            self.end_headers()
            for i in range(len(server.pdf_bytes)):
                if server.release.wait(0.2):
                    return
                self.wfile.write(server.pdf_bytes[i : i + 1])
                self.wfile.flush()
        else:
            self._send(404, b"not found", "text/plain")


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory) -> Path:
    return make_standard_pdf(tmp_path_factory.mktemp("served") / "widget_standard.pdf").path


@pytest.fixture
def server(pdf_file):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.pdf_bytes = pdf_file.read_bytes()
    httpd.release = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.release.set()  # let stalling handlers finish
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def base_url(httpd) -> str:
    host, port = httpd.server_address[:2]
    return f"http://{host}:{port}"


def source(url: str = "", sha256: str = "", sid: str = "widget-std") -> Source:
    return Source(
        id=sid, title="Responsible Widget Sourcing Standard", publisher="Widget Stewardship Council",
        version="2.1", date="2025-03-01", landing_page=LANDING, url=url, sha256=sha256,
        languages=("en",), kind="standard", notes="",
    )


def fetch_one(src: Source, dest: Path, **kw) -> FetchResult:
    kw.setdefault("opener", NO_PROXY)
    (result,) = fetch_sources([src], dest, **kw)
    return result


def assert_failed_cleanly(result: FetchResult, dest: Path) -> None:
    assert result.status == "failed" and result.path is None
    assert LANDING in result.message
    assert list(dest.iterdir()) == [], "a failed download must leave nothing behind (no file, no temp file)"


def write_manifest(path: Path, src: Source) -> Path:
    path.write_text(
        "[[source]]\n"
        f'id = "{src.id}"\ntitle = "{src.title}"\npublisher = "{src.publisher}"\nversion = "{src.version}"\n'
        f'date = "{src.date}"\nlanding_page = "{src.landing_page}"\nurl = "{src.url}"\nsha256 = "{src.sha256}"\n'
        'languages = ["en"]\nkind = "standard"\nnotes = ""\n'
    )
    return path


# ---------------------------------------------------------------------------- success


def test_download_with_matching_checksum_lands_in_dest(server, pdf_file, tmp_path):
    dest = tmp_path / "dest"
    sha = hashlib.sha256(pdf_file.read_bytes()).hexdigest()
    calls = []
    (result,) = fetch_sources(
        [source(f"{base_url(server)}/standard.pdf", sha)], dest, opener=NO_PROXY,
        progress=lambda *a: calls.append(a),
    )
    assert result.status == "downloaded", result.message
    assert result.path == dest / "widget-std.pdf"
    assert result.path.read_bytes() == pdf_file.read_bytes()
    assert "checksum matches" in result.message
    assert [p.name for p in dest.iterdir()] == ["widget-std.pdf"]
    assert calls == [("widget-std", 0, 1), ("", 1, 1)]


def test_download_without_checksum_reports_the_files_sha256(server, pdf_file, tmp_path):
    result = fetch_one(source(f"{base_url(server)}/redirect.pdf"), tmp_path)  # follows the redirect
    assert result.status == "downloaded", result.message
    assert hashlib.sha256(pdf_file.read_bytes()).hexdigest() in result.message


def test_file_already_in_place_with_matching_checksum_is_not_fetched_again(pdf_file, tmp_path):
    (tmp_path / "widget-std.pdf").write_bytes(pdf_file.read_bytes())
    sha = hashlib.sha256(pdf_file.read_bytes()).hexdigest()
    # the port is closed: any network access would fail
    result = fetch_one(source(f"http://127.0.0.1:{closed_port()}/standard.pdf", sha), tmp_path)
    assert result.status == "downloaded" and "already in place" in result.message


def test_fetch_and_ingest_indexes_the_download(server, pdf_file, tmp_path):
    sha = hashlib.sha256(pdf_file.read_bytes()).hexdigest()
    manifest = write_manifest(tmp_path / "sources.toml", source(f"{base_url(server)}/standard.pdf", sha))
    assistant = make_assistant(tmp_path / "index")
    fetched, ingested = fetch_and_ingest(assistant, manifest, tmp_path / "dest", opener=NO_PROXY, timeout=5.0)
    assert [r.status for r in fetched] == ["downloaded"], fetched
    assert [r.status for r in ingested] == ["added"], ingested
    assert [d.doc_id for d in assistant.documents()] == ["widget-std"]


def test_fetch_and_ingest_with_nothing_downloaded_ingests_nothing(tmp_path):
    manifest = write_manifest(tmp_path / "sources.toml", source())
    assistant = make_assistant(tmp_path / "index")
    fetched, ingested = fetch_and_ingest(assistant, manifest, tmp_path / "dest")
    assert [r.status for r in fetched] == ["skipped"] and ingested == []


# ---------------------------------------------------------------------------- failures


def test_http_404_fails_and_names_the_landing_page(server, tmp_path):
    result = fetch_one(source(f"{base_url(server)}/missing.pdf"), tmp_path)
    assert_failed_cleanly(result, tmp_path)
    assert "404" in result.message and "by hand" in result.message


def test_wrong_checksum_fails_and_leaves_nothing(server, tmp_path):
    result = fetch_one(source(f"{base_url(server)}/standard.pdf", "0" * 64), tmp_path)
    assert_failed_cleanly(result, tmp_path)
    assert "checksum mismatch" in result.message and "000000000000" in result.message


def test_failed_download_keeps_the_previous_good_file(server, tmp_path):
    (tmp_path / "widget-std.pdf").write_bytes(b"%PDF-1.4 previous copy %%EOF")
    result = fetch_one(source(f"{base_url(server)}/standard.pdf", "0" * 64), tmp_path)
    assert result.status == "failed"
    assert [p.name for p in tmp_path.iterdir()] == ["widget-std.pdf"]
    assert (tmp_path / "widget-std.pdf").read_bytes() == b"%PDF-1.4 previous copy %%EOF"


def test_html_page_instead_of_pdf_fails_and_says_html(server, tmp_path):
    result = fetch_one(source(f"{base_url(server)}/login.pdf"), tmp_path)
    assert_failed_cleanly(result, tmp_path)
    assert "HTML page" in result.message


def test_truncated_pdf_fails(server, tmp_path):
    result = fetch_one(source(f"{base_url(server)}/truncated.pdf"), tmp_path)
    assert_failed_cleanly(result, tmp_path)
    assert "incomplete" in result.message or "cut off" in result.message


def test_too_large_fails(server, tmp_path):
    result = fetch_one(source(f"{base_url(server)}/standard.pdf"), tmp_path, max_bytes=1000)
    assert_failed_cleanly(result, tmp_path)
    assert "limit" in result.message


@pytest.mark.parametrize("path", ["/stall-body.pdf", "/stall-headers.pdf"])
def test_stalled_connection_times_out_quickly(server, tmp_path, path):
    started = time.monotonic()
    result = fetch_one(source(f"{base_url(server)}{path}"), tmp_path, timeout=1.0)
    elapsed = time.monotonic() - started
    assert_failed_cleanly(result, tmp_path)
    assert "timed out" in result.message
    assert elapsed < 5, f"took {elapsed:.1f} s"


def test_trickling_download_hits_the_total_deadline(server, tmp_path):
    started = time.monotonic()
    result = fetch_one(source(f"{base_url(server)}/trickle.pdf"), tmp_path, timeout=1.0, deadline=1.5)
    elapsed = time.monotonic() - started
    assert_failed_cleanly(result, tmp_path)
    assert "timed out" in result.message
    assert elapsed < 5, f"took {elapsed:.1f} s"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connection_refused_fails_with_a_clear_message(tmp_path):
    result = fetch_one(source(f"http://127.0.0.1:{closed_port()}/standard.pdf"), tmp_path, timeout=2.0)
    assert_failed_cleanly(result, tmp_path)
    assert "cannot connect" in result.message


def test_dns_failure_says_offline(tmp_path):
    def offline(request, timeout):  # what urllib raises when the name cannot be resolved
        raise urllib.error.URLError(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))

    result = fetch_one(source("https://coppermark.example/jdd.pdf"), tmp_path, opener=offline)
    assert_failed_cleanly(result, tmp_path)
    assert "offline" in result.message and "DNS" in result.message


def test_source_without_url_is_skipped_with_the_landing_page(tmp_path):
    result = fetch_one(source(), tmp_path)
    assert result.status == "skipped" and result.path is None
    assert LANDING in result.message
    assert list(tmp_path.iterdir()) == []


def test_one_bad_source_does_not_stop_the_others(server, tmp_path):
    url = base_url(server)
    results = fetch_sources(
        [source(f"{url}/missing.pdf", sid="a"), source(sid="b"), source(f"{url}/standard.pdf", sid="c")],
        tmp_path, opener=NO_PROXY,
    )
    assert [(r.source_id, r.status) for r in results] == [("a", "failed"), ("b", "skipped"), ("c", "downloaded")]
    assert [p.name for p in tmp_path.iterdir()] == ["c.pdf"]


# ---------------------------------------------------------------------------- manifest


def test_load_sources_reads_the_real_manifest():
    sources = load_sources(ROOT / "corpus" / "sources.toml")
    ids = [s.id for s in sources]
    assert "jdd-rev3" in ids and len(ids) == len(set(ids))
    jdd = sources[ids.index("jdd-rev3")]
    assert jdd.landing_page == "https://coppermark.org/standards/jdds/" and jdd.version == "rev. 3"
    assert all(s.landing_page.startswith("http") for s in sources)


def test_load_sources_rejects_broken_toml(tmp_path):
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nid = "x\n')
    with pytest.raises(AssistantError, match="not valid TOML"):
        load_sources(bad)


@pytest.mark.parametrize(
    "change, match",
    [
        ({"landing_page": ""}, "missing required field"),
        ({"sha256": "abc"}, "sha256"),
        ({"url": "ftp://example.org/x.pdf"}, "url"),
        ({"id": "../escape"}, "id must be"),
    ],
)
def test_load_sources_rejects_bad_entries(tmp_path, change, match):
    manifest = write_manifest(tmp_path / "sources.toml", replace(source(), **change))
    with pytest.raises(AssistantError, match=match):
        load_sources(manifest)


def test_load_sources_missing_file(tmp_path):
    with pytest.raises(AssistantError, match="no such file"):
        load_sources(tmp_path / "nope.toml")
