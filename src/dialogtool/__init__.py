"""dialogtool: code notes from dialogue meetings against a codebook of themes."""

__version__ = "0.1.0"
