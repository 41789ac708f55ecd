// fragment live_area(a)
// An area exists on $as_of unless it was abolished on or before that day.
(a.abolished IS NULL OR a.abolished > $as_of)
