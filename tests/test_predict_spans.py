"""TokenTagger.predict_spans and annotate: raw text to entities with offsets and scores,
and `sktag predict --output-format jsonl`."""

import functools
import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from sktag import TokenTagger
from sktag.decoding import Lattice, span_marginals
from sktag.metrics import spans_from_labels
from sktag.spans import Span
from sktag.tokenization import RegexTokenizer

SENTENCES = [
    (["Angela", "Merkel", "visited", "Paris", "."], ["PER", "PER", "O", "LOC", "O"]),
    (["Bob", "lives", "in", "New", "York", "."], ["PER", "O", "O", "LOC", "LOC", "O"]),
    (["The", "cat", "sat", "."], ["O", "O", "O", "O"]),
    (["Ann", "met", "Bob", "Smith", "in", "Rome", "."], ["PER", "O", "PER", "PER", "O", "LOC", "O"]),
]


def _tags(types, scheme):
    """Entity types per token (one entity per run of a type) in ``scheme``."""
    out = []
    for i, kind in enumerate(types):
        if kind == "O":
            out.append("O")
            continue
        first = i == 0 or types[i - 1] != kind
        last = i == len(types) - 1 or types[i + 1] != kind
        if scheme == "IOB2":
            prefix = "B" if first else "I"
        elif scheme == "IOB1":
            prefix = "I"
        else:
            single, end = ("S", "E") if scheme == "IOBES" else ("U", "L")
            prefix = single if first and last else "B" if first else end if last else "I"
        out.append(f"{prefix}-{kind}")
    return out


@functools.lru_cache
def _fitted(scheme):
    X = [tokens for tokens, _ in SENTENCES] * 15
    y = [_tags(types, scheme) for _, types in SENTENCES] * 15
    return TokenTagger(d_model=8, epochs=25, learning_rate=0.05, random_state=0).fit(X, y)


@pytest.fixture(params=["IOB2", "IOB1", "IOBES", "BILOU"])
def ner(request):
    return request.param, _fitted(request.param)


def test_the_scheme_is_detected_in_fit_and_spans_are_read_in_it(ner):
    scheme, tagger = ner
    assert tagger.label_scheme_ == scheme
    text = "Ann met Bob Smith in Rome."
    (spans,) = tagger.predict_spans([text])
    assert [(s.label, s.text, s.start, s.end) for s in spans] == [
        ("PER", "Ann", 0, 3), ("PER", "Bob Smith", 8, 17), ("LOC", "Rome", 21, 25)]
    for span in spans:
        assert text[span.start:span.end] == span.text
        assert 0.5 < span.score <= 1.0
    # Token indices of the text as sktag.tokenization splits it ("Rome" "." apart).
    assert [(s.token_start, s.token_end) for s in spans] == [(0, 1), (2, 4), (5, 6)]


def test_scores_are_the_span_marginals_of_the_lattice_the_tagger_decodes(ner):
    scheme, tagger = ner
    tokens = ["Bob", "lives", "in", "New", "York", "."]
    (spans,) = tagger.predict_spans([tokens])
    (p,) = tagger.predict_proba([tokens])
    found = [(s.label, s.token_start, s.token_end) for s in spans]
    expected = Lattice(tagger.classes_, scheme).span_marginals(p, found)
    np.testing.assert_allclose([s.score for s in spans], expected, rtol=1e-9)
    np.testing.assert_allclose(expected, span_marginals(p, found, tagger.classes_, scheme),
                               rtol=1e-9)  # the label lattice
    # Pre-tokenized input: offsets into the tokens joined by spaces.
    joined = " ".join(tokens)
    assert [joined[s.start:s.end] for s in spans] == [s.text for s in spans] == ["Bob", "New York"]


def test_min_score_filters_and_tags_agree_with_predict(ner):
    _, tagger = ner
    texts = ["Ann met Bob Smith in Rome.", "Angela Merkel visited Paris."]
    everything = tagger.predict_spans(texts)
    assert tagger.predict_spans(texts, min_score=1.01) == [[], []]
    some = tagger.predict_spans(texts, min_score=0.9)
    assert all(set(a) <= set(b) for a, b in zip(some, everything))
    results = tagger.annotate(texts)
    for result, text in zip(results, texts):
        words = [t["text"] for t in result["tokens"]]
        assert [t["tag"] for t in result["tokens"]] == tagger.predict([words])[0]
        for token in result["tokens"]:
            assert text[token["start"]:token["end"]] == token["text"]
            assert 0.0 <= token["probability"] <= 1.0
    json.dumps(results)  # JSON types only


def test_empty_and_whitespace_texts_give_no_spans(ner):
    _, tagger = ner
    texts = ["", "   ", "\t\n", "Rome"]
    spans = tagger.predict_spans(texts)
    assert spans[:3] == [[], [], []]
    assert [r["tokens"] for r in tagger.annotate(texts)][:3] == [[], [], []]
    assert tagger.predict_spans([[]]) == [[]]


