"""Which cluster ``score --cluster`` (or the ``cluster`` setting) names, read without Dask.

Kept apart from :mod:`phraseguard.calls.dask_pool` so a bad value is a
one-line error even where Dask is not installed, and before any work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from phraseguard.errors import ConfigError, PhraseguardError

_LOCAL_RE = re.compile(r"local:(\d+)\Z")
_ADDRESS_RE = re.compile(r"(tcp|tls|ws|wss|ucx)://[^\s/]+:\d+\Z")


class ClusterError(PhraseguardError):
    """The cluster cannot be used: unreachable scheduler, no workers."""


class ClusterLost(ClusterError):
    """The scheduler went away mid-run; finished calls are saved, a rerun does the rest."""


@dataclass(frozen=True)
class ClusterSpec:
    """``tcp://HOST:PORT`` (a running scheduler) or ``local:N`` (N workers on this machine)."""

    address: str | None = None
    local_workers: int = 0

    def __str__(self) -> str:
        return self.address or f"local:{self.local_workers}"


def parse_cluster(value: str, where: str = "--cluster") -> ClusterSpec:
    """Read a ``--cluster`` value (or the ``cluster`` setting); ConfigError naming ``where``."""
    text = value.strip()
    m = _LOCAL_RE.match(text)
    if m:
        n = int(m.group(1))
        if n < 1:
            raise ConfigError(f"{where}: local:N needs at least one worker (got {text!r})")
        return ClusterSpec(local_workers=n)
    if _ADDRESS_RE.match(text):
        return ClusterSpec(address=text)
    raise ConfigError(f"{where}: {text!r} is not a scheduler address (tcp://HOST:8786) "
                      "or local:N")
