"""How many examples the slow property tests (marker ``slow``, CPython only) try.

``make test`` runs 2,000 per property (one fifth of that for the few whose examples are large documents): about
six minutes of the run on a 2-core machine. ``NC_PROPERTY_EXAMPLES=10000 make test-py`` is the thorough run
(about half an hour there) to do after changing a parser, the storage format or a generator.
"""

from __future__ import annotations

import os

MANY = max(1, int(os.environ.get("NC_PROPERTY_EXAMPLES", "2000")))
FEWER = max(1, MANY // 5)
