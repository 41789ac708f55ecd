// fragment count_person_names
// How many Person names contain $text.
MATCH (n:Person) WHERE lower(n.name) CONTAINS $text RETURN count(n) AS total
