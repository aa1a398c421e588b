"""lexaug.feed."""
