"""Tests of sktag.io.conllu (CoNLL-U readers, writer and fill_conllu) and of the lines
every format shares (sktag.io.lines: line endings, BOM, gzip, bounded lines, the
writers' input checks), read through CoNLL-U files. Small files in tmp_path.
"""

import gzip
import io

import pytest

from sktag.io import (
    CONLLU_COLUMNS,
    DataFormatError,
    iter_conllu,
    read_conllu,
    read_iob,
    write_conllu,
    write_iob,
)


def row(*fields):
    """A CoNLL-U line from up to 10 fields, the rest filled with '_'."""
    fields = [str(f) for f in fields]
    return "\t".join(fields + ["_"] * (10 - len(fields)))


# Two sentences with comments, a multiword token and an empty node.
CONLLU = "\n".join(
    [
        "# newdoc id = doc1",
        "# sent_id = s1",
        "# text = I don't know.",
        row(1, "I", "I", "PRON", "PRP"),
        row("2-3", "don't"),
        row(2, "do", "do", "AUX", "VBP"),
        row(3, "n't", "not", "PART", "RB"),
        row(4, "know", "know", "VERB", "VB"),
        row("4.1", "know", "know", "VERB", "VB"),
        row(5, ".", ".", "PUNCT", "."),
        "",
        "# sent_id = s2",
        "# text = 나는 학생",
        row(1, "나는", "나+는", "PRON", "np+jxt"),
        row(2, "학생", "학생", "NOUN", "ncn"),
        "",
    ]
)


X_CONLLU = [["I", "do", "n't", "know", "."], ["나는", "학생"]]


UPOS = [["PRON", "AUX", "PART", "VERB", "PUNCT"], ["PRON", "NOUN"]]


XPOS = [["PRP", "VBP", "RB", "VB", "."], ["np+jxt", "ncn"]]


