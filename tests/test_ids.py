"""Ids are data, never names inside the model: Chinese ids, and ids that differ only in
punctuation, plan exactly as ASCII ids do."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from staffplan.cli import app
from staffplan.model import build_model, placement
from tests.conftest import officer, unit, write_scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "lianyungang"
runner = CliRunner()


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def chinese_alphabet(ids: list[str]) -> dict[str, str]:
    """A character map, increasing, from every character of ``ids`` to a CJK ideograph: ids
    keep their order (ties between officers are broken by id), and none stays ASCII."""
    chars = sorted({c for i in ids for c in i})
    cjk = [chr(0x4E00 + 97 * k) for k in range(len(chars))]  # increasing, all ideographs
    return dict(zip(chars, cjk))


@pytest.fixture(scope="module")
def two_examples(tmp_path_factory):
    """The bundled example as it is, and with every unit and officer id made Chinese."""
    units = _read(EXAMPLE / "units.csv")
    officers = _read(EXAMPLE / "officers.csv")
    ids = [u["id"] for u in units] + [o["id"] for o in officers]
    table = chinese_alphabet(ids)

    def zh(text: str) -> str:
        return "".join(table[c] for c in text)

    out = tmp_path_factory.mktemp("zh")
    for u in units:
        u["id"], u["parent"] = zh(u["id"]), zh(u["parent"])
    for o in officers:
        for key in ("id", "unit", "home_unit", "bureau"):
            o[key] = zh(o[key])
    for name, rows in (("units.csv", units), ("officers.csv", officers)):
        with (out / name).open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    (out / "scenario.yaml").write_text((EXAMPLE / "scenario.yaml").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    back = {v: k for k, v in table.items()}

    def ascii_of(text: str) -> str:
        return "".join(back.get(c, c) for c in text)

    runs = {}
    for key, folder in (("ascii", EXAMPLE), ("zh", out)):
        plan_dir = tmp_path_factory.mktemp(f"plan-{key}")
        r = _run("plan", folder / "scenario.yaml", "--out", plan_dir, "--report", "-q",
                 "--lang", "en")
        assert r.exit_code == 0, r.output
        c = _run("check", folder / "scenario.yaml", "--assignments", plan_dir / "assignments.csv",
                 "--format", "json", "--lang", "en")
        runs[key] = (plan_dir, r, c)
    return runs, ascii_of, zh


def test_chinese_ids_plan_the_same_as_ascii_ids(two_examples):
    runs, ascii_of, zh = two_examples
    a_dir, b_dir = runs["ascii"][0], runs["zh"][0]
    a, b = _read(a_dir / "assignments.csv"), _read(b_dir / "assignments.csv")
    assert any(r["officer_id"] != ascii_of(r["officer_id"]) for r in b)  # really Chinese
    assert all(not any(c.isascii() and c.isalnum() for c in r["officer_id"]) for r in b)
    mapped = [{k: (ascii_of(v) if k in ("officer_id", "from_unit", "to_unit") else v)
               for k, v in r.items()} for r in b]
    assert [(r["officer_id"], r["from_unit"], r["to_unit"], r["moved"]) for r in mapped] == \
        [(r["officer_id"], r["from_unit"], r["to_unit"], r["moved"]) for r in a]
    sa = json.loads((a_dir / "summary.json").read_text(encoding="utf-8"))
    sb = json.loads((b_dir / "summary.json").read_text(encoding="utf-8"))
    assert sa["status"] == sb["status"] == "optimal"
    assert sa["moves"] == sb["moves"] and sa["objective"] == sb["objective"]
    for x, y in zip(sa["bureaus"], sb["bureaus"]):
        assert x == {**y, "bureau": ascii_of(y["bureau"])}
    assert [r["status"] for r in sa["rules"]] == [r["status"] for r in sb["rules"]]
    for name in ("plan.xlsx", "approvals.csv", "report.html"):
        assert (b_dir / name).stat().st_size > 0
    assert zh("B01") in (b_dir / "report.html").read_text(encoding="utf-8")


def test_chinese_ids_check_the_same_as_ascii_ids(two_examples):
    runs = two_examples[0]
    ca, cb = runs["ascii"][2], runs["zh"][2]
    assert ca.exit_code == cb.exit_code == 0, cb.output
    ja, jb = json.loads(ca.stdout), json.loads(cb.stdout)
    assert ja["ok"] and jb["ok"]
    assert ja["moves"] == jb["moves"] and ja["approvals"] == jb["approvals"]
    assert [r["status"] for r in ja["rules"]] == [r["status"] for r in jb["rules"]]


def test_ids_differing_only_in_punctuation_plan(tmp_path):
    """``B-1`` and ``B_1`` (and ``S.1``, ``S 1``, ``S/1``...) are different units; PuLP turns
    each of these characters into ``_``, which once made two rows with one name."""
    units = [unit("B-1", "county"), unit("B_1", "county")]
    officers = []
    for b in ("B-1", "B_1"):
        units += [unit(f"{b}H", "hq", b)]
        for s in ("S-1", "S_1", "S 1", "S/1", "S[1]"):
            units += [unit(f"{b}{s}", "station", b, area="urban"),
                      unit(f"{b}{s}P", "post", f"{b}{s}")]
        officers += [officer(f"{b}-o{i}", f"{b}H", hired="2000-01-01") for i in range(20)]
    rules = {"staff_every_post": True, "stay_in_bureau": True, "unit_bounds": True,
             "community_share": 0.5}
    path = write_scenario(tmp_path / "s", units, officers, rules)
    from staffplan.io.roster import load_scenario

    s = load_scenario(path)
    model = build_model(s, placement(s))
    names = [c.name for c in model.prob.constraints()]
    assert len(names) == len(set(names))
    assert all(n.isascii() for n in names + [v.name for v in model.variables()])
    out = tmp_path / "out"
    r = _run("plan", path, "--out", out, "-q")
    assert r.exit_code == 0, r.output
    rows = _read(out / "assignments.csv")
    staffed = {row["to_unit"] for row in rows}
    assert {u["id"] for u in units if u["kind"] == "post"} <= staffed


# --- Look-alike ids: one policy for every id column of every file --------------------------

def _problems(path) -> list[tuple[str, int, str, str]]:
    from staffplan.errors import InputError
    from staffplan.io.roster import load_scenario

    with pytest.raises(InputError) as exc:
        load_scenario(path)
    return [(p.file.rsplit("/", 1)[-1], p.row, p.column, p.message)
            for p in exc.value.problems]


def _county():
    from tests.conftest import small_county

    return small_county()


UNSEEN = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u200e",
          "\u2066", "\x07", "\u2028"]


@pytest.mark.parametrize("char", UNSEEN, ids=lambda c: f"U+{ord(c):04X}")
def test_an_id_holding_a_character_that_cannot_be_seen_is_an_error(tmp_path, char):
    units = _county() + [unit(f"S{char}9", "station", "B1", area="urban")]
    officers = [officer(f"P0{char}01", "S1", name="秘密")]
    got = _problems(write_scenario(tmp_path, units, officers))
    code = f"U+{ord(char):04X}"
    assert [(f, row, col) for f, row, col, _ in got] == [("officers.csv", 2, "id"),
                                                          ("units.csv", 7, "id")]
    for _, _, _, message in got:
        assert code in message and "a character that cannot be seen" in message
        assert char not in message  # shown escaped
    assert got[1][3].startswith(repr(f"S{char}9"))


@pytest.mark.parametrize("a,b", [("P001", "Ｐ001"), ("Café", "Cafe\u0301"), ("S 1", "S\u00a01"),
                                 ("豈1", "\uf9001"), ("派出所1", "派出所１")],
                         ids=["full-width", "nfc-nfd", "no-break-space", "cjk-compat",
                              "full-width-digit"])
def test_two_ids_that_look_the_same_are_an_error(tmp_path, a, b):
    units = _county() + [unit(a, "station", "B1", area="urban"),
                         unit(b, "station", "B1", area="urban")]
    officers = [officer(a, "S1", name="秘密甲"), officer(b, "S1", name="秘密乙")]
    got = _problems(write_scenario(tmp_path, units, officers))
    assert [(f, row, col) for f, row, col, _ in got] == [("officers.csv", 3, "id"),
                                                          ("units.csv", 8, "id")]
    for *_, message in got:
        assert f"looks the same as {a!r} on row" in message
        assert "written with other characters (U+" in message


def test_a_reference_that_looks_like_an_id_says_which(tmp_path):
    officers = [officer("A", "Ｓ1", name="秘密甲"), officer("B", "H1", name="秘密乙",
                                                          home_unit="S1\u00ad"),
                officer("C", name="秘密丙", bureau="Ｂ1"), officer("D", "H1", name="秘密丁")]
    got = _problems(write_scenario(tmp_path, _county() + [unit("S9", "station", "Ｂ1")],
                                   officers))
    assert got == [
        ("officers.csv", 2, "unit", "unknown unit 'Ｓ1'; did you mean 'S1'? It looks the same "
         "but is written with other characters (U+FF33 FULLWIDTH LATIN CAPITAL LETTER S where "
         "that id has U+0053 LATIN CAPITAL LETTER S)"),
        ("officers.csv", 3, "home_unit", "unknown unit 'S1\\xad'; did you mean 'S1'? It looks "
         "the same but is written with other characters (U+00AD SOFT HYPHEN where that id has "
         "nothing)"),
        ("officers.csv", 4, "bureau", "'Ｂ1' is not a bureau; did you mean 'B1'? It looks the "
         "same but is written with other characters (U+FF22 FULLWIDTH LATIN CAPITAL LETTER B "
         "where that id has U+0042 LATIN CAPITAL LETTER B)"),
        ("units.csv", 7, "parent", "unknown unit 'Ｂ1'; did you mean 'B1'? It looks the same "
         "but is written with other characters (U+FF22 FULLWIDTH LATIN CAPITAL LETTER B where "
         "that id has U+0042 LATIN CAPITAL LETTER B)")]


def test_look_alike_ids_in_changes_retirements_and_recruits(tmp_path):
    (tmp_path / "retire.csv").write_text("officer_id\nA\u200b\n", encoding="utf-8")
    (tmp_path / "recruits.csv").write_text("id,name,unit,bureau\nＡ,秘密丁,,B1\n",
                                           encoding="utf-8")
    path = write_scenario(tmp_path, _county(), [officer("A", "S1", name="秘密甲")], extra={
        "changes": {"close_units": ["Ｐ1"], "retire": ["Ａ"], "retire_file": "retire.csv",
                    "recruits_file": "recruits.csv", "recruits": {"Ｂ1": 1},
                    "add_units": [{"id": "H\u200b2", "kind": "hq", "parent": "B1"}]}})
    got = {(f, col): message for f, _, col, message in _problems(path)}
    assert "did you mean 'P1'?" in got[("scenario.yaml", "changes.close_units.0")]
    assert "did you mean 'A'?" in got[("scenario.yaml", "changes.retire.0")]
    assert "did you mean 'B1'?" in got[("scenario.yaml", "changes.recruits.Ｂ1")]
    assert "U+200B ZERO WIDTH SPACE" in got[("scenario.yaml", "changes.add_units.0.id")]
    assert got[("retire.csv", "officer_id")].startswith("unknown officer 'A\\u200b'; did you "
                                                        "mean 'A'?")
    assert got[("recruits.csv", "id")].startswith("'Ａ' looks the same as 'A' on row 2 of the "
                                                  "roster but is written with other characters")


def test_look_alike_ids_in_a_plan_file(tmp_path):
    path = write_scenario(tmp_path / "s", _county(), [officer("P001", "S1", name="秘密甲"),
                                                     officer("P002", "H1", name="秘密乙")])
    plan = tmp_path / "plan.csv"
    plan.write_text("officer_id,to_unit\nＰ001,S1\nP002\u200b,H1\nP002,Ｐ1\n", encoding="utf-8")
    r = _run("check", path, "--assignments", plan, "--lang", "en")
    assert r.exit_code == 2, r.output
    assert "plan.csv, row 2, column officer_id: unknown officer 'Ｐ001'; did you mean 'P001'?" \
        in r.stderr
    assert "plan.csv, row 3, column officer_id: unknown officer 'P002\\u200b'; did you mean " \
        "'P002'?" in r.stderr
    assert "plan.csv, row 4, column to_unit: unknown unit 'Ｐ1'; did you " \
        "mean 'P1'?" in r.stderr


def test_a_reference_in_other_capitals_gets_a_hint_and_stays_an_error():
    from staffplan.domain import IdIndex

    ids = IdIndex([("C1-S2", 2), ("B01", 3)])
    assert "c1-s2" not in ids  # ids are compared as written
    assert ids.hint("c1-s2") == ("; did you mean 'C1-S2'? Ids are compared as written, "
                                 "capitals included")
    assert ids.hint("c1-s2", accept=lambda u: u != "C1-S2") == ""
    assert ids.hint("Z9") == ""


@pytest.mark.parametrize("char", ["\u034f", "\ufe0f", "\ufe00", "\u3164", "\u115f", "\uffa0",
                                  "\u2800", "\U000e0041", "\u180b"])
def test_characters_that_draw_nothing_are_unseen_in_ids(char):
    from staffplan.domain import IdIndex

    ids = IdIndex()
    assert ids.define("P000001", 2) is None
    assert "cannot be seen" in ids.define("P000001" + char, 3)
    assert "did you mean 'P000001'?" in IdIndex([("P000001", 2)]).hint("P000001" + char)
