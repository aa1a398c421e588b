"""lexaug.filters."""
