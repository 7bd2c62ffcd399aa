"""What a promotion round looks like to people and machines: Rich tables, promotions.csv,
summary.json and promotions.xlsx. Every figure comes from the checker's counts, never from
the model. Values read from files reach the terminal as Rich ``Text`` (never markup), CSV
through the csv module, the workbook through ``staffplan.report.xlsx``.
"""

from __future__ import annotations

from datetime import datetime, time
from fractions import Fraction

from rich.cells import cell_len
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from staffplan import __version__
from staffplan.i18n import kind_name, t
from staffplan.promotions.history import TRACKS
from staffplan.promotions.results import BureauRound, Entry, PromotionCheck, PromotionResult
from staffplan.report.files import config_dict, flat_config, provenance_dict
from staffplan.report.screen import message, text, visible
from staffplan.report.tables import MET, UNMET, header, rules_table, styled_table
from staffplan.report.xlsx import Sheet, workbook

BEFORE = "dim"
LIST_COLUMNS = ["officer_id", "officer_name", "track", "from", "to", "unit", "reason"]


def rate_text(x: Fraction | None) -> str:
    return "n/a" if x is None else f"{float(x) * 100:.2f}%"


def track_name(track: str) -> str:
    return t(f"ph_{track}")


def from_text(e: Entry) -> str:
    """A rank as written, a role in the current language."""
    return t(f"role_{e.from_}") if e.track != "rank" and e.from_ else e.from_


def to_text(e: Entry) -> str:
    return track_name(e.to) if e.track != "rank" else e.to


def unfilled_text(u) -> str:
    return t("pt_unfilled", bureau=u.bureau, track=track_name(u.track), filled=u.filled,
             slots=u.slots)


# --- files ---------------------------------------------------------------------------------

def promotions_csv(result: PromotionResult) -> str:
    """promotions.csv: one row per promotion or appointment (bureau, track, officer id);
    for Excel, as every CSV staffplan writes (``staffplan.io.excel_csv``: BOM, no cell read
    as a formula; ``check --promotions`` reads it back exactly)."""
    from staffplan.io.excel_csv import write_rows

    officers = result.round.scenario.officer_by_id
    return write_rows(LIST_COLUMNS, ([e.officer, officers[e.officer].name, e.track, e.from_,
                                      e.to, e.unit, e.reason] for e in result.entries))


def bureau_dict(b: BureauRound, candidates: dict[str, int] | None = None) -> dict:
    def num(x):
        return None if x is None else round(float(x), 6)

    out = {"bureau": b.bureau, "slots": b.slots, "listed": b.listed,
           "station_officers": b.station_officers, "hq_officers": b.hq_officers,
           "station_promotions": b.station_promotions, "hq_promotions": b.hq_promotions,
           "station_rate": num(b.station_rate), "hq_rate": num(b.hq_rate),
           "required_station_rate": num(b.required), "rate_met": b.rate_met}
    if candidates is not None:
        out["eligible"] = candidates
    return out


def rules_dict(check: PromotionCheck) -> list[dict]:
    return [{"rule": x.rule, "label": x.label, "status": x.status, "checked": x.checked,
             "violations": len(x.violations)} for x in check.results]


def summary_dict(result: PromotionResult) -> dict:
    r = result.round
    o = result.outcome
    out = {
        "staffplan_version": __version__,
        "scenario": r.scenario.config.name,
        "promotion_date": r.date.isoformat(),
        "status": result.status.value,
        "proven_optimal": result.status.value == "optimal",
        "partial": result.partial,
        "listed": len(result.entries),
        "by_track": {k: sum(e.track == k for e in result.entries) for k in TRACKS},
        "preferences": result.stages,
        "unique_before_ids": result.unique,
        "conflicts": result.conflicts,
        "unfilled": [u.__dict__ for u in result.unfilled],
    }
    if result.check is not None:
        out["bureaus"] = [bureau_dict(b, result.candidates.get(b.bureau))
                          for b in result.check.bureaus]
        out["rules"] = rules_dict(result.check)
    else:
        out["eligible"] = result.candidates
    out["config"] = config_dict(r.scenario.config)
    out["provenance"] = provenance_dict(r.scenario.provenance)
    out["model"] = result.model_size
    out["solver"] = {"name": o.solver if o else None,
                     "seconds": None if o is None else round(o.seconds, 3)}
    out["timing_seconds"] = {k: round(v, 3) for k, v in result.timings.items()}
    return out


