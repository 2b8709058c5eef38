"""Streamlit chat UI: cited answers, the cited page, corpus management, feedback and export.

Start with:  streamlit run ui/app.py --server.address 127.0.0.1 --server.port 8501

Everything goes through the one `Assistant` facade (cached per index folder for the whole server
process). Document text is untrusted: it is always escaped before st.markdown, and nothing here
uses unsafe_allow_html.

Optional login, read from the environment (see ui/README.md):
  JDD_UI_PASSWORD        a password form gates the app
  JDD_UI_ADMIN_PASSWORD  only users who logged in with it may add or remove documents
  JDD_UI_MAX_UPLOAD_MB   largest upload accepted (default 50)
  .streamlit/secrets.toml with an [auth] section enables OIDC login through st.login.
"""

from __future__ import annotations

import hmac
import io
import logging
import os
import sys
import threading
import time
import uuid
from pathlib import Path

import streamlit as st

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)  # helpers next to this file (streamlit run and AppTest alike)

import evaluation_page  # noqa: E402
import training_page  # noqa: E402

from assistant.errors import AssistantError  # noqa: E402
from assistant.export import conversation_docx, conversation_markdown, escape_markdown  # noqa: E402
from assistant.feedback import FeedbackStore, default_path  # noqa: E402
from assistant.fetch import load_sources  # noqa: E402
from assistant.pages import render_page  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.types import Answer, Citation, DocumentInfo  # noqa: E402
from assistant.uploads import ALLOWED_SUFFIXES, MEGABYTE, upload_limit_mb  # noqa: E402

log = logging.getLogger("jdd.ui")

APP_TITLE = "Standards assistant"
EXAMPLE_QUESTIONS = (
    "Who is behind the JDD?",
    "Is the JDD the same thing as the Copper Mark?",
    "Which versions of the JDD exist?",
)
STREAM_DELAY_S = 0.01  # per word of an answer that comes whole (extractive): only paces the reading


def md(text: str) -> str:
    """Untrusted text (from documents or users) as literal Markdown."""
    return escape_markdown(text)


# ------------------------------------------------------------------ the one assistant


class Service:
    """The server's Assistant and its feedback store.

    Streamlit runs each browser session in its own thread; the Assistant is safe for concurrent
    callers (questions share a read lock, ingest and remove take the write lock)."""

    def __init__(self, settings: Settings):
        self.assistant = Assistant(settings)
        self.feedback = FeedbackStore(os.environ.get("JDD_FEEDBACK_DB") or default_path(settings.index_dir))
        threading.Thread(target=self._warm_up, daemon=True).start()

    def _warm_up(self) -> None:
        """Load the embedding model in the background so the first question is quick."""
        try:
            self.assistant.warm_up()
        except Exception:  # noqa: BLE001 - the first question will report it properly
            log.exception("warm-up failed")

    def documents(self) -> list[DocumentInfo]:
        return self.assistant.documents()

    def ask_stream(self, question: str, history: list[str], doc_ids, versions):
        """Text pieces as the answer is written, then the checked Answer (Assistant.ask_stream)."""
        return self.assistant.ask_stream(question, history=history, doc_ids=doc_ids or None, versions=versions or None)

    def source_path(self, doc_id: str) -> Path | None:
        return self.assistant.source_path(doc_id)


@st.cache_resource(show_spinner="Opening the index…")
def get_service(index_dir: str) -> Service:
    """One Service per index folder for the whole server process."""
    return Service(Settings(index_dir=Path(index_dir)))


def current_service() -> Service:
    return get_service(str(Settings().index_dir.resolve()))


@st.cache_data(max_entries=64, show_spinner="Rendering the page…")
def page_png(pdf_path: str, modified: float, page: int, quote: str) -> bytes:
    """The cited page as PNG bytes with the quote highlighted (cached; `modified` keys a new copy)."""
    buffer = io.BytesIO()
    render_page(pdf_path, page, highlight=quote, scale=1.6).save(buffer, format="PNG")
    return buffer.getvalue()


# ------------------------------------------------------------------ login


