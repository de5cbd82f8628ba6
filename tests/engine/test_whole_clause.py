"""The call-flow shortcut (a listed phrase standing as a clause) agrees with the matcher.

``WholeClausePhrases.said(text)`` may say True only where the rule's own
matcher finds the item (``first(text) is not None``). Each test asks that on
real openings and closings, on near misses generated around every listed
phrase (glued to the next word, inside a longer one, before a question mark,
doubled, spaced like recogniser output, traditional), and on lexicons whose
conditions make a phrase count only in some clauses; and asks that it does
say True where it should, so it cannot pass by never answering.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from phraseguard.engine.callflow import CallFlow
from phraseguard.engine.lexicon import load_lexicon
from phraseguard.engine.matcher import Matcher
from phraseguard.engine.required_lexicon import rule_lexicon
from phraseguard.engine.whole_clause import WholeClausePhrases

_REPO = Path(__file__).resolve().parents[2]
CORPUS = next((p for p in (_REPO.parent / "shared" / "corpus",
                           _REPO.parent.parent / "shared" / "corpus") if p.is_dir()),
              _REPO.parent / "shared" / "corpus")

# How real agents open and close (the corpus's chat lines, phone openings).
REAL = [
    "您好", "您好,请问有什么可以帮您", "您好，很高兴为您服务，请问有什么可以帮您？", "您好!欢迎光临",
    "尊敬的商家，您好!欢迎咨询京东物流商家在线客服~", "亲爱的您好，小妹在的呢", "您好像没有下单呢",
    "您好，這裡是客服中心，敝姓李", "您 好 我 是 客服 小 李", "你好你好，请讲", "您好 请问还在吗",
    "有什么问题我可以帮您处理或解决呢?", "感谢您对京东的支持，祝您生活愉快，再见!", "再见", "拜拜",
    "感謝您的來電，再見", "好的，再见~", "再见了您嘞", "再见吧", "嗯嗯 再见 祝您生活愉快", "拜拜拜",
    "拜，拜拜", "欢迎再次光临", "欢迎下次再来哦，再会!", "工号1024为您服务", "我的工号是1024，",
    "SHOPNAME客服为您服务", "很高兴为您服务!", "很高兴为您服务的", "很高兴为您服务的呢，再见",
    "哈喽~", "您早，", "您好评价一下吧", "您好？", "您好?在吗", "您好？？", "（您好）", "“您好”，请讲",
]
LEFT = ["", "，", "亲，", "亲", "您", "嗯嗯 ", "(", "“", "尊敬的客户", "?", "\n", "   ", "~", "—"]
RIGHT = ["", "，", "！", "?", "？", "像", "评", "的", "呀~", "～", "）", " 请问", "。请问有什么可以帮您",
         "像没有", " ", "…", "\t", "?请问", "”，", "-", "们"]


def _matchers(lexicon, company: tuple[str, ...] = ()) -> list[Matcher]:
    shared = Matcher(lexicon)
    out = []
    for rule in lexicon.flow.required:
        lex = rule_lexicon(lexicon, rule, company or lexicon.flow.settings.company,
                           lexicon.flow.settings.name_like)
        if lex is not None:
            out.append(Matcher(lex, tables=shared.tables))
    return out


def _near_misses(phrases) -> list[str]:
    out = []
    for p in phrases:
        out += [left + p + right for left in LEFT for right in RIGHT]
        out += [p + p, p + "，" + p, " ".join(p) + " 我 是 客服", p[:-1] + "，" + p[-1:], p + p[-1]]
    return out


def _agree(matcher: Matcher, texts) -> int:
    """How many texts the shortcut decided; fails where it disagrees with the matcher."""
    clauses = WholeClausePhrases(matcher)
    said = 0
    for text in texts:
        if clauses.said(text):
            said += 1
            assert matcher.first(text) is not None, (matcher.rules[0].id, text)
    return said


@pytest.fixture(scope="module")
def matchers(default_lexicon) -> list[Matcher]:
    return _matchers(default_lexicon)


def test_said_only_where_the_matcher_finds_the_item(matchers) -> None:
    decided = {}
    for m in matchers:
        texts = REAL + _near_misses([*m.rules[0].phrases, "拜拜", "您好", "再见"])
        decided[m.rules[0].id] = _agree(m, texts)
    # Not vacuous: the greeting's and the closing's phrases stand as clauses
    # in many of these lines.
    assert decided["greeting"] > 100 and decided["closing"] > 100, decided


def test_matcher_said_is_whether_first_finds_anything(matchers, matcher) -> None:
    # Matcher.said stops at the first match that counts, in pattern order;
    # ``first`` resolves overlaps first. They agree on whether there is one.
    texts = REAL + _near_misses(["您好", "再见", "拜拜", "我是客服小王", "感谢您的支持"])
    texts += ["我 不 知 道 呀", "这个我们不管的", "我不清楚，您好", "没办法，再见"]
    both = 0
    for m in (*matchers, matcher):
        for text in texts:
            said = m.first(text) is not None
            assert m.said(text) == said, (m.rules[0].id, text)
            both += said
    assert both > 300, both


def test_a_phrase_glued_to_the_next_word_is_left_to_the_matcher(matchers) -> None:
    greeting = next(m for m in matchers if m.rules[0].id == "greeting")
    clauses = WholeClausePhrases(greeting)
    assert clauses.said("您好，请问有什么可以帮您")
    assert clauses.said("亲，您好?")
    # 您好像 (you seem) is no greeting: the matcher says so, not the shortcut.
    assert not clauses.said("您好像没有下单呢")
    assert greeting.first("您好像没有下单呢") is None
    # Speech output (a space between words) is always left to the matcher.
    assert not clauses.said("您 好 我 是 客服 小 李")


def test_a_phrase_that_can_overlap_itself_is_left_to_the_matcher(matchers) -> None:
    closing = next(m for m in matchers if m.rules[0].id == "closing")
    clauses = WholeClausePhrases(closing)
    assert "拜拜" in closing.rules[0].phrases and "拜拜" not in clauses.phrases
    assert "再见" in clauses.phrases


def _lexicon(tmp_path: Path, extra: str):
    lex = tmp_path / "lex.toml"
    lex.write_text(f"""
