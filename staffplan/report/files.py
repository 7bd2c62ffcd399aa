"""What a plan or a check looks like to machines and spreadsheets: CSV and JSON files.

Every figure comes from the checker's report, never from the model.
"""

from __future__ import annotations

import json
from fractions import Fraction

from staffplan import __version__
from staffplan.domain import Scenario
from staffplan.io.excel_csv import write_rows
from staffplan.results import BureauFigures, CheckReport, PlanResult

ASSIGNMENT_COLUMNS = ["date", "officer_id", "officer_name", "from_unit", "to_unit", "moved",
                      "reason"]


def pct(x: Fraction | float | None) -> str:
    return "n/a" if x is None else f"{float(x) * 100:.1f}%"


def met(value: Fraction | None, target: Fraction | None) -> bool | None:
    if target is None:
        return None
    return value is not None and value >= target


def assignment_rows(result: PlanResult):
    """One row per officer per step they are on the roster, by date then officer id: the
    unit before the step, after it, whether they moved and why."""
    for step in result.steps:
        date = step.date.isoformat()
        for o in sorted(step.scenario.officers, key=lambda o: o.id):
            to = step.final.get(o.id)
            moved = o.unit is not None and to != o.unit
            yield [date, o.id, o.name, o.unit or "", to or "", "true" if moved else "false",
                   step.reasons.get(o.id, "")]


def assignments_csv(result: PlanResult) -> str:
    """``assignments.csv``: one row per officer per step (a plan of one date has one date);
    for Excel (``staffplan.io.excel_csv``: BOM, no cell read as a formula)."""
    return write_rows(ASSIGNMENT_COLUMNS, assignment_rows(result))


def changed_csv(result: PlanResult) -> str:
    """``changed.csv`` (``plan --keep``): every decision of the published plan the new plan
    changes: the step, the officer, where the published plan put them, where this one does,
    and why."""
    reasons = {(s.date, o): s.reasons for s in result.steps for o in s.final}
    by_id = result.scenario.horizon.officer_by_id if result.scenario.horizon \
        else result.scenario.officer_by_id

    def rows():
        for date, oid, was, now in result.changed:
            yield [date.isoformat(), oid, by_id[oid].name, was or "", now or "",
                   reasons.get((date, oid), {}).get(oid, "")]

    return write_rows(["date", "officer_id", "officer_name", "published_to_unit", "to_unit",
                       "reason"], rows())


def bureau_dict(b: BureauFigures) -> dict:
    return {
        "bureau": b.bureau, "kind": b.kind, "force": b.force,
        "station_strength": b.station_strength,
        "station_share": _num(b.station_share), "station_target": _num(b.station_target),
        "station_met": met(b.station_share, b.station_target),
        "community_officers": b.community_officers,
        "community_share": _num(b.community_share), "community_target": _num(b.community_target),
        "community_met": met(b.community_share, b.community_target),
        "posts": b.posts, "posts_staffed": b.posts_staffed,
        "community_funds_yuan": b.community_funds, "funds_cap_yuan": b.funds_cap,
    }


def _num(x: Fraction | None) -> float | None:
    return None if x is None else round(float(x), 6)


def check_dict(report: CheckReport) -> dict:
    """The report as data; for a plan of several steps each finding names its step's date
    and ``steps`` gives each step's moves."""
    dates = report.dates

    def finding(v) -> dict:
        out = {"subject": v.subject, "message": v.message, "figures": v.figures}
        if len(dates) > 1:
            out["step"] = dates[v.step]
        return out

    data = {
        "mode": report.mode,
        "ok": report.ok,
        "violations": len(report.violations),
        "rules": [{
            "rule": r.rule, "label": r.label, "status": r.status, "checked": r.checked,
            "violations": [finding(v) for v in r.violations],
        } for r in report.results],
        "bureaus": [bureau_dict(b) for b in report.bureaus],
        "unplaced_recruits": report.unplaced_recruits,
        "warnings": len(report.warnings),
        "notices": len(report.notices),
        "approvals": len(report.approvals),
        "moves": report.moves,
        "moves_by_kind": report.moves_by_kind,
        "recruits_placed_by_kind": report.placed_by_kind,
    }
    if len(dates) > 1:
        data["steps"] = [{"date": d, "moves": r.moves, "violations": len(r.violations)}
                         for d, r in zip(dates, report.steps)]
    return data


