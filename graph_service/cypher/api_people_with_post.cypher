// People holding (or having held) a post anywhere (candidate ids for api_people).
MATCH (p:Person)-[m:MEMBER_OF]->(:Organization)
WHERE m.post = $post AND ($current = false OR m.end_date IS NULL OR m.end_date >= $today)
RETURN DISTINCT p.id AS id