def _matches(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def oidc_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (st.login can then be used)."""
    try:
        return hasattr(st, "login") and "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def oidc_logged_in() -> bool:
    """st.user.is_logged_in, read defensively (absent until Streamlit knows of an [auth] section)."""
    try:
        return bool(st.user.get("is_logged_in", False))
    except Exception:  # noqa: BLE001
        return False


def require_login() -> str:
    """Show the login screens the deployment asks for; returns 'admin' or 'user', or stops.

    Without any setting the app is open and everyone is an admin (a local, single-user run)."""
    user_password = os.environ.get("JDD_UI_PASSWORD", "")
    admin_password = os.environ.get("JDD_UI_ADMIN_PASSWORD", "")

    if oidc_configured() and not oidc_logged_in():
        st.title(APP_TITLE)
        st.write("Sign in with your organisation account to continue.")
        st.button("Log in", type="primary", on_click=st.login)
        st.stop()

    if user_password and "role" not in st.session_state:
        st.title(APP_TITLE)
        with st.form("login"):
            st.write("This assistant is shared. Enter the password you were given.")
            given = st.text_input("Password", type="password")
            if st.form_submit_button("Log in", type="primary"):
                if _matches(given, admin_password):
                    st.session_state.role = "admin"
                elif _matches(given, user_password):
                    st.session_state.role = "user"
                else:
                    time.sleep(1)  # slows down guessing
                    st.error("That password is not right.")
        if "role" not in st.session_state:
            st.stop()
        st.rerun()

    if not admin_password:
        return "admin"  # whoever may use the app may also manage its documents
    return st.session_state.get("role", "user")


# ------------------------------------------------------------------ answers


def caption_line(c: Citation) -> str:
    """'Title · version · §5.2.3 Heading · p. 5' (plain text)."""
    heading = c.heading.split(" > ")[-1] if c.heading else ""
    section = heading if heading.startswith(c.section) else f"{c.section} {heading}".strip()
    parts = [c.title, c.version, f"§{section}" if section else "", f"p. {c.page}"]
    return " · ".join(p for p in parts if p)


def answer_markdown(answer: Answer) -> str:
    """The answer text made literal, with its [n] markers in bold. Its shape stays: paragraphs,
    a line per list item, and the "Also relevant" units as a bulleted list."""
    paragraphs = []
    for paragraph in answer.text.split("\n\n"):
        lines = []
        for line in paragraph.split("\n"):
            if line.startswith("- "):
                lines.append("- " + md(line[2:]))
            elif line.strip():
                lines.append(md(line))
        paragraphs.append("  \n".join(lines))
    text = "\n\n".join(p for p in paragraphs if p)
    for c in answer.citations:
        text = text.replace(f"\\[{c.n}\\]", f"**\\[{c.n}\\]**")
    return text


def stream_words(text: str):
    """Yield a complete text word by word for st.write_stream."""
    for word in text.split(" "):
        yield word + " "
        time.sleep(STREAM_DELAY_S)


def render_notices(answer: Answer) -> None:
    """What the user must know about how the answer was made (a fallback, removed markers)."""
    for notice in answer.notices:
        st.caption(":material/info: " + md(notice))


def status_label(msg: dict) -> str:
    answer: Answer = msg["answer"]
    seconds = sum(answer.timings_ms.values()) / 1000
    return f"Found {len(answer.passages)} passages in {seconds:.1f} s"


def render_search_details(msg: dict) -> None:
    """What the status box holds: where it searched and how a follow-up was read."""
    answer: Answer = msg["answer"]
    st.caption(f"Searched: {md(msg['scope'])}")
    if answer.search_query and answer.search_query != answer.question:
        st.caption(f"Follow-up read as: {md(answer.search_query)}")


def render_sources(msg: dict, service: Service) -> None:
    """One bordered card per citation: caption line, exact quote, and a 'View page' toggle."""
    answer: Answer = msg["answer"]
    st.markdown("**Sources**")
    for c in answer.citations:
        with st.container(border=True, key=f"source-{msg['id']}-{c.n}"):
            st.caption(f"**\\[{c.n}\\]** " + md(caption_line(c)))
            st.markdown("> " + md(c.quote))
            if st.toggle("View page", key=f"view-{msg['id']}-{c.n}"):
                render_page_view(c, answer, service)


def render_page_view(c: Citation, answer: Answer, service: Service) -> None:
    """The cited PDF page with the quote highlighted, or the passage for other formats."""
    path = service.source_path(c.doc_id)
    if path is not None and path.suffix.lower() == ".pdf":
        try:
            png = page_png(str(path), path.stat().st_mtime, c.page, c.quote)
        except (AssistantError, OSError) as exc:
            st.warning(md(f"The page cannot be shown: {exc}"))
            return
        except Exception:  # noqa: BLE001 - a damaged page must not break the conversation
            log.exception("rendering %s page %s failed", path, c.page)
            st.warning("The page cannot be shown; the details are in the server log.")
            return
        st.image(png, caption=md(f"{c.source}, page {c.page} (quote highlighted)"), alt=f"Page {c.page} of {c.source}")
        return
    passage = next((h.chunk for h in answer.passages if h.chunk.chunk_id == c.chunk_id), None)
    if path is None:
        st.caption("The original file is not kept in the index, so its page cannot be shown. The cited passage:")
    else:
        st.caption(md(f"{c.source} has no printed pages; the cited passage:"))
    if passage is not None:
        st.markdown(md(passage.text))


def render_searched(answer: Answer) -> None:
    """For a declined question: the passages that were searched, so the reader sees why."""
    if not answer.passages:
        return
    with st.expander("What was searched"):
        for hit in answer.passages:
            ch = hit.chunk
            where = " · ".join(p for p in (ch.title, ch.version, f"§{ch.section}" if ch.section else "", f"p. {ch.page_start}") if p)
            st.caption(md(f"{where} · score {hit.score:.2f}"))
            text = ch.text if len(ch.text) <= 400 else ch.text[:400].rsplit(" ", 1)[0] + " …"
            st.markdown(md(text))


def save_feedback(msg_id: str) -> None:
    """st.feedback callback: store the rating of one answer."""
    rating = st.session_state.get(f"feedback-{msg_id}")
    msg = next((m for m in st.session_state.messages if m.get("id") == msg_id), None)
    if rating is None or msg is None or msg.get("answer") is None:
        return
    answer: Answer = msg["answer"]
    chunk_ids = list(dict.fromkeys(c.chunk_id for c in answer.citations)) or [h.chunk.chunk_id for h in answer.passages]
    try:
        current_service().feedback.record(answer.question, answer.text, chunk_ids, rating)
    except AssistantError as exc:
        st.toast(md(f"Feedback not saved: {exc}"))
    else:
        st.toast("Thanks, your feedback was saved.")


def render_assistant(msg: dict, service: Service) -> None:
    """An answer as it stays in the history: status, text, sources (or what was searched),
    and the feedback thumbs."""
    if msg.get("error"):
        st.error(md(msg["error"]))
        return
    with st.status(status_label(msg), state="complete", expanded=False):
        render_search_details(msg)
    st.markdown(answer_markdown(msg["answer"]))
    render_after_text(msg, service)


def render_after_text(msg: dict, service: Service) -> None:
    """Notices, sources (or what was searched) and the feedback thumbs under an answer."""
    answer: Answer = msg["answer"]
    render_notices(answer)
    if answer.abstained or not answer.citations:
        render_searched(answer)
    else:
        render_sources(msg, service)
    st.feedback("thumbs", key=f"feedback-{msg['id']}", on_change=save_feedback, args=(msg["id"],))


def ask(question: str, service: Service, docs: list[DocumentInfo]) -> None:
    """Answer a new question: show it, search with a status box, stream the answer."""
    messages = st.session_state.messages
    history = [m["text"] for m in messages if m["role"] == "user"]
    doc_ids = st.session_state.get("filter_docs") or []
    versions = st.session_state.get("filter_versions") or []
    messages.append({"role": "user", "text": question})
    with st.chat_message("user"):
        st.markdown(md(question))
    msg = {"role": "assistant", "id": uuid.uuid4().hex, "answer": None, "error": None, "scope": scope_text(docs, doc_ids, versions)}
    with st.chat_message("assistant"):
        status = st.status("Searching the indexed documents…", expanded=False)
        spot = st.empty()
        try:
            items = service.ask_stream(question, history, doc_ids, versions)
            with spot:
                st.write_stream(_pieces(items, msg, status))
        except AssistantError as exc:
            msg["error"] = str(exc)
        except Exception:  # noqa: BLE001 - the edge: log it, tell the user plainly
            log.exception("answering failed")
            msg["error"] = "Something went wrong while answering; the details are in the server log."
        messages.append(msg)
        if msg["answer"] is None:
            msg["error"] = msg["error"] or "No answer came back; please ask again."
            status.update(label="Could not answer", state="error")
            spot.error(md(msg["error"]))
            return
        with status:
            render_search_details(msg)
        status.update(label=status_label(msg), state="complete")
        spot.markdown(answer_markdown(msg["answer"]))  # the checked text replaces the streamed one
        render_after_text(msg, service)


def _pieces(items, msg: dict, status):
    """The answer's text for st.write_stream as it is written (an answer that comes whole is
    paced word by word); the final Answer is kept in `msg`."""
    first = True
    for item in items:
        if isinstance(item, Answer):
            msg["answer"] = item
            continue
        if first:
            status.update(label="Writing the answer…")
            first = False
        yield from stream_words(item) if len(item) > 80 else [item]


def scope_text(docs: list[DocumentInfo], doc_ids: list[str], versions: list[str]) -> str:
    if not doc_ids and not versions:
        return "all documents"
    titles = {d.doc_id: f"{d.title} ({d.version})" if d.version else d.title for d in docs}
    parts = [", ".join(titles.get(i, i) for i in doc_ids)] if doc_ids else []
    if versions:
        parts.append("version " + ", ".join(versions))
    return "; ".join(parts)


# ------------------------------------------------------------------ sidebar


def sidebar(service: Service, docs: list[DocumentInfo], role: str):
    """Documents, filters, conversation controls and corpus management; returns the (empty)
    container for the export buttons, filled once this run's answer is in."""
    with st.sidebar:
        st.header("Documents")
        if docs:
            for d in docs:
                version = f"version {d.version}" if d.version else "no version"
                pages = f"{d.pages} page" + ("" if d.pages == 1 else "s")
                st.markdown(f"**{md(d.title)}**")
                st.caption(f"{md(version)} · {pages} · {md(d.source)}")
        else:
            st.caption("No documents are indexed yet.")
        render_filters(docs)

        st.subheader("Conversation")
        if st.button("New conversation", icon=":material/add_comment:", width="stretch"):
            st.session_state.messages = []
            st.rerun()
        exports = st.container()
        st.caption("Exports include every answer with its numbered sources and quotes.")

        with st.expander("Add or remove documents", icon=":material/library_add:", expanded=not docs):
            if role == "admin":
                manage_documents(service, docs)
            else:
                admin_login()
        # outside the panel, which closes once a document is indexed: the outcome stays in view
        # until the next upload or removal replaces it
        report = st.session_state.get("report", [])
        for kind, text in report:
            getattr(st, kind)(md(text))
        if report and st.button("Dismiss", key="dismiss-report"):
            st.session_state.pop("report", None)
            st.rerun()

        if "role" in st.session_state and st.button("Log out", icon=":material/logout:"):
            st.session_state.clear()
            st.rerun()
        if oidc_configured() and oidc_logged_in():
            st.button("Log out", key="oidc-logout", on_click=st.logout)
    return exports


