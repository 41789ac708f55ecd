"""What "under-covered" and "weak" mean: the codes, Chinese labels, official criteria and default thresholds.

The seed generator plants gaps with these codes and the analyses report them with the same codes, so the
analyses can be scored against the planted ground truth. Thresholds here are defaults; settings may override.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_service.domain.enums import LabeledEnum


class CoverageGap(LabeledEnum):
    """A way the organisational system fails to reach a compound (DOMAIN.md, "Under-covered compounds")."""

    NO_BRANCH = ("no_branch", "无小区党支部")
    NO_OWNERS_COMMITTEE = ("no_owners_committee", "无业委会")
    NO_CROSS_APPOINTMENT = ("no_cross_appointment", "党支部与业委会无交叉任职")
    BUILDINGS_WITHOUT_GROUP = ("buildings_without_group", "楼栋未建党小组")
    BUILDINGS_WITHOUT_LEADER = ("buildings_without_leader", "楼栋无楼长")
    FEW_CENTRAL_HOUSEHOLDS = ("few_central_households", "党员中心户不足")
    NO_STATION = ("no_station", "无党群服务站覆盖")
    NO_PROPERTY_MANAGEMENT = ("no_property_management", "无物业管理")
    NO_SUNK_STAFF = ("no_sunk_staff", "无下沉力量")
    NO_PAIRING = ("no_pairing", "所在社区无结对共建")
    NO_REGISTERED_MEMBERS = ("no_registered_members", "所在社区无在职党员报到")
    FIVE_HAVES_MISSING = ("five_haves_missing", "五有标准未达标")


class WeaknessFactor(LabeledEnum):
    """A measurable factor of a weak and lax Party organisation (软弱涣散基层党组织)."""

    SECRETARY_VACANT = ("secretary_vacant", "书记空缺")
    FEW_MEMBERS = ("few_members", "正式党员不足3名")
    NO_COMMITTEE = ("no_committee", "正式党员7人以上未设支委会")
    TOO_MANY_MEMBERS = ("too_many_members", "党员超过50人")
    JOINT_BRANCH_TOO_WIDE = ("joint_branch_too_wide", "联合党支部覆盖单位超过5个")
    ELECTION_OVERDUE = ("election_overdue", "逾期未换届")
    IRREGULAR_GENERAL_MEETING = ("irregular_general_meeting", "党员大会未按季度召开")
    IRREGULAR_COMMITTEE_MEETING = ("irregular_committee_meeting", "支委会未按月召开")
    IRREGULAR_GROUP_MEETING = ("irregular_group_meeting", "党小组会未按月召开")
    IRREGULAR_PARTY_LESSON = ("irregular_party_lesson", "党课未按季度开展")
    IRREGULAR_PARTY_DAY = ("irregular_party_day", "主题党日未按月开展")
    NO_ORG_LIFE_MEETING = ("no_org_life_meeting", "一年内未召开组织生活会")
    NO_MEMBER_APPRAISAL = ("no_member_appraisal", "一年内未开展民主评议党员")
    INACTIVE = ("inactive", "连续3个月未开展活动")
    NO_CROSS_APPOINTMENT = ("no_cross_appointment", "未与业委会交叉任职")
    NO_PAIRING = ("no_pairing", "无结对共建")
    FEW_REGISTERED = ("few_registered", "报到党员或认领项目偏少")
    UNRESOLVED_APPEALS = ("unresolved_appeals", "群众诉求积压")
    NO_VENUE = ("no_venue", "无活动场所")
    ONE_PERSON_DEPENDENCE = ("one_person_dependence", "过度依赖一人")
    BROKEN_CHAIN = ("broken_chain", "与街道党工委链条断开")
    STAFF_FLAG = ("staff_flag", "工作人员登记的问题")


#: The item of the official list of weak and lax organisations each factor maps onto.
OFFICIAL_CRITERION: dict[WeaknessFactor, str] = {
    WeaknessFactor.SECRETARY_VACANT: "1 班子不健全、书记长期缺职、工作处于停滞状态",
    WeaknessFactor.FEW_MEMBERS: "1 班子不健全",
    WeaknessFactor.NO_COMMITTEE: "1 班子不健全",
    WeaknessFactor.ELECTION_OVERDUE: "1 班子不健全",
    WeaknessFactor.TOO_MANY_MEMBERS: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.JOINT_BRANCH_TOO_WIDE: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.IRREGULAR_GENERAL_MEETING: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.IRREGULAR_COMMITTEE_MEETING: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.IRREGULAR_GROUP_MEETING: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.IRREGULAR_PARTY_LESSON: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.IRREGULAR_PARTY_DAY: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.NO_ORG_LIFE_MEETING: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.NO_MEMBER_APPRAISAL: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.INACTIVE: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.ONE_PERSON_DEPENDENCE: "2 书记不胜任现职、工作不在状态",
    WeaknessFactor.BROKEN_CHAIN: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.NO_CROSS_APPOINTMENT: "4 组织制度形同虚设、不开展组织活动",
    WeaknessFactor.NO_PAIRING: "10 服务意识差、服务能力弱、群众意见较大",
    WeaknessFactor.FEW_REGISTERED: "10 服务意识差、服务能力弱、群众意见较大",
    WeaknessFactor.UNRESOLVED_APPEALS: "10 服务意识差、服务能力弱、群众意见较大",
    WeaknessFactor.NO_VENUE: "9 无活动场所",
    WeaknessFactor.STAFF_FLAG: "3/5/6/7/8 由工作人员登记并附证据",
}

#: Staff-recorded flags (official items the graph cannot measure) allowed on an organisation, with the words a
#: report uses for each (the item of the official list in the comment).
STAFF_FLAG_LABELS: dict[str, str] = {
    "team_not_united": "班子不团结、内耗严重",  # 3
    "vote_buying": "拉票贿选",  # 5
    "clan_interference": "宗族宗教黑恶势力干扰",  # 6
    "affairs_not_public": "党务村务财务不公开",  # 7
    "security_problems": "治安问题集中、信访突出",  # 8
}
STAFF_FLAGS: tuple[str, ...] = tuple(STAFF_FLAG_LABELS)


@dataclass(frozen=True)
class Standards:
    """Default thresholds shared by the seed generator (to plant gaps) and the analyses (to find them)."""

    min_branch_members: int = 3
    secretary_vacant_days: int = 90
    min_central_households_per_100: float = 2.0
    max_share_buildings_without_group: float = 0.5
    max_share_buildings_without_leader: float = 0.5
    min_registered_per_100_households: float = 0.5
    max_unresolved_appeals: int = 5
    max_posts_per_person: int = 4
    under_covered_below: float = 70.0
    weak_above: float = 30.0


DEFAULT_STANDARDS = Standards()
