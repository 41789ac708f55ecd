// Projection: property management of compounds, with mode, dates and fee collection.
MATCH (a)-[r:MANAGES]->(b)
WHERE true {{filters(r)}}
RETURN a.id AS source, b.id AS target, r.id AS id, r.mode AS mode, r.start_date AS start_date,
       r.end_date AS end_date, r.fee_collection_rate AS fee_collection_rate, r.serve_first AS serve_first