def write_text(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# --------------------------------------------------------------------------
# read_conllu, iter_conllu


def test_read_conllu_skips_comments_multiword_and_empty_nodes(tmp_path):
    path = write_text(tmp_path / "a.conllu", CONLLU)
    X, y = read_conllu(path)
    assert X == X_CONLLU
    assert y == UPOS


def test_read_conllu_accepts_str_path(tmp_path):
    path = write_text(tmp_path / "a.conllu", CONLLU)
    assert read_conllu(str(path)) == (X_CONLLU, UPOS)


@pytest.mark.parametrize("tag", ["xpos", "XPOS", " Xpos "])
def test_read_conllu_xpos_column_case_insensitive(tmp_path, tag):
    path = write_text(tmp_path / "a.conllu", CONLLU)
    X, y = read_conllu(path, tag=tag)
    assert X == X_CONLLU
    assert y == XPOS


def test_read_conllu_any_column(tmp_path):
    path = write_text(tmp_path / "a.conllu", CONLLU)
    _, lemmas = read_conllu(path, tag="lemma")
    assert lemmas == [["I", "do", "not", "know", "."], ["나+는", "학생"]]
    _, ids = read_conllu(path, tag="id")
    assert ids == [["1", "2", "3", "4", "5"], ["1", "2"]]


def test_read_conllu_unknown_tag_lists_valid_names(tmp_path):
    with pytest.raises(ValueError) as excinfo:
        read_conllu(tmp_path / "a.conllu", tag="pos")
    message = str(excinfo.value)
    assert "'pos'" in message
    for name in CONLLU_COLUMNS:
        assert name in message


def test_iter_conllu_checks_tag_before_reading(tmp_path):
    # The file does not exist: the tag error must come first, at the call.
    with pytest.raises(ValueError, match="unknown CoNLL-U column"):
        iter_conllu(tmp_path / "missing.conllu", tag="nope")


def test_runs_of_blank_lines_make_no_empty_sentences(tmp_path):
    text = "\n\n" + CONLLU.replace("\n\n# sent_id = s2", "\n\n\n   \n\n# sent_id = s2") + "\n\n\n"
    path = write_text(tmp_path / "a.conllu", text)
    X, y = read_conllu(path)
    assert X == X_CONLLU
    assert y == UPOS


def test_missing_final_newline_keeps_last_sentence(tmp_path):
    text = CONLLU.rstrip("\n")
    assert not text.endswith("\n")
    path = write_text(tmp_path / "a.conllu", text)
    X, y = read_conllu(path)
    assert X == X_CONLLU
    assert y[-1] == ["PRON", "NOUN"]


def test_malformed_line_error_names_file_and_line(tmp_path):
    lines = CONLLU.split("\n")
    lines[5] = "2\tdo\tdo"  # 1-based line 6, three columns
    path = write_text(tmp_path / "data.conllu", "\r\n".join(lines))
    with pytest.raises(DataFormatError) as excinfo:
        read_conllu(path)
    err = excinfo.value
    assert isinstance(err, ValueError)
    assert str(err) == f"{path}:6: expected 10 tab-separated columns, found 3"
    assert err.lineno == 6
    assert err.filename == str(path)


def test_space_separated_line_is_malformed(tmp_path):
    text = row(1, "a", "a", "DET") + "\n" + "2 b b NOUN _ _ _ _ _ _\n"
    path = write_text(tmp_path / "spaces.conllu", text)
    with pytest.raises(DataFormatError, match=r"spaces\.conllu:2: .*found 1"):
        read_conllu(path)


def test_invalid_word_id_is_an_error(tmp_path):
    path = write_text(tmp_path / "bad.conllu", row(1, "a") + "\n" + row("x", "b") + "\n")
    with pytest.raises(DataFormatError, match=r"bad\.conllu:2: invalid word ID 'x'"):
        read_conllu(path)


def test_iter_conllu_streams_lazily(tmp_path):
    text = CONLLU + "\nthis line is broken\n"
    path = write_text(tmp_path / "a.conllu", text)
    sentences = iter_conllu(path)
    assert next(sentences) == (X_CONLLU[0], UPOS[0])
    assert next(sentences) == (X_CONLLU[1], UPOS[1])
    with pytest.raises(DataFormatError, match=":17:"):
        next(sentences)


def test_iter_conllu_from_list_of_lines():
    assert list(iter_conllu(CONLLU.split("\n"))) == list(zip(X_CONLLU, UPOS))


def test_empty_file_gives_no_sentences(tmp_path):
    path = write_text(tmp_path / "empty.conllu", "\n# only a comment\n\n")
    assert read_conllu(path) == ([], [])


@pytest.mark.parametrize("lines, line, message", [
    ([row(1, "a", "a", "X"), row(1, "b", "b", "X")], 2,
     ("word ID 1 after word 1: the word IDs of a sentence count 1, 2, 3, ...; a blank line "
      "is missing before this line, which begins a new sentence?")),
    ([row(1, "a", "a", "X"), row(2, "b", "b", "X"), row(2, "c", "c", "X")], 3,
     ("word ID 2 after word 2: the word IDs of a sentence count 1, 2, 3, ...; ID 2 is "
      "already taken?")),
    ([row(1, "a", "a", "X"), row(3, "b", "b", "X")], 2,
     "expected word ID 2, found '3': the word IDs of a sentence count 1, 2, 3, ..."),
    (["# c", row(2, "a", "a", "X")], 2,
     "expected word ID 1, found '2': the word IDs of a sentence count 1, 2, 3, ..."),
])
def test_read_conllu_word_ids_must_count_from_one(lines, line, message):
    with pytest.raises(DataFormatError) as info:
        read_conllu(lines)
    assert str(info.value) == f"<stream>:{line}: {message}"


@pytest.mark.parametrize("tag", ["upos", "xpos", "head", "deprel"])
def test_read_conllu_underscore_in_the_label_column_names_the_line(tag):
    lines = [row(1, "a", "a", "X", "Y", "_", "0", "root"), row(2, "dog")]
    with pytest.raises(DataFormatError) as info:
        read_conllu(lines, tag=tag)
    assert str(info.value).startswith(f"<stream>:2: word 2 ('dog') has no {tag.upper()} ('_'), "
                                      f"the column read as labels (tag={tag!r}); name the column")
    assert read_conllu(lines, tag=None) == [["a", "dog"]]
    assert list(iter_conllu(lines, tag=None)) == [["a", "dog"]]
    assert read_conllu(lines, tag="feats")[1] == [["_", "_"]]  # FEATS '_' is a value: none


# --------------------------------------------------------------------------
# write_conllu, fill_conllu

X_RT = [["I", "do", "n't", "know", "."], ["나는", "학생", "입니다"], ["#hashtag"]]
Y_RT = [["PRON", "AUX", "PART", "VERB", "PUNCT"], ["PRON", "NOUN", "VERB"], ["X"]]


@pytest.mark.parametrize("tag", ["upos", "xpos", "deprel"])
def test_write_conllu_round_trip(tmp_path, tag):
    path = tmp_path / "out.conllu"
    write_conllu(path, X_RT, Y_RT, tag=tag)
    assert read_conllu(path, tag=tag) == (X_RT, Y_RT)
    if tag != "upos":  # the UPOS column is '_': no labels there
        with pytest.raises(DataFormatError, match=r"out\.conllu:1: word 1 \('I'\) has no UPOS"):
            read_conllu(path)
        assert read_conllu(path, tag=None) == X_RT


def test_write_conllu_file_layout(tmp_path):
    path = tmp_path / "out.conllu"
    write_conllu(str(path), X_RT[:2], Y_RT[:2], tag="xpos")
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0].split("\t") == ["1", "I", "_", "_", "PRON", "_", "_", "_", "_", "_"]
    assert lines[4].split("\t")[:2] == ["5", "."]
    assert lines[5] == ""
    assert lines[6].split("\t")[:2] == ["1", "나는"]
    assert all(len(line.split("\t")) == 10 for line in lines if line)
    assert text.endswith("입니다\t_\t_\tVERB\t_\t_\t_\t_\t_\n\n")


