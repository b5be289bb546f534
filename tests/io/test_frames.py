"""Tests of sktag.io.read_frame and to_frame: pandas frames with one row per token."""

import io
import sys

import numpy as np
import pytest

from sktag.io import read_frame, to_frame

pd = pytest.importorskip("pandas")

X = [["Thousands", "of", "demonstrators"], ["NA", "Iran"], ["null"]]
Y = [["O", "O", "O"], ["B-geo", "B-geo"], ["O"]]

# The layout of the Kaggle NER dataset (ner_dataset.csv): the sentence id
# only on the first row of each sentence, a POS column, and words such as
# "NA" and "null" that pandas reads as NaN unless told otherwise.
KAGGLE_CSV = """Sentence #,Word,POS,Tag
Sentence: 1,Thousands,NNS,O
,of,IN,O
,demonstrators,NNS,O
Sentence: 2,NA,NNP,B-geo
,Iran,NNP,B-geo
Sentence: 3,null,NN,O
"""


def kaggle_frame(**kwargs):
    return pd.read_csv(io.StringIO(KAGGLE_CSV), **kwargs)


def test_read_frame_forward_fill_layout_of_the_kaggle_csv():
    df = kaggle_frame(keep_default_na=False, na_values={"Sentence #": [""]})
    assert df["Sentence #"].isna().sum() == 3
    assert read_frame(df, sentence="Sentence #", token="Word", tag="Tag") == (X, Y)
    assert read_frame(df, sentence="Sentence #", token="Word", tag="POS")[1] == [
        ["NNS", "IN", "NNS"], ["NNP", "NNP"], ["NN"]]


def test_read_frame_reads_empty_str_ids_as_missing():
    # keep_default_na=False alone leaves the empty ids as "".
    df = kaggle_frame(keep_default_na=False)
    assert (df["Sentence #"] == "").sum() == 3
    assert read_frame(df, sentence="Sentence #", token="Word", tag="Tag") == (X, Y)


def test_read_frame_nan_token_explains_read_csv():
    df = kaggle_frame()  # pandas' defaults: "NA" and "null" become NaN
    with pytest.raises(ValueError) as info:
        read_frame(df, sentence="Sentence #", token="Word", tag="Tag")
    message = str(info.value)
    assert message.startswith("row 3: the token (column 'Word') is missing (float nan).")
    assert "keep_default_na=False, na_values={'Sentence #': ['']}" in message


def test_read_frame_every_row_carries_its_id():
    df = pd.DataFrame({
        "sid": [7, 7, 7, 3, 3, 5],
        "w": [t for s in X for t in s],
        "t": [t for s in Y for t in s],
    })
    # sentences in order of first appearance, not sorted by id
    assert read_frame(df, sentence="sid", token="w", tag="t") == (X, Y)
    assert read_frame(df, sentence="sid", token="w", tag=None) == X


def test_read_frame_int_tags_and_other_index():
    df = pd.DataFrame({"sentence": ["a", "a", "b"], "token": ["x", "y", "z"],
                       "tag": np.array([1, 0, 1])}, index=[10, 11, 12])
    _, y_read = read_frame(df)
    assert y_read == [[1, 0], [1]]
    assert all(type(label) is int for seq in y_read for label in seq)
    df["token"] = pd.Series(["x", 5, "z"], index=df.index, dtype=object)
    with pytest.raises(TypeError, match=r"^row 1 \(index 11\): the token \(column 'token'\) "
                                        r"is int 5; every token must be a str\.$"):
        read_frame(df)


def test_to_frame_and_back():
    df = to_frame(X, Y)
    assert list(df.columns) == ["sentence", "token", "tag"]
    assert df["sentence"].tolist() == [0, 0, 0, 1, 1, 2]
    assert df["token"].tolist() == [t for s in X for t in s]
    assert read_frame(df) == (X, Y)
    tokens_only = to_frame(X, sentence="s", token="w")
    assert list(tokens_only.columns) == ["s", "w"]
    assert read_frame(tokens_only, sentence="s", token="w", tag=None) == X
    # int labels stay int
    assert read_frame(to_frame([["a", "b"]], [[1, 0]])) == ([["a", "b"]], [[1, 0]])


def test_to_frame_round_trips_through_csv(tmp_path):
    path = tmp_path / "corpus.csv"
    to_frame(X, Y).to_csv(path, index=False)
    df = pd.read_csv(path, keep_default_na=False)
    assert read_frame(df) == (X, Y)


