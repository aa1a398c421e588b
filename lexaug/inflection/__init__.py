"""lexaug.inflection."""
