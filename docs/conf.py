"""Sphinx configuration of the sktag documentation.

Build: ``sphinx-build -W --keep-going -b html docs docs/_build/html``
(``pip install -e ".[docs]"`` first).
"""

import os
import sys
from datetime import date
from pathlib import Path

# Quiet TensorFlow's start-up logging; autodoc imports sktag.tagger (Keras).
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sktag  # noqa: E402

project = "sktag"
author = "the sktag developers"
copyright = f"{date.today().year}, {author}"
release = sktag.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
# The benchmark tables are written by benchmarks/*.py and pulled into
# benchmarks/index.md with {include}; they are not pages of their own.
exclude_patterns = ["_build", "benchmarks/accuracy.md", "benchmarks/speed.md", "benchmarks/equivalence.md",
                    "benchmarks/vectors.md"]

# -- MyST (Markdown pages) ---------------------------------------------------
myst_heading_anchors = 3

# -- autodoc / autosummary / numpydoc ------------------------------------------
autosummary_generate = True
autodoc_typehints = "none"  # types are in the numpydoc "Parameters" sections
autodoc_member_order = "bysource"
# Members are listed by the autosummary templates in _templates/autosummary;
# numpydoc's own member tables would document every method twice.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# -- HTML ----------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"sktag {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_show_sourcelink = False


def _skip_metadata_request_methods(app, what, name, obj, skip, options):
    # scikit-learn generates set_fit_request, set_score_request, ... for
    # metadata routing; their docstrings point into scikit-learn's own docs.
    if name.startswith("set_") and name.endswith("_request"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_metadata_request_methods)
