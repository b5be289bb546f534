"""sktag is quiet: no TensorFlow start-up lines or retracing warnings, real errors kept.

The subprocess tests run with the environment a user has (no
``TF_CPP_MIN_LOG_LEVEL``), and assert on everything the process wrote.
"""

import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from sktag._tensorflow import is_noise, quiet_stderr

SKTAG = shutil.which("sktag", path=os.path.dirname(sys.executable)) or shutil.which("sktag")
USER_ENV = {k: v for k, v in os.environ.items()
            if k not in ("TF_CPP_MIN_LOG_LEVEL", "SKTAG_TENSORFLOW_LOGS")}
#: What TensorFlow prints when nothing filters it (see sktag/_tensorflow.py).
TENSORFLOW_NOISE = re.compile(
    r"absl::InitializeLog|oneDNN|cuda drivers|cuInit|cpu_feature_guard|rebuild TensorFlow"
    r"|retracing|^[IWE]\d{4} ", re.MULTILINE)

REAL_CPP_ERROR = "E0000 00:00:1796174807.434211   23104 some_kernel.cc:52] a real error\n"
NOISE_LINES = [
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n",
    "I0000 00:00:1796174801.070404   23104 port.cc:153] oneDNN custom operations are on.\n",
    ("I0000 00:00:1796174801.070953   23104 cudart_stub.cc:31] Could not find cuda drivers on "
     "your machine, GPU will not be used.\n"),
    ("To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild "
     "TensorFlow with the appropriate compiler flags.\n"),
]


def test_known_notices_are_noise_and_errors_are_not():
    for line in NOISE_LINES:
        assert is_noise(line), line
    assert not is_noise(REAL_CPP_ERROR)
    assert not is_noise("Traceback (most recent call last):\n")
    assert not is_noise("W0000 00:00:1.0 1 op_kernel.cc:1] OP_REQUIRES failed: out of memory\n")


def test_quiet_stderr_filters_descriptor_2_and_passes_the_rest_on(capfd):
    with quiet_stderr():
        for line in NOISE_LINES:
            os.write(2, line.encode())
        os.write(2, REAL_CPP_ERROR.encode())
        os.write(2, b"a Python warning, by the descriptor\n")
        with quiet_stderr():  # nested: the outer block filters
            os.write(2, NOISE_LINES[1].encode())
            os.write(2, b"inner\n")
    os.write(2, NOISE_LINES[1].encode())  # after the block: not filtered
    err = capfd.readouterr().err
    assert err == REAL_CPP_ERROR + "a Python warning, by the descriptor\ninner\n" + NOISE_LINES[1]


def test_an_error_inside_the_block_restores_descriptor_2(capfd):
    with pytest.raises(RuntimeError, match="boom"), quiet_stderr():
        raise RuntimeError("boom")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "after\n"


def _run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, env=USER_ENV,
                          check=False, **kwargs)


def test_sktag_demo_is_quiet_and_shows_both_models():
    assert SKTAG, "the sktag console script is not installed (pip install -e .)"
    result = _run([SKTAG, "demo", "--max-steps", "24"])
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert not TENSORFLOW_NOISE.search(result.stdout), result.stdout
    out = result.stdout
    assert "| model | accuracy | unseen-word accuracy | fit seconds |" in out
    rows = re.findall(r"^\| (.+?) \| (0\.\d{4}) \| (0\.\d{4}) \([\d,]+ tokens\) \| ([\d.]+) \|$",
                      out, re.MULTILINE)
    assert [row[0] for row in rows] == ["Embedding + Dense (the tutorial)",
                                        "conv context + characters"]
    tagged = re.findall(r"^  (\S+)\t(\S+)$", out, re.MULTILINE)
    assert [token for token, _ in tagged] == ["The", "new", "tagger", "reads", "sentences", "from",
                                              "Zurich", "in", "2025", "."]
    better = max(rows, key=lambda row: float(row[1]))[0]
    assert f"tagging a new sentence with the {better} model:" in out


def test_a_grid_search_of_taggers_is_quiet_and_real_errors_still_show():
    code = textwrap.dedent("""
        import os
        from sklearn.model_selection import GridSearchCV
        from sktag import TokenTagger
        from sktag._tensorflow import quiet_stderr
        X = [["a", "b", "c"], ["b", "c"], ["c", "a"]] * 4
        y = [["x", "y", "z"], ["y", "z"], ["z", "x"]] * 4
        search = GridSearchCV(TokenTagger(epochs=5, learning_rate=0.1),  # they learn: no
                              {"d_model": [4, 8]}, cv=3).fit(X, y)  # ConvergenceWarning
        print("best", search.best_params_)
        with quiet_stderr():
            os.write(2, b"E0000 00:00:1.0 1 kernel.cc:1] a real error\\n")
        raise SystemExit("the user's own error")
    """)
    result = _run([sys.executable, "-c", code])
    assert result.stdout.startswith("best {'d_model': "), result.stderr
    # 7 fits (retracing warnings came from the fifth on), then the errors, exactly.
    assert result.returncode == 1
    assert result.stderr == "E0000 00:00:1.0 1 kernel.cc:1] a real error\nthe user's own error\n"
