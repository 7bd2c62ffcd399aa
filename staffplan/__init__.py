"""staffplan: staffing plans for police stations and community posts under written rules.

The small API the command line is built on::

    from staffplan import load_scenario, make_plan, check
    scenario = load_scenario("examples/lianyungang/scenario.yaml")
    result = make_plan(scenario)          # solve, choose officers, re-check
    report = check(scenario)              # judge the current roster

Each is imported on first use: ``staffplan check`` does not load the solver, and the command
starts (and answers Ctrl-C) before anything heavy is imported.
"""

__version__ = "0.1.0"

__all__ = ["check", "load_scenario", "make_plan", "__version__"]


def __getattr__(name: str):
    if name == "make_plan":
        from staffplan.plan import make_plan

        return make_plan
    if name == "check":
        from staffplan.check import check

        return check
    if name == "load_scenario":
        from staffplan.io.roster import load_scenario

        return load_scenario
    raise AttributeError(f"module 'staffplan' has no attribute {name!r}")
