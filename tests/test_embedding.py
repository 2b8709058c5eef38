"""The ONNX export gives the packaged sentence-transformers model's vectors, offline."""

import numpy as np

from assistant.embedding import Embedder
from assistant.settings import Settings

TEXTS = [
    "5.2.3 Supplier risk assessment\nThe site shall assess every active supplier at least every 18 months.",
    "Records shall be kept for seven years.",
    "What is the capital of France?",
]


def test_onnx_export_matches_sentence_transformers():
    reference = Embedder(Settings(embed_backend="torch")).encode(TEXTS)
    exact = Embedder(Settings(embed_backend="onnx", embed_quantize=False)).encode(TEXTS)
    quantized = Embedder(Settings()).encode(TEXTS)
    assert np.allclose(np.linalg.norm(exact, axis=1), 1.0, atol=1e-5)
    assert (exact * reference).sum(axis=1).min() > 0.999
    assert (quantized * reference).sum(axis=1).min() > 0.9
    # and the meaning survives quantization: the two standards sentences stay closest
    sims = quantized @ quantized.T
    assert sims[0, 1] > sims[0, 2]


def test_bulk_encoding_on_all_cores_gives_the_same_vectors():
    # fp32: with int8, dynamic quantization makes a vector depend slightly on its batch-mates
    embedder = Embedder(Settings(embed_batch=2, embed_quantize=False))
    texts = [f"{t} ({i})" for i in range(4) for t in TEXTS]  # six batches: the parallel path
    together = embedder.encode(texts)
    one_by_one = np.stack([embedder.encode([t])[0] for t in texts])
    assert np.allclose(together, one_by_one, atol=1e-4)


def test_a_sentence_embedded_for_an_answer_gets_the_same_vector_whatever_is_embedded_beside_it():
    # the int8 model scales activations per batch: batch-mates would change a sentence's vector,
    # and with it which sentence answers a question, depending on what was asked before
    long = "A much longer sentence about something else, with many more words, that pads the shorter ones in its batch."
    alone = Embedder(Settings()).encode_cached([TEXTS[0]], max_tokens=64)[0]
    beside = Embedder(Settings()).encode_cached([long, TEXTS[0], TEXTS[2]], max_tokens=64)[1]
    assert np.array_equal(alone, beside)
