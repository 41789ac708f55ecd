// fragment in_force(r)
// A dated relationship (post, pairing, check-in, sinking, management) is in force on $as_of when it has started
// (or has no start) and has not ended before that day: end_date is its last day (Popolo). The analyses' Python
// twin is analysis.common.is_current; a test keeps the two equal.
((r.start_date IS NULL OR r.start_date <= $as_of) AND (r.end_date IS NULL OR r.end_date >= $as_of))
