"""TensorFlow and Keras, imported without TensorFlow's start-up noise.

Importing TensorFlow 2.21 writes to the process's standard error (file
descriptor 2, from C++) before absl's logging is initialised, so
``TF_CPP_MIN_LOG_LEVEL`` cannot silence it: the oneDNN notice, "Could not
find cuda drivers", the CPU-instructions notice and, when the first device
is listed, "failed call to cuInit". Repeated fits (a grid search) then log
"N out of the last N calls ... triggered tf.function retracing" through the
``tensorflow`` logger, because every fit traces a new model's train step.

This module is imported by every sktag module that needs Keras
(:mod:`sktag.models`, :mod:`sktag.training`, :mod:`sktag.callbacks`), so
TensorFlow is imported once, here, inside :func:`quiet_stderr`, which
filters the known notices (:data:`NOISE`) out of descriptor 2 and passes
every other line on as it arrives; training runs Keras inside it too. Real
errors (a failed import, a broken CUDA install on a machine with an NVIDIA
device, any line not in :data:`NOISE`) still reach the user, and Python's
own ``sys.stderr`` output is filtered only when it is descriptor 2.
``SKTAG_TENSORFLOW_LOGS=1`` turns the filtering off; the retracing filter
stays (the warning is about sktag's design, not the user's code).
"""

import contextlib
import logging
import os
import re
import sys
import threading

__all__ = ["NOISE", "is_noise", "keras", "quiet_stderr", "tf"]

#: Lines TensorFlow writes to file descriptor 2 that say nothing to an sktag
#: user: absl INFO lines (oneDNN, CUDA drivers, CPU features) and a few
#: notices logged as errors.
NOISE = re.compile(
    r"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|I\d{4} [\d:. ]+\d+ [\w.]+:\d+\] "
    r"|To enable the following instructions: .* rebuild TensorFlow"
    r"|[EW]\d{4} [\d:. ]+\d+ [\w.]+:\d+\] (Unable to register cu\w+ factory"
    r"|TF-TRT Warning: Could not find TensorRT|oneDNN supports DT_\w+ only on platforms)"
)
#: "failed call to cuInit": noise where the machine has no NVIDIA device at all.
_NO_GPU_NOISE = re.compile(r"E\d{4} [\d:. ]+\d+ [\w.]+:\d+\] failed call to cuInit")


def _has_nvidia_device():
    try:
        return any(name.startswith("nvidia") for name in os.listdir("/dev"))
    except OSError:
        return True  # cannot tell: show CUDA errors


_GPU_PRESENT = _has_nvidia_device()


def is_noise(line):
    """Whether a line TensorFlow wrote to standard error is one of :data:`NOISE`.

    "failed call to cuInit" counts as noise only on a machine without an
    NVIDIA device node (``/dev/nvidia*``); with one, it is a real error.
    """
    return bool(NOISE.match(line)) or (not _GPU_PRESENT and bool(_NO_GPU_NOISE.match(line)))


def _forward(read_fd, write_fd):
    """Copy the lines of ``read_fd`` that are not noise to ``write_fd``, as they come."""
    with os.fdopen(read_fd, "rb") as lines:
        for line in lines:
            if not is_noise(line.decode("utf-8", errors="replace")):
                os.write(write_fd, line)


@contextlib.contextmanager
def quiet_stderr():
    """Filter :data:`NOISE` out of file descriptor 2 while the block runs.

    Descriptor 2 is a pipe meanwhile; a thread writes every other line on to
    the real standard error as it arrives, so warnings and errors are neither
    lost nor held back. Off with ``SKTAG_TENSORFLOW_LOGS=1``, and in a block
    nested in another (the outer one filters).
    """
    with _LOCK:
        outer = not _ACTIVE and os.environ.get("SKTAG_TENSORFLOW_LOGS") != "1"
        _ACTIVE.append(outer)
    if not outer:
        try:
            yield
        finally:
            with _LOCK:
                _ACTIVE.pop()
        return
    sys.stderr.flush()
    saved = os.dup(2)
    read_fd, write_fd = os.pipe()
    forwarder = threading.Thread(target=_forward, args=(read_fd, saved), daemon=True,
                                 name="sktag-stderr-filter")
    forwarder.start()
    os.dup2(write_fd, 2)
    os.close(write_fd)
    try:
        yield
    finally:
        sys.stderr.flush()
        with _LOCK:
            os.dup2(saved, 2)  # closes the pipe's last write end: the forwarder ends
            _ACTIVE.pop()
        forwarder.join(timeout=10)
        os.close(saved)


_LOCK = threading.Lock()
_ACTIVE = []  # one entry per block running; the first one filters


class _DropRetracingWarnings(logging.Filter):
    """Drop "triggered tf.function retracing": each fit traces its own model's step."""

    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


def _import():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # the lines absl does control
    with quiet_stderr():
        import tensorflow

        tensorflow.config.list_physical_devices()  # cuInit happens here
        import keras
    logging.getLogger("tensorflow").addFilter(_DropRetracingWarnings())
    return tensorflow, keras


tf, keras = _import()
