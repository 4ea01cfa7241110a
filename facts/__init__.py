"""What the stored claims say: which mentions are one fact, and which facts contradict.

Pure and clock-free, like ``extractors/``: plain dataclasses in, decisions out, no SQL. The
store loads one ``(subject, metric)`` bucket (a whole and all its parts, see
:mod:`facts.parts`), hands it to :func:`decide`, and saves what comes back.

- :mod:`facts.intervals`: what values a figure allows, how far apart two figures are.
- :mod:`facts.parts`: which figures of a part are its whole's.
- :mod:`facts.groups`: mentions of one fact merged into a group with one value.
- :mod:`facts.contradictions`: which group pairs contradict, their kind, gap and explanation.
"""

from facts.bucket import Bucket, BucketFacts, decide
from facts.contradictions import Contradiction
from facts.groups import Group, GroupValue, Mention
from facts.parts import Node

__all__ = ["Bucket", "BucketFacts", "Contradiction", "Group", "GroupValue", "Mention", "Node", "decide"]
