"""Thread limits for TensorFlow when several fits share a machine.

A hyperparameter search runs many small fits at once: in joblib's loky
workers (``GridSearchCV(..., n_jobs=2)``), on Dask workers or on Ray. By
default each TensorFlow process starts thread pools as large as the machine,
so two workers on two cores run four busy pools and slow each other down.
One thread per fit is the sensible setting when a process per core runs fits.

TensorFlow reads its thread counts once, when it first runs an operation, so
the limit has to be set before that:

* through the environment of the worker processes, which is what
  :func:`tensorflow_thread_env` returns (for ``LocalCluster(env=...)``, a
  ``dask worker`` shell, Ray's ``runtime_env``), or
* with :func:`limit_tensorflow_threads` called in the parent process before
  joblib starts its loky workers (they inherit its environment), or in a
  worker process before its first fit (``client.run(limit_tensorflow_threads)``
  on Dask).

See the "Scaling out" page of the documentation for recipes.

``import sktag.parallel`` does not import TensorFlow.
"""

import os
import sys

__all__ = ["TF_THREAD_VARS", "limit_tensorflow_threads", "tensorflow_thread_env"]

#: Environment variables that set the size of TensorFlow's (and OpenMP's)
#: thread pools; TensorFlow reads them when it starts its runtime.
TF_THREAD_VARS = ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


def _check_n_threads(n_threads):
    if isinstance(n_threads, bool) or not isinstance(n_threads, int) or n_threads < 1:
        raise ValueError(f"n_threads must be a positive int; got {n_threads!r}")


def tensorflow_thread_env(n_threads=1):
    """Environment variables that limit TensorFlow to ``n_threads`` threads.

    Pass them to the processes that will run fits, before they start:
    ``LocalCluster(env=...)``, ``Nanny(env=...)``, Ray's
    ``runtime_env={"env_vars": ...}``, or ``env`` in a shell.

    Parameters
    ----------
    n_threads : int, default=1
        Threads for TensorFlow's intra-op and inter-op pools (and OpenMP).

    Returns
    -------
    env : dict of str to str
        ``OMP_NUM_THREADS``, ``TF_NUM_INTRAOP_THREADS`` and
        ``TF_NUM_INTEROP_THREADS`` set to ``str(n_threads)``.

    Examples
    --------
    >>> from sktag.parallel import tensorflow_thread_env
    >>> tensorflow_thread_env()
    {'OMP_NUM_THREADS': '1', 'TF_NUM_INTRAOP_THREADS': '1', 'TF_NUM_INTEROP_THREADS': '1'}
    """
    _check_n_threads(n_threads)
    return {var: str(n_threads) for var in TF_THREAD_VARS}


def limit_tensorflow_threads(n_threads=1):
    """Limit TensorFlow to ``n_threads`` threads in this process and its children.

    Sets the variables of :func:`tensorflow_thread_env` in ``os.environ``, so
    that processes started afterwards (joblib's loky workers, a
    ``LocalCluster``'s workers) inherit them, and, when TensorFlow is already
    imported in this process but has not started its runtime yet, also sets
    its thread counts with :mod:`tf.config.threading`.

    Call it at the top of a script, before the search, or on each Dask worker
    with ``client.run(limit_tensorflow_threads)`` before the first fit.

    Parameters
    ----------
    n_threads : int, default=1
        Threads for TensorFlow's intra-op and inter-op pools (and OpenMP).

    Returns
    -------
    applied : bool
        True if the limit holds in this process: TensorFlow is not imported
        yet (it will read the environment), or it was imported but not yet
        initialized. False if TensorFlow has already started its thread pools
        here; the limit then only reaches processes started later.

    Notes
    -----
    joblib keeps its loky workers alive between calls and reuses them while
    its settings are unchanged. Changing ``OMP_NUM_THREADS`` is one such
    setting, so the first parallel call after this function starts fresh
    workers that see the new environment.
    """
    _check_n_threads(n_threads)
    os.environ.update(tensorflow_thread_env(n_threads))
    tf = sys.modules.get("tensorflow")
    if tf is None:
        return True
    threading = tf.config.threading
    try:
        threading.set_intra_op_parallelism_threads(n_threads)
        threading.set_inter_op_parallelism_threads(n_threads)
    except RuntimeError:
        # "... cannot be modified after initialization": TensorFlow has run.
        return (
            threading.get_intra_op_parallelism_threads() == n_threads
            and threading.get_inter_op_parallelism_threads() == n_threads
        )
    return True
