"""bench/meaning_cv.py's options stop with one clear line before any training."""

from __future__ import annotations

import pytest
from benches import load_bench


@pytest.fixture(scope="module")
def bench():
    return load_bench("meaning_cv")


def test_a_training_config_that_cannot_be_read_is_named(bench, capsys, tmp_path) -> None:
    missing = tmp_path / "nope.toml"
    assert bench.main(["--config", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.toml" in err


def test_an_unknown_writer_is_refused(bench, capsys) -> None:
    assert bench.main(["--writers", "paraphrases_train999"]) == 2
    assert "not in the training config" in capsys.readouterr().err


def test_config_without_a_file_is_refused(bench, capsys) -> None:
    assert bench.main(["--config"]) == 2
    assert "give a training config file" in capsys.readouterr().err
