"""Promotions and appointments under the reform's fourth principle, 干部从基层出 ("leaders come
from the grass roots"): a round's rank promotions and leadership appointments, planned by an
integer program (``model``, ``plan``) and judged by an independent checker (``check``).

- ``config``: the scenario's ``promotions:`` section;
- ``history``: the round as plain data (postings, ranks, slots; no solver);
- ``experience``: the model's arithmetic of years (sort-and-sweep over numpy arrays);
- ``model``, ``plan``, ``diagnose``: the integer program, its staged solve, why a round is
  impossible;
- ``check``: the checker (its own arithmetic, in ``staffplan.rules._promotion``);
- ``report``, ``html``, ``formats``, ``explain``: what people and CI see.

The rules themselves live in ``staffplan/rules/`` (``staffplan.rules.PROMOTION_MODULES``).
"""
