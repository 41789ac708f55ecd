// How many organisations match (the same WHERE as api_organizations).
MATCH (o:Organization)
WHERE ($kind = '' OR o.kind = $kind)
  AND ($unit_type = '' OR o.unit_type = $unit_type)
  AND ($name = '' OR lower(o.name) CONTAINS $name)
  // The area filter arrives as candidate ids (api_organizations_in_area).
  AND ($use_keep = false OR o.id IN $keep_ids)
  AND (o.dissolved IS NULL OR $include_dissolved)
RETURN count(o) AS total
