// Live compounds under the area and how many have each coverage gap (domain.gaps): the five-haves and station
// figures are compounds without the five_haves_missing and no_station gaps.
// Patterns start from the bound compound: LadybugDB then expands from it instead of scanning every organisation.
MATCH (:Area {id: $area_id})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound' AND {{live_area(c)}}
RETURN count(c) AS compounds,
{{compound_gap_counts(c)}}