def test_non_ascii_and_long_texts_keep_offsets_inside_the_text(ner):
    _, tagger = ner
    texts = ["Ann 😀 met Bo\u0301b in Rome 서울.", ("Ann met Bob in Rome. " * 5000).strip()]
    for text, spans in zip(texts, tagger.predict_spans(texts)):
        ends = [-1]
        for span in spans:
            assert 0 <= span.start < span.end <= len(text)
            assert span.start >= ends[-1], "spans overlap"
            assert text[span.start:span.end] == span.text
            ends.append(span.end)
    assert len(tagger.predict_spans([texts[1]], split_sentences=True)[0]) >= 10000


def test_split_sentences_keeps_offsets_into_the_whole_text(ner):
    _, tagger = ner
    text = "Ann met Bob Smith in Rome. Angela Merkel visited Paris."
    (together,) = tagger.predict_spans([text], split_sentences=True)
    assert [s.text for s in together] == ["Ann", "Bob Smith", "Rome", "Angela Merkel", "Paris"]
    assert all(text[s.start:s.end] == s.text for s in together)
    assert together[3].token_start == 7  # token indices run over the whole text


def test_a_tokenizer_parameter_overrides_the_default():
    tagger = _fitted("IOB2")
    tagger = TokenTagger(**{**tagger.get_params(), "tokenizer": str.split}).fit(
        [tokens for tokens, _ in SENTENCES] * 15,
        [_tags(types, tagger.label_scheme_) for _, types in SENTENCES] * 15)
    (spans,) = tagger.predict_spans(["Ann met Bob in Rome."])
    assert spans[-1].text == "Rome."  # str.split keeps the period: its tokens, offsets found
    regex = TokenTagger(**{**tagger.get_params(), "tokenizer": RegexTokenizer()})
    regex.fit([tokens for tokens, _ in SENTENCES] * 15,
              [_tags(types, tagger.label_scheme_) for _, types in SENTENCES] * 15)
    assert regex.predict_spans(["Ann met Bob in Rome."])[0][-1].text == "Rome"

    def lower(text):
        return text.lower().split()

    tagger.set_params(tokenizer=lower)
    with pytest.raises(ValueError, match="X: text 0: "):
        tagger.predict_spans(["Ann met Bob."])


def test_spans_compare_with_gold_spans_from_labels(ner):
    scheme, tagger = ner
    X = [tokens for tokens, _ in SENTENCES]
    y = [_tags(types, scheme) for _, types in SENTENCES]
    gold = spans_from_labels(y, scheme=scheme, mode="strict")
    predicted = [[(s.token_start, s.token_end, s.label) for s in spans]
                 for spans in tagger.predict_spans(X)]
    assert predicted == gold


def test_predict_spans_needs_an_entity_tagging():
    tagger = TokenTagger(d_model=4, epochs=1).fit([["a", "b"]] * 3, [["NOUN", "VERB"]] * 3)
    assert tagger.label_scheme_ is None
    with pytest.raises(ValueError, match="predict_spans needs an entity tagging"):
        tagger.predict_spans(["a b"])
    (result,) = tagger.annotate(["a b."])
    assert "spans" not in result and [t["text"] for t in result["tokens"]] == ["a", "b", "."]
    with pytest.raises(TypeError, match="X is a single str"):
        tagger.annotate("a b")
    with pytest.raises(TypeError, match="sentence 1, token 0 is int 3"):
        tagger.annotate(["a", [3]])


def test_span_is_a_value():
    span = Span(0, 3, "PER", "Ann", 0.5, 0, 1)
    assert span == Span(0, 3, "PER", "Ann", 0.5, 0, 1)
    assert json.loads(json.dumps(span.to_dict()))["text"] == "Ann"


SKTAG = shutil.which("sktag", path=os.path.dirname(sys.executable)) or shutil.which("sktag")


def test_cli_writes_one_json_object_per_line(tmp_path):
    tagger = _fitted("IOB2")
    model = tmp_path / "ner.sktag"
    tagger.save(model)
    text = tmp_path / "in.txt"
    text.write_text("Ann met Bob Smith in Rome.\n\n   \nAngela Merkel visited Paris.\n",
                    encoding="utf-8")
    result = subprocess.run([SKTAG, "predict", str(model), str(text), "--output-format", "jsonl",
                             "--min-score", "0.5"], capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["text"] for line in lines] == ["Ann met Bob Smith in Rome.", "", "   ",
                                                "Angela Merkel visited Paris."]
    assert [[s["text"] for s in line["spans"]] for line in lines] == [
        ["Ann", "Bob Smith", "Rome"], [], [], ["Angela Merkel", "Paris"]]
    assert lines[0]["tokens"][-1] == {**lines[0]["tokens"][-1], "text": ".", "start": 25,
                                      "end": 26, "tag": "O"}
    # Plain text out: punctuation split off as the model was trained.
    tsv = subprocess.run([SKTAG, "predict", str(model), "-"], input="Ann visited Rome.\n",
                         capture_output=True, text=True, timeout=120, check=False)
    assert tsv.stdout.splitlines() == ["Ann\tB-PER", "visited\tO", "Rome\tB-LOC", ".\tO", ""]
    bad = subprocess.run([SKTAG, "predict", str(model), str(text), "--min-score", "0.5"],
                         capture_output=True, text=True, timeout=120, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "--min-score filters the entities of --output-format jsonl" in bad.stderr
