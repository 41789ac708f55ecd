"""GraphQL object types of the domain, one module per family; each has ``from_row`` for store rows."""
