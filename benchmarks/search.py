"""Search benchmark: one grid search on 1 process, on loky workers and on Dask.

The same GridSearchCV (TokenTagger, d_model x epochs x encoder, k-fold) runs
three times on the English UD sample shipped with sktag:

* ``n_jobs=1`` in this process (TensorFlow free to use every core);
* joblib's loky workers, ``n_jobs=N``, TensorFlow limited to one thread per
  worker by :func:`sktag.parallel.limit_tensorflow_threads` before the pool
  starts;
* a Dask ``LocalCluster`` of N single-threaded worker processes with
  TensorFlow limited to one thread, through ``joblib``'s Dask backend.

It prints a Markdown table: wall time of the search (worker start-up and
TensorFlow import excluded, reported apart), speed-up over ``n_jobs=1``, peak
resident memory per process that ran fits, and whether the scores equal the
``n_jobs=1`` ones. Run::

    python benchmarks/search.py --workers 2
    python benchmarks/search.py --scheduler tcp://10.0.0.5:8786  # a real cluster

``--versus-crf DATA`` instead runs the search a user deciding between sktag
and sklearn-crfsuite would run on English EWT (12,500 sentences, from the
shared data folder): a 3-fold ``GridSearchCV`` of the best configuration over
``d_model`` in {64, 100} and ``epochs`` in {4, 7}, and the same search of
sklearn-crfsuite (the features of ``benchmarks/accuracy.py``) over ``c1`` and
``c2`` in {0.05, 0.1}, one process each, and prints their wall times, the
ratio and the best dev accuracy of each (refit on all of train)::

    python benchmarks/search.py --versus-crf ../shared/data
"""

