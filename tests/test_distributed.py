"""Searches across processes: joblib's loky workers and a Dask cluster.

With ``random_state`` set, a search gives the same ``cv_results_`` scores in
one process, on loky workers and on Dask workers; fitted taggers travel
between processes; the workers run TensorFlow with one thread. (Ray is not
tested: see docs/scaling.md.)
"""

import logging
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from joblib import Parallel, delayed, parallel_config
from sklearn.model_selection import GridSearchCV, KFold, RandomizedSearchCV, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from sktag import TokenTagger
from sktag.parallel import TF_THREAD_VARS, tensorflow_thread_env

SMALL = dict(d_model=8, epochs=2, learning_rate=0.05, random_state=0)
TAGGER_GRID = {"d_model": [4, 8]}


def _lowercase(X):
    return [[token.lower() for token in sentence] for sentence in X]


def _pipe():
    return Pipeline([("lower", FunctionTransformer(_lowercase)), ("tagger", TokenTagger(**SMALL))])


def _tagger_search(**kwargs):
    # refit=False: its best_params_ and scores are compared, not a refit model
    # (the pipeline search below refits and predicts).
    return GridSearchCV(TokenTagger(**SMALL), TAGGER_GRID, cv=KFold(2), refit=False, **kwargs)


def _pipe_search(**kwargs):
    # RandomizedSearchCV over the pipeline: lowercase, or not, and two sizes.
    return RandomizedSearchCV(
        _pipe(),
        {"lower": [FunctionTransformer(_lowercase), "passthrough"], "tagger__d_model": [4, 8]},
        n_iter=2,
        cv=KFold(2),
        random_state=0,
        **kwargs,
    )


def _scores(search):
    return search.cv_results_["split0_test_score"], search.cv_results_["split1_test_score"]


def _assert_same_results(search, reference):
    assert [str(p) for p in search.cv_results_["params"]] == [
        str(p) for p in reference.cv_results_["params"]
    ]
    for got, expected in zip(_scores(search), _scores(reference)):
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)
    assert str(search.best_params_) == str(reference.best_params_)


def _thread_env():
    return {var: os.environ.get(var) for var in TF_THREAD_VARS}


@pytest.fixture(scope="module")
def data():
    from sktag.datasets import load_ud_english_sample

    X, y = load_ud_english_sample(subset="test", return_X_y=True)
    return X[:40], y[:40]


@pytest.fixture(scope="module")
def sequential(data):
    """The searches run in this process: the reference results."""
    X, y = data
    return _tagger_search().fit(X, y), _pipe_search().fit(X, y)


# ----------------------------------------------------------------------
# the helpers


def test_thread_env_and_argument_check():
    assert tensorflow_thread_env(2) == {var: "2" for var in TF_THREAD_VARS}
    for bad in (0, -1, 1.5, True, "1"):
        with pytest.raises(ValueError, match="n_threads"):
            tensorflow_thread_env(bad)


def test_limit_before_tensorflow_starts_sets_its_thread_pools():
    code = (
        "import sys; from sktag.parallel import limit_tensorflow_threads as limit; "
        "assert limit(1) and 'tensorflow' not in sys.modules; "
        "import tensorflow as tf; assert limit(1); "
        "tf.constant(1.0) + 1; "
        "assert tf.config.threading.get_intra_op_parallelism_threads() == 1; "
        "assert tf.config.threading.get_inter_op_parallelism_threads() == 1; "
        "assert not limit(2)"
    )
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, env=env)


# ----------------------------------------------------------------------
# loky: joblib's default process pool


def test_loky_search_gives_the_sequential_results(data, sequential, monkeypatch):
    X, y = data
    # As a user would: limit the threads before the pool starts. Set through
    # monkeypatch so that the variables are restored after the test.
    for var, value in tensorflow_thread_env(1).items():
        monkeypatch.setenv(var, value)
    try:
        _check_loky_searches(X, y, sequential)
    finally:
        # Do not leave two idle TensorFlow processes to the rest of the suite.
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)


