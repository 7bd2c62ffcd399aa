"""promotions.html: the round for the personnel meeting, one self-contained file (inline CSS
and SVG, nothing fetched). Every value is escaped (``html.escape``)."""

from __future__ import annotations

import html
import math

from staffplan.i18n import MESSAGES, get_lang, t
from staffplan.promotions.report import from_text, rate_text, to_text, track_name, unfilled_text
from staffplan.promotions.results import PromotionResult

CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",system-ui,sans-serif;
margin:0;color:#1d2733;background:#f6f8fa}
header{background:#17365d;color:#fff;padding:18px 28px}
header h1{margin:0 0 6px;font-size:24px}header p{margin:0;opacity:.9}
main{padding:18px 28px;display:grid;gap:18px}
section{background:#fff;border:1px solid #d9e0e8;border-radius:6px;padding:14px 16px}
h2{font-size:16px;margin:0 0 10px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e3e8ee;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef3f8}td.n,th.n{text-align:right}td.k{white-space:nowrap}
.met{color:#1a7f37}.unmet{color:#cf222e;font-weight:bold}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
"""

STATION, HQ, REQUIRED = "#2da44e", "#9aa7b4", "#17365d"


def _e(value) -> str:
    return html.escape(str(value))


def _step(top: float) -> float:
    """A round step for an axis up to ``top`` (a rate): 1, 2 or 5 times a power of ten, four
    to ten steps."""
    step = 10 ** math.floor(math.log10(top / 4))
    for factor in (1, 2, 5, 10):
        if top / (step * factor) <= 10:
            return step * factor
    return step * 10


def _tick(value: float, step: float) -> str:
    """A tick's label as a percentage, with as many decimals as the step needs."""
    decimals = max(0, -math.floor(math.log10(step * 100) + 1e-9))
    return f"{value * 100:.{decimals}f}%"


def rate_chart(result: PromotionResult) -> str:
    """Per bureau: the station rate (green) beside the headquarters rate (grey), with the
    least station rate the rule asks for as a dark line, on an axis of rates. Wider with
    more bureaus, so each bureau's id stays readable under its bars."""
    bureaus = [b for b in result.check.bureaus if b.slots["rank"] or b.listed["rank"]]
    most = max([float(x) for b in bureaus for x in (b.station_rate, b.hq_rate, b.required)
                if x is not None] + [0.0001])
    step = _step(most)
    ticks = math.ceil(most / step - 1e-9)
    top = ticks * step
    left, bottom, head = 52, 28, 10
    width = max(640, left + 30 * len(bureaus))
    height = max(220, round(width * 0.3))  # as tall for its width with many bureaus
    plot = height - bottom - head
    group = (width - left) / max(1, len(bureaus))
    bar = min(26.0, group / 3)
    parts = [(f'<svg role="img" viewBox="0 0 {width} {height}" width="100%" '
              f'xmlns="http://www.w3.org/2000/svg" font-size="11">')]
    for k in range(ticks + 1):
        y = head + plot - plot * k / ticks
        parts.append(f'<line class="tick" x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{"#8c959f" if k == 0 else "#e3e8ee"}"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#57606a">'
                     f"{_tick(k * step, step)}</text>")
    for i, b in enumerate(bureaus):
        x0 = left + i * group + group / 2 - bar - 2
        for j, (value, colour, label) in enumerate(((b.station_rate, STATION, t("ph_station_rate")),
                                                    (b.hq_rate, HQ, t("ph_hq_rate")))):
            h = plot * float(value or 0) / top
            x = x0 + j * (bar + 4)
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{head + plot - h:.1f}" '
                         f'width="{bar:.1f}" height="{h:.1f}" fill="{colour}"><title>'
                         f'{_e(b.bureau)} {_e(label)}: {_e(rate_text(value))}</title></rect>')
        if b.required is not None:
            y = head + plot - plot * float(b.required) / top
            parts.append(f'<line class="required" x1="{x0 - 4:.1f}" x2="{x0 + 2 * bar + 8:.1f}" '
                         f'y1="{y:.1f}" y2="{y:.1f}" stroke="{REQUIRED}" stroke-width="2.5" '
                         f'stroke-dasharray="5 3"><title>{_e(t("ph_required"))} '
                         f'{_e(rate_text(b.required))}</title></line>')
        parts.append(f'<text x="{x0 + bar + 2:.1f}" y="{height - 8}" text-anchor="middle" '
                     f'font-weight="bold">{_e(b.bureau)}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span><i class="sw" style="background:{colour}{extra}"></i>{_e(t(key))}'
                     f"</span>" for colour, extra, key in (
                         (STATION, "", "ph_station_rate"), (HQ, "", "ph_hq_rate"),
                         (REQUIRED, ";height:3px", "ph_required")))
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def page_title(name: str) -> str:
    """The report's title: the round's name, after "Promotion round:" unless the name says
    so already (the example's, and the generator's, end in "— promotion round")."""
    said = any(phrase.lower() in name.lower() for phrase in MESSAGES["prep_round"].values())
    return name if said else t("prep_title", name=name)


def promotions_report(result: PromotionResult) -> str:
    r = result.round
    title = page_title(r.scenario.config.name)
    if result.check is None:
        items = "".join(f"<li>{_e(line)}</li>" for line in result.conflicts)
        body = f"<section><h2>{_e(t('prep_impossible'))}</h2><ul>{items}</ul></section>"
        return _page(title, _e(t("prep_impossible")), body)
    sub = t("prep_sub", date=r.date.isoformat(), n=len(result.entries), proof=t("pt_proven"))
    rows = []
    for b in result.check.bureaus:
        if not any(b.slots.values()) and not any(b.listed.values()):
            continue
        cells = "".join(
            f"<td class='n {'met' if b.listed[k] == b.slots[k] else 'unmet'}'>"
            f"{b.listed[k]} / {b.slots[k]}</td>" for k in ("rank", "station_leader",
                                                          "bureau_leader"))
        met = b.rate_met
        rows.append(f"<tr><td>{_e(b.bureau)}</td>{cells}"
                    f"<td class='n'>{_e(rate_text(b.station_rate))}</td>"
                    f"<td class='n'>{_e(rate_text(b.hq_rate))}</td>"
                    f"<td class='n'>{_e(rate_text(b.required))}</td>"
                    f"<td class='{'' if met is None else ('met' if met else 'unmet')}'>"
                    f"{_e(t('status_off') if met is None else (t('yes') if met else t('no')))}"
                    f"</td></tr>")
    head = "".join(f"<th{'' if k in ('ph_bureau', 'ph_met') else ' class=n'}>{_e(t(k))}</th>"
                   for k in ("ph_bureau", "ph_rank", "ph_station_leader", "ph_bureau_leader",
                             "ph_station_rate", "ph_hq_rate", "ph_required", "ph_met"))
    entries = "".join(
        f"<tr><td class=k>{_e(e.officer)}</td><td>{_e(track_name(e.track))}</td>"
        f"<td class=k>{_e(from_text(e))}</td><td class=k>{_e(to_text(e))}</td>"
        f"<td class=k>{_e(e.unit)}</td><td>{_e(e.reason)}</td></tr>"
        for e in result.entries)
    list_head = "".join(f"<th>{_e(t(k))}</th>" for k in (
        "h_officer", "ph_track", "ph_from", "ph_to", "h_unit", "h_reason"))
    rules = "".join(f"<tr><td>{_e(x.label)}</td><td>{_e(t(f'status_{x.status}'))}</td>"
                    f"<td class='n'>{x.checked}</td></tr>" for x in result.check.results)
    body = (f"<section><h2>{_e(t('pt_per_bureau'))}</h2><table id='bureaus'><thead><tr>{head}"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
            f"<section><h2>{_e(t('prep_rates'))}</h2>{rate_chart(result)}</section>")
    if result.unfilled:
        items = "".join(f"<li>{_e(unfilled_text(u))}</li>" for u in result.unfilled)
        items += "".join(f"<li>{_e(line)}</li>" for line in result.conflicts)
        body += f"<section><h2>{_e(t('pt_partial'))}</h2><ul>{items}</ul></section>"
    body += (f"<section><h2>{_e(t('ps_list'))} ({len(result.entries)})</h2><table id='list'>"
             f"<thead><tr>{list_head}</tr></thead><tbody>{entries}</tbody></table></section>"
             f"<section><h2>{_e(t('ps_rules'))}</h2><table><tbody>{rules}</tbody></table>"
             f"</section>")
    return _page(title, _e(sub), body)


def _page(title: str, sub: str, body: str) -> str:
    lang = "zh-CN" if get_lang() == "zh" else "en"
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{_e(title)}</h1><p>{sub}</p></header><main>{body}</main>"
            f"</body></html>\n")
