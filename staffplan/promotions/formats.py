"""``staffplan check --promotions``: a promotion list's check in every format, each finding
pointing at the list's row (an officer's line), or at the config line that sets a bureau's
slots or the rate rule. The escaping is the existing formatters' (``staffplan.report.formats``).
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

from rich.console import Console
from rich.table import Table
from rich.text import Text

from staffplan.i18n import t
from staffplan.promotions.report import bureau_dict, bureau_table
from staffplan.promotions.results import PromotionCheck
from staffplan.report.escape import md_code
from staffplan.report.formats import GithubFormat, JunitFormat, Locator, _label, _md, _rel
from staffplan.report.screen import text
from staffplan.report.tables import (
    WIDE,
    Responsive,
    header,
    render_text,
    rules_table,
    styled_table,
)
from staffplan.results import Violation
from staffplan.rules import RULE_BY_ID


class PromotionLocator(Locator):
    """Where a promotion finding points: the list's row, the officer's roster row, or the
    config line of a bureau's slots or the rule's key."""

    def __init__(self, scenario, listing: Path | None = None):
        super().__init__(scenario)
        self.listing = listing

    def locate(self, v: Violation) -> tuple[str, int]:
        if v.about == "entry":
            row = v.figures.get("row")
            if row and self.listing is not None:
                return _rel(self.listing), int(row)
            o = self.s.officer_by_id.get(v.subject)
            if o is not None and o.row:
                return _rel(self.s.config.officers), o.row
        if v.about == "bureau":
            return self._config_line(v.figures.get("key") or RULE_BY_ID[v.rule].path or "")
        return _rel(self.s.source) if self.s.source else "", 0

    def bureau_of(self, v: Violation) -> str:
        if v.about == "bureau":
            return v.subject
        o = self.s.officer_by_id.get(v.subject)
        if o is not None and o.unit is not None:
            return self.s.organisation.bureau_of(o.unit)
        return "(no bureau)"


def render(fmt: str, check: PromotionCheck, scenario, listing: Path | None,
           strict: bool = False) -> str:
    locator = PromotionLocator(scenario, listing)
    if fmt == "github":
        return GithubFormat().render(check, locator, strict)
    return {"json": _json, "junit": _junit, "markdown": _markdown}[fmt](check, locator)


def _json(check: PromotionCheck, locator: PromotionLocator) -> str:
    rules = []
    for r in check.results:
        violations = []
        for v in r.violations:
            file, line = locator.locate(v)
            violations.append({"subject": v.subject, "message": v.message,
                               "figures": v.figures, "file": file, "line": line})
        rules.append({"rule": r.rule, "label": r.label, "status": r.status,
                      "checked": r.checked, "violations": violations})
    data = {"mode": "promotions", "ok": check.ok, "violations": len(check.violations),
            "rules": rules, "bureaus": [bureau_dict(b) for b in check.bureaus]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _junit(check: PromotionCheck, locator: PromotionLocator) -> str:
    """A test case per rule and bureau; a rule switched off is a skipped case."""
    s = locator.s
    bureaus = [b.id for b in s.organisation.bureaus]
    cases: list[ET.Element] = []
    for r in check.results:
        if not r.enabled:
            case = ET.Element("testcase", classname=f"staffplan.{r.rule}", name=r.label)
            ET.SubElement(case, "skipped", message="rule switched off")
            cases.append(case)
            continue
        groups: dict[str, list[Violation]] = {b: [] for b in bureaus}
        for v in r.violations:
            groups.setdefault(locator.bureau_of(v), []).append(v)
        for bureau, items in groups.items():
            cases.append(JunitFormat._case(r.rule, f"{r.label}: {bureau}", locator, items))
    failures = sum(1 for c in cases if c.find("failure") is not None)
    skipped = sum(1 for c in cases if c.find("skipped") is not None)
    suites = ET.Element("testsuites", name="staffplan check", tests=str(len(cases)),
                        failures=str(failures), errors="0", skipped=str(skipped))
    suite = ET.SubElement(suites, "testsuite",
                          name=f"staffplan check: {s.config.name} (promotions)",
                          tests=str(len(cases)), failures=str(failures), errors="0",
                          skipped=str(skipped))
    suite.extend(cases)
    ET.indent(suites)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")
            + "\n")


def _markdown(check: PromotionCheck, locator: PromotionLocator, limit: int = 50) -> str:
    n = len(check.violations)
    head = (f"### staffplan check: {'❌' if n else '✅'} {n} violation(s) — promotion list of "
            f"*{_md(locator.s.config.name)}*")
    out = [head, "", "| rule | status | checked | violations |", "|---|---|---:|---:|"]
    for r in check.results:
        mark = {"ok": "✅ ok", "violated": "❌ violated", "off": "➖ off"}[r.status]
        out.append(f"| {_md(r.label)} | {mark} | {r.checked} | {len(r.violations)} |")
    out += ["", ("| bureau | rank | station leader | bureau leader | station rate | hq rate | "
                 "required |"), "|---|---:|---:|---:|---:|---:|---:|"]
    for b in check.bureaus:
        if not any(b.slots.values()) and not any(b.listed.values()):
            continue
        d = bureau_dict(b)
        cells = [f"{b.listed[k]} / {b.slots[k]}" for k in ("rank", "station_leader",
                                                          "bureau_leader")]
        rates = [("n/a" if d[k] is None else f"{d[k] * 100:.2f}%")
                 for k in ("station_rate", "hq_rate", "required_station_rate")]
        out.append(f"| {_md(b.bureau)} | " + " | ".join(cells + rates) + " |")
    if check.violations:
        out += ["", f"<details open><summary>Violations ({n})</summary>", ""]
        for v in check.violations[:limit]:
            file, line = locator.locate(v)
            where = f" ({md_code(f'{file}:{line}')})" if file and line else ""
            out.append(f"- **{_md(_label(v.rule))}** {_md(v.message)}{where}")
        if n > limit:
            out.append(f"- … and {n - limit} more")
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


def violations_table(check: PromotionCheck, *, limit: int) -> Responsive:
    """The list's violations: the rule, the subject, the list's row and what is wrong; at 80
    columns without the subject, which the message names."""
    items = check.violations
    shown = items if limit <= 0 else items[:limit]
    caption = (Text(t("t_more_violations", n=f"{len(items) - len(shown):,}"), style="dim")
               if len(shown) < len(items) else None)

    def build(subject: bool) -> Table:
        table = styled_table(t("t_violations", n=f"{len(items):,}"), caption=caption)
        table.add_column(header("h_rule"), no_wrap=True)
        if subject:
            table.add_column(header("h_subject"), no_wrap=True)
        table.add_column(header("ph_row"), justify="right", no_wrap=True)
        table.add_column(header("h_what"), ratio=1, overflow="fold")
        for v in shown:
            row = v.figures.get("row")
            table.add_row(*([text(v.rule)] + ([text(v.subject)] if subject else [])
                            + [Text(str(row) if row else ""), text(v.message)]))
        return table

    return Responsive(lambda: build(True), lambda: build(False), min_width=WIDE)


def render_table(console: Console, check: PromotionCheck, *, limit: int) -> None:
    console.print(bureau_table(check, {}))
    console.print(rules_table(check))
    if check.violations:
        console.print(violations_table(check, limit=limit))


def table_text(check: PromotionCheck, width: int = 120) -> str:
    """The check's tables as plain text, every violation shown (for ``--output``)."""
    return render_text(lambda c: render_table(c, check, limit=0), width)
