// Projection: every organisation with its properties, one bulk read.
MATCH (n:Organization)
WHERE true {{filters(n)}}
RETURN n.id AS id, n.kind AS kind, n.name AS name, n.unit_type AS unit_type, n.founded AS founded,
       n.dissolved AS dissolved, n.has_plaque AS has_plaque, n.five_haves AS five_haves, n.capacity AS capacity,
       n.problems_solved AS problems_solved, n.topic AS topic, n.households_served AS households_served,
       n.flags AS flags, n.flag_evidence AS flag_evidence, n.term_start AS term_start, n.term_years AS term_years
