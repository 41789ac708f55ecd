MATCH (o:Organization {id: $id})
RETURN o.name AS name, o.has_plaque AS has_plaque, o.founded AS founded, o.dissolved AS dissolved,
       o.five_haves AS five_haves, o.capacity AS capacity
