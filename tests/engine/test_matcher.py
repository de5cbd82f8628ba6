"""The matcher on violations and benign lines: rule, kind, span, confidence, suggestions."""

from __future__ import annotations

import pytest

from phraseguard.engine.hit import MatchKind

EXACT, VARIANT, HOMOPHONE, FUZZY = (MatchKind.EXACT, MatchKind.VARIANT, MatchKind.HOMOPHONE,
                                    MatchKind.FUZZY)

RESP, GIVE_UP, KNOW, WHATEVER, BRUSH = ("disclaim-responsibility", "give-up",
                                        "disclaim-knowledge", "whatever", "brush-off")

# (line, rule, kind, matched)
VIOLATIONS = [
    ("我们不管", RESP, EXACT, "我们不管"),
    ("这个我们不管的哦", RESP, EXACT, "我们不管"),
    ("跟我们没关系", RESP, EXACT, "跟我们没关系"),
    ("跟我们没有关系的", RESP, VARIANT, "跟我们没有关系"),
    ("这个问题没办法解决", GIVE_UP, EXACT, "没办法解决"),
    ("没办法解决", GIVE_UP, EXACT, "没办法解决"),
    ("随便", WHATEVER, EXACT, "随便"),
    ("随便你", WHATEVER, EXACT, "随便"),
    ("不清楚", KNOW, EXACT, "不清楚"),
    ("不知道", KNOW, EXACT, "不知道"),
    ("小妹也不知道", KNOW, EXACT, "不知道"),
    ("这个我真不知道", KNOW, EXACT, "不知道"),
    ("我不知道。", KNOW, EXACT, "不知道"),
    ("我們不管", RESP, EXACT, "我們不管"),  # traditional script
    ("跟我們沒關係", RESP, EXACT, "跟我們沒關係"),
    ("沒辦法解決", GIVE_UP, EXACT, "沒辦法解決"),
    ("ＡＢＣ我们不管", RESP, EXACT, "我们不管"),  # full width around it
    ("我 不 知道", KNOW, EXACT, "不 知道"),  # speech-recogniser spaces
    ("我 们 不 管", RESP, EXACT, "我 们 不 管"),
    ("我不只道", KNOW, HOMOPHONE, "不只道"),  # ASR homophones
    ("我布知道", KNOW, HOMOPHONE, "布知道"),
    ("我不知到", KNOW, HOMOPHONE, "不知到"),
    ("跟我们没关西", RESP, HOMOPHONE, "跟我们没关西"),
    ("我不资道", KNOW, FUZZY, "不资道"),  # zh/z confusion
    ("我不太清楚", KNOW, VARIANT, "不太清楚"),
    ("我不是很清楚", KNOW, VARIANT, "不是很清楚"),
    ("这边不是很清楚呢", KNOW, VARIANT, "不是很清楚"),
    ("这个不归我们管", RESP, EXACT, "不归我们管"),
    ("这个不归我们部门管", RESP, VARIANT, "不归我们部门管"),
    ("你自己去问吧", RESP, EXACT, "你自己去问"),
    ("爱买不买", BRUSH, EXACT, "爱买不买"),
]

BENIGN = [
    "不知道您还有其他问题吗",
    "不知道能否远程协助一下",
    "没关系哦",
    "没关系的亲，不着急",
    "不管结果如何都会联系您",
    "这个方法不管用",
    "随便哪个都可以",
    "不能随便摆放哦",
    "截图看不清楚",
    "图片不清楚，麻烦您重新拍一下",
    "客户不知道",
    "您不知道的话可以问我",
    "已经发货了，没法改地址了，您可以拒收后重新下单",
    "因为系统限制没办法修改，您可以取消订单重新下",
    "布置道具",  # not 不知道: word boundaries
    "我不，知道了",  # not 不知道: a clause break inside
    "好的，您稍等，我帮您查询一下",
    "",
]


@pytest.mark.parametrize(("line", "rule", "kind", "matched"), VIOLATIONS,
                         ids=[v[0] for v in VIOLATIONS])
