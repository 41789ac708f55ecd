// fragment live_branch(b)
// A live compound Party branch.
(b.kind = 'compound_branch' AND {{live_org(b)}})
