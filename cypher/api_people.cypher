// A page of people by name, employment, membership, post, organisation and where they live.
MATCH (p:Person)
WHERE ($name = '' OR lower(p.name) CONTAINS $name)
  AND ($employment = '' OR p.employment = $employment)
  AND ($party = 0 OR ($party = 1) = coalesce(p.is_party_member, false))
  AND ($post = '' AND $organization = '' OR EXISTS {
        MATCH (p)-[m:MEMBER_OF]->(o:Organization)
        WHERE ($post = '' OR m.post = $post) AND ($organization = '' OR o.id = $organization)
          AND ($current = false OR m.end_date IS NULL OR m.end_date >= $today) })
  AND ($area = '' OR EXISTS { MATCH (p)-[:RESIDES_IN]->(x:Area) WHERE x.id = $area OR EXISTS { MATCH (x)-[:PART_OF*1..5]->(:Area {id: $area}) } })
  AND (p.left_on IS NULL OR $include_left)
RETURN p
ORDER BY p.id
SKIP $offset LIMIT $limit
