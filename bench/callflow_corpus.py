"""How real agents open and close: counts over ../shared/corpus.

    python bench/callflow_corpus.py                 # the tables in lexicons/README.md
    python bench/callflow_corpus.py --show 20       # plus sample windows, found and not
    python bench/callflow_corpus.py --names 40      # plus the 小X names used as self-reference

For every dialogue with agent speech it takes the agent's first two and last
two messages (each agent utterance on its own, as QA counts them: the
windows of the QA guideline) and counts

1. the opening and closing forms agents use (a fixed list of surface forms,
   counted as substrings: what the lexicon's variants were chosen from),
2. how often the default lexicon's required rules (greeting,
   self-introduction, closing) find their item, per data set, and
3. with ``--names``, the family of persona names: 小 + one or two
   characters followed by what the agent does (为您, 帮您, 已, 会, 建议...)
   or after what the customer does to the agent (私信, 联系, 告知, 给...),
   each name with its count and whether the lexicon treats it as generic
   self-reference (小妹, 小编...) or a word (小时, 一小会).

It reads the corpus only; nothing is written. Skips cleanly (exit 0 with a
message) where ../shared/corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from phraseguard.engine.callflow import CallFlow  # noqa: E402
from phraseguard.engine.lexicon import load_lexicon  # noqa: E402

# ../shared/corpus beside the checkout (or beside a worktree's parent folder).
CORPUS = next((p for p in (REPO.parent / "shared" / "corpus",
                           REPO.parent.parent / "shared" / "corpus") if p.is_dir()),
              REPO.parent / "shared" / "corpus")
FILES = ("stc3_weibo_helpdesk.jsonl", "csds_tods_valtest.jsonl", "jddc2019_sample.jsonl",
         "ecd_taobao_sample.jsonl", "mobilecs_example.jsonl")

# Surface forms counted in the first agent turn / the last two agent turns.
OPENING = {
    "greeting": ["您好", "你好", "很高兴为您服务", "欢迎", "早上好", "下午好", "晚上好",
                 "亲 (address only)", "在的 (I'm here)", "有什么可以帮您 (offer only)"],
    "self-introduction": ["我是…客服/小编/人员", "这里是/这边是…客服", "…客服…为您服务",
                          "工号", "…号客服", "persona 小X as self-reference",
                          "generic 小妹/小编/小二/小红人 only", "客服/专员小X (nickname)"],
}
CLOSING = ["再见", "祝您…愉快/开心", "感谢您…支持/关注/来电", "如有问题…随时联系",
           "欢迎/期待再次", "还有其他…吗 (question only)", "谢谢 (thanks only)",
           "不客气", "请评价", "感谢您的理解/建议/反馈 (no support)"]

# The persona family: 小 + one or two characters, then what the agent does,
# or after what is done to the agent. Mirrors the lexicon's variants.
_DOES = ("为您|为你|帮您|帮你|给您|帮助|已|会|将|很|非常|这边|这里|建议|理解|深表|冒昧|感到|在此|"
         "先|也|再次|协助|核实|查询|了解|有什么|来啦|竭诚|马上|正在|一定|能|定|都|愿|收到|无法|暂|"
         "希望|更好|就")
_PERSONA = re.compile(rf"小([\w@]{{1,2}}?)(?:{_DOES})|(?:私信|联系|告知|告诉|发给|提供给|给)小(\w{{1,2}}?)"
                      r"(?=\W|$|您|哦|的|看|提|说|在|吧|呢|了|反馈|核实|查)")
# Self-reference that names nobody, and 小 as a word: the lexicon's exclusions.
GENERIC = ("妹", "编", "二", "红人", "主", "萌妹", "秘书", "伙伴", "哥", "店")
WORDS = ("时", "区", "会", "件", "票", "孩", "朋友", "程序", "米", "度", "额", "号", "于", "心",
         "写", "的")


def persona_names(text: str) -> list[str]:
    """The 小X names in ``text`` used as self-reference (generic ones included)."""
    out = []
    for m in _PERSONA.finditer(text):
        name = m.group(1) or m.group(2) or ""
        if name and not any(name.startswith(w) for w in WORDS):
            out.append("小" + name)
    return out


def _generic(name: str) -> bool:
    return any(name[1:].startswith(g) for g in GENERIC)

_FORM_TESTS = {
    "亲 (address only)": lambda t: t.startswith("亲"),
    "在的 (I'm here)": lambda t: "在的" in t or "在呢" in t,
    "有什么可以帮您 (offer only)": lambda t: "有什么" in t and "帮" in t,
    "我是…客服/小编/人员": lambda t: "我是" in t and any(w in t for w in ("客服", "小编", "人员")),
    "这里是/这边是…客服": lambda t: ("这里是" in t or "这边是" in t) and "客服" in t,
    "…客服…为您服务": lambda t: "客服" in t and "为您服务" in t,
    "…号客服": lambda t: "号客服" in t,
    "persona 小X as self-reference": lambda t: any(not _generic(n) for n in persona_names(t)),
    "generic 小妹/小编/小二/小红人 only": lambda t: bool(persona_names(t)) and all(
        _generic(n) for n in persona_names(t)),
    "客服/专员小X (nickname)": lambda t: re.search(r"(?:客服|专员)小(?!妹|编|二|红人)", t) is not None,
    "感谢您的理解/建议/反馈 (no support)": lambda t: re.search(
        r"感谢您的(?:理解|建议|反馈)(?!与支持|和支持)", t) is not None,
    "祝您…愉快/开心": lambda t: "祝您" in t and ("愉快" in t or "开心" in t),
    "感谢您…支持/关注/来电": lambda t: "感谢您" in t and any(
        w in t for w in ("支持", "关注", "来电")),
    "如有问题…随时联系": lambda t: "随时" in t and ("联系" in t or "咨询" in t),
    "欢迎/期待再次": lambda t: "再次" in t and ("欢迎" in t or "期待" in t),
    "还有其他…吗 (question only)": lambda t: ("还有其他" in t or "还有什么" in t),
    "谢谢 (thanks only)": lambda t: "谢谢" in t,
    "请评价": lambda t: "评价" in t,
}


def _has(form: str, text: str) -> bool:
    test = _FORM_TESTS.get(form)
    return test(text) if test else form in text


@dataclass
class Line:
    text: str
    role: str
    start: float | None = None
    end: float | None = None
    words: tuple = ()


def dialogues(path: Path) -> dict[str, list[Line]]:
    """Utterances by dialogue, in turn order."""
    rows: dict[str, list[tuple[int, Line]]] = defaultdict(list)
    with path.open(encoding="utf-8") as fp:
        for raw in fp:
            o = json.loads(raw)
            rows[o["dialog"]].append((int(o["turn"]), Line(o["text"], o["role"])))
    return {k: [ln for _, ln in sorted(v, key=lambda t: t[0])] for k, v in rows.items()}


def agent_messages(lines: list[Line]) -> list[str]:
    """The agent's utterances, one by one (the QA guideline's "agent turns")."""
    return [ln.text for ln in lines if ln.role == "agent"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show", type=int, default=0, help="sample windows to print per item")
    ap.add_argument("--names", type=int, default=0,
                    help="print the N commonest 小X names used as self-reference")
    args = ap.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} not present")
        return 0
    flow = CallFlow(load_lexicon(), timing=False)
    opening: Counter[tuple[str, str]] = Counter()
    closing: Counter[tuple[str, str]] = Counter()
    found: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    samples: dict[tuple[str, bool], list[str]] = defaultdict(list)
    names: Counter[str] = Counter()
    for name in FILES:
        path = CORPUS / name
        if not path.is_file():
            continue
        short = name.split("_")[0]
        for lines in dialogues(path).values():
            said = agent_messages(lines)
            if not said:
                continue
            totals[short] += 1
            first, last = "".join(said[:2]), "".join(said[-2:])
            names.update(persona_names(first))
            for forms in OPENING.values():
                for form in forms:
                    if _has(form, first):
                        opening[(short, form)] += 1
            for form in CLOSING:
                if _has(form, last):
                    closing[(short, form)] += 1
            result = flow.check(lines)
            for item, said in result.checklist.items():
                if said:
                    found[(short, item)] += 1
                text = first if item != "closing" else last
                samples[(item, bool(said))].append(text[:60])
    sets = [s for s in totals]
    print("dialogues with agent speech: " + ", ".join(f"{s} {totals[s]}" for s in sets)
          + f"; all {sum(totals.values())}\n")
    print("| first two agent messages have | " + " | ".join(sets) + " | all |")
    print("| --- |" + " ---: |" * (len(sets) + 1))
    for forms in OPENING.values():
        for form in forms:
            row = [opening[(s, form)] for s in sets]
            print(f"| {form} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    print("\n| last two agent messages have | " + " | ".join(sets) + " | all |")
    print("| --- |" + " ---: |" * (len(sets) + 1))
    for form in CLOSING:
        row = [closing[(s, form)] for s in sets]
        print(f"| {form} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    print("\n| default lexicon finds | " + " | ".join(sets) + " | all |")
    print("| --- |" + " ---: |" * (len(sets) + 1))
    for item in ("greeting", "self-introduction", "closing"):
        row = [found[(s, item)] for s in sets]
        cells = [f"{n} ({n / totals[s]:.0%})" for n, s in zip(row, sets, strict=True)]
        allp = sum(row) / sum(totals.values())
        print(f"| {item} | " + " | ".join(cells) + f" | {sum(row)} ({allp:.0%}) |")
    if args.names:
        print("\n| 小X name as self-reference (first two agent messages) | count | counted |")
        print("| --- | ---: | --- |")
        for n, k in names.most_common(args.names):
            print(f"| {n} | {k} | {'no (generic)' if _generic(n) else 'yes'} |")
    if args.show:
        rng = random.Random(7)
        for (item, said), texts in sorted(samples.items()):
            print(f"\n## {item} {'found' if said else 'NOT found'} ({len(texts)})")
            for t in rng.sample(texts, min(args.show, len(texts))):
                print("  ", t)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
