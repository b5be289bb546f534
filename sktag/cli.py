"""The ``sktag`` command line: train, evaluate, predict, demo.

Exit codes: 0 success, 1 data error (unreadable or malformed file, bad
model file), 2 usage error (bad arguments). User errors print one line,
``sktag: error: ...``, and no traceback.
"""

import argparse
import contextlib
import csv
import io
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

_FORMATS = ("conllu", "iob")
_EXTENSIONS = {
    ".conllu": "conllu",
    ".conll": "iob",
    ".iob": "iob",
    ".iob2": "iob",
    ".bio": "iob",
    ".bioes": "iob",
}


class UsageError(Exception):
    """Bad arguments: exit code 2."""


class DataError(Exception):
    """Unreadable input or model: exit code 1."""


# ----------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------
def _format_from_name(path):
    """The format that the file name's extension says (``.gz`` skipped), or None."""
    suffixes = [s for s in Path(str(path)).suffixes if s.lower() != ".gz"]
    return _EXTENSIONS.get(suffixes[-1].lower()) if suffixes else None


def _detect_format(path, given):
    if given:
        return given
    fmt = _format_from_name(path)
    if fmt is None:
        raise UsageError(
            f"cannot tell the format of {path} from its extension; pass --format "
            f"{' or '.join(_FORMATS)}"
        )
    return fmt


def _read_corpus(path, args):
    """Read (X, y) from a CoNLL-U or IOB file as the arguments say."""
    from .io import read_conllu, read_iob

    fmt = _detect_format(path, args.format)
    if not Path(path).is_file():
        raise DataError(f"no such file: {path}")
    if fmt == "conllu":
        X, y = read_conllu(path, tag=args.tag, encoding=args.encoding)
    else:
        X, y = read_iob(path, token_col=args.token_col, tag_col=args.tag_col,
                        encoding=args.encoding)
    if not X:
        raise DataError(f"{path} holds no sentence")
    return X, y


def _verbosity(args):
    if args.quiet:
        return 0
    return 1 if sys.stdout.isatty() else 2


def _save_model(tagger, path):
    """A safe ``.sktag`` file for that suffix, joblib otherwise."""
    from .persistence import is_model_file_name

    if is_model_file_name(path):
        tagger.save(path)
    else:
        import joblib

        joblib.dump(tagger, path)


def _load_model(args):
    from .persistence import ModelFileError
    from .tagger import open_model

    try:
        return open_model(args.model, trust_pickle=args.trust_pickle)
    except ModelFileError as exc:
        raise DataError(str(exc)) from None


def _write_history(tagger, path):
    keys = list(tagger.history_)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["epoch"] + keys)
        for epoch, values in enumerate(zip(*(tagger.history_[k] for k in keys))):
            writer.writerow([epoch] + [f"{v:.6g}" for v in values])


def _few(labels, n=5):
    """The first ``n`` of a set of labels, sorted, for a message."""
    ordered = sorted(labels)
    more = f", ... ({len(ordered)} labels)" if len(ordered) > n else ""
    return ", ".join(ordered[:n]) + more


def _warn_foreign_labels(tagger, y, source):
    """Warn on standard error when no label of ``y`` is one the model predicts.

    Accuracy is then 0 whatever the model: the labels come from another
    column (``--tag``, ``--tag-col``) or another task than the model's.
    """
    known = {str(label) for label in tagger.classes_}
    found = {str(label) for seq in y for label in seq}
    if found and not found & known:
        print(f"sktag: warning: no label of {source} is a label of the model, so every "
              "prediction counts as wrong; is --tag (CoNLL-U) or --tag-col (IOB) the column "
              f"the model was trained on? {source}: {_few(found)}; model: {_few(known)}",
              file=sys.stderr)


