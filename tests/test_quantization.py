"""The int8 word tagger (``precision="int8"``) computes what the float graph computes.

Random weights of each encoder's shapes (no Keras: the graphs are built from
the arrays alone), on batches of padded sentences: the int8 graph's labels
are the float graph's on nearly every token and its probabilities are close,
while a quantized weight wired wrongly (the convolution's taps reversed, the
LSTM's recurrent kernels of the two directions swapped, the embedding's row
scales of other rows) moves them far outside the tolerances.
"""

import functools

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from onnx import numpy_helper  # noqa: E402

from sktag.architecture import GraphSpec, expected_weight_shapes  # noqa: E402
from sktag.onnx_graphs import (  # noqa: E402
    ALLOWED_OPS,
    INT8_OPS,
    MS_DOMAIN,
    OPSET,
    PRECISIONS,
    build_char_encoder,
    build_tagger,
    build_word_tagger,
)

N_VOCAB, N_CLASSES, MAX_CHARS, N_CHARS = 500, 8, 8, 30

SPECS = {
    "dense": GraphSpec("dense"),
    "dense-chars": GraphSpec("dense", char=True, max_chars=MAX_CHARS, char_classes=True),
    "conv2-chars": GraphSpec("conv", 2, char=True, max_chars=MAX_CHARS, char_classes=True),
    "bilstm1": GraphSpec("bilstm", 1),
    "bilstm2-chars": GraphSpec("bilstm", 2, char=True, max_chars=MAX_CHARS),
}


@functools.cache
def weights(name):
    """Random weights of the shapes ``build_model`` gives the spec, at a trained model's scale."""
    spec = SPECS[name]
    shapes = expected_weight_shapes(spec, n_vocab=N_VOCAB, n_classes=N_CLASSES, d_model=24,
                                    n_chars=N_CHARS, char_dim=4, hidden_dim=24)
    rng = np.random.default_rng(sorted(SPECS).index(name))
    out = {layer: [(rng.normal(size=s) / np.sqrt(s[-2] if len(s) > 1 else 4)).astype(np.float32)
                   for s in arrays] for layer, arrays in shapes.items()}
    if spec.char_classes:  # a 0/1 table, as CharVocabulary's
        out["char_classes"] = [(rng.random(shapes["char_classes"][0]) < 0.3).astype(np.float32)]
    out["tagger"][0] *= 4  # confident, as a trained tagger: few near-ties
    # Rows of very different norms (frequent and rare words): each needs its own scale.
    out["embedding"][0] *= np.exp(rng.uniform(-2, 2, size=(N_VOCAB, 1))).astype(np.float32)
    return out


@functools.cache
def sessions(name):
    spec, w = SPECS[name], weights(name)
    return tuple(ort.InferenceSession(build_word_tagger(spec, w, precision=p).SerializeToString(),
                                      providers=["CPUExecutionProvider"]) for p in PRECISIONS)


def feeds(name, shape, seed=0):
    """A batch of ``shape`` (sentences, length) with rows of decreasing length."""
    rng = np.random.default_rng(seed)
    ids = rng.integers(1, N_VOCAB, size=shape)
    for row in range(shape[0]):
        ids[row, max(1, shape[1] - 3 * row):] = 0  # padding on the right, as sktag writes
    out = {"token_ids": ids}
    if SPECS[name].char:
        width = sessions(name)[0].get_inputs()[1].shape[2]
        out["token_chars"] = np.abs(rng.normal(size=(*shape, width))).astype(np.float32)
    return out


@pytest.mark.parametrize("name", SPECS)
def test_int8_labels_and_probabilities_are_the_float_graphs(name):
    batch = feeds(name, (16, 40))
    real = batch["token_ids"] != 0
    exact, quantized = (s.run(None, batch)[0][real] for s in sessions(name))
    assert exact.shape == quantized.shape == (real.sum(), N_CLASSES)
    same = exact.argmax(1) == quantized.argmax(1)
    assert same.mean() >= 0.95, same.mean()
    top2 = np.sort(exact, axis=1)[:, -2:]
    assert same[top2[:, 1] - top2[:, 0] > 0.1].all()  # labels differ only at near-ties
    np.testing.assert_allclose(quantized, exact, rtol=0, atol=0.1)
    assert np.abs(quantized - exact).mean() < 0.005
    np.testing.assert_allclose(quantized.sum(1), 1, rtol=0, atol=1e-5)


@pytest.mark.parametrize("name", SPECS)
def test_a_sentence_alone_and_in_a_batch_get_the_same_labels(name):
    """The activations' scale is the batch's: a sentence's probabilities move a
    little with the other sentences of its batch (its labels only at near-ties)."""
    batch = feeds(name, (8, 30), seed=1)
    together = sessions(name)[1].run(None, batch)[0]
    n = int((batch["token_ids"][0] != 0).sum())
    alone = sessions(name)[1].run(None, {k: v[:1, :n] for k, v in batch.items()})[0][0]
    np.testing.assert_array_equal(alone.argmax(1), together[0, :n].argmax(1))
    np.testing.assert_allclose(alone, together[0, :n], rtol=0, atol=0.1)


