// A page of organisations by kind, unit type, name and the area they lead, sit in, serve or cover.
MATCH (o:Organization)
WHERE ($kind = '' OR o.kind = $kind)
  AND ($unit_type = '' OR o.unit_type = $unit_type)
  AND ($name = '' OR lower(o.name) CONTAINS $name)
  // The area filter arrives as candidate ids (api_organizations_in_area).
  AND ($use_keep = false OR o.id IN $keep_ids)
  AND (o.dissolved IS NULL OR $include_dissolved)
RETURN o
ORDER BY o.name, o.id
SKIP $offset LIMIT $limit
