// People holding (or having held) a post in one organisation (candidate ids for api_people).
MATCH (:Organization {id: $organization})<-[m:MEMBER_OF]-(p:Person)
WHERE ($post = '' OR m.post = $post) AND ($current = false OR m.end_date IS NULL OR m.end_date >= $today)
RETURN DISTINCT p.id AS id
