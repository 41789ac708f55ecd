// fragment name_contains(n)
// $name is normalised by the caller (NFKC, lower case).
lower(n.name) CONTAINS $name