def summary_dict(result: PlanResult, before: CheckReport) -> dict:
    o = result.outcome
    out = {
        "staffplan_version": __version__,
        "scenario": result.scenario.config.name,
        "plan_date": result.scenario.plan_date.isoformat(),
        "status": result.status.value,
        "proven_optimal": result.status.value == "optimal",
        "objective": result.moves,
        "bound": None if o is None or o.bound is None else round(o.bound, 6),
        "gap": None if o is None or o.gap is None else round(o.gap, 6),
        "conflicts": result.conflicts,
        "config": config_dict(result.scenario.config),
        "provenance": provenance_dict(result.scenario.provenance),
        "before": {"bureaus": [bureau_dict(b) for b in before.bureaus]},
        "budget": budget_dict(result.scenario, before, result.report),
    }
    if result.report is not None:
        steps = [s.report for s in result.steps] or [result.report]
        r = steps[-1]  # the plan's end: the last step
        by_kind: dict[str, int] = {}
        placed: dict[str, int] = {}
        for x in steps:
            for k, n in x.moves_by_kind.items():
                by_kind[k] = by_kind.get(k, 0) + n
            for k, n in x.placed_by_kind.items():
                placed[k] = placed.get(k, 0) + n
        out["moves"] = {"total": result.moves, "by_kind": by_kind}
        out["moves_by_step"] = [x.moves for x in steps]
        out["approvals"] = sum(len(x.approvals) for x in steps)
        out["recruits_placed"] = sum(placed.values())
        out["recruits_placed_by_kind"] = placed
        out["bureaus"] = [bureau_dict(b) for b in r.bureaus]
        out["rules"] = _rules(r)
        out["budget"] = budget_dict(result.scenario, before, r)
        if len(result.steps) > 1:
            out["steps"] = [step_dict(result.scenario, s) for s in result.steps]
        if result.myopic is not None:
            out["myopic_moves"] = myopic_dict(result)
    if result.later:
        out["arriving_later"] = len(result.later)
    if result.published is not None:
        out["kept_to_published"] = {
            "published_officers": len(result.published),
            "changed_officers": len({oid for _, oid, _, _ in result.changed}),
            "changed_decisions": len(result.changed)}
    out["solver"] = {"name": o.solver if o else None,
                     "seconds": None if o is None else round(o.seconds, 3)}
    out["timing_seconds"] = {k: round(v, 3) for k, v in result.timings.items()}
    out["timing_seconds"]["total"] = round(result.seconds, 3)
    return out


def _rules(r: CheckReport) -> list[dict]:
    return [{"rule": x.rule, "label": x.label, "status": x.status, "checked": x.checked,
             "violations": len(x.violations)} for x in r.results]


def step_dict(scenario: Scenario, step) -> dict:
    """One step of a plan of several: its date, moves, figures per bureau, rules and budget."""
    r = step.report
    return {"date": step.date.isoformat(), "moves": r.moves, "moves_by_kind": r.moves_by_kind,
            "recruits_placed_by_kind": r.placed_by_kind, "approvals": len(r.approvals),
            "notices": len(r.notices), "bureaus": [bureau_dict(b) for b in r.bureaus],
            "rules": _rules(r),
            "budget": {"community_officer_yuan": r.yuan_per_officer, "yuan": funds(r)}}


