# Two commands set everything up: `make run` and `make test` (both run `make setup` first).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JDD    := $(VENV)/bin/jdd
INDEX  ?= index
CORPUS ?= corpus/guide/jdd_orientation_guide.pdf
export HF_HUB_OFFLINE := 1

.PHONY: setup setup-dev run chat index test bench eval eval-real corpus browser clean

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e .
	@# byte-compile once: this machine sets PYTHONDONTWRITEBYTECODE, which would make every start slow
	$(PY) -m compileall -q -j 0 $(VENV)/lib > /dev/null 2>&1 || true
	$(JDD) model prepare
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	$(PY) -m compileall -q -j 0 $(VENV)/lib > /dev/null 2>&1 || true
	touch $@

# Build the index from the starter corpus the first time; reuse it afterwards.
index: setup
	@test -f $(INDEX)/catalog.json || $(JDD) --index $(INDEX) ingest $(CORPUS)

# The chat UI on http://127.0.0.1:8501 (the terminal chat: make chat).
run: index
	JDD_INDEX_DIR=$(INDEX) $(VENV)/bin/streamlit run ui/app.py --server.address 127.0.0.1 --server.port 8501 \
		--server.headless true --browser.gatherUsageStats false --client.toolbarMode minimal

chat: index
	$(JDD) --index $(INDEX) chat

# Debian's Chromium for the end-to-end UI test (Playwright drives it; its own browser download
# does not work offline).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: setup-dev browser
	$(PY) -m pytest -q

bench: setup-dev
	$(JDD) bench

eval: setup-dev
	$(PY) -m evals.run

# The dev set with the real public texts as well (their text must be in evals/.cache/real:
# see evals/real_sources.md). The PDFs are typeset with DejaVu fonts.
eval-real: setup-dev
	@test -d /usr/share/fonts/truetype/dejavu || { apt-get update -qq && apt-get install -y -qq fonts-dejavu-core >/dev/null; }
	$(PY) -m evals.run --real --show none

# Rebuild the starter guide's PDF from its Markdown source (the PDF is committed).
corpus: setup-dev
	$(PY) corpus/build_guide_pdf.py

clean:
	rm -rf $(VENV) $(INDEX)/chroma $(INDEX)/bm25 $(INDEX)/*.json $(INDEX)/*.jsonl
