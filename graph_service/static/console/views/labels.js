// Names of the coverage figures and gaps where the API has no Chinese label (the published table labels the
// rest) and in English. Codes are the API's: CoverageFigure.code, CoverageGapCount.code.
export const FIGURE_NAMES = {
  resident_population: { zh: "常住人口", en: "Resident population" },
  urban_population: { zh: "城镇常住人口", en: "Urban population" },
  urbanisation_rate: { zh: "常住人口城镇化率", en: "Urbanisation rate" },
  platform_people_served: { zh: "“党建+”平台服务群众", en: "People served by the platform" },
  compounds: { zh: "小区", en: "Compounds" },
  five_haves_compounds: { zh: "“五有”小区", en: "Five-haves compounds" },
  cross_appointed_persons: { zh: "交叉任职人数", en: "Cross-appointed people" },
  building_leaders: { zh: "楼长", en: "Building leaders" },
  building_groups: { zh: "楼栋党小组", en: "Building Party groups" },
  central_households: { zh: "党员中心户", en: "Central households" },
  station_covered_compounds: { zh: "站点覆盖小区", en: "Compounds with a station" },
  station_coverage_rate: { zh: "党群服务站点覆盖率", en: "Station coverage" },
  state_fallback_old_compounds: { zh: "兜底老旧小区", en: "State-fallback old compounds" },
  state_fallback_resettlement_areas: { zh: "兜底安置区", en: "State-fallback resettlement areas" },
  state_fallback_fee_collection_rate: { zh: "兜底小区物业费收缴率", en: "Fee collection (state fallback)" },
  warm_stations: { zh: "暖心驿站", en: "Warm stations" },
  rider_grid_workers: { zh: "小哥兼职网格员", en: "Riders as grid workers" },
  rider_appeals: { zh: "小哥收集诉求", en: "Appeals collected by riders" },
  community_workers: { zh: "社区工作者", en: "Community workers" },
  community_workers_per_10k: { zh: "每万人社区工作者", en: "Community workers per 10,000" },
  sunk_two_committees_members: { zh: "下沉“两委”成员", en: "Sunk two-committee members" },
  sunk_staff: { zh: "下沉专职人员", en: "Sunk staff" },
  claimed_volunteer_projects: { zh: "认领志愿项目", en: "Claimed volunteer projects" },
  volunteer_teams: { zh: "志愿服务队", en: "Volunteer teams" },
  problems_solved: { zh: "解决群众难题", en: "Problems solved" },
  leadership_groups: { zh: "领导小组", en: "Leadership groups" },
  working_groups: { zh: "专项工作组", en: "Working groups" },
  working_groups_per_leadership_group: { zh: "每个领导小组的工作组", en: "Working groups per leadership group" },
};

export const GAP_NAMES_EN = {
  no_branch: "No compound branch",
  no_owners_committee: "No owners' committee",
  no_cross_appointment: "No cross-appointment",
  buildings_without_group: "Buildings without a Party group",
  buildings_without_leader: "Buildings without a leader",
  few_central_households: "Too few central households",
  no_station: "No service station",
  no_property_management: "No property management",
  no_sunk_staff: "No sunk staff",
  no_pairing: "Community without pairing",
  no_registered_members: "Community without checked-in members",
  five_haves_missing: "Five haves not met",
};

// Figures that are rates (fractions 0-1) and ratios shown as plain numbers; the rest are counts.
const RATE_FIGURES = new Set(["urbanisation_rate", "station_coverage_rate", "state_fallback_fee_collection_rate"]);
const RATIO_FIGURES = new Set(["community_workers_per_10k", "working_groups_per_leadership_group"]);

export function figureKind(code) {
  if (RATE_FIGURES.has(code)) return "rate";
  if (RATIO_FIGURES.has(code)) return "float";
  return "int";
}

// zh: the published table's label when the API has one (it answers the code otherwise), else ours.
export function figureName(figure, t) {
  const ours = FIGURE_NAMES[figure.code];
  const zh = figure.label && figure.label !== figure.code ? figure.label : ours ? ours.zh : figure.code;
  return t(zh, ours ? ours.en : figure.code);
}

export function gapName(gap, t) {
  return t(gap.label, GAP_NAMES_EN[gap.code] || gap.code);
}

// good/bad against a figure's minimum (the API's CoverageFigure.minimum); no colour without one.
export function againstMinimum(value, minimum) {
  if (minimum === null || minimum === undefined || value === null || value === undefined) return null;
  return value >= minimum ? "good" : "bad";
}
