"""sktag.vectors: word vectors and Brown clusters, their readers and their errors.

Every file is written here, in tmp_path, a few words long.
"""

import copy
import gzip
import json
import pickle
import re
import tracemalloc

import numpy as np
import pytest
from sklearn.base import BaseEstimator, clone

from sktag.io import MAX_LINE_CHARS, DataFormatError
from sktag.vectors import (
    MAX_DIM,
    WordClusters,
    WordVectors,
    as_word_clusters,
    as_word_vectors,
    brown_paths_from_ints,
    path_prefix,
    read_word_clusters,
    read_word_vectors,
)

WORDS = ["the", ",", "cat", "émigré", "3d"]
MATRIX = np.array([[0.5, -1.25, 3.0], [0.0, 2.5, -0.125], [1e-3, 7.0, 8.5],
                   [-2.0, 0.25, 1.5], [4.0, -4.0, 0.75]], dtype=np.float32)


def glove_lines(words=WORDS, matrix=MATRIX):
    return [w + " " + " ".join(repr(float(v)) for v in row) for w, row in zip(words, matrix)]


def write_text(path, lines, header=None):
    text = "".join(line + "\n" for line in ([header] if header else []) + lines)
    opener = gzip.open if str(path).lower().endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as f:
        f.write(text)
    return path


def write_binary(path, words=WORDS, matrix=MATRIX, newline=True, header=None):
    """word2vec's binary format; ``newline`` after each vector as word2vec.c
    writes, none as gensim does."""
    header = header or f"{len(words)} {matrix.shape[1]}"
    data = header.encode() + b"\n" + b"".join(
        w.encode() + b" " + row.astype("<f4").tobytes() + (b"\n" if newline else b"")
        for w, row in zip(words, matrix))
    with (gzip.open if str(path).endswith(".gz") else open)(path, "wb") as f:
        f.write(data)
    return path


def assert_vectors(wv, words=WORDS, matrix=MATRIX):
    assert isinstance(wv, WordVectors)
    assert wv.words == tuple(words)
    assert wv.vectors.dtype == np.float32 and wv.vectors.flags.c_contiguous
    np.testing.assert_array_equal(wv.vectors, matrix)


# --------------------------------------------------------------------- readers


@pytest.mark.parametrize("name", ["glove.txt", "glove.txt.gz", "GLOVE.TXT.GZ"])
def test_glove_text(tmp_path, name):
    assert_vectors(read_word_vectors(write_text(tmp_path / name, glove_lines())))


@pytest.mark.parametrize("name", ["wiki.vec", "wiki.vec.gz"])
def test_fasttext_vec_with_header_and_trailing_spaces(tmp_path, name):
    lines = [line + " " for line in glove_lines()]  # fastText ends each row with a space
    path = write_text(tmp_path / name, lines, header="5 3")
    assert_vectors(read_word_vectors(path))
    assert_vectors(read_word_vectors(str(path), binary=False))


@pytest.mark.parametrize("name, newline", [("w2v.bin", True), ("gensim.bin", False),
                                           ("w2v.bin.gz", True)])
def test_word2vec_binary_is_detected(tmp_path, name, newline):
    path = write_binary(tmp_path / name, newline=newline)
    assert_vectors(read_word_vectors(path))
    assert_vectors(read_word_vectors(path, binary=True))
    with open(path, "rb") if not name.endswith(".gz") else gzip.open(path, "rb") as f:
        assert_vectors(read_word_vectors(f, binary=True))  # a binary file object


def test_text_from_lines_and_file_objects(tmp_path):
    assert_vectors(read_word_vectors(glove_lines()))
    path = write_text(tmp_path / "v.txt", glove_lines(), header="5 3")
    with open(path, encoding="utf-8") as f:
        assert_vectors(read_word_vectors(f))


def test_binary_file_read_as_text_is_an_error(tmp_path):
    path = write_binary(tmp_path / "w2v.bin")
    with pytest.raises(DataFormatError, match=r"^.*w2v\.bin:2: "):
        read_word_vectors(path, binary=False)