def test_write_conllu_tokens_with_spaces_round_trip(tmp_path):
    X, y = [["New York", "1 000"]], [["PROPN", "NUM"]]
    path = tmp_path / "spaces.conllu"
    write_conllu(path, X, y)
    assert read_conllu(path) == (X, y)


def test_write_conllu_to_file_object_and_int_labels():
    f = io.StringIO()
    write_conllu(f, [["나는", "학생"]], [[0, 1]])
    assert not f.closed
    f.seek(0)
    assert read_conllu(f) == ([["나는", "학생"]], [["0", "1"]])


def test_write_conllu_gzip_round_trip(tmp_path):
    path = tmp_path / "out.conllu.gz"
    write_conllu(path, X_RT, Y_RT)
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    assert read_conllu(path) == (X_RT, Y_RT)


def test_write_conllu_length_mismatch_names_sentence(tmp_path):
    path = tmp_path / "out.conllu"
    y_bad = [Y_RT[0], Y_RT[1][:2], Y_RT[2]]
    with pytest.raises(ValueError, match=r"sentence 1 has 3 tokens but 2 labels in y"):
        write_conllu(path, X_RT, y_bad)
    assert not path.exists()  # nothing written


def test_write_conllu_rejects_tab_in_token_and_bad_column(tmp_path):
    with pytest.raises(ValueError, match="sentence 0, token 1"):
        write_conllu(tmp_path / "a.conllu", [["a", "b\tc"]], [["X", "X"]])
    with pytest.raises(ValueError, match="FORM"):
        write_conllu(tmp_path / "a.conllu", [["a"]], [["X"]], tag="form")
    with pytest.raises(ValueError, match="unknown CoNLL-U column"):
        write_conllu(tmp_path / "a.conllu", [["a"]], [["X"]], tag="pos")


