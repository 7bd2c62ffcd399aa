"""Writing what a run produces: each file whole or not at all, the plan's files as one set."""

from __future__ import annotations

from pathlib import Path

from staffplan.io.tables import write_atomic
from staffplan.results import CheckReport, PlanResult


def write_plan(out: Path, result: PlanResult, before: CheckReport, *, html: bool) -> list[Path]:
    """The plan's files in ``out``: assignments.csv, approvals.csv, plan.xlsx, summary.json
    (and report.html). Without a plan, only summary.json, which says why."""
    from staffplan.report.files import approvals_csv, assignments_csv, summary_dict, to_json

    summary = to_json(summary_dict(result, before))
    files: dict[str, str | bytes] = {}
    if result.status.has_plan:
        from staffplan.report.excel import plan_workbook

        files["assignments.csv"] = assignments_csv(result)
        files["approvals.csv"] = approvals_csv(result.report, result.scenario)
        files["plan.xlsx"] = plan_workbook(result, before)
        if html:
            from staffplan.report.html import plan_report

            files["report.html"] = plan_report(result, before)
    files["summary.json"] = summary  # last: its presence says the set is complete
    for name, data in files.items():
        write_atomic(out / name, data)
    return [out / name for name in sorted(files, key=lambda n: n == "report.html")]