def test_max_words_reads_only_the_first_rows(tmp_path):
    lines = glove_lines() + ["broken row"] * 3
    path = write_text(tmp_path / "v.txt", lines)
    assert_vectors(read_word_vectors(path, max_words=2), WORDS[:2], MATRIX[:2])
    assert_vectors(read_word_vectors(lines, max_words=5))
    path = write_text(tmp_path / "h.vec", glove_lines(), header="5 3")
    assert_vectors(read_word_vectors(path, max_words=3), WORDS[:3], MATRIX[:3])
    assert_vectors(read_word_vectors(path, max_words=10))
    binary = write_binary(tmp_path / "w.bin")
    assert_vectors(read_word_vectors(binary, max_words=1), WORDS[:1], MATRIX[:1])
    with pytest.raises(ValueError, match="max_words must be None or an int >= 1, got 0"):
        read_word_vectors(path, max_words=0)
    with pytest.raises(TypeError, match="max_words"):
        read_word_vectors(path, max_words=2.5)


def test_a_word_with_spaces_is_read_whole():
    """A few of GloVe 840B's words hold spaces: the numbers are the last dim fields."""
    wv = read_word_vectors(["the 1 2", ". . . 3 4", "at name@domain.com 5 6"])
    assert wv.words == ("the", ". . .", "at name@domain.com")
    np.testing.assert_array_equal(wv.vectors[2], [5, 6])


def test_numbers_are_parsed_as_float32():
    wv = read_word_vectors(["a 1e-3 -0 +2.5 .5 3.", "b 0.1 1E2 -7 1e-50 340282346638528859811704183484516925440"])
    np.testing.assert_array_equal(wv.vectors, np.array(
        [[1e-3, -0.0, 2.5, 0.5, 3.0], [0.1, 100, -7, 0, 3.4028234663852886e38]], np.float32))


@pytest.mark.parametrize("lines, lineno, message", [
    (["the 0.1 0.2", "cat 0.3"], 2,
     "the row of 'cat' has 1 number, but the first row (line 1) gives vectors of 2"),
    (["the 0.1 0.2", "cat 0.3 0.4 0.5"], 2,
     "the row of 'cat' has 3 numbers, but the first row (line 1) gives vectors of 2"),
    (["2 2", "the 0.1 0.2", "cat 0.3 0.4 0.5"], 3,
     "the row of 'cat' has 3 numbers, but the header (line 1) gives vectors of 2"),
    (["the 0.1 x"], 1, "the vector of 'the' holds 'x', which is not a number"),
    (["the 0.1 0,5"], 1, "the vector of 'the' holds '0,5', which is not a number"),
    (["the 0.1 0x10"], 1, "the vector of 'the' holds '0x10', which is not a number"),
    (["the 0.1 nan"], 1, "the vector of 'the' holds 'nan', not a finite number"),
    (["the 1 2", "cat -inf 2"], 2,
     "the vector of 'cat' holds '-inf', not a finite number"),
    (["the 1 1e39"], 1, "the vector of 'the' holds '1e39', too large for float32"),
    (["the 1 2", "cat 1 2", "the 3 4"], 3, "the word 'the' is already on line 1"),
    (["3 2", "the 0.1 0.2", "cat 1 2"], 1, "the header announces 3 words but the file holds 2"),
    (["1 2", "the 0.1 0.2", "cat 1 2"], 3, "a row after the 1 word the header (line 1) announces"),
    (["2 2"], 1, "the file has a header but no vectors"),
    ([], 1, "the file is empty"),
    (["", "  "], 2, "the file is empty"),
    (["the"], 1, "the line 'the' holds no numbers"),
    (["the\t1\t2"], 1, "the line 'the\\t1\\t2' holds no numbers"),
    (["the 1 2", "cat 1  2"], 2, "an empty field in 'cat 1  2': two spaces in a row"),
    (["the 1 2 3", "cat 1  2"], 2, "an empty field in the vector of 'cat': two spaces in a row"),
    (["the  1 2"], 1, "an empty field in 'the  1 2': two spaces in a row"),
    ([" 1 2"], 1, "an empty field"),
    (["0 2", "a 1 2"], 1, "the header '0 2' announces 0 words"),
    ([f"2 {MAX_DIM + 1}"], 1, f"the header '2 {MAX_DIM + 1}' announces vectors of {MAX_DIM + 1:,} "
                             "dimensions"),
    (["a" + " 1" * (MAX_DIM + 1)], 1, f"the first row has {MAX_DIM + 1:,} numbers"),
    (["a" * (MAX_LINE_CHARS + 1) + " 1"], 1, "the line is longer than"),
])
def test_text_errors_name_the_line(lines, lineno, message):
    with pytest.raises(DataFormatError) as info:
        read_word_vectors(lines)
    assert str(info.value).startswith(f"<stream>:{lineno}: {message}")
    assert info.value.lineno == lineno


