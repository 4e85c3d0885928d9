"""The peer `code` is measured against: the pipeline a Python user would write with spaCy.

    python bench/peer.py NOTES_FOLDER TERMS_FILE

spaCy's blank Norwegian tokenizer, simplemma's Bokmål lemma for every token (cached per
distinct word, as a careful user would), and a PhraseMatcher on lemmas holding the
codebook's literal words (also lemmatized). It reads every note, matches, and prints the
number of matches; it does none of what `code` does besides (decoding checks, repairs,
segments, metadata, context rules, YAML, incremental fingerprints). Run as a whole
process, like `code`, so its imports and simplemma's table loading count too.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import simplemma
import spacy
from spacy.matcher import PhraseMatcher


def main() -> None:
    folder, terms_file = Path(sys.argv[1]), Path(sys.argv[2])
    nlp = spacy.blank("nb")

    @cache
    def lemma(word: str) -> str:
        return simplemma.lemmatize(word, lang="nb").lower() if word.isalpha() else word

    def lemmatized(doc: spacy.tokens.Doc) -> spacy.tokens.Doc:
        for token in doc:
            token.lemma_ = lemma(token.lower_)
        return doc

    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    terms = [t for t in terms_file.read_text(encoding="utf-8").split("\n") if t]
    matcher.add("TERMS", [lemmatized(nlp.make_doc(t)) for t in terms])
    texts = (p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt")))
    found = 0
    for doc in nlp.pipe(texts, batch_size=64):
        found += len(matcher(lemmatized(doc)))
    print(found)


if __name__ == "__main__":
    main()
