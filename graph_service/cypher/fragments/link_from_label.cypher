// fragment link_from_label(s, r, t)
// The source node's label is $label (Person or Organization).
$label IN labels(s)
