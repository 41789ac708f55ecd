// fragment is_branch_party_post(b, m)
// The post m in the organisation b is a current Party post ($party_posts) in a live compound branch.
({{live_branch(b)}} AND {{is_party_post(m)}})
