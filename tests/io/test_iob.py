"""Tests of sktag.io.iob: IOB / CoNLL-2003 readers and writer (small files in tmp_path)."""

import io
from pathlib import Path

import pytest

from sktag.io import DataFormatError, iter_iob, read_iob, write_iob


def write_text(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# --------------------------------------------------------------------------
# read_iob, iter_iob

CONLL2003 = """-DOCSTART- -X- -X- O

EU NNP B-NP B-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O

-DOCSTART- -X- -X- O

Peter NNP B-NP B-PER
Blackburn NNP I-NP I-PER
"""


UNER = """# newdoc id = doc1
# sent_id = s1
# text = where in tampa bay
1\twhere\tO\t-\t-
2\tin\tO\t-\t-
3\ttampa\tB-LOC\t-\tstephen
4\tbay\tI-LOC\t-\tstephen

# sent_id = s2
# text = # 1 fan
1\t#\tO\t-\t-
2\t1\tO\t-\t-
3\tfan\tO\t-\t-
"""


def test_read_iob_conll2003_skips_docstart(tmp_path):
    path = write_text(tmp_path / "eng.train", CONLL2003)
    X, y = read_iob(path)
    assert X == [["EU", "rejects", "German", "call"], ["Peter", "Blackburn"]]
    assert y == [["B-ORG", "O", "B-MISC", "O"], ["B-PER", "I-PER"]]


def test_read_iob_conll2003_other_column(tmp_path):
    path = write_text(tmp_path / "eng.train", CONLL2003)
    _, chunks = read_iob(path, tag_col=2)
    assert chunks == [["B-NP", "B-VP", "B-NP", "I-NP"], ["B-NP", "I-NP"]]


def test_read_iob_uner_with_comments(tmp_path):
    path = write_text(tmp_path / "uner.iob2", UNER)
    X, y = read_iob(path, token_col=1, tag_col=2)
    assert X == [["where", "in", "tampa", "bay"], ["#", "1", "fan"]]
    assert y == [["O", "O", "B-LOC", "I-LOC"], ["O", "O", "O"]]


def test_read_iob_hash_token_inside_sentence_is_a_token():
    lines = ["I\tO", "#\tO", "love\tO", "", "# a comment", "you\tO"]
    X, _ = read_iob(lines)
    assert X == [["I", "#", "love"], ["you"]]


def test_read_iob_comment_prefix_none_reads_hash_lines():
    lines = ["# O", "tag O"]
    assert read_iob(lines)[0] == [["tag"]]
    assert read_iob(lines, comment_prefix=None)[0] == [["#", "tag"]]


def test_read_iob_tab_detection_keeps_spaces_in_tokens():
    lines = ["New York\tB-LOC", "is\tO"]
    assert read_iob(lines) == ([["New York", "is"]], [["B-LOC", "O"]])


def test_read_iob_explicit_separator():
    lines = ["a|b|B-X", "c|d|O"]
    assert read_iob(lines, sep="|") == ([["a", "c"]], [["B-X", "O"]])
    assert read_iob(lines, token_col=1, sep="|")[0] == [["b", "d"]]


def test_read_iob_blank_runs_crlf_bom_and_no_final_newline(tmp_path):
    text = "\r\n\r\n" + CONLL2003.replace("\n", "\r\n").rstrip("\r\n")
    text = text.replace("call NN I-NP O\r\n", "call NN I-NP O\r\n\r\n\r\n")
    path = write_text(tmp_path / "eng.testa", text, encoding="utf-8-sig")
    X, y = read_iob(path)
    assert X == [["EU", "rejects", "German", "call"], ["Peter", "Blackburn"]]
    assert y[-1] == ["B-PER", "I-PER"]


def test_read_iob_bom_before_first_token_line(tmp_path):
    path = write_text(tmp_path / "bom.iob", "EU\tB-ORG\n", encoding="utf-8-sig")
    assert read_iob(path) == ([["EU"]], [["B-ORG"]])


def test_read_iob_wrong_column_count_names_file_and_line(tmp_path):
    lines = UNER.split("\n")
    lines[5] = "3\ttampa\tB-LOC"  # 1-based line 6
    path = write_text(tmp_path / "uner.iob2", "\n".join(lines))
    with pytest.raises(DataFormatError) as excinfo:
        read_iob(path, token_col=1, tag_col=2)
    assert isinstance(excinfo.value, ValueError)
    assert str(excinfo.value).startswith(f"{path}:6: expected 5 tab-separated columns")
    assert "found 3" in str(excinfo.value)
    assert excinfo.value.lineno == 6


def test_read_iob_too_few_columns_for_requested_ones(tmp_path):
    path = write_text(tmp_path / "two.iob", "# c\nEU\tB-ORG\n")
    with pytest.raises(DataFormatError, match=r"two\.iob:2: expected at least 4 columns"):
        read_iob(path, token_col=1, tag_col=3)


def test_read_iob_single_column_line_is_an_error():
    with pytest.raises(DataFormatError, match=r"^<stream>:1: "):
        read_iob(io.StringIO("lonely\n"))


def test_iter_iob_is_a_lazy_generator():
    sentences = iter_iob(["a\tO", "", "b\tO", "", "broken"])
    assert next(sentences) == (["a"], ["O"])
    assert next(sentences) == (["b"], ["O"])
    with pytest.raises(DataFormatError, match=":5:"):
        next(sentences)


def test_read_iob_comments_are_prefix_and_whitespace_lines_without_a_tab():
    lines = ["# sent_id = s1", "# text = #Brexit now", "#", "1\t#Brexit\tB-MISC\t-\t-",
             "2\tnow\tO\t-\t-", "", "#MeToo\tO", "", "#MeToo B-MISC", "#x y"]
    X, y = read_iob(lines[:6], token_col=1, tag_col=2)
    assert (X, y) == ([["#Brexit", "now"]], [["B-MISC", "O"]])
    assert read_iob(lines[6:8]) == ([["#MeToo"]], [["O"]])
    assert read_iob(lines[8:]) == ([["#MeToo", "#x"]], [["B-MISC", "y"]])
    assert read_iob(["%% c", "a\tO"], comment_prefix="%%") == ([["a"]], [["O"]])


# --------------------------------------------------------------------------
# write_iob

HASH_X = [["#Brexit", "is", "trending"], ["#", "MeToo", "#"], ["#MeToo"], ["# x"]]
HASH_Y = [["B-MISC", "O", "O"], ["O", "B-MISC", "O"], ["B-MISC"], ["O"]]


@pytest.mark.parametrize("sep", ["\t", " ", "|"])
def test_write_iob_round_trip(tmp_path, sep):
    path = tmp_path / "out.iob"
    X = [["EU", "rejects", "German"], ["Peter"], ["나는", "#"]]
    y = [["B-ORG", "O", "B-MISC"], ["B-PER"], ["O", "O"]]
    write_iob(path, X, y, sep=sep)
    assert read_iob(path, sep=None if sep != "|" else "|") == (X, y)
    first = path.read_text(encoding="utf-8").split("\n")[0]
    assert first == f"EU{sep}B-ORG"


def test_write_iob_tab_keeps_token_spaces(tmp_path):
    path = tmp_path / "out.iob"
    write_iob(path, [["New York", "is"]], [["B-LOC", "O"]])
    assert read_iob(path) == ([["New York", "is"]], [["B-LOC", "O"]])


def test_write_iob_space_separator_rejects_token_with_space(tmp_path):
    with pytest.raises(ValueError, match="sentence 0, token 0"):
        write_iob(tmp_path / "out.iob", [["New York"]], [["B-LOC"]], sep=" ")


def test_write_iob_length_mismatch_names_sentence(tmp_path):
    path = tmp_path / "out.iob"
    with pytest.raises(ValueError, match=r"sentence 2 has 1 tokens but 2 labels in y"):
        write_iob(path, [["a"], ["b"], ["c"]], [["O"], ["O"], ["O", "O"]])
    assert not path.exists()


def test_write_iob_to_file_object():
    f = io.StringIO()
    write_iob(f, [["a", "b"], ["c"]], [[1, 0], [0]])
    assert f.getvalue() == "a\t1\nb\t0\n\nc\t0\n\n"


def test_round_trip_pathlike(tmp_path):
    path = Path(tmp_path) / "sub.iob"
    write_iob(path, [["x"]], [["O"]])
    X, y = read_iob(path)
    assert (X, y) == ([["x"]], [["O"]])


def test_write_iob_round_trips_tokens_that_start_with_hash(tmp_path):
    path = tmp_path / "hash.tsv"
    write_iob(path, HASH_X, HASH_Y)
    assert read_iob(path) == (HASH_X, HASH_Y)


def test_write_iob_refuses_lines_that_would_not_read_back_as_tokens():
    with pytest.raises(ValueError, match=r"sentence 1, token 0: the line '# O' would read "
                                         r"back as a comment, not as a token; write with sep="):
        write_iob(io.StringIO(), [["a"], ["#", "b"]], [["O"], ["O", "O"]], sep=" ")
    with pytest.raises(ValueError, match="would read back as a -DOCSTART- line"):
        write_iob(io.StringIO(), [["a", "-DOCSTART-"]], [["O", "O"]])
    f = io.StringIO()
    write_iob(f, [["#MeToo", "#"], ["#x"]], [["O", "O"], ["O"]], sep=" ")  # not comments
    assert read_iob(f.getvalue().splitlines()) == ([["#MeToo", "#"], ["#x"]], [["O", "O"], ["O"]])
