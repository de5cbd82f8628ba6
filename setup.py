"""Build hook: a wheel ships the slow tables prebuilt (see phraseguard/engine/cache.py).

Everything else about the package is in pyproject.toml.
"""

import os
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithTables(build_py):
    """build_py, then the prebuilt tables into the built package (not for editable installs)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "phraseguard" / "engine" / "prebuilt"
        target.mkdir(parents=True, exist_ok=True)
        # The child sees what this build sees: pip's isolated build
        # environment (jieba, pypinyin, OpenCC) and this source tree.
        path = os.pathsep.join([str(HERE), *sys.path])
        env = dict(os.environ, PHRASEGUARD_CACHE=str(target), PYTHONPATH=path)
        subprocess.run([sys.executable, "-m", "phraseguard.engine.prebuild"], env=env,
                       cwd=HERE, check=True)
        for table in target.iterdir():
            table.chmod(0o644)  # built through mkstemp (0600): every user must read them


setup(cmdclass={"build_py": BuildPyWithTables})