def test_violation(matcher, line: str, rule: str, kind: MatchKind, matched: str) -> None:
    hits = matcher.scan(line)
    assert [(h.rule_id, h.kind, h.matched) for h in hits] == [(rule, kind, matched)]
    [hit] = hits
    assert line[hit.start:hit.end] == hit.matched
    assert hit.suggestions and hit.suggestion == hit.suggestions[0]
    assert hit.message
    assert 0 < hit.confidence <= 1


@pytest.mark.parametrize("line", BENIGN)
def test_benign(matcher, line: str) -> None:
    assert matcher.scan(line) == []


def test_confidence_orders_exact_variant_homophone_fuzzy(matcher) -> None:
    conf = {}
    for line in ("我不知道", "我不太清楚", "我不只道", "我不资道"):
        [hit] = matcher.scan(line)
        conf[hit.kind] = hit.confidence
    assert conf[EXACT] > conf[VARIANT] > conf[HOMOPHONE] > conf[FUZZY]
    s = matcher.settings
    assert conf[EXACT] == s.exact_confidence
    assert conf[VARIANT] == s.variant_confidence
    assert conf[HOMOPHONE] == s.homophone_confidence


def test_traditional_and_simplified_hit_the_same_rule(matcher) -> None:
    simp = matcher.scan("这个我们不管")
    trad = matcher.scan("這個我們不管")
    assert [h.rule_id for h in simp] == [h.rule_id for h in trad] == [RESP]
    assert simp[0].normalized == trad[0].normalized == "我们不管"


def test_hit_carries_rule_fields(matcher, default_lexicon) -> None:
    [hit] = matcher.scan("这个我们不管")
    rule = default_lexicon.rule(hit.rule_id)
    assert hit.severity == rule.severity
    assert hit.category == rule.category
    assert hit.message == rule.message
    assert hit.suggestions == rule.suggestions
    assert hit.phrase in rule.phrases + rule.variants
    assert (hit.start, hit.end) == (2, 6)


def test_two_phrases_in_one_line_are_both_found_in_order(matcher) -> None:
    line = "我们不管，不知道"
    hits = matcher.scan(line)
    assert [h.rule_id for h in hits] == [RESP, KNOW]
    assert [line[h.start:h.end] for h in hits] == ["我们不管", "不知道"]


def test_hit_does_not_cross_a_clause_break(matcher) -> None:
    for line in ("我不，知道了", "我们不。管", "没办，法解决"):
        assert all(
            "，" not in h.matched and "。" not in h.matched for h in matcher.scan(line)), line


def test_polite_question_in_the_next_clause_does_not_excuse_a_violation(matcher) -> None:
    """Context conditions look no further than the hit's clause.

    ``不知道{您|你|...}`` (a polite question) must not match across the full
    stop: the agent first says 我不知道 and then asks an unrelated question.
    """
    hits = matcher.scan("这个我不知道。您还有其他问题吗")
    assert [h.rule_id for h in hits] == [KNOW]


def test_min_confidence_drops_weak_matches(matcher) -> None:
    assert matcher.scan("我不资道", min_confidence=0.8) == []
    assert matcher.scan("我不只道", min_confidence=0.8) != []
    assert matcher.scan("我不知道", min_confidence=1.0) != []


def test_scan_lines_equals_scan_per_line(matcher) -> None:
    lines = [v[0] for v in VIOLATIONS] + BENIGN
    assert list(matcher.scan_lines(lines)) == [matcher.scan(line) for line in lines]


def test_scan_lines_over_many_blocks(matcher) -> None:
    lines = ["好的", "我们不管", "不知道您还有其他问题吗", "我 不 知道"] * 400  # > 512 per block
    got = list(matcher.scan_lines(lines))
    assert len(got) == len(lines)
    assert got == [matcher.scan(line) for line in lines]


def test_scan_lines_of_nothing(matcher) -> None:
    assert list(matcher.scan_lines([])) == []
