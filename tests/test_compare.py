"""compare: one column per scenario; an impossible one explains itself in its column."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from staffplan.cli import app
from tests.conftest import officer, small_county, write_scenario

runner = CliRunner()


def scenarios(tmp_path):
    officers = [officer(f"H{i}", "H1") for i in range(4)] + [officer("S", "S1", pinned="yes")]
    base = write_scenario(tmp_path / "data", small_county(), officers,
                          {"station_share": {"county": 0.5, "district": 0.5},
                           "staff_every_post": True})
    easy = tmp_path / "easy.yaml"
    easy.write_text(yaml.safe_dump({"extends": "data/scenario.yaml", "name": "easy",
                                    "rules": {"staff_every_post": False,
                                              "station_share": {"county": 0.2}}}), encoding="utf-8")
    hard = tmp_path / "hard.yaml"
    hard.write_text(yaml.safe_dump({"extends": "data/scenario.yaml", "name": "impossible",
                                    "rules": {"station_share": {"county": 1.0}},
                                    "changes": {"unit_bounds": {"H1": {"min_staff": 1}}},
                                    }), encoding="utf-8")
    hard.write_text(hard.read_text() + "", encoding="utf-8")
    return base, easy, hard


def test_compare_feasible_and_impossible_side_by_side(tmp_path):
    base, easy, hard = scenarios(tmp_path)
    hard_yaml = yaml.safe_load(hard.read_text())
    hard_yaml["rules"]["unit_bounds"] = True
    hard.write_text(yaml.safe_dump(hard_yaml), encoding="utf-8")
    r = runner.invoke(app, ["compare", str(base), str(easy), str(hard), "-f", "json", "-j", "1"])
    assert r.exit_code == 1, r.output  # one scenario has no plan
    data = json.loads(r.stdout)
    status = [s["status"] for s in data["scenarios"]]
    assert status == ["optimal", "optimal", "infeasible"]
    rows = {row["key"]: row["cells"] for row in data["rows"]}
    # base: both posts; easy: 1 of 5 at the station is enough
    assert rows["moves"] == ["2", "0", ""]
    assert rows["config: rules.staff_every_post"] == ["true", "false", "true"]
    assert rows["config: rules.station_share.county"] == ["0.5", "0.2", "1.0"]
    assert rows["why no plan"][0] == rows["why no plan"][1] == ""
    assert "station strength / force" in rows["why no plan"][2]
    overrides = data["scenarios"][1]["provenance"]["overrides"]
    assert any(o.startswith("rules.staff_every_post: true -> false") for o in overrides)


def test_compare_formats(tmp_path):
    base, easy, _ = scenarios(tmp_path)
    r = runner.invoke(app, ["compare", str(base), str(easy), "-f", "csv"])
    assert r.exit_code == 0
    assert r.stdout.startswith("\ufeff")  # for Excel
    table = list(csv.reader(io.StringIO(r.stdout.removeprefix("\ufeff"))))
    assert table[0] == ["", "test", "easy"] and table[1] == ["status", "optimal", "optimal"]
    r = runner.invoke(app, ["compare", str(base), str(easy), "-f", "markdown"])
    assert r.stdout.splitlines()[0] == "| | test | easy |"
    r = runner.invoke(app, ["compare", str(base), str(easy)])
    assert "Scenarios compared" in r.stdout


def test_compare_bad_input_is_exit_2(tmp_path):
    base, _, _ = scenarios(tmp_path)
    r = runner.invoke(app, ["compare", str(base), str(tmp_path / "missing.yaml")])
    assert r.exit_code == 2 and "missing.yaml: file not found" in r.stderr


def test_compare_on_80_columns_keeps_every_label_whole(tmp_path):
    """Long config keys that share a prefix are never cut to the same label; scenarios that
    do not fit side by side follow in another block, titled; the reasons are numbered
    explanations with their points indented under them."""
    from staffplan.report.tables import render_text
    from staffplan.studies import compare as cmp

    base, easy, hard = scenarios(tmp_path)
    hard_yaml = yaml.safe_load(hard.read_text())
    hard_yaml["rules"]["unit_bounds"] = True  # impossible: two rules in conflict
    hard.write_text(yaml.safe_dump(hard_yaml), encoding="utf-8")
    variants = []
    for i, (lo, hi) in enumerate([(0, 1), (0, 2), (1, 3), (0, 4)]):
        path = tmp_path / f"v{i}.yaml"
        path.write_text(yaml.safe_dump({"extends": "data/scenario.yaml", "name": f"variant {i}",
                                        "changes": {"unit_bounds": {"P1": {"min_staff": lo,
                                                                           "max_staff": hi}}}}),
                        encoding="utf-8")
        variants.append(str(path))
    columns = cmp.compare([str(base), *variants, str(hard)], workers=1)
    rows = {row.key: row for row in cmp.rows(columns)}
    assert "config: changes.unit_bounds.P1.min_staff" in rows
    # The rules relaxed in turn are numbered under the sentence that introduces them; a
    # rule's figures hang under it, unnumbered.
    cell = rows["why no plan"].cells[-1].split("\n")
    conflicts = columns[-1].conflicts
    assert cell[0] == conflicts[0] and not cell[0][0].isdigit()
    numbered = [line for line in cell if line[:1].isdigit()]
    assert numbered and len(numbered) == sum(not c.startswith("  ") for c in conflicts[1:])
    for line in cell:
        assert line == conflicts[0] or line.startswith(("1. ", "2. ", "3. ", "   "))
    text = render_text(lambda c: c.print(cmp.table(columns)), 80)
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "…" not in text
    flat = "".join(text.split())
    # A key wraps only after a dot, its next part indented by two: put back together, the
    # label column holds each key whole.
    labels = _label_column(text)
    for key in ("changes.unit_bounds.P1.min_staff", "changes.unit_bounds.P1.max_staff",
                "changes.unit_bounds.H1.min_staff", "rules.unit_bounds"):
        assert key in labels, key
    assert text.count("variant 3") == 1
    blocks = re.findall(r"Scenarios compared(, continued)? \((\d+)–(\d+) of 6\)", text)
    assert len(blocks) >= 2 and blocks[0][0] == "" and all(b[0] for b in blocks[1:])
    assert [int(b[1]) for b in blocks] == [1] + [int(b[2]) + 1 for b in blocks[:-1]]
    for c in columns:
        assert c.name in text or "".join(c.name.split()) in flat


def test_compare_uses_the_one_vocabulary_of_moves(tmp_path):
    from staffplan.studies import compare as cmp

    officers = [officer("H", "H1", home_unit="S1"), officer("R", bureau="B1"), officer("S", "S1")]
    path = write_scenario(tmp_path / "s", small_county(), officers,
                          {"return_borrowed": True, "staff_every_post": True})
    [column] = cmp.compare([str(path)])
    labels = {row.key: row.label for row in cmp.rows([column])}
    assert labels["moves: borrowed returned"] == "borrowed officers returned"
    assert labels.get("recruits placed: post") == "recruits → post"
    assert not any(k.startswith("moves: recruit") for k in labels)  # placing is no move


# --- The configs a new user compared at 80 columns --------------------------------------------

CONFIGS = Path(__file__).resolve().parent.parent / "configs"


@pytest.fixture(scope="module")
def configs():
    """Four of the bundled configs (one impossible, one with a promotions: section) in
    English; two in Chinese."""
    from staffplan.i18n import set_lang
    from staffplan.studies import compare as cmp

    names = ["lianyungang-2021", "promotions-impossible", "what-if-budget-cap",
             "what-if-tenure-4"]
    out = {"en": cmp.compare([str(CONFIGS / f"{n}.yaml") for n in names], workers=1)}
    set_lang("zh")
    try:
        out["zh"] = cmp.compare([str(CONFIGS / f"{n}.yaml") for n in names[1:3]], workers=1)
    finally:
        set_lang("en")
    return out


def test_keys_compare_does_not_use_are_left_out_and_said_once(configs):
    from staffplan.studies import compare as cmp

    columns = configs["en"]
    assert any(k.startswith("promotions.") for k in columns[1].config)
    rows = cmp.rows(columns)
    assert not [r.key for r in rows if r.key.startswith("config: promotions")]
    assert "config: budget.max_yuan.B01" in {r.key for r in rows}  # a key a plan reads
    left = cmp.not_compared(columns)
    assert left and all(k.startswith("promotions") for k in left)
    note = f"not compared: {len(left)} key(s) under promotions.* differ"
    md = cmp.to_markdown(columns)
    assert md.count("not compared") == 1 and f"{len(left)} key(s) under promotions." in md
    assert json.loads(json.dumps(cmp.to_dict(columns)))["not_compared"] == left
    from staffplan.report.tables import render_text

    text = render_text(lambda c: c.print(cmp.table(columns)), 80)
    assert "".join(text.split()).count("".join(note.split())) == 1
    assert "promotions.openings" not in text


def _label_column(text: str) -> list[str]:
    """The labels of a comparison's tables, a key's wrapped parts put back together."""
    labels: list[str] = []
    for line in text.splitlines():
        first = re.split(r"\s{2,}", line.strip())[0]
        if line.startswith("  ") and not line.startswith("   ") and labels:
            assert labels[-1].endswith("."), (labels[-1], line)  # never mid-word
            labels[-1] += first
        else:
            labels.append(first)
    return labels


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("width", [80, 120])
def test_the_configs_compared_read_at_80_and_120_columns(configs, width, lang):
    from rich.cells import cell_len

    from staffplan.i18n import set_lang, t
    from staffplan.report.tables import render_text
    from staffplan.report.why import count, lines
    from staffplan.studies import compare as cmp

    columns = configs[lang]
    set_lang(lang)
    try:
        text = render_text(lambda c: c.print(cmp.table(columns)), width)
        titles = [t("c_title"), t("c_title_part", first=1, last=2, n=4),
                  t("c_title_more", first=3, last=4, n=4)]
        why_title = t("c_why_title", name=columns[-1 if lang == "zh" else 2].name)
        config_head = t("c_config_head")
    finally:
        set_lang("en")
    for line in text.splitlines():
        assert cell_len(line) <= width, line
    assert "…" not in text
    # No cell cut at the terminal's edge (a table wider than the terminal is cropped there,
    # silently): a value alone on its row reads back whole, its lines joined.
    flat = re.sub(r"\s+", "", text)
    for r in cmp.rows(columns):
        filled = [c for c in r.cells if c.strip()]
        if r.group == "config" and len(filled) == 1:
            assert re.sub(r"\s+", "", filled[0]) in flat, filled[0]
    keys = [r.key.removeprefix("config: ") for r in cmp.rows(columns) if r.group == "config"]
    labels = _label_column(text)
    for key in keys:
        assert key in labels, key
    assert config_head in text
    if lang == "en" and width == 80:  # four scenarios: two, then two, each block titled
        assert titles[1] in text and titles[2] in text and titles[0] + "\n" not in text
    else:
        assert text.startswith(titles[0])
    # Why no plan, below the tables at the full width: numbered explanations only.
    impossible = next(c for c in columns if c.conflicts)
    below = text.split(why_title, 1)[1]
    numbered = [line for line in below.splitlines() if re.match(r"\d+\. ", line)]
    assert len(numbered) == count(cmp.why(impossible)) == 3
    assert all(not line.rstrip().endswith((":", "：")) or "(" in line or "（" in line
               for line in numbered)
    assert lines(cmp.why(impossible))[0] == impossible.conflicts[0]  # the lead, unnumbered


def test_a_long_config_value_is_never_cut_at_the_terminals_edge():
    """changes.add_units is a long JSON value: it wraps inside its column, never past the
    terminal (where the line would be cropped, silently)."""
    from staffplan.report.tables import render_text
    from staffplan.studies import compare as cmp

    columns = cmp.compare([str(CONFIGS / f"{n}.yaml") for n in
                           ("lianyungang-2021", "what-if-tenure-4", "what-if-close-posts")],
                          workers=1)
    [row] = [r for r in cmp.rows(columns) if r.key == "config: changes.add_units"]
    value = next(c for c in row.cells if c.strip())
    for width in (80, 100, 120):
        text = render_text(lambda c: c.print(cmp.table(columns)), width)
        assert re.sub(r"\s+", "", value) in re.sub(r"\s+", "", text), width