def export_buttons() -> None:
    """Download the conversation with its citations as Markdown or Word."""
    turns = [m["answer"] for m in st.session_state.messages if m.get("answer") is not None]
    left, right = st.columns(2)
    left.download_button(
        "Markdown", data=conversation_markdown(turns) if turns else "", file_name="conversation.md",
        mime="text/markdown", disabled=not turns, icon=":material/download:", on_click="ignore", width="stretch",
    )
    right.download_button(
        "Word", data=conversation_docx(turns) if turns else b"", file_name="conversation.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        disabled=not turns, icon=":material/download:", on_click="ignore", width="stretch",
    )


def render_filters(docs: list[DocumentInfo]) -> None:
    """Multiselects for documents and versions; their values are read by ask()."""
    if not docs:
        return
    st.subheader("Search only in")
    titles = {d.doc_id: f"{d.title} ({d.version})" if d.version else d.title for d in docs}
    versions = sorted({d.version for d in docs if d.version})
    # drop choices whose document has been removed since they were made
    st.session_state.filter_docs = [i for i in st.session_state.get("filter_docs", []) if i in titles]
    st.session_state.filter_versions = [v for v in st.session_state.get("filter_versions", []) if v in versions]
    st.multiselect("Documents", options=list(titles), format_func=titles.get, key="filter_docs", placeholder="All documents")
    st.multiselect("Versions", options=versions, key="filter_versions", placeholder="All versions")


