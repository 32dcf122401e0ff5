"""Corpus-level tables read from a results store (:mod:`utils.results`): reductions whose
memory grows with their result (vocabulary, speakers, groups), not with the number of articles.

- :mod:`utils.tables.resampling`: bootstrap intervals from histograms.
"""
