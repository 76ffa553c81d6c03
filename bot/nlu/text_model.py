"""A text classifier on character and word TF-IDF features, shared by the intent and emotion components."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union
from sklearn.svm import LinearSVC

Ranking = list[tuple[str, float]]


FEATURE_SETS = ("char_word", "word")


def tfidf_features(features: str = "char_word") -> object:
    """Character n-grams (robust to typos and SMS spelling) plus words, bigrams and !/? runs.

    `word` gives the plain word TF-IDF of the comparison baseline.
    """
    if features == "word":
        return TfidfVectorizer(analyzer="word")
    if features != "char_word":
        raise ValueError(f"Unknown feature set {features!r} ({' or '.join(FEATURE_SETS)})")
    return make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b|[!?]+|[^\w\s]"
        ),
    )


def build_pipeline(algorithm: str, c: float, balanced: bool = False, features: str = "char_word") -> Pipeline:
    weights = "balanced" if balanced else None
    if algorithm == "logistic_regression":
        classifier = LogisticRegression(C=c, max_iter=3000, class_weight=weights)
    elif algorithm == "svm":
        classifier = CalibratedClassifierCV(LinearSVC(C=c, class_weight=weights), cv=3)
    else:
        raise ValueError(f"Unknown algorithm {algorithm!r} (logistic_regression or svm)")
    return make_pipeline(tfidf_features(features), classifier)


class TextModel:
    """Fits labelled texts; ranks every label with a probability for new texts."""

    def __init__(
        self,
        algorithm: str = "logistic_regression",
        c: float = 5.0,
        balanced: bool = False,
        features: str = "char_word",
    ) -> None:
        self.pipeline = build_pipeline(algorithm, c, balanced, features)

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> TextModel:
        self.pipeline.fit(list(texts), np.asarray(labels))
        return self

    @property
    def labels(self) -> list[str]:
        return [str(label) for label in self.pipeline.classes_]

    def rank(self, texts: Sequence[str]) -> list[Ranking]:
        """For each text, every label with its probability, most likely first."""
        if not texts:
            return []
        probabilities = self.pipeline.predict_proba(list(texts))
        labels = self.labels
        return [[(labels[i], float(row[i])) for i in np.argsort(-row)] for row in probabilities]
