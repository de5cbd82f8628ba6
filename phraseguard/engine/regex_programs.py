"""Compiled regex programs kept between runs, so a first hit does not compile.

The default lexicon's context conditions are about two hundred regexes, some
of them alternations of hundreds of phrases (``@offers``, ``@real_help``).
Python compiles such a pattern in pure Python, up to 10 ms each: the first
give-up a ``phraseguard lint`` meets compiled 27 of them, about 70 ms of a
0.35 s run. Python cannot keep a compiled pattern (pickling one recompiles
it), but what its compiler makes is a list of integers, the program, which
the regex engine (``_sre``) takes as it is. :func:`compile_programs` compiles
every pattern of a lexicon once into marshal-able programs; the matcher keeps
them in the cache folder (the default lexicon's are shipped in the wheel) and
:func:`restore` makes a pattern from one in microseconds, on first use.

A program belongs to one interpreter build: the cache key names Python's
version and the regex engine's magic number and code size, the engine
validates a program when it takes it, and any failure (another Python whose
compiler moved, a damaged file) falls back to ``re.compile``. A restored
pattern is the compiled pattern itself: ``tests/engine/test_regex_programs.py``
checks that each of the default lexicon's finds what ``re.compile`` finds.
"""

from __future__ import annotations

import array
import re
import sys
from collections.abc import Iterable

# (flags, program as packed 32-bit words, groups, group index, index group)
Program = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]


def programs_key() -> str:
    """Names the interpreter build whose regex compiler made a program."""
    try:
        import _sre

        return f"{sys.version}:{_sre.MAGIC}:{_sre.CODESIZE}"
    except (ImportError, AttributeError):
        return f"{sys.version}:unknown"


def compile_program(pattern: str) -> Program | None:
    """``pattern``'s program, as ``re.compile`` would build it; None where it cannot tell."""
    try:
        from re import _compiler, _parser

        parsed = _parser.parse(pattern, 0)
        code = _compiler._code(parsed, 0)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        # The opcodes are int subclasses, which marshal refuses.
        words = array.array("I", (int(c) for c in code)).tobytes()
        return int(parsed.state.flags), words, parsed.state.groups - 1, groupindex, \
            tuple(indexgroup)
    except (ImportError, AttributeError, TypeError, ValueError, OverflowError, re.error):
        return None


def compile_programs(patterns: Iterable[str]) -> dict[str, Program]:
    """Every pattern's program (those the compiler could not give are left out)."""
    programs: dict[str, Program] = {}
    for pattern in patterns:
        if pattern not in programs and (program := compile_program(pattern)) is not None:
            programs[pattern] = program
    return programs


def restore(pattern: str, program: Program | None) -> re.Pattern:
    """The compiled ``pattern`` from its program; ``re.compile`` where none is usable."""
    if program is not None:
        try:
            import _sre

            flags, words, groups, groupindex, indexgroup = program
            return _sre.compile(pattern, flags, array.array("I", words).tolist(), groups,
                                groupindex, indexgroup)
        except (ImportError, AttributeError, TypeError, ValueError, RuntimeError):
            pass
    return re.compile(pattern)
