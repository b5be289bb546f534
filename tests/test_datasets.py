"""Tests of the shipped UD samples and their loaders in sktag.datasets."""

from importlib import resources
from pathlib import Path

import pytest

from sktag.datasets import load_ud_english_sample, load_ud_korean_sample
from sktag.io import read_conllu

UPOS_TAGS = {
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM",
    "PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
}  # fmt: skip
LOADERS = [load_ud_english_sample, load_ud_korean_sample]


def check_aligned(X, y):
    assert len(X) == len(y)
    for tokens, labels in zip(X, y):
        assert len(tokens) > 0
        assert len(tokens) == len(labels)
        assert all(isinstance(t, str) and t for t in tokens)


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("subset, n_sentences", [("train", 1500), ("test", 500), ("all", 2000)])
def test_sample_sizes_and_upos_labels(loader, subset, n_sentences):
    X, y = loader(subset=subset, return_X_y=True)
    assert len(X) == n_sentences
    check_aligned(X, y)
    labels = {label for sent in y for label in sent}
    assert labels <= UPOS_TAGS
    assert {"NOUN", "VERB", "PUNCT"} <= labels


@pytest.mark.parametrize("loader", LOADERS)
def test_all_is_train_then_test(loader):
    X_train, y_train = loader(subset="train", return_X_y=True)
    X_test, y_test = loader(subset="test", return_X_y=True)
    X_all, y_all = loader(subset="all", return_X_y=True)
    assert X_all == X_train + X_test
    assert y_all == y_train + y_test
    assert X_train[0] != X_test[0]


def test_english_sample_content():
    X, y = load_ud_english_sample(subset="test", return_X_y=True)
    assert X[0][:4] == ["From", "the", "AP", "comes"]
    assert y[0][:4] == ["ADP", "DET", "PROPN", "VERB"]
    # Multiword tokens are split into syntactic words: "don't" -> "do", "n't".
    X_train, _ = load_ud_english_sample(return_X_y=True)
    tokens = {t for sent in X_train for t in sent}
    assert "n't" in tokens
    assert "don't" not in tokens
    assert sum(map(len, X_train)) == 32997


def test_bunch_fields():
    bunch = load_ud_english_sample(subset="train")
    X, y = load_ud_english_sample(subset="train", return_X_y=True)
    assert bunch.data == X
    assert bunch.target == y
    assert bunch.target_names == sorted({label for sent in y for label in sent})
    assert "CC BY-SA 4.0" in bunch.DESCR
    assert "English-EWT" in bunch.DESCR
    assert Path(bunch.filename).name == "en_ewt-ud-sample-train.conllu"
    assert Path(bunch.filename).is_file()
    assert read_conllu(bunch.filename) == (X, y)


def test_bunch_filename_for_all_lists_both_files():
    bunch = load_ud_korean_sample(subset="all")
    assert [Path(p).name for p in bunch.filename] == [
        "ko_kaist-ud-sample-train.conllu",
        "ko_gsd-ud-sample-test.conllu",
    ]
    assert "Korean-Kaist" in bunch.DESCR and "Korean-GSD" in bunch.DESCR


@pytest.mark.parametrize("subset", ["train", "test"])
def test_korean_noun_labels_are_int_0_1_from_upos(subset):
    X, y_noun = load_ud_korean_sample(subset=subset, tag="noun", return_X_y=True)
    X_upos, y_upos = load_ud_korean_sample(subset=subset, return_X_y=True)
    assert X == X_upos
    check_aligned(X, y_noun)
    flat = [label for sent in y_noun for label in sent]
    assert all(type(label) is int for label in flat)
    assert set(flat) == {0, 1}
    expected = [[int(u in ("NOUN", "PROPN")) for u in sent] for sent in y_upos]
    assert y_noun == expected


def test_korean_noun_bunch_target_names_and_case():
    bunch = load_ud_korean_sample(tag="NOUN")
    assert bunch.target_names == ["기타", "명사"]
    assert bunch.data[0] == ["내", "고향은", "서울입니다", "."]
    assert bunch.target[0] == [0, 1, 0, 0]


def test_xpos_tag_gives_treebank_specific_labels():
    _, y_en = load_ud_english_sample(subset="test", tag="xpos", return_X_y=True)
    assert y_en[0][:4] == ["IN", "DT", "NNP", "VBZ"]
    _, y_ko = load_ud_korean_sample(subset="train", tag="XPOS", return_X_y=True)
    assert y_ko[0] == ["mma", "ncn+jxt", "nq+jp+ef", "sf"]


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("subset", ["dev", "Train", "", None])
def test_bad_subset_lists_valid_ones(loader, subset):
    with pytest.raises(ValueError) as excinfo:
        loader(subset=subset)
    message = str(excinfo.value)
    for name in ("'train'", "'test'", "'all'"):
        assert name in message


def test_unknown_tag_is_rejected():
    with pytest.raises(ValueError, match="unknown CoNLL-U column"):
        load_ud_english_sample(tag="noun")  # "noun" is a Korean-sample task only
    with pytest.raises(ValueError, match="unknown CoNLL-U column"):
        load_ud_korean_sample(tag="pos")


def test_package_data_ships_licences_and_readme():
    data = resources.files("sktag.datasets").joinpath("data")
    names = {entry.name for entry in data.iterdir()}
    assert {
        "README.md",
        "LICENSE-UD_English-EWT.txt",
        "LICENSE-UD_Korean-Kaist.txt",
        "LICENSE-UD_Korean-GSD.txt",
    } <= names
    readme = data.joinpath("README.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in readme
    sample_bytes = sum(
        entry.stat().st_size for entry in map(Path, map(str, data.iterdir()))
        if entry.suffix == ".conllu"
    )
    assert sample_bytes < 4_000_000  # samples must stay small
