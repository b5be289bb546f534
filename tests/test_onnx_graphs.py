"""ONNX graphs built from a model's weights compute what the Keras model computes."""

import functools
import subprocess
import sys

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from sktag import onnx_graphs
from sktag.onnx_graphs import (
    ALLOWED_OPS,
    OPSET,
    GraphSpec,
    build_char_encoder,
    build_tagger,
    build_word_tagger,
)
from sktag.keras_reading import keras_weights, spec_from_keras
from sktag.vocabulary import CharVocabulary

N_VOCAB, N_CLASSES, MAX_CHARS = 30, 5, 6

# Tokens shorter than the 3 affix characters, exactly max_chars long, longer
# (CharVocabulary keeps their first and last 3), and with characters unseen in
# training (the unknown id). The longest sentence fills its batch's rows.
TRAIN = [["The", "cat", "sat", "on", "a", "mat", "!", "42", "x-ray", "Dog", "barks", "unbelievable"]]
SENTENCES = [
    ["Hi"],
    ["The", "unbelievable", "x-ray", "of", "42", "cats", "!"],
    ["a", "Dog", "barks"],
    ["Über", "naïve", "café", "I", "seated"],
    ["to", "be"],
]
CHARS = CharVocabulary(max_chars=MAX_CHARS).fit(TRAIN)
WORDS = sorted({token for tokens in TRAIN + SENTENCES + [["x"]] for token in tokens})
WORD_IDS = {word: 1 + i % (N_VOCAB - 1) for i, word in enumerate(WORDS)}

#: id -> (encoder, n_layers, with characters, with a character class table, word dropout)
CONFIGS = {
    "dense": ("dense", 1, False, False, True),
    "dense-chars-classes": ("dense", 1, True, True, False),
    "conv2-chars-classes": ("conv", 2, True, True, True),
    "conv2": ("conv", 2, False, False, False),
    "bilstm1-chars": ("bilstm", 1, True, False, True),
    "bilstm2-chars-classes": ("bilstm", 2, True, True, False),
}
CHAR_CONFIGS = [name for name, config in CONFIGS.items() if config[2]]


def _leaves(model):
    for layer in model.layers:
        if hasattr(layer, "layers"):
            yield from _leaves(layer)
        else:
            yield layer


@functools.cache
def fitted(name):
    """A tiny model of configuration ``name`` with random weights, and its graphs."""
    from sktag.models import build_model

    encoder, n_layers, char, classes, word_dropout = CONFIGS[name]
    rng = np.random.default_rng(sorted(CONFIGS).index(name))
    model = build_model(
        N_VOCAB, N_CLASSES, encoder=encoder, d_model=8, hidden_dim=8, n_layers=n_layers,
        n_chars=len(CHARS), char_dim=4 if char else 0, max_chars=MAX_CHARS,
        char_classes=CHARS.char_classes() if classes else None,
        word_dropout_rates=np.full(N_VOCAB, 0.2) if word_dropout else None, seed=0,
    )
    for layer in _leaves(model):  # keep the 0/1 class table and word dropout's int ids
        if layer.name not in ("char_classes", "word_dropout"):
            layer.set_weights([0.5 * rng.normal(size=w.shape) for w in layer.get_weights()])
    spec = spec_from_keras(model)
    weights = keras_weights(model)
    # sktag writes the bytes itself (sktag.onnx_proto); the onnx package parses them here.
    graphs = {"tagger": build_tagger(spec, weights).to_onnx(),
              "word_tagger": build_word_tagger(spec, weights).to_onnx()}
    if char:
        graphs["char_encoder"] = build_char_encoder(spec, weights).to_onnx()
    return model, spec, weights, graphs


