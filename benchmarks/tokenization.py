"""Tokenization benchmark: how often ``sktag.tokenization`` splits a treebank sentence exactly.

For every sentence of EWT dev (CoNLL-U) and Universal NER English-EWT dev
(IOB2, whose ``# text = ...`` comments are the same kind as CoNLL-U's), the
sentence's ``text`` comment is tokenized with :func:`sktag.tokenization.tokenize`
and compared with the treebank's tokens: the syntactic words, as
:func:`sktag.io.read_conllu` yields them (a multiword token such as ``don't``
counts as its words ``do`` ``n't``). A sentence is split exactly when every
token has the treebank's offsets. A sentence whose words cannot be laid over
its text (a multiword token whose words do not spell its surface form, e.g. a
corrected typo, or a text that differs from the words) is counted as not
split exactly and reported apart.

Prints a Markdown table: sentences, share split exactly, share of treebank
tokens found with their exact offsets, the sentences that cannot be aligned;
then the most common kinds of mismatch, each with a few examples
(the treebank's tokens → sktag's); then the sentence boundaries
:func:`sktag.tokenization.split_sentences` finds in EWT dev's paragraphs
(the sentences of one paragraph joined by a space), as precision and recall
of the sentence ends; then tokenize throughput in characters per second.

Run::

    python benchmarks/tokenization.py --data ../shared/data
    python benchmarks/tokenization.py --data ../shared/data --files en_ewt-ud-train.conllu
"""

import argparse
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from sktag.tokenization import split_sentences, tokenize

FILES = ("en_ewt-ud-dev.conllu", "en_ewt-uner-dev.iob2")


def read_sentences(path):
    """Yield ``(text, words, paragraph)`` per sentence of a CoNLL-U or IOB2 file.

    ``words`` are the forms of the lines with an integer ID (the words
    ``read_conllu`` yields); ``words`` is None when a multiword token's words
    do not spell its surface form. ``paragraph`` counts ``# newpar`` and
    ``# newdoc`` comments.
    """
    text, words, mwt, consistent, paragraph = None, [], None, True, 0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line.strip():
                if words:
                    yield text, words if consistent else None, paragraph
                text, words, mwt, consistent = None, [], None, True
            elif line.startswith("# text = "):
                text = line[len("# text = "):]
            elif line.startswith(("# newpar", "# newdoc")):
                paragraph += 1
            elif not line.startswith("#"):
                fields = line.split("\t")
                word_id = fields[0]
                if "-" in word_id:  # a multiword token: its words follow
                    last = int(word_id.split("-")[1])
                    mwt = [fields[1], last, ""]
                elif word_id.isdigit():
                    words.append(fields[1])
                    if mwt is not None:
                        mwt[2] += fields[1]
                        if int(word_id) == mwt[1]:
                            consistent &= mwt[2] == mwt[0]
                            mwt = None
    if words:
        yield text, words if consistent else None, paragraph


def align(text, words):
    """The ``(start, end)`` offsets of ``words`` in ``text``, or None if they are not there."""
    spans, position = [], 0
    for word in words:
        while position < len(text) and text[position].isspace():
            position += 1
        if not text.startswith(word, position):
            return None
        spans.append((position, position + len(word)))
        position += len(word)
    return spans if text[position:].strip() == "" else None


def mismatches(text, gold, ours):
    """Yield ``(treebank tokens, our tokens)`` for each stretch where the two differ."""
    gold_set, our_set = set(gold), set(ours)
    gold_bad = [span for span in gold if span not in our_set]
    our_bad = [span for span in ours if span not in gold_set]
    spans = sorted(gold_bad + our_bad)
    region = None
    for start, end in spans:  # merge overlapping spans into regions
        if region and start < region[1]:
            region[1] = max(region[1], end)
        else:
            if region:
                yield _region(text, region, gold_bad, our_bad)
            region = [start, end]
    if region:
        yield _region(text, region, gold_bad, our_bad)


def _region(text, region, gold_bad, our_bad):
    def inside(spans):
        return [text[s:e] for s, e in spans if region[0] <= s and e <= region[1]]

    return inside(gold_bad), inside(our_bad)


def kind(gold, ours):
    """A name for the kind of a mismatch, from the characters involved."""
    surface = "".join(gold)
    if "@" in surface or "://" in surface or "www." in surface.lower():
        return "URL or e-mail"
    if any(c in surface for c in "'’`"):
        return "apostrophe or clitic"
    if surface.isalpha():
        return "words written together (its = it s, alot = a lot)"
    if "-" in surface:
        return "hyphen"
    if "/" in surface:
        return "slash"
    if any(c.isdigit() for c in surface):
        return "number"
    if "." in surface:
        return "period or abbreviation"
    if any(c.isalnum() for c in surface):
        return "letters and symbols"
    return "other punctuation"


