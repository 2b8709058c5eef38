"""Each bad input gives its message and leaves the index exactly as it was."""

import pytest

from assistant.cli import main
from conftest import index_state
from pdf_factory import (
    make_encrypted_pdf,
    make_html_named_pdf,
    make_image_only_pdf,
    make_standard_pdf,
    make_truncated_pdf,
)


def _zero(path, _src):
    path.write_bytes(b"")


def _truncated(path, src):
    make_truncated_pdf(src, path)


def _non_utf8(path, _src):
    path.write_bytes("R\u00e8gles de diligence raisonnable: \u00e9t\u00e9 2021.".encode("latin-1"))


BAD = [
    ("empty.pdf", _zero, "empty"),
    ("cut.pdf", _truncated, "truncated or damaged"),
    ("locked.pdf", lambda p, s: make_encrypted_pdf(p), "encrypted"),
    ("scan.pdf", lambda p, s: make_image_only_pdf(p), "no text layer (scanned?)"),
    ("page.pdf", lambda p, s: make_html_named_pdf(p), "is named .pdf but is an HTML page"),
    ("notes.txt", _non_utf8, "not UTF-8"),
]


@pytest.mark.parametrize("name, maker, message", BAD, ids=[b[0] for b in BAD])
def test_bad_file_changes_nothing(fresh, sample_pdf, tmp_path, name, maker, message):
    fresh.ingest([sample_pdf.path])
    before = index_state(fresh)
    path = tmp_path / name
    maker(path, sample_pdf.path)
    (result,) = fresh.ingest([path])
    assert result.status == "failed"
    assert message in result.error and name in result.error
    assert index_state(fresh) == before


def test_bad_file_replacing_a_good_one_keeps_the_good_one(fresh, sample_pdf, tmp_path):
    path = tmp_path / "widget_standard.pdf"
    path.write_bytes(sample_pdf.path.read_bytes())
    fresh.ingest([path])
    before = index_state(fresh)
    make_truncated_pdf(sample_pdf.path, path)  # same name, now broken
    (result,) = fresh.ingest([path])
    assert result.status == "failed"
    assert index_state(fresh) == before


def test_folder_with_good_and_bad_files(tmp_path, capsys, sample_pdf):
    folder = tmp_path / "docs"
    folder.mkdir()
    make_standard_pdf(folder / "good_one.pdf")
    (folder / "good_two.md").write_text("# Notes\n\n## 1 Scope\n\nThese notes cover widgets.\n", encoding="utf-8")
    make_encrypted_pdf(folder / "locked.pdf")
    (folder / "empty.txt").write_bytes(b"")
    index = tmp_path / "index"
    code = main(["--index", str(index), "ingest", "-q", str(folder)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "locked.pdf" in err and "encrypted" in err
    assert "empty.txt" in err and "empty" in err
    assert "2 added" in out and "2 failed" in out
    main(["--index", str(index), "docs", "--json"])
    import json

    docs = json.loads(capsys.readouterr().out)
    assert sorted(d["doc_id"] for d in docs) == ["good-one", "good-two"]


def test_missing_path_is_reported(tmp_path, capsys):
    code = main(["--index", str(tmp_path / "i"), "ingest", "-q", str(tmp_path / "nope.pdf")])
    assert code == 1
    assert "nope.pdf" in capsys.readouterr().err
