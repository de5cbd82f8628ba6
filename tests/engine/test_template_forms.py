"""The forbidden meanings in a canned reply's formal words (eleventh session,
from train30's misses): not our staff, somebody else's problem, the
consequences are yours, not informed, no solution, "currently" naming no
action; and the templates that stay benign. Lines written for these tests,
not taken from the tuning sets."""

from __future__ import annotations

import pytest
from forms import as_form, judged

TEMPLATES = [
    ("安装师傅为第三方服务商人员，非本公司员工，请您谅解。", "blame-shift"),
    ("退款延迟属于银行方的问题，敬请谅解。", "blame-shift"),
    ("本站仅提供信息展示服务，交易纠纷请自行处理。", "blame-shift"),
    ("密码泄露导致的损失需由用户自行承担。", "blame-shift"),
    ("该活动与本行无关，具体请咨询活动方。", "disclaim-responsibility"),
    ("昨晚是否停过电，值班人员并不知情。", "disclaim-knowledge"),
    ("这批货物的到港时间我方暂未掌握。", "disclaim-knowledge"),
    ("新版本的兼容问题目前暂无解决方案。", "give-up-idiom"),
    ("商品已经损坏，这边没有补救的余地了。", "give-up-idiom"),
    ("审核进度这边也推动不了，请您谅解。", "give-up-unable"),
]


@pytest.mark.parametrize("form", ["plain", "traditional", "spaced"])
@pytest.mark.parametrize(("text", "rule"), TEMPLATES)
def test_a_template_s_formal_words_count(matcher, text, rule, form) -> None:
    assert rule in judged(matcher, as_form(form, text))


def test_currently_names_no_action_so_it_is_no_stated_limit(matcher) -> None:
    # (written: the comma makes 目前无法处理 a clause of its own; spoken, the
    # network fault before it would read as its topic)
    assert "give-up" in judged(matcher, "您好，该区域网络异常，目前无法处理，请见谅。")


@pytest.mark.parametrize(("text", "rule"), [
    ("好好好，你说对就对", "sarcasm"),
    ("现在说这些有什么用呢", "sarcasm"),
    ("亲去找快递公司投诉哈", "push-away"),
    ("价格就这样，买不买您自己决定", "brush-off"),
])
def test_impatience_and_a_referral_to_the_other_company(matcher, text, rule) -> None:
    assert rule in judged(matcher, text)


@pytest.mark.parametrize("text", [
    "安装师傅是我们的员工，如有问题我马上帮您联系他",   # not 非本公司员工
    "您的情况我们已经掌握了，正在处理",                 # 掌握 without a negation
    "这个问题的解决方案我稍后发您邮箱",                 # a solution offered
    "维修费用由我们承担，您不用担心",                   # 承担, but ours
    "目前这个方案是可以办理的",                         # 目前 with nothing refused
    "办不办您自己决定就好，我先把两种方案的费用都发您",   # the choice, with help
])
def test_the_same_words_in_a_helpful_template_do_not_count(matcher, text) -> None:
    assert judged(matcher, text) == []
