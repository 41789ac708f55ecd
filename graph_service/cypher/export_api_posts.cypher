// The posts (organisation, post) that anyone has held: Popolo Posts.
MATCH (:Person)-[m:MEMBER_OF]->(o:Organization)
RETURN DISTINCT o.id AS organization_id, o.name AS organization_name, m.post AS post
ORDER BY organization_id, post
