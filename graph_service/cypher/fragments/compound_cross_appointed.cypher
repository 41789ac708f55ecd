// fragment compound_cross_appointed(c)
// Cross-appointed people (交叉任职): a current Party post ($party_posts) in a live branch leading the compound and
// a current post in a live owners' committee located in it. Counted by their Party posts, which are one per
// person and organisation at a time (a domain rule). People who have left do not count.
COUNT {
  MATCH (c)<-[:LEADS]-(x_branch:Organization)<-[x_post:MEMBER_OF]-(x_person:Person)
  WHERE {{is_branch_party_post(x_branch, x_post)}} AND {{person_here(x_person)}} AND {{holds_oc_post(x_person, c)}}
}
