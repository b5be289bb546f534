"""The examples run end to end as a user would run them."""

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_seed_tutorial_example(tmp_path):
    history = tmp_path / "token_class.csv"
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "seed_tutorial.py"), "--history", str(history)],
        capture_output=True, text=True, timeout=300, check=True, cwd=tmp_path,
    )
    lines = result.stdout.strip().splitlines()
    assert lines[-4:] == ["수학\t명사", "당신은\t기타", "선생님\t명사", "입니다\t기타"]
    assert "test accuracy: 1.0000" in result.stdout
    rows = list(csv.DictReader(history.open()))
    assert rows and {"loss", "accuracy", "val_loss", "val_accuracy"} <= set(rows[0])
