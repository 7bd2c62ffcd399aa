"""Every hostile string (tests/hostile_strings.py) as an id, a name and the scenario's name,
through every machine sink: json, csv (assignments, approvals, compare), xlsx, junit,
markdown and github. Each sink is parsed back and must hold the data as plain text: no
formula, no markup, no link, no extra row or annotation, valid XML."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from staffplan.check import check
from staffplan.config import ScenarioConfig
from staffplan.domain import Kind, Officer, Organisation, Scenario, Unit
from staffplan.io.excel_csv import TRIGGERS, from_cell
from staffplan.io.roster import ProposedPlan
from staffplan.plan import make_plan
from staffplan.report import formats
from staffplan.report.escape import visible, xml_text
from staffplan.report.excel import plan_workbook
from staffplan.report.files import approvals_csv, assignments_csv, summary_dict, to_json
from staffplan.report.xlsx import clean_text
from staffplan.studies import compare
from tests.conftest import NO_RULES
from tests.hostile_strings import ALL

NAME = " / ".join(ALL)


@pytest.fixture(scope="module")
def hostile():
    """Posts whose ids are hostile strings, each with an officer of hostile id and name who
    has not served the tenure (half approved to move early), and empty posts "Q…" that
    headquarters officers (hostile ids and names too) must staff."""
    units = [Unit("B", "bureau", Kind.COUNTY), Unit("H", "hq", Kind.HQ, "B"),
             Unit("S", "station", Kind.STATION, "B", "urban")]
    officers = []
    for i, text in enumerate(ALL):
        units.append(Unit(text, text, Kind.POST, "S"))
        units.append(Unit("Q" + text, text, Kind.POST, "S"))
        officers.append(Officer(text, text, text, community_since=date(2020, 1, 1),
                                hired=date(2000, 1, 1), move_approved=bool(i % 2)))
        officers.append(Officer("h" + text, text, "H", hired=date(1990, 1, 1 + i % 28)))
    rules = {**NO_RULES, "staff_every_post": True, "min_community_tenure_years": 3}
    config = ScenarioConfig.model_validate({"name": NAME, "plan_date": "2021-06-30",
                                            "units": "units.csv", "officers": "officers.csv",
                                            "rules": rules})
    s = Scenario(config, Organisation(units), officers, None, "scenario.yaml")
    result = make_plan(s)
    assert result.status.has_plan
    moved_out = {o.id: "S" for o in officers if o.unit != "H"}  # every post left empty
    proposed = ProposedPlan(Path("plan.csv"), {**s.current(), **moved_out},
                            rows={o.id: i + 2 for i, o in enumerate(officers)})
    report = check(s, proposed=proposed)
    assert report.violations and report.approvals
    return s, result, check(s), report, proposed


def test_json(hostile):
    s, result, before, report, proposed = hostile
    data = json.loads(to_json(summary_dict(result, before)))
    assert data["scenario"] == NAME  # exact: JSON holds any text
    data = json.loads(formats.render("json", report, s, proposed))
    subjects = {v["subject"] for r in data["rules"] for v in r["violations"]}
    assert set(ALL) <= subjects


def _csv(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def _no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(TRIGGERS), cell


def test_csv_files(hostile):
    s, result, _, report, _ = hostile
    rows = _csv(assignments_csv(result))
    _no_formula(rows)
    assert len(rows) == len(s.officers) + 1  # no value broke a row
    assert rows[0][:2] == ["date", "officer_id"]
    back = {from_cell(r[1]): (from_cell(r[2]), from_cell(r[3]), from_cell(r[4])) for r in rows[1:]}
    for o in s.officers:
        assert back[o.id][:2] == (o.name, o.unit)
        assert back[o.id][2] == result.final[o.id]
    rows = _csv(approvals_csv(report, s))
    _no_formula(rows)
    assert len(rows) == len(report.approvals) + 1
    assert {from_cell(r[1]) for r in rows[1:]} == {a.officer for a in report.approvals}
    assert {from_cell(r[1]) for r in rows[1:]} <= set(ALL)


def _columns():
    cols = []
    for i, text in enumerate(ALL[:6] + ALL[-12:]):
        cols.append(compare.Column(text, f"{i}.yaml", "optimal", values={"moves": i, text: text},
                                   conflicts=[text], config={"name": text, "rules.x": text}))
    return cols


def test_compare_csv_and_markdown():
    cols = _columns()
    rows = _csv(compare.to_csv(cols))
    _no_formula(rows)
    # The names as people read them: control and invisible characters shown as escapes
    # (compare's CSV often goes to a terminal), nothing else changed.
    assert [from_cell(c) for c in rows[0][1:]] == [visible(c.name) for c in cols]
    assert not any(ch in "".join(map("".join, rows)) for ch in "\x1b\x07\u202e\u200b")
    assert all(len(r) == len(cols) + 1 for r in rows)
    _markdown_is_text(compare.to_markdown(cols), [c.name for c in cols], rows=len(rows))


def test_xlsx(hostile):
    s, result, before, _, _ = hostile
    data = plan_workbook(result, before)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                ET.fromstring(z.read(name))  # valid XML: no U+FFFE, no control character
    wb = load_workbook(io.BytesIO(data))
    formulas = []
    texts = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    formulas.append((ws.title, c.coordinate, c.value))
                elif isinstance(c.value, str):
                    texts.add(c.value)
    # The only formulas are staffplan's own: the summary's "met" columns, and its city row
    # of sums and shares (the row after the bureaus and a blank line).
    last = 1 + len(result.report.bureaus)
    ours = re.compile(r'=(SUM|IF)\([A-Z0-9:=",/]*\)')
    assert formulas and all(
        t == "Summary" and (ref[0] in "HM" and 2 <= int(ref[1:]) <= last
                            or int(ref[1:]) == last + 2 and ours.fullmatch(f))
        for t, ref, f in formulas)
    # As XlsxWriter escapes for Excel (which shows the original): a CR, and text that looks
    # like an escape; openpyxl reads the escapes back as written.
    excel = {re.sub(r"(_x[0-9a-fA-F]{4}_)", r"_x005F\1", clean_text(x)).replace("\r", "_x000D_")
             for x in ALL}
    assert excel <= texts
    roster = wb["Final roster"]
    ids = [r[0] for r in roster.iter_rows(min_row=2, values_only=True)]
    assert len(ids) == len(s.officers)


def _no_github_autolink(text: str, tokens) -> None:
    """GitHub's autolinks (cmark-gfm): ``www.`` and ``scheme:`` are matched in the source;
    an e-mail address in each run of text as rendered (escapes undone, text joined)."""
    assert not re.search(r"(?i)(?<![\\\w])www\.", text), text
    assert not re.search(r"(?i)\b(https?|ftp|mailto|xmpp):", text), text

    def runs(ts):
        for tok in ts:
            if tok.type == "inline":
                run = ""
                for child in tok.children:
                    if child.type in ("text", "text_special"):
                        run += child.content
                    else:
                        yield run
                        run = ""
                yield run
            yield from runs(tok.children or [])

    for run in runs(tokens):
        assert not re.search(r"[\w.+-]@[\w-]+\.\w", run), run


def _markdown_is_text(text: str, values: list[str], rows: int | None = None) -> None:
    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    tokens = md.parse(text)
    kinds = set()

    def walk(ts):
        for tok in ts:
            kinds.add(tok.type)
            walk(tok.children or [])

    walk(tokens)
    # Raw HTML only where staffplan writes it (the <details> blocks, an @ cut from the text
    # before it), never from data.
    html = [t.content for t in tokens if t.type == "html_block"]
    assert all(re.fullmatch(r"\s*(<details( open)?><summary>\w+ \(\d+\)</summary>|</details>)\s*",
                            h) for h in html), html
    assert not kinds & {"link_open", "image", "code_inline_html", "s_open"}
    assert "<span>@</span>" in text or "html_inline" not in kinds
    assert not re.search(r"<span>(?!@</span>)|(?<!<span>@)</span>",
                         text.replace("<span>@</span>", "")), text
    _no_github_autolink(text, tokens)
    if rows is not None:
        assert sum(t.type == "tr_open" for t in tokens) == rows
    plain = md.render(text).replace("<span>@</span>", "@")
    for v in values:
        one_line = visible(v).replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
        one_line = one_line.replace("\t", " ")
        shown = one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
            .replace('"', "&quot;")
        assert shown.strip() in plain, v


def test_markdown(hostile):
    s, _, _, report, proposed = hostile
    text = formats.FORMATS["markdown"].render(report, formats.Locator(s, proposed), limit=1000)
    assert "\r" not in text
    _markdown_is_text(text, [o.id for o in s.officers if o.unit != "H"])


def test_junit(hostile):
    s, _, _, report, proposed = hostile
    text = formats.render("junit", report, s, proposed)
    root = ET.fromstring(text.encode("utf-8"))
    assert {e.tag for e in root.iter()} <= {"testsuites", "testsuite", "testcase", "failure",
                                           "skipped", "system-out"}
    assert root.find("testsuite").get("name").startswith("staffplan check: ")
    failures = "\n".join(f.text or "" for f in root.iter("failure"))
    for text_ in ALL:
        assert xml_text(text_) in failures


def test_github(hostile):
    s, _, _, report, proposed = hostile
    text = formats.render("github", report, s, proposed, strict=True)
    lines = text.splitlines()
    assert len(lines) == len(report.violations) + len(report.warnings)  # no line injected
    assert all(re.match(r"::(error|warning) file=[^:,]*(,line=\d+)?,title=[^:,]*::", x)
               for x in lines)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", text.replace("\n", ""))
    messages = [x.split("::", 2)[2] for x in lines]
    decoded = [m.replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%") for m in messages]
    assert sorted(decoded) == sorted(visible(v.message)
                                     for v in report.violations + report.warnings)


@pytest.mark.parametrize("value", ALL)
def test_config_yaml(value, tmp_path):
    """`staffplan config` prints YAML for the terminal: a hostile value reads back the same,
    and no character that steers a terminal is printed raw (in values or comments)."""
    import yaml

    from staffplan.config import load_config_with_provenance
    from staffplan.report.files import config_yaml
    from staffplan.report.screen import visible

    (tmp_path / "s.yaml").write_text(yaml.safe_dump(
        {"name": value, "description": value, "plan_date": "2021-06-30",
         "units": "units.csv", "officers": "officers.csv"}, allow_unicode=True), "utf-8")
    config, prov = load_config_with_provenance(tmp_path / "s.yaml", None, [])
    out = config_yaml(config, prov)
    assert all(visible(line) == line for line in out.splitlines())
    back = yaml.safe_load(out)
    assert back["name"] == value and back["description"] == value


def test_bad_input_in_every_machine_format_is_inert():
    """``check -f github|markdown|junit|json`` on bad input writes the problems on stdout
    for CI; every hostile string in a problem stays text in each."""
    from staffplan.errors import InputError, Problem

    exc = InputError([Problem(f"units{k}.csv", k + 2, "parent", f"unknown unit '{v}'")
                      for k, v in enumerate(ALL)])
    shown = exc.problems[:exc.SHOWN]
    lines = formats.render_problems("github", exc).splitlines()
    assert len(lines) == len(shown)
    assert all(re.match(r"::error file=[^:,]*,line=\d+,title=[^:,]*::", x) for x in lines)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", "".join(lines))
    root = ET.fromstring(formats.render_problems("junit", exc).encode("utf-8"))
    assert len(root.findall(".//failure")) == len(shown)
    assert {f.get("message") for f in root.iter("failure")} == {xml_text(p.message)
                                                               for p in shown}
    data = json.loads(formats.render_problems("json", exc))
    assert [p["message"] for p in data["input_problems"]] == [p.message for p in exc.problems]
    text = formats.render_problems("markdown", exc)
    _markdown_is_text(text, [])
    assert text.count("\n- ") == len(shown) + (len(exc.problems) > len(shown))
