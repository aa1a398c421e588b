"""Resource loaders: one module per format (lexicon, unimorph, sigmorphon). Import from the modules."""
