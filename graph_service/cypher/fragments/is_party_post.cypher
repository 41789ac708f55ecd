// fragment is_party_post(m)
// The post m is a current Party post ($party_posts), whatever organisation holds it.
(m.post IN $party_posts AND {{in_force(m)}})
