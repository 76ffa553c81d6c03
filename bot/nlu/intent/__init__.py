"""Intent classification of debtor messages."""