def admin_login() -> None:
    st.caption("Only administrators can add or remove documents.")
    with st.form("admin-login"):
        given = st.text_input("Administrator password", type="password")
        if st.form_submit_button("Log in as administrator"):
            if _matches(given, os.environ.get("JDD_UI_ADMIN_PASSWORD", "")):
                st.session_state.role = "admin"
                st.rerun()
            time.sleep(1)
            st.error("That password is not right.")


def manage_documents(service: Service, docs: list[DocumentInfo]) -> None:
    """Upload files into the index and remove documents from it."""
    limit_mb = upload_limit_mb()
    st.session_state.setdefault("uploader", 0)
    files = st.file_uploader(
        "Add documents",
        type=[s[1:] for s in ALLOWED_SUFFIXES],
        accept_multiple_files=True,
        key=f"uploader-{st.session_state.uploader}",
        max_upload_size=limit_mb,
        help=f"PDF, DOCX, HTML, Markdown or plain text, up to {limit_mb} MB each. A file with the "
        "same name as an indexed one replaces it.",
    )
    if files and st.button("Add to the index", type="primary", icon=":material/upload:"):
        add_uploads(service, files, limit_mb)

    if docs:
        titles = {d.doc_id: f"{d.title} ({d.version})" if d.version else d.title for d in docs}
        chosen = st.selectbox("Remove a document", options=list(titles), format_func=titles.get, index=None, placeholder="Choose a document")
        if chosen and st.button("Remove…", icon=":material/delete:"):
            st.session_state.confirm_remove = chosen
        pending = st.session_state.get("confirm_remove")
        if pending in titles:
            st.warning(md(f"Remove {titles[pending]} from the index? Answers will no longer cite it; you can add the file again later."))
            yes, no = st.columns(2)
            if yes.button("Yes, remove", type="primary"):
                remove_document(service, pending)
            if no.button("Cancel"):
                st.session_state.pop("confirm_remove", None)
                st.rerun()


