// fragment org_not_dissolved(o)
o.dissolved IS NULL
