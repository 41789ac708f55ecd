// registrations_of_community of one kind of registrant, __registrant__: Organization (units' Party organisations) or
// Person (in-service members). The label in the pattern, rather than a filter on an unlabelled node, took LadybugDB
// from 4 ms to 1 ms (it no longer reads every table a check-in may come from).
MATCH {{committee_named_by_own_id(c)}}<-[r:REGISTERED_WITH]-(x:__registrant__)
WHERE true {{filters(x, r, c)}}
RETURN r, x, c
UNION ALL
MATCH {{committee_named_by_area_id(c)}}<-[r:REGISTERED_WITH]-(x:__registrant__)
WHERE true {{filters(x, r, c)}}
RETURN r, x, c
