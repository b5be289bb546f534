"""Plots of a tagger's training history, its confusion matrix and its spans.

Three functions, all drawing with matplotlib:

* :func:`plot_history` -- the loss and accuracy curves of a fitted
  :class:`~sktag.TokenTagger` (or of its ``history_`` dict), training solid
  and validation dashed, side by side as in the tutorial.
* :func:`plot_confusion` -- the token-level confusion matrix of list-of-lists
  labels, drawn by :class:`sklearn.metrics.ConfusionMatrixDisplay`.
* :func:`plot_precision_recall_threshold` -- strict span precision and
  recall as the score below which predicted spans are dropped rises.

matplotlib is an optional dependency (``pip install "sktag[plot]"``). It is
imported only when a function is called, so ``import sktag.plotting`` loads
neither matplotlib nor TensorFlow. Figures are created with
:mod:`matplotlib.pyplot`, so ``plt.show()`` shows them; close them with
``plt.close(ax.figure)`` when drawing many.

Examples
--------
>>> from sktag.plotting import plot_history, plot_confusion  # doctest: +SKIP
>>> plot_history(tagger, path="history.png")  # doctest: +SKIP
>>> plot_confusion(y_test, tagger.predict(X_test), normalize="true")  # doctest: +SKIP
"""

from collections.abc import Mapping

import numpy as np

from .metrics import precision_recall_by_threshold
from .validation import check_label_pair, check_sentence_weights, describe_value

__all__ = ["plot_confusion", "plot_history", "plot_precision_recall_threshold"]

_NORMALIZE = ("true", "pred", "all", None)

#: Above this many labels, x tick labels of the confusion matrix are rotated.
_ROTATE_ABOVE = 6


