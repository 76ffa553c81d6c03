"""The date relative dates are resolved against: today, or `AMIABLE_TODAY` (AAAA-MM-JJ) for evaluations."""

from __future__ import annotations

import os
from datetime import date


def reference_date() -> date:
    configured = os.environ.get("AMIABLE_TODAY", "").strip()
    return date.fromisoformat(configured) if configured else date.today()
