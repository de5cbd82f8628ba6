"""Shared by the tests of bench/ scripts: load one as a module, once per session."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load_bench(stem: str) -> ModuleType:
    """``bench/<stem>.py`` as a module (bench/ is not a package; scripts there
    import their neighbours, so bench/ goes on the path)."""
    name = f"_phraseguard_bench_{stem}"
    if name not in sys.modules:
        if str(BENCH) not in sys.path:
            sys.path.insert(0, str(BENCH))
        spec = importlib.util.spec_from_file_location(name, BENCH / f"{stem}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def corpus_agent_lines() -> list[str]:
    """Every agent line of ../shared/corpus (bench/form_agreement.py reads them);
    the calling test is skipped, with the reason, where the corpus is absent."""
    import pytest

    bench = load_bench("form_agreement")
    if not bench.CORPUS.is_dir():
        pytest.skip(f"no corpus at {bench.CORPUS}")
    lines = bench.agent_lines()
    assert len(lines) > 40_000
    return lines
