"""The news scorer (engine ``"news"``): placeholder until the model is trained."""

from __future__ import annotations

from utils.sentiment.linear import MODELS_DIR

NEWS_MODEL_FILE = MODELS_DIR / "news_scorer.npz"
