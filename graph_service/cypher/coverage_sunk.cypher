// Distinct people (not gone) currently sunk to live compounds under the area: two-committees members, and
// other staff.
MATCH (a:Area {id: $area_id})<-[:PART_OF*0..4]-(c:Area)
WHERE c.level = 'compound' AND {{live_area(c)}}
MATCH (c)<-[s:SUNK_TO]-(p:Person)
WHERE {{in_force(s)}} AND {{person_here(p)}}
RETURN count(DISTINCT CASE WHEN s.role = 'two_committees_member' THEN p.id END) AS sunk_two_committees_members,
       count(DISTINCT CASE WHEN s.role IN $staff_roles THEN p.id END) AS sunk_staff
