// fragment is_oc_post(o, m)
// The post m in the organisation o is a current post ($oc_posts) in a live owners' committee.
(o.kind = 'owners_committee' AND {{live_org(o)}} AND m.post IN $oc_posts AND {{in_force(m)}})
