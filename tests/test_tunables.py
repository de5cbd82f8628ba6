"""The batch and report tunables come from phraseguard/tunables.toml, checked when read."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from phraseguard.errors import ConfigError
from phraseguard.tunables import TUNABLES_FILE, tunable, whole

ROOT = Path(__file__).resolve().parents[1] / "phraseguard"


def test_the_code_uses_the_numbers_in_the_file() -> None:
    from phraseguard.calls import dask_pool, pool
    from phraseguard.report import html, html_data

    data = tomllib.loads(TUNABLES_FILE.read_text(encoding="utf-8"))
    assert data["pool"]["queue_per_worker"] == pool.QUEUE_PER_WORKER
    assert data["pool"]["warm_attempts"] == pool.WARM_ATTEMPTS
    assert data["pool"]["warm_hold_step_seconds"] == pool.WARM_HOLD_STEP
    assert data["dask"]["connect_seconds"] == dask_pool.CONNECT_TIMEOUT
    assert data["dask"]["worker_wait_seconds"] == dask_pool.WORKER_WAIT
    assert data["dask"]["calls_per_thread"] == dask_pool.QUEUE_PER_THREAD
    assert data["report"]["single_file_max_calls"] == html.SINGLE_FILE_MAX_CALLS
    assert data["report"]["shard_calls"] == html_data.SHARD_CALLS


def test_every_number_in_the_file_is_read_somewhere() -> None:
    data = tomllib.loads(TUNABLES_FILE.read_text(encoding="utf-8"))
    code = "\n".join(p.read_text(encoding="utf-8") for p in ROOT.rglob("*.py"))
    for section, table in data.items():
        for key in table:
            assert f'"{section}", "{key}"' in code, f"[{section}] {key} is read nowhere"


@pytest.mark.parametrize(("text", "fragment"), [
    ("[pool]\nqueue_per_worker = 0\n", "must be a number > 0 (0)"),
    ('[pool]\nqueue_per_worker = "two"\n', "must be a number > 0"),
    ("[pool]\nqueue_per_worker = 2.5\n", "must be a whole number (2.5)"),
    ("[pool]\n", "[pool] queue_per_worker is missing"),
    ("[pool\n", "cannot read the tunable numbers"),
])
def test_a_bad_tunable_is_an_error_naming_the_file(tmp_path: Path, text: str,
                                                   fragment: str) -> None:
    path = tmp_path / "tunables.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        whole("pool", "queue_per_worker", path=path)
    assert str(info.value).startswith(f"{path}: ")
    assert fragment in str(info.value)


def test_a_fraction_is_kept_where_one_is_allowed() -> None:
    assert tunable("pool", "warm_hold_step_seconds") == 0.25
