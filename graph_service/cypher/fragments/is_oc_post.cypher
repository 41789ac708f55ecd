// fragment is_oc_post(o, m)
// The post m in the organisation o is a current post ($oc_posts) in a live owners' committee.
({{live_owners_committee(o)}} AND m.post IN $oc_posts AND {{in_force(m)}})
