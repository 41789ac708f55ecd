// fragment person_here(p)
// A person still counts on $as_of unless they left (moved away, died) on or before that day: the analyses'
// "departed people do not count".
(p.left_on IS NULL OR p.left_on > $as_of)
