"""The closing families found in the corpus in round 2 (lexicons/README.md,
"Closing families"), each with the near-misses the QA guideline says are not
a farewell. The line is the agent's last message of a short chat."""

from __future__ import annotations

import pytest
from talk import U, a, c

from phraseguard.engine.callflow import CallFlow


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon)


def _closing(flow: CallFlow, line: str) -> bool | None:
    conv: list[U] = []
    for said in ("您好", "好的", line):
        conv += [c("在吗"), a(said)]
    return flow.check(conv).checklist["closing"]


def _says(flow: CallFlow, *lines: str) -> list[bool | None]:
    return [_closing(flow, line) for line in lines]


# ------------------------------------------------------------ good night

def test_good_night_is_a_farewell(flow) -> None:
    assert _says(flow, "晚安", "天色不早了，晚安", "晚安啦，亲爱的") == [True] * 3


def test_an_evening_installation_is_not_good_night(flow) -> None:
    assert _closing(flow, "师傅今晚安装好了吗") is False


# ------------------------------------------------------------ wishes

@pytest.mark.parametrize("line", [
    "顺祝您阖府安康，新年一切都好",      # 顺祝 is one word: 祝您 alone is no boundary
    "不客气呢祝亲亲店铺兴隆",            # 亲亲, not 亲
    "祝生活愉快！",                      # no 您
    "可以了就好，祝使用愉快",
    "祝宝宝健康成长哦",
    "预祝演出取得圆满成功",
    "您也生活愉快呢",                    # the wish given back, no 祝
    "周末愉快哦",
])
def test_wishes_without_zhu_nin(flow, line) -> None:
    assert _closing(flow, line) is True


@pytest.mark.parametrize("line", [
    "祝贺亲呢",                          # congratulates, wishes nothing
    "很抱歉给您带来不愉快的心情",
    "使用不愉快的话请告诉我们",
])
def test_congratulations_and_unpleasantness_are_not_wishes(flow, line) -> None:
    assert _closing(flow, line) is False


# ------------------------------------------------------------ support

@pytest.mark.parametrize("line", [
    "欢迎继续关注哦",
    "望今后继续关注哦",
    "您满意就好啦，继续支持京妮儿哦",
    "要多多支持我们哦",
])
def test_asking_for_continued_support(flow, line) -> None:
    assert _closing(flow, line) is True


@pytest.mark.parametrize("line", [
    "后续版本会继续支持4G网络",          # a product answer
    "建议您继续关注",                    # keep an eye on it
    "感谢您对我服务的认可",              # thanks for praise, like 感谢您的理解 (no)
])
def test_support_as_an_answer_or_praise_is_not_a_closing(flow, line) -> None:
    assert _closing(flow, line) is False


# ------------------------------------------------------------ invitations back

@pytest.mark.parametrize("line", [
    "有问题可联系我们哟",
    "如有疑问可联系我们",
    "有什么问题您尽管联系我们",
    "如您的问题未解决可直接私信与我们联系",
    "以后如果有什么问题均可私信或At小编",
    "如有需要您也可私信小U哦",
    "如需要您可私信联系我们哦",
    "好的呢，希望下次能够为您服务",
    "希望下次有机会再",                  # CSDS cuts lines at 27 characters
    "亲喜欢的话，以后可以常来噢",
])
def test_invitations_back(flow, line) -> None:
    assert _closing(flow, line) is True


@pytest.mark.parametrize("line", [
    "如需要您可私信我们提供您的手机号码",  # asks for details
    "如您需要其他帮助可私信告知我们您的姓名",
    "如有疑问您可直接联系航空公司确认",    # refers elsewhere
    "如对该问题有疑问可直接联系您的客服经理",
    "如不需要可以取消",                    # 取消 sounds like 去小: no bare 小
    "您好，我是电信客服小@，请私信提供联系电话",  # 客服小 sounds like 可…小
    "如果到时候降价的话，您可以来找小妹",  # task-specific (QA: no)
    "下次遇到这样的情况希望能听清楚",
])
def test_requests_referrals_and_task_talk_are_not_invitations(flow, line) -> None:
    assert _closing(flow, line) is False


# ------------------------------------------------------------ rating by the button

@pytest.mark.parametrize("line", [
    "辛苦您点击聊天框中的[站",                      # cut before 评价
    "能不能麻烦您在聊天框右边的“+”有",
    "还请您在百忙之中抽空点击下“小红心",
    "还请麻烦您点击屏幕上的小桃心对我的服务做",
    "请您点击聊天对话框左边“小红心”里面的“满意度”",
    "辛苦您动一下您发财的小手，点击",
    "麻烦您用小手对小妹的服务",
    "劳烦您帮小妹打心心赞下呢",
    "辛苦您在聊天框的的中的[站",                    # the template's own typo
    "遇到像您这样宽容的客户真是对我莫大的支持呢~还辛苦您点",  # cut before the request
])
def test_rating_requests_by_the_button(flow, line) -> None:
    assert _closing(flow, line) is True


