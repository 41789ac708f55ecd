// fragment link_from_label(s, r, t)
// LadybugDB: an unlabelled node spans every table and label(x) names the one it is in.
label(s) = $label