def batch(sentences, length=None):
    """Token ids (0-padded on the right) and CharVocabulary's character rows."""
    length = length or max(map(len, sentences))
    ids = np.zeros((len(sentences), length), dtype=np.int64)
    chars = np.zeros((len(sentences), length, MAX_CHARS), dtype=np.int64)
    for i, (tokens, rows) in enumerate(zip(sentences, CHARS.encode(sentences))):
        ids[i, : len(tokens)] = [WORD_IDS[token] for token in tokens]
        chars[i, : len(tokens)] = rows
    return ids, chars


def run(graph, **feeds):
    session = ort.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, feeds)[0]


def run_tagger(name, ids, chars):
    _, spec, _, graphs = fitted(name)
    feeds = {"token_ids": ids, "char_ids": chars} if spec.char else {"token_ids": ids}
    return run(graphs["tagger"], **feeds)


def keras_probabilities(model, spec, ids, chars):
    inputs = ids.astype("int32")
    if spec.char:
        inputs = {"token_ids": inputs, "char_ids": chars.astype("int32")}
    return np.asarray(model(inputs, training=False))


def test_batch_covers_the_character_cases():
    ids, chars = batch(SENTENCES)
    lengths = (chars != 0).sum(-1)[ids != 0]
    assert lengths.min() < 3 and lengths.max() == MAX_CHARS  # short and full rows
    assert (chars == 1).any()  # unknown characters
    assert (ids != 0).sum(1).tolist() == [1, 7, 3, 5, 2] and ids.shape[1] == 7


@pytest.mark.parametrize("name", CONFIGS)
def test_tagger_graph_matches_keras(name):
    model, spec, _, _ = fitted(name)
    ids, chars = batch(SENTENCES)
    expected = keras_probabilities(model, spec, ids, chars)
    got = run_tagger(name, ids, chars)
    assert got.dtype == np.float32 and got.shape == expected.shape == (5, 7, N_CLASSES)
    real = ids != 0
    np.testing.assert_allclose(got[real], expected[real], rtol=0, atol=1e-5)
    np.testing.assert_array_equal(got[real].argmax(-1), expected[real].argmax(-1))


@pytest.mark.parametrize("name", CHAR_CONFIGS)
def test_char_encoder_and_word_tagger_equal_the_whole_graph(name):
    from sktag.models import split_at_characters

    model, _, _, graphs = fitted(name)
    ids, chars = batch(SENTENCES)
    rows, inverse = np.unique(chars.reshape(-1, MAX_CHARS), axis=0, return_inverse=True)
    features = run(graphs["char_encoder"], char_ids=rows)  # once per distinct token
    keras_encoder = split_at_characters(model)[0]
    np.testing.assert_allclose(
        features, np.asarray(keras_encoder(rows[None].astype("int32")))[0], rtol=0, atol=1e-5
    )
    token_chars = features[inverse.reshape(-1)].reshape(*ids.shape, -1)
    got = run(graphs["word_tagger"], token_ids=ids, token_chars=token_chars)
    np.testing.assert_allclose(got, run_tagger(name, ids, chars), rtol=0, atol=1e-6)


@pytest.mark.parametrize("name", CONFIGS)
def test_graphs_are_valid_and_use_allowed_ops_only(name):
    _, spec, _, graphs = fitted(name)
    for role, graph in graphs.items():
        onnx.checker.check_model(graph, full_check=True)
        assert {node.op_type for node in graph.graph.node} <= ALLOWED_OPS
        assert [(o.domain, o.version) for o in graph.opset_import] == [("", OPSET)]
        assert graph.graph.name == f"sktag_{role}" and graph.graph.doc_string
        assert {p.key: p.value for p in graph.metadata_props}["sktag.graph"] == role
    tagger = graphs["tagger"].graph
    dims = [[d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim] for v in tagger.input]
    assert [v.name for v in tagger.input] == ["token_ids"] + ["char_ids"] * spec.char
    assert dims == [["batch", "length"]] + [["batch", "length", MAX_CHARS]] * spec.char
    assert [v.name for v in tagger.output] == ["probabilities"]


