"""Corpus-level tables read from a results store (:mod:`utils.results`): reductions whose
memory grows with their result (vocabulary, speakers, groups), not with the number of articles.
Each equals the in-memory function of the same name on the corpus frame.

- :mod:`utils.tables.overview`: corpus size, lengths, articles per source and month
  (:mod:`utils.stats` in memory);
- :mod:`utils.tables.words`: term counts, collocations, TF-IDF, keyness, terms over time,
  concordance (:mod:`utils.frequencies`);
- :mod:`utils.tables.tone`: sentiment summaries, histograms, position profile, tone by group,
  driving words, quoted vs authorial (:mod:`utils.sentiment`);
- :mod:`utils.tables.sources`: attributions by kind, most cited, source types, sourcing by
  group, co-citation (:mod:`utils.attribution`);
- :mod:`utils.tables.comparison`: groups side by side (:mod:`utils.compare`);
- :mod:`utils.tables.resampling`: bootstrap intervals from histograms.

Each module also gives the numbers of its section of the report (``*_summary``).
"""
