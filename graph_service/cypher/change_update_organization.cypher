// Write every property of one Organization (the service passes the merged old and new values) and the derived name_key.
MATCH (n:Organization {id: $id})
SET n.kind = $kind,
    n.name = $name,
    n.name_key = $name_key,
    n.unit_type = $unit_type,
    n.founded = $founded,
    n.dissolved = $dissolved,
    n.has_plaque = $has_plaque,
    n.five_haves = $five_haves,
    n.capacity = $capacity,
    n.problems_solved = $problems_solved,
    n.topic = $topic,
    n.households_served = $households_served,
    n.flags = $flags,
    n.flag_evidence = $flag_evidence,
    n.term_start = $term_start,
    n.term_years = $term_years
RETURN n
