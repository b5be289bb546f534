"""Tests of sktag.plotting: history curves, confusion matrices, span thresholds."""

import subprocess
import sys

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from sklearn.exceptions import NotFittedError
from sklearn.metrics import confusion_matrix

from sktag.metrics import precision_recall_by_threshold
from sktag.plotting import plot_confusion, plot_history, plot_precision_recall_threshold

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

HISTORY = {
    "loss": [1.2, 0.8, 0.5],
    "accuracy": [0.4, 0.7, 0.9],
    "val_loss": [1.1, 0.9, 0.85],
    "val_accuracy": [0.45, 0.6, 0.65],
}

Y_TRUE = [["DET", "NOUN", "VERB"], ["NOUN", "VERB"], ["DET", "ADJ", "NOUN"]]
Y_PRED = [["DET", "VERB", "VERB"], ["NOUN", "VERB"], ["DET", "NOUN", "NOUN"]]


def _flat(y):
    return [label for seq in y for label in seq]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def fitted_tagger():
    from sktag import TokenTagger

    X = [["the", "dog", "runs"], ["a", "cat", "sleeps"], ["the", "cat", "runs"]]
    y = [["DET", "NOUN", "VERB"]] * 3
    X_val, y_val = [["a", "dog", "sleeps"]], [["DET", "NOUN", "VERB"]]
    tagger = TokenTagger(d_model=4, epochs=2, random_state=0)
    return tagger.fit(X, y, validation_data=(X_val, y_val))


def _png_size(path):
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    # IHDR chunk: width and height are the big-endian ints at bytes 16..24.
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


# --------------------------------------------------------------------------
# plot_history
# --------------------------------------------------------------------------


def test_plot_history_draws_loss_and_accuracy_from_epoch_1(tmp_path):
    path = tmp_path / "history.png"
    axes = plot_history(HISTORY, path=path)

    width, height = _png_size(path)
    assert width > 0 and height > 0
    assert width > height  # two panels side by side

    assert len(axes) == 2
    ax_loss, ax_acc = axes
    assert ax_loss.figure is ax_acc.figure
    for ax, train_key, val_key in [
        (ax_loss, "loss", "val_loss"),
        (ax_acc, "accuracy", "val_accuracy"),
    ]:
        lines = ax.get_lines()
        assert len(lines) == 2
        np.testing.assert_allclose(lines[0].get_ydata(), HISTORY[train_key])
        np.testing.assert_allclose(lines[1].get_ydata(), HISTORY[val_key])
        np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2, 3])
        np.testing.assert_array_equal(lines[1].get_xdata(), [1, 2, 3])
        assert lines[0].get_linestyle() == "-"
        assert lines[1].get_linestyle() == "--"
        assert ax.get_xlabel() == "Epoch"
        assert ax.get_legend() is not None
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            "training",
            "validation",
        ]
    assert ax_loss.get_title() == "Loss"
    assert ax_acc.get_title() == "Accuracy"


def test_plot_history_without_validation_has_one_line_per_panel():
    history = {"loss": [0.9, 0.4], "accuracy": [0.5, 0.8]}
    ax_loss, ax_acc = plot_history(history)
    assert len(ax_loss.get_lines()) == 1
    assert len(ax_acc.get_lines()) == 1
    np.testing.assert_allclose(ax_acc.get_lines()[0].get_ydata(), [0.5, 0.8])
    np.testing.assert_array_equal(ax_loss.get_lines()[0].get_xdata(), [1, 2])


def test_plot_history_accepts_fitted_tagger(fitted_tagger, tmp_path):
    history = fitted_tagger.history_
    assert set(history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    path = tmp_path / "tagger.png"
    ax_loss, ax_acc = plot_history(fitted_tagger, path=path)
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    lines = ax_loss.get_lines()
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_ydata(), history["loss"])
    np.testing.assert_allclose(lines[1].get_ydata(), history["val_loss"])
    np.testing.assert_array_equal(lines[0].get_xdata(), [1, 2])
    np.testing.assert_allclose(ax_acc.get_lines()[1].get_ydata(), history["val_accuracy"])


def test_plot_history_unfitted_tagger_raises_not_fitted():
    from sktag import TokenTagger

    with pytest.raises(NotFittedError):
        plot_history(TokenTagger())