def _print_evaluation(tagger, X, y, out=None, source="the file"):
    from .metrics import (
        classification_report,
        entity_precision_recall_f1,
        is_bio_tagging,
        token_accuracy,
    )

    out = sys.stdout if out is None else out  # at call time: tests and callers swap it
    _warn_foreign_labels(tagger, y, source)
    y_pred = tagger.predict(X)
    n_tokens = sum(len(s) for s in X)
    print(f"accuracy: {token_accuracy(y, y_pred):.4f} ({n_tokens:,} tokens, {len(X):,} sentences)",
          file=out)
    # Unseen: what the vocabulary maps to an unknown id (its own rule, lowercasing included).
    ids = tagger.vocabulary_.encode(X)
    n_special = tagger.vocabulary_.n_special_
    unseen = [(g == p) for s, gs, ps in zip(ids, y, y_pred) for i, g, p in zip(s, gs, ps)
              if i < n_special]
    if unseen:
        print(f"accuracy on unseen words: {sum(unseen) / len(unseen):.4f} "
              f"({len(unseen):,} tokens)", file=out)
    labels = {label for seq in y for label in seq}
    if is_bio_tagging(sorted(map(str, labels))) and labels != {"O"}:
        p, r, f = entity_precision_recall_f1(y, y_pred)
        print(f"entities: precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}", file=out)
    print(file=out)
    print(classification_report(y, y_pred, digits=4, zero_division=0), file=out)


def _make_tagger(args, verbose, y=None):
    """A TokenTagger from ``--best`` (:func:`sktag.configurations.for_labels`: the
    entity configuration for entity tags) or the defaults, then the options given."""
    from .configurations import best, for_labels
    from .parameters import option_values
    from .tagger import TokenTagger
    from .vocabulary import Vocabulary

    params = ((for_labels(y) if y is not None else best()) if args.best else {})
    params.update(option_values(args))  # the options given override either
    if args.epochs is not None and args.min_steps is None:
        params.pop("min_steps", None)  # --epochs asks for epochs, also after --best
    if args.lowercase:
        params["vocabulary"] = Vocabulary(lowercase=True)
    return TokenTagger(**params, verbose=verbose)


# ----------------------------------------------------------------------
# subcommands
# ----------------------------------------------------------------------
def cmd_train(args):
    from .persistence import check_writable

    if args.plot:
        _require_matplotlib()
    check_writable(args.output)  # before training, not after
    X, y = _read_corpus(args.train, args)
    validation = _read_corpus(args.dev, args) if args.dev else None
    verbose = _verbosity(args)
    tagger = _make_tagger(args, verbose, y)
    if verbose:
        print(f"training on {len(X):,} sentences ({sum(map(len, X)):,} tokens)", flush=True)
    tagger.fit(X, y, validation_data=validation)

    _save_model(tagger, args.output)
    print(f"model saved to {args.output}")
    if args.history:
        _write_history(tagger, args.history)
        print(f"history saved to {args.history}")
    if args.plot:
        from .plotting import plot_history

        plot_history(tagger, path=args.plot)
        print(f"history plot saved to {args.plot}")
    if validation is not None:
        print(f"\nevaluation on {args.dev}:")
        _print_evaluation(tagger, *validation)
    return EXIT_OK


def cmd_evaluate(args):
    tagger = _load_model(args)
    X, y = _read_corpus(args.test, args)
    _print_evaluation(tagger, X, y, source=args.test)
    return EXIT_OK


