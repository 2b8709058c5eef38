"""End to end: the real `streamlit run ui/app.py` server, driven by Playwright in Debian's Chromium.

Needs /usr/bin/chromium (apt-get install chromium) and the playwright package (pip install
playwright; no `playwright install`, the system browser is used). Screenshots go to
test-artifacts/ for a person to look at."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import make_assistant
from pdf_factory import make_html_named_pdf, make_standard_pdf

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTION = "How often must the supplier risk assessment be updated?"
HOSTILE_TEXT = (
    "Hostile notes\n\nVersion 0.1\n\n1 Scripts\n\n"
    "The site shall keep the incident register <script>alert(1)</script> on paper for **twelve** "
    "years at $5 and $6 a :red[month] | see [link](javascript:alert(2)).\n"
)

if not CHROMIUM.exists():
    pytest.skip("end-to-end UI test needs /usr/bin/chromium (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="end-to-end UI test needs the playwright package (pip install playwright)"
)
sync_api.expect.set_options(timeout=60_000)  # the first answer loads the model


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_health(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url} within {timeout} s")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A running UI on a free port over a fresh index holding the sample standard and a
    text file with a script tag and Markdown; stopped (its whole process group) at the end."""
    folder = tmp_path_factory.mktemp("e2e")
    pdf = make_standard_pdf(folder / "widget_standard.pdf")
    hostile = folder / "hostile_notes.txt"
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    index = folder / "index"
    results = make_assistant(index).ingest([pdf.path, hostile])
    assert [r.status for r in results] == ["added", "added"], results

    port = free_port()
    env = dict(os.environ, JDD_INDEX_DIR=str(index), HF_HUB_OFFLINE="1")
    for name in ("JDD_UI_PASSWORD", "JDD_UI_ADMIN_PASSWORD"):
        env.pop(name, None)
    log_file = open(folder / "streamlit.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", "ui/app.py",
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--server.headless", "true",
            "--browser.gatherUsageStats", "false",
        ],
        cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        wait_for_health(f"http://127.0.0.1:{port}/_stcore/health", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        log_file.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1360, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


def wait_until_idle(page) -> None:
    """Wait for the script run to finish (Streamlit marks the app element)."""
    sync_api.expect(page.locator("[data-test-script-state='notRunning']")).to_have_count(1)


def ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")


def test_ask_see_sources_and_view_the_cited_page(server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server)
    sync_api.expect(page.get_by_role("heading", name="Standards assistant")).to_be_visible()
    sync_api.expect(page.get_by_text("Try one of these")).to_be_visible()
    wait_until_idle(page)
    page.screenshot(path=str(ARTIFACTS / "ui-empty-state.png"), full_page=True)

    ask(page, QUESTION)
    answer = page.get_by_test_id("stChatMessage").nth(1)
    sync_api.expect(answer).to_contain_text("18 months")
    card = page.locator("[class*='st-key-source-']").first
    sync_api.expect(card).to_contain_text("§5.2.3")
    sync_api.expect(card).to_contain_text("p. 5")
    wait_until_idle(page)
    page.screenshot(path=str(ARTIFACTS / "ui-answer.png"), full_page=True)

    card.get_by_text("View page").click()
    image = card.get_by_test_id("stImage").locator("img")
    sync_api.expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") > 500
    wait_until_idle(page)
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "ui-view-page.png"))
    image.screenshot(path=str(ARTIFACTS / "ui-cited-page.png"))


def test_document_text_with_a_script_tag_is_shown_as_text(server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server)
    ask(page, "How many years must the site keep the incident register?")
    answer = page.get_by_test_id("stChatMessage").nth(1)
    sync_api.expect(answer).to_contain_text("<script>alert(1)</script>")
    sync_api.expect(answer).to_contain_text("**twelve** years at $5 and $6 a :red[month] | see [link](javascript:alert(2)).")
    assert page.locator("[data-testid='stChatMessage'] script").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert dialogs == []
    wait_until_idle(page)
    page.screenshot(path=str(ARTIFACTS / "ui-script-tag-as-text.png"), full_page=True)


def test_a_web_page_saved_as_pdf_is_refused(server, page, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    fake = make_html_named_pdf(tmp_path / "JDD_rev3.pdf")
    page.goto(server)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Add or remove documents").click()
    sidebar.locator("input[type='file']").set_input_files(str(fake))
    sidebar.get_by_role("button", name="Add to the index").click()
    alert = sidebar.get_by_text("JDD_rev3.pdf is not a PDF")
    sync_api.expect(alert).to_be_visible()
    sync_api.expect(sidebar).to_contain_text("web page")
    wait_until_idle(page)
    page.screenshot(path=str(ARTIFACTS / "ui-upload-refused.png"))
    listed = sidebar.get_by_text(re.compile(r"· \d+ pages? ·"))
    sync_api.expect(listed).to_have_count(2)  # the two indexed documents, nothing added
    sync_api.expect(listed.filter(has_text="JDD_rev3")).to_have_count(0)
