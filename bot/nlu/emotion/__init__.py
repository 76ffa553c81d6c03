"""Emotion of a debtor's message (see `component.EmotionClassifier`)."""

EMOTIONS = ("neutre", "colere", "anxiete", "tristesse", "honte", "confusion", "mefiance", "soulagement")
