// Every pairing with the community committee(s) that $community names (pairings_page with the community filter),
// unordered: the caller sorts them as pairings_page does and cuts the page (a community has tens of pairings, and
// reading them all makes the count free). A link reached by both branches is one pairing (the caller keeps one).
MATCH {{committee_named_by_own_id(c)}}<-[r:PAIRED_WITH]-(u:Organization)
WHERE true {{filters(u, r, c)}}
RETURN r, u, c
UNION ALL
MATCH {{committee_named_by_area_id(c)}}<-[r:PAIRED_WITH]-(u:Organization)
WHERE true {{filters(u, r, c)}}
RETURN r, u, c
