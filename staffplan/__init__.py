"""staffplan: staffing plans for police stations and community posts under written rules.

The small API the command line is built on::

    from staffplan import load_scenario, make_plan, check
    scenario = load_scenario("examples/lianyungang/scenario.yaml")
    result = make_plan(scenario)          # solve, choose officers, re-check
    report = check(scenario)              # judge the current roster

Each name is imported on first use: ``import staffplan`` loads nothing else, so the
``staffplan`` command answers Ctrl-C from its first moment (see ``staffplan.entry``) and
``staffplan check`` never loads the solver.
"""

import sys
import types

__version__ = "0.1.0"
__all__ = ["check", "load_scenario", "make_plan", "__version__"]


class _Package(types.ModuleType):
    """``staffplan.check`` is the API's function, though a submodule has the same name: the
    import system's setting of the submodule here is ignored (the module stays in
    ``sys.modules["staffplan.check"]``)."""

    @property
    def check(self):
        from staffplan.check import check

        return check

    @check.setter
    def check(self, module) -> None:
        pass


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str):
    if name == "load_scenario":
        from staffplan.io.roster import load_scenario

        return load_scenario
    if name == "make_plan":
        from staffplan.plan import make_plan

        return make_plan
    raise AttributeError(f"module 'staffplan' has no attribute {name!r}")
