"""Enumerations of the domain, each member carrying its Chinese label.

The string value is the stable English code stored in the graph and exposed by the API; the label is what a UI
or an export shows. Labels and relationship types used in Cypher come only from ``NodeLabel`` and ``RelType``.
"""

from __future__ import annotations

from enum import Enum
from typing import Self, cast


class LabeledEnum(str, Enum):
    """A string enum whose members carry a Chinese label: ``Member = ("code", "中文")``."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Self:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def parse(cls, value: object) -> Self:
        """The member whose code is ``value``; ``ValueError`` listing the allowed codes otherwise."""
        # Enum's own map from value to member: one lookup (the API parses every coded field of every row it
        # serves; a loop over the members cost a sixth of a page of organisations).
        try:
            return cast(Self, cls._value2member_map_[value])
        except (KeyError, TypeError):  # TypeError: an unhashable value (a list) is no code either
            allowed = ", ".join(m.value for m in cls)
            raise ValueError(f"{value!r} is not one of {allowed}") from None


class NodeLabel(LabeledEnum):
    AREA = ("Area", "区域")
    ORGANIZATION = ("Organization", "组织")
    PERSON = ("Person", "人员")
    PROJECT = ("Project", "项目")
    APPEAL = ("Appeal", "群众诉求")
    ACTIVITY = ("Activity", "组织生活/活动")


class RelType(LabeledEnum):
    PART_OF = ("PART_OF", "隶属区域")
    SUB_ORG_OF = ("SUB_ORG_OF", "上级组织")
    LEADS = ("LEADS", "领导")
    COVERS = ("COVERS", "覆盖楼栋")
    SERVES = ("SERVES", "服务")
    LOCATED_IN = ("LOCATED_IN", "位于")
    MANAGES = ("MANAGES", "物业管理")
    MEMBER_OF = ("MEMBER_OF", "任职/成员")
    PAIRED_WITH = ("PAIRED_WITH", "结对共建")
    REGISTERED_WITH = ("REGISTERED_WITH", "双报到")
    SUNK_TO = ("SUNK_TO", "下沉")
    RESIDES_IN = ("RESIDES_IN", "居住")
    LISTED_BY = ("LISTED_BY", "发布项目")
    CLAIMED = ("CLAIMED", "认领项目")
    COLLECTED = ("COLLECTED", "收集诉求")
    CONCERNS = ("CONCERNS", "诉求所在")
    HELD_BY = ("HELD_BY", "组织开展")
    ATTENDED = ("ATTENDED", "参加")
    JOINS = ("JOINS", "加入联合党支部")
    SENT_DOWN_TO = ("SENT_DOWN_TO", "下沉到社区")
    LIAISES_WITH = ("LIAISES_WITH", "联系社区")


class AreaLevel(LabeledEnum):
    CITY = ("city", "市")
    DISTRICT = ("district", "县区")
    STREET = ("street", "街道")
    COMMUNITY = ("community", "社区")
    COMPOUND = ("compound", "小区(网格)")
    BUILDING = ("building", "楼栋/院落")


#: Each area level's parent level; the city has none.
PARENT_LEVEL: dict[AreaLevel, AreaLevel | None] = {
    AreaLevel.CITY: None,
    AreaLevel.DISTRICT: AreaLevel.CITY,
    AreaLevel.STREET: AreaLevel.DISTRICT,
    AreaLevel.COMMUNITY: AreaLevel.STREET,
    AreaLevel.COMPOUND: AreaLevel.COMMUNITY,
    AreaLevel.BUILDING: AreaLevel.COMPOUND,
}


class CompoundKind(LabeledEnum):
    COMMERCIAL = ("commercial", "商品房小区")
    OLD = ("old", "老旧小区")
    RESETTLEMENT = ("resettlement", "安置区")
    UNIT = ("unit", "单位院落")


class OrgKind(LabeledEnum):
    STREET_COMMITTEE = ("street_committee", "街道党工委")
    COMMUNITY_COMMITTEE = ("community_committee", "社区党委")
    COMPOUND_BRANCH = ("compound_branch", "小区(网格)党支部")
    BUILDING_GROUP = ("building_group", "楼栋党小组")
    CENTRAL_HOUSEHOLD = ("central_household", "党员中心户")
    OWNERS_COMMITTEE = ("owners_committee", "业委会")
    PROPERTY_COMPANY = ("property_company", "物业企业")
    UNIT = ("unit", "驻区单位")
    UNIT_PARTY_ORG = ("unit_party_org", "单位党组织")
    SERVICE_CENTER = ("service_center", "社区党群服务中心")
    SERVICE_STATION = ("service_station", "网格(小区)党群服务站")
    WARM_STATION = ("warm_station", "暖心驿站")
    VOLUNTEER_TEAM = ("volunteer_team", "志愿服务队")
    LEADERSHIP_GROUP = ("leadership_group", "领导小组")
    WORKING_GROUP = ("working_group", "专项工作组")
    JOINT_BRANCH = ("joint_branch", "联合党支部")
    SECRETARY_STUDIO = ("secretary_studio", "书记工作室")
    RESERVE_POOL = ("reserve_pool", "后备干部库(雏雁)")


#: The five-level system, top down (五级联动体系).
PARTY_CHAIN: tuple[OrgKind, ...] = (
    OrgKind.STREET_COMMITTEE,
    OrgKind.COMMUNITY_COMMITTEE,
    OrgKind.COMPOUND_BRANCH,
    OrgKind.BUILDING_GROUP,
    OrgKind.CENTRAL_HOUSEHOLD,
)

#: The area level each level of the Party system leads.
LEADS_LEVEL: dict[OrgKind, AreaLevel] = {
    OrgKind.STREET_COMMITTEE: AreaLevel.STREET,
    OrgKind.COMMUNITY_COMMITTEE: AreaLevel.COMMUNITY,
    OrgKind.COMPOUND_BRANCH: AreaLevel.COMPOUND,
}


class UnitType(LabeledEnum):
    AGENCY = ("agency", "机关事业单位")
    STATE_ENTERPRISE = ("state_enterprise", "国有企业")
    SCHOOL = ("school", "中小学校")
    PRIVATE_FIRM = ("private_firm", "非公企业")
    SOCIAL_ORGANIZATION = ("social_organization", "社会组织")


class PropertyMode(LabeledEnum):
    MARKET = ("market", "市场化物业")
    GOVERNMENT_PURCHASED = ("government_purchased", "政府购买服务")
    STATE_FALLBACK = ("state_fallback", "国有物业兜底")


class Employment(LabeledEnum):
    IN_SERVICE = ("in_service", "在职")
    RETIRED = ("retired", "退休")
    NEW_EMPLOYMENT = ("new_employment", "新就业群体")
    OTHER = ("other", "其他")


class Post(LabeledEnum):
    SECRETARY = ("secretary", "书记")
    DEPUTY_SECRETARY = ("deputy_secretary", "副书记")
    COMMITTEE_MEMBER = ("committee_member", "支委/委员")
    MEMBER = ("member", "党员")
    GROUP_LEADER = ("group_leader", "党小组组长")
    HOUSEHOLD_HEAD = ("household_head", "中心户户主")
    OC_DIRECTOR = ("oc_director", "业委会主任")
    OC_MEMBER = ("oc_member", "业委会委员")
    BUILDING_LEADER = ("building_leader", "楼长")
    GRID_WORKER = ("grid_worker", "网格员")
    COMMUNITY_WORKER = ("community_worker", "社区工作者")
    TWO_COMMITTEES_MEMBER = ("two_committees_member", "社区两委成员")
    PUBLIC_WELFARE = ("public_welfare", "公益岗")
    VOLUNTEER = ("volunteer", "志愿者")
    STAFF = ("staff", "工作人员")
    LEADER = ("leader", "组长")
    RESERVE_CADRE = ("reserve_cadre", "后备干部(雏雁)")
    STUDIO_LEAD = ("studio_lead", "工作室领衔人")


#: Posts that make a person part of a Party organisation's membership.
PARTY_POSTS: frozenset[Post] = frozenset(
    {Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER, Post.MEMBER, Post.GROUP_LEADER}
)
#: Posts of an owners' committee.
OC_POSTS: frozenset[Post] = frozenset({Post.OC_DIRECTOR, Post.OC_MEMBER})


class MemberStatus(LabeledEnum):
    """A Party member's standing (党员身份): counted where the regulations count full members."""

    FULL = ("full", "正式党员")
    PROBATIONARY = ("probationary", "预备党员")


