// Bulk path of Neo4jStore.bulk_load_rels: rows are {src, dst, props}; the count lets the adapter refuse a
// batch where an endpoint is missing (MATCH would drop that row silently).
UNWIND $rows AS row
MATCH (a:__src__ {id: row.src})
MATCH (b:__dst__ {id: row.dst})
CREATE (a)-[r:__rel__]->(b)
SET r = row.props
RETURN count(r) AS created
