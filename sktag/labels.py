"""Label encoding for token sequences: labels to class ids and back."""

import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .schemes import LabelSchemeWarning, canonical_scheme, detect_scheme, scheme_evidence
from .validation import check_labels
from .vocabulary import pad_sequences, split_state

__all__ = ["SequenceLabelEncoder"]


class SequenceLabelEncoder(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
    """Encode label sequences as padded class-id arrays.

    The sequence counterpart of :class:`sklearn.preprocessing.LabelEncoder`.
    Labels are all str or all int; ``classes_`` keeps that type, and so do
    the labels that :meth:`inverse_transform` returns.

    Parameters
    ----------
    scheme : {"IOB1", "IOB2", "IOBES", "BILOU"}, default=None
        The entity scheme of the labels; None detects it in ``fit``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Sorted distinct labels seen in ``fit``.
    n_classes_ : int
        Number of classes.
    scheme_ : {"IOB1", "IOB2", "IOBES", "BILOU", None}
        The entity scheme of the labels seen in ``fit``: ``scheme`` if
        given, else the one the most entities follow (see
        :func:`sktag.schemes.detect_scheme`); None for tags that are not an
        entity tagging (part-of-speech tags, int labels).

    Examples
    --------
    >>> from sktag.labels import SequenceLabelEncoder
    >>> enc = SequenceLabelEncoder().fit([["O", "B-PER"], ["O"]])
    >>> enc.transform([["B-PER", "O"], ["O"]])
    array([[0, 1],
           [1, 0]], dtype=int32)
    >>> enc.inverse_transform([[0, 1], [1]])
    [['B-PER', 'O'], ['O']]
    """

    def __init__(self, scheme=None):
        self.scheme = scheme

    def fit(self, y):
        """Learn the label set.

        Parameters
        ----------
        y : list of list of (str or int)
            Label sequences.

        Returns
        -------
        self : SequenceLabelEncoder
        """
        labels = check_labels(y)
        distinct = sorted({label for seq in labels for label in seq})
        self.classes_ = np.array(distinct, dtype=object if isinstance(distinct[0], str) else np.int64)
        self.n_classes_ = len(distinct)
        self.scheme_ = self._scheme_of(labels)
        self._index = self._ids()
        return self

    def _scheme_of(self, labels):
        """The scheme of the labels (``scheme``, or detected), with a warning
        when some of their entities break it."""
        if self.scheme is None:
            return detect_scheme(labels, warn=True)
        scheme = canonical_scheme(self.scheme)
        evidence = scheme_evidence(labels, scheme)
        if evidence is None:
            raise ValueError(
                f"y is not an entity tagging in {scheme} (labels such as "
                f"{sorted({label for seq in labels for label in seq}, key=str)[:5]}); "
                f"label_scheme applies to entity labels ('O', 'B-<type>', ...): leave it None.")
        if evidence.breaking:
            warnings.warn(evidence.describe(), LabelSchemeWarning, stacklevel=3)
        return scheme

    #: The fitted attributes of :meth:`to_state`, in order.
    _FITTED_STATE = ("classes_", "n_classes_", "scheme_")

    def to_state(self):
        """The encoder as plain data, for model files.

        Returns
        -------
        state : dict
            ``scheme``; when fitted also ``classes_`` (the encoder's own
            array), ``n_classes_``, ``scheme_`` and ``_index`` (label ->
            class id: derived from ``classes_``, and written because readers
            of sktag 0.1 require it in a model file).
        """
        state = {"scheme": getattr(self, "scheme", None)}  # None: unpickled from sktag 0.1
        if hasattr(self, "classes_"):
            state.update(classes_=self.classes_, n_classes_=self.n_classes_,
                         scheme_=getattr(self, "scheme_", None), _index=self._ids())
        return state

    @classmethod
    def from_state(cls, state):
        """The encoder of :meth:`to_state`'s data.

        The class ids are derived from ``classes_``; an ``_index`` in
        ``state`` is only compared with them.

        Parameters
        ----------
        state : dict
            As :meth:`to_state` gives it; ``scheme`` (newer than sktag 0.1)
            defaults to None, ``_index`` may be left out.

        Returns
        -------
        encoder : SequenceLabelEncoder

        Raises
        ------
        ValueError
            An unknown key, some fitted attributes but not all,
            ``n_classes_`` other than the number of ``classes_``, or an
            ``_index`` that is not the id of each of ``classes_``.
        """
        params, fitted = split_state(cls, state, cls._FITTED_STATE, optional=("_index",))
        encoder = cls(**params)
        if not fitted:
            return encoder
        vars(encoder).update(fitted)
        if encoder.n_classes_ != len(encoder.classes_):
            raise ValueError(f"n_classes_ is {encoder.n_classes_}, but there are "
                             f"{len(encoder.classes_)} classes_")
        encoder._index = encoder._ids()
        if "_index" in state and state["_index"] != encoder._index:
            raise ValueError("_index is not the id of each of classes_")
        return encoder

    def _ids(self):
        """Label -> class id, from ``classes_``."""
        return {label: i for i, label in enumerate(self.classes_.tolist())}

    def get_metadata(self):
        """Attributes copied onto the tagger (a scikeras encoder hook)."""
        # Encoders saved before scheme_ existed have none: no constraints;
        # sktag 0.1.0 named IOB2 "iob2".
        scheme = getattr(self, "scheme_", None)
        return {"classes_": self.classes_, "n_classes_": self.n_classes_,
                "label_scheme_": None if scheme is None else canonical_scheme(scheme)}

    def check_label_type(self, labels, name="y"):
        """Raise if ``labels`` (validated lists) are not of the fitted type.

        Parameters
        ----------
        labels : list of list
            Labels as returned by :func:`sktag.validation.check_labels`.
        name : str, default="y"
            Name used in the error message.
        """
        check_is_fitted(self, "classes_")
        expected = str if self.classes_.dtype == object else int
        for seq in labels:
            if seq:
                if not isinstance(seq[0], expected):
                    raise TypeError(
                        f"{name} has {type(seq[0]).__name__} labels but the model was "
                        f"trained on {expected.__name__} labels "
                        f"(classes_: {self.classes_[:10].tolist()})."
                    )
                return

    def encode(self, y, name="y"):
        """Map label sequences to lists of class ids without padding.

        Parameters
        ----------
        y : list of list of (str or int)
            Validated label sequences.
        name : str, default="y"
            Name used in error messages.

        Returns
        -------
        ids : list of ndarray of int32
        """
        check_is_fitted(self, "classes_")
        self.check_label_type(y, name)
        out = []
        for i, seq in enumerate(y):
            try:
                out.append(np.array([self._index[label] for label in seq], dtype=np.int32))
            except KeyError as exc:
                raise ValueError(
                    f"{name}: sentence {i} has label {exc.args[0]!r}, which was not seen "
                    f"in fit; known labels: {self.classes_[:20].tolist()}."
                ) from None
        return out

    def transform(self, y):
        """Map label sequences to a padded array of class ids.

        Parameters
        ----------
        y : list of list of (str or int)
            Label sequences; every label must have been seen in ``fit``.

        Returns
        -------
        ids : ndarray of int32 of shape (n_sentences, max_length)
            Class ids; padding positions hold 0 and must be masked.
        """
        labels = check_labels(y)
        return pad_sequences(self.encode(labels))

    def inverse_transform(self, ids):
        """Map class ids back to labels.

        Parameters
        ----------
        ids : list of array-like of int
            One id sequence per sentence, unpadded.

        Returns
        -------
        labels : list of list
            Labels of the fitted type (Python str or int).
        """
        check_is_fitted(self, "classes_")
        return [self.classes_[np.asarray(seq, dtype=np.intp)].tolist() for seq in ids]
