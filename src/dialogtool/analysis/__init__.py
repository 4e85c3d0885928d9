"""Stage 3: what the coded notes say — theme tables, co-occurrence, evaluation, quotes, kwic, comparisons."""