def test_write_conllu_refuses_a_label_the_reader_takes_for_no_value():
    with pytest.raises(ValueError, match="sentence 0, token 1: label '_' means no value in the "
                                         "UPOS column"):
        write_conllu(io.StringIO(), [["a", "b"]], [["X", "_"]])
    f = io.StringIO()
    write_conllu(f, [["a", "b"]], [["X", "_"]], tag="misc")
    assert read_conllu(f.getvalue().splitlines(), tag="misc")[1] == [["X", "_"]]


def test_fill_conllu_fills_one_column_and_keeps_everything_else(tmp_path):
    from sktag.io import fill_conllu

    blank = CONLLU.replace("\tPRON\t", "\t_\t").replace("\tNOUN\t", "\t_\t")
    source = write_text(tmp_path / "in.conllu", "\ufeff" + blank.replace("\n", "\r\n"))
    X = read_conllu(source, tag=None)
    assert X == X_CONLLU
    out = tmp_path / "out.conllu"
    fill_conllu(source, out, UPOS)
    assert out.read_text(encoding="utf-8") == CONLLU + "\n"  # BOM and CRLF dropped
    xpos = [[label.lower() for label in labels] for labels in XPOS]
    fill_conllu(out, out, xpos, tag="XPOS")  # the template may be the output: read first
    filled = out.read_text(encoding="utf-8").splitlines()
    assert filled[4].split("\t") == ["2-3", "don't"] + ["_"] * 8
    assert filled[8].split("\t")[4] == "VB"  # the empty node keeps its columns
    assert read_conllu(out, tag="xpos") == (X_CONLLU, xpos)
    assert read_conllu(out) == (X_CONLLU, UPOS)


def test_fill_conllu_checks_the_labels_before_writing(tmp_path):
    from sktag.io import fill_conllu

    source = write_text(tmp_path / "in.conllu", CONLLU)
    out = tmp_path / "out.conllu"
    with pytest.raises(ValueError, match=r"in\.conllu has 2 sentences but y has 1 label"):
        fill_conllu(source, out, UPOS[:1])
    with pytest.raises(ValueError, match="sentence 1 has 2 tokens but 1 labels"):
        fill_conllu(source, out, [UPOS[0], ["X"]])
    with pytest.raises(ValueError, match="sentence 1, token 0: label '_' means no value"):
        fill_conllu(source, out, [UPOS[0], ["_", "X"]])
    with pytest.raises(ValueError, match="cannot write labels into the FORM column"):
        fill_conllu(source, out, UPOS, tag="form")
    assert not out.exists()


def test_fill_conllu_of_a_file_without_sentences(tmp_path):
    from sktag.io import fill_conllu

    out = io.StringIO()
    fill_conllu(["# only a comment", ""], out, [])
    assert out.getvalue() == "# only a comment\n\n"
    fill_conllu([], out, [])
    with pytest.raises(ValueError, match="<stream> has 0 sentences but y has 1"):
        fill_conllu([], out, [["X"]])


# --------------------------------------------------------------------------
# lines (sktag.io.lines): endings, BOM, streams, gzip, long lines; writers' checks


def test_crlf_line_endings(tmp_path):
    path = write_text(tmp_path / "a.conllu", CONLLU.replace("\n", "\r\n"))
    assert b"\r\n" in path.read_bytes()
    X, y = read_conllu(path, tag="misc")
    assert X == X_CONLLU
    assert all(label == "_" for labels in y for label in labels)  # no stray "\r"


def test_crlf_lines_from_stream():
    lines = [line + "\r\n" for line in CONLLU.split("\n")]
    X, y = read_conllu(lines, tag="misc")
    assert X == X_CONLLU
    assert y[0][-1] == "_"


