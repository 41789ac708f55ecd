// fragment compound_households(c)
// The households recorded on the compound itself.
c.households
