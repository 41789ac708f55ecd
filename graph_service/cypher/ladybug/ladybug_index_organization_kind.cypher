// Every organisation's kind and id: what the embedded store's index of organisations by kind is built from.
MATCH (o:Organization)
RETURN o.kind AS value, o.id AS id
