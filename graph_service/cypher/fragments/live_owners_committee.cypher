// fragment live_owners_committee(o)
// A live owners' committee.
(o.kind = 'owners_committee' AND {{live_org(o)}})