def _same_file(a, b):
    """True when paths ``a`` and ``b`` name one file (a symlink, ``..``, another spelling)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # b does not exist yet
        return Path(a).resolve() == Path(b).resolve()


def cmd_predict(args):
    from .io import fill_conllu, read_conllu, read_text, write_iob

    source = args.input
    fmt = args.format
    if fmt is None and source != "-":
        fmt = _format_from_name(source) or "text"
    fmt = fmt or "text"
    if source != "-" and not Path(source).is_file():
        raise DataError(f"no such file: {source}")
    if source != "-" and args.output not in (None, "-") and _same_file(source, args.output):
        raise UsageError(f"-o {args.output} is the input file {source}; writing the "
                         "predictions there would destroy it. Name another output file.")
    if fmt == "conllu" and args.tag in ("id", "form"):
        raise UsageError(f"--tag {args.tag}: predict fills the --tag column of the CoNLL-U "
                         "file; it cannot be ID or FORM (default: upos)")
    tagger = _load_model(args)
    if args.output_format == "jsonl" and fmt != "text":
        raise UsageError("--output-format jsonl reads plain text; pass a text file or '-'")
    if args.min_score is not None and (args.output_format != "jsonl"
                                       or tagger.label_scheme_ is None):
        raise UsageError("--min-score filters the entities of --output-format jsonl, "
                         "which needs a model trained on entity tags (B-/I- labels)")
    to_stdout = args.output in (None, "-")
    if fmt == "text":
        if source == "-":
            source = io.TextIOWrapper(sys.stdin.buffer, encoding=args.encoding,
                                      errors="surrogateescape")  # named <stdin>
        lines = read_text(source, encoding=args.encoding)
        # One result per line, blank ones included; whitespace-split tokens if asked.
        X = [line.split() for line in lines] if args.whitespace_tokens else lines
        # No line at all (an empty file) writes nothing, as blank lines do.
        results = tagger.annotate(X, split_sentences=args.split_sentences) if X else []
        with contextlib.nullcontext(sys.stdout) if to_stdout else open(
            args.output, "w", encoding="utf-8"
        ) as out:
            if args.output_format == "jsonl":
                _write_jsonl(out, results, args.min_score)
            else:
                tagged = [r["tokens"] for r in results if r["tokens"]]
                write_iob(out, [[t["text"] for t in s] for s in tagged],
                          [[str(t["tag"]) for t in s] for s in tagged])
        return EXIT_OK
    if source == "-":
        raise UsageError("reading CoNLL-U or IOB from standard input needs a file; pass FILE")
    if fmt == "conllu":
        # Tokens only: the column to fill may be '_'. The file is written back whole.
        X = read_conllu(source, tag=None, encoding=args.encoding)
        if not X:
            raise DataError(f"{source} holds no sentence")
        y_pred = [[str(label) for label in seq] for seq in tagger.predict(X)]
        fill_conllu(source, sys.stdout if to_stdout else args.output, y_pred, tag=args.tag,
                    encoding=args.encoding)
        return EXIT_OK
    X, _ = _read_corpus(source, args)
    y_pred = tagger.predict(X)
    with contextlib.nullcontext(sys.stdout) if to_stdout else open(
        args.output, "w", encoding="utf-8"
    ) as out:
        write_iob(out, X, [[str(label) for label in seq] for seq in y_pred])
    return EXIT_OK


def _write_jsonl(out, results, min_score):
    """One JSON object per input line: its tokens and, for entity models, its spans."""
    import json

    for result in results:
        if min_score is not None:
            result["spans"] = [span for span in result["spans"] if span["score"] >= min_score]
        out.write(json.dumps(result, ensure_ascii=False) + "\n")


def cmd_export(args):
    tagger = _load_model(args)
    tagger.to_onnx(args.output)
    print(f"ONNX model written to {args.output} (inputs: token_ids"
          f"{', char_ids' if tagger.char_vocabulary_ is not None else ''}; output: probabilities; "
          f"preprocessing in its metadata 'sktag.preprocessing')")
    return EXIT_OK


def _unseen_accuracy(tagger, X, y, y_pred):
    """Accuracy on the tokens the tagger's vocabulary maps to an unknown id."""
    ids = tagger.vocabulary_.encode(X)
    n_special = tagger.vocabulary_.n_special_
    hits = [g == p for s, gs, ps in zip(ids, y, y_pred) for i, g, p in zip(s, gs, ps)
            if i < n_special]
    return (sum(hits) / len(hits) if hits else float("nan")), len(hits)


def cmd_demo(args):
    import time

    from . import configurations
    from .datasets import load_ud_english_sample, load_ud_korean_sample
    from .metrics import token_accuracy
    from .tagger import TokenTagger

    if args.language == "en":
        train, test = load_ud_english_sample("train"), load_ud_english_sample("test")
        sample = "The new tagger reads sentences from Zurich in 2025 ."
        context = configurations.fast_context()  # 13 epochs of the sample: min_steps=300
        name = "English EWT"
    else:
        train, test = load_ud_korean_sample("train"), load_ud_korean_sample("test")
        sample = "나는 서울 에서 한국어 를 공부 합니다 ."
        context = configurations.korean()
        name = "Korean Kaist -> GSD"
    if args.max_steps is not None:
        context.update(max_steps=args.max_steps, min_steps=None)
    models = {
        "Embedding + Dense (the tutorial)": TokenTagger(random_state=args.random_state),
        f"{context['encoder']} context + characters": TokenTagger(
            **context, random_state=args.random_state),
    }
    print(f"sktag demo: UPOS tags, {name} UD sample shipped with sktag "
          f"({len(train.data):,} training sentences, {len(test.data):,} test sentences)\n",
          flush=True)
    start = time.perf_counter()
    from . import training  # noqa: F401  (TensorFlow: imported once, not part of a fit)

    print(f"importing TensorFlow ... {time.perf_counter() - start:.1f} s", flush=True)
    rows = []
    for label, tagger in models.items():
        print(f"training {label} ...", end=" ", flush=True)
        start = time.perf_counter()
        tagger.fit(train.data, train.target)
        seconds = time.perf_counter() - start
        print(f"{seconds:.1f} s", flush=True)
        y_pred = tagger.predict(test.data)
        unseen, n_unseen = _unseen_accuracy(tagger, test.data, test.target, y_pred)
        rows.append((label, token_accuracy(test.target, y_pred), unseen, n_unseen, seconds))
    print("\n| model | accuracy | unseen-word accuracy | fit seconds |")
    print("|---|---:|---:|---:|")
    for label, accuracy, unseen, n_unseen, seconds in rows:
        print(f"| {label} | {accuracy:.4f} | {unseen:.4f} ({n_unseen:,} tokens) | {seconds:.1f} |")
    best = max(range(len(rows)), key=lambda i: rows[i][1])
    label, tagger = list(models.items())[best]
    print(f"\ntagging a new sentence with the {label} model:")
    for token, tag in zip(sample.split(), tagger.predict([sample])[0]):
        print(f"  {token}\t{tag}")
    print("\nNext: sktag train --best TRAIN.conllu --dev DEV.conllu -o model.sktag "
          "(see sktag train --help)")
    return EXIT_OK


