"""Scores for token tagging: token accuracy, entity- and span-level scores, scorers.

The token- and entity-level functions take ``y_true`` and ``y_pred`` in
sktag's convention: a list of sentences, each a list of labels (``str`` or
``int``), one label per token -- exactly what
:meth:`sktag.TokenTagger.predict` returns. Both inputs are checked by the
rule the estimator applies to ``y`` (:func:`sktag.validation.check_label_pair`:
``y_pred`` against the lengths and label type of ``y_true``), and a mismatch
names the sentence at fault.

Three families of scores are provided:

* **Token-level** -- :func:`token_accuracy` and :func:`classification_report`
  count every token on its own; they suit any tag set (POS tags, noun / other,
  ...).
* **Entity-level** -- :func:`entity_precision_recall_f1`, :func:`entity_f1`,
  :func:`entity_precision`, :func:`entity_recall` and
  :func:`entity_classification_report` count whole chunks ("spans") encoded in
  a BIO-style scheme (IOB1, IOB2, IOE1, IOE2, IOBES, BILOU). They are computed
  with `seqeval <https://github.com/chakki-works/seqeval>`_ and give exactly
  seqeval's figures. :func:`is_bio_tagging` tells whether a label set looks
  like such a scheme.
* **Span-level** -- :func:`span_scores`, :func:`span_error_table` and
  :func:`precision_recall_by_threshold` compare spans (start, end, type,
  score), such as those of :meth:`sktag.TokenTagger.predict_spans`, with
  true spans, which :func:`spans_from_labels` reads from tags: exact-match
  scores, nervaluate's four schemes, the errors per entity type, and the
  effect of dropping low-scoring spans.

Each family has its module, as in :mod:`sklearn.metrics`:
:mod:`sktag.metrics.tokens`, :mod:`sktag.metrics.entities`,
:mod:`sktag.metrics.spans` and :mod:`sktag.metrics.scorers`; every public
name is imported from here.

The module-level scorers (:data:`token_accuracy_scorer`,
:data:`entity_f1_scorer`, :data:`entity_precision_scorer`,
:data:`entity_recall_scorer`), or :func:`get_scorer` with their names, plug
into ``GridSearchCV(scoring=...)``, ``cross_val_score(scoring=...)`` and
``cross_validate``: they call ``estimator.predict(X)`` and compare the result
with the list-of-lists ``y``.

Examples
--------
>>> from sktag.metrics import token_accuracy, entity_f1
>>> y_true = [["B-PER", "I-PER", "O"], ["O", "B-LOC"]]
>>> y_pred = [["B-PER", "I-PER", "O"], ["O", "O"]]
>>> token_accuracy(y_true, y_pred)
0.8
>>> round(entity_f1(y_true, y_pred), 4)
0.6667
"""

from .entities import (
    SCHEMES,
    entity_classification_report,
    entity_f1,
    entity_precision,
    entity_precision_recall_f1,
    entity_recall,
    is_bio_tagging,
    spans_from_labels,
)
from .scorers import (
    entity_f1_scorer,
    entity_precision_scorer,
    entity_recall_scorer,
    get_scorer,
    token_accuracy_scorer,
)
from .spans import (
    SPAN_SCHEMES,
    precision_recall_by_threshold,
    span_error_table,
    span_scores,
)
from .tokens import classification_report, token_accuracy

__all__ = [
    "SCHEMES",
    "SPAN_SCHEMES",
    "classification_report",
    "entity_classification_report",
    "entity_f1",
    "entity_f1_scorer",
    "entity_precision",
    "entity_precision_recall_f1",
    "entity_precision_scorer",
    "entity_recall",
    "entity_recall_scorer",
    "get_scorer",
    "is_bio_tagging",
    "precision_recall_by_threshold",
    "span_error_table",
    "span_scores",
    "spans_from_labels",
    "token_accuracy",
    "token_accuracy_scorer",
]