def test_file_errors_name_the_file(tmp_path):
    path = write_text(tmp_path / "v.txt", ["the 1 2", "cat 1 nan"])
    with pytest.raises(DataFormatError, match=re.escape(f"{path}:2: the vector of 'cat'")):
        read_word_vectors(path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DataFormatError, match=re.escape(f"{empty}:1: the file is empty")):
        read_word_vectors(empty)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("the 1 2\ncaf\u00e9 3 4\n".encode("latin-1"))
    with pytest.raises(DataFormatError, match=re.escape(f"{latin1}:2: bytes b'\\xe9'")):
        read_word_vectors(latin1)
    damaged = tmp_path / "v.txt.gz"
    damaged.write_bytes(gzip.compress("".join(f"w{i} 1 2\n" for i in range(5000)).encode())[:-20])
    with pytest.raises(DataFormatError, match=re.escape(f"{damaged}:") + r"\d+: cannot decompress"):
        read_word_vectors(damaged)


def test_an_error_in_a_later_block_names_its_line():
    lines = [f"w{i} {i} 1" for i in range(20000)]
    lines[17000] = "w17000 1 oops"
    with pytest.raises(DataFormatError, match=r"^<stream>:17001: the vector of 'w17000' holds 'oops'"):
        read_word_vectors(lines)


@pytest.mark.parametrize("make, lineno, message", [
    (lambda p: write_binary(p, WORDS[:2], MATRIX[:2], header="3 3"), 1,
     "the header announces 3 words but the file holds 2"),
    (lambda p: write_binary(p, WORDS[:2], MATRIX[:2], header="1 3"), 3,
     "bytes after the 1 word the header (line 1) announces, at byte"),
    (lambda p: write_binary(p, ["a", "b", "a"], MATRIX[:3]), 4, "the word 'a' is already on line 2"),
    (lambda p: write_binary(p, ["a", "b"], np.array([[1, 2, 3], [4, np.nan, 6]], np.float32)), 3,
     "the vector of 'b' holds nan, not a finite number"),
    (lambda p: p.write_bytes(open(write_binary(p), "rb").read()[:-7]), 6,
     "the file ends inside the vector of '3d', 6 of its 12 bytes"),
    (lambda p: p.write_bytes(b"2 3\n\xff\xfe " + MATRIX[0].tobytes()), 2, "the word b'\\xff\\xfe' at byte 4"),
    (lambda p: p.write_bytes(b"2 3\n" + b"x" * 100), 2, "the file ends inside a word"),
    (lambda p: p.write_bytes(b"1 3\n " + MATRIX[0].tobytes()), 2, "an empty word at byte 4"),
    (lambda p: p.write_bytes(b"5 3\n"), 1, "the header announces 5 words but the file holds 0"),
    (lambda p: p.write_bytes(b"2 3 4\n"), 1, "expected the header line '<n_words> <dim>'"),
    (lambda p: p.write_bytes(b""), 1, "the file is empty"),
])
def test_binary_errors_name_the_row(tmp_path, make, lineno, message):
    path = tmp_path / "w2v.bin"
    make(path)
    with pytest.raises(DataFormatError) as info:
        read_word_vectors(path, binary=True)
    assert str(info.value).startswith(f"{path}:{lineno}: {message}"), str(info.value)