def _require_matplotlib():
    try:
        import matplotlib
    except ImportError:
        raise UsageError('--plot needs matplotlib: pip install "sktag[plot]"') from None


# ----------------------------------------------------------------------
# argument parsing
# ----------------------------------------------------------------------
def _encoding(name):
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding {name!r}") from None


def _conllu_column(name):
    """``--tag``: a CoNLL-U column name (any case), or a usage error listing them."""
    from .io import CONLLU_COLUMNS

    column = name.strip().lower()
    if column not in CONLLU_COLUMNS:
        raise argparse.ArgumentTypeError(
            f"unknown CoNLL-U column {name!r}; choose from {', '.join(CONLLU_COLUMNS)}")
    return column


def _add_model_file_options(parser):
    parser.add_argument("model", metavar="MODEL",
                        help="model saved by 'sktag train': a .sktag file (safe), or a joblib "
                             "file with --trust-pickle")
    parser.add_argument("--trust-pickle", action="store_true",
                        help="allow MODEL to be a joblib/pickle file. Unpickling runs any code "
                             "its writer put in it: only for files you made or trust. A .sktag "
                             "file is never unpickled.")


def _add_format_options(parser, default_format=None):
    group = parser.add_argument_group("input format")
    group.add_argument("--format", choices=_FORMATS if default_format is None else
                       _FORMATS + (default_format,), default=None,
                       help="file format (default: from the extension: .conllu, "
                            ".iob/.iob2/.bio/.conll)")
    group.add_argument("--tag", default="upos", type=_conllu_column,
                       help="CoNLL-U column holding the labels (default: upos; "
                            "also xpos, deprel, ...); predict fills this column")
    group.add_argument("--token-col", type=int, default=0,
                       help="IOB files: column of the token (default: 0)")
    group.add_argument("--tag-col", type=int, default=-1,
                       help="IOB files: column of the tag (default: -1, the last)")
    group.add_argument("--encoding", default="utf-8", type=_encoding,
                       help="text encoding of the input files (default: utf-8)")


def _add_model_options(parser):
    from .configurations import best
    from .parameters import add_options

    group = parser.add_argument_group(
        "model", "Defaults are the tutorial's Embedding + Dense model; --best starts from "
                 "the documented best configuration instead. Options given override either.")
    group.add_argument("--best", action="store_true",
                       help="the best configuration: BiLSTM over lowercased words and "
                            "character features, cosine schedule (slower, more accurate)")
    group.add_argument("--lowercase", action="store_true",
                       help="lowercase the word vocabulary (characters keep the case)")
    add_options(group, overrides={"--best": best()})
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress output")


