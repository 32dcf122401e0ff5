"""Shared, tested logic behind the news-corpus notebooks.

Modules:

- :mod:`utils.paths`: the one place that knows where data, caches and reports live;
- :mod:`utils.resources`: offline language resources (Punkt parameters, stopwords, VADER lexicon,
  the VADER paper's human-rated data);
- :mod:`utils.text`: sentence splitting and word tokenization with character offsets;
- :mod:`utils.corpus`: ``load_corpus`` for folders of ``.txt`` articles, tables and built-in
  corpora;
- :mod:`utils.stats`: corpus statistics shown by ``notebooks/01_corpus.ipynb``;
- :mod:`utils.plots`: labelled plots shared by the notebooks;
- :mod:`utils.analyze`: the main job (``python -m utils.analyze CORPUS``).
"""

__version__ = "0.1.0"
