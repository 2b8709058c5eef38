# Two commands set everything up: `make run` and `make test` (both run `make setup` first).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JDD    := $(VENV)/bin/jdd
INDEX  ?= index
CORPUS ?= corpus/guide/jdd_orientation_guide.pdf
export HF_HUB_OFFLINE := 1

.PHONY: setup setup-dev run chat index test bench eval corpus clean

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

run: index
	$(JDD) --index $(INDEX) chat

test: setup-dev
	$(PY) -m pytest -q

bench: setup-dev
	$(JDD) bench

eval: setup-dev
	$(PY) -m evals.run

# Rebuild the starter guide's PDF from its Markdown source (the PDF is committed).
corpus: setup-dev
	$(PY) corpus/build_guide_pdf.py

clean:
	rm -rf $(VENV) $(INDEX)/chroma $(INDEX)/bm25 $(INDEX)/*.json $(INDEX)/*.jsonl
