"""The token-classification tutorial (Korean, noun vs other) with sktag.

Train/valid/test split of the four seed sentences, training with validation,
early stopping on validation accuracy with the best weights restored, the
per-epoch history written to CSV, evaluation on the test sentence, and
tagging of a new sentence word by word.

Run: python examples/seed_tutorial.py [--history token_class.csv]
"""

import argparse
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from sktag import TokenTagger  # noqa: E402
from sktag.datasets import load_seed_example  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", default="token_class.csv", help="CSV file for the history")
    parser.add_argument("--epochs", type=int, default=100)
    args = parser.parse_args(argv)

    seed = load_seed_example()
    X, y, names = seed.data, seed.target, seed.target_names
    X_train, y_train = X[:2], y[:2]
    X_valid, y_valid = X[2:3], y[2:3]
    X_test, y_test = X[3:], y[3:]

    tagger = TokenTagger(
        d_model=3, epochs=args.epochs, learning_rate=0.05, early_stopping=True, patience=20,
        callbacks=[keras.callbacks.CSVLogger(args.history)], random_state=1234,
    )
    tagger.fit(X_train, y_train, validation_data=(X_valid, y_valid))
    epochs_run = len(tagger.history_["loss"])
    print(f"trained {epochs_run} epochs; best val_accuracy {max(tagger.history_['val_accuracy']):.4f}")
    print(f"history written to {args.history}")
    print(f"test accuracy: {tagger.score(X_test, y_test):.4f}")

    sentence = "수학 당신은 선생님 입니다"
    for word, label in zip(sentence.split(), tagger.predict([sentence])[0]):
        print(f"{word}\t{names[label]}")


if __name__ == "__main__":
    main()
