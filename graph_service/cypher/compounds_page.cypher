// A page of compounds (filters: fragments over c), by name (natural order: its sort key, then the name) or
// households, ties by id.
MATCH (c:Area)
WHERE c.level = 'compound' {{filters(c)}}
RETURN c
{{compound_page_order(c)}}
