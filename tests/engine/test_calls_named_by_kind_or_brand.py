"""Call-flow families from the twenty-second session's phone calls (callflow
train41: how calls end; train42: delivery, logistics and home services): a
kind of business, desk or role said without a name, a brand whose name holds
a word that elsewhere ends a sentence (华为, 饿了么), and Cantonese 早晨."""

from __future__ import annotations

import pytest
from talk import closed_with as _closed
from talk import opening_checklist as _opening

from phraseguard.engine.callflow import CallFlow


@pytest.fixture(scope="module")
def flow(default_lexicon) -> CallFlow:
    return CallFlow(default_lexicon)




@pytest.mark.parametrize("opening", [
    ("喂您好请问是王磊先生吗", "我这边是那个贷款平台的 您在我们这边有一笔借款"),
    ("王女士 我这边是平台安全中心的 看到您刚才的行程在一个地方停了二十多分钟",),
    ("您好，请问是张先生吗？", "我们这边是回收平台的，想跟您确认一下，明天上午师傅上门可以吗？"),
    ("你好，说吧，啥事儿？", "我是供暖公司的，你家在哪个小区？"),
    ("喂是幺三八零零二二七六五一吗", "我是装维的你家那个网断了是吧"),
    ("您好，请问是赵先生吗？", "我是配送中心的，您订的餐桌和六把椅子"),
    ("喂你是那个三号楼的吧", "我是送快递的你家里有人吗我给你送上去"),
    ("喂你好 我是帮您送餐的那个 您这个地址是在那个软件园几号楼啊",),
    ("喂喂", "我是阿姨的对接人钟点工是四十五一个小时"),
    # (train43/44: a kind and its desk, then a role; a trade; a child's teacher)
    ("喂你好呀，请问系咪黄生啊？", "我系健身房嗰边嘅会籍顾问啊，见你张年卡下个月到期喎"),
    ("喂同学你好", "我是考研辅导这边的老师啊，看到你领过资料包"),
    ("喂您好", "您好先生我是保险公司的理财顾问耽误您一分钟时间"),
    ("打扰一下，请问是何女士吗？我是会籍部的，您的季卡明天到期。",),
    ("黄先生，打扰一下，我是置业顾问，上周您来看过样板间的。",),
    ("您好，请问是郑先生吗？我这边是信用卡中心喔。",),
    ("喂，你好，大哥，我是卖车的，你上礼拜问那台车还要不？",),
    ("喂你好请问是何女士吗", "您报修的洗衣机我是维修师傅我明天过去给您看看"),
    ("喂，您好，请问是小安的妈妈吗？", "我是小安的班导啦，想跟您说一下他的成绩。"),
    ("喂？", "不是，我们是茶叶店，你打错了。"),
])
def test_a_kind_of_business_said_without_a_name_is_no_introduction(flow, opening) -> None:
    assert _opening(flow, *opening)["self-introduction"] is False


@pytest.mark.parametrize("line", [
    "喂你好 我是前台 您说",
    "您好，铁路客服，请问您需要什么帮助？",
    "您好，这边是客服专员，请问有什么需要帮忙的吗？",
    "你好，我系客服，有咩可以帮你？",
    "喂，防水补漏，请讲。",
    "下午好，体检中心。",
    "你好水果店",
    "打印店，您说。",
    # (train45/46)
    "问讯处 您说",
    "您好，住房公积金热线，请问您要咨询什么？",
    "您好，我是话务员，请问咨询什么问题？",
    "喂，烧烤店，要点啥？",
    "您好我们是蛋糕店您要订蛋糕吗",
    "喂在家吗我是装宽带的",
    "喂大姐我是那个做保洁的阿姨我今天下午可能要晚半个小时到",
    "您好，这边是婚礼咨询，请问您是准备办婚礼吗？",
    # (train47)
    "您好，纳税服务热线。",
    "您好，签证服务中心，请问您办理哪国签证？",
    "您好，健康险服务专线。",
    "喂，大姐，供暖这块儿，你说吧。",
    "喂是张磊先生吧 我这边是贷后管理部的 您那笔借款已经逾期三天了",
    "您好我是营业厅的客户经理 看您这个号码用了有八年了",
])
def test_a_role_a_desk_or_a_trade_alone_is_no_introduction(flow, line) -> None:
    assert _opening(flow, line)["self-introduction"] is False


@pytest.mark.parametrize("line", [
    "喂你好 华为客户服务中心 请问有什么可以帮您",      # 为 inside the brand
    "喂您好 这边是饿了么平台的 您刚才下单的那家店临时关门了",  # 么 inside the brand
    "你好，这里是平安道路救援，请问车辆在哪个位置？",     # a name ending in its trade
    "你好，我系Amy，有咩可以帮你？",
    # (a named company or a name after the role still counts)
    "喂请问是王阿姨吗我这边是那个协和医院心内科的护士小陈",
    "哎哥 我是那个健身房的教练小刚啊 您那个私教课还剩八节",
    "您好，我是平安保险的理财顾问，耽误您一分钟",
    # (train45/46: a company then its desk or role; a trade ending the name; Shanghainese 阿拉是)
    "您好，华润燃气安检员，您家这个月需要入户安检，请问哪天方便？",
    "喂，津城出租调度，嘛事儿？",
    "喂你好，蜀香火锅外卖嘛。",
    "喂，侬好，阿拉是老凤干洗店。",
    "喂，你好喔，这里是安溪福源茶行，你是要买茶喔？",
    "喂，北方大澡堂子，咋的？",
    "您好，欢迎致电美居装饰，请问您是咨询装修吗？",
    "喂您号中通快递客服",
    "您好，国航服务专线。",
])
def test_a_brand_or_a_name_still_counts(flow, line) -> None:
    assert _opening(flow, line)["self-introduction"] is True


@pytest.mark.parametrize("line", ["早晨，陶陶居天河店，请问有咩可以帮到你？", "早晨，水电，咩事啊？"])
def test_cantonese_good_morning_is_a_greeting(flow, line) -> None:
    assert _opening(flow, line)["greeting"] is True


@pytest.mark.parametrize("line", ["明天早晨八点师傅上门", "早晨的时候有人打过电话吗"])
def test_the_morning_as_a_time_is_no_greeting(flow, line) -> None:
    assert _opening(flow, line)["greeting"] is False


@pytest.mark.parametrize("line", ["客气啥，考试顺利！", "好的早日康复啊", "莫得事，有啥子随时喊我嘛。", "勿客气，下趟再来噢。"])
def test_wishes_and_invitations_without_the_stock_words_are_a_closing(flow, line) -> None:
    assert _closed(flow, line) is True


def test_a_wish_written_on_a_card_for_the_customer_is_no_closing(flow) -> None:
    assert _closed(flow, "好的，卡片上写“祝妈妈生日快乐”对吧？") is False
