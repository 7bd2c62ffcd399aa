"""Every hostile string (tests/hostile_strings.py) as an id, a name and the scenario's name,
through every machine sink: json, csv (assignments, approvals, compare), xlsx, junit,
markdown and github. Each sink is parsed back and must hold the data as plain text: no
formula, no markup, no link or GitHub reference, no extra row or annotation, valid XML, no
hidden character (shown as an escape in the sinks people read)."""

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
from staffplan.report.escape import hidden, visible, xml_text
from staffplan.report.excel import plan_workbook
from staffplan.report.files import approvals_csv, assignments_csv, summary_dict, to_json
from staffplan.report.xlsx import clean_text
from staffplan.studies import compare
from tests.conftest import NO_RULES
from tests.hostile_strings import ALL, ESCAPES, HIDDEN, INVISIBLE, OTHER, REFERENCES

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
    """JSON holds any text exactly; a hidden character is a \\u escape in the file, so that
    nothing is hidden where it is read."""
    s, result, before, report, proposed = hostile
    text = to_json(summary_dict(result, before))
    data = json.loads(text)
    assert data["scenario"] == NAME  # exact: JSON holds any text
    text = formats.render("json", report, s, proposed)
    data = json.loads(text)
    subjects = {v["subject"] for r in data["rules"] for v in r["violations"]}
    assert set(ALL) <= subjects
    assert not [c for c in text if c != "\n" and hidden(c)]


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
    for i, text in enumerate(ALL[:6] + REFERENCES + INVISIBLE + OTHER):
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
    _no_hidden(compare.to_csv(cols)[1:])  # (but the BOM in front)
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


def _no_hidden(text: str) -> None:
    """No hidden character (tests/hostile_strings.HIDDEN) as it is: each shown as an escape."""
    found = HIDDEN.search(text)
    assert not found, f"U+{ord(found.group(0)):04X} in {text[:200]!r}"


# GitHub's reference filters, as its HTML pipeline runs them on each text node of the
# rendered comment (a little wider: any case, any run of 7 or more hex digits).
_REFERENCES = {
    "mention": re.compile(r"@\w"),
    "e-mail": re.compile(r"[\w.+-]@[\w-]+\.\w"),
    "issue": re.compile(r"#\d+"),
    "cross-repo issue": re.compile(r"[\w.-]+/[\w.-]+#\d+"),
    "GH- issue": re.compile(r"(?i)GH-\d+"),
    "commit": re.compile(r"(?i)[0-9a-f]*[0-9][0-9a-f]*"),  # 7 or more (below)
}


def _text_nodes(tokens):
    """The text of each text node of the HTML, escapes undone: inline text joined until an
    element (html, code, emphasis, a link, a hard break) starts another."""
    for tok in tokens:
        if tok.type == "inline":
            node = ""
            for child in tok.children:
                if child.type in ("text", "text_special"):
                    node += child.content
                elif child.type == "softbreak":
                    node += "\n"
                else:
                    yield node
                    node = ""
            yield node
        yield from _text_nodes(tok.children or [])


def _no_github_autolink(text: str, tokens) -> None:
    """GitHub's autolinks (cmark-gfm): ``www.`` and ``scheme:`` are matched in the source;
    its references (mentions, e-mail addresses, issues, commits) in each text node as
    rendered."""
    assert not re.search(r"(?i)(?<![\\\w])www\.", text), text
    assert not re.search(r"(?i)\b(https?|ftp|mailto|xmpp):", text), text
    for node in _text_nodes(tokens):
        for kind, pattern in _REFERENCES.items():
            found = [m for m in pattern.findall(node) if kind != "commit" or len(m) >= 7]
            assert not found, (kind, found, node)


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
    inline = {c.content for t in tokens if t.type == "inline" for c in t.children
              if c.type == "html_inline"}
    assert inline <= {"<span>", "</span>", "<br>"}, inline
    # A <span> only cuts a reference: around an @, a # or - before a digit, a few hex digits.
    cut = re.compile(r"<span>(@|[0-9A-Fa-f]{1,6})</span>|<span>[#-]</span>(?=\d)")
    assert "span>" not in cut.sub("", text), text
    assert "\n" not in "".join(t.content for t in tokens if t.type == "inline")  # one line
    assert len(text.splitlines()) == text.count("\n") + (not text.endswith("\n"))
    _no_hidden(text)
    _no_github_autolink(text, tokens)
    if rows is not None:
        assert sum(t.type == "tr_open" for t in tokens) == rows
    plain = re.sub("</?span>", "", md.render(text))
    for v in values:
        one_line = re.sub("\r\n|[\r\n]", " ", visible(v))
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
    _no_hidden(text)
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
    _no_hidden(text)
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

    data = {"name": value, "description": value, "plan_date": "2021-06-30",
            "units": "units.csv", "officers": "officers.csv"}
    scenario = yaml.safe_dump(data, allow_unicode=True)
    if yaml.safe_load(scenario) != data:  # PyYAML writes U+0085 as it is, and reads a break
        scenario = yaml.safe_dump(data, allow_unicode=False)
    (tmp_path / "s.yaml").write_text(scenario, "utf-8")
    config, prov = load_config_with_provenance(tmp_path / "s.yaml", None, [])
    out = config_yaml(config, prov)
    assert all(visible(line) == line for line in out.splitlines())
    _no_hidden(out)
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
    _no_hidden("".join(lines))
    junit = formats.render_problems("junit", exc)
    _no_hidden(junit)
    root = ET.fromstring(junit.encode("utf-8"))
    assert len(root.findall(".//failure")) == len(shown)
    assert {f.get("message") for f in root.iter("failure")} == {xml_text(p.message)
                                                               for p in shown}
    data = json.loads(formats.render_problems("json", exc))
    assert [p["message"] for p in data["input_problems"]] == [p.message for p in exc.problems]
    text = formats.render_problems("markdown", exc)
    _markdown_is_text(text, [])
    assert text.count("\n- ") == len(shown) + (len(exc.problems) > len(shown))


def test_markdown_cuts_only_references():
    """Plain words stay plain in the Markdown source; a reference is cut by a <span> around
    one piece of it, which shows as nothing."""
    from staffplan.report.escape import md_text

    for plain in ("post B1-S1-P1", "东海县局 2021-06-30", "decaf coffee", "page 123456",
                  "HIGH five"):
        assert md_text(plain) == plain
    assert md_text("see #12") == "see <span>#</span>12"
    assert md_text("GH-7") == "GH<span>-</span>7"
    assert md_text("@me") == "<span>@</span>me"
    assert md_text("a5c3785e") == "a5c378<span>5e</span>"


@pytest.mark.parametrize("value", INVISIBLE + ESCAPES)
def test_one_hidden_set(value):
    """The terminal shows the same characters as escapes as the machine formats do (it
    shows tab, LF and CR too)."""
    from staffplan.report import screen

    named = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
    assert screen.visible(value) == "".join(named.get(c, c) for c in visible(value))
    _no_hidden(screen.visible(value))


def test_a_problem_in_a_workbook_points_ci_at_the_file_not_the_sheet():
    from staffplan.errors import InputError, Problem

    exc = InputError([Problem("officers.xlsx[花名册]", 3, "hired", "bad")])
    assert formats.render_problems("github", exc).startswith("::error file=officers.xlsx,line=3,")
    root = ET.fromstring(formats.render_problems("junit", exc).encode("utf-8"))
    assert root.find(".//testcase").get("file") == "officers.xlsx"
