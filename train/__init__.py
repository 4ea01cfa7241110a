"""Reproducible training of veille's small learned deciders (``make train``).

Each module trains one decider on the annotated gold and writes a small JSON file under
``extractors/models/`` that the extractor loads at start-up: ``python -m train.subjects``.
"""
