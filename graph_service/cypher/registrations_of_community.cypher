// Every check-in with the community committee(s) that $community names (registrations_page with the community
// filter), unordered: see pairings_of_community.
MATCH {{committee_named_by_own_id(c)}}<-[r:REGISTERED_WITH]-(x)
WHERE true {{filters(x, r, c)}}
RETURN r, x, c
UNION ALL
MATCH {{committee_named_by_area_id(c)}}<-[r:REGISTERED_WITH]-(x)
WHERE true {{filters(x, r, c)}}
RETURN r, x, c