def add_uploads(service: Service, files, limit_mb: int) -> None:
    """Ingest the uploads with a progress bar (each checked by its content first, see
    Assistant.ingest_uploads) and report every file's outcome."""
    report: list[tuple[str, str]] = []
    bar = st.progress(0.0, text="Preparing…")

    def progress(name: str, done: int, total: int) -> None:
        text = f"Indexing {name} ({done + 1} of {total})…" if name else "Done"
        bar.progress(done / total if total else 1.0, text=text)

    try:
        results = service.assistant.ingest_uploads([(f.name, f.getvalue()) for f in files], limit_mb * MEGABYTE, progress=progress)
    except AssistantError as exc:
        results = []
        report.append(("error", f"Nothing was added: {exc}"))
    for r in results:
        if r.status == "failed":
            report.append(("error", f"Not added: {r.error}."))
        elif r.status == "unchanged":
            report.append(("info", f"{Path(r.path).name} is already in the index, unchanged."))
        else:
            report.append(("success", f"{Path(r.path).name} {r.status}: {r.pages} pages, {r.chunks} passages."))
    st.session_state.report = report
    st.session_state.uploader += 1  # a fresh, empty uploader
    st.rerun()


def remove_document(service: Service, doc_id: str) -> None:
    st.session_state.pop("confirm_remove", None)
    try:
        info = service.assistant.remove(doc_id)
    except AssistantError as exc:
        st.session_state.report = [("error", f"Not removed: {exc}")]
    else:
        st.session_state.report = [("success", f"Removed {info.title} ({info.chunks} passages).")]
    st.rerun()