def build_parser():
    """The argument parser of the ``sktag`` command.

    Returns
    -------
    argparse.ArgumentParser
    """
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="sktag",
        description="Train, evaluate and apply neural token taggers (POS tags, named "
                    "entities) on CoNLL-U and IOB files.",
    )
    parser.add_argument("--version", action="version", version=f"sktag {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("train", help="train a tagger on a CoNLL-U or IOB file",
                       description="Train a TokenTagger and save it: as a safe model file "
                                   "when MODEL ends with .sktag, with joblib otherwise.")
    p.add_argument("train", metavar="TRAIN", help="training file")
    p.add_argument("--dev", metavar="DEV", help="development file, scored after each epoch")
    p.add_argument("-o", "--output", required=True, metavar="MODEL",
                   help="where to save the model (MODEL.sktag: safe file, no pickle; "
                        "other names: joblib)")
    p.add_argument("--history", metavar="CSV", help="write the per-epoch history as CSV")
    p.add_argument("--plot", metavar="PNG", help="draw loss and accuracy curves (needs matplotlib)")
    _add_format_options(p)
    _add_model_options(p)
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="score a saved tagger on a labelled file",
                       description="Print token accuracy, accuracy on unseen words, entity "
                                   "P/R/F1 when the tags are BIO, and a per-label report.")
    _add_model_file_options(p)
    p.add_argument("test", metavar="TEST", help="labelled file")
    _add_format_options(p)
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("predict", help="tag raw text or a CoNLL file",
                       description="Tag each token. Text input (a file or '-' for standard "
                                   "input): one text per line, tokenized as UD English and "
                                   "CoNLL data are (or on whitespace with "
                                   "--whitespace-tokens); output is 'token<TAB>tag' lines, "
                                   "a blank line after each line's tokens (blank lines are "
                                   "skipped), or JSON lines with --output-format jsonl. "
                                   "CoNLL-U input is written back whole (comments, "
                                   "multiword tokens, empty nodes, every other column) with "
                                   "the --tag column filled (default: UPOS); IOB input as "
                                   "'token<TAB>tag' lines. OUT may not be the input file.")
    _add_model_file_options(p)
    p.add_argument("input", metavar="FILE", nargs="?", default="-",
                   help="input file, or '-' for standard input (default)")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: standard output)")
    _add_format_options(p, default_format="text")
    group = p.add_argument_group("text input")
    group.add_argument("--output-format", choices=("tsv", "jsonl"), default="tsv",
                       help="tsv: 'token<TAB>tag' lines, a blank line after each sentence; "
                            "jsonl: one JSON object per input line (blank lines too) with its "
                            "tokens (offsets, tag, probability) and, for an entity model, "
                            "its spans (offsets, label, text, score)")
    group.add_argument("--min-score", type=float, metavar="P",
                       help="jsonl: leave out spans whose score (probability) is below P")
    group.add_argument("--split-sentences", action="store_true",
                       help="split each line into sentences before tagging (offsets still "
                            "point into the line)")
    group.add_argument("--whitespace-tokens", action="store_true",
                       help="the text is tokenized already: split it on whitespace only "
                            "(default: sktag.tokenization, which splits punctuation off words "
                            "as UD English and CoNLL data do)")
    p.set_defaults(func=cmd_predict)

    p = sub.add_parser("export", help="write a saved tagger as a standalone ONNX model",
                       description="Write MODEL as one ONNX model that any ONNX runtime can "
                                   "run (Java, C#, JavaScript, Python), with the vocabulary, "
                                   "characters and labels in its metadata; see the user "
                                   "guide's ONNX page.")
    _add_model_file_options(p)
    p.add_argument("output", metavar="OUT", help="the .onnx file to write")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("demo", help="train and evaluate on the sample data sktag ships",
                       description="Train the tutorial's Embedding + Dense tagger and a context "
                                   "model with character features on the UD sample shipped "
                                   "with sktag, compare them on the held-out sample (accuracy, "
                                   "accuracy on unseen words, fit seconds) and tag a new "
                                   "sentence with the better one.")
    p.add_argument("--language", choices=("en", "ko"), default="en",
                   help="English EWT or Korean Kaist/GSD sample (default: en)")
    p.add_argument("--max-steps", type=int,
                   help="training steps of the context model (default: its configuration's "
                        "length, 312 steps on the English sample, 7 epochs on the Korean one); "
                        "fewer for a quicker look")
    p.add_argument("--random-state", type=int, default=0, help="seed of both models (default: 0)")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv=None):
    """Run the ``sktag`` command; returns the exit code.

    Parameters
    ----------
    argv : list of str, default=None
        Arguments; None reads ``sys.argv``.

    Returns
    -------
    int
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        parser.error(str(exc))  # exits with code 2
    except (DataError, ValueError, TypeError, OSError, UnicodeDecodeError) as exc:
        print(f"sktag: error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        print("sktag: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