def promotions_workbook(result: PromotionResult) -> bytes:
    """promotions.xlsx: the summary per bureau, the list, what is left unfilled, the rules
    and the config."""
    r, check = result.round, result.check
    assert check is not None
    yes, no = t("yes"), t("no")
    rows = []
    for i, b in enumerate(check.bureaus, start=2):
        rows.append([_plain(b.bureau), b.slots["rank"], b.listed["rank"], b.slots["station_leader"],
                     b.listed["station_leader"], b.slots["bureau_leader"],
                     b.listed["bureau_leader"], b.station_promotions, b.station_officers,
                     _f(b.station_rate), b.hq_promotions, b.hq_officers, _f(b.hq_rate),
                     _f(b.required), f'=IF(N{i}="","",IF(J{i}>=N{i},"{yes}","{no}"))'])
    n = len(rows) + 1
    summary = Sheet(
        t("ps_summary"),
        [t("ph_bureau"), f"{t('ph_rank')} ({t('ph_slots')})", f"{t('ph_rank')} ({t('ph_filled')})",
         f"{t('ph_station_leader')} ({t('ph_slots')})",
         f"{t('ph_station_leader')} ({t('ph_filled')})",
         f"{t('ph_bureau_leader')} ({t('ph_slots')})",
         f"{t('ph_bureau_leader')} ({t('ph_filled')})",
         f"{t('ph_station_rate')}: {t('ph_rank')}", f"{t('ph_station_rate')}: {t('h_officers')}",
         t("ph_station_rate"), f"{t('ph_hq_rate')}: {t('ph_rank')}",
         f"{t('ph_hq_rate')}: {t('h_officers')}", t("ph_hq_rate"), t("ph_required"), t("ph_met")],
        rows, percent=(10, 13, 14),
        conditional=[(f"J2:J{n}", 'AND($N2<>"",$J2<$N2)', "red"),
                     (f"J2:J{n}", 'AND($N2<>"",$J2>=$N2)', "green"),
                     (f"C2:C{n}", "$C2<$B2", "red"), (f"E2:E{n}", "$E2<$D2", "red"),
                     (f"G2:G{n}", "$G2<$F2", "red")])
    officers = r.scenario.officer_by_id
    listing = Sheet(t("ps_list"), [t("h_officer"), t("h_name"), t("ph_track"), t("ph_from"),
                                   t("ph_to"), t("h_unit"), t("h_reason")],
                    [[_plain(x) for x in (e.officer, officers[e.officer].name,
                                          track_name(e.track), from_text(e), to_text(e), e.unit,
                                          e.reason)] for e in result.entries], widths={7: 90})
    sheets = [summary, listing]
    if result.unfilled:
        sheets.append(Sheet(t("ps_unfilled"), [t("ph_bureau"), t("ph_track"), t("ph_filled"),
                                               t("ph_slots")],
                            [[_plain(u.bureau), track_name(u.track), u.filled, u.slots]
                             for u in result.unfilled],
                            extra=[[_plain(line)] for line in result.conflicts]))
    prov = r.scenario.provenance
    extra = [[t("h_key"), t("h_value"), t("h_source")]]
    promotions = config_dict(r.scenario.config).get("promotions") or {}
    for key, value in flat_config(promotions, "promotions.").items():
        extra.append([key, "" if value is None else _plain(str(value)),
                      _plain(prov.sources.get(key, "default")) if prov else ""])
    sheets.append(Sheet(t("ps_rules"), [t("h_rule"), t("h_label"), t("h_status"), t("h_checked"),
                                        t("h_violations")],
                        [[x.rule, x.label, t(f"status_{x.status}"), x.checked, len(x.violations)]
                         for x in check.results], widths={1: 30, 2: 60}, extra=extra))
    return workbook(sheets, datetime.combine(r.date, time()))


def _plain(value: str) -> str:
    """A value read from a file, as text: the workbook writer takes a leading = for a
    formula, so such a value keeps a leading apostrophe instead."""
    return "'" + value if value.startswith("=") else value


def _f(x: Fraction | None) -> float | None:
    return None if x is None else float(x)


# --- the terminal --------------------------------------------------------------------------
#
# The tables look like the plan's (``staffplan.report.tables``) and read at 80 columns: two
# lines per bureau (the figures, and under them what they come from), the reason of a
# promotion on its own lines under it. Figures never wrap; headers and reasons do, never cut.

def _share(value: Fraction | None) -> str:
    return "—" if value is None else f"{float(value) * 100:.2f}%"


def _two(first: Text | str, second: str = "") -> Text:
    """A cell of two lines: a figure, and under it (dim) what it comes from."""
    out = first.copy() if isinstance(first, Text) else Text(first)
    out.no_wrap = True
    out.append("\n" + second, style=BEFORE)
    return out