def test_utf8_bom(tmp_path):
    # The BOM is directly before a word line: an ID of "\ufeff1" would be an error.
    text = "\n".join([row(1, "학생", "학생", "NOUN"), row(2, "입니다", "이+ㅂ니다", "VERB"), ""])
    path = write_text(tmp_path / "bom.conllu", text, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_conllu(path) == ([["학생", "입니다"]], [["NOUN", "VERB"]])


def test_bom_in_first_line_of_an_iterable():
    lines = ["\ufeff" + row(1, "Hi", "hi", "INTJ")]
    assert read_conllu(lines) == ([["Hi"]], [["INTJ"]])


def test_stream_errors_are_named_stream():
    stream = io.StringIO(row(1, "a", "a", "X") + "\n\n# c\n" + "1\tb\n")
    with pytest.raises(DataFormatError) as excinfo:
        read_conllu(stream)
    assert str(excinfo.value).startswith("<stream>:4: ")


def test_open_file_object_is_read_and_left_open(tmp_path):
    path = write_text(tmp_path / "a.conllu", CONLLU)
    with open(path, encoding="utf-8") as f:
        assert read_conllu(f) == (X_CONLLU, UPOS)
        assert not f.closed


def test_gzip_path_is_read(tmp_path):
    path = tmp_path / "a.conllu.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(CONLLU)
    assert read_conllu(path) == (X_CONLLU, UPOS)


def _gzip_corpus(path, sentences=300):
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for n in range(sentences):
            f.write(f"# sent_id = {n}\n{CONLLU}\n")
    return path.read_bytes()


def test_truncated_gzip_is_a_data_format_error_naming_the_file(tmp_path):
    data = _gzip_corpus(tmp_path / "full.conllu.gz")
    path = tmp_path / "cut.conllu.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataFormatError, match=r"cut\.conllu\.gz:\d+: cannot decompress this "
                                              r"line: the gzip data is truncated or corrupted") as info:
        read_conllu(path)
    assert "EOFError" in str(info.value) and info.value.lineno > 1


@pytest.mark.parametrize("damage", ["crc", "not gzip", "bad header"])
def test_corrupted_gzip_is_a_data_format_error(tmp_path, damage):
    data = bytearray(_gzip_corpus(tmp_path / "full.conllu.gz"))
    if damage == "crc":
        data[-8] ^= 0xFF
    elif damage == "not gzip":
        data = CONLLU.encode()
    else:
        data[3] = 0xFF  # reserved flag bits
    path = tmp_path / "bad.conllu.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match=r"bad\.conllu\.gz:\d+: cannot decompress"):
        read_conllu(path)
    with pytest.raises(DataFormatError, match=r"bad\.conllu\.gz:\d+: cannot decompress"):
        read_iob(path)


