"""The stages that build the demo city, in the order ``seed.heze.generate`` runs them."""
