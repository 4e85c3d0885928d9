"""The coded note on disk: its YAML layout, reading and writing it, reviews, and the folder's caches."""
