"""The case journal: what mattered in each conversation, recorded on the case with personal data masked.

Entry point: `Journal(store).record(...)`. Agreements, disputes, complaints and hand-overs are journalled by
the case store itself when it writes them; this records the debtor's turns (intent, emotion, masked text),
proposals and verifications.
"""

from bot.journal.masking import mask
from bot.journal.writer import Journal, JournalKind

__all__ = ["Journal", "JournalKind", "mask"]
