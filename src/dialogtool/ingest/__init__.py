"""Stage 1: find note files, read and decode them, normalise the text, split it into segments, detect metadata."""
