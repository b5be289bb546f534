"""Grid search of TokenTagger on a Dask cluster, timed against one process.

The grid is d_model x epochs x encoder on the English UD sample shipped with
sktag. The search runs through joblib's Dask backend on a LocalCluster of one
single-threaded worker per core (or on the cluster whose scheduler address is
given), then again with n_jobs=1 in this process. It prints the best
parameters, both wall times and whether both searches scored every candidate
the same (they do: random_state is set).

Run (needs ``pip install "sktag[dask]"``)::

    python examples/distributed_search.py                      # LocalCluster here
    python examples/distributed_search.py tcp://10.0.0.5:8786  # an existing cluster

On an existing cluster, start the workers with one thread each and
TensorFlow limited to one thread (see docs/scaling.md)::

    OMP_NUM_THREADS=1 TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 \\
        dask worker tcp://10.0.0.5:8786 --nworkers 8 --nthreads 1
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scheduler", nargs="?", help="address of a Dask scheduler; "
                        "default: start a LocalCluster on this machine")
    parser.add_argument("--n-workers", type=int, default=os.cpu_count(),
                        help="LocalCluster workers (default: one per core)")
    parser.add_argument("--sentences", type=int, default=300,
                        help="training sentences of the English sample (default: 300)")
    parser.add_argument("--d-model", type=int, nargs="+", default=[16, 32])
    parser.add_argument("--epochs", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--encoder", nargs="+", default=["dense", "conv"])
    parser.add_argument("--cv", type=int, default=3, help="folds (default: 3)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the n_jobs=1 search in this process")
    return parser.parse_args(argv)


def _start_tensorflow():
    import sktag.tagger  # noqa: F401  (imports Keras and TensorFlow)


def main(argv=None):
    args = parse_args(argv)

    from distributed import Client, LocalCluster
    from joblib import parallel_config
    from sklearn.model_selection import GridSearchCV, KFold

    from sktag import TokenTagger
    from sktag.datasets import load_ud_english_sample
    from sktag.parallel import tensorflow_thread_env

    X, y = load_ud_english_sample(subset="train", return_X_y=True)
    X, y = X[: args.sentences], y[: args.sentences]
    grid = {"d_model": args.d_model, "epochs": args.epochs, "encoder": args.encoder}

    def search(**kwargs):
        tagger = TokenTagger(hidden_dim=32, learning_rate=0.01, random_state=0)
        return GridSearchCV(tagger, grid, cv=KFold(args.cv), **kwargs)

    n_fits = args.cv * len(args.d_model) * len(args.epochs) * len(args.encoder)
    print(f"{len(X)} sentences, grid {grid}, {n_fits} fits + 1 refit")

    if args.scheduler:
        cluster, client = None, Client(args.scheduler)
    else:
        # One single-threaded worker process per core, TensorFlow limited to
        # one thread in each (set in the workers' environment before they start).
        cluster = LocalCluster(
            n_workers=args.n_workers,
            threads_per_worker=1,
            env=tensorflow_thread_env(1),
        )
        client = Client(cluster)
    try:
        n_workers = len(client.scheduler_info()["workers"])
        print(f"Dask cluster: {client.scheduler_info()['address']}, {n_workers} workers, "
              f"dashboard {client.dashboard_link}")
        # Start TensorFlow on the workers before timing, as this process did.
        client.run(_start_tensorflow)
        start = time.perf_counter()
        with parallel_config(backend="dask"):
            distributed = search(n_jobs=-1).fit(X, y)
        dask_seconds = time.perf_counter() - start
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    print(f"best parameters: {distributed.best_params_}")
    print(f"best cv accuracy: {distributed.best_score_:.4f}")
    print(f"Dask ({n_workers} workers): {dask_seconds:.1f} s")
    if not args.no_baseline:
        start = time.perf_counter()
        local = search(n_jobs=1).fit(X, y)
        local_seconds = time.perf_counter() - start
        scores = local.cv_results_["mean_test_score"]
        same = (scores == distributed.cv_results_["mean_test_score"]).all()
        print(f"n_jobs=1: {local_seconds:.1f} s; speed-up {local_seconds / dask_seconds:.2f}x")
        print(f"same cv scores as n_jobs=1: {bool(same)}")


if __name__ == "__main__":
    main()
