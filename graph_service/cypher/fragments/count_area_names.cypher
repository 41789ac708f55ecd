// fragment count_area_names
// How many Area names contain $text.
MATCH (n:Area) WHERE lower(n.name) CONTAINS $text RETURN count(n) AS total
