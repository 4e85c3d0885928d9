"""Stage 2: the codebook and its pattern language, the matcher, and the `code` run that writes coded notes."""
