"""The sktag command through its real entry point, and its error handling.

Training through the console script is the ``trained`` fixture's; the
other commands that train call ``main`` in this process.
"""

import os
import shutil
import subprocess
import sys

import pytest

from sktag.cli import main
from sktag.datasets import load_seed_example
from sktag.io import read_conllu, write_conllu, write_iob

SKTAG = shutil.which("sktag", path=os.path.dirname(sys.executable)) or shutil.which("sktag")
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}


def run(*args, stdin=None, cwd=None):
    assert SKTAG, "the sktag console script is not installed (pip install -e .)"
    return subprocess.run(
        [SKTAG, *map(str, args)], input=stdin, capture_output=True, text=True, timeout=300,
        env=ENV, cwd=cwd, check=False,
    )


def _korean_nouns():
    seed = load_seed_example()
    names = seed.target_names
    X = [s.split() for s in seed.data] * 5
    y = [[names[v] for v in labels] for labels in seed.target] * 5
    return X, y


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    X, y = _korean_nouns()
    write_conllu(folder / "train.conllu", X, y)
    write_conllu(folder / "dev.conllu", X[:4], y[:4])
    ner_X = [["Kim", "visited", "Seoul", "today"], ["Lee", "met", "Kim"]] * 10
    ner_y = [["B-PER", "O", "B-LOC", "O"], ["B-PER", "O", "B-PER"]] * 10
    write_iob(folder / "ner.iob2", ner_X, ner_y)
    return folder


@pytest.fixture(scope="module")
def trained(corpus):
    model = corpus / "model.joblib"
    result = run(
        "train", corpus / "train.conllu", "--dev", corpus / "dev.conllu", "-o", model,
        "--d-model", 8, "--epochs", 20, "--learning-rate", 0.05,
        "--history", corpus / "history.csv", "--plot", corpus / "history.png",
    )
    return result, model


@pytest.mark.parametrize("command", [[], ["train"], ["evaluate"], ["predict"], ["export"], ["demo"]])
def test_help_for_every_subcommand(command):
    result = run(*command, "--help")
    assert result.returncode == 0
    assert "usage: sktag" in result.stdout
    assert "--help" in result.stdout


def test_train_writes_model_history_and_plot(trained, corpus):
    result, model = trained
    assert result.returncode == 0, result.stderr
    assert model.is_file()
    assert "Epoch 1/20" in result.stdout  # plain progress lines: stdout is not a TTY
    assert "accuracy: 1.0000" in result.stdout
    history = (corpus / "history.csv").read_text().splitlines()
    assert history[0].startswith("epoch,") and len(history) == 21
    assert (corpus / "history.png").read_bytes()[:4] == b"\x89PNG"


def test_evaluate_prints_accuracy_and_report(trained, corpus):
    _, model = trained
    result = run("evaluate", model, corpus / "dev.conllu", "--trust-pickle")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("accuracy: 1.0000 (14 tokens, 4 sentences)")
    assert "명사" in result.stdout and "precision" in result.stdout


def test_evaluate_bio_tags_prints_entity_scores(corpus, tmp_path, capsys):
    # In this process (the commands are main's; the entry point is tested above).
    model = tmp_path / "ner.joblib"
    assert main(["train", str(corpus / "ner.iob2"), "-o", str(model), "--epochs", "20",
                 "--learning-rate", "0.05", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(model), str(corpus / "ner.iob2"), "--trust-pickle"]) == 0
    out = capsys.readouterr().out
    assert "entities: precision 1.0000  recall 1.0000  F1 1.0000" in out


def test_predict_text_from_stdin_and_conllu_file(trained, corpus, tmp_path):
    _, model = trained
    result = run("predict", model, "-", "--trust-pickle", stdin="당신은 수학 선생님 입니다\n\n나는 학생 입니다\n")
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.strip().split("\n\n")
    assert blocks[0].splitlines() == ["당신은\t기타", "수학\t명사", "선생님\t명사", "입니다\t기타"]
    assert len(blocks) == 2
    out = tmp_path / "pred.conllu"
    result = run("predict", model, corpus / "dev.conllu", "-o", out, "--trust-pickle")
    assert result.returncode == 0, result.stderr
    X, y = read_conllu(out)
    assert X == read_conllu(corpus / "dev.conllu")[0]
    assert y[0] == ["기타", "명사", "기타"]




