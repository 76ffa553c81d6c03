"""The spaCy pipeline is loaded once per process, ahead of time when a server warms it up."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from bot.listening import nlp


def test_warm_up_and_concurrent_first_uses_load_the_model_once() -> None:
    thread = nlp.warm_up()
    with ThreadPoolExecutor(max_workers=4) as pool:
        loaded = list(pool.map(lambda _: nlp.french(), range(4)))
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert all(model is loaded[0] for model in loaded) and nlp.french() is loaded[0]
    assert nlp._load.cache_info().misses == 1
    assert "ner" not in loaded[0].pipe_names
