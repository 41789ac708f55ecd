"""Chinese names for the Heze demo city: real districts and streets, plausible generated names for the rest.

Everything personal made here (names, phone numbers, addresses, identity numbers) is FICTITIOUS: generated from
a random seed, matching no real person. Identity numbers are well formed (region, birth date, check digit) only
so that validation code written for real data accepts them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


def _words(text: str) -> list[str]:
    return text.split()


@dataclass(frozen=True)
class District:
    code: str  # readable id part (pinyin initials)
    name: str
    region: str  # 6-digit administrative division code, used in fictitious identity numbers
    weight: float  # share of the city's urban compounds
    resident: int  # rough resident population (only proportions are used)
    urban_rate: float  # rough urbanisation rate of the district
    streets: tuple[tuple[str, str], ...]  # (id part, real street name)


#: Heze's two districts and seven counties with real street (街道) names.
DISTRICTS: tuple[District, ...] = (
    District(
        "md",
        "牡丹区",
        "371702",
        0.32,
        1_500_000,
        0.78,
        (
            ("xc", "西城街道"),
            ("dc", "东城街道"),
            ("nc", "南城街道"),
            ("bc", "北城街道"),
            ("md", "牡丹街道"),
            ("dy", "丹阳街道"),
            ("wf", "万福街道"),
            ("hl", "何楼街道"),
            ("yc", "岳程街道"),
            ("dht", "佃户屯街道"),
        ),
    ),
    District("dt", "定陶区", "371703", 0.09, 620_000, 0.52, (("tz", "天中街道"), ("bh", "滨河街道"))),
    District("cx", "曹县", "371721", 0.10, 1_400_000, 0.45, (("cc", "曹城街道"), ("ps", "磐石街道"), ("nj", "倪集街道"))),
    District("sx", "单县", "371722", 0.08, 1_000_000, 0.46, (("yy", "园艺街道"), ("bc", "北城街道"), ("dc", "东城街道"))),
    District("cw", "成武县", "371723", 0.06, 640_000, 0.44, (("wt", "文亭街道"), ("ych", "永昌街道"))),
    District("jy", "巨野县", "371724", 0.08, 850_000, 0.45, (("yf", "永丰街道"), ("fh", "凤凰街道"))),
    District("yc", "郓城县", "371725", 0.09, 1_000_000, 0.46, (("yz", "郓州街道"), ("tt", "唐塔街道"))),
    District("jc", "鄄城县", "371726", 0.07, 700_000, 0.43, (("gq", "古泉街道"), ("cw", "陈王街道"))),
    District("dm", "东明县", "371728", 0.07, 700_000, 0.44, (("cg", "城关街道"), ("yw", "渔沃街道"))),
)

_STREET_WORDS = _words("康庄 新兴 和平 永安 长青 兴华 安泰 富民 建设 文化 光明 振兴 开元 龙泉 青年 广场 鸿运 瑞丰 ")
_COMMUNITY_WORDS = _words(
    "和平 人民 中华 双河 桂陵 花城 长江 黄河 五里 赵楼 胜利 新华 解放 "
    "八一 民主 团结 东方 朝阳 丰收 太平 青年 学府 工农 建设 泰山 曹州 "
    "天香 国色 花都 锦绣 春和 秋实 安居 乐业 振华 兴隆 吕陵 皇镇 王浩屯 "
    "沙土 马岭岗 高庄 何楼 李村 刘庄 张湾 陈集 周店 吴店 孙老家 "
)
_COMPOUND_PREFIX = _words(
    "锦绣 阳光 牡丹 金色 书香 幸福 翡翠 华府 天香 国色 东方 盛世 碧桂 "
    "丽景 和园 御景 紫荆 龙湖 香榭 万福 丹阳 曹州 天中 鸿福 瑞景 馨苑 "
    "嘉和 恒泰 富贵 名仕 水岸 玉兰 银河 世纪 滨河 凤凰 蓝湾 怡和 泰和 "
    "桂园 "
)
_COMPOUND_SUFFIX = _words("花园 小区 家园 苑 公馆 新城 名都 雅居 华庭 府 ")
_OLD_COMPOUNDS = _words(
    "供销社家属院 棉纺厂宿舍 粮食局宿舍 化肥厂家属院 农机公司宿舍 电业局老院 食品公司宿舍 交通局家属院 二轻局宿舍 百货大楼家属院 "
)
_UNIT_COMPOUNDS = _words(
    "第一中学家属院 人民医院家属院 税务局院落 财政局院落 实验小学家属院 建设银行家属院 邮政局院落 水利局院落 "
)

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
_GIVEN_M = _words(
    "伟 强 磊 军 洋 勇 杰 涛 明 超 刚 平 辉 鹏 华 飞 鑫 波 斌 宇 "
    "浩 凯 健 俊 帆 帅 旭 宁 龙 林 峰 建国 建华 志强 国庆 文博 子豪 "
    "振东 海波 立新 "
)
_GIVEN_F = _words(
    "芳 娜 敏 静 丽 艳 娟 霞 秀英 玉兰 桂英 秀兰 丹 萍 红 玲 雪 琳 "
    "婷 慧 颖 倩 佳 欣 悦 晨 怡 梅 莉 燕 春花 淑珍 丽华 凤英 海燕 "
    "晓红 "
)
VOLUNTEER_TEAM_NAMES = _words("夕阳红 红马甲 邻里守望 巾帼 银发先锋 牡丹红 爱心帮帮 青春 文明劝导 平安巡逻 助老 暖心 ")
PROPERTY_WORDS = _words("鸿泰 安居 金盾 龙城 华宇 万家 嘉园 润泽 恒信 佳和 曹州 盛世 惠民 民安 瑞祥 天和 ")
NEEDS = _words(
    "老人助餐 代买代办 楼道清扫 义务理发 家电维修 法律咨询 健康义诊 课后托管 "
    "垃圾分类引导 文明养犬劝导 电动车充电安全巡查 独居老人探访 矛盾纠纷调解 "
    "绿化养护 停车秩序引导 "
)
APPEAL_TOPICS = _words(
    "楼道灯损坏 下水道堵塞 小区停车难 电梯故障 垃圾清运不及时 绿化带杂草丛生 "
    "外墙脱落隐患 噪音扰民 物业费争议 飞线充电 路面破损 屋顶漏水 监控失灵 "
    "流浪犬扰民 健身器材损坏 "
)
PAIRING_PROJECTS = _words("共建文明楼院 送医进社区 法律进社区 助学圆梦 环境整治 关爱空巢老人 志愿服务进小区 政策宣讲 ")
PAIRING_RESOURCES = _words("资金支持 场地共享 专业人才 物资捐赠 技术服务 ")
#: Subjects of organisational life, by kind of activity (ActivityKind codes).
ACTIVITY_TOPICS: dict[str, list[str]] = {
    "general_meeting": _words("学习传达上级精神 发展党员 接收预备党员转正 年度工作部署 党费收缴情况通报 支部工作报告 "),
    "committee_meeting": _words("研究月度工作 讨论发展对象 研究志愿服务项目 部署主题党日 研究群众诉求办理 "),
    "group_meeting": _words("学习党的创新理论 楼栋议事 收集居民诉求 走访困难户 交流学习体会 "),
    "party_lesson": _words("书记讲党课 学习党章党规 党史学习教育 二十大精神宣讲 基层治理专题 "),
    "themed_party_day": _words("志愿服务进小区 重温入党誓词 红色观影 垃圾分类宣传 环境卫生整治 关爱空巢老人 文明劝导 "),
    "org_life_meeting": _words("年度组织生活会 专题组织生活会 "),
    "member_appraisal": _words("年度民主评议党员 "),
    "other": _words("邻里节 防汛值守 义诊进小区 平安巡逻 爱心助学 政策宣讲 "),
}
#: Kinds of small units (个体工商户, 小微企业, 社会组织) that join a joint Party branch.
SMALL_UNIT_SUFFIXES = _words("商贸有限公司 餐饮店 快递服务站 家政服务有限公司 律师事务所 社会工作服务站 科技有限公司 药店 ")
#: What a cadre sent down to a community does there.
CADRE_DUTIES = _words("包联社区 第一书记 网格指导员 驻社区工作队员 党建指导员 ")


def street_name(rng: random.Random, used: set[str]) -> str:
    for word in rng.sample(_STREET_WORDS, len(_STREET_WORDS)):
        name = f"{word}街道"
        if name not in used:
            used.add(name)
            return name
    name = f"第{len(used) + 1}街道"
    used.add(name)
    return name


def community_name(rng: random.Random, used: set[str]) -> str:
    for _ in range(20):
        name = rng.choice(_COMMUNITY_WORDS) + "社区"
        if name not in used:
            used.add(name)
            return name
    # Big districts run out of words: real cities then use 东/西/南/北/新 variants of an old name.
    for _ in range(40):
        name = rng.choice(_COMMUNITY_WORDS) + rng.choice("东西南北新") + "社区"
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(_COMMUNITY_WORDS)}第{len(used)}社区"
    used.add(name)
    return name


def compound_name(rng: random.Random, kind: str, used: set[str]) -> str:
    for _ in range(20):
        if kind == "old":
            name = rng.choice(_OLD_COMPOUNDS) if rng.random() < 0.5 else rng.choice(_COMMUNITY_WORDS) + "老小区"
        elif kind == "resettlement":
            name = rng.choice(_COMMUNITY_WORDS) + rng.choice(("安置区", "安置小区", "新村"))
        elif kind == "unit":
            name = rng.choice(_UNIT_COMPOUNDS)
        else:
            name = rng.choice(_COMPOUND_PREFIX) + rng.choice(_COMPOUND_SUFFIX)
        if name not in used:
            used.add(name)
            return name
    name = f"{rng.choice(_COMPOUND_PREFIX)}{len(used)}期"
    used.add(name)
    return name


def person_name(rng: random.Random, gender: str) -> str:
    return rng.choice(SURNAMES) + rng.choice(_GIVEN_M if gender == "男" else _GIVEN_F)


def phone(rng: random.Random) -> str:
    """A fictitious but well-formed mobile number."""
    return rng.choice(("138", "139", "150", "151", "158", "177", "186", "188")) + f"{rng.randrange(10**8):08d}"


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(rng: random.Random, region: str, birth_year: int, gender: str) -> str:
    """A fictitious identity number with a valid structure and GB 11643 check digit."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    seq = rng.randrange(0, 500) * 2 + (1 if gender == "男" else 0)
    body = f"{region}{birth_year:04d}{month:02d}{day:02d}{seq:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    return body + check
