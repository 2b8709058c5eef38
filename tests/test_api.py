"""The HTTP API: the answer contract, sessions, keys, uploads with the UI's checks, a refusal to
listen openly without keys, property-based requests from the OpenAPI schema (schemathesis), and
8 concurrent clients getting the answers a sequential run gets."""

from __future__ import annotations

import json
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings as hypothesis_settings

from assistant.api import Sessions, check_bind, create_app
from assistant.errors import AssistantError
from conftest import index_state, make_assistant
from pdf_factory import make_html_named_pdf

QUESTIONS = [json.loads(line)["question"] for line in open("evals/questions_widget.jsonl", encoding="utf-8")]


@pytest.fixture(scope="module")
def copy_of_index(tmp_path_factory, sample_pdf):
    assistant = make_assistant(tmp_path_factory.mktemp("api") / "index")
    assert assistant.ingest([sample_pdf.path])[0].status == "added"
    return assistant


@pytest.fixture(scope="module")
def open_client(copy_of_index):
    return TestClient(create_app(copy_of_index))


def test_ask_returns_the_answer_object_and_a_session_carries_follow_ups(open_client):
    first = open_client.post("/ask", json={"question": "How often must the supplier risk assessment be updated?", "session": "s1"})
    assert first.status_code == 200
    data = first.json()
    assert "18 months" in data["answer"] and data["citations"] and data["answerer"] == "extractive"
    follow = open_client.post("/ask", json={"question": "and who approves it?", "session": "s1"}).json()
    assert follow["search_query"] != "and who approves it?"  # read with the session's earlier question
    alone = open_client.post("/ask", json={"question": "and who approves it?"}).json()
    assert alone["search_query"] == "and who approves it?"


def test_bad_questions_get_a_clear_4xx(open_client):
    assert open_client.post("/ask", json={"question": ""}).status_code == 422
    reply = open_client.post("/ask", json={"question": " \f\u0085\u200b"})  # blanks and invisible characters only
    assert reply.status_code == 400 and reply.json()["detail"] == "the question is empty"
    assert open_client.post("/ask", json={"question": "x" * 50_000}).status_code == 422
    assert open_client.post("/ask", json={"question": "?!"}).status_code in (200, 400)
    reply = open_client.post("/ask", json={"question": "records?", "doc": "no-such-doc"})
    assert reply.status_code == 404 and "no document 'no-such-doc'" in reply.json()["detail"]
    reply = open_client.post("/ask", json={"question": "records?", "doc_version": "9.9"})
    assert reply.status_code == 404 and "no document of version '9.9'" in reply.json()["detail"]
    assert open_client.post("/ask", content=b"not json", headers={"content-type": "application/json"}).status_code == 422


def test_documents_list_upload_and_remove(tmp_path, sample_pdf):
    assistant = make_assistant(tmp_path / "index")
    client = TestClient(create_app(assistant))
    assert client.get("/health").json() == {"status": "ok", "documents": 0}
    files = [
        ("files", ("site policy.md", b"# Site policy\n\nVersion: 1.0\n\n## 1 Scope\n\nThe policy covers every smelter.\n", "text/markdown")),
        ("files", ("standard.pdf", make_html_named_pdf(tmp_path / "x.pdf").read_bytes(), "application/pdf")),
    ]
    results = client.post("/documents", files=files).json()
    assert [r["status"] for r in results] == ["added", "failed"]
    assert results[0]["path"] == "site policy.md" and "not a PDF" in results[1]["error"]
    assert [d["doc_id"] for d in client.get("/documents").json()] == ["site-policy"]
    assert client.delete("/documents/site-policy").json()["doc_id"] == "site-policy"
    missing = client.delete("/documents/site-policy")
    assert missing.status_code == 404 and "no document" in missing.json()["detail"]