def test_user_errors_give_one_line_and_exit_code(corpus, tmp_path, capsys):
    assert main(["train", str(tmp_path / "missing.conllu"), "-o", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"sktag: error: no such file: {tmp_path / 'missing.conllu'}"

    bad = tmp_path / "bad.conllu"
    bad.write_text("1\tword\t_\tNOUN" + "\t_" * 6 + "\n2\tbroken line\n\n", encoding="utf-8")
    assert main(["train", str(bad), "-o", str(tmp_path / "m")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("sktag: error: ") and f"{bad}:2:" in err and "\n" not in err

    junk = tmp_path / "junk.joblib"
    junk.write_bytes(b"not a model")
    assert main(["evaluate", str(junk), str(corpus / "dev.conllu"), "--trust-pickle"]) == 1
    assert capsys.readouterr().err.startswith(f"sktag: error: cannot load model {junk}")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "data.txt", "-o", "m.joblib"], "cannot tell the format"),
        (["train", "data.conllu"], "the following arguments are required: -o/--output"),
        (["frobnicate"], "invalid choice"),
        (["train", "x.conllu", "-o", "m", "--epochs", "many"], "expected an int, got 'many'"),
    ],
)
def test_usage_errors_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_python_dash_m_runs_the_same_cli():
    result = subprocess.run([sys.executable, "-m", "sktag", "--version"],
                            capture_output=True, text=True, timeout=120, env=ENV, check=False)
    assert result.returncode == 0 and result.stdout.startswith("sktag ")


def test_no_traceback_for_data_errors_through_entry_point(tmp_path):
    bad = tmp_path / "bad.iob2"
    bad.write_text("a\tO\nb\n", encoding="utf-8")
    result = run("train", bad, "-o", tmp_path / "m.joblib")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("sktag: error: ")


def _tagger_for(*argv):
    from sktag.cli import _make_tagger, build_parser

    return _make_tagger(build_parser().parse_args(["train", "x.conllu", "-o", "m", *argv]), 0)


def test_best_picks_the_entity_configuration_for_entity_tags():
    from sktag import configurations
    from sktag.cli import _make_tagger, build_parser

    args = build_parser().parse_args(["train", "x.iob2", "-o", "m", "--best"])
    entity = _make_tagger(args, 0, [["B-PER", "I-PER", "O"]])
    tags = _make_tagger(args, 0, [["NOUN", "VERB"]])
    assert (entity.min_steps, tags.min_steps) == (1400, 300)
    assert configurations.for_labels([["O", "B-LOC"]])["min_steps"] == 1400
    assert configurations.entities()["min_steps"] == 1400
    assert {k: v for k, v in configurations.entities().items() if k != "vocabulary"} == {
        **{k: v for k, v in configurations.best().items() if k != "vocabulary"},
        **configurations.ENTITY_CHANGES}
    assert configurations.for_labels([[0, 1]])["min_steps"] == 300  # int labels: not entities


def test_model_options_and_the_best_preset():
    import importlib.util
    from pathlib import Path

    default = _tagger_for()
    assert (default.encoder, default.d_model, default.char_dim, default.epochs) == ("dense", 64, 0, 10)
    assert default.vocabulary is None and default.learning_rate_schedule == "constant"

    custom = _tagger_for("--encoder", "conv", "--char-dim", "4", "--n-layers", "2",
                         "--dropout", "0.2", "--lowercase", "--learning-rate-schedule", "cosine")
    assert (custom.encoder, custom.char_dim, custom.n_layers, custom.dropout) == ("conv", 4, 2, 0.2)
    assert custom.vocabulary.lowercase and custom.learning_rate_schedule == "cosine"

    # --best is the configuration of the benchmark's "sktag best" row, and options override it.
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "accuracy.py"
    spec = importlib.util.spec_from_file_location("accuracy_benchmark", path)
    benchmark = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(benchmark)
    best = _tagger_for("--best").get_params()
    for name, value in benchmark.BEST.items():
        if name == "vocabulary":
            assert best["vocabulary"].get_params() == value.get_params()
        else:
            assert best[name] == value, name
    assert (best["epochs"], best["min_steps"], best["max_steps"]) == (7, 300, None)
    assert best["char_classes"] is True
    assert _tagger_for("--best", "--no-char-classes").char_classes is False
    short = _tagger_for("--best", "--epochs", "2")  # an explicit --epochs drops min_steps
    assert (short.epochs, short.min_steps) == (2, None)
    longer = _tagger_for("--best", "--epochs", "2", "--min-steps", "50")
    assert (longer.epochs, longer.min_steps) == (2, 50)
    steps = _tagger_for("--epochs", "2", "--max-steps", "30", "--dtype-policy", "mixed_bfloat16")
    assert (steps.epochs, steps.max_steps, steps.dtype_policy) == (2, 30, "mixed_bfloat16")


