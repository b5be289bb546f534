"""ONNX Runtime against Keras, and int8 graphs against float32, on English EWT dev.

Keras: for each encoder (dense without and with characters, conv, BiLSTM;
the context models with characters and character classes, as the best
configurations have them), a tagger is trained briefly on EWT train and
predicts EWT dev twice: through its prediction path (``predict_proba``:
numpy or ONNX Runtime) and through the Keras model's forward pass
(``model_(inputs, training=False)`` on padded batches). Prints the largest
absolute difference of a probability over all real tokens, and how many
argmax labels differ.

int8: the best configuration and the fast context one
(:mod:`sktag.configurations`) are trained on all of EWT train, and their
word tagger graphs are built in float32 and in int8
(:func:`sktag.onnx_graphs.build_word_tagger`'s ``precision``). Both run on
the same inputs, the batches and character features sktag's ONNX predictor
gives them (the float character encoder, once per distinct token), in ONNX
Runtime sessions of one thread. Prints the share of dev tokens whose labels
agree, the accuracy of each, each graph's throughput on all of dev (the
best of ``--passes`` passes, the two graphs taking turns) and median time
for one 10-token sentence, and each graph's size.

Run::

    python benchmarks/equivalence.py --data ../shared/data --output docs/benchmarks/equivalence.md
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from sktag import TokenTagger, Vocabulary, configurations  # noqa: E402
from sktag.architecture import GraphSpec  # noqa: E402
from sktag.batching import model_inputs, prediction_batches  # noqa: E402
from sktag.io import read_conllu  # noqa: E402
from sktag.keras_reading import keras_weights  # noqa: E402
from sktag.onnx_graphs import build_char_encoder, build_word_tagger  # noqa: E402
from sktag.vocabulary import pad_sequences  # noqa: E402

ENCODERS = {
    "dense": dict(d_model=64),
    "dense + characters": dict(d_model=64, char_dim=16),
    "conv x2 + characters": dict(encoder="conv", n_layers=2, d_model=100, char_dim=16),
    "bilstm + characters": dict(encoder="bilstm", d_model=100, char_dim=16, hidden_dim=128,
                                vocabulary=Vocabulary(lowercase=True)),
}


#: The configurations whose int8 graphs are compared with their float ones.
INT8_CONFIGURATIONS = {
    "best (BiLSTM)": configurations.best,
    "fast context (conv x2)": configurations.fast_context,
}


def keras_probabilities(tagger, X):
    """Per-sentence probabilities from the Keras model, in length-sorted padded batches."""
    features = tagger.feature_encoder_.encode(X)
    lengths = [len(s) for s in X]
    out = [None] * len(X)
    for batch in prediction_batches(lengths):
        inputs = {name: pad_sequences([seqs[i] for i in batch]) for name, seqs in features.items()}
        probs = np.asarray(tagger.model_(model_inputs(inputs), training=False))
        for row, i in enumerate(batch):
            out[i] = probs[row, : lengths[i]]
    return out


def keras_table(X_train, y_train, X_dev, n, command):
    """Each encoder's prediction path against its Keras model: the Markdown table."""
    lines = ["| encoder | prediction path | dev tokens | max abs difference | labels that differ |",
             "|---|---|---|---|---|"]
    for name, params in ENCODERS.items():
        tagger = TokenTagger(**params, epochs=1, batch_size=64, random_state=0)
        tagger.fit(X_train[:n], y_train[:n])
        ours = tagger.predict_proba(X_dev)
        theirs = keras_probabilities(tagger, X_dev)
        diff = max(float(np.abs(a - b).max()) for a, b in zip(ours, theirs))
        labels = sum(int((a.argmax(1) != b.argmax(1)).sum()) for a, b in zip(ours, theirs))
        path = type(tagger._prediction_path()).__name__
        tokens = sum(len(s) for s in X_dev)
        lines.append(f"| {name} | {path} | {tokens:,} | {diff:.2e} | {labels} |")
        print(lines[-1], flush=True)
    footer = (f"\nEach tagger trained 1 epoch on the first {n:,} EWT train sentences "
              f"(random_state=0); measured {date.today().isoformat()} with {command}.")
    return "\n".join(lines) + "\n" + footer


def onnxruntime_version():
    import onnxruntime

    return onnxruntime.__version__


