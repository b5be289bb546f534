"""What the persistence tests share: taggers trained once per session, and the
check that an interrupted save leaves the previous file.

The session's taggers are never changed by a test: tests save, load, pickle
and predict with them, and train copies.
"""

import os
import zipfile

import pytest


@pytest.fixture(scope="session")
def toy_data():
    """Twelve sentences of four tags: enough for a tagger that predicts something."""
    X = [["the", "cat", "sat"], ["a", "dog", "ran"], ["the", "dog", "sat", "down"]] * 4
    y = [["D", "N", "V"], ["D", "N", "V"], ["D", "N", "V", "R"]] * 4
    return X, y


@pytest.fixture(scope="session")
def fitted_dense(toy_data):
    """``TokenTagger(d_model=8, epochs=2, random_state=0)`` fitted on :func:`toy_data`."""
    from sktag import TokenTagger

    return TokenTagger(d_model=8, epochs=2, random_state=0).fit(*toy_data)


@pytest.fixture(scope="session")
def fitted_kept(toy_data):
    """:func:`fitted_dense` with ``keep_optimizer=True``: it keeps Adam's state."""
    from sktag import TokenTagger

    return TokenTagger(d_model=8, epochs=2, random_state=0, keep_optimizer=True).fit(*toy_data)


@pytest.fixture
def check_interrupted_save(tmp_path, monkeypatch):
    """``check(save)``: ``save(path)`` interrupted while writing leaves the
    file at ``path`` as it was, and nothing else in its folder."""

    def check(save):
        path = tmp_path / "m.sktag"
        path.write_bytes(b"previous model")

        def crash(*args, **kwargs):
            raise KeyboardInterrupt

        monkeypatch.setattr(zipfile.ZipFile, "writestr", crash)
        with pytest.raises(KeyboardInterrupt):
            save(path)
        assert path.read_bytes() == b"previous model"
        assert os.listdir(tmp_path) == ["m.sktag"]

    return check
