"""Where ``predict`` spends its time: a per-stage profile on all of EWT dev.

For the best configuration and the fast context model (trained on EWT train,
a few epochs: the weights' values do not change the time), ``predict`` on the
whole dev file is run stage by stage, through the pieces of
:class:`sktag.inference.OnnxPredictor` that ``predict`` itself calls, each
timed with ``time.perf_counter``:

- validation: ``check_sentences`` (what ``predict`` checks);
- encoding: the call's distinct spellings and their word ids;
- character features: the features of the distinct spellings, from the
  cache (warm: a service's steady state) or from the ``char_encoder`` graph
  (cold: a fresh predictor's first call, shown on a row of its own);
- batching and padding: length-sorted batches and one gather per batch;
- graph: the ``word_tagger`` graph's ``session.run`` on those batches;
- argmax: the argmax of each batch, scattered to the flat token order;
- labels: the label ids to label lists, once.

The "per sentence" columns re-enact, with the same graph, batches and
cache, the path ``predict`` took before issue 28 (word ids per sentence, a
padded copy per sentence and batch, an argmax and a label conversion per
sentence), to show what the flat batch path saves.

Then the stages of one 11-token sentence, a service's usual call (median
of ``--calls`` calls), and a sweep of the batch budget (``prediction_batches``'s
``max_positions`` and ``max_sentences``): the graph's tokens per CPU second
on the same data, for each budget.

The stages' labels are checked against ``tagger.predict``. The passes of
both paths and of ``predict`` alternate, and each figure is the fastest of
``--passes`` passes (per stage; the machine's other work only ever adds
time, so the fastest pass is the one it disturbed least). "end to end" is
``tagger.predict(X)`` timed on its own in the same passes, and "graph
alone" is the graph's throughput on the same padded batches: the lean-batch
target is end to end >= 80% of it.

Run::

    python benchmarks/predict_profile.py --data ../shared/data
    python benchmarks/predict_profile.py --model-dir /tmp/models  # reuse trained models
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from accuracy import BEST, FAST_CONTEXT  # noqa: E402

import sktag  # noqa: E402
from sktag.batching import prediction_batches  # noqa: E402
from sktag.inference import FeatureCache, set_threads  # noqa: E402
from sktag.io import read_conllu  # noqa: E402
from sktag.validation import check_sentences  # noqa: E402
from sktag.vocabulary import pad_sequences  # noqa: E402

STAGES = ["validation", "encoding", "character features", "batching and padding", "graph",
          "argmax", "labels"]


def trained(name, config, args, X_train, y_train):
    """The model ``name``: loaded from ``--model-dir`` if saved there, else trained (and saved)."""
    path = Path(args.model_dir) / f"{name}.sktag" if args.model_dir else None
    if path is not None and path.exists():
        return sktag.load(path)
    tagger = sktag.TokenTagger(**config, random_state=0).set_params(
        epochs=args.epochs, max_steps=None).fit(X_train, y_train)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tagger.save(path)
    return tagger


def staged_predict(tagger, X, cold=False):
    """``tagger.predict(X)`` stage by stage; returns (labels, seconds per stage)."""
    clock = time.perf_counter
    seconds = dict.fromkeys(STAGES, 0.0)
    t0 = clock()
    sentences = check_sentences(X, tokenizer=tagger.tokenizer, allow_empty=True)
    t1 = clock()
    predictor = predictor_of(tagger, cold)
    t1b = clock()
    encoded = predictor.encode(sentences)
    t2 = clock()
    features = predictor.char_features(encoded.distinct) if predictor.spec.char else None
    t3 = clock()
    seconds["validation"] = t1 - t0
    seconds["encoding"] = t2 - t1b
    seconds["character features"] = t3 - t2
    label_ids = np.zeros(encoded.flat.n_tokens, dtype=np.intp)
    t = clock()
    for batch in encoded.flat.batches():
        inputs, index, mask = predictor.batch_inputs(encoded, features, batch)
        ta = clock()
        probs = predictor.run(inputs)
        tb = clock()
        label_ids[index[mask]] = probs.argmax(axis=2)[mask]
        tc = clock()
        seconds["batching and padding"] += ta - t
        seconds["graph"] += tb - ta
        seconds["argmax"] += tc - tb
        t = tc
    labels = encoded.flat.split(tagger.classes_[label_ids].tolist())
    seconds["labels"] = clock() - t
    return labels, seconds


def staged_per_sentence(tagger, X, cold=False):
    """The per-sentence path ``predict`` took before issue 28, stage by stage.

    Word ids per sentence, one padded copy per sentence and batch, one
    argmax and one label conversion per sentence, on the same graph and the
    same batches.
    """
    clock = time.perf_counter
    seconds = dict.fromkeys(STAGES, 0.0)
    t0 = clock()
    sentences = check_sentences(X, tokenizer=tagger.tokenizer, allow_empty=True)
    t1 = clock()
    predictor = predictor_of(tagger, cold)
    t1b = clock()
    token_ids = tagger.vocabulary_.encode(sentences, check_input=False)
    t2 = clock()
    if predictor.spec.char:
        index = {}
        positions = [index.setdefault(t, len(index)) for tokens in sentences for t in tokens]
        features = predictor.char_features(list(index))
        types = np.split(np.asarray(positions, dtype=np.intp),
                         np.cumsum([len(tokens) for tokens in sentences])[:-1])
    t3 = clock()
    seconds["validation"] = t1 - t0
    seconds["encoding"] = t2 - t1b
    seconds["character features"] = t3 - t2
    lengths = [len(ids) for ids in token_ids]
    out = [None] * len(lengths)
    t = clock()
    for batch in prediction_batches(lengths):
        inputs = {"token_ids": pad_sequences([token_ids[i] for i in batch], dtype=np.int64)}
        if predictor.spec.char:
            inputs["token_chars"] = features[pad_sequences([types[i] for i in batch],
                                                           dtype=np.intp)]
        ta = clock()
        probs = predictor.run(inputs)
        tb = clock()
        for row, i in enumerate(batch):
            out[i] = probs[row, : lengths[i]]
        seconds["batching and padding"] += ta - t
        seconds["graph"] += tb - ta
        t = clock()
    empty = np.zeros((0, len(tagger.classes_)), dtype=np.float32)
    argmax = [(empty if p is None else p).argmax(axis=1) for p in out]
    t4 = clock()
    seconds["argmax"] = t4 - t
    labels = [tagger.classes_[a].tolist() for a in argmax]
    seconds["labels"] = clock() - t4
    return labels, seconds


def predictor_of(tagger, cold):
    """The predictor ``predict`` uses (built once per fitted tagger); ``cold``: an empty cache."""
    predictor = tagger._prediction_path()
    if cold and predictor.cache is not None:
        predictor.cache = FeatureCache(predictor.cache.width, predictor.cache.size)
    return predictor


PATHS = {"": staged_predict, ", per sentence": staged_per_sentence}


def profile(tagger, X, passes):
    """Both paths' stages, passes interleaved (the machine's load moves): {path: result}."""
    n_tokens = sum(len(s) for s in X)
    expected = tagger.predict(X)  # also builds the predictor and warms the cache
    cold, runs, end_to_end = {}, {path: [] for path in PATHS}, []
    for path, staged in PATHS.items():
        labels, seconds = staged(tagger, X, cold=True)
        assert labels == expected, f"the stages{path} do not predict what predict does"
        cold[path] = seconds["character features"]
    for _ in range(passes):
        for path, staged in PATHS.items():
            labels, seconds = staged(tagger, X)
            assert labels == expected
            runs[path].append(seconds)
        start = time.perf_counter()
        tagger.predict(X)
        end_to_end.append(time.perf_counter() - start)
    out = {}
    for path in PATHS:
        out[path] = {
            "fastest": {stage: min(r[stage] for r in runs[path]) for stage in STAGES},
            "total": sum(min(r[stage] for r in runs[path]) for stage in STAGES),
            "cold_chars": cold[path],
            "end_to_end": min(end_to_end) if path == "" else None,
            "n_tokens": n_tokens, "n_distinct": len({t for s in X for t in s})}
    return out


def table(results):
    names = list(results)
    lines = ["| stage | " + " | ".join(f"{n}: ms | share" for n in names) + " |",
             "|---|" + "---:|---:|" * len(names)]
    for stage in STAGES:
        cells = []
        for n in names:
            r = results[n]
            cells.append(f"{r['fastest'][stage] * 1e3:.1f} | {r['fastest'][stage] / r['total']:.0%}")
        lines.append(f"| {stage} | " + " | ".join(cells) + " |")
    rows = {
        "all stages": lambda r: f"{r['total'] * 1e3:.1f} | 100%",
        "throughput of the stages, tokens/s": lambda r: f"{r['n_tokens'] / r['total']:,.0f} | -",
        "throughput of the graph alone, tokens/s":
            lambda r: f"{r['n_tokens'] / r['fastest']['graph']:,.0f} | -",
        "stages / graph alone (target >= 80%)":
            lambda r: f"{r['fastest']['graph'] / r['total']:.0%} | -",
        "`predict` end to end, ms":
            lambda r: f"{r['end_to_end'] * 1e3:.1f} | -" if r["end_to_end"] else "- | -",
        "`predict` end to end / graph alone (target >= 80%)":
            lambda r: (f"{r['fastest']['graph'] / r['end_to_end']:.0%} | -" if r["end_to_end"]
                       else "- | -"),
        "character features, cold cache, ms": lambda r: f"{r['cold_chars'] * 1e3:.1f} | -",
    }
    for label, cell in rows.items():
        lines.append(f"| {label} | " + " | ".join(cell(results[n]) for n in names) + " |")
    return "\n".join(lines)


SENTENCE = "The new tagger reads this sentence from Zurich in 2025 .".split()
ONE_STAGES = ["validation", "word ids", "character features (cache)", "graph",
              "argmax and labels", "`predict` end to end"]


def one_sentence(tagger, calls):
    """Median microseconds of each stage of a one-sentence ``predict`` (a service's call).

    The stages of ``OnnxPredictor``'s one-sentence path: no batching or
    padding, the character features straight from the cache.
    """
    clock = time.perf_counter
    predictor = predictor_of(tagger, cold=False)
    expected = tagger.predict([SENTENCE])
    times = {stage: [] for stage in ONE_STAGES}
    for _ in range(calls):
        t0 = clock()
        sentences = check_sentences([SENTENCE], tokenizer=tagger.tokenizer, allow_empty=True)
        t1 = clock()
        ids = tagger.vocabulary_.encode(sentences, check_input=False)[0]
        inputs = {"token_ids": ids.astype(np.int64)[None]}
        t2 = clock()
        if predictor.spec.char:
            inputs["token_chars"] = predictor.cache.table[
                predictor.cache.lookup(sentences[0])][None]
        t3 = clock()
        probs = predictor.run(inputs)[0]
        t4 = clock()
        labels = [tagger.classes_[probs.argmax(axis=1)].tolist()]
        t5 = clock()
        tagger.predict([SENTENCE])
        t6 = clock()
        for stage, seconds in zip(ONE_STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4,
                                               t6 - t5)):
            times[stage].append(seconds)
    assert labels == expected
    return {stage: float(np.median(t)) * 1e6 for stage, t in times.items()}


def one_table(ones):
    names = list(ones)
    lines = ["| one 11-token sentence, stage | " + " | ".join(f"{n}: us" for n in names) + " |",
             "|---|" + "---:|" * len(names)]
    for stage in ONE_STAGES:
        lines.append(f"| {stage} | " + " | ".join(f"{ones[n][stage]:.1f}" for n in names) + " |")
    return "\n".join(lines)


#: (max_positions, max_sentences) budgets of prediction_batches the sweep tries.
BUDGETS = [(256, 64), (512, 64), (512, 128), (1024, 64), (1024, 128), (2048, 256),
           (4096, 256)]


def batch_sweep(tagger, X, passes):
    """The graph's tokens per CPU second on EWT dev for each batch budget.

    CPU time of this process (``time.process_time``), not wall time: on a
    shared machine it moves far less with the other work, and with one
    ONNX Runtime thread it is what a core spends per token.
    """
    predictor = predictor_of(tagger, cold=False)
    encoded = predictor.encode(check_sentences(X, allow_empty=True))
    features = predictor.char_features(encoded.distinct) if predictor.spec.char else None
    best = dict.fromkeys(BUDGETS, float("inf"))
    for _ in range(passes):
        for budget in BUDGETS:
            inputs = [predictor.batch_inputs(encoded, features, b)[0]
                      for b in encoded.flat.batches(*budget)]
            start = time.process_time()
            for batch in inputs:
                predictor.run(batch)
            best[budget] = min(best[budget], time.process_time() - start)
    n_batches = {b: len(encoded.flat.batches(*b)) for b in BUDGETS}
    return {b: (encoded.flat.n_tokens / best[b], n_batches[b]) for b in BUDGETS}


def sweep_table(sweeps):
    names = list(sweeps)
    lines = ["| max_positions, max_sentences | batches on EWT dev | "
             + " | ".join(f"{n}: graph tokens per CPU second" for n in names) + " |",
             "|---|---:|" + "---:|" * len(names)]
    for budget in BUDGETS:
        n_batches = sweeps[names[0]][budget][1]
        lines.append(f"| {budget[0]}, {budget[1]} | {n_batches} | "
                     + " | ".join(f"{sweeps[n][budget][0]:,.0f}" for n in names) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    parser.add_argument("--epochs", type=int, default=2, help="training epochs (default 2)")
    parser.add_argument("--passes", type=int, default=15, help="timed passes (default 15)")
    parser.add_argument("--calls", type=int, default=2000,
                        help="one-sentence calls for the one-sentence stages (default 2000)")
    parser.add_argument("--threads", default="1",
                        help="ONNX Runtime threads per call, an int or 'default' (default 1)")
    parser.add_argument("--model-dir", help="load best.sktag and fast.sktag from here if they "
                        "exist, else train them and save them here")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    set_threads(None if args.threads == "default" else int(args.threads))

    X_dev, _ = read_conllu(Path(args.data) / "en_ewt-ud-dev.conllu")
    X_train = y_train = None
    if not (args.model_dir and all((Path(args.model_dir) / f"{n}.sktag").exists()
                                   for n in ("best", "fast"))):
        X_train, y_train = read_conllu(Path(args.data) / "en_ewt-ud-train.conllu")
    results, sweeps, ones = {}, {}, {}
    for name, label, config in [("best", "best configuration", BEST),
                                ("fast", "fast context", FAST_CONTEXT)]:
        tagger = trained(name, config, args, X_train, y_train)
        for path, result in profile(tagger, X_dev, args.passes).items():
            results[label + path] = result
            print(label + path, result, flush=True)
        sweeps[label] = batch_sweep(tagger, X_dev, args.passes)
        print(label, sweeps[label], flush=True)
        ones[label] = one_sentence(tagger, args.calls)
        print(label, ones[label], flush=True)
    r = next(iter(results.values()))
    print()
    print(table(results))
    print()
    print(sweep_table(sweeps))
    print()
    print(one_table(ones))
    print(f"\nEWT dev: {len(X_dev)} sentences, {r['n_tokens']:,} tokens, {r['n_distinct']:,} "
          f"distinct spellings; ONNX Runtime threads: {args.threads}; stages: the fastest of "
          f"{args.passes} passes; one sentence: the median of {args.calls} calls. Measured {date.today().isoformat()} with "
          f"`python benchmarks/predict_profile.py {' '.join(argv)}`.")


if __name__ == "__main__":
    main()
