"""Regenerate the bundled example (a synthetic city, seeded): python examples/lianyungang/generate.py

Shaped by the Lianyungang article (Legal Daily, 2021; docs/glossary.md): three counties and three districts, 630
community posts whose establishment is 726 community officers; the roster is the situation
before the reform. A test checks that the committed files are exactly what this writes.
"""

from pathlib import Path

from staffplan.generate import write_instance

EXAMPLE = {"officers": 2950, "seed": 2021, "posts": 630, "community_officers": 726,
           "name": "Lianyungang 2021 (synthetic)",
           # Daytime duty: an urban station keeps 7 at the station itself, a district's busy
           # centre station 8; a rural station 14 with its posts' officers counted.
           "duty": {"urban": 7, "rural": 14, "centre": 8},
           # Three yearly steps, 2019-06-30 to 2021-06-30: the roster is the one of 2019,
           # recruits arrive each year, some officers leave (horizon.yaml plans them together).
           "steps": 3}

if __name__ == "__main__":
    for path in write_instance(Path(__file__).resolve().parent, **EXAMPLE):
        print(path)
