"""Families of the thirty-first session (lexicons/README.md, "Third parties by
name, the customer's question thrown back, a known agent by name (thirty-first
session)"): the customer sent to a named person or office (您找教练本人, 您跟地接社
反映, 您拿去品牌售后检测, 需要先找商户退) is pushed away; the
customer's own employer blamed (是你们单位的问题) shifts the blame; asking called
useless or the customer's verb thrown back (您问也没用, 催什么催, 挑啥子挑) brushes
off; a mistake on the record shrugged off (写错就写错了) is resigned; "it is
common" with nothing done dismisses the problem; a promise the customer
believed (您也当真？) is sarcasm; a wait till the customer's turn comes (排到您的
时候会通知的) told to a customer chasing is a wait without action. The same
words with the agent's own help next (a claim opened, the other party already
called, the complaint made for the customer, another document that does, the
money put up first), or a time asked and refused, are not violations at
major."""

from __future__ import annotations

import pytest
from talk import flagged_at_major as _flagged


@pytest.mark.parametrize(("customer", "agent"), [
    ("亲，私教跑路了，我还有二十节课", "亲，私教课是教练个人签的，您找教练本人哦~"),
    ("地接导游强制购物，不买就甩脸色", "导游是当地地接社派的，您跟地接社反映。"),
    ("手机买了半个月就黑屏了", "黑屏是质量问题，您拿去品牌售后检测。"),
    ("商户重复扣了我两笔钱，你们能处理吗", "重复扣款需要先找商户退。"),
    ("我单位不给我办公积金提取盖章，你们能直接给我办吗？", "单位不盖章是你们单位的问题。"),
    ("喂那个生育补贴到底啥时候发", "啥时候发就啥时候发，您问也没用"),
    ("身份证办了一个月还没到，能不能催一下？", "催什么催，到了自然通知你。"),
    ("娃儿分到那么远的学校，能不能调嘛？", "分到哪里就读哪里噻，挑啥子挑。"),
    ("房本上面的面积写错了", "写错就写错了，我们这也弄不了"),
    ("亲，物流把我的茶几摔裂了", "亲，大件运输磕磕碰碰很常见啦~"),
    ("销售承诺的赠品没给，你们厂家管不管", "销售嘴上答应的东西，您也当真？"),
    ("公租房都排两年了，能不能给个准话？", "排到您的时候会通知的。"),
    ("离婚证丢了要补，上哪补", "您当时在哪办的就上哪问去"),
    # (when the power comes back is no arrival time asked: the fault stands, and a bare limit gives up — train75)
    ("我们这片怎么又停电了什么时候来电啊", "来电时间这个现在还没法说"),
    # (train201, train202, train203)
    ("我订的体育包，欧冠决赛居然不播？", "版权的事您冲我嚷有什么用。"),
    ("我打國際電話一直有雜音，很難聽清楚。", "雜音是對方國家線路的問題，不關我們這邊。"),
    ("我开了会员还是有广告，你们骗人吧？", "广告是片方要求加的，不是我们搞的。"),
    ("我每天接十几个推销电话，烦死了！", "推销电话满天飞，这个谁都拦不完。"),
    ("亲，签证材料交了一个月，进度查不到", "亲，使馆审多久就多久，您问我也白问~"),
    ("亲，我半小时前下的单，怎么订单不见了？", "亲，系统里没有就是没下成功呗，再下一单不就行了~"),
    ("亲，私教课时少了三节，怎么回事？", "亲，上了就是上了，我们这边记录不会错的呢~"),
    ("我报的旅行团名单里查不到我的名字！", "名单里没有您，那这趟您也去不成了。"),
    ("宽带又断了，这个月第四次了！", "断网多半是您家里路由器的问题，线路这头是好的。"),
    ("亲，我昨天刚买今天就降价了，差价能退吗？", "亲，价格天天在变的呀，那您昨天别买嘛~"),
    ("亲，我想退卡，我搬家了。", "亲，办卡的时候咋不想好呢~"),
    ("亲，航班延误五个小时，就给一瓶水？", "亲，一瓶水还嫌少呀，别家连水都没有呢~"),
    # (train204-215)
    ("侬讲讲看，迭个阶梯价哪能算额？", "价钿是物价局定额，侬去问物价局好了。"),
    ("嗯就是那个我家我家报停了怎么还有热", "嗯阀门没关严是物业地活"),
    ("阿拉新店开张等勿起了，侬帮帮忙呀。", "侬等勿起也要等，大家侪一样额。"),
    ("师傅咋个还没来嘛，我屋头娃儿还要写作业", "莫法子，今天人手就恁个多。"),
    ("挂号系统扣了钱却没挂上号。", "支付渠道由第三方提供，扣款问题请咨询支付平台。"),
    ("会员自动续费了我都不知道，怎么退？", "自动续费由应用商店执行，退款请向应用商店申请。"),
    ("課程內容和宣傳完全不符，我要退款。", "課程已開通即視為認可，退款一事請勿再提。"),
    ("隔壁房间吵到半夜，你们前台也不管。", "住酒店难免会有些声音，请您多包涵。"),
    ("亲，签证材料交了一个月，怎么还没消息", "亲，签合同的时候您咋不问呢"),
    ("晚两天还款行不行？", "晚两天？恁当银行是自家开的哩？"),
    ("他的卡被锁了，我帮他改个密码", "他的卡你改不了，喊他自己来，莫来找我们。"),
    ("欸我被封号了，可以解吗？", "喔封了就封了啦，解不開的。"),
    ("你们APP一到开盘就卡，我损失谁赔？", "炒股有风险。"),
    ("猫粮吃了软便，是不是粮有问题？", "亲，粮是品牌方生产的，您问品牌吧~"),
    ("繡花歪了，你們怎麼處理？", "繡花是工廠做的，有意見找工廠。"),
    ("猫送来一直不吃东西", "猫又不会说话，您急什么。"),
    ("二手手机屏幕是漂的", "亲 二手的不漂才怪呢~"),
    ("证件办了一个月还没好", "证件制作有周期，您急也快不了。"),
    ("我的复核申请呢", "驳回的件就到此为止了，复核这条路走不通。"),
    ("前段航班取消了怎么办", "前段是别家公司飞的，那是他们的事，跟我们这边扯不上。"),
])
def test_a_named_third_party_or_a_thrown_back_question_is_flagged(
        matcher, customer, agent) -> None:
    assert _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent"), [
    # (ourselves, not another party; a place told with what to bring)
    ("私教跑路了，剩下的课怎么办", "剩下的课您找我们门店就行，我帮您安排别的教练上完。"),
    ("地接导游强制购物", "您跟我们公司反映就对了，我这边马上联系地接社换导游。"),
    # (another way to a new one, in the same turn)
    ("孩子的疫苗本丢了要重办吗", "原本没办法找回的话，您去接种门诊补打一本就行。"),
    # (the customer's own state, a time asked and refused: a stated limit, minor)
    ("门口井盖丢了，你们几点能到？", "马上到现场我们没法保证。"),
    ("这个颜色常见吗", "这个颜色挺常见的，很多客户都选。"),
    # (Cantonese: the agent sends the address)
    ("我唔知去边度打流感针？", "你揾附近社康中心就得，唔清楚地址我发畀你。"),
    # (corpus: whether an order came with a part, answered; train198: a wait with the text message that ends it)
    ("我这个订单是带不带游戏手柄", "没有哦 亲爱的 您下单时没有就是没有哦"),
    ("快递什么时候到", "一般一到两个工作日，到了就是到了，会有短信"),
    # (train204, train211, train209: a choice the customer may make; a welcome; by sound 补充 is 不充)
    ("亲，报警器是不是必须装的，不装行不行", "亲，居民是建议装，装不装随便您哈，安全起见还是推荐的~"),
    ("我的退货申请怎么被驳回了", "驳回的原因是照片不够清楚，您可以补充照片再申诉一次"),
    ("我唔知点样提前还款", "要得嘛，您在手机银行点提前结清，莫得违约金，不晓得咋个弄就打给我。"),
])
def test_the_same_words_with_help_or_a_plain_answer_are_not(matcher, customer, agent) -> None:
    assert not _flagged(matcher, agent, customer=customer)