@pytest.mark.parametrize(
    "history, match",
    [
        ({"accuracy": [0.5, 0.6]}, "no 'loss'"),
        ({}, "history is empty"),
        ({"loss": [], "accuracy": []}, r"history\['loss'\] is empty"),
        ({"loss": [[1, 2], [3, 4]]}, "flat list"),
        ({"loss": ["a", "b"]}, "list of numbers"),
    ],
)
def test_plot_history_bad_history_raises_value_error(history, match):
    with pytest.raises(ValueError, match=match):
        plot_history(history)
    assert plt.get_fignums() == []  # nothing drawn before the check


def test_plot_history_rejects_non_history():
    with pytest.raises(TypeError, match="fitted TokenTagger or a dict"):
        plot_history([0.5, 0.4])


def test_plot_history_uses_given_axes():
    _, given = plt.subplots(1, 2)
    n_figures = len(plt.get_fignums())
    axes = plot_history(HISTORY, axes=given)
    assert len(plt.get_fignums()) == n_figures
    assert axes[0] is given[0] and axes[1] is given[1]
    assert len(given[0].get_lines()) == 2
    np.testing.assert_allclose(given[1].get_lines()[0].get_ydata(), HISTORY["accuracy"])


def test_plot_history_rejects_wrong_number_of_axes():
    _, given = plt.subplots(1, 3)
    with pytest.raises(ValueError, match="two matplotlib Axes"):
        plot_history(HISTORY, axes=given)


def test_plot_history_without_accuracy_still_plots_loss():
    ax_loss, ax_acc = plot_history({"loss": [0.5, 0.3]})
    assert len(ax_loss.get_lines()) == 1
    assert ax_acc.get_lines() == []
    assert any("accuracy" in t.get_text() for t in ax_acc.texts)


# --------------------------------------------------------------------------
# plot_confusion
# --------------------------------------------------------------------------


def test_plot_confusion_image_is_the_confusion_matrix(tmp_path):
    path = tmp_path / "confusion.png"
    ax = plot_confusion(Y_TRUE, Y_PRED, path=path)
    expected = confusion_matrix(_flat(Y_TRUE), _flat(Y_PRED))
    np.testing.assert_array_equal(ax.images[0].get_array(), expected)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ADJ", "DET", "NOUN", "VERB"]
    width, height = _png_size(path)
    assert width > 0 and height > 0


def test_plot_confusion_normalize_true_rows_sum_to_one():
    ax = plot_confusion(Y_TRUE, Y_PRED, normalize="true")
    matrix = np.asarray(ax.images[0].get_array())
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0)
    expected = confusion_matrix(_flat(Y_TRUE), _flat(Y_PRED), normalize="true")
    np.testing.assert_allclose(matrix, expected)


def test_plot_confusion_labels_order_and_int_labels():
    y_true = [[0, 1, 2], [2, 1]]
    y_pred = [[0, 2, 2], [2, 0]]
    ax = plot_confusion(y_true, y_pred, labels=[2, 1, 0])
    expected = confusion_matrix(_flat(y_true), _flat(y_pred), labels=[2, 1, 0])
    np.testing.assert_array_equal(ax.images[0].get_array(), expected)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2", "1", "0"]


def test_plot_confusion_sample_weight_is_per_sentence():
    ax = plot_confusion(Y_TRUE, Y_PRED, sample_weight=[2, 0, 1])
    # Each sentence's weight applies to each of its tokens.
    expected = confusion_matrix(
        _flat(Y_TRUE), _flat(Y_PRED), sample_weight=[2, 2, 2, 0, 0, 1, 1, 1]
    )
    np.testing.assert_allclose(ax.images[0].get_array(), expected)
    assert np.asarray(ax.images[0].get_array()).sum() == 2 * 3 + 0 * 2 + 1 * 3


def test_plot_confusion_mismatched_lengths_name_the_sentence():
    y_pred = [Y_PRED[0], ["NOUN"], Y_PRED[2]]
    with pytest.raises(ValueError, match="sentence 1"):
        plot_confusion(Y_TRUE, y_pred)


