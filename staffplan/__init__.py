"""staffplan: staffing plans for police stations and community posts under written rules.

The small API the command line is built on::

    from staffplan import load_scenario, make_plan, check
    scenario = load_scenario("examples/lianyungang/scenario.yaml")
    result = make_plan(scenario)          # solve, choose officers, re-check
    report = check(scenario)              # judge the current roster

``make_plan`` is imported on first use, so ``staffplan check`` does not load the solver.
"""

__version__ = "0.1.0"

from staffplan.check import check  # noqa: E402
from staffplan.io.roster import load_scenario  # noqa: E402

__all__ = ["check", "load_scenario", "make_plan", "__version__"]


def __getattr__(name: str):
    if name == "make_plan":
        from staffplan.plan import make_plan

        return make_plan
    raise AttributeError(f"module 'staffplan' has no attribute {name!r}")
