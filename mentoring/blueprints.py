from __future__ import annotations

DEFAULT_GUIDELINES = [
    "Work at the pace of the partner",
    "Share personal experiences from doing the same activities",
    "Share learning, failures and successes",
]
