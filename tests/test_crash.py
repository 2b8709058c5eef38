"""Crash safety: an ingest killed (SIGKILL) at random moments leaves the index either as it was
or complete with the new documents, never in between; the next ingest completes; two ingests at
once both finish with the complete index."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JDD = [sys.executable, "-m", "assistant.cli"]

SNAPSHOT = textwrap.dedent(
    """
    import hashlib, json, sys
    from assistant.service import Assistant
    from assistant.settings import Settings
    store = Assistant(Settings(index_dir=sys.argv[1])).store   # opening repairs an interrupted write
    ids = store.chroma_ids() if store.documents else set()
    sidecar = [json.loads(line)["chunk_id"] for line in open(store.sidecar_file("chunks"))] if store.documents else []
    print(json.dumps({
        "documents": sorted((d.doc_id, d.content_hash, d.pages, d.chunks) for d in store.documents.values()),
        "chroma": hashlib.sha256("\\n".join(sorted(ids)).encode()).hexdigest(),
        "chroma_count": len(ids),
        "sidecar": sidecar,
        "vectors": int(store.sidecar_file("vectors").exists() and len(__import__("numpy").load(store.sidecar_file("vectors")))),
        "pending": (store.root / ".pending").exists(),
    }))
    """
)


def snapshot(index: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", SNAPSHOT, str(index)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    state = json.loads(out.stdout)
    windows = state.pop("vectors")
    assert not state.pop("pending"), "an interrupted write was not repaired"
    assert state["chroma_count"] == windows, "Chroma and the saved vectors disagree"
    return state


def ingest(index: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen([*JDD, "--index", str(index), "ingest", "-q", str(folder)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def states(tmp_path_factory, sample_pdf):
    """A pristine index (the widget standard), a folder of new documents (one replacing the
    widget standard), and the snapshots before and after a complete ingest of the folder."""
    work = tmp_path_factory.mktemp("crash")
    pristine = work / "pristine"
    subprocess.run([*JDD, "--index", str(pristine), "ingest", "-q", str(sample_pdf.path)], cwd=ROOT, check=True, capture_output=True)
    folder = work / "new"
    folder.mkdir()
    for i in range(3):
        body = "\n\n".join(f"## {k} Part {k}\n\nThe site shall keep register {i}-{k} for {k + 2} years and report it to the board." for k in range(1, 120))
        (folder / f"policy_{i}.md").write_text(f"# Policy {i}\n\nVersion: 1.{i}\n\n{body}\n", encoding="utf-8")
    changed = folder / "widget_standard.md"  # same id as the indexed PDF: a replacement
    changed.write_text("# Responsible Widget Sourcing Standard\n\n## 1 Scope\n\nThe site shall keep records for seven years.\n", encoding="utf-8")
    complete = work / "complete"
    shutil.copytree(pristine, complete)
    started = time.monotonic()
    assert ingest(complete, folder).wait(timeout=300) == 0
    seconds = time.monotonic() - started
    return {"pristine": pristine, "folder": folder, "before": snapshot(pristine), "after": snapshot(complete), "seconds": seconds, "work": work}


def test_an_ingest_killed_at_random_moments_leaves_the_old_index_or_the_complete_new_one(states):
    before, after = states["before"], states["after"]
    assert before != after and len(after["documents"]) == 4
    rng = random.Random(20261130)
    index = states["work"] / "killed"
    seen = {"before": 0, "after": 0}
    kills = 0
    while kills < 20:
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(states["pristine"], index)
        proc = ingest(index, states["folder"])
        time.sleep(rng.uniform(0.3, states["seconds"] * 1.1))
        if proc.poll() is None:
            proc.kill()
            kills += 1
        proc.wait()
        state = snapshot(index)
        assert state in (before, after), f"kill {kills}: the index is neither the old nor the complete new one"
        seen["before" if state == before else "after"] += 1
        # and the next ingest completes
        if kills % 5 == 0:
            assert ingest(index, states["folder"]).wait(timeout=300) == 0
            assert snapshot(index) == after
    print(f"\n{kills} kills: {seen['before']} left the old index, {seen['after']} the complete new one")


def test_two_ingests_at_once_both_finish_with_the_complete_index(states):
    index = states["work"] / "twice"
    shutil.copytree(states["pristine"], index)
    first, second = ingest(index, states["folder"]), ingest(index, states["folder"])
    assert first.wait(timeout=300) == 0 and second.wait(timeout=300) == 0, (first.stderr.read(), second.stderr.read())
    assert snapshot(index) == states["after"]


def test_a_write_interrupted_after_chroma_changed_is_repaired_on_the_next_open(states):
    """The state a kill between the Chroma write and the commit leaves, made by hand: vectors
    of a document that was never committed, committed vectors deleted, a half-written
    generation's files and the pending mark. Opening the index puts it back as committed."""
    index = states["work"] / "interrupted"
    shutil.copytree(states["pristine"], index)
    script = textwrap.dedent(
        """
        import sys, numpy as np
        from assistant.settings import Settings
        from assistant.store import Store
        store = Store(Settings(index_dir=sys.argv[1]))
        ids = store.collection.get(include=[], limit=5)["ids"]
        store.collection.delete(ids=ids[:3])
        store.collection.add(ids=["ghost:1:00000"], embeddings=[np.ones(384).tolist()], metadatas=[{"doc_id": "ghost", "window": 0}], documents=["x"])
        (store.root / "chunks-20990101000000-1-abcdef.jsonl").write_text("half")
        (store.root / ".pending").write_text("1")
        """
    )
    subprocess.run([sys.executable, "-c", script, str(index)], cwd=ROOT, check=True, capture_output=True, timeout=120)
    assert snapshot(index) == states["before"]
    assert not list(index.glob("chunks-2099*"))
