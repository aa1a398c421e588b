"""lexaug: synthetic training data for low-resource languages from bilingual lexicons and UniMorph tables.

Importing this package is cheap: torch, transformers and fasttext are imported only where they are used.
"""

__version__ = "0.1.0"

from lexaug.errors import ChecksumError, FormatError, LexaugError, ResourceError

__all__ = ["__version__", "LexaugError", "FormatError", "ResourceError", "ChecksumError"]
