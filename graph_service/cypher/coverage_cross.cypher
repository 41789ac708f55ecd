// Cross-appointed people of the compounds under the area: a current Party post in a compound's live branch and
// a current post in its live owners' committee (compound_cross_appointed counts the same people per compound).
MATCH (:Area {id: $area_id})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound' AND {{live_area(c)}}
MATCH (c)<-[:LEADS]-(b:Organization)<-[m1:MEMBER_OF]-(p:Person)
WHERE {{is_branch_party_post(b, m1)}} AND {{holds_oc_post(p, c)}}
RETURN count(DISTINCT p.id) AS cross_appointed_persons