def test_train_a_context_model_from_the_command_line(corpus, tmp_path, capsys):
    model = tmp_path / "conv.sktag"
    assert main(["train", str(corpus / "train.conllu"), "-o", str(model), "--encoder", "conv",
                 "--char-dim", "4", "--hidden-dim", "8", "--d-model", "8", "--epochs", "2",
                 "--quiet"]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(model), str(corpus / "dev.conllu")]) == 0
    assert "accuracy:" in capsys.readouterr().out


# ----------------------------------------------------------------------
# issue 24: predict keeps a CoNLL-U file whole and never writes over its input;
# --tag is checked by argparse; evaluate warns on labels foreign to the model;
# damaged gzip input is one line of error

UNTAGGED_LINES = (
    "# newdoc id = d1",
    "# sent_id = 1",
    "# text = 나는 학생 입니다",
    "1-2\t나는학생\t_\t_\t_\t_\t_\t_\t_\t_",
    "1\t나는\t나+는\t_\tnp+jxt\tCase=Top\t3\tnsubj\t_\t_",
    "2\t학생\t학생\t_\tncn\t_\t3\tobj\t_\tSpaceAfter=No",
    "2.1\t학생\t학생\t_\tncn\t_\t_\t_\t2:obj\t_",
    "3\t입니다\t이+ㅂ니다\t_\tjp+ef\t_\t0\troot\t_\t_",
    "",
    "# sent_id = 2",
    "1\t수학\t수학\tNOUN\tncn\t_\t0\troot\t_\t_",
    "",
)
UNTAGGED = "\n".join(UNTAGGED_LINES)


def test_predict_conllu_fills_one_column_and_keeps_the_rest(trained, tmp_path, capsys):
    _, model = trained
    source = tmp_path / "in.conllu"
    source.write_text(UNTAGGED, encoding="utf-8")
    out = tmp_path / "out.conllu"
    assert main(["predict", str(model), str(source), "-o", str(out), "--trust-pickle"]) == 0
    before, after = UNTAGGED.split("\n"), out.read_text(encoding="utf-8").split("\n")
    assert len(after) == len(before) + 1  # a final newline after the last blank line
    for old, new in zip(before, after):
        old_fields, new_fields = old.split("\t"), new.split("\t")
        if len(old_fields) == 10 and old_fields[0].isdigit():  # a word: UPOS filled
            assert new_fields[3] in ("기타", "명사")
            new_fields[3] = old_fields[3]
        assert new_fields == old_fields
    assert read_conllu(out)[1][0] == ["기타", "명사", "기타"]
    xpos = tmp_path / "xpos.conllu.gz"  # .gz in, --tag XPOS: XPOS filled, UPOS kept
    gz = tmp_path / "in.conllu.gz"
    import gzip
    gz.write_bytes(gzip.compress(UNTAGGED.encode("utf-8")))
    assert main(["predict", str(model), str(gz), "-o", str(xpos), "--tag", "XPOS",
                 "--trust-pickle"]) == 0
    lines = gzip.decompress(xpos.read_bytes()).decode("utf-8").split("\n")
    assert lines[4].split("\t")[3:5] == ["_", "기타"] and lines[10].split("\t")[3] == "NOUN"
    capsys.readouterr()


