"""lexaug.engines."""
