// fragment org_of_kind(o)
o.kind = $kind