def test_plot_confusion_bad_normalize():
    with pytest.raises(ValueError, match="normalize must be one of"):
        plot_confusion(Y_TRUE, Y_PRED, normalize="rows")


def test_plot_confusion_draws_on_given_ax_and_rotates_many_labels():
    _, ax = plt.subplots()
    labels = [f"TAG{i}" for i in range(8)]
    y = [labels, labels[::-1]]
    returned = plot_confusion(y, y, ax=ax)
    assert returned is ax
    assert all(t.get_rotation() == 45 for t in ax.get_xticklabels())
    np.testing.assert_array_equal(np.diag(ax.images[0].get_array()), [2] * 8)

    few = plot_confusion(Y_TRUE, Y_PRED)
    assert all(t.get_rotation() == 0 for t in few.get_xticklabels())


# --------------------------------------------------------------------------
# plot_precision_recall_threshold
# --------------------------------------------------------------------------

TRUE_SPANS = [[(0, 2, "PER"), (3, 4, "LOC")], [(1, 3, "ORG")]]
PRED_SPANS = [
    [{"start": 0, "end": 2, "label": "PER", "score": 0.9},
     {"start": 3, "end": 4, "label": "ORG", "score": 0.4}],
    [{"start": 1, "end": 3, "label": "ORG", "score": 0.7},
     {"start": 5, "end": 6, "label": "LOC", "score": 0.2}],
]


def test_plot_precision_recall_threshold_draws_the_curve(tmp_path):
    path = tmp_path / "threshold.png"
    ax = plot_precision_recall_threshold(TRUE_SPANS, PRED_SPANS, positions="char", path=path)
    curve = precision_recall_by_threshold(TRUE_SPANS, PRED_SPANS, positions="char")
    precision, recall = ax.get_lines()
    np.testing.assert_allclose(precision.get_xdata(), [0.2, 0.4, 0.7, 0.9])
    np.testing.assert_allclose(precision.get_ydata(), curve["precision"])
    np.testing.assert_allclose(recall.get_ydata(), curve["recall"])
    np.testing.assert_allclose(recall.get_ydata(), [2 / 3, 2 / 3, 2 / 3, 1 / 3])
    assert precision.get_label() == "precision" and recall.get_linestyle() == "--"
    assert ax.get_xlabel() == "Score threshold"
    assert _png_size(path)[0] > 0


def test_plot_precision_recall_threshold_on_given_ax_with_thresholds():
    _, ax = plt.subplots()
    returned = plot_precision_recall_threshold(
        TRUE_SPANS, PRED_SPANS, thresholds=[0.8, 0.1], positions="char", ax=ax)
    assert returned is ax
    x = ax.get_lines()[0].get_xdata()
    np.testing.assert_allclose(x, [0.1, 0.8])  # drawn in increasing order
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), [2 / 3, 1 / 3])
    # a single threshold is drawn as a point
    one = plot_precision_recall_threshold(TRUE_SPANS, PRED_SPANS, thresholds=[0.5],
                                          positions="char")
    assert one.get_lines()[0].get_marker() == "o"


def test_plot_precision_recall_threshold_bad_spans():
    with pytest.raises(ValueError, match="pred_spans: sentence 0 has a span without a score"):
        plot_precision_recall_threshold([[(0, 1, "PER")]], [[(0, 1, "PER")]])
    with pytest.raises(ValueError, match="true_spans has 2 sentences but pred_spans has 1"):
        plot_precision_recall_threshold(TRUE_SPANS, PRED_SPANS[:1], positions="char")


# --------------------------------------------------------------------------
# Optional dependency
# --------------------------------------------------------------------------


def test_import_does_not_load_matplotlib_or_tensorflow():
    code = (
        "import sys, sktag.plotting\n"
        "loaded = [m for m in ('matplotlib', 'tensorflow', 'keras') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_missing_matplotlib_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r'pip install "sktag\[plot\]"'):
        plot_history(HISTORY)
    with pytest.raises(ImportError, match=r'pip install "sktag\[plot\]"'):
        plot_confusion(Y_TRUE, Y_PRED)
    with pytest.raises(ImportError, match=r'pip install "sktag\[plot\]"'):
        plot_precision_recall_threshold(TRUE_SPANS, PRED_SPANS, positions="char")