@pytest.mark.parametrize("name", SPECS)
@pytest.mark.parametrize("shape", [(0, 5), (3, 0), (0, 0), (1, 1)])
def test_empty_batches_and_one_token(name, shape):
    batch = feeds(name, shape)
    exact, quantized = (s.run(None, batch)[0] for s in sessions(name))
    assert quantized.shape == exact.shape == (*shape, N_CLASSES)
    np.testing.assert_allclose(quantized, exact, rtol=0, atol=0.1)


@pytest.mark.parametrize("name", ["conv2-chars", "bilstm2-chars", "dense"])
def test_the_int8_graph_is_valid_onnx_with_int8_weights(name):
    spec, w = SPECS[name], weights(name)
    exact = build_word_tagger(spec, w).SerializeToString()
    model = onnx.load_from_string(build_word_tagger(spec, w, precision="int8").SerializeToString())
    onnx.checker.check_model(model, full_check=True)
    assert [(o.domain, o.version) for o in model.opset_import] == [("", OPSET), (MS_DOMAIN, 1)]
    ops = {(n.domain, n.op_type) for n in model.graph.node}
    assert {op for domain, op in ops if domain == ""} <= ALLOWED_OPS
    assert {op for domain, op in ops if domain} <= INT8_OPS
    assert (MS_DOMAIN, "DynamicQuantizeMatMul") in ops  # the output layer
    assert ((MS_DOMAIN, "DynamicQuantizeLSTM") in ops) == (spec.encoder == "bilstm")
    assert {p.key: p.value for p in model.metadata_props}["sktag.precision"] == "int8"
    arrays = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    floats = sum(a.nbytes for a in arrays.values() if a.dtype == np.float32)
    int8 = sum(a.nbytes for a in arrays.values() if a.dtype == np.int8)
    # Every large weight is held once, in int8; the floats left are scales and biases.
    assert arrays["embedding.embeddings_int8"].shape == w["embedding"][0].shape
    assert floats < 0.2 * int8
    assert len(model.SerializeToString()) < 0.4 * len(exact)


def test_the_whole_int8_graph_is_the_char_encoder_and_the_int8_word_tagger():
    name = "conv2-chars"
    spec, w = SPECS[name], weights(name)
    rng = np.random.default_rng(2)
    char_ids = rng.integers(0, N_CHARS, size=(4, 9, MAX_CHARS))
    token_ids = rng.integers(1, N_VOCAB, size=(4, 9))
    token_ids[1:, 6:] = 0

    def run(model, **inputs):
        session = ort.InferenceSession(model.SerializeToString(),
                                       providers=["CPUExecutionProvider"])
        return session.run(None, inputs)[0]

    features = run(build_char_encoder(spec, w), char_ids=char_ids.reshape(-1, MAX_CHARS))
    parts = run(build_word_tagger(spec, w, precision="int8"), token_ids=token_ids,
                token_chars=features.reshape(4, 9, -1))
    whole = run(build_tagger(spec, w, precision="int8"), token_ids=token_ids, char_ids=char_ids)
    np.testing.assert_allclose(whole, parts, rtol=0, atol=1e-6)


@pytest.mark.parametrize("builder", [build_word_tagger, build_tagger])
def test_an_unknown_precision_is_refused(builder):
    with pytest.raises(ValueError, match=r"precision must be one of \('float32', 'int8'\)"):
        builder(SPECS["dense"], weights("dense"), precision="float16")


# ----------------------------------------------------------------------
# the estimator's precision parameter
# ----------------------------------------------------------------------
def test_token_tagger_precision_int8_predicts_like_float32_and_switches_after_fit(tmp_path):
    import sktag
    from sktag import TokenTagger

    X = [["the", "cat", "sat", "down"], ["a", "dog", "ran", "off"], ["the", "dog", "sat"]] * 15
    y = [["D", "N", "V", "P"], ["D", "N", "V", "P"], ["D", "N", "V"]] * 15
    tagger = TokenTagger(encoder="conv", d_model=8, hidden_dim=8, epochs=15,
                         learning_rate=0.05, random_state=0).fit(X, y)
    float_proba = tagger.predict_proba(X[:3])
    assert tagger._prediction_path().precision == "float32"
    tagger.set_params(precision="int8")
    assert tagger._prediction_path().precision == "int8"  # rebuilt for the new precision
    int8_proba = tagger.predict_proba(X[:3])
    assert tagger.predict(X) == y
    for a, b in zip(int8_proba, float_proba):
        assert not np.array_equal(a, b)  # really another graph
        np.testing.assert_allclose(a, b, atol=0.05)
    tagger.save(tmp_path / "m.sktag")
    assert sktag.load(tmp_path / "m.sktag").precision == "int8"
    assert sktag.load(tmp_path / "m.sktag", precision="float32").predict(X) == y
    exported = tagger.to_onnx()
    assert any(node.domain == "com.microsoft" for node in exported.graph.node)
    with pytest.raises(ValueError, match="precision"):
        tagger.set_params(precision="int4").predict(X[:1])
