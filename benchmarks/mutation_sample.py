"""`make mutate` over a random sample of handbook/'s mutants: `MUTATE_SAMPLE=500 make mutate`.

A run over all of them takes many hours on a 2-core machine. A uniform random sample, drawn after mutmut
has generated the mutants of the code as it is, estimates the package's score with a known error
(`mutation_table.py` prints it with its 95% interval). Every sampled mutant is run again, whatever an
earlier run found, so the estimate is of today's tests. The seed (`MUTATE_SEED`) makes a sample
repeatable; a new seed gives a sample the tests were not written against.

The names are chosen inside mutmut's own run: they do not exist before it has generated the mutants.
"""

from __future__ import annotations

import json
import os
import random
import sys
from pathlib import Path

import mutmut.__main__ as mutmut_main

SAMPLE_FILE = Path("mutants/sample.json")


def all_mutant_names(folder: Path = Path("mutants/handbook")) -> list[str]:
    return sorted(name for meta in folder.glob("*.py.meta")
                  for name in json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])


def draw(names: list[str], size: int, seed: int) -> list[str]:
    return sorted(random.Random(seed).sample(names, min(size, len(names))))


def main(size: int, seed: int, jobs: int) -> None:
    chosen: list[str] = []
    generate = mutmut_main.create_mutants

    def generate_then_draw(max_children):
        stats = generate(max_children)
        names = all_mutant_names()
        chosen.extend(draw(names, size, seed))
        SAMPLE_FILE.write_text(json.dumps({"seed": seed, "population": len(names), "mutants": chosen},
                                          indent=1), encoding="utf-8")
        return stats

    # mutmut reads the list it is given after generating; filled in place, it then runs exactly these.
    mutmut_main.create_mutants = generate_then_draw
    mutmut_main._run(chosen, jobs)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(os.environ.get("MUTATE_SEED", "1")), int(os.environ.get("MUTATE_JOBS", "2")))
