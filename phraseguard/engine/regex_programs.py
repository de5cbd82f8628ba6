"""Compiled regex programs kept between runs, so a first hit does not compile.

The default lexicon's context conditions are about two hundred regexes, some
of them alternations of hundreds of phrases (``@offers``, ``@real_help``).
Python compiles such a pattern in pure Python, up to 10 ms each: the first
give-up a ``phraseguard lint`` meets compiled 27 of them, about 70 ms of a
0.35 s run. Python cannot keep a compiled pattern (pickling one recompiles
it), but what its compiler makes is a list of integers, the program, which
the regex engine (``_sre``) takes as it is. :func:`pack_programs` compiles
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
import marshal
import re
import sys

# (flags, program as packed 32-bit words, groups, group index, index group)
Program = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
# A program as kept in the cache: marshal.dumps(Program), decoded by restore.
# Reading the default lexicon's 3,000 programs as tuples took 9 ms of a cold
# lint that restores a handful of them; as bytes it takes about 1 ms.
KeptProgram = Program | bytes


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


def pack_programs(patterns: list[str]) -> list[bytes | None]:
    """Each pattern's program packed (``KeptProgram``), in order; None where the
    compiler could not give one."""
    out: list[bytes | None] = []
    for pattern in patterns:
        program = compile_program(pattern)
        out.append(None if program is None else marshal.dumps(program))
    return out


def restore(pattern: str, program: KeptProgram | None) -> re.Pattern:
    """The compiled ``pattern`` from its program (or packed program); ``re.compile``
    where none is usable."""
    if program is not None:
        try:
            import _sre

            if isinstance(program, bytes):
                program = marshal.loads(program)
            flags, words, groups, groupindex, indexgroup = program
            return _sre.compile(pattern, flags, array.array("I", words).tolist(), groups,
                                groupindex, indexgroup)
        except (ImportError, AttributeError, TypeError, ValueError, RuntimeError, EOFError):
            pass
    return re.compile(pattern)
