// fragment live_org(o)
// An organisation is live on $as_of unless it was dissolved on or before that day (a later dissolution date is
// a plan: the organisation still works until then).
(o.dissolved IS NULL OR o.dissolved > $as_of)
