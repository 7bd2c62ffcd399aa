"""The meeting report: one self-contained HTML file (inline SVG charts, CSS and a little
JavaScript for searching the moves; nothing fetched from the network)."""

from __future__ import annotations

import html
from collections import Counter

from staffplan.i18n import get_lang, kind_name, t
from staffplan.report.files import funds, pct
from staffplan.results import CheckReport, PlanResult

CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",system-ui,sans-serif;
margin:0;color:#1d2733;background:#f6f8fa}
header{background:#17365d;color:#fff;padding:18px 28px}
header h1{margin:0 0 6px;font-size:24px}header p{margin:0;opacity:.9}
main{padding:18px 28px;display:grid;grid-template-columns:1fr 1fr;gap:18px}
section{background:#fff;border:1px solid #d9e0e8;border-radius:6px;padding:14px 16px}
section.wide{grid-column:1 / span 2}
h2{font-size:16px;margin:0 0 10px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e3e8ee;padding:4px 6px;text-align:left}
th{background:#eef3f8}td.n{text-align:right}
input{width:100%;padding:6px;margin-bottom:8px;font-size:14px;box-sizing:border-box}
.met{color:#1a7f37}.unmet{color:#cf222e;font-weight:bold}
.legend span{display:inline-block;margin-right:14px;font-size:12px}
.sw{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}
"""

SEARCH_JS = """
function filterMoves(q) {
  q = q.toLowerCase(); var n = 0;
  document.querySelectorAll('#moves tbody tr').forEach(function (tr) {
    var hit = tr.textContent.toLowerCase().indexOf(q) >= 0;
    tr.style.display = hit ? '' : 'none'; if (hit) n++;
  });
  document.getElementById('count').textContent = n;
}
var box = document.getElementById('q');
if (box) {
  box.addEventListener('input', function () { filterMoves(this.value); });
  var m = location.hash.match(/^#q=(.*)$/);  // report.html#q=B01-S07 opens filtered
  if (m) { box.value = decodeURIComponent(m[1]); filterMoves(box.value); }
}
"""

BEFORE, MET, UNMET, TARGET = "#9aa7b4", "#2da44e", "#cf222e", "#17365d"


def _e(text) -> str:
    return html.escape(str(text))


def share_chart(before: CheckReport, after: CheckReport, which: str) -> str:
    """Bars per bureau: before (grey) and after (green if the target is met, red if not), with
    the target as a dark line."""
    bureaus = after.bureaus
    prior = {b.bureau: b for b in before.bureaus}
    width, height, left, bottom, top = 620, 240, 40, 30, 10
    plot_h = height - bottom - top
    group = (width - left) / max(1, len(bureaus))
    bar = min(28, group / 3)
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg" font-size="11">']
    for pct_line in (0, 25, 50, 75, 100):
        y = top + plot_h * (1 - pct_line / 100)
        parts.append(f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e8ee"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#57606a">'
                     f'{pct_line}%</text>')

    def y_of(x) -> float:
        return top + plot_h * (1 - float(x or 0))

    for i, b in enumerate(bureaus):
        x0 = left + i * group + group / 2 - bar - 2
        p = prior.get(b.bureau)
        share = b.station_share if which == "station" else b.community_share
        target = b.station_target if which == "station" else b.community_target
        old = (p.station_share if which == "station" else p.community_share) if p else None
        met = target is None or (share is not None and share >= target)
        for j, (value, colour, label) in enumerate(((old, BEFORE, t("h_before")),
                                                    (share, MET if met else UNMET, t("h_after")))):
            y = y_of(value)
            x = x0 + j * (bar + 4)
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                         f'height="{top + plot_h - y:.1f}" fill="{colour}">'
                         f'<title>{_e(b.bureau)} {_e(label)}: {pct(value)}</title></rect>')
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">'
                         f'{pct(value)}</text>')
        if target is not None:
            y = y_of(target)
            parts.append(f'<line class="target" x1="{x0 - 4:.1f}" x2="{x0 + 2 * bar + 8:.1f}" '
                         f'y1="{y:.1f}" y2="{y:.1f}" stroke="{TARGET}" stroke-width="2.5" '
                         f'stroke-dasharray="5 3"><title>{_e(t("rep_target"))} {pct(target)}</title></line>')
        parts.append(f'<text x="{x0 + bar + 2:.1f}" y="{height - 10}" text-anchor="middle" '
                     f'font-weight="bold">{_e(b.bureau)}</text>')
    parts.append("</svg>")
    legend = (f'<div class="legend"><span><i class="sw" style="background:{BEFORE}"></i>{_e(t("h_before"))}</span>'
              f'<span><i class="sw" style="background:{MET}"></i>{_e(t("h_after"))} ({_e(t("h_met"))})</span>'
              f'<span><i class="sw" style="background:{UNMET}"></i>{_e(t("h_after"))}</span>'
              f'<span><i class="sw" style="background:{TARGET};height:3px"></i>{_e(t("rep_target"))}</span></div>')
    return "".join(parts) + legend


def flow_chart(result: PlanResult) -> str:
    """Officers flowing between headquarters, stations and posts, and recruits placed."""
    s = result.scenario
    flows: Counter = Counter()
    for o in s.officers:
        to = result.final.get(o.id)
        if to is None or to == o.unit:
            continue
        src = "recruit" if o.unit is None else s.organisation[o.unit].kind.value
        flows[(src, s.organisation[to].kind.value)] += 1
    nodes = {"recruit": (90, 45), "hq": (90, 205), "station": (420, 45), "post": (690, 205)}
    names = {"recruit": t("rep_recruits"), "hq": kind_name("hq"), "station": kind_name("station"),
             "post": kind_name("post")}
    top = max(flows.values() or [1])
    parts = ['<svg class="chart" role="img" viewBox="0 0 780 250" width="100%" '
             'xmlns="http://www.w3.org/2000/svg" font-size="12">']
    for (src, dst), n in sorted(flows.items()):
        if src not in nodes or dst not in nodes:
            continue
        (x1, y1), (x2, y2) = nodes[src], nodes[dst]
        bend = -40 if x2 > x1 else 40
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2 + bend
        w = 2 + 22 * n / top
        parts.append(f'<path class="flow" d="M{x1},{y1} Q{mx},{my} {x2},{y2}" fill="none" '
                     f'stroke="#4c8dd6" stroke-opacity="0.55" stroke-width="{w:.1f}">'
                     f'<title>{_e(names[src])} → {_e(names[dst])}: {n}</title></path>')
        parts.append(f'<text x="{mx:.0f}" y="{(y1 + y2) / 2 + bend / 2:.0f}" text-anchor="middle" '
                     f'font-weight="bold">{n}</text>')
    for key, (x, y) in nodes.items():
        parts.append(f'<rect x="{x - 60}" y="{y - 18}" width="120" height="36" rx="6" '
                     f'fill="#17365d"/><text x="{x}" y="{y + 5}" text-anchor="middle" '
                     f'fill="#fff">{_e(names[key])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def plan_report(result: PlanResult, before: CheckReport) -> str:
    s, r = result.scenario, result.report
    title = t("rep_title", name=s.config.name)
    if r is None:
        items = "".join(f"<li>{_e(line.strip())}</li>" for line in result.conflicts)
        body = (f'<section class="wide"><h2>{_e(t("rep_infeasible"))}</h2><ul>{items}</ul></section>')
        return _page(title, _e(t("rep_infeasible")), body)
    proof = t("t_proven") if result.status.value == "optimal" else t(
        "t_gap", gap=pct(result.outcome.gap), bound=result.outcome.bound)
    sub = t("rep_sub", date=s.plan_date.isoformat(), moves=r.moves, proof=proof,
            approvals=len(r.approvals)) + " " + t(
        "t_funds", before=f"{funds(before):,}", after=f"{funds(r):,}",
        per=f"{s.config.budget.community_officer_yuan:,}") + "."
    prior = {b.bureau: b for b in before.bureaus}
    posts_rows = "".join(
        f"<tr><td>{_e(b.bureau)}</td><td>{_e(kind_name(b.kind))}</td>"
        f"<td class='n'>{prior[b.bureau].posts_staffed if b.bureau in prior else ''} / {b.posts}</td>"
        f"<td class='n {'met' if b.posts_staffed == b.posts else 'unmet'}'>{b.posts_staffed} / {b.posts}</td>"
        f"<td class='n'>{b.force}</td><td class='n'>{b.community_officers}</td>"
        f"<td class='n'>{b.community_funds:,}</td></tr>"
        for b in r.bureaus)
    moves = [o for o in sorted(s.officers, key=lambda o: o.id)
             if result.final.get(o.id) != o.unit and result.final.get(o.id) is not None]
    move_rows = "".join(
        f"<tr><td>{_e(o.id)}</td><td>{_e(o.unit or t('rep_recruits'))}</td>"
        f"<td>{_e(result.final.get(o.id))}</td><td>{_e(result.reasons.get(o.id, ''))}</td></tr>"
        for o in moves)
    approvals = "".join(
        f"<tr><td>{_e(a.officer)}</td><td>{_e(a.from_unit)}</td><td>{_e(a.to_unit)}</td>"
        f"<td>{_e(a.tenure)}</td><td>{_e(t('yes') if a.approved else t('no'))}</td></tr>"
        for a in r.approvals)
    body = f"""
<section><h2>{_e(t("rep_station_chart"))}</h2>{share_chart(before, r, "station")}</section>
<section><h2>{_e(t("rep_community_chart"))}</h2>{share_chart(before, r, "community")}</section>
<section><h2>{_e(t("rep_flow"))}</h2>{flow_chart(result)}</section>
<section><h2>{_e(t("rep_posts"))}</h2><table><thead><tr><th>{_e(t("h_bureau"))}</th>
<th>{_e(t("h_kind"))}</th><th>{_e(t("h_before"))}</th><th>{_e(t("h_after"))}</th>
<th>{_e(t("h_force"))}</th><th>{_e(t("h_community"))}</th><th>{_e(t("h_funds"))}</th></tr></thead>
<tbody>{posts_rows}</tbody></table></section>
<section class="wide"><h2>{_e(t("rep_moves"))} (<span id="count">{len(moves)}</span>)</h2>
<input id="q" type="search" placeholder="{_e(t("rep_search"))}">
<table id="moves"><thead><tr><th>{_e(t("h_officer"))}</th><th>{_e(t("h_from"))}</th>
<th>{_e(t("h_to"))}</th><th>{_e(t("h_reason"))}</th></tr></thead><tbody>{move_rows}</tbody></table>
</section>
<section class="wide"><h2>{_e(t("rep_approvals"))}</h2>
{f'''<table id="approvals"><thead><tr><th>{_e(t("h_officer"))}</th><th>{_e(t("h_from"))}</th>
<th>{_e(t("h_to"))}</th><th>{_e(t("h_tenure"))}</th><th>{_e(t("h_approved"))}</th></tr></thead>
<tbody>{approvals}</tbody></table>''' if approvals else _e(t("rep_none"))}
</section>"""
    body += _provenance(s)
    return _page(title, _e(sub), body)


def _provenance(scenario) -> str:
    prov = scenario.provenance
    if prov is None:
        return ""
    items = "".join(f"<li><code>{_e(f)}</code></li>" for f in prov.files)
    items += "".join(f"<li>{_e(o)}</li>" for o in prov.overrides)
    return f'<section class="wide"><h2>{_e(t("rep_scenario"))}</h2><ul>{items}</ul></section>'


def _page(title: str, sub: str, body: str) -> str:
    lang = "zh-CN" if get_lang() == "zh" else "en"
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{_e(title)}</h1><p>{sub}</p></header><main>{body}</main>"
            f"<script>{SEARCH_JS}</script></body></html>\n")
