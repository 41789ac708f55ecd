// A page of people by name, employment, membership, post, organisation and where they live.
MATCH (p:Person)
WHERE ($name = '' OR lower(p.name) CONTAINS $name)
  AND ($employment = '' OR p.employment = $employment)
  AND ($party = 0 OR ($party = 1) = coalesce(p.is_party_member, false))
  // Post, organisation and area filters arrive as candidate ids (api_people_in_* queries): LadybugDB evaluates
  // every branch of an OR, so subqueries here would run for every person even when their filter is off.
  AND ($use_keep = false OR p.id IN $keep_ids)
  AND (p.left_on IS NULL OR $include_left)
RETURN p
ORDER BY p.id
SKIP $offset LIMIT $limit