@pytest.mark.parametrize(("customer", "agent", "next_turn"), [
    ("亲，师傅把电视磕了一个角", "亲，磕坏东西是师傅个人的问题，您跟师傅协商哈~",
     "不过您先拍几张照片发我，平台这边先按保价给您走理赔，师傅的责任我们内部追究~"),
    ("楼上漏水，我家天花板都泡了", "漏水是楼上住户的事，您跟楼上商量吧。",
     "楼上我已经打过电话了，他们晚上七点在家，我们维修师傅七点上门一起查漏水点，您看行吗？"),
    ("司机故意绕路，多收了我四十", "路线是司机选的，多收的钱您找司机要。",
     "不过您不用真去找他，我这边已经按规划路线给您核了价，多收的四十块明天退回支付账户。"),
    ("地接导游强制购物", "导游是当地地接社派的，您跟地接社反映。",
     "同时我这边已经以组团社的名义给地接社发了投诉，今晚之前换导游。"),
    ("房东不肯给我出租房证明，怎么办居住证？", "房东不配合那是你和房东之间的事。",
     "不过没有租房证明的话，您用单位出的住宿证明也可以办。"),
    ("个税APP里多了个我没去过的任职单位，怎么处理？", "这种事我们也摸不着头脑。",
     "您在APP里点申诉，我这边也同步给稽查科核实一下。"),
    ("宽带又断了，这个月第四次了！", "断网多半是您家里路由器的问题，线路这头是好的。",
     "这样，明天上午让装维师傅带台新路由器过去，换上试一周，不收钱。"),
    ("导游带我们进了三家购物店，说好的纯玩团呢？", "购物店是导游自己安排的，我们事先也不知道。",
     "我现在给当地地接打电话，下午的购物点全部取消。"),
    ("补个卡还要我本人到场？我在外地啊！", "规定就是规定，您在哪是您的事。",
     "您可以在当地任意一家营业厅异地补卡，全国都能办。"),
    ("亲，外卖洒了一半，汤全漏袋子里了。", "亲，包装是商家打的哦，洒漏本来要找商家呢~",
     "亲别急，这单我这边先全额赔给您，商家那边的账我们平台自己去追~"),
    # (train207, train208, train214: the remedy in everyday words)
    ("你们搬家的时候把我的花瓶打碎了！", "打碎东西是工人自己的事，您找他们去吧。",
     "这话不对，工人是我们派的，花瓶多少钱您报个数，这钱我们先出。"),
    ("送来的汤洒了一半，袋子里全是油，怎么吃？", "汤是商家打包的，洒了您得找商家说。",
     "这样，这份汤钱我们平台先退给您，商家那边我们自己去追。"),
    ("旅行團導遊中途把我們丟下了，你們怎麼處理？", "本社深表遺憾，當下確實沒辦法補救行程。",
     "我們會退還未完成行程的團費，並另補償每人五百元，款項三日內退回。"),
    ("买的鞋穿一天就开胶了，你们平台怎么处理？", "那您找商家去。",
     "商家48小时内不回复的话，我这边直接介入给您退款。"),
])
def test_a_push_or_a_shrug_the_next_turn_remedies_is_not(matcher, customer, agent,
                                                         next_turn) -> None:
    assert _flagged(matcher, agent, customer=customer)
    assert not _flagged(matcher, agent, customer=customer, next_turn=next_turn)