def test_binary_words_are_bounded(tmp_path, monkeypatch):
    import sktag.vectors.vector_files as vector_files

    monkeypatch.setattr(vector_files, "MAX_LINE_CHARS", 1000)
    path = tmp_path / "w2v.bin"
    path.write_bytes(b"2 3\n" + b"x" * 5000)
    with pytest.raises(DataFormatError, match=r":2: no space within 1,000 bytes of byte 4"):
        read_word_vectors(path, binary=True)


@pytest.mark.parametrize("binary, name", [(False, "huge.vec"), (False, "huge.vec.gz"),
                                          (True, "huge.bin")])
def test_a_header_claiming_huge_counts_allocates_nothing_of_the_kind(tmp_path, binary, name):
    path = tmp_path / name
    if binary:
        write_binary(path, WORDS[:2], MATRIX[:2], header=f"{10**12} 3")
    else:
        write_text(path, glove_lines(WORDS[:2], MATRIX[:2]), header=f"{10**12} 3")
    tracemalloc.start()
    try:
        with pytest.raises(DataFormatError, match=r":1: the header announces 1,000,000,000,000 words"):
            read_word_vectors(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, peak


def read_peak(path):
    tracemalloc.start()
    try:
        wv = read_word_vectors(path)
        return wv, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_is_streamed(tmp_path):
    """Memory grows with the rows kept (matrix, words, index), not with the
    file's text: 20,000 more rows of 50 numbers cost under 400 bytes each
    (a row is 200 bytes of float32 and about 430 of text)."""
    rng = np.random.default_rng(0)
    peaks = []
    for n in (10000, 30000):
        matrix = rng.normal(size=(n, 50)).astype(np.float32)
        path = tmp_path / f"v{n}.txt"
        path.write_text("".join(f"w{i} " + " ".join("%.6g" % v for v in row) + "\n"
                                for i, row in enumerate(matrix.tolist())))
        wv, peak = read_peak(path)
        assert wv.vectors.shape == (n, 50)
        np.testing.assert_allclose(wv.vectors, matrix, rtol=1e-5)
        peaks.append(peak)
    assert peaks[1] - peaks[0] < 20000 * 400, peaks


# --------------------------------------------------------------------- WordVectors


def test_word_vectors_value_object():
    wv = WordVectors(WORDS, MATRIX.astype(np.float64))
    assert_vectors(wv)
    assert (len(wv), wv.dim, repr(wv)) == (5, 3, "WordVectors(5 words x 3)")
    assert "cat" in wv and "Cat" not in wv and wv.index["cat"] == 2
    assert wv == WordVectors(WORDS, MATRIX) and hash(wv) == hash(WordVectors(WORDS, MATRIX))
    assert wv != WordVectors(WORDS, MATRIX + 1) and wv != WordVectors(WORDS[::-1], MATRIX)
    with pytest.raises(ValueError):
        wv.vectors[0, 0] = 1.0
    with pytest.raises(AttributeError, match="immutable"):
        wv.words = ()
    assert copy.deepcopy(wv) is wv and copy.copy(wv) is wv
    again = pickle.loads(pickle.dumps(wv))
    assert again == wv and again is not wv and not again.vectors.flags.writeable
    assert again.index["3d"] == 4 and again.lookup_key("Cat") == "cat"


def test_the_given_array_is_copied():
    matrix = MATRIX.copy()
    wv = WordVectors(WORDS, matrix)
    matrix[0, 0] = 99
    assert wv.vectors[0, 0] == 0.5


class Holder(BaseEstimator):
    def __init__(self, word_vectors=None, word_clusters=None):
        self.word_vectors = word_vectors
        self.word_clusters = word_clusters


def test_clone_shares_the_vectors_and_clusters():
    wv, wc = WordVectors(WORDS, MATRIX), WordClusters(["a"], ["0"])
    copied = clone(Holder(wv, wc))
    assert copied.word_vectors is wv and copied.word_clusters is wc


@pytest.mark.parametrize("words, expected", [(["the", "émigré", "3d"], True), (["the", "Cat"], False),
                                             (["the", "DŽ"], False), (["ß", "ǆ"], True)])
def test_lowercase_is_detected(words, expected):
    wv = WordVectors(words, np.zeros((len(words), 2)))
    assert wv.lowercase is expected
    assert wv.lookup_key("ÉMIGRÉ") == ("émigré" if expected else "ÉMIGRÉ")


def test_zero_digits_are_detected():
    zeroed = WordVectors(["the", "00", "0.0%"], np.zeros((3, 2)))
    assert zeroed.zero_digits and zeroed.lookup_key("1984") == "0000"
    assert zeroed.lookup_key("A12") == "a00"
    plain = WordVectors(["the", "1984", "0"], np.zeros((3, 2)))
    assert not plain.zero_digits and plain.lookup_key("1984") == "1984"
    assert not WordVectors(["the"], np.zeros((1, 2))).zero_digits


@pytest.mark.parametrize("words, vectors, error, message", [
    (["a", "b"], np.zeros((3, 2)), ValueError, "there are 2 words but 3 vectors"),
    (["a", "a"], np.zeros((2, 2)), ValueError, "words[1] 'a' repeats words[0]"),
    (["a", ""], np.zeros((2, 2)), ValueError, "words[1] is the empty str"),
    (["a", 3], np.zeros((2, 2)), TypeError, "words[1] is int 3; every word must be a str"),
    ("ab", np.zeros((2, 2)), TypeError, "words must be a sequence of str, got str"),
    ([], np.zeros((0, 2)), ValueError, "words is empty"),
    (["a"], np.zeros(2), ValueError, "vectors must be a 2-D array of shape (n_words, dim), got shape (2,)"),
    (["a"], np.zeros((1, 0)), ValueError, "vectors have 0 dimensions"),
    (["a"], [["x", "y"]], TypeError, "vectors must be an array of numbers"),
    (["a", "b"], [[1, 2], [np.inf, 0]], ValueError, "the vector of words[1] 'b' holds inf, not a finite"),
    (["a"], [[1e39, 0]], ValueError, "the vector of words[0] 'a' holds 1e+39, too large for float32"),
])
def test_word_vectors_checks_its_input(words, vectors, error, message):
    with pytest.raises(error) as info:
        WordVectors(words, vectors)
    assert str(info.value).startswith(message), str(info.value)


class KeyedVectors:
    """What gensim 4's KeyedVectors offers sktag: index_to_key and vectors."""

    def __init__(self, words, vectors):
        self.index_to_key, self.vectors = list(words), vectors


def test_as_word_vectors_accepts_what_users_hold(tmp_path):
    wv = WordVectors(WORDS, MATRIX)
    assert as_word_vectors(wv) is wv
    path = write_text(tmp_path / "v.txt", glove_lines())
    for obj in (path, str(path), KeyedVectors(WORDS, MATRIX), (WORDS, MATRIX), [WORDS, MATRIX.tolist()],
                dict(zip(WORDS, MATRIX.tolist()))):
        assert as_word_vectors(obj) == wv
    with pytest.raises(TypeError, match="expected word vectors: a WordVectors, the path of a vectors file, "
                                        "a gensim KeyedVectors .* got int"):
        as_word_vectors(3)
    with pytest.raises(ValueError, match=r"the vector of 'b' has shape \(3,\), that of 'a' \(2,\)"):
        as_word_vectors({"a": [1, 2], "b": [1, 2, 3]})
    with pytest.raises(ValueError, match="the dict of word vectors is empty"):
        as_word_vectors({})


# --------------------------------------------------------------------- clusters


def brown_tree(depth_limit=9, seed=0):
    """The leaf paths of a random full binary tree (each node splits or not)."""
    rng = np.random.default_rng(seed)
    leaves, todo = [], ["0", "1"]
    while todo:
        node = todo.pop()
        if len(node) < depth_limit and rng.random() < 0.7:
            todo += [node + "0", node + "1"]
        else:
            leaves.append(node)
    return sorted(leaves)


def spacy_int(path):
    return int(path[::-1], 2)  # spaCy v2's init_model


def test_spacy_ints_decode_to_the_true_paths():
    leaves = brown_tree()
    assert len(leaves) > 20
    decoded = brown_paths_from_ints([spacy_int(p) for p in leaves])
    for path, back in zip(leaves, decoded):
        assert back == (None if set(path) == {"0"} else path)  # the all-zeros leaf is 0: no cluster


def test_from_some_clusters_the_prefixes_group_words_as_the_true_paths_do():
    leaves = [p for p in brown_tree(seed=1) if "1" in p]
    some = leaves[::3]
    decoded = brown_paths_from_ints([spacy_int(p) for p in some])
    for length in (1, 2, 4, 6):
        true = [path_prefix(p, length) for p in some]
        ours = [path_prefix(p, length) for p in decoded]
        assert [[a == b for b in true] for a in true] == [[a == b for b in ours] for a in ours]


def test_brown_paths_from_ints_checks_its_input():
    assert brown_paths_from_ints([0, 2, 1, 3]) == [None, "01", "10", "11"]
    with pytest.raises(ValueError, match="-1 is not a spaCy cluster"):
        brown_paths_from_ints([3, -1])
    with pytest.raises(ValueError, match="True is not a spaCy cluster"):
        brown_paths_from_ints([True])


def write_paths(path, rows):
    return write_text(path, ["\t".join(map(str, row)) for row in rows])


@pytest.mark.parametrize("name", ["paths", "paths.gz"])
def test_liang_paths_file_most_frequent_first(tmp_path, name):
    path = write_paths(tmp_path / name, [("0110", "cat", 7), ("0111", "dog", 9), ("10", "ran", 7),
                                         ("11", "The", 12)])
    wc = read_word_clusters(path)
    assert wc.words == ("The", "dog", "cat", "ran") and wc.paths == ("11", "0111", "0110", "10")
    assert (len(wc), wc.path("cat"), wc.path("Cat"), wc.path("x", "-")) == (4, "0110", None, "-")
    assert not wc.lowercase and wc.lookup_key("The") == "The"
    assert repr(wc) == "WordClusters(4 words, 4 clusters)"
    assert read_word_clusters(["0\ta", "1\tb"]).words == ("a", "b")  # no counts: file order


def test_prefixes():
    wc = WordClusters(["a", "b", "c"], ["0110101", "01", "1" * 25])
    assert wc.prefixes() == {4: ("0110", "01", "1111"), 6: ("011010", "01", "111111"),
                             10: ("0110101", "01", "1" * 10), 20: ("0110101", "01", "1" * 20)}
    assert wc.prefixes([2]) == {2: ("01", "01", "11")}
    with pytest.raises(ValueError, match="prefix lengths must be ints >= 1, got 0"):
        wc.prefixes((0,))


@pytest.mark.parametrize("name", ["en_lexeme_cluster.json", "en_lexeme_cluster.json.gz", "table"])
def test_spacy_json_table(tmp_path, name):
    leaves = ["00", "010", "011", "10", "110", "111"]
    table = {"the": spacy_int("010"), "I": spacy_int("10"), "\n\n": 0, "cat": spacy_int("111"),
             "dog": spacy_int("110"), "run": spacy_int("011"), "?": 0}
    text = json.dumps(table, indent=2)
    path = tmp_path / name
    (gzip.open(path, "wt") if name.endswith(".gz") else open(path, "w")).write(text)
    wc = read_word_clusters(path)
    assert wc.words == ("the", "I", "cat", "dog", "run")
    assert wc.paths == ("010", "10", "111", "110", "011")
    assert set(wc.paths) < set(leaves)


def test_json_of_paths(tmp_path):
    path = tmp_path / "clusters.json"
    path.write_text(json.dumps({"a": "0", "b": "10"}))
    assert read_word_clusters(path) == WordClusters(["a", "b"], ["0", "10"])


@pytest.mark.parametrize("lines, lineno, message", [
    (["0110\tcat\t7", "0120\tdog\t3"], 2, "the cluster path '0120' of 'dog' is not a string of 0 and 1"),
    (["0110\tcat\tmany"], 1, "the count 'many' of 'cat' is not an int >= 0"),
    (["0110\tcat\t-1"], 1, "the count '-1' of 'cat' is not an int >= 0"),
    (["0110 cat 7"], 1, "expected 'path<TAB>word<TAB>count' (a Brown clusters paths file), found 1 "
                        "tab-separated field in"),
    (["0110\tcat\t7\tx"], 1, "expected 'path<TAB>word<TAB>count'"),
    (["0110\t\t7"], 1, "the word (the second field) is empty"),
    (["0\tcat\t7", "1\tdog\t2", "1\tcat\t3"], 3, "the word 'cat' is already on line 1"),
    ([], 1, "the file is empty"),
])
def test_paths_file_errors_name_the_line(lines, lineno, message):
    with pytest.raises(DataFormatError) as info:
        read_word_clusters(lines)
    assert str(info.value).startswith(f"<stream>:{lineno}: {message}"), str(info.value)


@pytest.mark.parametrize("text, lineno, message", [
    ('{\n  "a": 1,\n  "b": 2,\n}', 4, "not valid JSON: Expecting property name"),
    ('[1, 2]', 1, "the JSON is a list; expected an object"),
    ('{\n  "a": 1,\n  "b": -3\n}', 3, "the cluster of 'b' is -3; expected a path"),
    ('{\n  "a": 1,\n  "b": "012"\n}', 3, "the cluster of 'b' is '012'"),
    ('{\n  "a": 1,\n  "\\u00e9t\\u00e9": 1.5\n}', 3, "the cluster of 'été' is 1.5"),
    ('{"a": 0}', 1, "no word has a cluster"),
    ('{}', 1, "no word has a cluster"),
    ("", 1, "the file is empty"),
    ("[" * 100000, 1, "not a table of word clusters: the JSON nests too deeply"),
])
def test_json_errors_name_the_line(tmp_path, text, lineno, message):
    path = tmp_path / "c.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFormatError) as info:
        read_word_clusters(path)
    assert str(info.value).startswith(f"{path}:{lineno}: {message}"), str(info.value)


def test_json_is_bounded(tmp_path, monkeypatch):
    import sktag.vectors.cluster_files as cluster_files

    monkeypatch.setattr(cluster_files, "MAX_JSON_BYTES", 1000)
    path = tmp_path / "c.json.gz"
    path.write_bytes(gzip.compress(b'{"a": 1,' + b" " * 10**7 + b"}"))
    with pytest.raises(DataFormatError, match=r":1: more than 1,000 bytes of JSON"):
        read_word_clusters(path)


def test_word_clusters_value_object():
    wc = WordClusters(["a", "b"], ["0", "10"])
    assert copy.deepcopy(wc) is wc and pickle.loads(pickle.dumps(wc)) == wc
    assert wc != WordClusters(["a", "b"], ["0", "11"]) and wc.lowercase
    with pytest.raises(AttributeError, match="immutable"):
        wc.paths = ()
    with pytest.raises(ValueError, match=r"paths\[1\] \(of 'b'\) is '2'; a Brown cluster path is"):
        WordClusters(["a", "b"], ["0", "2"])
    with pytest.raises(ValueError, match="there are 2 words but 1 paths"):
        WordClusters(["a", "b"], ["0"])


def test_as_word_clusters_accepts_what_users_hold(tmp_path):
    wc = WordClusters(["a", "b"], ["0", "10"])
    assert as_word_clusters(wc) is wc
    path = write_paths(tmp_path / "paths", [("0", "a", 5), ("10", "b", 4)])
    for obj in (path, str(path), {"a": "0", "b": "10"}, (["a", "b"], ["0", "10"]),
                {"a": spacy_int("01"), "b": spacy_int("1")}, {"a": 2, "b": 1, "c": 0}):
        got = as_word_clusters(obj)
        assert got.words == ("a", "b")
        assert got.paths in (("0", "10"), ("01", "1"))
    with pytest.raises(TypeError, match="expected word clusters: .* got float"):
        as_word_clusters(1.5)
    with pytest.raises(ValueError, match="the cluster of 'b' is 'x'") as info:
        as_word_clusters({"a": "0", "b": "x"})
    assert type(info.value) is ValueError