def test_flipped_gzip_bytes_are_a_data_format_error_naming_the_file(tmp_path):
    data = bytearray(_gzip_corpus(tmp_path / "full.conllu.gz"))
    for k in range(len(data) // 2, len(data) // 2 + 40):
        data[k] ^= 0x55
    path = tmp_path / "bad.conllu.gz"
    path.write_bytes(bytes(data))
    with pytest.raises(DataFormatError, match=r"bad\.conllu\.gz:\d+: "):
        read_conllu(path)


def test_gzip_suffix_is_case_insensitive(tmp_path):
    _gzip_corpus(tmp_path / "a.CONLLU.GZ", sentences=1)
    assert read_conllu(tmp_path / "a.CONLLU.GZ") == (X_CONLLU, UPOS)
    write_iob(tmp_path / "b.iob.Gz", [["a"]], [["O"]])
    assert gzip.decompress((tmp_path / "b.iob.Gz").read_bytes()) == b"a\tO\n\n"


def test_a_line_longer_than_the_cap_is_refused_before_it_is_read_whole(tmp_path):
    import tracemalloc

    from sktag.io import MAX_LINE_CHARS

    path = tmp_path / "long.conllu.gz"
    with gzip.open(path, "wb", compresslevel=1) as f:  # 40 KB holding a 20 MiB line
        f.write(row(1, "a", "a", "X").encode() + b"\n2\t" + b"a" * (5 * MAX_LINE_CHARS) + b"\n")
    tracemalloc.start()
    try:
        with pytest.raises(DataFormatError, match=r"long\.conllu\.gz:2: the line is longer "
                                                  r"than 4,194,304 characters"):
            read_conllu(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * MAX_LINE_CHARS  # reading it whole took over 5 times the line
    with pytest.raises(DataFormatError, match=r"<stream>:1: the line is longer"):
        read_iob(["a" * (MAX_LINE_CHARS + 1) + "\tO"])
    assert read_iob(["a" * (MAX_LINE_CHARS - 2) + "\tO\r\n"])[1] == [["O"]]  # at the cap


def test_write_rejects_empty_sentence_and_sentence_count_mismatch(tmp_path):
    with pytest.raises(ValueError, match="sentence 1 is empty"):
        write_iob(tmp_path / "a.iob", [["a"], []], [["O"], []])
    with pytest.raises(ValueError, match="X has 2 sentences but y has 1 label sequences"):
        write_conllu(tmp_path / "a.conllu", [["a"], ["b"]], [["O"]])


@pytest.mark.parametrize(
    "X, y, message",
    [
        ("a b", [["O", "O"]], "X is a single str; expected a list of sentences"),
        ([["a"]], "O", "y is a single str; expected a list of label sequences"),
        ([["a"], "b c"], [["O"], ["O", "O"]], "X: sentence 1 is a single str; tokens must be a list"),
        ([["a", 3]], [["O", "O"]], "X: sentence 0, token 1 is int 3; every token must be a str"),
        ([["a", None]], [["O", "O"]], "X: sentence 0, token 1 is NoneType None"),
        ([["a", "b"]], [["O", None]], "y: sentence 0, token 1 has label NoneType None"),
        ([["a", "b"]], [["O", 1.5]], "y: sentence 0, token 1 has label float 1.5"),
        ([["a"], ["b"]], [["O"], [1]], "y: sentence 1, token 0 has int label 1 but earlier labels are str"),
        ([["a"]], None, "y is None"),
    ],
)
@pytest.mark.parametrize("writer", [write_conllu, write_iob])
def test_writers_check_tokens_and_labels_as_the_estimator_does(tmp_path, writer, X, y, message):
    path = tmp_path / "out.txt"
    with pytest.raises(TypeError, match=message):
        writer(path, X, y)
    assert not path.exists()


@pytest.mark.parametrize("writer", [write_conllu, write_iob])
def test_writers_write_no_sentence_as_an_empty_file(tmp_path, writer):
    path = tmp_path / "empty.txt"
    writer(path, [], [])
    assert path.read_bytes() == b""
    assert (read_conllu if writer is write_conllu else read_iob)(path) == ([], [])
    with pytest.raises(ValueError, match="X is empty"):
        writer(path, [], [["X"]])


def test_empty_tokens_and_labels_are_data_format_errors():
    with pytest.raises(DataFormatError, match=r"^<stream>:2: the FORM column is empty; CoNLL-U "
                                              r"writes a missing value as '_'$"):
        read_conllu([row(1, "a", "a", "X"), "2\t\tb\tX" + "\t_" * 6])
    with pytest.raises(DataFormatError, match=r"^<stream>:1: the UPOS column is empty"):
        read_conllu(["1\ta\ta\t" + "\t_" * 6], tag=None)
    with pytest.raises(DataFormatError, match=r"^<stream>:2: the token \(column 0\) is empty$"):
        read_iob(["a\tO", "\tO"])
    with pytest.raises(DataFormatError, match=r"^<stream>:1: the tag \(column -1\) is empty$"):
        read_iob(["a\t"])
    assert read_iob([" \tO"]) == ([[" "]], [["O"]])  # a space is a token write_iob writes