def evaluate(path):
    n = exact = unaligned = gold_tokens = found = 0
    kinds, examples = Counter(), defaultdict(Counter)
    for text, words, _ in read_sentences(path):
        n += 1
        gold = align(text, words) if words is not None and text is not None else None
        if gold is None:
            unaligned += 1
            continue
        ours = [(token.start, token.end) for token in tokenize(text)]
        gold_tokens += len(gold)
        found += len(set(gold) & set(ours))
        if ours == gold:
            exact += 1
            continue
        seen = set()
        for treebank, sktag in mismatches(text, gold, ours):
            name = kind(treebank, sktag)
            examples[name][(" ".join(treebank), " ".join(sktag))] += 1
            if name not in seen:  # count sentences, not stretches
                kinds[name] += 1
                seen.add(name)
    return {"n": n, "exact": exact, "unaligned": unaligned, "gold": gold_tokens,
            "found": found, "kinds": kinds, "examples": examples}


def sentence_boundaries(path):
    """Precision and recall of the sentence ends split_sentences finds in paragraphs."""
    paragraphs = defaultdict(list)
    for text, _, paragraph in read_sentences(path):
        if text:
            paragraphs[paragraph].append(text)
    true_positive = predicted = actual = 0
    for texts in paragraphs.values():
        joined, ends = "", set()
        for text in texts:
            joined += (" " if joined else "") + text
            ends.add(len(joined))
        found = {sentence[-1].end for sentence in split_sentences(joined)}
        true_positive += len(found & ends)
        predicted += len(found)
        actual += len(ends)
    return len(paragraphs), actual, true_positive / predicted, true_positive / actual


def throughput(texts, repeat=3):
    text = "\n".join(texts)
    best = min(_timed(tokenize, text) for _ in range(repeat))
    return len(text), len(text) / best


def _timed(function, *args):
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data", help="folder with the corpora")
    parser.add_argument("--files", nargs="+", default=list(FILES),
                        help="CoNLL-U or IOB2 files in --data with '# text = ' comments")
    parser.add_argument("--examples", type=int, default=3, help="examples per kind of mismatch")
    parser.add_argument("--kinds", type=int, default=6, help="kinds of mismatch per file")
    parser.add_argument("--output", help="also write the Markdown tables to this file")
    args = parser.parse_args(argv)

    lines = [f"Tokenization, `sktag.tokenization.tokenize`, {date.today()}", ""]
    lines += [
        "| dataset | sentences | split exactly | treebank tokens found | not alignable |",
        "|---|---:|---:|---:|---:|",
    ]
    results = {}
    for name in args.files:
        result = results[name] = evaluate(Path(args.data) / name)
        lines.append(
            f"| {name} | {result['n']:,} | {result['exact'] / result['n']:.1%} | "
            f"{result['found'] / max(result['gold'], 1):.1%} | {result['unaligned']} |"
        )
    heading = "Most common kinds of mismatch (sentences with one; the treebank's tokens → sktag's):"
    lines += ["", heading, ""]
    lines += ["| dataset | kind | sentences | examples |", "|---|---|---:|---|"]
    for name, result in results.items():
        for mismatch, count in result["kinds"].most_common(args.kinds):
            shown = [f"`{treebank}` → `{ours}`" for (treebank, ours), _ in
                     result["examples"][mismatch].most_common(args.examples)]
            lines.append(f"| {name} | {mismatch} | {count} | {'; '.join(shown)} |")

    conllu = [name for name in args.files if name.endswith(".conllu")]
    if conllu:
        lines += ["", "| sentence ends in paragraphs | paragraphs | sentences | precision | recall |",
                  "|---|---:|---:|---:|---:|"]
        for name in conllu:
            n_paragraphs, n_sentences, precision, recall = sentence_boundaries(
                Path(args.data) / name)
            lines.append(f"| {name} | {n_paragraphs:,} | {n_sentences:,} | {precision:.1%} | "
                         f"{recall:.1%} |")

    texts = [text for text, _, _ in read_sentences(Path(args.data) / args.files[0]) if text]
    n_chars, speed = throughput(texts)
    lines += ["", (f"tokenize throughput: {speed:,.0f} characters/s "
                   f"({n_chars:,} characters of {args.files[0]} as one text, best of 3)")]
    table = "\n".join(lines)
    print(table)
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
