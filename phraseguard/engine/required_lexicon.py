"""The one-rule lexicon a required call-flow item is matched with.

Each ``[[required]]`` rule is matched by a matcher of its own, over a
lexicon holding that rule alone with its placeholders filled in. Building
that lexicon needs no matcher, so ``prebuild`` can compile it into the
wheel (the build environment lacks the matcher's compiled dependencies)
under the same content key a first ``score`` would use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from phraseguard.engine.flowrules import RequiredRule, expand
from phraseguard.engine.lexicon import Context, Lexicon, Rule

# With no company configured, {company} is any few characters.
ANY_COMPANY = "*8"
# A gap at either end of an expanded pattern only widens what it spans.
EDGE_GAP = re.compile(r"^\*\d*|\*\d*$")


def rule_lexicon(lexicon: Lexicon, rule: RequiredRule, company: Sequence[str],
                 agent_names: Sequence[str]) -> Lexicon | None:
    """``rule`` as a lexicon of one rule, ``{company}`` and ``{agent}`` filled in.

    ``company`` are the company's names (empty: any few characters for
    ``{company}``; a pattern with ``{known_company}`` is then dropped) and
    ``agent_names`` what ``{agent}`` may be. None when no pattern is left.
    """
    values = {"company": tuple(company) or (ANY_COMPANY,), "known_company": tuple(company),
              "agent": tuple(agent_names)}

    def patterns(sources) -> list[str]:
        out = []
        for src in sources:
            for p in expand(src, values):
                p = EDGE_GAP.sub("", p)
                if p and p not in out:
                    out.append(p)
        return out

    pats = patterns((*rule.phrases, *rule.variants))
    if not pats:
        return None
    phrases = tuple(p for p in pats if not any(c in p for c in "{}|*"))
    variants = tuple(p for p in pats if p not in phrases)

    def context(table: dict[str, tuple[str, ...]]) -> Context:
        return Context(**{scope: tuple(patterns(pats_)) for scope, pats_ in table.items()})

    inner = Rule(id=rule.id, category=rule.category, severity=rule.severity,
                 message=rule.message, suggestions=rule.suggestions, phrases=phrases,
                 variants=variants, unless=context(rule.unless),
                 requires=context(rule.requires), deduction=rule.deduction,
                 fuzzy=rule.fuzzy, words=rule.words, line=rule.line)
    return Lexicon(name=f"{lexicon.name}:{rule.id}", rules=(inner,),
                   scoring=lexicon.scoring, matching=lexicon.matching,
                   source=lexicon.source, digest=lexicon.digest,
                   dialogue=lexicon.dialogue)
