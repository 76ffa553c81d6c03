"""A fingerprint of the NLU code, so that Rasa retrains our components when their code changes.

Rasa caches a component's training by its config and data; code changes would otherwise be ignored
(and a model pickled by old code could be reused by new code).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

NLU_PACKAGE = Path(__file__).parent


@lru_cache(maxsize=1)
def nlu_code_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(NLU_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(NLU_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


class FingerprintedByNluCode:
    """Mixin for our Rasa components: their cached training is invalidated when the NLU code changes."""

    @classmethod
    def fingerprint_addon(cls, config: dict) -> str:
        return nlu_code_fingerprint()
