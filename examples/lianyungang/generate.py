"""Regenerate the bundled example (a synthetic city, seeded): units.csv, officers.csv and
scenario.yaml beside this script.

    python examples/lianyungang/generate.py            # rewrites the example's files
    python examples/lianyungang/generate.py --out DIR  # writes them to DIR instead

Shaped by the Lianyungang article (Legal Daily, 2021; docs/glossary.md): three counties
and three districts, 630 community posts whose establishment is 726 community officers; the
roster is the situation before the reform. A test checks that the committed files are
exactly what this writes.
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



def main(argv=None) -> None:
    import argparse
    import textwrap

    head, _, rest = __doc__.partition("\n\n")
    parser = argparse.ArgumentParser(description=textwrap.fill(" ".join(head.split()), 79),
                                     epilog=textwrap.dedent(rest).strip("\n"),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        metavar="DIR", help="folder to write to (default: beside this script)")
    args = parser.parse_args(argv)
    for path in write_instance(args.out, **EXAMPLE):
        print(path)


if __name__ == "__main__":
    main()
