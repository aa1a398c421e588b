"""lexaug.generators."""