@pytest.mark.parametrize("line", [
    # JD's order picker: the dialog box's corner, not the rating heart.
    "APP端麻烦您点击对话框右下角的“+”，点击“订单”后选择您需要咨询的订单",
    "请您在聊天框发送一下订单号",
    "您可点击我的京东-返修退换货-申请返修",
    "这款是儿童小手套",
    "很高兴遇到您这么善解人意的客户",                # the compliment alone (QA: no)
])
def test_other_clicks_are_not_rating_requests(flow, line) -> None:
    assert _closing(flow, line) is False


# ------------------------------------------------------------ session 5 (train2)

@pytest.mark.parametrize("line", [
    "即可查询到,如需协助,可再次联系小U,谢谢！",   # the if-frame ends at the comma
    "好的,如需协助可再联系小沃哦",
    "如已恢复,您可关注一下后续的使用情况,如有需要,可再联系小编.",
    "如不能请您再次联系我们记录这个情况",
    "再次感谢你的体验,欢迎继续拍砖",               # feedback invited back
    "有什么意见欢迎随时反馈哦",
    "以便我们核查后与您联系反馈.感谢您的理解与支",   # thanks for support, cut
    "为您提供优质服务是我们应该做的哦,期盼亲继续使用携程的服务.",   # 期盼 + 亲 (train3)
    "后续若有什么使用上的疑问请联系我们.",                          # 请 + the agent's side
])
def test_invitations_back_after_a_comma_and_feedback_invited(flow, line) -> None:
    assert _closing(flow, line) is True


@pytest.mark.parametrize("line", [
    "您好,请问您在使用我司的网络上遇到什么问题呢？",  # 在 ~ 再 by sound: no @ slot to skip
    "请您在使用前联系我们的客服热线",
    "感谢您的理解",
    "感谢您的反馈,我们会转交相关部门",
])
def test_questions_and_plain_thanks_are_still_not_closings(flow, line) -> None:
    assert _closing(flow, line) is False


def test_an_if_frame_sending_the_customer_elsewhere_is_not_an_invitation(flow) -> None:
    assert _closing(flow, "如有疑问请联系航空公司") is False


# ------------------------------------------------------------ session 6 (train4)

@pytest.mark.parametrize("line", [
    "亲爱哒，如果没有其他问题，看在妹纸这么卖力的份上，麻烦",   # JD's rating request, cut
    "亲爱的商家，以后您的物流问题可以通过咚咚—小耳机图标—",     # back through a channel, cut
    "今后有疑问均可通过微博私信我们",
])
def test_cut_rating_request_and_invitation_through_a_channel_are_farewells(flow, line) -> None:
    assert _closing(flow, line) is True


@pytest.mark.parametrize("line", [
    "您好,首先感谢您对我司的支持与关注！我司对老用户也开展了很多优惠活动的哦",  # opens a reply
    "看在您的面子上先给您加急了",
    "您可以通过订单详情页查看物流",
])
def test_opening_thanks_and_plain_channels_are_not_farewells(flow, line) -> None:
    assert _closing(flow, line) is False


# ------------------------------------------------------------ session 8 (train5)

@pytest.mark.parametrize("line", [
    "之后会考虑选择性优化,还希望您可以继续提出好的意见,谢谢.",      # more feedback hoped for
    "亲爱的，还请麻烦您点击屏幕上的小桃心里面的满意度",            # 心里 is one word
    "您好，请问您的问题是否完全帮您了解决呢?评价不等于服务",        # JD's template, cut
    "您客气哒~请问还有什么可以帮您的呢?  您有问题继续问哦 小妹这边一直在哒",
])
def test_feedback_hoped_for_a_heart_inside_a_word_and_asking_on(flow, line) -> None:
    assert _closing(flow, line) is True


@pytest.mark.parametrize("line", [
    "如果问题继续存在，请联系售后网点",        # 继续 goes with the problem
    "建议您提出意见前先看一下说明",
    "师傅一直在路上",
])
def test_a_problem_that_goes_on_and_a_plain_suggestion_are_not_farewells(flow, line) -> None:
    assert _closing(flow, line) is False


# ------------------------------------------------------------ session 9 (train6)

@pytest.mark.parametrize("line", [
    "如日后您有更好的建议,欢迎您向我们提出,谢谢！",        # more feedback invited
    "您有什么问题，小主可以随时召唤小妹的呢",                # called on again
    "天气变化无常，注意多穿衣，多喝水吃水果哦",              # a care wish without 祝
    "感谢您的关心,也请您多注意身体,早点休息",
])
def test_feedback_invited_a_call_back_and_a_care_wish(flow, line) -> None:
    assert _closing(flow, line) is True


@pytest.mark.parametrize("line", [
    "欢迎您提出退货申请，我们马上处理",          # a request invited, not feedback
    "请注意查收短信",                            # 注意 without a care word
    "这个召唤功能需要先升级",
])
def test_requests_and_plain_notices_are_not_farewells(flow, line) -> None:
    assert _closing(flow, line) is False