class ActivityKind(LabeledEnum):
    """Meetings and activities of organisational life (三会一课 and more)."""

    GENERAL_MEETING = ("general_meeting", "党员大会")
    COMMITTEE_MEETING = ("committee_meeting", "支委会")
    GROUP_MEETING = ("group_meeting", "党小组会")
    PARTY_LESSON = ("party_lesson", "党课")
    THEMED_PARTY_DAY = ("themed_party_day", "主题党日")
    ORG_LIFE_MEETING = ("org_life_meeting", "组织生活会")
    MEMBER_APPRAISAL = ("member_appraisal", "民主评议党员")
    OTHER = ("other", "其他活动")


class DeputyCapacity(LabeledEnum):
    """How a deputy or committee member serves a community (人大代表、政协委员联系社区)."""

    NPC_DEPUTY = ("npc_deputy", "人大代表")
    CPPCC_MEMBER = ("cppcc_member", "政协委员")


class SunkRole(LabeledEnum):
    TWO_COMMITTEES_MEMBER = ("two_committees_member", "社区两委成员")
    FULL_TIME_WORKER = ("full_time_worker", "专职社区工作者")
    GRID_WORKER = ("grid_worker", "网格员")
    PUBLIC_WELFARE = ("public_welfare", "公益岗")


class FiveHave(LabeledEnum):
    VENUE = ("venue", "有明亮场所")
    STAFF = ("staff", "有得力人员")
    FUNDING = ("funding", "有正常经费")
    RULES = ("rules", "有管用制度")
    ASSESSMENT = ("assessment", "有考核奖惩")


class ProjectKind(LabeledEnum):
    VOLUNTEER = ("volunteer", "志愿服务项目")
    PAIRING = ("pairing", "共建项目")


class AppealStatus(LabeledEnum):
    OPEN = ("open", "办理中")
    RESOLVED = ("resolved", "已解决")


class WorkingGroupTopic(LabeledEnum):
    GRID_GOVERNANCE = ("grid_governance", "网格治理")
    RED_PROPERTY = ("red_property", "红色物业")
    SERVICE = ("service", "服务群众")
    SUPERVISION = ("supervision", "督导考核")