def myopic_dict(result: PlanResult) -> dict:
    """The year-by-year figures: moves per step, or the step where no plan meets the rules."""
    m = result.myopic
    dates = [s.plan_date.isoformat() for s in result.scenario.steps]
    return {"total": m.total, "by_step": m.moves,
            "impossible_at": None if m.failed_at is None else dates[m.failed_at],
            "why": m.conflicts,
            "more_than_planned_together": None if m.total is None else m.total - result.moves}


def funds(report: CheckReport | None) -> int | None:
    """Yearly community funds city-wide, in yuan."""
    return None if report is None else sum(b.community_funds for b in report.bureaus)


def budget_dict(scenario: Scenario, before: CheckReport, after: CheckReport | None) -> dict:
    """The community-policing budget city-wide, before and after (按每年每人3万元)."""
    return {"community_officer_yuan": scenario.config.budget.community_officer_yuan,
            "before_yuan": funds(before), "after_yuan": funds(after)}


def config_dict(config) -> dict:
    """The effective config as plain data (paths and dates as text)."""
    return config.model_dump(mode="json", exclude={"extends"})


def flat_config(data: dict, prefix: str = "") -> dict[str, object]:
    """Dotted keys to values; an empty mapping adds no key, lists are shown as JSON."""
    out: dict[str, object] = {}
    for k, v in data.items():
        if isinstance(v, dict):
            out.update(flat_config(v, f"{prefix}{k}."))
        elif isinstance(v, list):
            out[f"{prefix}{k}"] = json.dumps(v, ensure_ascii=False) if v else None
        else:
            out[f"{prefix}{k}"] = v
    return out


def provenance_dict(prov) -> dict:
    if prov is None:
        return {}
    return {"files": prov.files, "sources": prov.sources,
            "overrides": [str(o) for o in prov.overrides]}


def config_yaml(config, prov) -> str:
    """The effective config as YAML, each value with a comment naming where it came from."""
    import yaml

    # For the terminal: comments carry paths and values (shown with escapes); a value YAML
    # would print with a character that steers the terminal (a bidirectional override) is
    # written with every non-ASCII character escaped, which YAML reads back the same.
    from staffplan.i18n import t
    from staffplan.report.screen import visible

    lines = ["# " + t("cfg_effective", files=visible(" -> ".join(prov.files)))]
    for o in prov.overrides:
        first, *keys = o.lines()
        lines.append("# " + t("cfg_override", override=visible(first)))
        lines += [f"# {visible(line)}" for line in keys]
    default = t("cfg_default")

    def walk(data: dict, prefix: str, indent: int) -> None:
        for k, v in data.items():
            dotted = f"{prefix}{k}"
            pad = "  " * indent
            if isinstance(v, dict) and v:
                lines.append(f"{pad}{k}:")
                walk(v, dotted + ".", indent + 1)
                continue
            text = yaml.safe_dump({k: v}, allow_unicode=True, default_flow_style=True,
                                  width=10_000).strip()
            if visible(text) != text:
                text = yaml.safe_dump({k: v}, allow_unicode=False, default_flow_style=True,
                                      width=10_000).strip()
            if text.startswith("{") and text.endswith("}"):
                text = text[1:-1]
            source = visible(prov.sources.get(dotted, default))
            lines.append(f"{pad}{text}  # {source}")

    walk(config_dict(config), "", 0)
    return "\n".join(lines) + "\n"


def to_json(data: dict) -> str:
    from staffplan.report.escape import json_text

    return json_text(data, indent=2) + "\n"


def approvals_csv(report: CheckReport, scenario: Scenario) -> str:
    """``approvals.csv``, for Excel as ``assignments.csv`` is: the step's date first."""
    h = scenario.horizon
    by_id = h.officer_by_id if h else scenario.officer_by_id

    def rows():
        for a in report.approvals:
            o = by_id.get(a.officer)
            yield [a.date, a.officer, o.name if o else "", a.from_unit, a.to_unit, a.tenure,
                   a.rule, "true" if a.approved else "false"]

    return write_rows(["date", "officer_id", "officer_name", "from_unit", "to_unit", "tenure",
                       "rule", "approved"], rows())
