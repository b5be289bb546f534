"""The documentation's examples run: every ``pycon`` block of docs/**/*.md and README.md is a doctest.

A page's ``pycon`` blocks run in order in one namespace, in a fresh temporary
working directory (examples may write files), with ELLIPSIS and
NORMALIZE_WHITESPACE. Shell blocks (``bash``) are not run here; the commands
they show are exercised by tests/test_cli.py. A ``python`` block would be
code that no test runs, so it is not allowed: write examples as ``>>>``
sessions in ``pycon`` blocks.
"""

import doctest
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
README = DOCS.parent / "README.md"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)
# The pages whose code blocks are checked and run: the docs and the README.
CHECKED = PAGES + [README]


def page_id(page):
    return "README.md" if page == README else page.relative_to(DOCS).as_posix()

# Block languages that are shown, not run.
NOT_RUN = {"bash", "console", "text", ""}
# A fence opens a line; a backtick fence's info string holds no backtick (CommonMark).
FENCE = re.compile(r"^(`{3,}(?=[^`]*$)|~{3,})\s*(\S*)")
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def code_blocks(text):
    """(language, first line number, lines) of each fenced block in MyST text."""
    blocks, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        fence, language = match.groups()
        body, j = [], i + 1
        while j < len(lines) and not lines[j].startswith(fence):
            body.append(lines[j])
            j += 1
        blocks.append((language, i + 2, body))
        i = j + 1
    return blocks


def doctest_text(text):
    """The page with everything but its ``pycon`` blocks blanked (line numbers kept)."""
    out = [""] * (len(text.splitlines()) + 1)
    for language, start, body in code_blocks(text):
        if language == "pycon":
            out[start - 1:start - 1 + len(body)] = body
    return "\n".join(out)


def test_docs_have_pages():
    names = {p.relative_to(DOCS).as_posix() for p in PAGES}
    assert {"index.md", "getting_started.md", "design.md"} <= names


@pytest.mark.parametrize("page", CHECKED, ids=page_id)
def test_code_blocks_are_doctests_or_shell(page):
    for language, line, body in code_blocks(page.read_text(encoding="utf-8")):
        if language.startswith("{"):  # a MyST directive: toctree, include, ...
            continue
        where = f"{page.name}:{line}"
        assert language == "pycon" or language in NOT_RUN, (
            f"{where}: a ```{language} block is not run by any test; write it as a "
            "```pycon block of >>> lines"
        )
        if language == "pycon":
            assert body and body[0].startswith(">>> "), f"{where}: must start with '>>> '"


EXAMPLE_PAGES = [p for p in CHECKED if ">>>" in doctest_text(p.read_text(encoding="utf-8"))]


def test_docs_have_examples():
    names = {page_id(p) for p in EXAMPLE_PAGES}
    assert {"getting_started.md", "user_guide/persistence.md", "README.md"} <= names


@pytest.mark.parametrize("page", EXAMPLE_PAGES, ids=page_id)
def test_doc_examples_run(page, tmp_path, monkeypatch):
    text = doctest_text(page.read_text(encoding="utf-8"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    test = doctest.DocTestParser().get_doctest(
        text, {"__name__": "__docs__"}, page.name, str(page), 0
    )
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    report = []
    runner.run(test, out=report.append)
    try:
        import matplotlib.pyplot as plt

        plt.close("all")
    except ImportError:
        pass
    assert runner.failures == 0, "".join(report)


def test_the_readme_shows_the_configurations_the_package_defines():
    """The README's constructor calls are sktag.configurations' best, entity and Korean ones."""
    import sklearn.base

    from sktag import TokenTagger, Vocabulary, configurations

    examples = doctest.DocTestParser().get_examples(doctest_text(README.read_text(encoding="utf-8")))
    calls = {}
    for example in examples:
        match = re.match(r"(best|entities|korean) = (.*)", example.source, re.S)
        if match:
            calls[match.group(1)] = match.group(2)
    assert set(calls) == {"best", "entities", "korean"}, calls
    assert calls["best"].startswith("TokenTagger(")
    namespace = {"TokenTagger": TokenTagger, "Vocabulary": Vocabulary, "sklearn": sklearn}
    best = eval(calls["best"], namespace)
    entities = eval(calls["entities"], {**namespace, "best": best})
    korean = eval(calls["korean"], {**namespace, "best": best})

    def described(tagger):
        return {k: v.get_params() if hasattr(v, "get_params") else v
                for k, v in tagger.get_params(deep=False).items()}

    assert described(best) == described(TokenTagger(**configurations.best()))
    assert described(entities) == described(TokenTagger(**configurations.entities()))
    assert described(korean) == described(TokenTagger(**configurations.korean()))


def test_import_sktag_then_a_submodule_as_the_readme_writes_it():
    """``import sktag`` then ``sktag.configurations.entities()`` works in a fresh process.

    Public submodules load on first attribute access, and not before: the
    import itself stays light, and neither it, the submodules that need no
    model, nor ``from sktag import TokenTagger`` load TensorFlow or Keras.
    """
    import subprocess
    import sys

    code = (
        "import sys, sktag\n"
        "assert 'sktag.configurations' not in sys.modules\n"
        "assert sktag.configurations.entities()['min_steps'] == 1400\n"
        "assert sktag.io.read_conllu and sktag.metrics.token_accuracy\n"
        "assert not {'tensorflow', 'keras', 'scikeras'} & set(sys.modules), 'TF loaded'\n"
        "import sktag.io, sktag.metrics, sktag.datasets\n"
        "from sktag import Vocabulary\n"
        "assert not {'tensorflow', 'keras'} & set(sys.modules), 'TF loaded'\n"
        "from sktag import TokenTagger\n"
        "assert not {'tensorflow', 'keras', 'scikeras'} & set(sys.modules), 'TF loaded'\n"
        "try:\n"
        "    sktag.no_such_module\n"
        "except AttributeError as e:\n"
        "    assert 'no_such_module' in str(e)\n"
        "else:\n"
        "    raise AssertionError('no AttributeError')\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_every_public_module_of_the_package_is_an_attribute_of_it():
    import importlib
    import pkgutil

    import sktag

    public = [m.name for m in pkgutil.iter_modules(sktag.__path__) if not m.name.startswith("_")]
    assert {"configurations", "datasets", "io", "metrics", "persistence", "tokenization"} <= set(public)
    for name in public:
        assert getattr(sktag, name) is importlib.import_module(f"sktag.{name}")
    for name in ("no_such_module", "_no_such_private", "tagger.TokenTagger"):
        assert not hasattr(sktag, name)
