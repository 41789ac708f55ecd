// fragment count_project_names
// How many Project names contain $text.
MATCH (n:Project) WHERE lower(n.name) CONTAINS $text RETURN count(n) AS total
