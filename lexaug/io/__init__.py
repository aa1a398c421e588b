"""lexaug.io."""