@pytest.mark.parametrize(
    "X_bad, y_bad, error, message",
    [
        ([["a"], []], [["O"], []], ValueError,
         "sentence 1 is empty; a frame with one row per token cannot represent it"),
        ([["a", "b"]], [["O"]], ValueError, "sentence 0 has 2 tokens but 1 labels in y"),
        ([["a", 1]], [["O", "O"]], TypeError, "X: sentence 0, token 1 is int 1"),
        (["a b"], [["O", "O"]], TypeError, "X: sentence 0 is a single str"),
        ([["a"]], [[None]], TypeError, "y: sentence 0, token 0 has label NoneType None"),
    ],
)
def test_to_frame_bad_input(X_bad, y_bad, error, message):
    with pytest.raises(error, match=message):
        to_frame(X_bad, y_bad)


def test_to_frame_column_names_must_differ():
    with pytest.raises(ValueError, match="must be distinct column names"):
        to_frame(X, Y, tag="token")


def test_read_frame_missing_columns_are_named_with_the_available_ones():
    df = kaggle_frame(keep_default_na=False)
    with pytest.raises(ValueError) as info:
        read_frame(df)
    assert str(info.value) == (
        "the data frame has no column sentence='sentence', token='token', tag='tag'; its "
        "columns are ['Sentence #', 'Word', 'POS', 'Tag']. Name the columns with "
        "sentence=, token= and tag= (for the Kaggle NER CSV: sentence='Sentence #', "
        "token='Word', tag='Tag')."
    )
    with pytest.raises(ValueError, match="no column tag='Tags'; its columns are"):
        read_frame(df, sentence="Sentence #", token="Word", tag="Tags")


def test_read_frame_non_contiguous_sentence_names_the_rows():
    df = pd.DataFrame({"sentence": [1, 1, 2, 1], "token": list("abcd"), "tag": list("OOOO")})
    with pytest.raises(ValueError) as info:
        read_frame(df)
    assert str(info.value).startswith(
        "row 3: sentence 1 (column 'sentence') began at row 0 and appears again after "
        "other sentences; the rows of a sentence must be contiguous.")
    assert "df.sort_values('sentence', kind='stable')" in str(info.value)
    X_sorted, _ = read_frame(df.sort_values("sentence", kind="stable"))
    assert X_sorted == [["a", "b", "d"], ["c"]]


@pytest.mark.parametrize(
    "columns, error, message",
    [
        ({"sentence": [None, 1], "token": ["a", "b"], "tag": ["O", "O"]}, ValueError,
         "row 0: column 'sentence' is empty and no sentence begins above it"),
        ({"sentence": [1, 1], "token": ["a", ""], "tag": ["O", "O"]}, ValueError,
         r"row 1: the token \(column 'token'\) is an empty str"),
        ({"sentence": [1, 1], "token": ["a", "b"], "tag": ["O", None]}, TypeError,
         (r"row 1: the tag \(column 'tag'\) is (NoneType None|float nan), missing; every "
          "token needs a str or int tag")),
        ({"sentence": [1, 1], "token": ["a", "b"], "tag": [1.0, 2.5]}, TypeError,
         r"row 0: the tag \(column 'tag'\) is float 1.0, neither str nor int"),
        ({"sentence": [1, 1], "token": ["a", "b"], "tag": ["O", 1]}, TypeError,
         r"row 1: the tag \(column 'tag'\) is int 1 but the tags above are str"),
    ],
)
def test_read_frame_bad_cells_name_the_row(columns, error, message):
    with pytest.raises(error, match=message):
        read_frame(pd.DataFrame(columns))


def test_read_frame_bad_frames():
    with pytest.raises(TypeError, match="df must be a pandas DataFrame, got dict"):
        read_frame({"sentence": [1], "token": ["a"], "tag": ["O"]})
    with pytest.raises(ValueError, match="the data frame has no rows"):
        read_frame(pd.DataFrame({"sentence": [], "token": [], "tag": []}))
    twice = pd.DataFrame([[1, "a", "O", "x"]], columns=["sentence", "token", "tag", "tag"])
    with pytest.raises(ValueError, match="the data frame has 2 columns named 'tag'"):
        read_frame(twice)


def test_missing_pandas_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r'pip install "sktag\[pandas\]"'):
        to_frame(X, Y)
    with pytest.raises(ImportError, match=r'pip install "sktag\[pandas\]"'):
        read_frame(None)


def test_import_of_sktag_io_does_not_load_pandas():
    import subprocess

    code = "import sys, sktag.io\nassert 'pandas' not in sys.modules\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
