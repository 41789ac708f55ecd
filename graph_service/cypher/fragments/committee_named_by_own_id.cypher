// fragment committee_named_by_own_id(c)
// A link filter's communityId (LinkFilter.community_id) names a community committee by its own id, or (the other
// fragment, committee_named_by_area_id) names the community (area) the committee leads. A pattern, not a
// predicate: the pairings and check-ins of a community are read from its committee outwards (a primary-key
// lookup), one UNION branch per form; filtering every link by "either form" took 5-20 times as long on LadybugDB.
(c:Organization {id: $community})