def bureau_table(check: PromotionCheck, candidates: dict[str, dict[str, int]]) -> Table:
    """Per bureau: slots and openings filled per track (officers eligible under them), the
    station and headquarters rates (promotions / officers under them, the station rate marked
    against the rule) and the least station rate the rule asks for."""
    rate = next((b.rate for b in check.bureaus if b.rate is not None), None)
    table = styled_table(t("pt_per_bureau"))
    notes = (t("pt_caption", rate="—" if rate is None else f"{float(rate):g}")
             + (t("pt_caption_eligible") if candidates else "") + t("t_marks"))
    table.caption = Text(notes, style="dim")
    for key, justify in [("ph_bureau", "left"), ("phb_rank", "right"),
                         ("phb_station_leader", "right"), ("phb_bureau_leader", "right"),
                         ("phb_station_rate", "right"), ("phb_hq_rate", "right"),
                         ("ph_required", "right")]:
        table.add_column(header(key), justify=justify, no_wrap=True)
    for b in check.bureaus:
        if not any(b.slots.values()) and not any(b.listed.values()):
            continue
        label = text(b.bureau, "bold")
        cells = [_two(label, kind_name(b.kind) if b.kind else "")]
        for k in TRACKS:
            filled = Text(f"{b.listed[k]:,}/{b.slots[k]:,}",
                          style=UNMET if b.listed[k] != b.slots[k] else "")
            eligible = candidates.get(b.bureau, {}).get(k)
            cells.append(_two(filled, "" if eligible is None else f"({eligible:,})"))
        met = b.rate_met
        station = Text(_share(b.station_rate))
        if met is not None:
            station.append(" " + ("✓" if met else "✗"))
            station.stylize(MET if met else UNMET)
        cells += [_two(station, f"{b.station_promotions:,}/{b.station_officers:,}"),
                  _two(_share(b.hq_rate), f"{b.hq_promotions:,}/{b.hq_officers:,}"),
                  _two(t("status_off") if b.rate is None else _share(b.required))]
        table.add_row(*cells)
    return table


def list_table(title: str, entries: list[Entry], officers, *, names: bool, limit: int) -> Table:
    """Promotions or appointments by officer: from → to and the unit on the first line, the
    reason under them, indented (it wraps, never cut). The track is the table's."""
    shown = entries if limit <= 0 else entries[:limit]
    caption = (Text(t("pt_more", n=f"{len(entries) - len(shown):,}"), style="dim")
               if len(shown) < len(entries) else None)
    table = styled_table(title, caption=caption)
    table.add_column(header("h_officer"), no_wrap=True)
    if names:
        table.add_column(header("h_name"), no_wrap=True)
    rows = [(visible(from_text(e)), visible(to_text(e))) for e in shown]
    # from, to and the unit line up, entry under entry: padded to the widest (in cells).
    wide_from = max([cell_len(a) for a, _ in rows] + [cell_len(t("ph_from"))])
    wide_to = max([cell_len(b) for _, b in rows] + [cell_len(t("ph_to"))])

    def line(frm: str, to: str, unit: str) -> Text:
        return Text(f"{frm}{' ' * (wide_from - cell_len(frm))} → "
                    f"{to}{' ' * (wide_to - cell_len(to))} · {unit}")

    head = line(t("ph_from"), t("ph_to"), t("h_unit"))
    head.append("\n" + t("h_reason"), style=BEFORE)
    table.add_column(head, ratio=1, overflow="fold")
    for e, (frm, to) in zip(shown, rows):
        first = line(frm, to, visible(e.unit))
        reason = Padding(text(e.reason, BEFORE), (0, 0, 0, 2))
        cells = [text(e.officer, "bold")] + ([text(officers[e.officer].name)] if names else [])
        table.add_row(*cells, Group(first, reason))
    return table


def render_round(console: Console, result: PromotionResult, *, names: bool, limit: int) -> None:
    r, check, o = result.round, result.check, result.outcome
    assert check is not None and o is not None
    console.print(message("pt_head", {"name": "bold"}, name=r.scenario.config.name,
                          date=r.date.isoformat(), n=f"{len(result.entries):,}",
                          proof=t("pt_proven"), solver=o.solver,
                          seconds=sum(result.timings.values())))
    console.print(bureau_table(check, result.candidates))
    officers = r.scenario.officer_by_id
    appointments = [e for e in result.entries if e.track != "rank"]
    promotions = [e for e in result.entries if e.track == "rank"]
    console.print(list_table(t("pt_appointments", n=f"{len(appointments):,}"), appointments,
                             officers, names=names, limit=0))
    console.print(list_table(t("pt_promotions", n=f"{len(promotions):,}"), promotions, officers,
                             names=names, limit=limit))
    console.print(rules_table(check))
