// fragment meets_five_haves(o)
// The organisation hangs a plaque and meets all five haves (挂牌 + 五有: $five_haves lists them).
(o.has_plaque = true AND size(o.five_haves) >= size($five_haves) AND all(x IN $five_haves WHERE x IN o.five_haves))