def _session(model):
    """A one-thread ONNX Runtime session of a graph of :mod:`sktag.onnx_graphs`."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    return onnxruntime.InferenceSession(model.SerializeToString(), options,
                                        providers=["CPUExecutionProvider"])


def word_tagger_inputs(tagger, spec, weights, X):
    """The word tagger's input batches for ``X`` (as sktag's ONNX predictor makes
    them for a model with characters), each with the indices of its sentences,
    and the inputs of the first 10-token sentence alone."""
    token_ids, rows, types = tagger.feature_encoder_.encode_distinct(X)
    features = _session(build_char_encoder(spec, weights)).run(
        None, {"char_ids": rows.astype(np.int64)})[0]

    def inputs(sentences):
        return {"token_ids": pad_sequences([token_ids[i] for i in sentences], dtype=np.int64),
                "token_chars": features[pad_sequences([types[i] for i in sentences],
                                                      dtype=np.intp)]}

    lengths = [len(s) for s in X]
    batches = [(batch, inputs(batch)) for batch in prediction_batches(lengths)]
    return batches, inputs([lengths.index(10)])


def int8_row(name, tagger, X_dev, y_dev, passes):
    """The float32 and int8 word taggers of ``tagger`` on EWT dev: one table row."""
    spec = GraphSpec.from_params(tagger.get_params(), char_vocabulary=tagger.char_vocabulary_)
    weights = keras_weights(tagger.model_)
    models = {p: build_word_tagger(spec, weights, precision=p) for p in ("float32", "int8")}
    sessions = {p: _session(m) for p, m in models.items()}
    batches, sentence = word_tagger_inputs(tagger, spec, weights, X_dev)
    lengths = [len(s) for s in X_dev]
    labels = {}
    for p, session in sessions.items():
        out = [None] * len(X_dev)
        for batch, inputs in batches:
            probabilities = session.run(None, inputs)[0]
            for row, i in enumerate(batch):
                out[i] = probabilities[row, : lengths[i]].argmax(1)
        labels[p] = np.concatenate(out)
    gold = np.array([label for labels in y_dev for label in labels])
    seconds = {p: np.inf for p in sessions}
    latency = {p: [] for p in sessions}
    for _ in range(passes):  # the graphs take turns, so that both see the same load
        for p, session in sessions.items():
            start = time.perf_counter()
            for _, inputs in batches:
                session.run(None, inputs)
            seconds[p] = min(seconds[p], time.perf_counter() - start)
            for _ in range(100):
                start = time.perf_counter()
                session.run(None, sentence)
                latency[p].append(time.perf_counter() - start)
    tokens = len(gold)
    agree = float((labels["float32"] == labels["int8"]).mean())
    accuracy = {p: float((tagger.classes_[labels[p]] == gold).mean()) for p in sessions}
    speed = {p: tokens / seconds[p] for p in sessions}
    ms = {p: 1e3 * float(np.median(latency[p])) for p in sessions}
    size = {p: len(m.SerializeToString()) / 2**20 for p, m in models.items()}
    return (f"| {name} | {tokens:,} | {100 * agree:.3f}% | {accuracy['float32']:.4f} | "
            f"{accuracy['int8']:.4f} | {speed['float32']:,.0f} | {speed['int8']:,.0f} "
            f"({speed['int8'] / speed['float32']:.2f}x) | {ms['float32']:.3f} | "
            f"{ms['int8']:.3f} | {size['float32']:.2f} | {size['int8']:.2f} |")


def cpu():
    """The CPU's model name and whether it has 8-bit dot products (VNNI), from /proc/cpuinfo."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return "CPU unknown"
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines()
                  if line.startswith("model name")), "CPU unknown")
    vnni = "with" if ("avx512_vnni" in info or "avx_vnni" in info) else "without"
    return f"{model}, {vnni} VNNI, {os.cpu_count()} CPUs"


#: What the int8 table's columns say, and what it does not measure.
INT8_NOTES = """\
"labels that agree": dev tokens whose int8 label is the float32 graph's. Throughput
and the one-sentence time are the word tagger graph's alone: the character features
(the float32 character encoder, run once per distinct token, as the predictor caches
them) are computed before. The int8 graph quantizes its activations with one scale
per batch, so a sentence's int8 probabilities also move a little with the other
sentences of its batch, which the float32 graph's do not. On CPUs without VNNI, ONNX
Runtime's uint8 x int8 kernels add pairs of products in 16 bits, which can saturate;
this table is only measured on the CPU its footer names."""


def int8_table(X_train, y_train, X_dev, y_dev, n, passes):
    lines = ["| configuration | dev tokens | labels that agree | accuracy float32 | "
             "accuracy int8 | graph tok/s float32 | graph tok/s int8 | 10-token sentence "
             "ms float32 | ms int8 | graph MiB float32 | MiB int8 |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, params in INT8_CONFIGURATIONS.items():
        tagger = TokenTagger(**params(), random_state=0).fit(X_train[:n], y_train[:n])
        lines.append(int8_row(name, tagger, X_dev, y_dev, passes))
        print(lines[-1], flush=True)
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--train-sentences", type=int, default=4000)
    parser.add_argument("--int8-train-sentences", type=int, default=None,
                        help="EWT train sentences of the int8 comparison's taggers (all)")
    parser.add_argument("--passes", type=int, default=5,
                        help="passes over EWT dev per graph for the int8 throughput")
    parser.add_argument("--only", choices=["keras", "int8"],
                        help="only one of the two comparisons")
    parser.add_argument("--output", help="also write the Markdown tables to this file")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    X_train, y_train = read_conllu(Path(args.data) / "en_ewt-ud-train.conllu")
    X_dev, y_dev = read_conllu(Path(args.data) / "en_ewt-ud-dev.conllu")
    command = f"`python benchmarks/equivalence.py {' '.join(argv)}`"
    parts = []
    if args.only != "int8":
        parts.append(keras_table(X_train, y_train, X_dev, args.train_sentences, command))
    if args.only != "keras":
        n = args.int8_train_sentences
        lines = int8_table(X_train, y_train, X_dev, y_dev, n, args.passes)
        trained = "all" if n is None else f"the first {n:,}"
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        parts.append(
            "### int8 word tagger against float32\n\n" + "\n".join(lines) + "\n\n"
            f"Each configuration trained as sktag.configurations gives it on {trained} EWT "
            f"train sentences (random_state=0); graphs run by ONNX Runtime "
            f"{onnxruntime_version()} with one thread, throughput the best of {args.passes} "
            f"passes over EWT dev; {cpu()}, load average {load:.1f} at the end; measured "
            f"{date.today().isoformat()} with {command}.\n\n" + INT8_NOTES)
    text = "\n\n".join(parts)
    print()
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