# ------------------------------------------------------------------ page


def use_example() -> None:
    """Pills callback: ask the chosen example question on this rerun."""
    st.session_state.pending_question = st.session_state.example
    st.session_state.example = None


def empty_state(docs: list[DocumentInfo]) -> None:
    """What a first-time visitor sees: what to ask, and how to add the official documents."""
    st.markdown(
        "Ask a question about the **Joint Due Diligence Standard (JDD)**, the **Copper Mark** criteria "
        "or their guidance. Every answer is made of sentences quoted from the indexed documents, each "
        "with a numbered source (document, version, clause and page) that you can open at the cited "
        "page. When the documents do not cover a question, the assistant says so instead of guessing."
    )
    if docs:
        st.pills(
            "Try one of these, or type your own question below:",
            EXAMPLE_QUESTIONS,
            key="example",
            on_change=use_example,
        )
    with st.container(border=True):
        st.markdown(
            ":material/menu_book: **Official documents.** The official JDD and Copper Mark PDFs are not "
            "bundled. Download them from the publishers' pages below, then add them under **Add or "
            "remove documents** in the sidebar (or with `jdd ingest PATH`). Answers then cite them "
            "with their page numbers."
        )
        for title, version, page in official_sources():
            link = page.replace("(", "%28").replace(")", "%29").replace(" ", "%20")
            st.markdown(f"- [{md(title)}]({link})" + (f" · {md(version)}" if version else ""))


@st.cache_data(show_spinner=False)
def official_sources() -> list[tuple[str, str, str]]:
    """(title, version, landing page) of the official documents in corpus/sources.toml."""
    path = Path(_HERE).parent / "corpus" / "sources.toml"
    try:
        sources = load_sources(path)
    except AssistantError:
        log.exception("the manifest of official documents cannot be read")
        return []
    return [(s.title, s.version, s.landing_page) for s in sources if s.landing_page.startswith("https://")]


def main() -> None:
    st.set_page_config(page_title="Standards assistant", page_icon=":material/verified:", layout="centered")
    role = require_login()
    st.session_state.setdefault("messages", [])
    try:
        service = current_service()
        docs = service.documents()
    except AssistantError as exc:
        st.error(md(f"The index cannot be opened: {exc}"))
        st.stop()
    except Exception as exc:  # noqa: BLE001 - e.g. a malformed JDD_ setting
        log.exception("the assistant could not start")
        st.error(md(f"The assistant could not start: {exc}"))
        st.stop()

    chat = st.Page(lambda: chat_page(service, docs, role), title="Chat", icon=":material/chat:", url_path="chat", default=True)
    training = st.Page(
        lambda: training_page.render(service.assistant, docs), title="Training and checklists", icon=":material/school:", url_path="training"
    )
    evaluation = st.Page(
        lambda: evaluation_page.render(service.assistant, role), title="Evaluation", icon=":material/monitoring:", url_path="evaluation"
    )
    st.navigation([chat, training, evaluation]).run()


def chat_page(service: Service, docs: list[DocumentInfo], role: str) -> None:
    """The conversation: sidebar with documents, filters, exports and corpus management."""
    exports = sidebar(service, docs, role)
    st.title(APP_TITLE)
    st.caption("Cited answers from the JDD, the Copper Mark criteria and their guidance")
    placeholder = "Ask about a clause, a requirement or a deadline…" if docs else "Add a document first (sidebar)"
    question = st.chat_input(placeholder, disabled=not docs) or st.session_state.pop("pending_question", None)
    question = (question or "").strip()
    if not st.session_state.messages and not question:
        empty_state(docs)
    for msg in st.session_state.messages:
        with st.chat_message(msg["role"]):
            if msg["role"] == "user":
                st.markdown(md(msg["text"]))
            else:
                render_assistant(msg, service)
    if question:
        ask(question, service, docs)
    with exports:
        export_buttons()


main()
