"""Check reports for machines and merge requests: one formatter per format, one interface.

Each formatter turns a :class:`CheckReport` into text. A :class:`Locator` says where each
finding points: the roster row of an officer, the units-file row of a unit, the plan-file
row of a proposed transfer, or the config line that sets a bureau's target.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml

from staffplan.config import source_of
from staffplan.domain import Scenario
from staffplan.i18n import t
from staffplan.report.escape import gh_data, gh_prop, json_text, md_code, md_text, xml_text
from staffplan.report.findings import label as finding_label
from staffplan.report.findings import more_by_rule, sample
from staffplan.results import CheckReport, Violation
from staffplan.rules import NOTICES, RULE_BY_ID, WARNINGS


def _rel(path: str | Path) -> str:
    """A path as CI systems want it: relative to the working folder when inside it."""
    text = os.path.normpath(str(path))
    rel = os.path.relpath(text) if os.path.isabs(text) else text
    return text if rel.startswith("..") else rel


class Locator:
    """Where a finding points. ``proposed``: a plan read from a file (one per step)."""

    def __init__(self, scenario: Scenario, proposed=None):
        self.s = scenario
        self.proposed = proposed if proposed is None or isinstance(proposed, list) else [proposed]
        self._yaml_lines: dict[str, dict[str, int]] = {}

    def locate(self, v: Violation) -> tuple[str, int]:
        s = self.s
        if v.about == "officer":
            plan = self.proposed[min(v.step, len(self.proposed) - 1)] if self.proposed else None
            if plan is not None and v.subject in plan.rows:
                return _rel(plan.path), plan.rows[v.subject]
            h = s.horizon
            o = (h.officer_by_id if h else s.officer_by_id).get(v.subject)
            if o is not None and o.row:
                return _rel(s.config.officers), o.row
        org = s.steps[v.step].organisation if v.step < len(s.steps) else s.organisation
        if v.about == "unit" and v.subject in org:
            unit = org[v.subject]
            if unit.row:
                return _rel(s.config.units), unit.row
            return self._config_line("changes")
        if v.about == "bureau":
            dotted = RULE_BY_ID[v.rule].path or ""
            if v.rule == "station_share":
                dotted += "." + org[v.subject].kind.value
            if v.step and s.provenance is not None:
                # A later step's target, where that step sets it.
                later = f"horizon.{v.step - 1}.{dotted}"
                if any(k == later or k.startswith(later + ".") or later.startswith(k + ".")
                       and k.count(".") > 2 for k in s.provenance.sources):
                    return self._config_line(later)
            return self._config_line(dotted)
        return _rel(s.source) if s.source else "", 0

    def bureau_of(self, v: Violation) -> str:
        s = self.s
        org = s.steps[v.step].organisation if v.step < len(s.steps) else s.organisation
        if v.about == "bureau":
            return v.subject
        if v.about == "unit" and v.subject in org:
            return org.bureau_of(v.subject)
        h = s.horizon
        o = (h.officer_by_id if h else s.officer_by_id).get(v.subject)
        if o is not None:
            return org.bureau_of(o.unit) if o.unit in org else (o.bureau or "(any bureau)")
        return "(not on the roster)"

    def _config_line(self, dotted: str) -> tuple[str, int]:
        """The config file and line that set ``dotted`` (or the mapping around it)."""
        prov = self.s.provenance
        file = None
        if prov is not None:
            file = source_of(prov, dotted) or next(
                (v for k, v in prov.sources.items() if k.startswith(dotted + ".")), None)
        file = file or self.s.source
        if not file or file == "--set" or not os.path.exists(file):
            return (_rel(self.s.source) if self.s.source else "", 0)
        lines = self._yaml_lines.get(file)
        if lines is None:
            lines = self._yaml_lines[file] = _key_lines(Path(file))
        key = dotted
        while key and key not in lines:
            key = key.rpartition(".")[0]
        return _rel(file), lines.get(key, 1)


def _key_lines(path: Path) -> dict[str, int]:
    """Dotted key -> line of a YAML file."""
    out: dict[str, int] = {}
    from staffplan.config import MAX_YAML_BYTES
    from staffplan.io.tables import read_bounded

    try:  # read as the scenario was (a regular file, bounded): it may have changed since
        text = read_bounded(path, MAX_YAML_BYTES).decode("utf-8-sig")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, ValueError, yaml.YAMLError):
        return out

    def walk(node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                dotted = f"{prefix}{k.value}"
                out[dotted] = k.start_mark.line + 1
                walk(v, dotted + ".")

    walk(root, "")
    return out


_label = finding_label  # a rule's label in the current language (promotions uses it too)


# --- Formats -------------------------------------------------------------------------------

class JsonFormat:
    def render(self, report: CheckReport, locator: Locator, strict: bool = False) -> str:
        from staffplan.report.files import check_dict

        data = check_dict(report)
        for rule in data["rules"]:
            for v, raw in zip(rule["violations"],
                              next(r for r in report.results if r.rule == rule["rule"]).violations):
                v["file"], v["line"] = locator.locate(raw)
        many = len(report.dates) > 1

        def kind(w) -> dict:
            out = {"kind": w.rule, "subject": w.subject, "message": w.message,
                   "file": locator.locate(w)[0], "line": locator.locate(w)[1]}
            if many:
                out["step"] = report.dates[w.step]
            return out

        data["warnings"] = [kind(w) for w in report.warnings]
        # Notices: information for the next plan, never a failure (--strict ignores them).
        data["notices"] = [kind(w) for w in report.notices]
        data["approvals"] = [a.__dict__ for a in report.approvals]
        data["strict"] = strict
        data["ok"] = report.ok and not (strict and report.warnings)
        return json_text(data, indent=2) + "\n"


class GithubFormat:
    """GitHub Actions workflow commands: one annotation per finding, on its file and line."""

    _data = staticmethod(gh_data)
    _prop = staticmethod(gh_prop)

    def render(self, report: CheckReport, locator: Locator, strict: bool = False) -> str:
        lines = []
        for level, items in (("error", report.violations),
                             ("error" if strict else "warning", getattr(report, "warnings", [])),
                             ("notice", getattr(report, "notices", []))):
            for v in items:
                file, line = locator.locate(v)
                props = [f"file={self._prop(file)}"] if file else []
                if line:
                    props.append(f"line={line}")
                props.append(f"title={self._prop('staffplan: ' + _label(v.rule))}")
                lines.append(f"::{level} {','.join(props)}::{self._data(v.message)}")
        return "\n".join(lines) + ("\n" if lines else "")


class MarkdownFormat:
    """A summary fit for a merge-request comment, in the current language: rule ids stay as
    they are (in code, beside each rule's label); when ``limit`` leaves findings out, some of
    every rule are shown (round-robin) and the rest counted by rule."""

    def render(self, report: CheckReport, locator: Locator, strict: bool = False,
               limit: int = 50) -> str:
        from staffplan.report.files import pct

        n, w = len(report.violations), len(report.warnings)
        failed = n or (strict and w)
        name = locator.s.config.name
        notes = t("md_notes", n=len(report.notices)) if report.notices else ""
        title = t("md_title_roster" if report.mode == "roster" else "md_title_plan",
                  n=n, w=w, notes=notes, name=_md(name))
        head = f"### staffplan check: {'❌' if failed else '✅'} {title}"
        out = [head, "", _row(t("h_rule"), t("h_status"), t("h_checked"), t("h_violations")),
               "|---|---|---:|---:|"]
        marks = {"ok": "✅", "violated": "❌", "off": "➖"}
        for r in report.results:
            out.append(_row(f"{_md(r.label)} {md_code(r.rule)}",
                            f"{marks[r.status]} {_md(t(f'status_{r.status}'))}",
                            r.checked, len(r.violations)))
        if len(report.dates) > 1:  # a plan of several steps: the figures are the last step's
            out += ["", _md(t("md_bureaus_last", date=report.dates[-1], n=len(report.dates)))]
        out += ["", _row(*(t(k) for k in ("h_bureau", "h_force", "h_station_share", "h_target",
                                          "h_community_share", "h_target",
                                          "h_posts_staffed"))),
                "|---|---:|---:|---:|---:|---:|---:|"]
        for b in report.bureaus:
            out.append(_row(_md(b.bureau), b.force, pct(b.station_share),
                            pct(b.station_target), pct(b.community_share),
                            pct(b.community_target), f"{b.posts_staffed} / {b.posts}"))
        for title, items, is_open in ((t("t_violations", n=len(report.violations)),
                                       report.violations, True),
                                      (t("t_warnings", n=len(report.warnings)),
                                       report.warnings, False),
                                      (t("md_notices", n=len(report.notices)),
                                       report.notices, False)):
            if not items:
                continue
            out += ["", f"<details{' open' if is_open else ''}><summary>{_md(title)}"
                        "</summary>", ""]
            shown, more = sample(items, limit)
            for v in shown:
                file, line = locator.locate(v)
                where = f" ({md_code(f'{file}:{line}')})" if file and line else ""
                out.append(f"- **{_md(_label(v.rule))}** {_md(v.message)}{where}")
            if more:
                out.append("- " + _md(t("md_more", n=sum(more.values()),
                                        rules=more_by_rule(more))))
            out += ["", "</details>"]
        if report.approvals:
            missing = sum(not a.approved for a in report.approvals)
            out += ["", _md(t("t_approvals", n=len(report.approvals), missing=missing))
                    + t("md_period")]
        if report.unplaced_recruits:
            out += ["", _md(t("md_unplaced", n=len(report.unplaced_recruits)))]
        return "\n".join(out) + "\n"


def _row(*cells) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


_md = md_text


class JunitFormat:
    """JUnit XML: a test case per rule and bureau (per post for the staffing rule); a rule
    switched off is a skipped case; warnings fail only with --strict."""

    def render(self, report: CheckReport, locator: Locator, strict: bool = False) -> str:
        s = locator.s
        cases: list[ET.Element] = []
        bureaus = [b.id for b in s.organisation.bureaus]
        for r in report.results:
            if not r.enabled:
                case = ET.Element("testcase", classname=f"staffplan.{r.rule}", name=r.label)
                ET.SubElement(case, "skipped", message="rule switched off")
                cases.append(case)
                continue
            if r.rule == "staff_every_post":
                failing = {v.subject: v for v in r.violations}
                for post in s.organisation.posts:
                    case = self._case(r.rule, f"{r.label}: {post.id}", locator,
                                      [failing[post.id]] if post.id in failing else [])
                    cases.append(case)
                continue
            groups: dict[str, list[Violation]] = {b: [] for b in bureaus}
            for v in r.violations:
                groups.setdefault(locator.bureau_of(v), []).append(v)
            for bureau, items in groups.items():
                cases.append(self._case(r.rule, f"{r.label}: {bureau}", locator, items))
        kinds: dict[str, list[Violation]] = {k: [] for k in WARNINGS}
        for w in report.warnings:
            kinds[w.rule].append(w)
        for kind, items in kinds.items():
            case = self._case(kind, f"warning: {_label(kind)}", locator, items if strict else [])
            if items and not strict:
                ET.SubElement(case, "system-out").text = "\n".join(w.message for w in items)
            cases.append(case)
        notices: dict[str, list[Violation]] = {k: [] for k in NOTICES}
        for w in report.notices:
            notices[w.rule].append(w)
        for kind, items in notices.items():  # never a failure, --strict or not
            case = self._case(kind, f"notice: {_label(kind)}", locator, [])
            if items:
                ET.SubElement(case, "system-out").text = "\n".join(w.message for w in items)
            cases.append(case)
        failures = sum(1 for c in cases if c.find("failure") is not None)
        skipped = sum(1 for c in cases if c.find("skipped") is not None)
        suites = ET.Element("testsuites", name="staffplan check", tests=str(len(cases)),
                            failures=str(failures), errors="0", skipped=str(skipped))
        suite = ET.SubElement(suites, "testsuite",
                              name=f"staffplan check: {s.config.name} ({report.mode})",
                              tests=str(len(cases)), failures=str(failures), errors="0",
                              skipped=str(skipped))
        suite.extend(cases)
        for node in suites.iter():  # data may hold characters XML 1.0 forbids
            node.text = None if node.text is None else xml_text(node.text)
            for key, value in node.attrib.items():
                node.set(key, xml_text(value))
        ET.indent(suites)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                + ET.tostring(suites, encoding="unicode") + "\n")

    @staticmethod
    def _case(rule: str, name: str, locator: Locator, items: list[Violation]) -> ET.Element:
        case = ET.Element("testcase", classname=f"staffplan.{rule}", name=name)
        if items:
            file, line = locator.locate(items[0])
            if file:
                case.set("file", file)
            if line:
                case.set("line", str(line))
            first = items[0].message + (f" (and {len(items) - 1} more)" if len(items) > 1 else "")
            fail = ET.SubElement(case, "failure", message=first, type=rule)
            fail.text = "\n".join(
                f"{v.message}"
                + (f" {json.dumps(v.figures, ensure_ascii=False)}" if v.figures else "")
                for v in items)
        return case


FORMATS = {"json": JsonFormat(), "junit": JunitFormat(), "markdown": MarkdownFormat(),
           "github": GithubFormat()}


def render(fmt: str, report: CheckReport, scenario: Scenario, proposed=None,
           strict: bool = False) -> str:
    """The check report in a machine format: json, junit, markdown or github."""
    return FORMATS[fmt].render(report, Locator(scenario, proposed), strict)


def _file(name: str) -> str:
    """A problem's file as a path CI can find: ``officers.xlsx[花名册]`` without its sheet."""
    return _rel(re.sub(r"(?i)(\.xlsx|\.xlsm)\[[^\]]*\]$", r"\1", name))


def render_problems(fmt: str, error) -> str:
    """Bad input (an :class:`~staffplan.errors.InputError`) in a machine format, for CI (the
    files never reached the rules): github annotations on each file and row, a markdown
    summary, a JUnit suite with a failing case per problem, or json (every problem); each
    value made inert for its syntax as findings are; the first hundred, as on stderr."""
    problems = error.problems
    shown = problems[:error.SHOWN]
    if fmt == "json":
        return json_text({"ok": False, "input_problems": [
            {"file": p.file, "row": p.row, "column": p.column, "message": p.message}
            for p in problems]}, indent=2) + "\n"
    if fmt == "github":
        lines = []
        for p in shown:
            props = [f"file={gh_prop(_file(p.file))}"] + ([f"line={p.row}"] if p.row else [])
            props.append(f"title={gh_prop('staffplan: ' + t('t_error').rstrip(':：'))}")
            lines.append(f"::error {','.join(props)}::{gh_data(str(p))}")
        return "\n".join(lines) + "\n"
    if fmt == "markdown":
        title = t("t_input_problems", n=len(problems)).rstrip(":：")
        out = [f"### staffplan check: ❌ {md_text(title)}", ""]
        out += [f"- {md_text(str(p))}" for p in shown]
        if len(problems) > len(shown):
            out.append(f"- {md_text(error.not_shown())}")
        return "\n".join(out) + "\n"
    suites = ET.Element("testsuites", name="staffplan check", tests=str(len(shown)),
                        failures=str(len(shown)), errors="0", skipped="0")
    suite = ET.SubElement(suites, "testsuite", name="staffplan check: input",
                          tests=str(len(shown)), failures=str(len(shown)), errors="0",
                          skipped="0")
    for p in shown:
        case = ET.SubElement(suite, "testcase", classname="staffplan.input",
                             name=xml_text(p.place()), file=xml_text(_file(p.file)))
        if p.row:
            case.set("line", str(p.row))
        ET.SubElement(case, "failure", message=xml_text(p.message), type="input")
    ET.indent(suites)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + ET.tostring(suites, encoding="unicode") + "\n")