[lexicon]
extends = "default"
[[required]]
id = "hello"
category = "call-flow"
severity = "minor"
message = "Says hello"
missing = "no hello"
suggestions = ["您好"]
phrases = ["您好", "再见"]
window = "first"
messages = 2
{extra}
""", encoding="utf-8")
    return load_lexicon(lex)


def _hello(lexicon) -> Matcher:
    return next(m for m in _matchers(lexicon) if m.rules[0].id == "hello")


def test_a_phrase_that_counts_only_before_some_breaks_is_judged_by_its_clause(tmp_path) -> None:
    # 您好 alone as a clause is excused (a clause ending in a question mark is
    # 您好? to the condition, so not there); 再见 before a question mark is too.
    m = _hello(_lexicon(tmp_path, '[required.unless]\nclause = ["^您好$", "再见?"]'))
    clauses = WholeClausePhrases(m)
    assert clauses.phrases == {"您好": (False, True), "再见": (True, False)}
    assert not clauses.said("您好，请问") and m.first("您好，请问") is None
    assert clauses.said("您好？请问") and m.first("您好？请问") is not None
    assert not clauses.said("再见？") and m.first("再见？") is None
    assert clauses.said("好的，再见。") and m.first("好的，再见。") is not None
    assert _agree(m, REAL + _near_misses(["您好", "再见"])) > 50


def test_a_rule_that_looks_at_the_whole_utterance_has_no_shortcut(tmp_path) -> None:
    m = _hello(_lexicon(tmp_path, '[required.unless]\nutterance = ["投诉"]'))
    assert WholeClausePhrases(m).phrases == {}
    assert m.first("您好，我要投诉") is None


def test_locating_nothing_gives_the_same_checklist_and_hits(default_lexicon) -> None:
    from talk import a, c

    flow = CallFlow(default_lexicon)
    for opening in REAL:
        for closing in REAL[::3]:
            conv = [a(opening), c("我的快递还没到"), a("我帮您查一下"), c("好的"), a(closing)]
            want = flow.check(conv)
            got = flow.check(conv, locate=False)
            assert (got.checklist, got.hits, got.notes) == (want.checklist, want.hits, want.notes)
            assert got.found == {}


@pytest.mark.corpus
def test_said_only_where_the_matcher_finds_the_item_on_corpus_lines(matchers) -> None:
    files = sorted(CORPUS.glob("*.jsonl"))
    if not files:
        pytest.skip(f"no corpus at {CORPUS}")
    lines: set[str] = set()
    for path in files:
        with path.open(encoding="utf-8") as fp:
            for raw in fp:
                o = json.loads(raw)
                if o.get("role") == "agent" and o.get("text"):
                    lines.add(o["text"].replace("\n", " "))
                if len(lines) >= 20_000:
                    break
    texts = sorted(lines)
    decided = {m.rules[0].id: _agree(m, texts) for m in matchers}
    assert decided["greeting"] > 500, decided