def test_keys_guard_asking_and_changing_the_corpus(copy_of_index, tmp_path):
    client = TestClient(create_app(copy_of_index, api_key="ask-key", admin_key="admin-key"))
    question = {"question": "How often must the supplier risk assessment be updated?"}
    assert client.post("/ask", json=question).status_code == 401
    assert client.post("/ask", json=question, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/ask", json=question, headers={"Authorization": "Bearer ask-key"}).status_code == 200
    before = index_state(copy_of_index)
    assert client.delete("/documents/widget-standard", headers={"Authorization": "Bearer ask-key"}).status_code == 403
    files = [("files", ("a.md", b"# A\n\ntext\n", "text/markdown"))]
    assert client.post("/documents", files=files).status_code == 401
    assert index_state(copy_of_index) == before
    ask_only = TestClient(create_app(copy_of_index, api_key="ask-key"))
    refused = ask_only.delete("/documents/widget-standard", headers={"Authorization": "Bearer ask-key"})
    assert refused.status_code == 403 and "JDD_API_ADMIN_KEY" in refused.json()["detail"]


def test_without_keys_the_api_listens_on_this_machine_only():
    check_bind("127.0.0.1", "", "")
    with pytest.raises(AssistantError, match="refusing to listen on 0.0.0.0 without keys"):
        check_bind("0.0.0.0", "", "")
    check_bind("0.0.0.0", "k", "")


def test_sessions_are_bounded_and_forget_idle_ones():
    sessions = Sessions(limit=2, turns=3, idle_s=60)
    for i in range(5):
        sessions.add("a", f"q{i}")
    assert sessions.history("a") == ["q2", "q3", "q4"]
    sessions.add("b", "x")
    sessions.add("c", "y")
    assert sessions.history("a") == []  # the least recently used went first
    sessions.idle_s = 0
    time.sleep(0.01)
    assert sessions.history("c") == []


def test_the_openapi_schema_holds_under_property_based_requests(copy_of_index):
    before = index_state(copy_of_index)
    app = create_app(copy_of_index, api_key="ask-key", admin_key="admin-key")
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = []
    for operation in schema.get_all_operations():
        op = operation.ok()
        if op.method.upper() != "GET" and op.path != "/ask":
            continue  # corpus changes are tested above; here the index must stay as it is

        @hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=op.as_strategy())
        def check(case):
            response = case.call(headers={"Authorization": "Bearer ask-key"})
            if response.status_code >= 500:
                failures.append((op.path, response.status_code, response.text[:200]))
            # schemathesis' checks: no server error, status, content type and body as the schema says. Not
            # "schema-valid data is accepted": a question of blanks and invisible characters ("\f\u0085") is
            # valid for a schema, which cannot say "not blank once normalised", and is refused with a 400
            # and a clear message (test_bad_questions_get_a_clear_4xx)
            case.validate_response(response, excluded_checks=[positive_data_acceptance])

        check()
    assert failures == []
    assert index_state(copy_of_index) == before


def test_eight_concurrent_clients_get_the_answers_of_a_sequential_run(open_client):
    questions = (QUESTIONS * 20)[:200]
    expected = {q: open_client.post("/ask", json={"question": q}).json()["answer"] for q in set(questions)}

    def ask(question):
        started = time.perf_counter()
        reply = open_client.post("/ask", json={"question": question})
        return question, reply.status_code, reply.json().get("answer"), (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(ask, questions))
    assert [r for r in results if r[1] != 200] == []
    assert [q for q, _, answer, _ in results if answer != expected[q]] == []
    latencies = sorted(r[3] for r in results)
    p95 = latencies[int(0.95 * len(latencies)) - 1]
    print(f"\n8 clients, 200 questions: p50 {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms")


def test_an_ingest_running_while_people_ask_does_not_stop_them(tmp_path, sample_pdf):
    import threading

    assistant = make_assistant(tmp_path / "index")
    assistant.ingest([sample_pdf.path])
    client = TestClient(create_app(assistant))
    big = tmp_path / "big.md"
    big.write_text("# Big\n\n" + "\n\n".join(f"## {i} Part\n\nThe site shall keep record {i} for {i} days." for i in range(1, 400)), encoding="utf-8")
    done = threading.Event()
    answered = []

    def ingest():
        assistant.ingest([big])
        done.set()

    worker = threading.Thread(target=ingest)
    worker.start()
    while not done.is_set():
        reply = client.post("/ask", json={"question": "How often must the supplier risk assessment be updated?"})
        answered.append(reply.status_code)
    worker.join()
    assert answered and set(answered) == {200}
    assert len(answered) >= 3, "questions were answered while the ingest ran"