def test_allowed_ops_are_the_ops_the_builders_emit():
    emitted = {
        node.op_type for name in CONFIGS for graph in fitted(name)[3].values()
        for node in graph.graph.node
    }
    assert emitted == ALLOWED_OPS


@pytest.mark.parametrize("name", CONFIGS)
def test_more_padding_changes_nothing(name):
    sentence = SENTENCES[2]
    alone = run_tagger(name, *batch([sentence]))[0]
    padded = run_tagger(name, *batch([SENTENCES[1], sentence, ["x"]], length=12))[1]
    np.testing.assert_allclose(padded[: len(sentence)], alone, rtol=0, atol=1e-6)


@pytest.mark.parametrize("name", ["conv2-chars-classes", "bilstm2-chars-classes", "dense"])
@pytest.mark.parametrize("shape", [(0, 4), (3, 0), (0, 0), (2, 3)])
def test_empty_batches_and_empty_rows(name, shape):
    ids = np.zeros(shape, dtype=np.int64)  # (2, 3): two all-padding rows
    got = run_tagger(name, ids, np.zeros((*shape, MAX_CHARS), dtype=np.int64))
    assert got.shape == (*shape, N_CLASSES) and np.isfinite(got).all()


def test_spec_and_weights_from_keras():
    _, spec, weights, _ = fitted("bilstm2-chars-classes")
    assert spec == GraphSpec("bilstm", n_layers=2, char=True, max_chars=MAX_CHARS,
                             n_affix=3, char_classes=True)
    assert set(weights) == {"char_embedding", "char_conv", "char_classes", "embedding",
                            "bilstm_0", "bilstm_1", "tagger"}
    assert [w.shape for w in weights["char_conv"]] == [(1, 3, 4, 16), (16,)]
    assert len(weights["bilstm_0"]) == 6
    assert fitted("dense")[1] == GraphSpec("dense", n_layers=0)
    assert "word_dropout" in fitted("dense")[2]  # weights that the graphs ignore
    assert fitted("conv2")[1] == GraphSpec("conv", n_layers=2)


def test_weights_that_do_not_fit_the_spec_are_refused():
    _, spec, weights, _ = fitted("conv2-chars-classes")
    with pytest.raises(ValueError, match="No weights for layer 'conv_2'"):
        build_tagger(GraphSpec("conv", n_layers=3, char=True, max_chars=MAX_CHARS,
                               char_classes=True), weights)
    with pytest.raises(ValueError, match=r"conv_0 kernel has shape \(3, 56, 8\)"):
        build_word_tagger(GraphSpec("conv", n_layers=2), weights)  # the char features are missing
    with pytest.raises(ValueError, match="char=True"):
        build_char_encoder(GraphSpec("conv", n_layers=2), weights)
    broken = {**weights, "conv_0": [weights["conv_0"][0][:, :-1], weights["conv_0"][1]]}
    with pytest.raises(ValueError, match="conv_0 kernel"):
        build_tagger(spec, broken)
    with pytest.raises(ValueError, match="encoder"):
        GraphSpec("gru")
    with pytest.raises(ValueError, match="n_affix"):
        GraphSpec("dense", char=True, max_chars=2, n_affix=3)


def test_unknown_layers_are_refused():
    class Layer:
        def __init__(self, name, weights=()):
            self.name, self._weights = name, list(weights)

        def get_weights(self):
            return self._weights

    class Model:
        def __init__(self):
            self.layers = [
                Layer("token_ids"), Layer("embedding", [np.zeros((3, 2))]),
                Layer("attention", [np.zeros(2)]), Layer("tagger", [np.zeros((2, 2))]),
            ]

    with pytest.raises(ValueError, match="'attention'"):
        spec_from_keras(Model())
    assert set(keras_weights(Model())) == {"embedding", "attention", "tagger"}


def test_module_imports_without_keras():
    code = (
        "import sys, sktag.onnx_graphs; "
        "assert not {'keras', 'tensorflow'} & set(sys.modules), 'keras imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert not hasattr(onnx_graphs, "keras")