def test_predict_refuses_to_write_over_its_input(trained, tmp_path, capsys):
    _, model = trained
    (tmp_path / "sub").mkdir()
    source = tmp_path / "in.conllu"
    source.write_text(UNTAGGED, encoding="utf-8")
    (tmp_path / "link.conllu").symlink_to(source)
    for output in (source, tmp_path / "sub" / ".." / "in.conllu", tmp_path / "link.conllu"):
        with pytest.raises(SystemExit) as info:
            main(["predict", str(model), str(source), "-o", str(output), "--trust-pickle"])
        assert info.value.code == 2
        assert "is the input file" in capsys.readouterr().err
    text = tmp_path / "in.txt"
    text.write_text("나는 학생\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["predict", str(model), str(text), "-o", str(text), "--trust-pickle"])
    assert source.read_text(encoding="utf-8") == UNTAGGED
    assert text.read_text(encoding="utf-8") == "나는 학생\n"


@pytest.mark.parametrize("argv, message", [
    (["evaluate", "m.joblib", "x.conllu", "--tag", "nosuchcol"],
     "argument --tag: unknown CoNLL-U column 'nosuchcol'; choose from id, form, lemma, upos"),
    (["train", "x.conllu", "-o", "m.joblib", "--tag", "pos"], "unknown CoNLL-U column 'pos'"),
    (["predict", "m.joblib", __file__, "--format", "conllu", "--tag", "form"],
     "--tag form: predict fills the --tag column of the CoNLL-U file; it cannot be ID or FORM"),
])
def test_bad_tag_column_is_a_usage_error(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_evaluate_warns_when_no_label_is_the_models(trained, corpus, tmp_path, capsys):
    _, model = trained
    X, _ = read_conllu(corpus / "dev.conllu")
    wrong = tmp_path / "wrong.conllu"
    write_conllu(wrong, X, [["NOUN"] * len(s) for s in X])
    assert main(["evaluate", str(model), str(wrong), "--trust-pickle"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("accuracy: 0.0000")
    assert captured.err.strip() == (
        f"sktag: warning: no label of {wrong} is a label of the model, so every prediction "
        "counts as wrong; is --tag (CoNLL-U) or --tag-col (IOB) the column the model was "
        f"trained on? {wrong}: NOUN; model: 기타, 명사")
    assert main(["evaluate", str(model), str(corpus / "dev.conllu"), "--trust-pickle"]) == 0
    assert "warning" not in capsys.readouterr().err
    # The XPOS column of dev.conllu is '_': an error naming the line, not 0.0000.
    assert main(["evaluate", str(model), str(corpus / "dev.conllu"), "--tag", "xpos",
                 "--trust-pickle"]) == 1
    assert capsys.readouterr().err.startswith(
        f"sktag: error: {corpus / 'dev.conllu'}:1: word 1 ('나는') has no XPOS ('_')")


def test_damaged_gzip_and_long_lines_are_one_line_errors(trained, corpus, tmp_path, capsys):
    import gzip

    _, model = trained
    data = gzip.compress((corpus / "train.conllu").read_bytes() * 20)
    cut = tmp_path / "cut.conllu.gz"
    cut.write_bytes(data[: len(data) // 2])
    assert main(["evaluate", str(model), str(cut), "--trust-pickle"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"sktag: error: {cut}:") and "cannot decompress" in err
    assert err.count("\n") == 1
    long = tmp_path / "long.txt.gz"
    long.write_bytes(gzip.compress(b"a" * (5 << 22)))
    assert main(["predict", str(model), str(long), "--format", "text", "--trust-pickle"]) == 1
    assert capsys.readouterr().err.startswith(f"sktag: error: {long}:1: the line is longer")


def test_predict_tsv_reads_back_tokens_that_start_with_hash(trained, tmp_path, capsys):
    from sktag.io import read_iob

    _, model = trained
    text = tmp_path / "tweets.txt"
    text.write_text("#Brexit 나는 학생\n# 수학\n", encoding="utf-8")
    out = tmp_path / "tags.tsv"
    assert main(["predict", str(model), str(text), "-o", str(out), "--whitespace-tokens",
                 "--trust-pickle"]) == 0
    assert read_iob(out)[0] == [["#Brexit", "나는", "학생"], ["#", "수학"]]
    capsys.readouterr()


def test_predict_an_empty_text_file_writes_nothing_as_blank_lines_do(trained, tmp_path):
    _, model = trained
    for name, content in (("empty.txt", b""), ("blank.txt", b"\n\n\n")):
        (tmp_path / name).write_bytes(content)
        out = tmp_path / f"{name}.tsv"
        assert main(["predict", str(model), str(tmp_path / name), "-o", str(out),
                     "--trust-pickle"]) == 0
        assert out.read_text(encoding="utf-8") == ""
