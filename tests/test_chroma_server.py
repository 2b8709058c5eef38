"""The store against a real Chroma server (`chroma run` on 127.0.0.1, started here) as well as
the local folder: the same answers either way, and two instances on one server (each with its
own cache folder) see the same documents."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import free_port, index_state, make_assistant

CHROMA = Path(sys.executable).with_name("chroma")



@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, "chroma run stopped"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            assert time.monotonic() < deadline, "chroma run did not start in 60 s"
            time.sleep(0.3)
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def _remote(folder: Path, port: int, collection: str):
    return make_assistant(folder, chroma_host="127.0.0.1", chroma_port=port, collection=collection)


QUESTION = "How often must the supplier risk assessment be updated?"


def test_a_server_index_answers_as_the_local_folder_does(server, tmp_path, sample_pdf):
    local = make_assistant(tmp_path / "local")
    remote = _remote(tmp_path / "remote", server, "same-answers")
    for assistant in (local, remote):
        assert assistant.ingest([sample_pdf.path])[0].status == "added"
    assert remote.ask(QUESTION).to_json()["answer"] == local.ask(QUESTION).to_json()["answer"]
    assert [h.chunk.chunk_id for h in remote.search("grievance register")] == [h.chunk.chunk_id for h in local.search("grievance register")]
    state_local, state_remote = index_state(local), index_state(remote)
    assert state_local["documents"] == state_remote["documents"] and state_local["chroma"] == state_remote["chroma"]


def test_two_instances_on_one_server_see_the_same_documents(server, tmp_path, sample_pdf):
    first = _remote(tmp_path / "first", server, "shared")
    first.ingest([sample_pdf.path])
    second = _remote(tmp_path / "second", server, "shared")  # another machine: an empty cache
    assert [d.doc_id for d in second.documents()] == ["widget-standard"]
    assert second.ask(QUESTION).text == first.ask(QUESTION).text
    notes = tmp_path / "notes.md"
    notes.write_text(
        "# Site notes\n\n## 1 Visitor notes\n\nEvery site shall keep notes of each visitor. Visitor notes shall be kept "
        "for two years from the date of the visit.\n",
        encoding="utf-8",
    )
    second.ingest([notes])
    time.sleep(1.1)  # an instance asks the server for changes at most once a second
    assert sorted(d.doc_id for d in first.documents()) == ["notes", "widget-standard"]
    assert "two years" in first.ask("How long must visitor notes be kept?").text
    first.remove("notes")
    time.sleep(1.1)
    assert [d.doc_id for d in second.documents()] == ["widget-standard"]


def test_a_lost_cache_is_rebuilt_from_the_server(server, tmp_path, sample_pdf):
    import shutil

    original = _remote(tmp_path / "cache", server, "rebuilt")
    original.ingest([sample_pdf.path])
    before = original.ask(QUESTION).text
    shutil.rmtree(tmp_path / "cache")
    again = _remote(tmp_path / "cache", server, "rebuilt")
    assert again.ask(QUESTION).text == before
    assert again.store.sidecar_file("bm25").exists()
