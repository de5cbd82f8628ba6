"""Each family of forms, table-driven from tests/data/families.tsv (written by the
lexicon's author): violations and near-miss benign lines, as written, in
traditional characters and speech-spaced, judged with the turns around them."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

import pytest
from forms import as_form, judged

from phraseguard.engine.hit import Severity

FAMILIES = Path(__file__).resolve().parents[1] / "data" / "families.tsv"


@cache
def family_rows() -> tuple[dict[str, str], ...]:
    with FAMILIES.open(encoding="utf-8") as fp:
        return tuple(csv.DictReader(fp, delimiter="\t"))


def _flagged(matcher, text: str, row: dict[str, str], floor: Severity) -> list[str]:
    return judged(matcher, text, customer=row["customer"] or None,
                  next_turn=row["next_turn"] or None, floor=floor)


@pytest.fixture(scope="module")
def coaching_matcher():
    from phraseguard.engine.lexicon import load_lexicon
    from phraseguard.engine.matcher import Matcher

    return Matcher(load_lexicon("coaching"))


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize("row", family_rows(), ids=lambda r: f"{r['label']}:{r['text'][:12]}")
def test_family_line_is_judged_as_labelled(matcher, coaching_matcher, row, form) -> None:
    if "coaching.toml" in row["note"]:
        matcher = coaching_matcher  # a limit only the coaching lexicon looks for
    text = as_form(form, row["text"])
    major = _flagged(matcher, text, row, Severity.MAJOR)
    minor = _flagged(matcher, text, row, Severity.MINOR)
    if row["label"] == "violation":
        assert major, f"{text!r} ({row['note']}) not flagged at major"
    elif row["label"] == "minor":
        assert not major and minor, f"{text!r} ({row['note']}): major={major} minor={minor}"
    else:
        assert not minor, f"{text!r} ({row['note']}) flagged: {minor}"


@pytest.mark.parametrize(("text", "rule"), [
    # one-character homophones, as a recogniser writes them
    ("我也没发子了", "give-up-helpless"),
    ("这个我无能为丽", "give-up-helpless"),
    ("这个我们处理不莱", "give-up-unable"),
    ("这个我们真的做不倒", "give-up-unable"),
    ("我们真的帮不尚", "give-up-unable"),
    ("这个没得半法", "give-up"),
    ("我也拿不准", "disclaim-knowledge"),
    ("这个我心里也没书", "disclaim-knowledge"),
    ("你问别人吧", "push-away"),
    ("这个我也不晓德", "disclaim-knowledge"),
    ("这个不归我们馆", "disclaim-responsibility"),
    ("这个我们官不了", "disclaim-responsibility"),
    ("爱买不卖", "brush-off"),
])
def test_homophone_forms_follow_from_the_same_rules(matcher, text, rule) -> None:
    assert rule in [h.rule_id for h in matcher.scan(text)]


@pytest.mark.parametrize("text", ["没法子", "我没法子", "没 法子", "沒法子", "没 法 子"])
def test_spaced_and_unspaced_meifazi_agree(matcher, text) -> None:
    assert [h.rule_id for h in matcher.scan(text)] == ["give-up-helpless"]


@pytest.mark.parametrize(("text", "rule"), [
    # the same verb + 不了 is giving up with the agent or "this" as subject,
    # a stated limit after a particular action as the topic
    ("这个我们处理不了", "give-up-unable"),
    ("加急办不了哦", "limit-without-alternative"),
    ("换颜色做不了哈", "limit-without-alternative"),
])
def test_verb_bu_liao_is_giving_up_or_a_limit_by_its_topic(matcher, text, rule) -> None:
    assert [h.rule_id for h in matcher.dialogue.judge(matcher.scan(text))] == [rule]


def test_a_hit_does_not_excuse_itself_with_its_own_words(matcher) -> None:
    # 我无法帮您 contains the offer pattern 我…帮您; the offer must be elsewhere.
    assert [h.rule_id for h in matcher.scan("这个我无法帮您")] == ["give-up"]
    assert matcher.scan("这个我无法帮您，我帮您转给专员跟进") == []


@pytest.mark.parametrize(("plain", "spaced"), [
    # speech has no punctuation: the clause of a hit runs on into the next one
    ("那没办法，都这样了", "那 没 办法 都 这样 了"),
    ("不满意我也没办法，就这么着吧", "不 满意 我 也 没 办法 就 这么着 吧"),
    ("质量问题您得去找厂家，我们只管卖", "质量 问题 您 得 去 找 厂家 我们 只管 卖"),
    ("那您找卖家啊，我们是平台", "那 您 找 卖家 啊 我们 是 平台"),
    ("嫌贵就别买，爱买不买", "嫌贵 就别 买 爱买 不 买"),
    ("这个具体小时没办法精确", "这个 具体 小时 没 办法 精确"),
    # a sound-alike the recogniser splits into odd words (我不清楚, 不归…管)
    ("几点关门我布庼傗", "几点 关门 我布 庼 傗"),
    ("丰巢收费捕归我们管哈亲", "丰巢 收费 捕归 我们 管哈亲"),
])
def test_spaced_speech_is_judged_as_the_written_line(matcher, plain, spaced) -> None:
    def judged(text: str) -> list[tuple[str, Severity]]:
        return [(h.rule_id, h.severity) for h in matcher.dialogue.judge(matcher.scan(text))]

    assert judged(plain)
    assert judged(spaced) == judged(plain)


@pytest.mark.parametrize(("spaced", "found"), [
    # one garbled syllable of a recognised phrase: still the phrase
    ("这个 问题 无法 解 约", ["give-up"]),
    ("我们 不 乖 的", ["disclaim-responsibility"]),
    # a whole other word within edit distance is that word (the written lines
    # 亲亲没有单号为您操作不了的呢 / 十分抱歉没有帮到您哈 have no finding either)
    ("亲亲 没有 单号 为 您 操作 不了 的 呢", []),
    ("十分 抱歉 没有 帮到 您 哈", []),
])
def test_edit_distance_guess_garbles_a_syllable_not_a_whole_word(matcher, spaced, found) -> None:
    assert [h.rule_id for h in matcher.scan(spaced)] == found


@pytest.mark.parametrize("text", [
    "冇办法㗎喇", "真係冇辦法幫到你", "莫得办法哦，你等起嘛", "哎呀这个莫得法子",
    "这个木有办法的", "没得法了", "搞唔掂啊", "呢个我哋做唔到",
])
def test_regional_give_up_forms_are_flagged(matcher, text) -> None:
    assert judged(matcher, text)


@pytest.mark.parametrize("text", [
    # a reason, an offer, a question, somebody else
    "冇办法，因为已经发货了", "莫得办法的话我帮您申请退款", "有冇办法帮我查下？",
])
def test_regional_give_up_with_a_way_forward_stays_benign(matcher, text) -> None:
    assert judged(matcher, text) == []


@pytest.mark.parametrize("text", ["唔知喔", "我都唔知", "呢个我哋唔清楚", "我唔知道"])
def test_cantonese_dont_know_is_flagged(matcher, text) -> None:
    assert judged(matcher, text) == ["disclaim-knowledge"]


@pytest.mark.parametrize("text", [
    "唔知你仲有冇其他问题", "唔好意思，我帮您查一下",
    # 唔 is "not", no longer a filler: 搞唔掂 is not 搞掂 ("done")
    "搞掂咗，已经帮您改好",
])
def test_cantonese_polite_questions_and_apologies_stay_benign(matcher, text) -> None:
    assert judged(matcher, text) == []


@pytest.mark.parametrize("text", [
    "我能怎么办？", "你让我怎么弄嘛", "亲，那您让小妹怎么弄呢", "我又能有什么办法",
])
def test_rhetorical_give_up_counts_even_as_a_question(matcher, text) -> None:
    assert judged(matcher, text) in (["give-up-rhetorical"], ["give-up-helpless"])


@pytest.mark.parametrize(("text", "next_turn"), [
    ("我能怎么办呢，我帮您申请一下补偿吧", None),
    ("你让我怎么弄嘛", "我给您转给技术同事跟进"),
    ("如果我能怎么办就好了", None),
])
def test_rhetorical_give_up_with_an_offer_stays_benign(matcher, text, next_turn) -> None:
    assert judged(matcher, text, next_turn=next_turn) == []


@pytest.mark.parametrize("text", [
    "有线就有线吧，也修不了", "这个我这边也弄不好啊", "这个我们处理不料",
    "报告的事我们这边一概不知", "我咋知道您的钱去哪了", "到期时间嘛，不太确定哦",
    "暂时还不确定哦", "好的,不确定是否可以", "包不包含我也吃不准", "我也不知道有没有",
    "没招儿了，大哥",
])
def test_unable_and_unsure_families_are_flagged(matcher, text) -> None:
    assert judged(matcher, text)


@pytest.mark.parametrize(("text", "next_turn"), [
    ("弄不好会把主板烧了，您先别插电", None),
    ("我们也不是束手无策，先帮您重置一下密码试试", None),
    ("不晓得具体几点，我现在打给师傅问问，马上告诉您", None),
    ("这个等待的时间是暂时不确定的呢，这边我们的采销正在努力", None),
    ("配送时间还不确定，出库后会短信通知您", None),
    ("因为商品现在还没有到站点，所以还不确定呢", None),
    ("亲，不知道有没有收到呢", None),
    ("我不了解情况，帮您查一下", None),
    ("您咨询的问题我暂时无法帮您处理，我帮您转给专员", None),
])
def test_unable_and_unsure_near_misses_stay_benign(matcher, text, next_turn) -> None:
    assert judged(matcher, text, next_turn=next_turn) == []


@pytest.mark.parametrize("text", [
    "这事别找我们", "老师的个人行为跟机构没关系", "亲，这个要找物流哦，不是小店的问题呢",
    "酒店的事您自己跟酒店说", "唔關我哋事", "这个您得问快递公司", "报销那是社保局管的，您找社保局",
    "电梯是维保公司的，您打他们电话吧", "质量问题找品牌售后去，我们只负责卖",
])
def test_responsibility_and_referral_families_are_flagged(matcher, text) -> None:
    assert judged(matcher, text)


@pytest.mark.parametrize("text", [
    "建议您联系快递公司，我这边也帮您催一下", "您打商家电话可以和他们协商换人安装",
    "这个需要您自己和快递师傅协商,师傅没有问题就可以", "您可以找社保局",
])
def test_helpful_referrals_stay_benign(matcher, text) -> None:
    assert judged(matcher, text) == []


@pytest.mark.parametrize("text", [
    "你想怎样就怎样", "您想怎么评就怎么评", "算了吧，找谁都一样", "反正规定就这样",
    "不好用就别用呗", "那您就先这样呗", "不会就算了呗",
])
def test_brush_off_families_are_flagged(matcher, text) -> None:
    assert judged(matcher, text)


@pytest.mark.parametrize("text", [
    "您想怎么修改呢?", "那就先这样吧，祝您生活愉快", "取消了您需要就继续购买",
])
def test_brush_off_near_misses_stay_benign(matcher, text) -> None:
    assert judged(matcher, text) == []


@pytest.mark.parametrize(("text", "flagged"), [
    ("行，那您随意，营业部九点开门", False),     # agreeing to the customer's plan, then its details
    ("得呀，你几点嚟都得，随你钟意", False),
    ("好的随便你在那边等着吧", True),             # a yes first is no excuse on its own
])
def test_whatever_after_a_yes_is_excused_only_by_the_plans_details(matcher, text, flagged) -> None:
    got = judged(matcher, text, customer=None, next_turn=None, floor=Severity.MAJOR)
    assert bool(got) is flagged, got


@pytest.mark.parametrize("text", [
    "唔使您自己去搵，我哋幫您聯絡佢，約好時間再打俾您。",   # Cantonese "no need", 我哋 offering
    "不用您自己去找快递，我们这边直接跟快递对接理赔",
    "唔洗你自己去問，我哋幫你跟進",
])
def test_no_need_to_go_yourself_stays_benign_in_mandarin_and_cantonese(matcher, text) -> None:
    assert judged(matcher, text) == []


def test_go_yourself_after_a_separate_no_need_clause_still_counts(matcher) -> None:
    assert judged(matcher, "唔使咁多，你自己去搵佢啦")


@pytest.mark.parametrize(("text", "flagged"), [
    ("亲，我们不清楚的，需要检测什么地方坏了", False),   # an inspection decides it
    ("这个不太清楚，得师傅上门看了才行", False),
    ("我们不清楚，您需要自己去检测", True),               # sent off alone: still counts
])
def test_not_knowing_until_an_inspection_is_not_disclaiming(matcher, text, flagged) -> None:
    got = judged(matcher, text, customer=None, next_turn=None, floor=Severity.MAJOR)
    assert bool(got) is flagged, got


@pytest.mark.parametrize(("text", "next_turn"), [
    ("不知道恁家是集中供暖还是自个儿烧的锅炉？集中供暖的能分期。", None),   # 恁 (Henan): clarifying
    ("我这里暂时还勿清楚侬是迁出还是迁入。", None),                       # 侬 (Shanghai)
    ("俺也不清楚恁寄嘞是啥东西，恁说说是啥，值多少钱？", None),
])
def test_regional_you_in_a_clarifying_question_stays_benign(matcher, text, next_turn) -> None:
    assert judged(matcher, text, next_turn=next_turn) == []
