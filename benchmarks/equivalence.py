"""ONNX Runtime against Keras on English EWT dev: the same labels, probabilities within 1e-5.

For each encoder (dense without and with characters, conv, BiLSTM; the
context models with characters and character classes, as the best
configurations have them), a tagger is trained briefly on EWT train and
predicts EWT dev twice: through its prediction path (``predict_proba``:
numpy or ONNX Runtime) and through the Keras model's forward pass
(``model_(inputs, training=False)`` on padded batches). Prints the largest
absolute difference of a probability over all real tokens, and how many
argmax labels differ.

Run::

    python benchmarks/equivalence.py --data ../shared/data --output docs/benchmarks/equivalence.md
"""

import argparse
import os
import sys
from datetime import date
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from sktag import TokenTagger, Vocabulary  # noqa: E402
from sktag.batching import model_inputs, prediction_batches  # noqa: E402
from sktag.io import read_conllu  # noqa: E402
from sktag.vocabulary import pad_sequences  # noqa: E402

ENCODERS = {
    "dense": dict(d_model=64),
    "dense + characters": dict(d_model=64, char_dim=16),
    "conv x2 + characters": dict(encoder="conv", n_layers=2, d_model=100, char_dim=16),
    "bilstm + characters": dict(encoder="bilstm", d_model=100, char_dim=16, hidden_dim=128,
                                vocabulary=Vocabulary(lowercase=True)),
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--train-sentences", type=int, default=4000)
    parser.add_argument("--output", help="also write the Markdown table to this file")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    X_train, y_train = read_conllu(Path(args.data) / "en_ewt-ud-train.conllu")
    X_dev, _ = read_conllu(Path(args.data) / "en_ewt-ud-dev.conllu")
    n = args.train_sentences
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
              f"(random_state=0); measured {date.today().isoformat()} with "
              f"`python benchmarks/equivalence.py {' '.join(argv)}`.")
    table = "\n".join(lines) + "\n" + footer
    print()
    print(table)
    if args.output:
        Path(args.output).write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