def _import_pyplot():
    """Import matplotlib.pyplot, or say how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError('plotting needs matplotlib: pip install "sktag[plot]"') from exc
    return plt


def _save(fig, path):
    """Save ``fig`` as sktag saves every plot."""
    fig.savefig(path, dpi=100, bbox_inches="tight")


# --------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------


def _get_history(history):
    """Return the history mapping of a fitted estimator, a Keras History or a dict."""
    if hasattr(history, "fit") and hasattr(history, "get_params"):
        # An estimator: it must be fitted, and fitted estimators have history_.
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(history)
        if not hasattr(history, "history_"):
            raise ValueError(
                f"{type(history).__name__} has no history_ attribute; pass a "
                "fitted TokenTagger or a dict such as {'loss': [...], "
                "'accuracy': [...]}."
            )
        history = history.history_
    elif not isinstance(history, Mapping) and hasattr(history, "history_"):
        history = history.history_
    elif not isinstance(history, Mapping) and isinstance(
        getattr(history, "history", None), Mapping
    ):
        history = history.history  # keras.callbacks.History, from Model.fit
    if history is None or not hasattr(history, "keys") or isinstance(history, (str, bytes)):
        raise TypeError(
            "history must be a fitted TokenTagger or a dict of per-epoch lists "
            f"such as {{'loss': [...], 'accuracy': [...]}}, got {describe_value(history)}."
        )
    return history


def _series(history, key):
    """Values of ``history[key]`` as a 1-D float array, or None if absent."""
    if key not in history.keys():  # noqa: SIM118 (any object with keys())
        return None
    try:
        values = np.asarray(history[key], dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"history[{key!r}] must be a list of numbers, one per epoch, got "
            f"{describe_value(history[key])}."
        ) from None
    if values.ndim != 1:
        raise ValueError(
            f"history[{key!r}] must be a flat list of numbers, one per epoch; got "
            f"an array of shape {values.shape}."
        )
    return values


def _draw_panel(ax, train, val, name, title):
    """Draw one metric (training solid, validation dashed) on ``ax``."""
    from matplotlib.ticker import MaxNLocator

    ax.plot(np.arange(1, len(train) + 1), train, "-", color="C0", label="training")
    if val is not None and len(val):
        ax.plot(np.arange(1, len(val) + 1), val, "--", color="C1", label="validation")
    ax.set_title(title)
    ax.set_xlabel("Epoch")
    ax.set_ylabel(name)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, alpha=0.3)
    ax.legend()


def plot_history(history, *, axes=None, path=None):
    """Plot loss and accuracy per epoch, training and validation.

    Draws two panels side by side: on the left ``"loss"`` (solid) with
    ``"val_loss"`` (dashed) when present, on the right ``"accuracy"`` with
    ``"val_accuracy"`` when present. Epochs are numbered from 1.

    Parameters
    ----------
    history : TokenTagger or dict of str to list of float
        A fitted :class:`~sktag.TokenTagger` (anything with a ``history_``
        dict), a ``keras.callbacks.History``, or the history dict itself.
        Other keys (such as ``"epoch"`` or ``"learning_rate"``) are ignored.
    axes : sequence of two matplotlib Axes, default=None
        Axes to draw the loss and the accuracy on. None creates a new
        figure of 12 x 4 inches.
    path : str or path-like, default=None
        When given, the figure is saved there (PNG by default, or the format
        of the file extension) at 100 dpi.

    Returns
    -------
    axes : numpy.ndarray of two matplotlib Axes
        The loss Axes and the accuracy Axes.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``history`` is a TokenTagger that is not fitted yet.
    ValueError
        If the history has no ``"loss"`` (or is empty), a series is not a
        flat list of numbers, or ``axes`` is not two Axes.
    TypeError
        If ``history`` is neither an estimator nor a dict.
    ImportError
        If matplotlib is not installed.

    See Also
    --------
    plot_confusion : Token-level confusion matrix.

    Notes
    -----
    If the history has no ``"accuracy"``, the right panel says so instead of
    drawing curves.

    Examples
    --------
    >>> history = {"loss": [0.9, 0.5, 0.3], "accuracy": [0.6, 0.8, 0.9],
    ...            "val_loss": [0.8, 0.6, 0.5], "val_accuracy": [0.6, 0.7, 0.75]}
    >>> ax_loss, ax_acc = plot_history(history)  # doctest: +SKIP
    """
    plt = _import_pyplot()
    history = _get_history(history)
    if len(history) == 0:
        raise ValueError(
            "history is empty: expected per-epoch lists such as 'loss' and "
            "'accuracy'. Fit the tagger first."
        )
    loss = _series(history, "loss")
    if loss is None:
        raise ValueError(
            f"history has no 'loss' key (keys: {sorted(map(str, history.keys()))}); "
            "expected per-epoch lists such as 'loss' and 'accuracy'."
        )
    if len(loss) == 0:
        raise ValueError("history['loss'] is empty: no epoch was recorded.")
    series = {key: _series(history, key) for key in ("val_loss", "accuracy", "val_accuracy")}

    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(12, 4))
    else:
        axes = list(axes) if not isinstance(axes, np.ndarray) else list(axes.ravel())
        if len(axes) != 2 or not all(hasattr(ax, "plot") for ax in axes):
            raise ValueError(
                f"axes must be two matplotlib Axes (loss, accuracy), got {len(axes)} "
                "items; create them with plt.subplots(1, 2)."
            )
        fig = axes[0].figure
    axes = np.asarray(axes, dtype=object)

    _draw_panel(axes[0], loss, series["val_loss"], "Loss", "Loss")
    if series["accuracy"] is not None and len(series["accuracy"]):
        _draw_panel(axes[1], series["accuracy"], series["val_accuracy"], "Accuracy", "Accuracy")
    else:
        axes[1].set_title("Accuracy")
        axes[1].text(
            0.5, 0.5, "no 'accuracy' in history", ha="center", va="center",
            transform=axes[1].transAxes,
        )
    if path is not None:
        _save(fig, path)
    return axes


# --------------------------------------------------------------------------
# Confusion matrix
# --------------------------------------------------------------------------


def plot_confusion(
    y_true, y_pred, *, labels=None, normalize=None, sample_weight=None, ax=None,
    path=None, **kwargs,
):
    """Plot the token-level confusion matrix of label sequences.

    Sentences are flattened (every token is one sample) and drawn with
    :meth:`sklearn.metrics.ConfusionMatrixDisplay.from_predictions`: true
    labels on the rows, predicted labels on the columns.

    Parameters
    ----------
    y_true : list of list of (str or int)
        True labels, one list per sentence, one label per token.
    y_pred : list of list of (str or int)
        Predicted labels, with exactly the shape of ``y_true`` (as
        :meth:`~sktag.TokenTagger.predict` returns).
    labels : array-like, default=None
        Labels to show, in this order; all labels of ``y_true`` and
        ``y_pred`` (sorted) when None.
    normalize : {"true", "pred", "all"}, default=None
        Normalize counts over the true labels (rows sum to 1), the predicted
        labels (columns sum to 1) or all tokens; None shows counts.
    sample_weight : array-like of shape (n_sentences,), default=None
        Weight of each sentence, applied to each of its tokens.
    ax : matplotlib Axes, default=None
        Axes to draw on. None creates a new figure, larger when there are
        many labels.
    path : str or path-like, default=None
        When given, the figure is saved there (PNG by default) at 100 dpi.
    **kwargs
        Passed to ``ConfusionMatrixDisplay.from_predictions``: ``cmap``,
        ``values_format``, ``include_values``, ``colorbar``,
        ``display_labels``, ``xticks_rotation``, ``im_kw``, ``text_kw``.
        Without ``xticks_rotation``, x tick labels are slanted when there
        are more than 6 labels.

    Returns
    -------
    ax : matplotlib Axes
        The Axes holding the matrix; ``ax.images[0].get_array()`` is the
        matrix drawn.

    Raises
    ------
    ValueError
        If the inputs are empty or disagree on the number of sentences or of
        labels in a sentence (the message names the sentence), or
        ``normalize`` is not one of the values above.
    TypeError
        If a label is neither str nor int, or label types are mixed.
    ImportError
        If matplotlib is not installed.

    See Also
    --------
    sktag.metrics.classification_report : Per-label precision and recall.

    Examples
    --------
    >>> y_true = [["DET", "NOUN"], ["VERB"]]
    >>> y_pred = [["DET", "VERB"], ["VERB"]]
    >>> ax = plot_confusion(y_true, y_pred, normalize="true")  # doctest: +SKIP
    """
    plt = _import_pyplot()
    from sklearn.metrics import ConfusionMatrixDisplay

    if normalize not in _NORMALIZE:
        raise ValueError(
            f"normalize must be one of {list(_NORMALIZE)}, got {normalize!r}."
        )
    y_true, y_pred = check_label_pair(y_true, y_pred)
    weights = check_sentence_weights(sample_weight, len(y_true))
    flat_true = [label for seq in y_true for label in seq]
    flat_pred = [label for seq in y_pred for label in seq]
    if weights is not None:
        weights = np.repeat(weights, [len(seq) for seq in y_true])

    n_labels = len(labels) if labels is not None else len(set(flat_true) | set(flat_pred))
    if ax is None:
        side = min(max(6.0, 0.5 * n_labels + 2.0), 30.0)
        _, ax = plt.subplots(figsize=(side + 1.0, side))
    rotate = "xticks_rotation" not in kwargs and n_labels > _ROTATE_ABOVE
    if rotate:
        kwargs["xticks_rotation"] = 45
    display = ConfusionMatrixDisplay.from_predictions(
        flat_true, flat_pred, labels=labels, sample_weight=weights,
        normalize=normalize, ax=ax, **kwargs,
    )
    if rotate:
        plt.setp(display.ax_.get_xticklabels(), ha="right", rotation_mode="anchor")
    if path is not None:
        _save(display.figure_, path)
    return display.ax_


# --------------------------------------------------------------------------
# Span precision and recall by score threshold
# --------------------------------------------------------------------------


def plot_precision_recall_threshold(
    true_spans, pred_spans, *, thresholds=None, labels=None, positions=None, ax=None,
    path=None,
):
    """Plot strict span precision and recall against a score threshold.

    Draws the numbers of :func:`sktag.metrics.precision_recall_by_threshold`:
    for each threshold, the predicted spans scoring at least that much are
    kept and scored against the true spans (exact boundaries and type).
    Precision is solid, recall dashed. Use it to pick the score below which
    :meth:`TokenTagger.predict_spans <sktag.TokenTagger.predict_spans>`
    output is dropped.

    Parameters
    ----------
    true_spans : list of list of span
        True spans, one list per sentence, as in
        :func:`sktag.metrics.span_scores`.
    pred_spans : list of list of span
        Predicted spans, each with a ``score``.
    thresholds : array-like of float, default=None
        Thresholds to draw; None takes every distinct score of
        ``pred_spans``.
    labels : list of str, default=None
        Entity types to keep, as in :func:`sktag.metrics.span_scores`.
    positions : {None, "char", "token"}, default=None
        Which positions of span objects are compared, as in
        :func:`sktag.metrics.span_scores` (``"token"`` against
        :func:`sktag.metrics.spans_from_labels`).
    ax : matplotlib Axes, default=None
        Axes to draw on. None creates a new figure of 6 x 4 inches.
    path : str or path-like, default=None
        When given, the figure is saved there (PNG by default) at 100 dpi.

    Returns
    -------
    ax : matplotlib Axes
        The Axes holding the two lines, precision first
        (``ax.get_lines()[0].get_ydata()``), then recall.

    Raises
    ------
    ValueError
        If a predicted span has no score, or on bad spans as in
        :func:`sktag.metrics.span_scores` (the message names the sentence
        and the span).
    ImportError
        If matplotlib is not installed.

    See Also
    --------
    sktag.metrics.precision_recall_by_threshold : The numbers drawn.

    Examples
    --------
    >>> true = [[(0, 2, "PER"), (3, 4, "LOC")]]
    >>> pred = [[(0, 2, "PER", 0.9), (3, 4, "ORG", 0.4)]]
    >>> ax = plot_precision_recall_threshold(true, pred)  # doctest: +SKIP
    """
    plt = _import_pyplot()
    curve = precision_recall_by_threshold(
        true_spans, pred_spans, thresholds, labels=labels, positions=positions
    )
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    order = np.argsort(curve["threshold"], kind="stable")
    x = curve["threshold"][order]
    marker = "o" if len(x) == 1 else None  # a single point draws no line
    ax.plot(x, curve["precision"][order], "-", color="C0", marker=marker, label="precision")
    ax.plot(x, curve["recall"][order], "--", color="C1", marker=marker, label="recall")
    ax.set_xlabel("Score threshold")
    ax.set_ylabel("Score")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("Span precision and recall (strict match)")
    ax.grid(True, alpha=0.3)
    ax.legend()
    if path is not None:
        _save(ax.figure, path)
    return ax
