"""One fit per seed of the entity configuration, decoded three ways.

For each task and seed, fits ``TokenTagger(**sktag.configurations.entities())``
once and prints the dev entity F1 of its argmax, of the label lattice
(``predict``'s decoding) and of the reading lattice
(``sktag.decoding.Lattice(..., reading=True)``), with the fit seconds.

Run::

    python benchmarks/entity_decoding.py --data ../shared/data --tasks uner pt-uner --random-state 0 1 2
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from accuracy import ENTITIES, load_task  # noqa: E402

from sktag import TokenTagger  # noqa: E402
from sktag.decoding import Lattice  # noqa: E402
from sktag.metrics import entity_precision_recall_f1  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--tasks", nargs="+", default=["uner", "pt-uner"])
    parser.add_argument("--random-state", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args(argv)
    print("| task | seed | fit s | argmax | label lattice (predict) | reading lattice |")
    print("|---|---:|---:|---:|---:|---:|")
    for task in args.tasks:
        (X, y), (X_test, y_test), _ = load_task(task, args.data)
        for seed in args.random_state:
            start = time.perf_counter()
            tagger = TokenTagger(**ENTITIES, random_state=seed).fit(X, y)
            seconds = time.perf_counter() - start
            classes = tagger.classes_
            probabilities = tagger.predict_proba(X_test)
            scores = []
            for lattice in (None, Lattice(classes, tagger.label_scheme_),
                            Lattice(classes, tagger.label_scheme_, reading=True)):
                predicted = [classes[p.argmax(axis=1) if lattice is None
                                     else lattice.best_path(p)].tolist() for p in probabilities]
                scores.append(entity_precision_recall_f1(y_test, predicted)[2])
            print(f"| {task} | {seed} | {seconds:.0f} | " + " | ".join(f"{s:.4f}" for s in scores)
                  + " |", flush=True)


if __name__ == "__main__":
    main()