def _check_loky_searches(X, y, sequential):
    # The fits come first: loky measures a worker's memory after its first task
    # and replaces a worker that grows by 300 MB, so a first task that does not
    # start TensorFlow would make every worker start it twice.
    tagger_search = _tagger_search(n_jobs=2).fit(X, y)
    _assert_same_results(tagger_search, sequential[0])
    pipe_search = _pipe_search(n_jobs=2).fit(X, y)
    _assert_same_results(pipe_search, sequential[1])
    # The refit best estimator works in this process.
    assert pipe_search.predict(X[:2]) == sequential[1].predict(X[:2])

    cv_scores = cross_val_score(TokenTagger(**SMALL), X, y, cv=KFold(2), n_jobs=2)
    np.testing.assert_allclose(
        cv_scores,
        [sequential[0].cv_results_[f"split{i}_test_score"][1] for i in range(2)],
        rtol=0,
        atol=1e-6,
    )

    assert Parallel(n_jobs=2)(delayed(_thread_env)() for _ in range(4)) == [
        tensorflow_thread_env(1)
    ] * 4


# ----------------------------------------------------------------------
# Dask


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        env=tensorflow_thread_env(1),
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    client = distributed.Client(cluster)
    pids = list(client.run(os.getpid).values())
    try:
        yield client
    finally:
        client.close()
        cluster.close()
    import psutil

    gone, alive = psutil.wait_procs([p for p in map(_process, pids) if p], timeout=30)
    assert not alive, f"Dask workers left behind: {alive}"


def _process(pid):
    import psutil

    try:
        return psutil.Process(pid)
    except psutil.NoSuchProcess:
        return None


def test_dask_workers_run_tensorflow_with_one_thread(dask_client):
    envs = dask_client.run(_thread_env)
    assert list(envs.values()) == [tensorflow_thread_env(1)] * 2


def test_dask_search_gives_the_sequential_results(data, sequential, dask_client):
    X, y = data
    from distributed import get_task_stream

    with get_task_stream(dask_client) as stream, parallel_config(backend="dask"):
        tagger_search = _tagger_search(n_jobs=-1).fit(X, y)
        pipe_search = _pipe_search(n_jobs=-1).fit(X, y)
    _assert_same_results(tagger_search, sequential[0])
    _assert_same_results(pipe_search, sequential[1])
    # The fits ran on the workers (4 + 4 fits; joblib may batch a few together).
    workers = {task["worker"] for task in stream.data}
    assert len(stream.data) >= 2 and workers <= set(dask_client.scheduler_info()["workers"])


def test_fit_on_a_dask_worker_predict_on_the_client(data, sequential, dask_client):
    X, y = data
    future = dask_client.submit(TokenTagger(**SMALL).fit, X, y)
    tagger = future.result()
    assert isinstance(tagger, TokenTagger) and tagger.history_["loss"]
    (worker,) = dask_client.who_has(future)[future.key]
    assert worker in dask_client.scheduler_info()["workers"]
    local = TokenTagger(**SMALL).fit(X, y)
    assert tagger.predict(X[:5]) == local.predict(X[:5])
    for got, expected in zip(tagger.predict_proba(X[:5]), local.predict_proba(X[:5]), strict=True):
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)


def test_example_script_on_the_cluster(dask_client):
    # examples/distributed_search.py connects to the cluster's scheduler.
    root = Path(__file__).resolve().parents[1]
    address = dask_client.scheduler_info()["address"]
    args = ["--sentences", "24", "--d-model", "4", "8", "--epochs", "1", "--encoder", "dense",
            "--cv", "2"]
    result = subprocess.run(
        [sys.executable, str(root / "examples" / "distributed_search.py"), address, *args],
        capture_output=True, text=True, timeout=300, check=True,
    )
    assert "best parameters: {'d_model': " in result.stdout
    assert "Dask (2 workers): " in result.stdout
    assert "same cv scores as n_jobs=1: True" in result.stdout


def test_same_weights_while_another_thread_draws_random_numbers(data):
    # A Dask worker's event loop draws from Python's global `random` while a
    # task runs; the weights of a seeded fit must not depend on it.
    import random
    import threading

    X, y = data
    expected = TokenTagger(**SMALL, encoder="conv", dropout=0.2, hidden_dim=8).fit(X, y)
    stop = threading.Event()

    def draw():
        while not stop.is_set():
            random.random()

    noise = threading.Thread(target=draw, daemon=True)
    noise.start()
    try:
        got = TokenTagger(**SMALL, encoder="conv", dropout=0.2, hidden_dim=8).fit(X, y)
    finally:
        stop.set()
        noise.join()
    assert got.history_ == expected.history_
    for a, b in zip(got.model_.get_weights(), expected.model_.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
