// fragment count_organization_names
// How many Organization names contain $text.
MATCH (n:Organization) WHERE lower(n.name) CONTAINS $text RETURN count(n) AS total
