"""Plain helpers for the semantic-label tests: corpus fragments as the
diverse score engine labels them (decorated, in many keys)."""
import random
from collections import Counter
from functools import lru_cache
from typing import Dict, List

#: Small corpus files with rests, dots, ties, both clefs, 3/4 and 4/4.
FILES = ('mozart/k80/movement1.mxl', 'bach/bwv1.6.mxl')


@lru_cache(maxsize=1)
def corpus_fragments() -> List[Dict]:
    """Fragments of :data:`FILES`, each decorated (C/cut meters, double,
    end and repeat barlines) and moved to a key of -7..7 in turn."""
    from omr import fragments as F
    from omr.decorate import decorate
    from omr.transpose import transpose_fragment
    out = []
    for relpath in FILES:
        frags = F.file_fragments(F.parse_file(relpath), 0, Counter())
        for i, frag in enumerate(frags):
            rng = random.Random(i)
            moved = transpose_fragment(frag, i % 15 - 7)
            out.append(decorate(moved or frag, rng, rate=2.0))
    return out