import argparse
import os
import platform
import resource
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _peak_rss_mib():
    """Peak resident memory of this process in MiB.

    VmHWM from /proc on Linux: ``ru_maxrss`` would also count the parent's
    memory that a forked-then-exec'd worker held for an instant.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale / 1024


def _pid_and_peak_rss():
    return os.getpid(), _peak_rss_mib()


def _start_tensorflow():
    import sktag.tagger  # noqa: F401  (imports Keras and TensorFlow)

    return os.getpid()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--scheduler", help="Dask scheduler address instead of a LocalCluster")
    parser.add_argument("--sentences", type=int, default=300)
    parser.add_argument("--d-model", type=int, nargs="+", default=[16, 32])
    parser.add_argument("--epochs", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--encoder", nargs="+", default=["dense", "conv"])
    parser.add_argument("--cv", type=int, default=3)
    parser.add_argument("--skip", nargs="*", default=[], choices=["loky", "dask"])
    parser.add_argument("--versus-crf", metavar="DATA",
                        help="time a search of the best configuration against sklearn-crfsuite's "
                             "on EWT from this data folder (see the module docstring)")
    args = parser.parse_args(argv)
    if args.versus_crf:
        return versus_crf(args.versus_crf, args.cv)

    from joblib import Parallel, delayed, parallel_config
    from sklearn.model_selection import GridSearchCV, KFold

    from sktag import TokenTagger
    from sktag.datasets import load_ud_english_sample
    from sktag.parallel import limit_tensorflow_threads, tensorflow_thread_env

    X, y = load_ud_english_sample(subset="train", return_X_y=True)
    X, y = X[: args.sentences], y[: args.sentences]
    grid = {"d_model": args.d_model, "epochs": args.epochs, "encoder": args.encoder}

    def search(**kwargs):
        tagger = TokenTagger(hidden_dim=32, learning_rate=0.01, random_state=0)
        return GridSearchCV(tagger, grid, cv=KFold(args.cv), **kwargs)

    n_fits = args.cv * len(args.d_model) * len(args.epochs) * len(args.encoder) + 1
    print(f"{len(X)} sentences, grid {grid}, {args.cv} folds: {n_fits} fits")
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}")
    rows = []

    def add(name, workers, startup, seconds, rss, result):
        rows.append((name, workers, startup, seconds, rss, result))

    _start_tensorflow()
    start = time.perf_counter()
    sequential = search(n_jobs=1).fit(X, y)
    base = time.perf_counter() - start
    add("n_jobs=1 (this process)", 1, None, base, [_peak_rss_mib()], sequential)

    if "loky" not in args.skip:
        from joblib.externals.loky import get_reusable_executor

        limit_tensorflow_threads(1)  # inherited by the loky workers started next
        start = time.perf_counter()
        Parallel(n_jobs=args.workers)(delayed(_start_tensorflow)() for _ in range(args.workers))
        startup = time.perf_counter() - start
        start = time.perf_counter()
        loky = search(n_jobs=args.workers).fit(X, y)
        seconds = time.perf_counter() - start
        # Small tasks reach every worker (most likely); keep one figure per pid.
        peaks = dict(Parallel(n_jobs=args.workers)(
            delayed(_pid_and_peak_rss)() for _ in range(8 * args.workers)
        ))
        get_reusable_executor().shutdown(wait=True)
        name = f"loky, n_jobs={args.workers}"
        add(name, len(peaks), startup, seconds, list(peaks.values()), loky)

    if "dask" not in args.skip:
        from distributed import Client, LocalCluster

        start = time.perf_counter()
        if args.scheduler:
            cluster, client = None, Client(args.scheduler)
        else:
            cluster = LocalCluster(
                n_workers=args.workers,
                threads_per_worker=1,
                env=tensorflow_thread_env(1),
                dashboard_address=":0",
            )
            client = Client(cluster)
        try:
            client.run(_start_tensorflow)
            startup = time.perf_counter() - start
            workers = len(client.scheduler_info()["workers"])
            start = time.perf_counter()
            with parallel_config(backend="dask"):
                dask = search(n_jobs=-1).fit(X, y)
            seconds = time.perf_counter() - start
            rss = list(client.run(_peak_rss_mib).values())
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        add(f"Dask, {workers} workers x 1 thread", workers, startup, seconds, rss, dask)

    reference = sequential.cv_results_["mean_test_score"]
    print()
    print("| setup | processes | start-up (s) | search (s) | speed-up | peak RSS per process (MiB) "
          "| same scores as n_jobs=1 |")
    print("|---|---:|---:|---:|---:|---|---|")
    for name, workers, startup, seconds, rss, result in rows:
        same = bool((result.cv_results_["mean_test_score"] == reference).all())
        startup = "-" if startup is None else f"{startup:.1f}"
        memory = ", ".join(f"{m:.0f}" for m in rss)
        print(f"| {name} | {workers} | {startup} | {seconds:.1f} | {base / seconds:.2f}x "
              f"| {memory} | {'yes' if same else 'no'} |")
    print("\nStart-up: starting the worker processes and their TensorFlow, not in the "
          "search time. Peak RSS: VmHWM of each process that ran fits.")
    print(f"best: {sequential.best_params_}, cv accuracy {sequential.best_score_:.4f}")


def versus_crf(data, cv=3):
    """Wall time of the same-sized grid search for sktag's best configuration and the CRF."""
    from pathlib import Path

    import sklearn_crfsuite
    from sklearn.model_selection import GridSearchCV, KFold

    sys.path.insert(0, str(Path(__file__).parent))
    from accuracy import _token_features  # the CRF features of the accuracy benchmark

    from sktag import TokenTagger, configurations
    from sktag.io import read_conllu
    from sktag.metrics import token_accuracy

    X, y = read_conllu(Path(data) / "en_ewt-ud-train.conllu")
    X_dev, y_dev = read_conllu(Path(data) / "en_ewt-ud-dev.conllu")
    folds = KFold(cv, shuffle=True, random_state=0)
    _start_tensorflow()
    rows = []

    start = time.perf_counter()
    tagger_search = GridSearchCV(
        TokenTagger(**configurations.best(), random_state=0),
        {"d_model": [64, 100], "epochs": [4, 7]}, cv=folds).fit(X, y)
    seconds = time.perf_counter() - start
    rows.append(("sktag best", "d_model {64, 100} x epochs {4, 7}", seconds,
                 tagger_search.best_params_, token_accuracy(y_dev, tagger_search.predict(X_dev))))

    start = time.perf_counter()
    features = [[_token_features(s, i, False) for i in range(len(s))] for s in X]
    crf_search = GridSearchCV(
        sklearn_crfsuite.CRF(algorithm="lbfgs", max_iterations=100),
        {"c1": [0.05, 0.1], "c2": [0.05, 0.1]}, cv=folds).fit(features, y)
    seconds = time.perf_counter() - start
    dev = crf_search.predict([[_token_features(s, i, False) for i in range(len(s))]
                              for s in X_dev])
    rows.append(("sklearn-crfsuite", "c1 {0.05, 0.1} x c2 {0.05, 0.1}", seconds,
                 crf_search.best_params_, token_accuracy(y_dev, dev)))

    n_fits = 4 * cv + 1
    print(f"\n{len(X):,} EWT training sentences, {cv}-fold GridSearchCV, {n_fits} fits each "
          f"(the refit included), one process, {os.cpu_count()} cores")
    print("\n| model | grid | search wall s | vs CRF | best parameters | dev accuracy (refit) |")
    print("|---|---|---:|---:|---|---:|")
    crf_seconds = rows[1][2]
    for name, grid, seconds, best, accuracy in rows:
        print(f"| {name} | {grid} | {seconds:.0f} | {seconds / crf_seconds:.2f}x | {best} "
              f"| {accuracy:.4f} |")
    return 0


if __name__ == "__main__":
    main()
