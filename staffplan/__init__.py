"""staffplan: staffing plans for police stations and community posts under written rules.

The small API the command line is built on::

    from staffplan import load_scenario, make_plan, check
    scenario = load_scenario("examples/lianyungang/scenario.yaml")
    result = make_plan(scenario)          # solve, choose officers, re-check
    report = check(scenario)              # judge the current roster
"""

__version__ = "0.1.0"

from staffplan.check import check  # noqa: E402
from staffplan.io.roster import load_scenario  # noqa: E402
from staffplan.plan import make_plan  # noqa: E402

__all__ = ["check", "load_scenario", "make_plan", "__version__"]
